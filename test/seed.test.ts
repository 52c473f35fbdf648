import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { createPromises } from '../packages/server/src/promises/promise.service';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { runWorklists } from '../packages/server/src/worklists/worklist-run.service';
import { count, openTestDatabase } from './support/database';

describe(`demo AR seeding through the importer (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  const options = { partners: 400, seed: 7, asOf: '2026-11-23' };

  it('loads every table and an organisation to work it', async () => {
    const result = await seedDemoAr(db, options);
    const rows = Object.fromEntries(result.tables.map((t) => [t.table, t.inserted]));
    expect(rows.partners).toBe(400);
    for (const table of ['open_items', 'payments', 'promises', 'contacts', 'fx_rates'] as const) expect(rows[table], table).toBeGreaterThan(0);
    expect(await count(db, 'open_items')).toBe(rows.open_items);
    const groups: Array<{ key: string; segment_key: string; specialists: number }> = await db.dataSource.query(
      `SELECT g.key, g.segment_key, count(s.id)::int AS specialists FROM collection_groups g LEFT JOIN specialists s ON s.group_key = g.key GROUP BY g.key, g.segment_key ORDER BY g.key`,
    );
    const segments: Array<{ segment: string }> = await db.dataSource.query(`SELECT DISTINCT segment FROM partners ORDER BY segment`);
    expect(groups.map((g) => g.segment_key).sort()).toEqual(segments.map((s) => s.segment));
    for (const g of groups) expect(g.specialists, g.key).toBeGreaterThanOrEqual(2);
    const [{ unassigned }] = await db.dataSource.query(
      `SELECT count(*)::int AS unassigned FROM partners WHERE collection_group_key IS NULL OR profile_key IS NULL`,
    );
    expect(unassigned).toBe(0);
  });

  it('is idempotent: seeding the same AR again changes nothing', async () => {
    const before = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM open_items)::int AS items, (SELECT sum(open_amount) FROM open_items)::text AS open, (SELECT count(*) FROM specialists)::int AS specialists`,
    );
    const result = await seedDemoAr(db, options);
    for (const t of result.tables) expect({ table: t.table, inserted: t.inserted, updated: t.updated }).toEqual({ table: t.table, inserted: 0, updated: 0 });
    const after = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM open_items)::int AS items, (SELECT sum(open_amount) FROM open_items)::text AS open, (SELECT count(*) FROM specialists)::int AS specialists`,
    );
    expect(after).toEqual(before);
  });

  it("keeps partners with nothing to collect off the demo strategy's list: a fully promised partner leaves it", async () => {
    const runs = await runWorklists(db, { asOf: options.asOf, mode: 'LIVE' });
    const runIds = runs.map((r) => r.runId);
    // Nobody on the list has nothing to collect unless a resubmission brings them back.
    const idle = await db.dataSource.query(
      `SELECT w.partner_id::text AS partner, w.amount_to_be_collected::text AS collect, w.priority FROM worklist_items w
        WHERE w.run_id = ANY($1::bigint[]) AND w.amount_to_be_collected <= 0
          AND NOT EXISTS (SELECT 1 FROM resubmissions r WHERE r.partner_id = w.partner_id AND NOT r.done AND r.resubmission_date <= $2::date)`,
      [runIds, options.asOf],
    );
    expect(idle).toEqual([]);

    // The tester's case: a partner on the list promises all it owes overdue (one currency, nothing promised or disputed yet).
    const [target] = await db.dataSource.query(
      `SELECT w.partner_id::text AS partner, min(i.currency)::text AS currency, sum(i.open_amount)::text AS overdue, array_agg(i.id::text ORDER BY i.id) AS items
         FROM worklist_items w JOIN open_items i ON i.partner_id = w.partner_id AND i.open_amount > 0 AND i.due_date < $2::date
        WHERE w.run_id = ANY($1::bigint[])
          AND NOT EXISTS (SELECT 1 FROM promises p WHERE p.partner_id = w.partner_id AND p.promised_date >= $2::date - 30)
          AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.partner_id = w.partner_id AND d.status IN ('OPEN', 'IN_PROCESS'))
          AND NOT EXISTS (SELECT 1 FROM resubmissions r WHERE r.partner_id = w.partner_id AND NOT r.done)
        GROUP BY w.partner_id, w.valuation HAVING count(DISTINCT i.currency) = 1 ORDER BY w.valuation DESC, w.partner_id LIMIT 1`,
      [runIds, options.asOf],
    );
    expect(target).toBeTruthy();
    const promised = await createPromises(db, {
      partnerId: target.partner,
      itemIds: target.items,
      createdDate: options.asOf,
      promisedDate: '2026-12-07',
      amount: target.overdue,
      currency: target.currency,
    });
    expect(promised.revaluation).toMatchObject({ onList: false });
    const [live] = await db.dataSource.query(`SELECT count(*)::int AS n FROM worklist_items WHERE run_id = ANY($1::bigint[]) AND partner_id = $2`, [
      runIds,
      target.partner,
    ]);
    expect(live.n).toBe(0);
  });
});
