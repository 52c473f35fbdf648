/**
 * `pnpm bench:experiment [--history 3m] [--partners N] [--runs R]`
 *
 * On real Postgres (DATABASE_URL's server, default 127.0.0.1:5432): a scratch database with the
 * simulated history (seed/demo-history.ts, default 50,000 partners x 3 months to 2026-11-23),
 * every partner in one segment worked by one group. Then, R times interleaved, it times a live
 * run of the segment without an experiment and with a running 20% challenger (the arms scored
 * over shared fact rows, worklist-run.sql armsScoredSql), and once the results of the experiment
 * (experimentResults over the R runs, horizon 30). Prints the medians and the ratio of an
 * experiment run to a plain one. The database is dropped at the end.
 */
import { experimentResults } from '../src/experiments';
import { DEMO_STRATEGY } from '../src/seed/demo-strategy';
import { runWorklist } from '../src/worklists';
import { historyOption, median, openHistoryBenchDatabase } from './bench-db';

const args = process.argv.slice(2);
const history = historyOption(args.includes('--history') ? args : ['--history', '3m', ...args], 50_000)!;
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const SEGMENT = 'BENCH';
const GROUP = 'BENCH_TEAM';
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const { db } = await openHistoryBenchDatabase(`recoup_bench_experiment_${process.pid}`, history);
try {
  await db.dataSource.transaction(async (m) => {
    await m.query(`INSERT INTO collection_segments (key, name, currency) VALUES ($1, 'Bench: every partner', 'EUR')`, [SEGMENT]);
    await m.query(`INSERT INTO collection_groups (key, name, segment_key, strategy_key, daily_capacity) VALUES ($1, 'Bench team', $2, $3, 500)`, [
      GROUP,
      SEGMENT,
      DEMO_STRATEGY.key,
    ]);
    await m.query(`UPDATE partners SET segment = $1, collection_group_key = $2`, [SEGMENT, GROUP]);
    // The challenger: ageing weighs double.
    const challenger = {
      ...DEMO_STRATEGY,
      rules: DEMO_STRATEGY.rules.map((r) =>
        r.name.startsWith('Oldest item') ? { ...r, event: { ...r.event, params: { ...r.event.params, points: 50 } } } : r,
      ),
    };
    const [v] = await m.query(
      `INSERT INTO strategy_versions (strategy_id, version, status, document, created_by)
       SELECT strategy_id, 2, 'DRAFT', $1, 'bench' FROM strategy_versions WHERE status = 'ACTIVE' RETURNING id`,
      [JSON.stringify(challenger)],
    );
    // Stopped until a timed run switches it on.
    await m.query(
      `INSERT INTO strategy_experiments (key, group_key, challenger_strategy_key, challenger_version, challenger_version_id, share_bp, started_on, started_by, outcome)
       VALUES ('BENCH-EXP', $1, $2, 2, $3, 2000, $4, 'bench', 'STOPPED')`,
      [GROUP, DEMO_STRATEGY.key, v.id, history.asOf],
    );
  });
  await db.dataSource.query('VACUUM ANALYZE');
  const experiment = (on: boolean) => db.dataSource.query(`UPDATE strategy_experiments SET outcome = $1 WHERE key = 'BENCH-EXP'`, [on ? null : 'STOPPED']);

  const plain: number[] = [];
  const split: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Key dates whose 30-day window has passed at the history's end.
    const asOf = addDays(history.asOf, -40 + i);
    await experiment(false);
    let t = performance.now();
    await runWorklist(db, { segment: SEGMENT, asOf, mode: 'LIVE' });
    plain.push(performance.now() - t);
    await experiment(true);
    t = performance.now();
    await runWorklist(db, { segment: SEGMENT, asOf, mode: 'LIVE' });
    split.push(performance.now() - t);
  }
  const [{ id }] = await db.dataSource.query(`SELECT id::text AS id FROM strategy_experiments WHERE key = 'BENCH-EXP'`);
  const t = performance.now();
  const results = await experimentResults({ db }, id, { horizonDays: 30 });
  const resultsMs = performance.now() - t;
  const [{ items }] = await db.dataSource.query(`SELECT count(*)::integer AS items FROM open_items`);
  console.log(`${history.partners.toLocaleString('en')} partners (${items.toLocaleString('en')} items), ${runs} runs each, interleaved:`);
  console.log(`  live run, no experiment:        median ${Math.round(median(plain))} ms  (${plain.map(Math.round).join(', ')})`);
  console.log(`  live run, 20% challenger:       median ${Math.round(median(split))} ms  (${split.map(Math.round).join(', ')})`);
  console.log(`  ratio experiment / plain:       ${(median(split) / median(plain)).toFixed(2)}`);
  console.log(
    `  experimentResults (${results.runs} runs, ${(results.champion.partners + results.challenger.partners).toLocaleString('en')} partners, h = 30): ${Math.round(resultsMs)} ms`,
  );
} finally {
  await db.close();
}
