import { describe, expect, it } from 'vitest';
import { CellError, cellParser, isValidIsoDate } from './cell-parsers';

describe('isValidIsoDate', () => {
  it.each(['2024-02-29', '2026-12-31', '2000-02-29', '1900-01-01'])('accepts %s', (d) => expect(isValidIsoDate(d)).toBe(true));
  it.each(['2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '26-01-01', '2026/01/01', '2026-01-0x', ''])('refuses %s', (d) =>
    expect(isValidIsoDate(d)).toBe(false),
  );
});

describe('cellParser', () => {
  const amount = cellParser({ name: 'amount', type: 'amount', required: true });
  const signed = cellParser({ name: 'amount', type: 'amount', required: true, signed: true });
  const optionalFlag = cellParser({ name: 'flag', type: 'boolean', required: false });
  const status = cellParser({ name: 'status', type: 'text', required: true, values: ['OPEN', 'CLOSED'] });

  it('keeps amounts exact as text and trims', () => {
    expect(amount(' 1234.5678 ')).toBe('1234.5678');
    expect(signed('-0.01')).toBe('-0.01');
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['1,5', '1.23456', 'abc', '1e5', '-1']) expect(() => amount(bad)).toThrow(CellError);
    expect(() => amount('')).toThrow(/required/);
  });

  it('reads optional booleans and enumerations case-insensitively', () => {
    expect(optionalFlag('')).toBeNull();
    expect(optionalFlag('TRUE')).toBe('true');
    expect(() => optionalFlag('yes')).toThrow(/not true or false/);
    expect(status('open')).toBe('OPEN');
    expect(() => status('PENDING')).toThrow(/not one of OPEN, CLOSED/);
  });
});
