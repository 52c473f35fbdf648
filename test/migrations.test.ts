import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { pendingSchemaChanges } from '../packages/server/src/db/schema-drift';
import { MIGRATIONS } from '../migrations';
import { openTestDatabase } from './support/database';

describe(`migrations (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  it('applies every migration on a new database', async () => {
    const applied: Array<{ name: string }> = await db.dataSource.query('SELECT name FROM migrations ORDER BY id');
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await db.dataSource.showMigrations()).toBe(false);
  });

  it('leaves nothing for the entities to change (no drift)', async () => {
    expect(await pendingSchemaChanges(db.dataSource)).toEqual({ up: [], down: [] });
  });

  it('creates the per-partner indexes the facts need', async () => {
    const rows: Array<{ indexname: string; indexdef: string }> = await db.dataSource.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('open_items', 'payments', 'promises', 'disputes', 'contacts', 'resubmissions')`,
    );
    for (const table of ['open_items', 'payments', 'promises', 'disputes', 'contacts', 'resubmissions']) {
      const leading = rows.filter((r) => r.indexdef.includes(`ON public.${table} `) && /USING btree \(partner_id/.test(r.indexdef));
      expect(leading.length, `${table} has an index leading with partner_id`).toBeGreaterThan(0);
    }
  });

  it('reverts and re-applies cleanly', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await db.dataSource.undoLastMigration();
    const [{ n }] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'partners'`,
    );
    expect(n).toBe(0);
    await db.dataSource.runMigrations();
    expect(await pendingSchemaChanges(db.dataSource)).toEqual({ up: [], down: [] });
  });
});
