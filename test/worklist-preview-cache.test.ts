import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Before the services: it loads reflect-metadata (as the app's entry points do), which the type-graphql types the services reach need.
import { openTestDatabase } from './support/database';
import type { Database } from '../packages/server/src/db/database';
import { recordPayment } from '../packages/server/src/payments/payment.service';
import { clearFactCache, heldFactTables, madeAt, sweepAbandoned } from '../packages/server/src/worklists/worklist-fact-cache';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';

/**
 * Previews keep their fact rows: the next preview of the same segment and key date scores them
 * again (the same list), until the AR changes or the document needs a fact they lack.
 */
let db: Database;
const D = '2026-03-01';
const rule = (name: string, points: number, conditions: unknown) => ({
  name,
  priority: 1,
  conditions,
  event: { type: 'valuation', params: { points, role: 'condition' } },
});
const doc = (rules: unknown[]) => ({
  key: 'P',
  name: 'Preview',
  currency: 'EUR',
  maxValuation: null,
  minPercent: 0,
  agingBuckets: [0, 30],
  priorities: [
    { priority: 1, label: 'High', minPercent: 50 },
    { priority: 2, label: 'Low', minPercent: 0 },
  ],
  rules,
});
const overdue = rule('Overdue', 10, { all: [{ fact: 'overdueAmount', operator: 'greaterThan', value: 0 }] });
const big = rule('Big', 30, { all: [{ fact: 'amountToBeCollected', operator: 'greaterThanInclusive', value: 500 }] });
const contacted = rule('Contacted', 5, { all: [{ fact: 'daysSinceLastContact', operator: 'lessThan', value: 10 }] });

const items = async (runId: string) =>
  await db.dataSource.query(
    `SELECT partner_id::int AS partner, valuation, priority, amount_to_be_collected::float AS atbc FROM worklist_items WHERE run_id = $1 ORDER BY partner_id`,
    [runId],
  );

beforeAll(async () => {
  db = await openTestDatabase();
  const q = (sql: string) => db.dataSource.query(sql);
  await q(`INSERT INTO collection_segments (key, name, currency) VALUES ('S', 'Segment', 'EUR')`);
  await q(`INSERT INTO collection_groups (key, name, segment_key) VALUES ('G', 'Group', 'S')`);
  await q(`INSERT INTO specialists (user_name, name, group_key) VALUES ('ann', 'Ann', 'G')`);
  await q(`INSERT INTO partners (id, external_id, name, country, currency, customer_type, segment) VALUES
    (1, 'A', 'Alpha', 'DE', 'EUR', 'B2B', 'S'), (2, 'B', 'Beta', 'DE', 'EUR', 'B2B', 'S')`);
  await q(`INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level, dunning_block) VALUES
    (11, 'I11', 1, '1000', '2025-12-01', '2026-01-01', 1000, 1000, 'EUR', 0, false),
    (21, 'I21', 2, '1000', '2025-12-01', '2026-02-01', 200, 200, 'EUR', 0, false)`);
});

afterAll(async () => {
  if (db) await clearFactCache(db);
  await db?.close();
});

describe('preview fact cache', () => {
  it('scores the kept facts again for the next preview, with the same list as computed afresh', async () => {
    const first = await runWorklist(db, { segment: 'S', asOf: D, mode: 'PREVIEW', document: doc([overdue, big]) });
    expect(first.stats.factsCached).toBe(false);
    const second = await runWorklist(db, { segment: 'S', asOf: D, mode: 'PREVIEW', document: doc([overdue, rule('Big', 40, big.conditions)]) });
    expect(second.stats.factsCached).toBe(true);
    expect(await items(first.runId)).toEqual([
      { partner: 1, valuation: 40, priority: 1, atbc: 1000 },
      { partner: 2, valuation: 10, priority: 2, atbc: 200 },
    ]);
    expect(await items(second.runId)).toEqual([
      { partner: 1, valuation: 50, priority: 1, atbc: 1000 },
      { partner: 2, valuation: 10, priority: 2, atbc: 200 },
    ]);
  });

  it('computes afresh when the document reads a fact the kept rows lack, then keeps both', async () => {
    const third = await runWorklist(db, { segment: 'S', asOf: D, mode: 'PREVIEW', document: doc([overdue, big, contacted]) });
    expect(third.stats.factsCached).toBe(false);
    const fourth = await runWorklist(db, { segment: 'S', asOf: D, mode: 'PREVIEW', document: doc([overdue, contacted]) });
    expect(fourth.stats.factsCached).toBe(true);
    expect(await items(fourth.runId)).toEqual([
      { partner: 1, valuation: 10, priority: 1, atbc: 1000 },
      { partner: 2, valuation: 10, priority: 1, atbc: 200 },
    ]);
  });

  it('computes afresh after the AR changed, and for another key date', async () => {
    await recordPayment(db, { partnerId: '1', itemId: '11', paymentDate: '2026-02-20', amount: '900' });
    const after = await runWorklist(db, { segment: 'S', asOf: D, mode: 'PREVIEW', document: doc([overdue, big]) });
    expect(after.stats.factsCached).toBe(false);
    expect(await items(after.runId)).toEqual([
      { partner: 1, valuation: 10, priority: 2, atbc: 100 },
      { partner: 2, valuation: 10, priority: 2, atbc: 200 },
    ]);
    const otherDate = await runWorklist(db, { segment: 'S', asOf: '2026-01-15', mode: 'PREVIEW', document: doc([overdue, big]) });
    expect(otherDate.stats.factsCached).toBe(false);
    // Point in time: on 2026-01-15 the payment of 02-20 had not come, Alpha's item was open for
    // 1000 (today's 100 + 900 paid after); Beta's item was not yet due.
    expect(await items(otherDate.runId)).toEqual([
      { partner: 1, valuation: 40, priority: 1, atbc: 1000 },
      { partner: 2, valuation: 0, priority: 2, atbc: 0 },
    ]);
  });

  it('computes afresh after any write to the AR mirror, also one made outside Recoup', async () => {
    await db.dataSource.query(`UPDATE open_items SET open_amount = 700 WHERE id = 11`);
    const after = await runWorklist(db, { segment: 'S', asOf: D, mode: 'PREVIEW', document: doc([overdue, big]) });
    expect(after.stats.factsCached).toBe(false);
    expect((await items(after.runId))[0]).toEqual({ partner: 1, valuation: 40, priority: 1, atbc: 700 });
  });

  it('never serves a live run from the cache', async () => {
    await db.dataSource.query(`INSERT INTO strategies (key, name) VALUES ('P', 'Preview')`);
    await db.dataSource.query(`INSERT INTO strategy_versions (strategy_id, version, status, document) SELECT id, 1, 'ACTIVE', $1 FROM strategies`, [
      JSON.stringify(doc([overdue, big])),
    ]);
    await db.dataSource.query(`UPDATE collection_groups SET strategy_key = 'P'`);
    const live = await runWorklist(db, { segment: 'S', asOf: D, mode: 'LIVE' });
    expect(live.stats.factsCached).toBeUndefined();
    expect(await items(live.runId)).toHaveLength(2);
  });

  it("drops the kept tables of processes that are gone (made long ago, or by an earlier version), not this process's nor a live one's", async () => {
    const before = await runWorklist(db, { segment: 'S', asOf: D, mode: 'PREVIEW', document: doc([overdue, big]) });
    const held = heldFactTables();
    expect(held.length).toBeGreaterThan(0);
    const t0 = Date.now();
    // What a killed process left: a table made 2 hours ago, one of an earlier version, and one a live process made a minute ago.
    const name = (ms: number) => `worklist_facts_${Math.floor(ms / 1000).toString(36)}_0a1b2c3d4e`;
    const old = name(t0 - 2 * 3_600_000);
    const young = name(t0 - 60_000);
    const earlier = 'worklist_facts_0123456789ab';
    expect(madeAt(old)).toBe(Math.floor((t0 - 2 * 3_600_000) / 1000) * 1000);
    expect(madeAt(earlier)).toBeNull();
    for (const table of [old, young, earlier]) await db.dataSource.query(`CREATE UNLOGGED TABLE ${table} (partner_id bigint)`);
    const exists = async (table: string) => {
      const [row] = await db.dataSource.query<Array<{ e: boolean }>>(`SELECT to_regclass($1) IS NOT NULL AS e`, [table]);
      return row!.e;
    };

    expect((await sweepAbandoned(db, t0 + 120_000)).sort()).toEqual([earlier, old].sort());
    expect(await exists(young)).toBe(true);
    for (const table of held) expect(await exists(table)).toBe(true);

    // Three hours on, the live process's table is abandoned too; this process's are still its own.
    expect(await sweepAbandoned(db, t0 + 3 * 3_600_000)).toEqual([young]);
    for (const table of held) expect(await exists(table)).toBe(true);
    // Within a minute of a sweep, no other.
    expect(await sweepAbandoned(db, t0 + 3 * 3_600_000 + 1_000)).toEqual([]);
    const after = await runWorklist(db, { segment: 'S', asOf: D, mode: 'PREVIEW', document: doc([overdue, rule('Big', 35, big.conditions)]) });
    expect(after.stats.factsCached).toBe(true);
    expect(await items(after.runId)).toHaveLength((await items(before.runId)).length);
  });
});
