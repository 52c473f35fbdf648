/**
 * `pnpm bench:import [--partners N] [--runs R] [--compare]`: times the CSV import of ~1M open items
 * into the real Postgres (DATABASE_URL, default 127.0.0.1:5432), the CLI's own path (files -> COPY
 * straight into the empty table, or COPY -> staging -> upsert). Prints the median of R runs for a
 * fresh load and for a re-import of the same file (all unchanged). `--compare` adds, per run, a
 * fresh load forced through the staged path (`direct: false`), side by side on the same machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { directorySources, importAr } from '../src/import/ar-import.service';
import { writeDemoArCsv } from '../src/seed/seed.service';
import { median, openBenchDatabase } from './bench-db';

const { values } = parseArgs({
  options: { partners: { type: 'string', default: '200000' }, runs: { type: 'string', default: '3' }, compare: { type: 'boolean', default: false } },
});
const partners = Number(values.partners);
const runs = Number(values.runs);
const TARGET = 200_000;

const dir = await mkdtemp(path.join(tmpdir(), 'recoup-bench-import-'));
const db = await openBenchDatabase('recoup_bench_import');
try {
  console.log(`generating the synthetic AR of ${partners.toLocaleString('en')} partners as CSV…`);
  await writeDemoArCsv(dir, { partners, seed: 1, asOf: '2026-11-23' });
  const all = directorySources(dir);
  // Partners and rates first, so the timed runs load open items alone.
  await importAr(db, { partners: all.partners, fx_rates: all.fx_rates });
  const itemsOnly = { open_items: all.open_items };

  const fresh: number[] = [];
  const again: number[] = [];
  const staged: number[] = [];
  let items = 0;
  for (let run = 0; run < runs; run++) {
    await db.dataSource.query('TRUNCATE open_items CASCADE');
    await db.dataSource.query('VACUUM ANALYZE open_items');
    const load = await importAr(db, itemsOnly);
    items = load.tables[0]!.rows;
    fresh.push(load.milliseconds);
    const reload = await importAr(db, itemsOnly);
    again.push(reload.milliseconds);
    const phases = (r: typeof load): string => {
      const m = r.tables[0]!.milliseconds;
      return `${r.tables[0]!.method}: stage ${(m.stage / 1000).toFixed(2)} + check ${(m.check / 1000).toFixed(2)} + merge ${(m.merge / 1000).toFixed(2)}`;
    };
    let line = `run ${run + 1}: fresh ${(load.milliseconds / 1000).toFixed(2)} s (${phases(load)}), re-import ${(reload.milliseconds / 1000).toFixed(2)} s (${phases(reload)})`;
    if (values.compare) {
      await db.dataSource.query('TRUNCATE open_items CASCADE');
      await db.dataSource.query('VACUUM ANALYZE open_items');
      const forced = await importAr(db, itemsOnly, { direct: false });
      staged.push(forced.milliseconds);
      line += `, fresh staged ${(forced.milliseconds / 1000).toFixed(2)} s (${phases(forced)})`;
    }
    console.log(line);
  }
  const rate = (ms: number): number => Math.round(items / (ms / 1000));
  const freshRate = rate(median(fresh));
  const againRate = rate(median(again));
  console.log(`\nopen_items.csv: ${items.toLocaleString('en')} rows, median of ${runs} runs on real Postgres`);
  console.log(
    `  fresh load : ${(median(fresh) / 1000).toFixed(2)} s  ${freshRate.toLocaleString('en')} items/s  (target ${TARGET.toLocaleString('en')}: ${(freshRate / TARGET).toFixed(2)}x)`,
  );
  console.log(`  re-import  : ${(median(again) / 1000).toFixed(2)} s  ${againRate.toLocaleString('en')} items/s  (all unchanged, upsert skips them)`);
  if (values.compare) console.log(`  fresh, staged path: ${(median(staged) / 1000).toFixed(2)} s  ${rate(median(staged)).toLocaleString('en')} items/s`);
} finally {
  await db.close();
  await rm(dir, { recursive: true, force: true });
}
