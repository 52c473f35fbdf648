import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
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
});
