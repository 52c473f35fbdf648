/**
 * Bootstrap confidence intervals of a difference between two lists' figures, resampling
 * partners (seeded, so the same inputs always give the same interval). A partner is the unit:
 * pooled over key dates, a partner's rows at every key date are drawn together.
 */
import { isBad, type PartnerOutcome } from './outcome-figures';

export interface BootstrapOptions {
  /** Paired: a and b rank the same partners (draw a partner into both); unpaired: two arms drawn apart. */
  paired: boolean;
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
  /** Two-sided confidence level (default 0.95). */
  confidence?: number;
}

export interface BootstrapDifference {
  /** figure(b) - figure(a) on the data as it is. */
  difference: number | null;
  /** Percentile interval of the resampled differences. */
  low: number | null;
  high: number | null;
}

/** A small deterministic generator (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows grouped by partner, partners in order of first appearance. */
function unitsOf(rows: PartnerOutcome[]): PartnerOutcome[][] {
  const units = new Map<string, PartnerOutcome[]>();
  for (const r of rows) {
    const unit = units.get(r.partnerId);
    if (unit) unit.push(r);
    else units.set(r.partnerId, [r]);
  }
  return [...units.values()];
}

/** How often each of n units is drawn in one resample of n draws. */
function drawCounts(n: number, random: () => number): Uint32Array {
  const counts = new Uint32Array(n);
  for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]!++;
  return counts;
}

/** The rows of the drawn units, each as often as drawn, in the units' order. */
function expand(units: PartnerOutcome[][], counts: Uint32Array): PartnerOutcome[] {
  const out: PartnerOutcome[] = [];
  units.forEach((unit, i) => {
    for (let c = counts[i]!; c > 0; c--) for (const r of unit) out.push(r);
  });
  return out;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * figure(b) - figure(a) and its bootstrap percentile interval. Paired: the partners of a and b
 * together are the units; a drawn partner brings its rows of both lists. Unpaired: a's and b's
 * partners are drawn separately (two arms). Resamples where either figure is null are left out;
 * the interval is null when the difference is.
 */
export function bootstrapDifference(
  figure: (rows: PartnerOutcome[]) => number | null,
  a: PartnerOutcome[],
  b: PartnerOutcome[],
  options: BootstrapOptions,
): BootstrapDifference {
  const fa = figure(a);
  const fb = figure(b);
  if (fa === null || fb === null) return { difference: null, low: null, high: null };
  const random = seededRandom(options.seed ?? 1);
  const resamples = options.resamples ?? 1000;
  const diffs: number[] = [];
  const draw = options.paired ? pairedDraw(a, b) : unpairedDraw(a, b);
  for (let i = 0; i < resamples; i++) {
    const [ra, rb] = draw(random);
    const x = figure(ra);
    const y = figure(rb);
    if (x !== null && y !== null) diffs.push(y - x);
  }
  if (!diffs.length) return { difference: fb - fa, low: null, high: null };
  diffs.sort((x, y) => x - y);
  const alpha = (1 - (options.confidence ?? 0.95)) / 2;
  return { difference: fb - fa, low: quantile(diffs, alpha), high: quantile(diffs, 1 - alpha) };
}

type Draw = (random: () => number) => [PartnerOutcome[], PartnerOutcome[]];

function pairedDraw(a: PartnerOutcome[], b: PartnerOutcome[]): Draw {
  const ids = new Map<string, number>();
  for (const r of [...a, ...b]) if (!ids.has(r.partnerId)) ids.set(r.partnerId, ids.size);
  const unitsA: PartnerOutcome[][] = Array.from({ length: ids.size }, () => []);
  const unitsB: PartnerOutcome[][] = Array.from({ length: ids.size }, () => []);
  for (const r of a) unitsA[ids.get(r.partnerId)!]!.push(r);
  for (const r of b) unitsB[ids.get(r.partnerId)!]!.push(r);
  return (random) => {
    const counts = drawCounts(ids.size, random);
    return [expand(unitsA, counts), expand(unitsB, counts)];
  };
}

function unpairedDraw(a: PartnerOutcome[], b: PartnerOutcome[]): Draw {
  const unitsA = unitsOf(a);
  const unitsB = unitsOf(b);
  return (random) => [expand(unitsA, drawCounts(unitsA.length, random)), expand(unitsB, drawCounts(unitsB.length, random))];
}

// ---- the list figures at scale ------------------------------------------------------------

/** The intervals of the three ranking figures a backtest compares. */
export interface ListFigureIntervals {
  collectedShare: BootstrapDifference;
  captureAtCapacity: BootstrapDifference;
  auc: BootstrapDifference;
}

/**
 * One list's rows as arrays for weighted evaluation: a resample is a count per partner, so a
 * figure is a weighted sum, and nothing is copied or sorted per resample (a pooled backtest holds
 * a million rows or more). Sums per partner make the collected share O(partners); capture walks
 * only the top k of each key date; the AUC walks the rows once in valuation order.
 */
class WeightedList {
  /** Per unit (partner): collected and to be collected over its rows. */
  private readonly unitCollected: Float64Array;
  private readonly unitToBeCollected: Float64Array;
  /**
   * Valuation ascending, one entry per (tie, unit): the unit's bad and good rows in the tie and
   * whether it is the tie's last entry. A partner valued alike at several key dates is one entry,
   * so the AUC walk is shorter than the rows.
   */
  private readonly aucUnit: Uint32Array;
  private readonly aucBad: Uint32Array;
  private readonly aucGood: Uint32Array;
  private readonly aucTieEnd: Uint8Array;
  /** Per key date, rows in rank order: unit and collected (capture at capacity walks until k are counted). */
  private readonly ranked: Array<{ unit: Uint32Array; collected: Float64Array }>;

  constructor(
    rows: PartnerOutcome[],
    units: number,
    unitOf: (partnerId: string) => number,
    private readonly capacity: number,
  ) {
    const n = rows.length;
    const unit = new Uint32Array(n);
    const collected = new Float64Array(n);
    this.unitCollected = new Float64Array(units);
    this.unitToBeCollected = new Float64Array(units);
    const dates = new Map<string, number[]>();
    rows.forEach((r, i) => {
      const u = unitOf(r.partnerId);
      unit[i] = u;
      collected[i] = Number(r.collected);
      this.unitCollected[u]! += collected[i];
      this.unitToBeCollected[u]! += Number(r.toBeCollected);
      const list = dates.get(r.asOf);
      if (list) list.push(i);
      else dates.set(r.asOf, [i]);
    });
    const valuation = Float64Array.from(rows, (r) => r.valuation);
    const id = Float64Array.from(rows, (r) => Number(r.partnerId));
    const ascending = Uint32Array.from(rows.keys()).sort((x, y) => valuation[x]! - valuation[y]! || unit[x]! - unit[y]!);
    const entries: { unit: number[]; bad: number[]; good: number[]; tieEnd: number[] } = { unit: [], bad: [], good: [], tieEnd: [] };
    ascending.forEach((i, j) => {
      const last = entries.unit.length - 1;
      const sameEntry = j > 0 && valuation[ascending[j - 1]!] === valuation[i] && entries.unit[last] === unit[i];
      if (!sameEntry) {
        entries.unit.push(unit[i]!);
        entries.bad.push(0);
        entries.good.push(0);
        entries.tieEnd.push(0);
      }
      const e = entries.unit.length - 1;
      if (isBad(rows[i]!)) entries.bad[e]!++;
      else entries.good[e]!++;
      if (j === n - 1 || valuation[ascending[j + 1]!] !== valuation[i]) entries.tieEnd[e] = 1;
    });
    this.aucUnit = Uint32Array.from(entries.unit);
    this.aucBad = Uint32Array.from(entries.bad);
    this.aucGood = Uint32Array.from(entries.good);
    this.aucTieEnd = Uint8Array.from(entries.tieEnd);
    this.ranked = [...dates.values()].map((list) => {
      // All of them: a resample may draw none of the first k, so the walk may go further down. Rank: valuation desc, partner id.
      const top = Uint32Array.from(list).sort((x, y) => valuation[y]! - valuation[x]! || id[x]! - id[y]!);
      return { unit: Uint32Array.from(top, (i) => unit[i]!), collected: Float64Array.from(top, (i) => collected[i]!) };
    });
  }

  /** Collected share, capture at capacity and AUC with each unit counted `weight[unit]` times (null: once). */
  figures(weight: Uint32Array | null): [number | null, number | null, number | null] {
    let collected = 0;
    let toBeCollected = 0;
    for (let u = 0; u < this.unitCollected.length; u++) {
      const x = weight ? weight[u]! : 1;
      if (!x) continue;
      collected += x * this.unitCollected[u]!;
      toBeCollected += x * this.unitToBeCollected[u]!;
    }
    return [toBeCollected > 0 ? collected / toBeCollected : null, this.capture(weight, collected), this.auc(weight)];
  }

  private capture(weight: Uint32Array | null, total: number): number | null {
    if (!(total > 0)) return null;
    let top = 0;
    for (const { unit, collected } of this.ranked) {
      let left = this.capacity;
      for (let j = 0; j < unit.length && left > 0; j++) {
        const take = Math.min(weight ? weight[unit[j]!]! : 1, left);
        top += take * collected[j]!;
        left -= take;
      }
    }
    return top / total;
  }

  /** Weighted Mann-Whitney: each bad row scores the good weight below it plus half the good weight tied with it. */
  private auc(weight: Uint32Array | null): number | null {
    const { aucUnit, aucBad, aucGood, aucTieEnd } = this;
    let goodBelow = 0;
    let badTotal = 0;
    let sum = 0;
    let bad = 0;
    let good = 0;
    for (let j = 0; j < aucUnit.length; j++) {
      const x = weight ? weight[aucUnit[j]!]! : 1;
      bad += x * aucBad[j]!;
      good += x * aucGood[j]!;
      if (aucTieEnd[j]) {
        sum += bad * (goodBelow + good / 2);
        goodBelow += good;
        badTotal += bad;
        bad = 0;
        good = 0;
      }
    }
    return badTotal > 0 && goodBelow > 0 ? sum / (badTotal * goodBelow) : null;
  }
}

/**
 * figure(b) - figure(a) with bootstrap intervals for collected share, capture at capacity and
 * AUC at once, drawing partners exactly as `bootstrapDifference` does (same seed, same draws,
 * same intervals up to float rounding) but by weights, without copying or sorting rows.
 */
export function bootstrapListFigures(a: PartnerOutcome[], b: PartnerOutcome[], capacity: number, options: BootstrapOptions): ListFigureIntervals {
  const random = seededRandom(options.seed ?? 1);
  const resamples = options.resamples ?? 1000;
  let listA: WeightedList;
  let listB: WeightedList;
  let draw: () => [Uint32Array, Uint32Array];
  if (options.paired) {
    const ids = new Map<string, number>();
    for (const r of [...a, ...b]) if (!ids.has(r.partnerId)) ids.set(r.partnerId, ids.size);
    listA = new WeightedList(a, ids.size, (id) => ids.get(id)!, capacity);
    listB = new WeightedList(b, ids.size, (id) => ids.get(id)!, capacity);
    draw = () => {
      const counts = drawCounts(ids.size, random);
      return [counts, counts];
    };
  } else {
    const idsA = unitIndex(a);
    const idsB = unitIndex(b);
    listA = new WeightedList(a, idsA.size, (id) => idsA.get(id)!, capacity);
    listB = new WeightedList(b, idsB.size, (id) => idsB.get(id)!, capacity);
    draw = () => [drawCounts(idsA.size, random), drawCounts(idsB.size, random)];
  }
  const base = [listA.figures(null), listB.figures(null)] as const;
  const diffs: number[][] = [[], [], []];
  for (let i = 0; i < resamples; i++) {
    const [wa, wb] = draw();
    const fa = listA.figures(wa);
    const fb = listB.figures(wb);
    for (let f = 0; f < 3; f++) if (fa[f] != null && fb[f] != null) diffs[f]!.push(fb[f]! - fa[f]!);
  }
  const interval = (f: number): BootstrapDifference => {
    const [x, y] = [base[0][f], base[1][f]];
    if (x == null || y == null) return { difference: null, low: null, high: null };
    const d = diffs[f]!.sort((p, q) => p - q);
    if (!d.length) return { difference: y - x, low: null, high: null };
    const alpha = (1 - (options.confidence ?? 0.95)) / 2;
    return { difference: y - x, low: quantile(d, alpha), high: quantile(d, 1 - alpha) };
  };
  return { collectedShare: interval(0), captureAtCapacity: interval(1), auc: interval(2) };
}

/** Partner id -> unit index, in order of first appearance (as `unitsOf`). */
function unitIndex(rows: PartnerOutcome[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const r of rows) if (!ids.has(r.partnerId)) ids.set(r.partnerId, ids.size);
  return ids;
}
