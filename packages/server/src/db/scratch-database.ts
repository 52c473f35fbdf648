import pg from 'pg';
import { openDatabase, type Database } from './database';

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated database `name` on the Postgres server of `adminUrl` (for tests and
 * benchmarks), dropped again by `close()` unless `keep`. `name` comes from code, never from input.
 */
export async function openScratchDatabase(adminUrl: string, name: string, options: { keep?: boolean; poolSize?: number } = {}): Promise<Database> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a database name: ${name}`);
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolSize: options.poolSize ?? 4 });
  return {
    ...db,
    async close() {
      await db.close();
      if (!options.keep) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
