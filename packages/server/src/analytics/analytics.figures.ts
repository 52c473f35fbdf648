/**
 * Exact figures from the decimal strings SQL returns: sums in units of 0.0001, and ratios as
 * rationals rounded half away from zero (no float ever touches money or a KPI).
 */
import { fromUnits, toUnits } from '../fx/money';

export const ZERO = '0.0000';

export function unitsOf(amount: string | null | undefined): bigint {
  return amount == null ? 0n : toUnits(amount);
}

export function sum(amounts: Array<string | null | undefined>): string {
  return fromUnits(amounts.reduce((total, a) => total + unitsOf(a), 0n));
}

/** A rational number num/den (den > 0). */
export interface Ratio {
  num: bigint;
  den: bigint;
}

/** num/den rounded to `scale` decimals, half away from zero; null when den is 0. */
export function decimal(r: Ratio, scale = 2): string | null {
  if (r.den === 0n) return null;
  const negative = r.num < 0n !== r.den < 0n;
  const num = r.num < 0n ? -r.num : r.num;
  const den = r.den < 0n ? -r.den : r.den;
  const pow = 10n ** BigInt(scale);
  const rounded = (num * pow * 2n + den) / (den * 2n);
  const whole = rounded / pow;
  const text = scale ? `${whole}.${(rounded % pow).toString().padStart(scale, '0')}` : `${whole}`;
  return negative && rounded !== 0n ? `-${text}` : text;
}

/** a/b x factor, rounded; null when b is 0. */
export function ratioOf(a: string, b: string, factor = 1n, scale = 2): string | null {
  return decimal({ num: unitsOf(a) * factor, den: unitsOf(b) }, scale);
}

/** Shares as percentages with 2 decimals: part / whole x 100 on counts. */
export function percentOf(part: number, whole: number): string | null {
  return decimal({ num: BigInt(part) * 100n, den: BigInt(whole) });
}
