import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analytics, checkedFilter, refreshAnalyticsSnapshots } from '../packages/server/src/analytics';
import { AnalyticsGranularityEnum, AnalyticsGroupByEnum } from '../packages/server/src/analytics/analytics.types';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { createRequestContext, type RequestContext } from '../packages/server/src/graphql/context';
import type { Role } from '../packages/server/src/graphql/roles';
import { insertLedger, ITEMS } from './support/analytics-ledger';
import { openTestDatabase } from './support/database';
import { query } from './support/worklist-fixtures';

/**
 * Every report reads the partners' responsibility (segment, group, strategy, specialist) from the
 * snapshots' copy once it is current, instead of computing it from all partners and the live
 * worklists: on the hand-built ledger with contacts, promises and disputes, each report gives the
 * same figures either way, for every grouping, filter and role; after a reassignment the copy is
 * brought current before the read (or, when it cannot be, the report computes it again).
 */
const PERIOD = { from: '2026-02-01', to: '2026-03-31', currency: 'EUR' };
const GROUPINGS = [null, AnalyticsGroupByEnum.SEGMENT, AnalyticsGroupByEnum.GROUP, AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.STRATEGY];

let db: Database;
let supervisorTokenId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  await insertLedger(db);
  await query(
    db,
    `INSERT INTO promises (id, external_id, partner_id, item_id, created_date, promised_date, amount, currency) VALUES
     (1, 'Q1', 1, $1, '2026-02-15', '2026-03-01', 100, 'EUR'), (2, 'Q2', 2, $2, '2026-03-03', '2026-03-20', 100, 'EUR'),
     (3, 'Q3', 3, $3, '2026-03-10', '2026-03-25', 50, 'USD')`,
    [ITEMS.B, ITEMS.C, ITEMS.D],
  );
  await query(
    db,
    `INSERT INTO contacts (id, external_id, partner_id, contact_date, channel, direction, reached, result, author_specialist_id, promise_ids) VALUES
     (1, 'K1', 1, '2026-02-15', 'PHONE', 'OUTBOUND', true, 'PROMISE', 1, '{1}'), (2, 'K2', 2, '2026-03-03', 'EMAIL', 'OUTBOUND', true, 'PROMISE', NULL, NULL),
     (3, 'K3', 3, '2026-03-10', 'PHONE', 'INBOUND', true, 'CALLBACK', 2, NULL), (4, 'K4', 3, '2026-03-11', 'LETTER', 'OUTBOUND', false, NULL, 1, NULL)`,
  );
  await query(
    db,
    `INSERT INTO disputes (id, external_id, partner_id, item_id, created_date, disputed_amount, currency, status, resolution, root_cause, status_changed_at) VALUES
     (1, 'DS1', 1, $1, '2026-02-05', 200, 'EUR', 'RESOLVED', 'CREDIT_MEMO', 'PRICE', '2026-03-01T10:00:00Z'),
     (2, 'DS2', 3, $2, '2026-03-12', 50, 'USD', 'OPEN', NULL, NULL, NULL)`,
    [ITEMS.A, ITEMS.D],
  );
  const created = await createApiToken(db, { name: 'sup-g2', role: 'SUPERVISOR', groups: ['ALS_G2'] });
  supervisorTokenId = String(created.record.id);
});

afterAll(async () => {
  await db?.close();
});

function ctxOf(role: Role, specialistId: string | null = null): RequestContext {
  return createRequestContext(db, { tokenId: role === 'SUPERVISOR' ? supervisorTokenId : '0', name: 'test', role, specialistId });
}

/** Every report over the ledger, for each grouping it offers, each filter and each role. */
async function allFigures(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const callers: Array<[string, RequestContext]> = [
    ['ADMIN', ctxOf('ADMIN')],
    ['SPECIALIST 1', ctxOf('SPECIALIST', '1')],
    ['SUPERVISOR ALS_G2', ctxOf('SUPERVISOR')],
  ];
  const filters = [
    PERIOD,
    { ...PERIOD, group: 'ALS_G2' },
    { ...PERIOD, specialist: '1' },
    { ...PERIOD, strategy: 'ALS_STRAT' },
    { ...PERIOD, companyCode: '2000' },
  ];
  for (const [who, ctx] of callers) {
    // Each grouping over the period, each filter ungrouped.
    const reads = [...GROUPINGS.map((groupBy) => ({ filter: PERIOD, groupBy })), ...filters.slice(1).map((filter) => ({ filter, groupBy: null }))];
    for (const { filter, groupBy } of reads) {
      const key = `${who} ${JSON.stringify(filter)} by ${groupBy}`;
      out[`kpis ${key}`] = await analytics.kpiReport(ctx, { filter, groupBy, granularity: AnalyticsGranularityEnum.MONTH });
      out[`promises ${key}`] = await analytics.promiseReport(ctx, { filter, groupBy });
      out[`open items ${key}`] = await analytics.openItemsReport(ctx, { filter, groupBy });
      out[`contacts ${key}`] = await analytics.contactReport(ctx, { filter, groupBy });
      out[`disputes ${key}`] = await analytics.disputeReport(ctx, { filter, groupBy });
      out[`worklists ${key}`] = await analytics.worklistReport(ctx, { filter, groupBy });
      if (groupBy === null) out[`commission ${key}`] = await analytics.commissionReport(ctx, { filter, withinDays: 30 });
    }
  }
  return out;
}

const stored = async () => (await checkedFilter(ctxOf('ADMIN'), PERIOD)).storedResponsibility;

describe('the responsibility the reports read', () => {
  it('is computed before the snapshots are built, and read from their copy after, with the same figures', async () => {
    expect(await stored()).toBe(false);
    const computed = await allFigures();
    // Not all empty: the comparison below compares figures.
    expect(JSON.stringify(computed)).toContain('"contacts":4');
    await refreshAnalyticsSnapshots(db, { from: '2026-01-31', to: '2026-03-31' });
    expect(await stored()).toBe(true);
    expect(await allFigures()).toEqual(computed);
  });

  it('after a reassignment: the partner is moved before the read, and the figures follow it', async () => {
    await query(db, `UPDATE partners SET specialist_id = 2, collection_group_key = 'ALS_G2' WHERE id = 2`);
    expect((await analytics.snapshotState(db)).movedPartners).toBe(1);
    const afterMove = await allFigures();
    expect(await stored()).toBe(true);
    expect((await analytics.snapshotState(db)).movedPartners).toBe(0);
    // The same reads with the copy out of use (a change that can move anyone): computed again, equal.
    await query(db, `UPDATE analytics_snapshot_state SET responsibility_changed = true WHERE id = 1`);
    expect(await stored()).toBe(false);
    expect(await allFigures()).toEqual(afterMove);
    // Partner 2 now counts for specialist 2: someone's figures did change.
    await query(db, `UPDATE partners SET specialist_id = 1, collection_group_key = 'ALS_G1' WHERE id = 2`);
    expect(await allFigures()).not.toEqual(afterMove);
  });
});
