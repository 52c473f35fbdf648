/**
 * Exact sums of decimal amounts (the API's strings), in units of 0.0001 as the server stores them:
 * a sum of open amounts pre-filled into a form must not pick up float noise.
 */
const SCALE = 10_000n;

function toUnits(amount: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?/.exec(amount.trim());
  if (!m) return 0n;
  const units = BigInt(m[2]!) * SCALE + BigInt((m[3] ?? '').padEnd(4, '0'));
  return m[1] ? -units : units;
}

/** The sum of the amounts as a decimal string with two decimals, or more when they carry sub-cent digits. */
export function sumAmounts(amounts: string[]): string {
  const total = amounts.reduce((s, a) => s + toUnits(a), 0n);
  const negative = total < 0n;
  const u = negative ? -total : total;
  const fraction = (u % SCALE).toString().padStart(4, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${negative ? '-' : ''}${u / SCALE}.${fraction}`;
}

/** Items grouped by currency, the groups in the order their first item comes. */
export function byCurrency<T extends { currency: string }>(items: T[]): Array<{ currency: string; items: T[] }> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.currency, [...(groups.get(item.currency) ?? []), item]);
  return [...groups].map(([currency, group]) => ({ currency, items: group }));
}
