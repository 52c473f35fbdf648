/**
 * The organisation's field rules, in one place for every way in: the GraphQL mutations name the
 * argument (`input.currency`), the CSV import names file, line and column. A rule reports the
 * field it broke as an `OrgFieldError`; each entry point maps the field to its own vocabulary.
 */

/** Keys (DESIGN.md): case-sensitive, 1-40 characters of A-Z a-z 0-9 _ -. */
export const ORG_KEY = /^[A-Za-z0-9_-]{1,40}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const USER_NAME = /^[A-Za-z0-9._@-]{1,60}$/;
// Deliberately loose: one @, no spaces; the mail system is the judge of the rest.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A field of an organisational object broke a rule; `field` is the object's field name (GraphQL input's). */
export class OrgFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'OrgFieldError';
  }
}

function fail(field: string, message: string): never {
  throw new OrgFieldError(field, message);
}

export function orgKey(field: string, value: unknown, what = 'a key'): string {
  if (typeof value !== 'string' || !ORG_KEY.test(value)) {
    fail(field, `${field} must be ${what} of 1-40 characters A-Z a-z 0-9 _ - (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function displayName(field: string, value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) fail(field, `${field} must not be empty`);
  if (text.length > max) fail(field, `${field} must be at most ${max} characters`);
  return text;
}

export function currencyCode(field: string, value: unknown): string {
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!CURRENCY_CODE.test(code)) fail(field, `${field} must be an ISO 4217 currency code such as EUR (got ${JSON.stringify(value)})`);
  return code;
}

export function optionalCurrency(field: string, value: unknown): string | null {
  return value === null || value === undefined || value === '' ? null : currencyCode(field, value);
}

export function optionalCountry(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!COUNTRY_CODE.test(code)) fail(field, `${field} must be an ISO 3166 country code such as DE (got ${JSON.stringify(value)})`);
  return code;
}

/** Partners a group works in a day: a whole number from 1 to 100000, or null (the backtest's fallback from its specialists). */
export function dailyCapacity(field: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100_000)
    fail(field, `${field} must be a whole number of partners from 1 to 100000`);
  return value;
}

export function toleranceDays(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 365) fail(field, `${field} must be a whole number of days from 0 to 365`);
  return value;
}

export function userName(field: string, value: unknown): string {
  if (typeof value !== 'string' || !USER_NAME.test(value)) {
    fail(field, `${field} must be 1-60 characters of A-Z a-z 0-9 . _ @ - (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function optionalEmail(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'string' ? value.trim() : '';
  if (!EMAIL.test(text)) fail(field, `${field} must be an e-mail address (got ${JSON.stringify(value)})`);
  return text;
}

export function calendarDate(field: string, value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  const parsed = new Date(`${text}T00:00:00Z`);
  if (!ISO_DATE.test(text) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text) {
    fail(field, `${field} must be a calendar date YYYY-MM-DD (got ${JSON.stringify(value)})`);
  }
  return text;
}

/** Distinct keys of a list (order kept); a duplicate or a bad key names the list field. */
export function keyList(field: string, values: readonly unknown[], what: string): string[] {
  const keys = values.map((v) => orgKey(field, v, what));
  const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
  if (duplicate !== undefined) fail(field, `${field} names ${duplicate} twice`);
  return keys;
}
