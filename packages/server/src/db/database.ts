import 'reflect-metadata';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './naming-strategy';

// A calendar date stays the string Postgres sends ("2026-11-23"); a JS Date would shift it by the time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export type DatabaseKind = 'embedded' | 'postgres';

export interface DatabaseOptions {
  /** A Postgres URL; without one an embedded PGlite is started. */
  url?: string;
  /** Embedded only: where PGlite keeps its files; omitted = in memory (tests). */
  dataDir?: string;
  /** Run pending migrations on open (default true). */
  migrate?: boolean;
  poolSize?: number;
  logging?: boolean;
}

export interface Database {
  kind: DatabaseKind;
  dataSource: DataSource;
  /** The URL the `pg` driver connects to (for the embedded one, its local socket server). */
  url: string;
  close(): Promise<void>;
}

export function dataSourceOptions(url: string, poolSize = 8, logging = false): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging,
    extra: { max: poolSize },
  };
}

/**
 * Opens the database. Both kinds are reached through the same `pg` driver: the embedded
 * PGlite is served on a loopback socket, so nothing above this function knows which one it has.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const poolSize = options.poolSize ?? 8;
  let kind: DatabaseKind = 'postgres';
  let url = options.url;
  let stopEmbedded = async (): Promise<void> => {};
  if (!url) {
    const embedded = await startEmbeddedPostgres(options.dataDir, poolSize);
    kind = 'embedded';
    url = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const dataSource = new DataSource(dataSourceOptions(url, poolSize, options.logging));
  try {
    await dataSource.initialize();
    if (options.migrate ?? true) await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await stopEmbedded();
    throw error;
  }
  return {
    kind,
    dataSource,
    url,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await stopEmbedded();
    },
  };
}

async function startEmbeddedPostgres(dataDir: string | undefined, poolSize: number): Promise<{ url: string; stop(): Promise<void> }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const releaseLock = dataDir ? await lockDataDir(dataDir) : async () => {};
  let db;
  try {
    db = await PGlite.create(dataDir ? { dataDir } : {});
  } catch (error) {
    await releaseLock();
    throw error;
  }
  // One more connection than the pool, so a CLI or test client can connect beside it.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: poolSize + 2 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
      await releaseLock();
    },
  };
}

/** PGlite has one writer: a second process on the same files would corrupt them, so it is refused. */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'recoup.pid');
  const holder = Number(await readFile(lockFile, 'utf8').catch(() => ''));
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(`The embedded database in ${dataDir} is in use by process ${holder} (another \`pnpm start\`?). Stop it, or set RECOUP_DATA_DIR.`);
  }
  await writeFile(lockFile, String(process.pid));
  return () => rm(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
