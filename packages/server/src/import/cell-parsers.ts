import { isAmount } from '../fx/money';
import type { CsvColumn } from './csv-contract';

/** Turns a raw cell into the value staged for Postgres (text form), or explains why it cannot. */
export type CellParser = (raw: string) => string | null;

export class CellError extends Error {}

const RATE = /^\d{1,10}(\.\d{1,10})?$/;
const INTEGER = /^\d{1,4}$/;
const CODE3 = /^[A-Za-z]{3}$/;
const CODE2 = /^[A-Za-z]{2}$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** YYYY-MM-DD naming a real calendar day; digit arithmetic, as this runs once per date cell of a bulk load. */
export function isValidIsoDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const digit = (i: number): number => {
    const d = text.charCodeAt(i) - 48;
    return d >= 0 && d <= 9 ? d : NaN;
  };
  const y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const m = digit(5) * 10 + digit(6);
  const d = digit(8) * 10 + digit(9);
  if (!(y >= 1900) || !(m >= 1 && m <= 12) || !(d >= 1)) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && !leap ? 28 : DAYS_IN_MONTH[m - 1]!);
}

function quote(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

export function cellParser(column: CsvColumn): CellParser {
  const typed = typedParser(column);
  return (raw) => {
    // Trimming is the rare case; checking the ends first keeps the hot path allocation-free.
    const text = raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
    if (text.length === 0) {
      if (column.required) throw new CellError('is required but empty');
      return null;
    }
    // Postgres text cannot hold NUL: refuse it here, with its place, not as a failed COPY.
    if (text.includes('\u0000')) throw new CellError('contains a NUL character (U+0000), which no text may hold');
    return typed(text);
  };
}

function typedParser(column: CsvColumn): (text: string) => string {
  switch (column.type) {
    case 'id':
      return (text) => {
        if (text.length > 40) throw new CellError(`${quote(text)} is longer than 40 characters`);
        return text;
      };
    case 'text': {
      const values = column.values ? new Set(column.values) : null;
      const maxLength = column.maxLength;
      return (text) => {
        if (values) {
          const upper = text.toUpperCase();
          if (!values.has(upper)) throw new CellError(`${quote(text)} is not one of ${[...values].join(', ')}`);
          return upper;
        }
        if (maxLength !== undefined && text.length > maxLength) throw new CellError(`${quote(text)} is longer than ${maxLength} characters`);
        return text;
      };
    }
    case 'date':
      return (text) => {
        if (!isValidIsoDate(text)) throw new CellError(`${quote(text)} is not a valid ISO date (YYYY-MM-DD)`);
        return text;
      };
    case 'amount':
      return (text) => {
        if (!isAmount(text, true)) throw new CellError(`${quote(text)} is not an amount (digits with an optional dot and at most 4 decimals)`);
        if (!column.signed && text.startsWith('-')) throw new CellError(`${quote(text)} must not be negative`);
        return text;
      };
    case 'rate':
      return (text) => {
        if (!RATE.test(text) || Number(text) === 0) throw new CellError(`${quote(text)} is not a positive rate (at most 10 decimals)`);
        return text;
      };
    case 'integer':
      return (text) => {
        if (!INTEGER.test(text)) throw new CellError(`${quote(text)} is not a whole number from 0 to 9999`);
        return text;
      };
    case 'boolean':
      return (text) => {
        const lower = text.toLowerCase();
        if (lower !== 'true' && lower !== 'false') throw new CellError(`${quote(text)} is not true or false`);
        return lower;
      };
    case 'currency':
      return (text) => {
        if (!CODE3.test(text)) throw new CellError(`${quote(text)} is not an ISO 4217 currency code (e.g. EUR)`);
        return text.toUpperCase();
      };
    case 'country':
      return (text) => {
        if (!CODE2.test(text)) throw new CellError(`${quote(text)} is not an ISO 3166 country code (e.g. DE)`);
        return text.toUpperCase();
      };
  }
}
