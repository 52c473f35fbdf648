/**
 * `pnpm bench:history [--history 12m] [--partners N] [--worked-effect X] [--keep] [--embedded]`:
 * builds a database with a simulated history (seed/demo-history.ts) through the import and prints
 * rows per table and where the time went (simulation, import per table). Postgres (DATABASE_URL,
 * default 127.0.0.1:5432) in database `recoup_bench_history`, dropped afterwards unless `--keep`;
 * `--embedded`: an in-memory embedded database instead. Defaults: 100,000 partners, 12 months.
 * Other benches build the same database with `historyOption()` and `openHistoryBenchDatabase()`.
 */
import { openDatabase } from '../src/db/database';
import { seedDemoHistory } from '../src/seed/demo-history';
import { historyOption, openHistoryBenchDatabase } from './bench-db';

const args = process.argv.slice(2);
const options = historyOption(args.includes('--history') ? args : [...args, '--history', '12m'])!;
const started = performance.now();
if (args.includes('--embedded')) {
  const db = await openDatabase({ poolSize: 4 });
  const { result, stats, simulateMs } = await seedDemoHistory(db, options);
  console.log(`embedded: ${options.partners.toLocaleString('en')} partners x ${options.months} months, simulated in ${(simulateMs / 1000).toFixed(1)} s`);
  for (const t of result.tables) {
    const ms = t.milliseconds.stage + t.milliseconds.check + t.milliseconds.merge;
    console.log(`  ${t.file.padEnd(22)} ${String(t.rows).padStart(10)} rows ${(ms / 1000).toFixed(1).padStart(7)} s`);
  }
  console.log(`  ${stats.collectionContacts.toLocaleString('en')} collection contacts`);
  await db.close();
} else {
  const keep = args.includes('--keep');
  const { db, importMs, simulateMs } = await openHistoryBenchDatabase('recoup_bench_history', options, keep);
  const sizes: Array<{ table: string; rows: string; size: string }> = await db.dataSource.query(
    `SELECT relname AS table, n_live_tup::text AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size FROM pg_stat_user_tables
      WHERE relname IN ('partners', 'open_items', 'payments', 'promises', 'disputes', 'contacts', 'dispute_status_changes', 'dunning_level_changes', 'fx_rates')
      ORDER BY pg_total_relation_size(relid) DESC`,
  );
  for (const s of sizes) console.log(`  ${s.table.padEnd(24)} ${s.rows.padStart(10)} rows ${s.size.padStart(10)}`);
  console.log(`simulate ${(simulateMs / 1000).toFixed(1)} s, import ${(importMs / 1000).toFixed(1)} s`);
  await db.close();
  if (keep) console.log('kept database recoup_bench_history');
}
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
