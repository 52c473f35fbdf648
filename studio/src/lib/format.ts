/** Exact money as a decimal string, e.g. "1234.5000" (the `Decimal` scalar): never a float. */
export type Decimal = string;

/** An amount in one currency; amounts in different currencies are never added up. */
export interface MoneyAmount {
  currency: string;
  amount: Decimal;
}

const integerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat | undefined {
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency, currencyDisplay: 'code' });
    } catch {
      return undefined; // not an ISO 4217 code the browser knows
    }
    moneyFormats.set(currency, format);
  }
  return format;
}

/**
 * Formats a decimal string for display only. The string goes to Intl as it is: Intl formats
 * numeric strings as exact decimals (rounded to the currency's minor unit), so the amount is
 * never turned into a binary float.
 */
export function formatMoney(amount: Decimal, currency: string): string {
  return formatMoneyParts(amount, currency)
    .map((p) => p.value)
    .join('');
}

/** Like formatMoney, but split so the currency code can be styled apart from the figure. */
export function formatMoneyParts(amount: Decimal, currency: string): Intl.NumberFormatPart[] {
  const format = moneyFormat(currency);
  if (!format)
    return [
      { type: 'literal', value: `${amount} ` },
      { type: 'currency', value: currency },
    ];
  return format.formatToParts(amount as `${number}`);
}

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** A count with its noun, singular for one: "1 partner", "2,048 partners". */
export function formatCount(value: number, singular: string, plural = `${singular}s`): string {
  return `${formatInteger(value)} ${value === 1 ? singular : plural}`;
}

/** A share of two counts, or undefined when there is nothing to share. */
export function share(part: number, whole: number): number | undefined {
  return whole > 0 ? part / whole : undefined;
}

export function formatShare(value: number | undefined): string {
  return value === undefined ? '–' : percentFormat.format(value);
}

/** `asOf` as a readable date and time; unparseable values are shown as they came. */
export function formatAsOf(asOf: string): string {
  const date = new Date(asOf);
  if (Number.isNaN(date.getTime())) return asOf;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  return new Intl.DateTimeFormat(undefined, dateOnly ? { dateStyle: 'medium', timeZone: 'UTC' } : { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A status code in words, as a sentence starts: "IN_PROCESS" reads "In process", "PARTIALLY_KEPT" "Partially kept". */
export function statusWords(code: string): string {
  const words = code.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A code in words ("PROMISE_GIVEN" reads "Promise given"); free text a person typed stays as they wrote it. */
export function codeWords(text: string): string {
  return /^[A-Z][A-Z0-9_]*$/.test(text) ? statusWords(text) : text;
}
