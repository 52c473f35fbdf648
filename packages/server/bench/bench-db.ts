import { openScratchDatabase } from '../src/db/scratch-database';

export const BENCH_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated database on the real Postgres, dropped by `close()`. */
export const openBenchDatabase = (name: string) => openScratchDatabase(BENCH_URL, name);

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
