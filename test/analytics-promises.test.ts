import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { insertLedger, ITEMS } from './support/analytics-ledger';
import { openTestDatabase } from './support/database';
import { query } from './support/worklist-fixtures';

/**
 * Promises on the ledger of support/analytics-ledger.ts, judged at 2026-03-31 (tolerance 3 days):
 *   P1 partner 1 on B, made 02-15, 300 by 03-01; nothing paid by 03-04            BROKEN
 *   P2 partner 1 on A, made 02-01, 400 by 02-09; 400 paid 02-10 (1 day late)      KEPT
 *   P3 partner 2 on E, made 02-26, 300 by 03-03, level 2; 250 paid 03-05 (2 late) PARTIALLY_KEPT
 *   P4 partner 3 on D, made 03-10, 100 USD by 04-30 (x 0.8 at 03-31 = 80)          OPEN
 *   P5 partner 2 on C, made 03-01, 100 by 03-20, cancelled 03-05                   CANCELLED
 *   P6 partner 1 on B, made 01-10: before the period, not counted.
 * Made 5 for 1180; promised (not cancelled) 1080, paid 0 + 400 + 250 + 0 = 650; kept 1 of 3 judged
 * = 33.33 %; days late (1 + 2) / 2 = 1.50.
 */
const PROMISES = `query ($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy) {
  analyticsPromises(filter: $filter, groupBy: $groupBy) {
    asOf totalGroups
    rows { group { key label } made { count amount } kept { count amount } partiallyKept { count amount } broken { count amount }
      open { count amount } cancelled { count amount } promisedAmount paidAmount keptPercent averageDaysLate }
  }
}`;
const FILTER = { from: '2026-02-01', to: '2026-03-31', currency: 'EUR' };

let db: Database;
let app: RunningApp;
let admin: string;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await startApp(db, 0);
  await insertLedger(db);
  const promises: Array<[number, number, number, string, string, number, string, number, string | null]> = [
    [1, 1, ITEMS.B, '2026-02-15', '2026-03-01', 300, 'EUR', 1, null],
    [2, 1, ITEMS.A, '2026-02-01', '2026-02-09', 400, 'EUR', 1, null],
    [3, 2, ITEMS.E, '2026-02-26', '2026-03-03', 300, 'EUR', 2, null],
    [4, 3, ITEMS.D, '2026-03-10', '2026-04-30', 100, 'USD', 1, null],
    [5, 2, ITEMS.C, '2026-03-01', '2026-03-20', 100, 'EUR', 1, '2026-03-05'],
    [6, 1, ITEMS.B, '2026-01-10', '2026-01-20', 999, 'EUR', 1, null],
  ];
  for (const [id, partner, item, created, promised, amount, currency, level, cancelled] of promises) {
    await query(
      db,
      `INSERT INTO promises (id, external_id, partner_id, item_id, created_date, promised_date, amount, currency, level, cancelled, cancelled_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [id, `Q${id}`, partner, item, created, promised, amount, currency, level, cancelled !== null, cancelled],
    );
  }
  admin = await createTestToken(db, 'ADMIN');
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const report = async (variables: Record<string, unknown>, token = admin) => gql(app.url, PROMISES, { filter: FILTER, ...variables }, token);

describe('analyticsPromises', () => {
  it('counts and sums each outcome, promised vs paid and days late as worked out by hand', async () => {
    const { data, errors } = await report({});
    expect(errors).toBeUndefined();
    expect(data.analyticsPromises.asOf).toBe('2026-03-31');
    expect(data.analyticsPromises.rows).toEqual([
      {
        group: { key: null, label: null },
        made: { count: 5, amount: '1180.0000' },
        kept: { count: 1, amount: '400.0000' },
        partiallyKept: { count: 1, amount: '300.0000' },
        broken: { count: 1, amount: '300.0000' },
        open: { count: 1, amount: '80.0000' },
        cancelled: { count: 1, amount: '100.0000' },
        promisedAmount: '1080.0000',
        paidAmount: '650.0000',
        keptPercent: '33.33',
        averageDaysLate: '1.50',
      },
    ]);
  });

  it('groups by level, by specialist and by the promise’s own currency (amounts still in EUR)', async () => {
    const byLevel = (await report({ groupBy: 'LEVEL' })).data.analyticsPromises.rows;
    expect(byLevel.map((r: any) => [r.group.key, r.made.count, r.keptPercent])).toEqual([
      ['1', 4, '50.00'],
      ['2', 1, '0.00'],
    ]);
    const bySpecialist = (await report({ groupBy: 'SPECIALIST' })).data.analyticsPromises.rows;
    expect(bySpecialist.map((r: any) => [r.group.label, r.made.count, r.paidAmount, r.open.amount])).toEqual([
      ['Specialist 1', 4, '650.0000', '0.0000'],
      ['Specialist 2', 1, '0.0000', '80.0000'],
    ]);
    // P1, P2, P3 and P5 are in EUR (300 + 400 + 300 + 100); P4 is 100 USD x 0.8.
    const byCurrency = (await report({ groupBy: 'CURRENCY' })).data.analyticsPromises.rows;
    expect(byCurrency.map((r: any) => [r.group.key, r.group.label, r.made.count, r.made.amount])).toEqual([
      ['EUR', 'EUR', 4, '1100.0000'],
      ['USD', 'USD', 1, '80.0000'],
    ]);
  });

  it('judges at the period end: in February P1 and P3 are still open', async () => {
    const feb = (await report({ filter: { ...FILTER, to: '2026-02-28' } })).data.analyticsPromises.rows[0];
    // Made in February: P1, P2, P3. P2 was kept on 02-10; P1 (by 03-01) and P3 (by 03-03) not due yet.
    expect([feb.made.count, feb.kept.count, feb.open.count, feb.broken.count]).toEqual([3, 1, 2, 0]);
  });

  it("shows a specialist their partners' promises only and a supervisor their groups'", async () => {
    const specialist2 = await createTestToken(db, 'SPECIALIST', '2');
    const mine = (await report({}, specialist2)).data.analyticsPromises.rows;
    expect(mine.map((r: any) => r.made.count)).toEqual([1]);
    const supervisor = (await createApiToken(db, { name: 'sup-g1', role: 'SUPERVISOR', groups: ['ALS_G1'] })).token;
    const theirs = (await report({ groupBy: 'GROUP' }, supervisor)).data.analyticsPromises.rows;
    expect(theirs.map((r: any) => [r.group.key, r.made.count])).toEqual([['ALS_G1', 4]]);
  });

  it('names every missing rate and refuses a reversed period', async () => {
    const bad = await report({ filter: { ...FILTER, currency: 'CHF' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'FX_RATE_MISSING' });
    expect(bad.errors?.[0]?.extensions?.pairs).toEqual([
      { from: 'EUR', to: 'CHF', on: '2026-03-31' },
      { from: 'USD', to: 'CHF', on: '2026-03-31' },
    ]);
    const reversed = await report({ filter: { ...FILTER, from: '2026-04-01' } });
    expect(reversed.errors?.[0]?.extensions?.reason).toBe('PERIOD_REVERSED');
  });
});
