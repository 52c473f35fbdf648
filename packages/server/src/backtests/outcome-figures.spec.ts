import { describe, expect, it } from 'vitest';
import { auc, captureAtCapacity, outcomesByBand, summariseOutcomes, type PartnerOutcome } from './outcome-figures';

const row = (partnerId: string, valuation: number, o: Partial<PartnerOutcome> = {}): PartnerOutcome => ({
  partnerId,
  valuation,
  priority: 1,
  asOf: '2026-01-05',
  toBeCollected: '100.0000',
  collected: '0.0000',
  cured: true,
  rolled: false,
  promisesBroken: 0,
  ...o,
});

describe('auc', () => {
  it('is 1 when every bad partner is valued above every good one, 0 when below', () => {
    const rows = [row('1', 9, { cured: false }), row('2', 8, { rolled: true }), row('3', 2), row('4', 1)];
    expect(auc(rows)).toBe(1);
    expect(auc(rows.map((r) => ({ ...r, valuation: -r.valuation })))).toBe(0);
  });

  it('counts a tie between a bad and a good partner one half', () => {
    // Bad 5 vs good 5 (tie: 1/2) and vs good 3 (1); bad 1 vs both (0): 1.5 of 4 pairs.
    const rows = [row('1', 5, { cured: false }), row('2', 1, { cured: false }), row('3', 5), row('4', 3)];
    expect(auc(rows)).toBe(1.5 / 4);
    // All tied: 1/2.
    expect(auc(rows.map((r) => ({ ...r, valuation: 7 })))).toBe(0.5);
  });

  it('is null without both classes; nothing overdue (cured null) counts as good', () => {
    expect(auc([row('1', 1), row('2', 2)])).toBeNull();
    expect(auc([row('1', 1, { cured: null }), row('2', 2, { cured: false })])).toBe(1);
  });
});

describe('captureAtCapacity', () => {
  it('takes the top k per key date by valuation desc, ties by numeric partner id, pooled over key dates', () => {
    const rows = [
      row('10', 5, { collected: '10.0000' }),
      row('9', 5, { collected: '30.0000' }),
      row('1', 1, { collected: '60.0000' }),
      row('10', 0, { asOf: '2026-01-12', collected: '100.0000' }),
      row('9', 1, { asOf: '2026-01-12', collected: '0.0000' }),
    ];
    // 01-05: top 1 = partner 9 (tie at 5, id 9 < 10): 30 of 100; 01-12: top 1 = partner 9: 0 of 100.
    expect(captureAtCapacity(rows, 1)).toBe(30 / 200);
    expect(captureAtCapacity(rows, 5)).toBe(1);
    expect(captureAtCapacity([row('1', 1)], 1)).toBeNull();
  });
});

describe('summariseOutcomes', () => {
  it('sums money exactly and counts rates over their own denominators', () => {
    const rows = [
      row('1', 3, { toBeCollected: '0.1000', collected: '0.2000', cured: null }),
      row('2', 2, { toBeCollected: '0.2000', collected: '0.1000', cured: false, rolled: true, promisesBroken: 2 }),
      row('3', 1, { toBeCollected: '0.0001', cured: true, promisesBroken: 1 }),
    ];
    const f = summariseOutcomes(rows, 2);
    expect(f).toMatchObject({ partners: 3, toBeCollected: '0.3001', collected: '0.3000', cureRate: 0.5, rollRate: 1 / 3, promisesBroken: 3, capacity: 2 });
    expect(f.collectedShare).toBe(3000 / 3001);
    expect(summariseOutcomes([], 5)).toMatchObject({ partners: 0, collectedShare: null, cureRate: null, rollRate: null, captureAtCapacity: null, auc: null });
  });

  it('groups by band, bands ascending and off-band last', () => {
    const rows = [row('1', 1, { priority: null }), row('2', 1, { priority: 3 }), row('3', 1, { priority: 1 }), row('4', 1, { priority: 3 })];
    expect(outcomesByBand(rows, 1).map((b) => [b.priority, b.figures.partners])).toEqual([
      [1, 1],
      [3, 2],
      [null, 1],
    ]);
  });
});
