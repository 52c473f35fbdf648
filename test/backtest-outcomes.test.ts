import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Before the services: it loads reflect-metadata, which the type-graphql types the services reach need.
import { openTestDatabase } from './support/database';
import {
  bootstrapDifference,
  collectedShareOf,
  measureOutcomes,
  measurePartnerOutcomes,
  outcomesByBand,
  summariseOutcomes,
  type ListedPartner,
  type PartnerOutcome,
} from '../packages/server/src/backtests/index';
import type { Database } from '../packages/server/src/db/database';
import { insertPartners, insertSegment, query } from './support/worklist-fixtures';

/**
 * The outcomes module (issue 18) on a hand-built ledger: key date D = 2026-03-01, h = 30, so the
 * window is (2026-03-01, 2026-03-31]. Every expected figure is worked out below from the rows.
 *
 * 8101  I11 1000 EUR due 02-01, open 0 today; paid 400 ON D (not in the window), 600 on 03-10.
 *         Open at D = min(1000, 0 + 600) = 600 (overdue), open at D+h = 0: cured. Collected 600.
 *       I12 500 due 03-20, open 500: not overdue at D, nothing paid.
 * 8102  I21 2000 EUR due 2025-12-20 (71 days overdue at D, 101 at D+h), open 1500; paid 500 on 03-15.
 *         Open at D 2000, at D+h 1500: not cured, rolled. Collected 500.
 *       Promises on I21 (tolerance 3): promised 03-05 (deadline 03-08, nothing paid by then) BROKEN
 *         in the window; promised 02-19 (deadline 02-22: before the window) not counted; promised
 *         03-14 (deadline 03-17, 400 <= 500 paid 03-15) KEPT; promised 03-29 (deadline 04-01:
 *         after the window) not counted. Promises broken: 1.
 * 8103  I31 1000 USD due 02-10, open 0; paid 1000 USD on 03-20: collected at the rate of D
 *         (0.9 of 02-01, not 0.8 of 03-15) = 900 EUR; cured.
 *       I32 documented 03-05 (after D), paid 200 in the window: not on the list's books at D.
 *       I33 300 EUR, paid 02-20 (before D): closed at D, neither overdue nor collected.
 * 8104  I41 700 EUR due 04-15 (not overdue), open 600; paid 100 on 03-25: collected 100, cured null.
 * 8105  I51 300 EUR due 02-19 (10 days overdue), open 300, unpaid: not cured, not rolled (40 days
 *         at D+h). A payment on account (no item) of 50 in the window is not collected.
 *
 * toBeCollected: 8101-8103 carry theirs (600, 2000, 900, as a run's items would); 8104 and 8105
 * are measured by the fact's SQL: 0 (nothing overdue) and 300.
 * Whole list: to be collected 3800, collected 2100, share 2100/3800; cure 2 of 4 overdue; roll 1 of 5.
 * Valuations 8102: 80, 8101/8103/8105: 50, 8104: 10. Capacity 2 takes 8102 and 8101 (the tie at 50
 * goes to the lower id): (500 + 600) / 2100. AUC, bad = 8102 (rolled) and 8105 (not cured), good =
 * 8101, 8103, 8104: 8102 beats all three (3), 8105 ties 8101 and 8103 (2 x 1/2) and beats 8104 (1): 5/6.
 */
let db: Database;
const D = '2026-03-01';
const window = { asOf: D, horizonDays: 30, currency: 'EUR' };
const listed: ListedPartner[] = [
  { partnerId: '8101', valuation: 50, priority: 1, toBeCollected: '600.0000' },
  { partnerId: '8102', valuation: 80, priority: 1, toBeCollected: '2000.0000' },
  { partnerId: '8103', valuation: 50, priority: 2, toBeCollected: '900.0000' },
  { partnerId: '8104', valuation: 10, priority: 3 },
  { partnerId: '8105', valuation: 50, priority: 2 },
];

async function item(id: number, partner: number, due: string, amount: number, open: number, currency = 'EUR', documented = '2025-11-01'): Promise<void> {
  await query(
    db,
    `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level, dunning_block)
     VALUES ($1, $2, $3, '1000', $4, $5, $6, $7, $8, 0, false)`,
    [id, `I${id}`, partner, documented, due, amount, open, currency],
  );
}
async function payment(id: number, partner: number, itemId: number | null, date: string, amount: number, currency = 'EUR'): Promise<void> {
  await query(db, `INSERT INTO payments (id, external_id, partner_id, item_id, payment_date, amount, currency) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    id,
    `Y${id}`,
    partner,
    itemId,
    date,
    amount,
    currency,
  ]);
}
async function promise(id: number, itemId: number, created: string, promised: string, amount: number): Promise<void> {
  await query(
    db,
    `INSERT INTO promises (id, external_id, partner_id, item_id, created_date, promised_date, amount, currency, cancelled) VALUES ($1, $2, 8102, $3, $4, $5, $6, 'EUR', false)`,
    [id, `Q${id}`, itemId, created, promised, amount],
  );
}

beforeAll(async () => {
  db = await openTestDatabase();
  await query(db, `INSERT INTO company_codes (code, name, promise_tolerance_days) VALUES ('1000', 'Main', 3)`);
  await insertSegment(db, 'BT', [{ key: 'BT_G', strategyKey: null }]);
  await insertPartners(
    db,
    [8101, 8102, 8103, 8104, 8105].map((id) => ({ id, segment: 'BT' })),
  );
  await query(
    db,
    `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('USD', 'EUR', '2026-02-01', 0.9), ('USD', 'EUR', '2026-03-15', 0.8)`,
  );
  await item(11, 8101, '2026-02-01', 1000, 0);
  await item(12, 8101, '2026-03-20', 500, 500);
  await payment(1, 8101, 11, D, 400);
  await payment(2, 8101, 11, '2026-03-10', 600);
  await item(21, 8102, '2025-12-20', 2000, 1500);
  await payment(3, 8102, 21, '2026-03-15', 500);
  await promise(1, 21, '2026-02-20', '2026-03-05', 800);
  await promise(2, 21, '2026-02-10', '2026-02-19', 800);
  await promise(3, 21, '2026-03-01', '2026-03-14', 400);
  await promise(4, 21, '2026-03-01', '2026-03-29', 800);
  await item(31, 8103, '2026-02-10', 1000, 0, 'USD');
  await payment(4, 8103, 31, '2026-03-20', 1000, 'USD');
  await item(32, 8103, '2026-03-20', 200, 0, 'EUR', '2026-03-05');
  await payment(5, 8103, 32, '2026-03-21', 200);
  await item(33, 8103, '2026-02-25', 300, 0);
  await payment(6, 8103, 33, '2026-02-20', 300);
  await item(41, 8104, '2026-04-15', 700, 600);
  await payment(7, 8104, 41, '2026-03-25', 100);
  await item(51, 8105, '2026-02-19', 300, 300);
  await payment(8, 8105, null, '2026-03-10', 50);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('measurePartnerOutcomes on a hand-built ledger', () => {
  let rows: PartnerOutcome[];
  beforeAll(async () => {
    rows = await measurePartnerOutcomes(db, listed, window);
  });

  it('measures each partner by the point-in-time rule', () => {
    const by = new Map(rows.map((r) => [r.partnerId, r]));
    expect(rows.map((r) => r.partnerId)).toEqual(['8101', '8102', '8103', '8104', '8105']);
    expect(by.get('8101')).toMatchObject({ asOf: D, collected: '600.0000', cured: true, rolled: false, promisesBroken: 0, toBeCollected: '600.0000' });
    expect(by.get('8102')).toMatchObject({ collected: '500.0000', cured: false, rolled: true, promisesBroken: 1 });
    expect(by.get('8103')).toMatchObject({ collected: '900.0000', cured: true, rolled: false, promisesBroken: 0 });
    expect(by.get('8104')).toMatchObject({ collected: '100.0000', cured: null, rolled: false, toBeCollected: '0.0000' });
    expect(by.get('8105')).toMatchObject({ collected: '0.0000', cured: false, rolled: false, toBeCollected: '300.0000' });
  });

  it('sums the whole list', () => {
    const f = summariseOutcomes(rows, 2);
    expect(f).toMatchObject({ partners: 5, toBeCollected: '3800.0000', collected: '2100.0000', cureRate: 0.5, rollRate: 0.2, promisesBroken: 1, capacity: 2 });
    expect(f.collectedShare).toBeCloseTo(2100 / 3800, 12);
    expect(f.captureAtCapacity).toBeCloseTo(1100 / 2100, 12);
    expect(f.auc).toBeCloseTo(5 / 6, 12);
  });

  it('sums per priority band', () => {
    const bands = outcomesByBand(rows, 1);
    expect(bands.map((b) => b.priority)).toEqual([1, 2, 3]);
    expect(bands[0]!.figures).toMatchObject({ partners: 2, collected: '1100.0000', toBeCollected: '2600.0000', cureRate: 0.5, rollRate: 0.5 });
    // Band 1 at capacity 1: 8102 (valuation 80) holds 500 of 1100.
    expect(bands[0]!.figures.captureAtCapacity).toBeCloseTo(500 / 1100, 12);
    expect(bands[1]!.figures).toMatchObject({ partners: 2, collected: '900.0000', toBeCollected: '1200.0000', cureRate: 0.5, rollRate: 0 });
    expect(bands[2]!.figures).toMatchObject({ partners: 1, collected: '100.0000', cureRate: null, auc: null });
  });

  it('measures several key dates in one read, each by its own window', async () => {
    const later = '2026-03-15';
    const [atD, atLater] = await measureOutcomes(
      db,
      [
        { asOf: D, partners: listed },
        {
          asOf: later,
          partners: [
            { partnerId: '8101', valuation: 1, priority: 1 },
            { partnerId: '8102', valuation: 1, priority: 1 },
          ],
        },
      ],
      { horizonDays: 30, currency: 'EUR' },
    );
    expect(atD).toEqual(rows);
    // At 03-15 item I11 is closed (the 600 came on 03-10): nothing of 8101 is open or collected.
    expect(atLater![0]).toMatchObject({ asOf: later, collected: '0.0000', cured: null, rolled: false });
    // 8102 at 03-15: I21 open 1500 (the 500 is dated on the key date), 85 days overdue, unpaid by 04-14: rolled, not cured;
    // the promise of 03-29 (deadline 04-01) falls in (03-15, 04-14] but is PARTIALLY_KEPT (500 of 800 paid): not broken.
    expect(atLater![1]).toMatchObject({ collected: '0.0000', cured: false, rolled: true, promisesBroken: 0 });
  });

  it('fails naming the pair when a collected payment has no rate on or before D', async () => {
    await expect(measurePartnerOutcomes(db, listed.slice(2, 3), { ...window, currency: 'GBP' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/USD->GBP|EUR->GBP/),
    });
  });

  it('bootstraps a difference of rankings of the same partners, paired and deterministic', () => {
    const byValuation = rows;
    const reversed = rows.map((r) => ({ ...r, valuation: -r.valuation }));
    const capture = (x: PartnerOutcome[]) => summariseOutcomes(x, 2).captureAtCapacity;
    const one = bootstrapDifference(capture, byValuation, reversed, { paired: true, seed: 7, resamples: 200 });
    const two = bootstrapDifference(capture, byValuation, reversed, { paired: true, seed: 7, resamples: 200 });
    expect(one).toEqual(two);
    // Reversed: top 2 are 8104 (10 -> -10) and then the lowest id of the ties at -50 (8101): (100 + 600) / 2100.
    expect(one.difference).toBeCloseTo(700 / 2100 - 1100 / 2100, 12);
    expect(one.low!).toBeLessThanOrEqual(one.high!);
    // The same partners: the whole list's collected share cannot differ, in any resample.
    expect(bootstrapDifference(collectedShareOf, byValuation, reversed, { paired: true, resamples: 100 })).toEqual({ difference: 0, low: 0, high: 0 });
  });
});
