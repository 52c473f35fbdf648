/**
 * Money, in one place (with money.types.ts, its GraphQL type): exact arithmetic in integer units
 * and the SQL that converts between currencies with the fx rules of DESIGN.md.
 */
/**
 * The factor that converts an amount in currency `from` into `to` at date `asOf` (SQL
 * expressions): 1 for the same currency, else the latest fx_rates row on or before that date
 * (null when there is none, so a sum with an unconvertible amount is visibly null).
 */
export function fxRateSql(from: string, to: string, asOf: string): string {
  return `CASE WHEN ${from} = ${to} THEN 1::numeric ELSE (SELECT f.rate FROM fx_rates f
      WHERE f.from_currency = ${from} AND f.to_currency = ${to} AND f.rate_date <= ${asOf} ORDER BY f.rate_date DESC LIMIT 1) END`;
}

/**
 * Exact money for splits and schedules: amounts as BigInt counts of 0.0001 (the stored scale),
 * split in whole cents; the sub-cent rest and the remainder cents go to the first shares, so a
 * split is deterministic and always sums to the amount exactly.
 */
const SCALE = 10_000n;
/** Amounts as the API writes them: up to 15 integer digits and 4 decimals (the stored numeric(19,4)). */
const AMOUNT = /^-?\d{1,15}(\.\d{1,4})?$/;

/** Whether `text` is an amount the API accepts: exact decimal, at most 4 decimals; negative only when `signed`. */
export function isAmount(text: string, signed = false): boolean {
  return AMOUNT.test(text) && (signed || !text.startsWith('-'));
}

const CENT = 100n;

export function toUnits(amount: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(amount.trim());
  if (!m) throw new Error(`not an amount: ${amount}`);
  const units = BigInt(m[2]!) * SCALE + BigInt((m[3] ?? '').padEnd(4, '0'));
  return m[1] ? -units : units;
}

export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const u = negative ? -units : units;
  return `${negative ? '-' : ''}${u / SCALE}.${(u % SCALE).toString().padStart(4, '0')}`;
}

/** `total` in n shares of whole cents differing by at most one cent; remainder cents and the sub-cent rest to the first shares. */
export function splitEvenly(total: bigint, n: number): bigint[] {
  const cents = total / CENT;
  const subCent = total % CENT;
  const per = cents / BigInt(n);
  const rest = cents % BigInt(n);
  return Array.from({ length: n }, (_, i) => (per + (BigInt(i) < rest ? 1n : 0n)) * CENT + (i === 0 ? subCent : 0n));
}

/** Fills `caps` in order (oldest first) up to each cap; returns the shares and what is left. */
export function fillInOrder(total: bigint, caps: bigint[]): { shares: bigint[]; rest: bigint } {
  let rest = total;
  const shares = caps.map((cap) => {
    const share = rest < cap ? rest : cap;
    rest -= share;
    return share;
  });
  return { shares, rest };
}

/** Half-up rounding of a non-negative rational num/den to whole cents, in units. */
export function roundToCents(num: bigint, den: bigint): bigint {
  const cents = (num * 2n + den * CENT) / (den * CENT * 2n);
  return cents * CENT;
}
