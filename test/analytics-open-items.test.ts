import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { analyticsReport } from '../packages/server/src/cli/analytics-report';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { insertLedger } from './support/analytics-ledger';
import { openTestDatabase } from './support/database';

/**
 * Open items of the ledger (support/analytics-ledger.ts) at key dates, by hand.
 * 2026-02-28: A 600 (paid 600 after the date; 39 days, CC 1000, partner 1), B 500 (due in 12 days,
 *   CC 1000, partner 1), C 300 (59 days, CC 2000, partner 2), E 250 (paid after; 3 days, CC 1000,
 *   partner 2): 2 partners, 4 items, 3 overdue, open 1650, overdue 1150.
 * 2026-03-31: B 500 and C 300 (group ALS_G1, both overdue), D 200 USD x 0.8 = 160 (ALS_G2, due that day).
 */
const OPEN_ITEMS = `query ($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy, $ageingLimits: [Int!]) {
  analyticsOpenItems(filter: $filter, groupBy: $groupBy, ageingLimits: $ageingLimits) {
    asOf ageingBuckets totalGroups
    rows { group { key label } partners openItems overdueItems openAmount overdueAmount ageing { bucket amount } }
    totals { partners openItems overdueItems openAmount overdueAmount ageing { amount } }
  }
}`;

let db: Database;
let app: RunningApp;
let admin: string;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await startApp(db, 0);
  await insertLedger(db);
  admin = await createTestToken(db, 'ADMIN');
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const report = (asOf: string, variables: Record<string, unknown> = {}, token = admin) =>
  gql(app.url, OPEN_ITEMS, { filter: { from: asOf, to: asOf, currency: 'EUR' }, ...variables }, token);

describe('analyticsOpenItems', () => {
  it('shows the AR as it stood at the key date, by company code, with totals and ageing', async () => {
    const { data, errors } = await report('2026-02-28', { groupBy: 'COMPANY_CODE' });
    expect(errors).toBeUndefined();
    const r = data.analyticsOpenItems;
    expect(r.totals).toEqual({
      partners: 2,
      openItems: 4,
      overdueItems: 3,
      openAmount: '1650.0000',
      overdueAmount: '1150.0000',
      ageing: ['500.0000', '250.0000', '900.0000', '0.0000', '0.0000'].map((amount) => ({ amount })),
    });
    expect(r.rows.map((x: any) => [x.group.key, x.partners, x.openItems, x.overdueItems, x.openAmount, x.overdueAmount])).toEqual([
      ['1000', 2, 3, 2, '1350.0000', '850.0000'],
      ['2000', 1, 1, 1, '300.0000', '300.0000'],
    ]);
  });

  it('takes other ageing limits', async () => {
    const r = (await report('2026-02-28', { ageingLimits: [0, 45] })).data.analyticsOpenItems;
    expect(r.ageingBuckets).toEqual(['not overdue', '1–45', '> 45']);
    expect(r.rows[0].ageing.map((a: any) => a.amount)).toEqual(['500.0000', '850.0000', '300.0000']);
  });

  it('groups by collection group in the reporting currency, and a specialist sees their own group only', async () => {
    const r = (await report('2026-03-31', { groupBy: 'GROUP' })).data.analyticsOpenItems;
    expect(r.rows.map((x: any) => [x.group.key, x.openAmount, x.overdueAmount])).toEqual([
      ['ALS_G1', '800.0000', '800.0000'],
      ['ALS_G2', '160.0000', '0.0000'],
    ]);
    const specialist2 = await createTestToken(db, 'SPECIALIST', '2');
    const own = (await report('2026-03-31', { groupBy: 'GROUP' }, specialist2)).data.analyticsOpenItems;
    expect(own.rows.map((x: any) => x.group.key)).toEqual(['ALS_G2']);
    expect(own.totals.openAmount).toBe('160.0000');
  });

  it('groups by the item’s own currency, amounts in the reporting currency (D: 200 USD x 0.8)', async () => {
    const r = (await report('2026-03-31', { groupBy: 'CURRENCY' })).data.analyticsOpenItems;
    expect(r.rows.map((x: any) => [x.group.key, x.openItems, x.openAmount, x.overdueAmount])).toEqual([
      ['EUR', 2, '800.0000', '800.0000'],
      ['USD', 1, '160.0000', '0.0000'],
    ]);
    expect(r.totals.openAmount).toBe('960.0000');
  });

  it('refuses LEVEL and a missing rate with precise codes', async () => {
    expect((await report('2026-03-31', { groupBy: 'LEVEL' })).errors?.[0]?.extensions?.reason).toBe('GROUP_BY_NOT_SUPPORTED');
    const gbp = await gql(app.url, OPEN_ITEMS, { filter: { from: '2026-03-31', to: '2026-03-31', currency: 'GBP' } }, admin);
    expect(gbp.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'FX_RATE_MISSING', path: 'filter.currency' });
  });

  it('exports the same figures as CSV from the CLI (report open-items --format csv)', async () => {
    const csv = await analyticsReport(db, { name: 'open-items', values: { from: '2026-02-28', to: '2026-02-28', 'group-by': 'company-code', format: 'csv' } });
    expect(csv.split('\n')).toEqual([
      'group,group_name,partners,open_items,overdue_items,open_amount,overdue_amount,ageing not overdue,ageing 1–30,ageing 31–60,ageing 61–90,ageing > 90',
      '1000,1000,2,3,2,1350.0000,850.0000,500.0000,250.0000,600.0000,0.0000,0.0000',
      '2000,2000,1,1,1,300.0000,300.0000,0.0000,0.0000,300.0000,0.0000,0.0000',
      ',,2,4,3,1650.0000,1150.0000,500.0000,250.0000,900.0000,0.0000,0.0000',
      '',
    ]);
    const json = JSON.parse(await analyticsReport(db, { name: 'open-items', values: { from: '2026-02-28', to: '2026-02-28', format: 'json' } }));
    expect(json.totals.openAmount).toBe('1650.0000');
  });
});
