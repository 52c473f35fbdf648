import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentArb, factRowArb, UNIVERSE } from './arbitraries';
import { compileColumnar, numberColumn, type FactColumn } from './compile-columnar';
import { compileJs } from './compile-js';
import { compareDecimal, doubleComparesExactly } from './decimal';
import type { StrategyDocument } from './document';

/** The rows as columns over the universe of fact columns; numbers as Postgres sends numerics (text) when `asText`. */
function columnsOf(rows: Array<Record<string, unknown>>, asText: boolean): Map<string, FactColumn> {
  return new Map(
    UNIVERSE.map((k): [string, FactColumn] => {
      const values = rows.map((r) => r[k.column] ?? undefined);
      if (k.type !== 'number') return [k.column, { kind: 'value', values }];
      return [k.column, numberColumn(values.map((v) => (v === undefined ? null : asText ? String(v) : (v as number))))];
    }),
  );
}

const doc = (fact: string, operator: string, value: unknown): StrategyDocument => ({
  key: 'X',
  name: 'x',
  currency: 'EUR',
  maxValuation: null,
  minPercent: 0,
  agingBuckets: [],
  priorities: [{ priority: 1, label: 'all', minPercent: 0 }],
  rules: [{ name: 'r', conditions: { all: [{ fact, operator, value } as never] }, event: { type: 'v', params: { points: 1, role: 'condition' } } }],
});

describe('columnar scorer', () => {
  it('scores every row as the JS scorer (json-rules-engine) does, numbers given as numbers or as numeric text', () => {
    let cases = 0;
    fc.assert(
      fc.property(documentArb, fc.array(factRowArb, { minLength: 1, maxLength: 12 }), fc.boolean(), (document, rows, asText) => {
        const js = compileJs(document);
        const columnar = compileColumnar(document, columnsOf(rows, asText));
        rows.forEach((row, i) => {
          expect(columnar.score(i)).toEqual(js.score(row));
          cases++;
        });
      }),
      { numRuns: 1000 },
    );
    expect(cases).toBeGreaterThan(3000);
  });

  it('compares numerics beyond a double exactly, as Postgres does', () => {
    const fired = (document: StrategyDocument, ...values: Array<string | null>) => {
      const columns = new Map<string, FactColumn>([
        ['f_creditutilization', numberColumn(values)],
        ['f_disputedshare', numberColumn(values.map(() => '80.00000000000000000002'))],
      ]);
      const scorer = compileColumnar(document, columns);
      return values.map((_, i) => scorer.evaluate(i)[0]);
    };
    const ratios = ['80.00000000000000000001', '80', '79.999999999999999999999', '80.000', null];
    expect(fired(doc('creditUtilization', 'greaterThan', 80), ...ratios)).toEqual([true, false, false, false, false]);
    expect(fired(doc('creditUtilization', 'equal', 80), ...ratios)).toEqual([false, true, false, true, false]);
    expect(fired(doc('creditUtilization', 'notEqual', 80), ...ratios)).toEqual([true, false, true, false, true]);
    expect(fired(doc('creditUtilization', 'lessThanInclusive', 80), ...ratios)).toEqual([false, true, true, true, false]);
    expect(fired(doc('creditUtilization', 'in', [1, 80]), ...ratios)).toEqual([false, true, false, true, false]);
    expect(fired(doc('creditUtilization', 'notIn', [80]), ...ratios)).toEqual([true, false, true, false, true]);
    expect(fired(doc('creditUtilization', 'between', [79.5, 80]), ...ratios)).toEqual([false, true, true, true, false]);
    // Fact against fact: 80.00000000000000000002 in the other column.
    expect(fired(doc('creditUtilization', 'lessThan', { fact: 'disputedShare' }), ...ratios)).toEqual([true, true, true, true, false]);
    expect(fired(doc('creditUtilization', 'greaterThanInclusive', { fact: 'disputedShare' }), '80.00000000000000000002', '80.000000000000000000021')).toEqual([
      true,
      true,
    ]);
  });

  it('keeps text with at most 15 significant digits on doubles, anything longer exact', () => {
    expect(doubleComparesExactly('1000.5000000000000000')).toBe(true);
    expect(doubleComparesExactly('-0.000000123456789012345')).toBe(true);
    expect(doubleComparesExactly('1234567890.1234567')).toBe(false);
    const column = numberColumn(['1000.5000000000000000', '1234567890.1234567', null, 7.25]);
    expect([...column.exact]).toEqual([[1, '1234567890.1234567']]);
    expect(Number.isNaN(column.values[2])).toBe(true);
  });
});

describe('compareDecimal', () => {
  /** The exact value of a decimal text as a fraction n / 10^s. */
  const exact = (text: string): { n: bigint; s: number } => {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text)!;
    const digits = `${m[2] ?? ''}${m[3] ?? ''}` || '0';
    let s = (m[3] ?? '').length - Number(m[4] ?? 0);
    let n = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
    if (s < 0) {
      n *= 10n ** BigInt(-s);
      s = 0;
    }
    return { n, s };
  };
  const reference = (a: string, b: string) => {
    const x = exact(a);
    const y = exact(b);
    const s = Math.max(x.s, y.s);
    const p = x.n * 10n ** BigInt(s - x.s);
    const q = y.n * 10n ** BigInt(s - y.s);
    return p < q ? -1 : p > q ? 1 : 0;
  };
  const decimalArb = fc
    .tuple(
      fc.constantFrom('', '-', '+'),
      fc.stringMatching(/^\d{0,22}$/),
      fc.option(fc.stringMatching(/^\d{0,22}$/)),
      fc.option(fc.integer({ min: -30, max: 30 })),
    )
    .filter(([, whole, fraction]) => whole !== '' || (fraction ?? '') !== '')
    .map(([sign, whole, fraction, exp]) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${exp === null ? '' : `e${exp}`}`);

  it('orders any two decimal texts as their exact values', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, (a, b) => {
        expect(compareDecimal(a, b)).toBe(reference(a, b));
        expect(compareDecimal(b, a)).toBe(reference(b, a));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads what String(number) writes, exponents included', () => {
    expect(compareDecimal(String(1e21), '1000000000000000000000')).toBe(0);
    expect(compareDecimal(String(-2.5e-12), '-0.0000000000025')).toBe(0);
    expect(compareDecimal(String(0.1 + 0.2), '0.3')).toBe(1);
    expect(compareDecimal(String(-0), '0.000')).toBe(0);
    expect(compareDecimal('+.5', '0.50')).toBe(0);
    expect(compareDecimal('1e-7', '0.0000001')).toBe(0);
    expect(compareDecimal('1e21', '999999999999999999999.9999')).toBe(1);
    expect(() => compareDecimal('12a', '1')).toThrow(/Not a decimal/);
  });
});
