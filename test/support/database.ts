import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../packages/server/src/db/database';
import { openScratchDatabase } from '../../packages/server/src/db/scratch-database';

/**
 * A fresh, migrated database for one test file: a new database on the Postgres of
 * DATABASE_URL (dropped on close), else an in-memory embedded one.
 */
export async function openTestDatabase(options: { eagerWasm?: boolean } = {}): Promise<Database> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) return openDatabase({ poolSize: 4, ...options });
  return openScratchDatabase(adminUrl, `recoup_test_${randomBytes(6).toString('hex')}`);
}

export async function count(db: Database, table: string): Promise<number> {
  const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n;
}
