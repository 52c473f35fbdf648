/**
 * `pnpm bench:backtest [--history 12m] [--partners N] [--key-dates 13] [--every 7] [--horizon 30] [--runs R] [--database NAME] [--reseed]`
 *
 * On real Postgres (DATABASE_URL's server, default 127.0.0.1:5432): builds a database (default
 * `recoup_bench_backtest`) with the simulated history (seed/demo-history.ts, default 100,000
 * partners x 12 months to 2026-11-23) once, kept for later runs (--reseed rebuilds it); every
 * partner is put into one segment BENCH so that one backtest covers them all. Then, R times
 * interleaved, it times
 *  - one preview of the live strategy at one key date (the middle one), with the preview's fact
 *    cache cleared first (a cold preview, as the first of a consultant's day),
 *  - the backtest: 2 strategies (the live demo strategy and an ageing draft) x K weekly key dates,
 *    horizon h, outcomes, baselines and bootstrap intervals (backtestStrategies, as the API runs it),
 * and prints the medians, where the backtest's time went (scoring, outcomes, figures), and the
 * ratio backtest / (preview x K). Goal: <= 2 (two strategies cost at most two previews per key date).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { backtestStrategies } from '../src/backtests';
import { openDatabase, type Database } from '../src/db/database';
import { DEMO_STRATEGY } from '../src/seed/demo-strategy';
import { clearFactCache } from '../src/worklists/worklist-fact-cache';
import { dropPreviewItems, runWorklist } from '../src/worklists';
import { BENCH_URL, historyOption, median, openHistoryBenchDatabase } from './bench-db';

const { values: args } = parseArgs({
  options: {
    history: { type: 'string', default: '12m' },
    partners: { type: 'string', default: '100000' },
    'key-dates': { type: 'string', default: '13' },
    every: { type: 'string', default: '7' },
    horizon: { type: 'string', default: '30' },
    runs: { type: 'string', default: '3' },
    database: { type: 'string', default: 'recoup_bench_backtest' },
    reseed: { type: 'boolean', default: false },
  },
});
const history = historyOption(['--history', args.history, '--partners', args.partners])!;
const keyDateCount = Number(args['key-dates']);
const every = Number(args.every);
const horizon = Number(args.horizon);
const runs = Number(args.runs);
const name = args.database;
const SEGMENT = 'BENCH';

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
// The last key date whose window ends on the history's last day.
const to = addDays(history.asOf, -horizon);
const from = addDays(to, -(keyDateCount - 1) * every);
const middle = addDays(from, Math.floor((keyDateCount - 1) / 2) * every);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

async function exists(): Promise<boolean> {
  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  try {
    return (await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rows.length > 0;
  } finally {
    await client.end();
  }
}

/** The kept database when it holds the history asked for, else a new one. */
async function historyDatabase(): Promise<Database> {
  if (!args.reseed && (await exists())) {
    const url = new URL(BENCH_URL);
    url.pathname = `/${name}`;
    const db = await openDatabase({ url: url.toString(), poolSize: 4 });
    const [{ n, last }] = await db.dataSource.query(`SELECT count(*)::integer AS n, (SELECT max(payment_date)::text FROM payments) AS last FROM partners`);
    if (n === history.partners && last === history.asOf) return db;
    await db.close();
  }
  console.log(`building ${name} (once; kept for later runs)…`);
  const { db } = await openHistoryBenchDatabase(name, history, true);
  return db;
}

const db = await historyDatabase();
// Every partner in one segment with one group working it with the live strategy.
await db.dataSource.transaction(async (m) => {
  await m.query(`INSERT INTO collection_segments (key, name, currency) VALUES ($1, 'Bench: every partner', 'EUR') ON CONFLICT DO NOTHING`, [SEGMENT]);
  await m.query(
    `INSERT INTO collection_groups (key, name, segment_key, strategy_key, daily_capacity) VALUES ($1, 'Bench team', $2, 'TELCO_STANDARD', 500) ON CONFLICT DO NOTHING`,
    [`${SEGMENT}_TEAM`, SEGMENT],
  );
  await m.query(`UPDATE partners SET segment = $1, collection_group_key = $2 WHERE segment <> $1`, [SEGMENT, `${SEGMENT}_TEAM`]);
});
await db.dataSource.query('VACUUM ANALYZE');
const [counts] = await db.dataSource.query(`SELECT (SELECT count(*) FROM partners)::integer AS partners, (SELECT count(*) FROM open_items)::integer AS items,
  (SELECT count(*) FROM payments)::integer AS payments, (SELECT count(*) FROM promises)::integer AS promises, (SELECT count(*) FROM contacts)::integer AS contacts`);
const [settings] = await db.dataSource.query(
  `SELECT version() AS v, current_setting('max_parallel_workers_per_gather') AS workers, current_setting('work_mem') AS work_mem`,
);
console.log(`${settings.v.split(' on ')[0]}; max_parallel_workers_per_gather=${settings.workers}, work_mem=${settings.work_mem}`);
console.log(
  `${counts.partners} partners, ${counts.items} items, ${counts.payments} payments, ${counts.promises} promises, ${counts.contacts} contacts; history to ${history.asOf}`,
);
console.log(`backtest: 2 strategies x ${keyDateCount} key dates ${from} .. ${to} every ${every} days, horizon ${horizon} days; preview at ${middle}`);

const AGEING = {
  ...DEMO_STRATEGY,
  key: 'BENCH_AGEING',
  name: 'Ageing and broken promises',
  rules: [
    {
      name: 'Nothing overdue',
      priority: 1,
      conditions: { all: [{ fact: 'overdueAmount', operator: 'lessThanInclusive', value: 0 }] },
      event: { type: 'valuation', params: { points: 0, role: 'exit' } },
    },
    {
      name: 'Over 30 days',
      priority: 1,
      conditions: { all: [{ fact: 'maxDaysOverdue', operator: 'greaterThan', value: 30 }] },
      event: { type: 'valuation', params: { points: 30, role: 'condition' } },
    },
    {
      name: 'Over 60 days',
      priority: 1,
      conditions: { all: [{ fact: 'maxDaysOverdue', operator: 'greaterThan', value: 60 }] },
      event: { type: 'valuation', params: { points: 30, role: 'condition' } },
    },
    {
      name: 'Broken promise',
      priority: 1,
      conditions: { all: [{ fact: 'brokenPromises', operator: 'greaterThanInclusive', value: 1 }] },
      event: { type: 'valuation', params: { points: 30, role: 'condition' } },
    },
  ],
};

async function preview(): Promise<number> {
  await clearFactCache(db);
  const t = performance.now();
  const run = await runWorklist(db, { segment: SEGMENT, asOf: middle, mode: 'PREVIEW', document: DEMO_STRATEGY });
  const ms = performance.now() - t;
  await dropPreviewItems(db, run.runId);
  return ms;
}

async function backtest(): Promise<{ ms: number; phases: Record<string, number>; onList: number; auc: Array<number | null> }> {
  await clearFactCache(db);
  const phases: Record<string, number> = { scoring: 0, outcomes: 0, figures: 0 };
  let phase = 'scoring';
  let mark = performance.now();
  const t = mark;
  const result = await backtestStrategies(
    db,
    {
      segment: SEGMENT,
      from,
      to,
      everyDays: every,
      horizonDays: horizon,
      strategies: [
        { label: 'Live', strategy: 'TELCO_STANDARD' },
        { label: 'Ageing draft', document: AGEING },
      ],
    },
    {
      today: history.asOf,
      onProgress: (message) => {
        const next = message.startsWith('measuring') ? 'outcomes' : message.startsWith('figures') ? 'figures' : 'scoring';
        if (next === phase) return;
        const now = performance.now();
        phases[phase]! += now - mark;
        phase = next;
        mark = now;
      },
    },
  );
  const end = performance.now();
  phases[phase]! += end - mark;
  return {
    ms: end - t,
    phases,
    onList: result.strategies[0]!.pooled.list.partners,
    auc: result.strategies.map((s) => s.pooled.list.auc),
  };
}

const previews: number[] = [];
const backtests: number[] = [];
const phaseRuns: Array<Record<string, number>> = [];
for (let i = 0; i < runs; i++) {
  previews.push(await preview());
  const b = await backtest();
  backtests.push(b.ms);
  phaseRuns.push(b.phases);
  console.log(
    `run ${i + 1}: preview ${(previews.at(-1)! / 1000).toFixed(2)} s; backtest ${(b.ms / 1000).toFixed(1)} s (scoring ${(b.phases.scoring! / 1000).toFixed(1)} s, outcomes ${(b.phases.outcomes! / 1000).toFixed(1)} s, figures ${(b.phases.figures! / 1000).toFixed(1)} s); ${b.onList} listed partner-dates (live), AUC live ${b.auc[0]?.toFixed(3)}, ageing ${b.auc[1]?.toFixed(3)}`,
  );
}
clearInterval(sampler);
const p = median(previews);
const b = median(backtests);
const phase = (k: string) => median(phaseRuns.map((r) => r[k]!)) / 1000;
console.log(`median preview at one key date: ${(p / 1000).toFixed(2)} s`);
console.log(
  `median backtest (2 strategies x ${keyDateCount} key dates): ${(b / 1000).toFixed(1)} s — scoring ${phase('scoring').toFixed(1)} s, outcomes ${phase('outcomes').toFixed(1)} s, figures ${phase('figures').toFixed(1)} s`,
);
console.log(`ratio backtest / (preview x ${keyDateCount}) = ${(b / (p * keyDateCount)).toFixed(2)} (goal <= 2)`);
console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
await db.close();
