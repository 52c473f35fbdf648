/**
 * Fact rows kept between previews. A consultant editing a strategy previews it again and again
 * over the same segment and key date; the facts do not change between those previews, only the
 * rules do, and computing the facts is nearly all of a run's cost. So a preview keeps its fact
 * rows in an unlogged table and the next preview of the same selection scores them again, as
 * long as the AR has not changed (ar_revision), the table has every fact the document reads,
 * and it is not older than FRESH_MS. Per process: each API process keeps its own. A process that
 * stops (a restart, a crash, kill -9) cannot drop its tables, so each table's name carries the
 * time it was made, and a process making one drops every other that is well past FRESH_MS: no
 * process scores a table that old (sweepAbandoned).
 */
import { randomBytes } from 'node:crypto';
import type { FactKey } from '@recoup/rules';
import type { QueryRunner } from 'typeorm';
import type { Database } from '../db/database';

const FRESH_MS = 30 * 60_000;
/** Past this age a kept table is nobody's: FRESH_MS, and time for a preview that started on it to end. */
const ABANDONED_MS = 2 * FRESH_MS;
const MAX_TABLES = 4;
const PREFIX = 'worklist_facts_';
/** How often a process looks for abandoned tables (when it makes a table). */
const SWEEP_EVERY_MS = 60_000;

interface Entry {
  table: string;
  keys: Map<string, FactKey>;
  revision: string;
  createdAt: number;
  usedAt: number;
  /** What a preview derived from the table and keeps with it (its rows read into memory). */
  derived?: Promise<unknown>;
  /** Set once `derived` has resolved. */
  derivedReady?: boolean;
}

const entries = new Map<string, Entry>();

export interface CachedFacts {
  table: string;
  hit: boolean;
}

/**
 * The fact table for `selectionKey` with at least `keys`; `fill(table, keys)` fills a new one
 * (created empty with `shapeSql`'s columns for the union of the keys) when there is none.
 */
export async function cachedFacts(
  db: Database,
  coordinator: QueryRunner,
  selectionKey: string,
  keys: FactKey[],
  build: (keys: FactKey[]) => { shape: { text: string; values: unknown[] }; fill: (table: string) => Promise<void> },
): Promise<CachedFacts> {
  const entry = entries.get(selectionKey);
  // The AR's revision, and whether the kept table is still there, in one look.
  const [{ revision, kept }] = (await coordinator.query(
    `SELECT coalesce((SELECT revision::text FROM ar_revision WHERE id = 1), '0') AS revision, to_regclass($1) IS NOT NULL AS kept`,
    [entry?.table ?? null],
  )) as [{ revision: string; kept: boolean }];
  const now = Date.now();
  if (entry && kept && entry.revision === revision && now - entry.createdAt < FRESH_MS && keys.every((k) => entry.keys.has(k.key))) {
    entry.usedAt = now;
    return { table: entry.table, hit: true };
  }
  // A new table with the facts asked for and those of the last one, so alternating edits do not thrash.
  const union = new Map([...(entry?.keys ?? new Map()), ...keys.map((k) => [k.key, k] as const)]);
  if (entry) await drop(db, selectionKey);
  await sweepAbandoned(db, now);
  const table = tableName(now);
  const { shape, fill } = build([...union.values()]);
  await coordinator.query(`CREATE UNLOGGED TABLE ${table} AS ${shape.text} WITH NO DATA`, shape.values);
  entries.set(selectionKey, { table, keys: union, revision, createdAt: now, usedAt: now });
  try {
    // No ANALYZE (a third of a cold preview): the table is only ever scanned whole, and the
    // planner sizes a never-analysed table from its pages.
    await fill(table);
  } catch (error) {
    await drop(db, selectionKey);
    throw error;
  }
  await evict(db);
  return { table, hit: false };
}

async function drop(db: Database, selectionKey: string): Promise<void> {
  const entry = entries.get(selectionKey);
  entries.delete(selectionKey);
  if (entry) await db.dataSource.query(`DROP TABLE IF EXISTS ${entry.table}`).catch(() => undefined);
}

async function evict(db: Database): Promise<void> {
  const byAge = [...entries].sort((a, b) => a[1].usedAt - b[1].usedAt);
  for (const [key] of byAge.slice(0, Math.max(0, entries.size - MAX_TABLES))) await drop(db, key);
}

/**
 * Something made from a kept table once and kept as long as the table is (dropped with it):
 * `make()` runs at the first ask; a failure is not kept.
 */
export function keptWithTable<T>(table: string, make: () => Promise<T>): Promise<T> {
  const entry = [...entries.values()].find((e) => e.table === table);
  if (!entry) return make();
  if (!entry.derived) {
    const made = make();
    entry.derived = made;
    made.then(
      () => {
        if (entry.derived === made) entry.derivedReady = true;
      },
      () => {
        if (entry.derived === made) entry.derived = undefined;
      },
    );
  }
  return entry.derived as Promise<T>;
}

/** Whether what keptWithTable makes from `table` is there already: being made (`pending`), made, or not asked for (`none`). */
export function keptState(table: string): 'ready' | 'pending' | 'none' {
  const entry = [...entries.values()].find((e) => e.table === table);
  if (!entry?.derived) return 'none';
  return entry.derivedReady ? 'ready' : 'pending';
}

/** The kept tables this process holds (tests). */
export function heldFactTables(): string[] {
  return [...entries.values()].map((e) => e.table);
}

/** Drops every cached fact table of this process (tests; shutdown). */
export async function clearFactCache(db: Database): Promise<void> {
  for (const key of [...entries.keys()]) await drop(db, key);
}

/** A new table's name: the prefix, when it was made (seconds, base 36), and a random part. */
function tableName(now: number): string {
  return `${PREFIX}${Math.floor(now / 1000).toString(36)}_${randomBytes(5).toString('hex')}`;
}

/** When a table was made, from its name; null for a name without one (made by an earlier version). */
export function madeAt(table: string): number | null {
  const match = /^worklist_facts_([0-9a-z]+)_[0-9a-f]+$/.exec(table);
  return match ? parseInt(match[1]!, 36) * 1000 : null;
}

const lastSweep = new WeakMap<Database, number>();

/**
 * Drops the kept tables of processes that are gone: every one made more than ABANDONED_MS ago, or
 * by an earlier version (no time in its name), that this process does not hold. Skips a table
 * another session still reads (lock_timeout) and leaves it for the next sweep.
 */
export async function sweepAbandoned(db: Database, now = Date.now()): Promise<string[]> {
  if (now - (lastSweep.get(db) ?? 0) < SWEEP_EVERY_MS) return [];
  lastSweep.set(db, now);
  const held = new Set([...entries.values()].map((e) => e.table));
  const rows: Array<{ name: string }> = await db.dataSource.query(
    `SELECT c.relname AS name FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'worklist\\_facts\\_%'`,
  );
  const abandoned = rows
    .map((r) => r.name)
    .filter((name) => /^worklist_facts_[0-9a-z_]+$/.test(name) && !held.has(name) && now - (madeAt(name) ?? 0) > ABANDONED_MS);
  const dropped: string[] = [];
  for (const name of abandoned) {
    const ok = await db.dataSource
      .transaction(async (m) => {
        await m.query(`SET LOCAL lock_timeout = '100ms'`);
        await m.query(`DROP TABLE IF EXISTS ${name}`);
      })
      .then(
        () => true,
        () => false,
      );
    if (ok) dropped.push(name);
  }
  return dropped;
}
