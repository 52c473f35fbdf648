import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { insertLedger, ITEMS } from './support/analytics-ledger';
import { openTestDatabase } from './support/database';
import { insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * A live run of the ledger's segment (support/analytics-ledger.ts) at D = 2026-04-05 with 40 points
 * for something to collect and 60 for more than 60 days overdue (band 1 from 50 %):
 *   partner 2: C 300, 95 days overdue → 100 % band 1;
 *   partner 1: B 500, 24 days → 40 %, band 2; partner 3: D 200 USD x 0.8 = 160, 5 days → 40 %, band 2.
 * Work after D (day 0 = D): partner 1 contacted on D; partner 3 resubmission scheduled on day 1;
 * partner 2 promise on day 2; partner 3 dispute on day 6; partner 2 contacted on day 7 (too late).
 * Within 1 day: 1 of 3 worked (contacted 1); within 3: 3 (contacted 1, promised 1, resubmitted 1);
 * within 7: 3 (and disputed 1). Partner 1's item completed, partner 2's reassigned.
 */
const WORKLISTS = `query ($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy) {
  analyticsWorklists(filter: $filter, groupBy: $groupBy) {
    totalRows
    rows { runId segment asOf group { key label } partners amountToBeCollected completed reassigned
      within { days worked workedPercent contacted promised disputed resubmitted }
      bands { priority partners amountToBeCollected within { days worked } } }
  }
}`;
const D = '2026-04-05';
const FILTER = { from: '2026-04-01', to: '2026-04-30', currency: 'EUR' };

let db: Database;
let app: RunningApp;
let admin: string;
let runId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await startApp(db, 0);
  await insertLedger(db);
  await insertStrategy(
    db,
    'ALS_STRAT',
    strategyDocument({
      key: 'ALS_STRAT',
      rules: [
        rule('Something to collect', 40, 'condition', when('amountToBeCollected', 'greaterThan', 0)),
        rule('Over 60 days', 60, 'condition', when('maxDaysOverdue', 'greaterThan', 60)),
      ],
    }),
  );
  await query(db, `UPDATE collection_groups SET strategy_key = 'ALS_STRAT'`);
  runId = (await runWorklist(db, { segment: 'ALS', asOf: D, mode: 'LIVE' })).runId;
  await query(
    db,
    `INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached) VALUES ('K1', 1, '2026-04-05', 'PHONE', 'OUTBOUND', true), ('K2', 2, '2026-04-12', 'PHONE', 'OUTBOUND', true)`,
  );
  await query(
    db,
    `INSERT INTO resubmissions (partner_id, resubmission_date, reason, created_at) VALUES (3, '2026-04-20', 'call back', '2026-04-06T10:00:00Z')`,
  );
  await query(
    db,
    `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency) VALUES ('Q1', 2, $1, '2026-04-07', '2026-04-20', 100, 'EUR')`,
    [ITEMS.C],
  );
  await query(
    db,
    `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status) VALUES ('DS1', 3, $1, '2026-04-11', 50, 'USD', 'OPEN')`,
    [ITEMS.D],
  );
  await query(db, `UPDATE worklist_items SET completed_at = now() WHERE run_id = $1 AND partner_id = 1`, [runId]);
  await query(db, `UPDATE worklist_items SET specialist_origin = 'TEMPORARY' WHERE run_id = $1 AND partner_id = 2`, [runId]);
  admin = await createTestToken(db, 'ADMIN');
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const report = (variables: Record<string, unknown>, token = admin) => gql(app.url, WORKLISTS, { filter: FILTER, ...variables }, token);
const worked = (within: any[]) => within.map((w) => [w.days, w.worked]);

describe('analyticsWorklists', () => {
  it('shows the run per band with the share worked within 1, 3 and 7 days, as worked out by hand', async () => {
    const { data, errors } = await report({});
    expect(errors).toBeUndefined();
    expect(data.analyticsWorklists.totalRows).toBe(1);
    const [run] = data.analyticsWorklists.rows;
    expect([run.runId, run.segment, run.asOf, run.partners, run.amountToBeCollected, run.completed, run.reassigned]).toEqual([
      runId,
      'ALS',
      D,
      3,
      '960.0000',
      1,
      1,
    ]);
    expect(run.within).toEqual([
      { days: 1, worked: 1, workedPercent: '33.33', contacted: 1, promised: 0, disputed: 0, resubmitted: 0 },
      { days: 3, worked: 3, workedPercent: '100.00', contacted: 1, promised: 1, disputed: 0, resubmitted: 1 },
      { days: 7, worked: 3, workedPercent: '100.00', contacted: 1, promised: 1, disputed: 1, resubmitted: 1 },
    ]);
    expect(run.bands.map((b: any) => [b.priority, b.partners, b.amountToBeCollected, worked(b.within)])).toEqual([
      [
        1,
        1,
        '300.0000',
        [
          [1, 0],
          [3, 1],
          [7, 1],
        ],
      ],
      [
        2,
        2,
        '660.0000',
        [
          [1, 1],
          [3, 2],
          [7, 2],
        ],
      ],
    ]);
  });

  it('splits per specialist, and a specialist sees their own items only', async () => {
    const rows = (await report({ groupBy: 'SPECIALIST' })).data.analyticsWorklists.rows;
    expect(rows.map((r: any) => [r.group.label, r.partners, r.amountToBeCollected, worked(r.within)])).toEqual([
      [
        'Specialist 1',
        2,
        '800.0000',
        [
          [1, 1],
          [3, 2],
          [7, 2],
        ],
      ],
      [
        'Specialist 2',
        1,
        '160.0000',
        [
          [1, 0],
          [3, 1],
          [7, 1],
        ],
      ],
    ]);
    const specialist2 = await createTestToken(db, 'SPECIALIST', '2');
    const own = (await report({}, specialist2)).data.analyticsWorklists.rows;
    expect(own.map((r: any) => [r.partners, r.within[2].disputed])).toEqual([[1, 1]]);
  });

  it('lists no run outside the period', async () => {
    const { data } = await report({ filter: { ...FILTER, from: '2026-04-06' } });
    expect(data.analyticsWorklists).toEqual({ totalRows: 0, rows: [] });
  });
});
