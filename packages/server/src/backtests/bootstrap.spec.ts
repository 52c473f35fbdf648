import { describe, expect, it } from 'vitest';
import { bootstrapDifference, bootstrapListFigures, seededRandom } from './bootstrap';
import { auc, collectedShareOf, summariseOutcomes, type PartnerOutcome } from './outcome-figures';

const row = (partnerId: string, valuation: number, collected: number, asOf = '2026-01-05'): PartnerOutcome => ({
  partnerId,
  valuation,
  priority: 1,
  asOf,
  toBeCollected: '100.0000',
  collected: `${collected}.0000`,
  cured: collected >= 100,
  rolled: false,
  promisesBroken: 0,
});

/** 200 partners; partner i collects (i % 10) * 10; `good` ranks by what they will collect, `noise` by id parity. */
const partners = Array.from({ length: 200 }, (_, i) => ({ id: String(i + 1), collected: (i % 10) * 10 }));
const good = partners.map((p) => row(p.id, p.collected, p.collected));
const noise = partners.map((p) => row(p.id, Number(p.id) % 2, p.collected));
const capture = (rows: PartnerOutcome[]) => summariseOutcomes(rows, 20).captureAtCapacity;

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
  });
});

describe('bootstrapDifference', () => {
  it('paired: a ranking that puts the payers first beats a parity ranking beyond noise', () => {
    const r = bootstrapDifference(capture, noise, good, { paired: true, resamples: 300, seed: 3 });
    expect(r.difference!).toBeGreaterThan(0);
    expect(r.low!).toBeGreaterThan(0);
    expect(r.high!).toBeGreaterThanOrEqual(r.difference! - 1e-12);
    expect(bootstrapDifference(capture, noise, good, { paired: true, resamples: 300, seed: 3 })).toEqual(r);
    const other = bootstrapDifference(capture, noise, good, { paired: true, resamples: 300, seed: 4 });
    expect(other.difference).toBe(r.difference);
    expect(other.low).not.toBe(r.low);
  });

  it('paired over identical lists gives a zero difference and a zero-width interval', () => {
    expect(bootstrapDifference(capture, good, good, { paired: true, resamples: 50 })).toEqual({ difference: 0, low: 0, high: 0 });
  });

  it('unpaired: two arms of the same population (each collects 0..90 ten times) have an interval around zero', () => {
    const armA = good.slice(0, 100);
    const armB = good.slice(100);
    const r = bootstrapDifference(collectedShareOf, armA, armB, { paired: false, resamples: 400, seed: 9 });
    expect(r.low!).toBeLessThan(0);
    expect(r.high!).toBeGreaterThan(0);
    // A wider confidence gives a wider interval.
    const wide = bootstrapDifference(collectedShareOf, armA, armB, { paired: false, resamples: 400, seed: 9, confidence: 0.99 });
    expect(wide.high! - wide.low!).toBeGreaterThan(r.high! - r.low!);
  });

  it('draws a partner with all its key dates (pooled rows resampled by partner)', () => {
    // Two key dates; the same partner collects the same at both: a resample keeps the pairs together, so the
    // collected share of a resample of 'twice' equals that of the matching resample of 'once'.
    const once = good.slice(0, 50);
    const twice = [...once, ...once.map((r) => ({ ...r, asOf: '2026-01-12' }))];
    const r = bootstrapDifference(collectedShareOf, once, twice, { paired: true, resamples: 100, seed: 5 });
    expect(r.difference).toBeCloseTo(0, 12);
    expect(r.low!).toBeCloseTo(0, 12);
    expect(r.high!).toBeCloseTo(0, 12);
  });

  it('is null when the figure is', () => {
    expect(bootstrapDifference(() => null, good, good, { paired: true })).toEqual({ difference: null, low: null, high: null });
  });
});

describe('bootstrapListFigures', () => {
  /** Two key dates, ties in valuation, partners missing from one list, bad and good partners. */
  const random = seededRandom(11);
  const rowsOf = (shift: number): PartnerOutcome[] =>
    ['2026-01-05', '2026-01-12'].flatMap((asOf) =>
      Array.from({ length: 60 }, (_, i) => ({
        partnerId: String(i + 1),
        valuation: Math.floor(random() * 8) + shift * (i % 3),
        priority: 1,
        asOf,
        toBeCollected: `${100 + i}.0000`,
        collected: `${Math.floor(random() * 90)}.0000`,
        cured: random() < 0.3 ? false : random() < 0.5 ? null : true,
        rolled: random() < 0.1,
        promisesBroken: 0,
      })),
    );
  const a = rowsOf(0);
  const b = rowsOf(2).filter((r) => r.partnerId !== '7');

  it.each([true, false])('gives the intervals bootstrapDifference gives with the same draws (paired %s)', (paired) => {
    const options = { paired, resamples: 150, seed: 21 };
    const fast = bootstrapListFigures(a, b, 5, options);
    const slow = {
      collectedShare: bootstrapDifference(collectedShareOf, a, b, options),
      captureAtCapacity: bootstrapDifference((rows) => summariseOutcomes(rows, 5).captureAtCapacity, a, b, options),
      auc: bootstrapDifference(auc, a, b, options),
    };
    for (const figure of ['collectedShare', 'captureAtCapacity', 'auc'] as const) {
      for (const part of ['difference', 'low', 'high'] as const) {
        expect(fast[figure][part], `${figure}.${part}`).toBeCloseTo(slow[figure][part]!, 10);
      }
    }
  });
});
