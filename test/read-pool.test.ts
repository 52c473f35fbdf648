import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { openTestDatabase } from './support/database';

/**
 * The API's prepared reads (Database.read) on Postgres run on a pool of their own: a connection
 * the server closes while idle must leave the pool quietly (an unhandled pool error would end
 * the process), and the next read must get a new connection.
 */
describe.skipIf(!process.env.DATABASE_URL)('prepared reads (postgres)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('survive the server closing their idle connections', async () => {
    expect(await db.read<{ one: number }>('SELECT $1::integer AS one', [1])).toEqual([{ one: 1 }]);
    const [{ n }] = await db.dataSource.query(
      `SELECT count(pg_terminate_backend(pid))::integer AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    expect(n).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await db.read<{ two: number }>('SELECT $1::integer AS two', [2])).toEqual([{ two: 2 }]);
    // The same statement again, on whichever connection: prepared anew where it is new.
    expect(await db.read<{ one: number }>('SELECT $1::integer AS one', [3])).toEqual([{ one: 3 }]);
  });
});
