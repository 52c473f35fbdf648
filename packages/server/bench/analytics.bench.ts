/**
 * `pnpm bench:analytics [--partners N] [--history 12m] [--keep] [--reuse] [--report NAME] [--no-snapshots] [--db NAME]`: every
 * analytics report over the history's last 12 months (ungrouped and grouped), cold (first call on
 * a fresh pool) and warm (median and p95 of WARM_RUNS), next to a plain GROUP BY scan of the table
 * it reads (warm median) and the ratio warm median / scan. Postgres (DATABASE_URL, default
 * 127.0.0.1:5432), database `analytics_bench` (or --db NAME), built with the simulated history (default 20,000
 * partners, 12 months) and one live run a week before the history's end; dropped afterwards unless
 * `--keep`; `--reuse` takes a kept one as it is.
 * The daily snapshots are brought current first (`refreshAnalyticsSnapshots`, timed: a full build
 * on a new database, nothing or the stale days on a kept one); `--no-snapshots` reads the mirror
 * only. The column `from snapshots` says which figures came from them; a report that reads them
 * is compared with a scan of the snapshot tables it reads (summed).
 */
import pg from 'pg';
import { analytics, describeCredits, refreshAnalyticsSnapshots, type AnalyticsReportName } from '../src/analytics';
import { openDatabase, type Database } from '../src/db/database';
import { createRequestContext } from '../src/graphql/context';
import { runWorklists } from '../src/worklists';
import { BENCH_URL, historyOption, median, openHistoryBenchDatabase } from './bench-db';

const args = process.argv.slice(2);
const NAME = args.includes('--db') ? args[args.indexOf('--db') + 1]! : 'analytics_bench';
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(NAME)) throw new Error(`--db must be a plain database name, got ${JSON.stringify(NAME)}`);
const options = historyOption(args.includes('--history') ? args : [...args, '--history', '12m'], 20_000)!;
const keep = args.includes('--keep') || args.includes('--reuse');
const WARM_RUNS = 10;
const snapshots = !args.includes('--no-snapshots');

/** Each report, the table it mostly reads and the grouping measured besides none. */
const REPORTS: Array<{ name: AnalyticsReportName; table: string; groupBy: string | null }> = [
  { name: 'kpis', table: 'open_items', groupBy: 'SEGMENT' },
  { name: 'promises', table: 'promises', groupBy: 'SPECIALIST' },
  { name: 'open-items', table: 'open_items', groupBy: 'COMPANY_CODE' },
  { name: 'contacts', table: 'contacts', groupBy: 'SPECIALIST' },
  { name: 'disputes', table: 'disputes', groupBy: 'GROUP' },
  { name: 'worklists', table: 'worklist_items', groupBy: 'SPECIALIST' },
  { name: 'commission', table: 'payments', groupBy: null },
];

/** The reports that read the snapshots: which figures they would read from them, and the snapshot tables compared with (their scans summed). */
type BenchArgs = { filter: typeof filter; groupBy: never; first: number; source?: 'MIRROR' };
const SNAPSHOT_READS: Partial<Record<AnalyticsReportName, { tables: string[]; figures: (args: BenchArgs) => Promise<string[]> }>> = {
  kpis: { tables: ['analytics_daily_positions'], figures: (args) => analytics.kpiSnapshotFigures(ctx(), args) },
  'open-items': { tables: ['analytics_daily_positions', 'analytics_daily_partners'], figures: (args) => analytics.openItemsSnapshotFigures(ctx(), args) },
  contacts: { tables: ['analytics_daily_contacts'], figures: (args) => analytics.contactSnapshotFigures(ctx(), args) },
  disputes: { tables: ['analytics_daily_disputes'], figures: (args) => analytics.disputeSnapshotFigures(ctx(), args) },
  promises: { tables: ['analytics_daily_promises'], figures: (args) => analytics.promiseSnapshotFigures(ctx(), args) },
  worklists: { tables: ['analytics_worklist_runs'], figures: (args) => analytics.worklistSnapshotFigures(ctx(), args) },
  // Per-day sums and each partner's credited days, kept with the credits under each partner's responsibility (every filter and group scope reads them).
  commission: {
    tables: ['analytics_credit_days', 'analytics_credit_partner_days'],
    figures: async (args) =>
      args.source !== 'MIRROR' && (await analytics.paymentCreditsCurrent(bench))
        ? ['payments, amount (kept per-day credits)', 'partners (kept credited days)']
        : [],
  },
};

const to = options.asOf;
const from = shiftMonths(to, -12);
const filter = { from: shiftDays(from, 1), to, currency: 'EUR' };

const db = await buildDatabase();
const sizes = await tableSizes(db);
if (snapshots) {
  // Positions from the day before the first KPI boundary (13 months before the end) to the end.
  const refresh = await refreshAnalyticsSnapshots(db, { from: shiftDays(shiftMonths(`${from.slice(0, 8)}01`, -1), -1), to });
  const [rows] = await db.dataSource.query(
    `SELECT (SELECT count(*) FROM analytics_daily_positions)::int AS positions, (SELECT count(*) FROM analytics_daily_flows)::int AS flows,
       (SELECT count(*) FROM analytics_daily_contacts)::int AS contacts, (SELECT count(*) FROM analytics_daily_disputes)::int AS disputes,
       (SELECT count(*) FROM analytics_daily_promises)::int AS promises,
       (SELECT count(*) FROM analytics_daily_partners)::int AS partners, (SELECT count(*) FROM analytics_worklist_runs)::int AS worklists`,
  );
  console.log(
    `snapshots ${refresh.mode} ${refresh.from}..${refresh.to}: ${refresh.days} days built (positions of ${refresh.positionDays}), ${refresh.movedPartners} partners moved, ${describeCredits(refresh.credits)}, in ${(refresh.ms / 1000).toFixed(1)} s; ` +
      `rows: positions ${rows.positions.toLocaleString('en')}, flows ${rows.flows.toLocaleString('en')}, contacts ${rows.contacts.toLocaleString('en')}, disputes ${rows.disputes.toLocaleString('en')}, promises ${rows.promises.toLocaleString('en')}, partners ${rows.partners.toLocaleString('en')}, worklists ${rows.worklists.toLocaleString('en')}`,
  );
  await db.dataSource.query(
    'ANALYZE analytics_daily_positions, analytics_daily_flows, analytics_daily_contacts, analytics_daily_disputes, analytics_daily_promises, analytics_daily_partners, analytics_worklist_runs, analytics_credit_days, analytics_credit_partner_days',
  );
} else {
  console.log('snapshots not used (--no-snapshots): every report reads the mirror');
}
await db.close();
// A fresh pool: the first call of each report is as cold as this process can make it.
const url = new URL(BENCH_URL);
url.pathname = `/${NAME}`;
const bench = await openDatabase({ url: url.toString(), poolSize: 4, migrate: false });
const ctx = () => createRequestContext(bench, { tokenId: '0', name: 'bench', role: 'ADMIN', specialistId: null });
console.log(
  `period ${filter.from}..${filter.to}, reporting currency ${filter.currency}; rows: ${Object.entries(sizes)
    .map(([t, n]) => `${t} ${n.toLocaleString('en')}`)
    .join(', ')}`,
);
console.log(
  `${'report'.padEnd(12)} ${'groupBy'.padEnd(13)} ${'cold ms'.padStart(8)} ${'warm ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'scan ms'.padStart(8)} ${'ratio'.padStart(6)}  ${'table scanned'.padEnd(54)} from snapshots`,
);
const only = args.includes('--report') ? args[args.indexOf('--report') + 1] : null;
for (const report of REPORTS.filter((r) => only === null || r.name === only)) {
  for (const groupBy of report.groupBy ? [null, report.groupBy] : [null]) {
    const args = { filter, groupBy: groupBy as never, first: 500, ...(snapshots ? {} : { source: 'MIRROR' as const }) };
    const snapshotRead = SNAPSHOT_READS[report.name];
    const fromSnapshots = snapshotRead ? await snapshotRead.figures(args) : [];
    const tables = fromSnapshots.length ? snapshotRead!.tables : [report.table];
    const table = tables.join(' + ');
    let scan = 0;
    for (const t of tables) scan += await warmScan(bench, t);
    const run = () => analytics.runReport(ctx(), report.name, args);
    const cold = await timed(run);
    const times: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) times.push(await timed(run));
    const warm = median(times);
    // Read from the snapshots: the mirror table's scan too, for the ratio a mirror read would be held to.
    const mirror = fromSnapshots.length ? await warmScan(bench, report.table) : null;
    const versusMirror = mirror === null ? '' : ` (vs ${report.table} scan ${mirror.toFixed(0)} ms: ratio ${(warm / mirror).toFixed(1)})`;
    console.log(
      `${report.name.padEnd(12)} ${(groupBy ?? '-').padEnd(13)} ${cold.toFixed(0).padStart(8)} ${warm.toFixed(0).padStart(8)} ${p95(times).toFixed(0).padStart(8)} ${scan.toFixed(0).padStart(8)} ${(warm / scan).toFixed(1).padStart(6)}  ${table.padEnd(54)} ${fromSnapshots.length ? fromSnapshots.join('; ') + versusMirror : 'none (mirror)'}`,
    );
  }
}
await bench.close();
if (keep) console.log(`kept database ${NAME}`);
else await dropDatabase();

async function buildDatabase(): Promise<Database> {
  if (args.includes('--reuse')) {
    const kept = new URL(BENCH_URL);
    kept.pathname = `/${NAME}`;
    return openDatabase({ url: kept.toString(), poolSize: 4 });
  }
  const { db } = await openHistoryBenchDatabase(NAME, options, true);
  const t = performance.now();
  await runWorklists(db, { asOf: shiftDays(to, -7), mode: 'LIVE' });
  console.log(`live run at ${shiftDays(to, -7)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await db.dataSource.query('ANALYZE');
  return db;
}

async function dropDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: BENCH_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin.end();
}

async function tableSizes(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['partners', 'open_items', 'payments', 'promises', 'contacts', 'disputes', 'worklist_items']) {
    out[table] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  }
  return out;
}

/** The floor a report is compared with: one GROUP BY over the whole table it reads (the snapshot tables, kept worklist figures and the credits' per-day sums have no partner: by day). */
async function warmScan(db: Database, table: string): Promise<number> {
  const byDay = /^analytics_(daily|worklist)_/.test(table) || table === 'analytics_credit_days';
  const key = byDay ? `extract(day FROM day)` : `partner_id % 16`;
  const sql = `SELECT ${key} AS k, count(*) FROM ${table} GROUP BY 1`;
  await db.dataSource.query(sql);
  const times: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) times.push(await timed(() => db.dataSource.query(sql)));
  return median(times);
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function shiftDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function shiftMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}
