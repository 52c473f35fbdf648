import type { Database } from '../src/db/database';
import { openScratchDatabase } from '../src/db/scratch-database';
import { parseHistoryLength, seedDemoHistory, type DemoHistoryStats } from '../src/seed/demo-history';

export const BENCH_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated database on the real Postgres, dropped by `close()`. */
export const openBenchDatabase = (name: string) => openScratchDatabase(BENCH_URL, name);

/**
 * Where the maintained facts exist (issue 19) but are empty, as in a database seeded before they
 * did: rebuilds them once from the mirror (the maintenance keeps them current from then on) and
 * says for how many partners, in how many ms; null when nothing was to do. Raw SQL, so that a
 * bench runs on code with and without them.
 */
export async function rebuildEmptyFacts(db: Database): Promise<{ partners: number; ms: number } | null> {
  const [state] = await db.dataSource.query(`SELECT to_regproc('recoup_rebuild_partner_facts') IS NOT NULL AS maintained,
      to_regclass('partner_facts') IS NOT NULL AND EXISTS (SELECT 1 FROM partners) AS partners`);
  if (!state.maintained || !state.partners) return null;
  const [{ empty }] = await db.dataSource.query(`SELECT NOT EXISTS (SELECT 1 FROM partner_facts) AS empty`);
  if (!empty) return null;
  const t = performance.now();
  const [{ n }] = await db.dataSource.query(`SELECT recoup_rebuild_partner_facts()::integer AS n`);
  return { partners: n, ms: performance.now() - t };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** What `--history 12m [--partners N] [--worked-effect X]` asks a bench to build. */
export interface HistoryBenchOptions {
  partners: number;
  months: number;
  asOf: string;
  seed: number;
  workedEffect: number;
}

/**
 * The history option of a bench's arguments: `--history 12m` (or `2y`), with `--partners N`
 * (default `defaultPartners`), `--worked-effect X` and `--as-of D`; null without `--history`.
 * Other arguments are left to the bench.
 */
export function historyOption(args: readonly string[] = process.argv.slice(2), defaultPartners = 100_000): HistoryBenchOptions | null {
  const value = (name: string): string | undefined => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const history = value('history');
  if (history === undefined) return null;
  const months = parseHistoryLength(history);
  if (months === null) throw new Error(`--history takes months or years, e.g. 12m or 2y; got ${history}`);
  const partners = Number(value('partners') ?? defaultPartners);
  if (!Number.isInteger(partners) || partners < 1) throw new Error(`--partners takes a positive whole number`);
  const workedEffect = Number(value('worked-effect') ?? 1);
  return { partners, months, asOf: value('as-of') ?? '2026-11-23', seed: 1, workedEffect };
}

/**
 * A fresh database on the real Postgres holding the simulated history (loaded through the
 * import, with the demo organisation), dropped by `close()` unless `keep`. Prints what it built.
 */
export async function openHistoryBenchDatabase(
  name: string,
  options: HistoryBenchOptions,
  keep = false,
): Promise<{ db: Database; stats: DemoHistoryStats; simulateMs: number; importMs: number }> {
  const db = await openScratchDatabase(BENCH_URL, name, { keep });
  const t0 = performance.now();
  const { stats, simulateMs } = await seedDemoHistory(db, options);
  const importMs = performance.now() - t0 - simulateMs;
  const rows = Object.entries(stats.rows).map(([t, n]) => `${t} ${n.toLocaleString('en')}`);
  console.log(
    `history: ${options.partners.toLocaleString('en')} partners x ${options.months} months to ${options.asOf} (simulated ${(simulateMs / 1000).toFixed(1)} s, imported ${(importMs / 1000).toFixed(1)} s): ${rows.join(', ')}`,
  );
  return { db, stats, simulateMs, importMs };
}

/** The settings of a run's scoring jobs (worklist-scoring.service.ts): serial plans, no JIT, cached pages. */
export const JOB_SETTINGS = `SET max_parallel_workers_per_gather = 0; SET jit = off; SET random_page_cost = 1.1`;

/**
 * Each statement of `statementFor(range)` over the ranges as a run runs its jobs: two connections
 * side by side, each with the jobs' settings, taking the next range when done.
 */
export async function onTwoConnections(
  db: Database,
  ranges: Array<[string, string]>,
  statementFor: (range: [string, string]) => { text: string; values: unknown[] },
): Promise<void> {
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      const q = db.dataSource.createQueryRunner();
      await q.connect();
      try {
        await q.query(JOB_SETTINGS);
        while (next < ranges.length) {
          const sql = statementFor(ranges[next++]!);
          await q.query(sql.text, sql.values);
        }
      } finally {
        await q.release();
      }
    }),
  );
}
