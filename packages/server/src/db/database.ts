import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './naming-strategy';
import { StoppableClient } from './request-statements';

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
  /**
   * Embedded only: compile the database's WebAssembly with V8's optimizing compiler when it
   * starts (see optimizeWasmEagerly). For a long-lived server; not for tests that open many
   * short-lived databases.
   */
  eagerWasm?: boolean;
}

export interface Database {
  kind: DatabaseKind;
  dataSource: DataSource;
  /** The URL the `pg` driver connects to (for the embedded one, its local socket server). */
  url: string;
  /**
   * A read the API repeats with other values (a 360's sections, a worklist page): on Postgres a
   * named prepared statement, parsed and planned once per connection; on the embedded database
   * (one session for every connection, so names would collide) a plain query. Logged as a query.
   */
  read<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** Its pg pools by name (TypeORM's, and on Postgres the prepared reads'), for their metrics. */
  pools: Record<string, pg.Pool>;
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
    // Statements of an API request can be stopped (request-statements.ts); elsewhere pg's client as is.
    extra: { max: poolSize, Client: StoppableClient },
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
    const embedded = await startEmbeddedPostgres(options.dataDir, poolSize, options.eagerWasm ?? false);
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
  const reads = kind === 'postgres' ? preparedReads(dataSource, url, poolSize) : undefined;
  const read = reads?.read ?? ((text: string, values?: unknown[]) => dataSource.query(text, values));
  return {
    kind,
    dataSource,
    url,
    read,
    pools: { main: (dataSource.driver as unknown as { master: pg.Pool }).master, ...(reads ? { reads: reads.pool } : {}) },
    async close() {
      await reads?.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await stopEmbedded();
    },
  };
}

/**
 * Most of a small read's time on Postgres is planning its (long) text again: bind took 2-5 ms of
 * a 360's statements, execution under 1.5 ms. A named statement is planned once per connection
 * (Postgres switches to its generic plan after five runs when that costs no more). The names are
 * capped, so that clients varying the text cannot grow every connection's plan cache without end.
 */
const MAX_PREPARED_TEXTS = 500;

function preparedReads(dataSource: DataSource, url: string, poolSize: number) {
  // Their own connections, where a prepared statement always runs its generic plan: planning a
  // custom plan for each set of values is the very cost saved (and these reads look rows up by
  // key, so the values would not change the plan).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c plan_cache_mode=force_generic_plan', Client: StoppableClient });
  // An idle connection the server closes (a restart, a dropped database) leaves the pool, which
  // opens another when needed; without a listener the error would end the process.
  pool.on('error', (error) => dataSource.logger.log('warn', `an idle read connection closed: ${error.message}`));
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (!name && names.size < MAX_PREPARED_TEXTS) {
      name = `recoup_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      names.set(text, name);
    }
    return name;
  };
  return {
    async read<T>(text: string, values: unknown[] = []): Promise<T[]> {
      dataSource.logger.logQuery(text, values);
      // Not pool.query: its callback may run in the context of the request that freed the
      // connection, and the statement must count as this request's (request-statements.ts).
      const client = await pool.connect();
      let failed = false;
      try {
        const result = await client.query({ name: nameOf(text), text, values });
        return result.rows as T[];
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        // As pool.query does: a connection whose statement failed is not reused.
        client.release(failed);
      }
    },
    pool,
    close: () => pool.end(),
  };
}

/**
 * V8 runs WebAssembly first with its baseline compiler and optimizes a function only once it has
 * run a while, so an embedded server's first requests of each kind ran 2-4x slower than later
 * ones (the studio's first previews after a start: 560 ms, then 150 ms; the database CPU of the
 * first 378 ms, with this 109 ms). Without the baseline tier every function is optimized when
 * the module is compiled: a second or two more at start, then full speed from the first
 * request. A process-wide V8 flag, read when a module is compiled: set before the first PGlite.
 */
function optimizeWasmEagerly(): void {
  v8.setFlagsFromString('--no-liftoff');
}

async function startEmbeddedPostgres(dataDir: string | undefined, poolSize: number, eagerWasm: boolean): Promise<{ url: string; stop(): Promise<void> }> {
  if (eagerWasm) optimizeWasmEagerly();
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  // Trigram indexes serve the partner search (migration PartnerSearch creates the extension).
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const releaseLock = dataDir ? await lockDataDir(dataDir) : async () => {};
  let db;
  try {
    db = await PGlite.create(dataDir ? { dataDir, extensions: { pg_trgm } } : { extensions: { pg_trgm } });
  } catch (error) {
    await releaseLock();
    throw error;
  }
  // One more connection than the pool, so a CLI or test client can connect beside it.
  const server = new PGLiteSocketServer({ db: keepBatchesTogether(db), host: '127.0.0.1', port: 0, maxConnections: poolSize + 2 });
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

/** Extended-protocol messages that a Sync (or Flush-and-wait) ends: Parse, Bind, Describe, Execute, Close, CopyData. */
const MID_BATCH = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x64]);

/**
 * PGlite is one session; pglite-socket queues each protocol message of every connection and keeps
 * a connection's messages together only inside a transaction. Outside one, another connection's
 * Parse could land between this one's Parse and Bind and replace the unnamed statement: a query
 * answered with another's result (seen as a valid token refused under load). Reporting "in a
 * transaction" until the batch's Sync makes the queue serve the same connection until it ends.
 */
function keepBatchesTogether<T extends { isInTransaction(): boolean; execProtocolRawStream(message: Uint8Array, options: unknown): Promise<unknown> }>(
  db: T,
): T {
  let midBatch = false;
  return new Proxy(db, {
    get(target, property) {
      if (property === 'isInTransaction') return () => midBatch || target.isInTransaction();
      if (property === 'execProtocolRawStream') {
        return async (message: Uint8Array, options: unknown) => {
          try {
            return await target.execProtocolRawStream(message, options);
          } finally {
            midBatch = MID_BATCH.has(message[0]!);
          }
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
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
