import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { insertLedger, ITEMS } from './support/analytics-ledger';
import { openTestDatabase } from './support/database';
import { query } from './support/worklist-fixtures';

/**
 * Disputes on the ledger's items (support/analytics-ledger.ts), February and March 2026:
 *   DS1 on A (CC 1000), created 01-20, 200 EUR; history IN_PROCESS 02-10, RESOLVED 02-19 (30 days); CREDIT_MEMO, PRICE
 *   DS2 on C (CC 2000), created 02-05, 100 EUR; CLOSED without history, last change 03-10 (33 days); WRITE_OFF, no root cause
 *   DS3 on D (CC 1000), created 03-12, 50 USD; open (45 EUR at 03-12's 0.9, 40 EUR at 03-31's 0.8)
 *   DS4 on B (CC 1000), created 02-20, 80 EUR; history RESOLVED 03-01 (9 days); CREDIT_MEMO, PRICE
 * February: opened DS2 + DS4 = 2 / 180; resolved DS1 = 1 / 200, 30 days; open at 02-28: DS2, DS4 = 2 / 180.
 * March: opened DS3 = 1 / 45; resolved DS4, DS2 = 2 / 180, (9 + 33) / 2 = 21 days; open at 03-31: DS3 = 1 / 40.
 * Resolved in the period: 3 / 380, 24 days; CREDIT_MEMO 2 / 280 / 19.5 days, WRITE_OFF 1 / 100 / 33.
 */
const DISPUTES = `query ($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy) {
  analyticsDisputes(filter: $filter, groupBy: $groupBy) {
    totalGroups
    series { group { key } resolved resolvedAmount averageDaysToResolve
      buckets { start opened openedAmount resolved resolvedAmount averageDaysToResolve openAtEnd disputedAmountAtEnd }
      byResolution { key count amount averageDaysToResolve } byRootCause { key count amount averageDaysToResolve } }
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
  const disputes: Array<[number, number, number, string, number, string, string, string | null, string | null, string | null]> = [
    [1, 1, ITEMS.A, '2026-01-20', 200, 'EUR', 'RESOLVED', 'CREDIT_MEMO', 'PRICE', null],
    [2, 2, ITEMS.C, '2026-02-05', 100, 'EUR', 'CLOSED', 'WRITE_OFF', null, '2026-03-10T12:00:00Z'],
    [3, 3, ITEMS.D, '2026-03-12', 50, 'USD', 'OPEN', null, null, null],
    [4, 1, ITEMS.B, '2026-02-20', 80, 'EUR', 'RESOLVED', 'CREDIT_MEMO', 'PRICE', null],
  ];
  for (const [id, partner, item, created, amount, currency, status, resolution, rootCause, changedAt] of disputes) {
    await query(
      db,
      `INSERT INTO disputes (id, external_id, partner_id, item_id, created_date, disputed_amount, currency, status, resolution, root_cause, status_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [id, `DS${id}`, partner, item, created, amount, currency, status, resolution, rootCause, changedAt],
    );
  }
  await query(
    db,
    `INSERT INTO dispute_status_changes (dispute_id, partner_id, changed_on, status) VALUES
     (1, 1, '2026-02-10', 'IN_PROCESS'), (1, 1, '2026-02-19', 'RESOLVED'), (4, 1, '2026-03-01', 'RESOLVED')`,
  );
  admin = await createTestToken(db, 'ADMIN');
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const report = (variables: Record<string, unknown>, token = admin) => gql(app.url, DISPUTES, { filter: FILTER, ...variables }, token);

describe('analyticsDisputes', () => {
  it('counts opened, resolved and open disputes per month with amounts and days to resolve, as worked out by hand', async () => {
    const { data, errors } = await report({});
    expect(errors).toBeUndefined();
    const [all] = data.analyticsDisputes.series;
    expect(all.buckets).toEqual([
      {
        start: '2026-02-01',
        opened: 2,
        openedAmount: '180.0000',
        resolved: 1,
        resolvedAmount: '200.0000',
        averageDaysToResolve: '30.00',
        openAtEnd: 2,
        disputedAmountAtEnd: '180.0000',
      },
      {
        start: '2026-03-01',
        opened: 1,
        openedAmount: '45.0000',
        resolved: 2,
        resolvedAmount: '180.0000',
        averageDaysToResolve: '21.00',
        openAtEnd: 1,
        disputedAmountAtEnd: '40.0000',
      },
    ]);
    expect([all.resolved, all.resolvedAmount, all.averageDaysToResolve]).toEqual([3, '380.0000', '24.00']);
    expect(all.byResolution).toEqual([
      { key: 'CREDIT_MEMO', count: 2, amount: '280.0000', averageDaysToResolve: '19.50' },
      { key: 'WRITE_OFF', count: 1, amount: '100.0000', averageDaysToResolve: '33.00' },
    ]);
    expect(all.byRootCause).toEqual([
      { key: 'PRICE', count: 2, amount: '280.0000', averageDaysToResolve: '19.50' },
      { key: 'NONE', count: 1, amount: '100.0000', averageDaysToResolve: '33.00' },
    ]);
  });

  it("groups by the disputed item's company code, and a specialist sees their partners' disputes only", async () => {
    const series = (await report({ groupBy: 'COMPANY_CODE' })).data.analyticsDisputes.series;
    expect(series.map((s: any) => [s.group.key, s.resolved, s.buckets[1].disputedAmountAtEnd])).toEqual([
      ['1000', 2, '40.0000'],
      ['2000', 1, '0.0000'],
    ]);
    const specialist2 = await createTestToken(db, 'SPECIALIST', '2');
    const own = (await report({}, specialist2)).data.analyticsDisputes.series[0];
    expect([own.resolved, own.buckets[1].opened, own.buckets[1].disputedAmountAtEnd]).toEqual([0, 1, '40.0000']);
  });

  it('groups by the dispute’s own currency: DS1, DS2, DS4 in EUR, DS3 in USD (in EUR at the rates)', async () => {
    const series = (await report({ groupBy: 'CURRENCY' })).data.analyticsDisputes.series;
    expect(series.map((s: any) => [s.group.key, s.resolved, s.resolvedAmount, s.buckets[1].openedAmount, s.buckets[1].disputedAmountAtEnd])).toEqual([
      ['EUR', 3, '380.0000', '0.0000', '0.0000'],
      ['USD', 0, '0.0000', '45.0000', '40.0000'],
    ]);
  });
});
