/**
 * Outcome figures of a list (DESIGN.md "Outcomes and analytics"): pure functions over the
 * per-partner outcomes that `measurePartnerOutcomes` reads. Money is summed exactly (bigint
 * units); ratios, shares and the AUC are floats.
 */
import { fromUnits, toUnits } from '../fx/money';
import { compareIds } from '../graphql/scalars';

/** A partner on a list at key date D: its score and band (priority). */
export interface ListedPartner {
  partnerId: string;
  /** The ranking score: higher is worked first (a strategy's valuation, or a baseline's key). */
  valuation: number;
  priority: number | null;
  /** amountToBeCollected at D in the strategy currency, when the caller knows it (a run's item); else measured. */
  toBeCollected?: string;
}

export interface OutcomeWindow {
  /** Key date D. */
  asOf: string;
  /** h: the window is (D, D + h]. */
  horizonDays: number;
  /** The strategy currency every amount is converted into (latest rate on or before D). */
  currency: string;
}

/** DESIGN.md "Outcomes and analytics" per partner over (D, D + h]. Money as decimal strings. */
export interface PartnerOutcome extends ListedPartner {
  /** Key date D of the list the partner was on. */
  asOf: string;
  /** amountToBeCollected at D (strategy currency). */
  toBeCollected: string;
  /** Payments dated in the window on items open at D (strategy currency). */
  collected: string;
  /** All items overdue at D are paid or closed at D + h; null when nothing was overdue at D. */
  cured: boolean | null;
  /** Some item 1-89 days overdue at D is 90+ days overdue at D + h and still open. */
  rolled: boolean;
  /** Promises whose deadline (promised date + tolerance) falls in the window and that are BROKEN at D + h. */
  promisesBroken: number;
}

export interface OutcomeFigures {
  partners: number;
  toBeCollected: string;
  collected: string;
  /** collected / toBeCollected; null when nothing was to be collected. */
  collectedShare: number | null;
  /** Cured partners / partners with something overdue at D; null when none had. */
  cureRate: number | null;
  /** Partners that rolled to 90+ / partners. */
  rollRate: number | null;
  promisesBroken: number;
  /** Share of the window's collected amount held by the `capacity` highest-ranked partners (per key date, pooled); null when nothing was collected. */
  captureAtCapacity: number | null;
  capacity: number;
  /** AUC of the valuation against "rolled or not cured" (bad = positive, ties one half); null without both classes. */
  auc: number | null;
}

/** Worse outcome: rolled to 90+, or something overdue at D still unpaid at D + h. */
export function isBad(row: PartnerOutcome): boolean {
  return row.rolled || row.cured === false;
}

/** Worklist order within a list: valuation desc, then partner id (numeric ids compared as numbers). */
export function byRank(a: ListedPartner, b: ListedPartner): number {
  return b.valuation - a.valuation || compareIds(a.partnerId, b.partnerId);
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

const FOUR_DECIMALS = /^-?\d+\.\d{4}$/;
/** Money units of an amount; the 4-decimal text SQL gives (numeric(19,4), round(x, 4)) without the general parser. */
function units(amount: string): bigint {
  return FOUR_DECIMALS.test(amount) ? BigInt(amount.replace('.', '')) : toUnits(amount);
}

/** Whole-list figures; ranking for capture/AUC by valuation desc (ties by partner id). */
export function summariseOutcomes(rows: PartnerOutcome[], capacity: number): OutcomeFigures {
  let toBeCollected = 0n;
  let collected = 0n;
  let overdue = 0;
  let cured = 0;
  let rolled = 0;
  let promisesBroken = 0;
  for (const r of rows) {
    toBeCollected += units(r.toBeCollected);
    collected += units(r.collected);
    if (r.cured !== null) overdue++;
    if (r.cured) cured++;
    if (r.rolled) rolled++;
    promisesBroken += r.promisesBroken;
  }
  return {
    partners: rows.length,
    toBeCollected: fromUnits(toBeCollected),
    collected: fromUnits(collected),
    collectedShare: toBeCollected > 0n ? Number(collected) / Number(toBeCollected) : null,
    cureRate: ratio(cured, overdue),
    rollRate: ratio(rolled, rows.length),
    promisesBroken,
    captureAtCapacity: captureAtCapacity(rows, capacity),
    capacity,
    auc: auc(rows),
  };
}

/** The figures per priority band (bands ascending, off-band null last). */
export function outcomesByBand(rows: PartnerOutcome[], capacity: number): Array<{ priority: number | null; figures: OutcomeFigures }> {
  const bands = new Map<number | null, PartnerOutcome[]>();
  for (const r of rows) {
    const band = bands.get(r.priority);
    if (band) band.push(r);
    else bands.set(r.priority, [r]);
  }
  return [...bands]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a - b))
    .map(([priority, band]) => ({ priority, figures: summariseOutcomes(band, capacity) }));
}

/** collected / toBeCollected as a float (the bootstrap's figure). */
export function collectedShareOf(rows: PartnerOutcome[]): number | null {
  let c = 0;
  let t = 0;
  for (const r of rows) {
    c += Number(r.collected);
    t += Number(r.toBeCollected);
  }
  return t > 0 ? c / t : null;
}

/**
 * Share of the collected amount held by the top `capacity` partners of each key date's list
 * (rank: valuation desc, partner id), pooled over the key dates: sum of the top-k collected over
 * sum of all collected. Null when nothing was collected.
 */
export function captureAtCapacity(rows: PartnerOutcome[], capacity: number): number | null {
  const byDate = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const list = byDate.get(r.asOf);
    if (list) list.push(i);
    else byDate.set(r.asOf, [i]);
  });
  const { valuation, id, collected } = sortKeys(rows);
  let top = 0;
  let all = 0;
  for (const list of byDate.values()) {
    for (const i of list) all += collected[i]!;
    // Typed keys: a list of a million rows sorts in a fraction of the time objects take.
    const ranked = Uint32Array.from(list).sort((x, y) => valuation[y]! - valuation[x]! || id[x]! - id[y]!);
    for (let j = 0; j < ranked.length && j < capacity; j++) top += collected[ranked[j]!]!;
  }
  return all > 0 ? top / all : null;
}

/**
 * Valuation, numeric partner id and collected of each row, as typed arrays for sorting and summing;
 * collected in whole units of 1e-4, so that its sums are exact (below 2^53) and do not depend on
 * the order the rows came in.
 */
function sortKeys(rows: PartnerOutcome[]): { valuation: Float64Array; id: Float64Array; collected: Float64Array } {
  const valuation = new Float64Array(rows.length);
  const id = new Float64Array(rows.length);
  const collected = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    valuation[i] = r.valuation;
    id[i] = Number(r.partnerId);
    collected[i] = FOUR_DECIMALS.test(r.collected) ? Number(r.collected.replace('.', '')) : Number(toUnits(r.collected));
  });
  return { valuation, id, collected };
}

/**
 * Area under the ROC curve of the valuation as a score for "bad" (isBad): the probability that a
 * bad partner is valued above a good one, ties counting one half (Mann-Whitney with mid-ranks).
 * Null unless both classes are present.
 */
export function auc(rows: PartnerOutcome[]): number | null {
  const v = Float64Array.from(rows, (r) => r.valuation);
  const bad = Uint8Array.from(rows, (r) => (isBad(r) ? 1 : 0));
  const order = Uint32Array.from(rows.keys()).sort((x, y) => v[x]! - v[y]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    let badInTie = 0;
    while (j < order.length && v[order[j]!] === v[order[i]!]) {
      badInTie += bad[order[j]!]!;
      j++;
    }
    // Ranks i+1 .. j share the mid-rank.
    rankSum += badInTie * ((i + 1 + j) / 2);
    positives += badInTie;
    i = j;
  }
  const negatives = order.length - positives;
  if (!positives || !negatives) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** The same partners' outcomes ranked by another score (a baseline, another strategy's valuation). */
export function reranked(
  rows: PartnerOutcome[],
  score: (row: PartnerOutcome) => number,
  priority: (row: PartnerOutcome) => number | null = () => null,
): PartnerOutcome[] {
  return rows.map((r) => ({ ...r, valuation: score(r), priority: priority(r) }));
}
