import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { seedDemoHistory } from '../packages/server/src/seed/demo-history';
import { runWorklists } from '../packages/server/src/worklists/worklist-run.service';
import { openTestDatabase } from './support/database';

describe(`demo history through the import (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  const options = { partners: 300, months: 6, asOf: '2026-11-23', seed: 3 };

  it('loads every table of the simulation, with the demo organisation, consistent in the database', async () => {
    const { result, stats } = await seedDemoHistory(db, options);
    for (const t of result.tables)
      expect({ table: t.table, inserted: t.inserted }).toEqual({ table: t.table, inserted: stats.rows[t.table as keyof typeof stats.rows] });
    for (const n of Object.values(stats.rows)) expect(n).toBeGreaterThan(0);
    const [check] = await db.dataSource.query(
      `SELECT
         (SELECT count(*) FROM open_items i WHERE i.open_amount <> i.amount - coalesce((SELECT sum(p.amount) FROM payments p WHERE p.item_id = i.id), 0))::int AS unexplained,
         (SELECT count(*) FROM disputes d WHERE d.status <> coalesce((SELECT h.status FROM dispute_status_changes h WHERE h.dispute_id = d.id ORDER BY h.changed_on DESC LIMIT 1), 'OPEN'))::int AS status_mismatch,
         (SELECT count(*) FROM open_items i WHERE i.dunning_level <> coalesce((SELECT max(h.level) FROM dunning_level_changes h WHERE h.item_id = i.id), 0))::int AS level_mismatch,
         (SELECT count(*) FROM partners WHERE collection_group_key IS NULL)::int AS unassigned`,
    );
    expect(check).toEqual({ unexplained: 0, status_mismatch: 0, level_mismatch: 0, unassigned: 0 });
  });

  it('records who made each contact (a specialist of the partner’s group) and how each decided dispute ended', async () => {
    const [work] = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM contacts)::int AS contacts,
              (SELECT count(*) FROM contacts c JOIN partners p ON p.id = c.partner_id JOIN specialists s ON s.id = c.author_specialist_id
                WHERE s.group_key = p.collection_group_key)::int AS by_group_specialist,
              (SELECT count(DISTINCT author_specialist_id) FROM contacts)::int AS authors,
              (SELECT count(*) FROM disputes WHERE status IN ('RESOLVED', 'REJECTED', 'CLOSED'))::int AS decided,
              (SELECT count(*) FROM disputes WHERE status IN ('RESOLVED', 'REJECTED', 'CLOSED') AND resolution IS NOT NULL AND root_cause IS NOT NULL)::int AS explained,
              (SELECT count(*) FROM disputes WHERE status = 'REJECTED' AND (resolution <> 'CUSTOMER_PAYS' OR root_cause <> 'CUSTOMER_ERROR'))::int AS rejected_otherwise,
              (SELECT count(*) FROM disputes WHERE status IN ('OPEN', 'IN_PROCESS') AND (resolution IS NOT NULL OR root_cause IS NOT NULL))::int AS open_decided,
              (SELECT count(DISTINCT resolution) FROM disputes)::int AS resolutions`,
    );
    expect(work.contacts).toBeGreaterThan(0);
    expect(work.by_group_specialist).toBe(work.contacts);
    expect(work.authors).toBeGreaterThan(3);
    expect(work.decided).toBeGreaterThan(0);
    expect(work.explained).toBe(work.decided);
    expect([work.rejected_otherwise, work.open_decided]).toEqual([0, 0]);
    expect(work.resolutions).toBeGreaterThan(1);
  });

  it('is idempotent: seeding the same history again changes nothing', async () => {
    const { result } = await seedDemoHistory(db, options);
    for (const t of result.tables) expect({ table: t.table, inserted: t.inserted, updated: t.updated }).toEqual({ table: t.table, inserted: 0, updated: 0 });
  });

  it('gives live worklists at asOf', async () => {
    const runs = await runWorklists(db, { asOf: options.asOf, mode: 'LIVE' });
    expect(runs.map((r) => r.segment).sort()).toEqual(['BUSINESS', 'CONSUMER', 'WHOLESALE']);
    expect(runs.reduce((n, r) => n + r.partnersOnList, 0)).toBeGreaterThan(10);
  });
});
