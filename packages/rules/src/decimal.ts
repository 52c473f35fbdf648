/**
 * Exact comparison of decimal numbers written as text, as Postgres compares numerics: what a
 * double cannot tell apart (more than 15 significant digits, e.g. a ratio of two amounts) is
 * compared digit by digit. Accepts what numeric's input and String(number) write: an optional
 * sign, digits with an optional fraction, an optional exponent ("1e-7", "-12.50", ".5").
 */

interface Parsed {
  negative: boolean;
  /** Significant digits without leading or trailing zeros ('' for zero). */
  digits: string;
  /** The decimal exponent of the first digit: value = 0.digits x 10^exponent. */
  exponent: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parse(text: string): Parsed {
  const match = DECIMAL.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new Error(`Not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, whole = '', fraction = '', exp = '0'] = match;
  const all = whole + fraction;
  const lead = all.search(/[1-9]/);
  if (lead < 0) return { negative: false, digits: '', exponent: 0 };
  const digits = all.slice(lead).replace(/0+$/, '');
  return { negative: sign === '-', digits, exponent: whole.length - lead + Number(exp) };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b, exactly. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = parse(a);
  const y = parse(b);
  const sign = (p: Parsed) => (p.digits === '' ? 0 : p.negative ? -1 : 1);
  if (sign(x) !== sign(y)) return sign(x) < sign(y) ? -1 : 1;
  if (sign(x) === 0) return 0;
  const magnitude = compareMagnitude(x, y);
  return x.negative && magnitude !== 0 ? (-magnitude as -1 | 1) : magnitude;
}

function compareMagnitude(x: Parsed, y: Parsed): -1 | 0 | 1 {
  if (x.exponent !== y.exponent) return x.exponent < y.exponent ? -1 : 1;
  const n = Math.max(x.digits.length, y.digits.length);
  const dx = x.digits.padEnd(n, '0');
  const dy = y.digits.padEnd(n, '0');
  return dx === dy ? 0 : dx < dy ? -1 : 1;
}

/** Significant digits of a decimal text (leading and trailing zeros left out). */
export function significantDigits(text: string): number {
  return parse(text).digits.length;
}

/**
 * Whether a double holds the decimal exactly enough to compare: with at most 15 significant
 * digits, two different decimals are two different doubles, in the same order, and a number a
 * document holds (String(n), the shortest text of n) compares with it as the decimals do.
 */
export function doubleComparesExactly(text: string): boolean {
  // Fifteen characters hold at most fifteen digits: most amounts and counts, without parsing.
  return text.length <= 15 || significantDigits(text) <= 15;
}
