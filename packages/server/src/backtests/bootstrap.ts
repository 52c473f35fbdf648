/**
 * Bootstrap confidence intervals of a difference between two lists' figures, resampling
 * partners (seeded, so the same inputs always give the same interval). A partner is the unit:
 * pooled over key dates, a partner's rows at every key date are drawn together.
 */
import type { PartnerOutcome } from './outcome-figures';

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
