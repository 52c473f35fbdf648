/**
 * How a worklist run splits its work: partner ranges for the scoring jobs, how many connections
 * work at once, and a runner that keeps that many busy.
 */
import { availableParallelism } from 'node:os';
import type { Database } from '../db/database';

/** Partners per job when a run is split by partner range (a job is one statement on one connection). */
const PARTNERS_PER_JOB = 125_000;

/** Connections scoring jobs at once: one per core on Postgres (2 here); PGlite runs one statement at a time. */
export function jobConcurrency(db: Database): number {
  const configured = Number(process.env.RECOUP_WORKLIST_WORKERS);
  if (db.kind === 'embedded') return 1;
  return Number.isInteger(configured) && configured > 0 ? configured : Math.max(1, Math.min(availableParallelism(), 8));
}

/** Contiguous id ranges [from, to) over lo..hi: about PARTNERS_PER_JOB partners each, at least one per connection. */
export function partnerRanges(lo: string | null, hi: string | null, partners: number, concurrency: number, perJob?: number): Array<[string, string]> {
  if (lo === null || hi === null) return [];
  const from = BigInt(lo);
  const to = BigInt(hi) + 1n;
  const wanted = perJob ? Math.ceil(partners / perJob) : Math.max(Math.ceil(partners / PARTNERS_PER_JOB), partners >= 20_000 ? concurrency : 1);
  const count = BigInt(Math.max(1, Math.min(wanted, Number(to - from))));
  const ranges: Array<[string, string]> = [];
  for (let i = 0n; i < count; i++) ranges.push([String(from + ((to - from) * i) / count), String(from + ((to - from) * (i + 1n)) / count)]);
  return ranges;
}

/** Runs `work` over the items with at most `limit` at a time; the first failure fails the whole. */
export async function runConcurrently<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
}
