/**
 * `npx tsx packages/server/bench/facts.bench.ts [--url URL] [--runs R] [--variants] [--explain] [--seed N]`:
 * times the set-based fact computation (factRowsSql) on a seeded AR mirror, materialised with
 * CREATE TEMP TABLE AS, against the floor (one grouped pass over open_items), median of R runs:
 * all partners, one segment, one 100k-partner id range. Default database: recoup_seed1m
 * (1M partners, ~5M open items). `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of the full run.
 * `--seed N` instead seeds a scratch database with N partners (seedDemoAr) and drops it after.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { factKey, factRowsSql, fxCheckSql, type FactKey } from '../../rules/src/index';
import { median } from './bench-db';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/recoup_seed1m' },
    runs: { type: 'string', default: '3' },
    jit: { type: 'boolean', default: false },
    'work-mem': { type: 'string', default: '64MB' },
    variants: { type: 'boolean', default: false },
    'variant-runs': { type: 'string', default: '1' },
    explain: { type: 'boolean', default: false },
    seed: { type: 'string' },
  },
});
const runs = Number(args.runs);
const variantRuns = Number(args['variant-runs']);
const AS_OF = '2026-11-23';
const CURRENCY = 'EUR';

/** The fact keys of a realistic ~18-rule strategy: item facts, promises, disputes, contacts, payments. */
const KEYS: FactKey[] = [
  factKey('openAmount'),
  factKey('overdueAmount'),
  factKey('overdueAmount', { minDaysOverdue: 30 }),
  factKey('overdueAmount', { minDaysOverdue: 90 }),
  factKey('overdueItemCount'),
  factKey('maxDaysOverdue'),
  factKey('maxDunningLevel'),
  factKey('dueAmount', { withinDays: 7 }),
  factKey('amountToBeCollected'),
  factKey('allOverdueDisputedOrBlocked'),
  factKey('disputedAmount'),
  factKey('openDisputeCount'),
  factKey('promisedAmount'),
  factKey('brokenPromises', { withinDays: 90 }),
  factKey('keptPromiseRatio'),
  factKey('daysSinceLastContact', { reachedOnly: true }),
  factKey('daysSinceLastPayment'),
  factKey('creditUtilization'),
  factKey('riskClass'),
  factKey('customerType'),
  factKey('resubmissionDue'),
];

let url = args.url;
let dropScratch: (() => Promise<void>) | undefined;
if (args.seed) {
  const { openScratchDatabase } = await import('../src/db/scratch-database');
  const { seedDemoAr } = await import('../src/seed/seed.service');
  const admin = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await openScratchDatabase(admin, 'recoup_bench_facts');
  console.log(`seeding ${args.seed} partners…`);
  await (seedDemoAr as (db: unknown, o: unknown) => Promise<unknown>)(db, { partners: Number(args.seed), seed: 1, asOf: AS_OF });
  await db.dataSource.query('VACUUM ANALYZE');
  const u = new URL(admin);
  u.pathname = '/recoup_bench_facts';
  url = u.toString();
  dropScratch = () => db.close();
}

const client = new pg.Client({ connectionString: url });
await client.connect();
const DEFAULTS =
  'RESET jit; RESET work_mem; RESET random_page_cost; RESET parallel_setup_cost; RESET parallel_tuple_cost; SET max_parallel_workers_per_gather = 2';
const CHEAP_PARALLEL = 'SET parallel_setup_cost = 10; SET parallel_tuple_cost = 0.001';
const JIT_OFF = 'SET jit = off';
const SSD = 'SET random_page_cost = 1.1';
/**
 * The session settings of the timed runs (what helped, see --variants): JIT off (it compiled for ~2.9 s),
 * random_page_cost 1.1 (cached/SSD data: the promise status probes payments and items by index
 * instead of hashing both tables whole), cheap parallel setup (the partner aggregates of contacts
 * and payments go parallel). work_mem stays at the server's default: 64MB made it slower (hash
 * aggregates and hash joins instead of sorted aggregates merge-joined on partner id).
 */
const TUNED = `${DEFAULTS}${args.jit ? '' : `; ${JIT_OFF}`}; ${SSD}; ${CHEAP_PARALLEL}`;
await client.query(TUNED);
const settings = await client.query(`SELECT name, setting FROM pg_settings WHERE name IN
  ('max_parallel_workers_per_gather', 'parallel_setup_cost', 'parallel_tuple_cost', 'work_mem', 'shared_buffers', 'server_version') ORDER BY name`);
console.log(settings.rows.map((r) => `${r.name}=${r.setting}`).join('  '));
const [counts] = (
  await client.query(`SELECT (SELECT count(*) FROM partners) AS partners,
  (SELECT count(*) FROM open_items WHERE open_amount > 0) AS open_items,
  (SELECT count(*) FILTER (WHERE segment = 'CONSUMER') FROM partners) AS consumer,
  (SELECT min(id) FROM partners) AS min_id`)
).rows;
console.log(`partners ${counts.partners}, open items ${counts.open_items}, CONSUMER ${counts.consumer}; ${KEYS.length} fact keys`);

const missing = fxCheckSql({ currency: CURRENCY, asOf: AS_OF });
const missingRows = (await client.query(missing.text, missing.values)).rows;
if (missingRows.length) console.log('missing FX pairs (amounts NULL):', missingRows);

async function timeCtas(sql: string, params: unknown[] = []): Promise<{ ms: number; rows: number }> {
  await client.query('DROP TABLE IF EXISTS bench_facts');
  const t = performance.now();
  const r = await client.query(`CREATE TEMP TABLE bench_facts AS ${sql}`, params);
  const ms = performance.now() - t;
  return { ms, rows: r.rowCount ?? 0 };
}

async function measure(sql: string, params: unknown[] = [], n = runs): Promise<{ ms: number; rows: number; all: number[] }> {
  const all: number[] = [];
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const r = await timeCtas(sql, params);
    all.push(r.ms);
    rows = r.rows;
  }
  return { ms: median(all), rows, all };
}

const lo = Number(counts.min_id);
const cases: { name: string; sql: string; params: unknown[] }[] = [
  {
    name: '(a) floor: open_items GROUP BY partner',
    sql: 'SELECT partner_id, sum(open_amount), count(*) FROM open_items WHERE open_amount > 0 GROUP BY partner_id',
    params: [],
  },
];
const add = (name: string, opts: Parameters<typeof factRowsSql>[1]) => {
  const q = factRowsSql(KEYS, { ...opts, unordered: true });
  cases.push({ name, sql: q.text, params: q.values });
};
add('(b) facts, all partners', { currency: CURRENCY, asOf: AS_OF });
add('(c) facts, segment CONSUMER', { currency: CURRENCY, asOf: AS_OF, segment: 'CONSUMER' });
add('(c) facts, 100k id range', { currency: CURRENCY, asOf: AS_OF, partnerRange: [lo, lo + 100_000] });
add('    facts, segment WHOLESALE', { currency: CURRENCY, asOf: AS_OF, segment: 'WHOLESALE' });

// Warm the cache once.
await timeCtas(cases[1]!.sql, cases[1]!.params);

if (args.variants) {
  // Which session settings help the full run (b): one variable at a time.
  const b = cases[1]!;
  const variants: [string, string][] = [
    ['defaults (only max_parallel_workers_per_gather=2)', DEFAULTS],
    ['jit=off', `${DEFAULTS}; ${JIT_OFF}`],
    ['jit=off, cheap parallel', `${DEFAULTS}; ${JIT_OFF}; ${CHEAP_PARALLEL}`],
    ['jit=off, random_page_cost=1.1', `${DEFAULTS}; ${JIT_OFF}; ${SSD}`],
    ['jit=off, random_page_cost=1.1, cheap parallel', `${DEFAULTS}; ${JIT_OFF}; ${SSD}; ${CHEAP_PARALLEL}`],
    [`  same + work_mem=${args['work-mem']}`, `${DEFAULTS}; ${JIT_OFF}; ${SSD}; ${CHEAP_PARALLEL}; SET work_mem = '${args['work-mem']}'`],
  ];
  console.log('\nsession settings for (b) facts, all partners:');
  for (const [name, sql] of variants) {
    await client.query(sql);
    const fl = await measure(cases[0]!.sql, [], variantRuns);
    const r = await measure(b.sql, b.params, variantRuns);
    console.log(`  ${name.padEnd(52)} floor ${fl.ms.toFixed(0).padStart(6)} ms   facts ${r.ms.toFixed(0).padStart(6)} ms  (${(r.ms / fl.ms).toFixed(2)}x)`);
  }
  await client.query(TUNED);
}
const shown = await client.query(`SELECT string_agg(name || '=' || setting, '  ' ORDER BY name) AS s FROM pg_settings
  WHERE name IN ('jit', 'work_mem', 'random_page_cost', 'parallel_setup_cost', 'parallel_tuple_cost')`);
console.log(`\ntimed with: ${shown.rows[0].s}`);
let floor = 0;
console.log(`\n${'case'.padEnd(42)} ${'median ms'.padStart(10)} ${'x floor'.padStart(8)} ${'rows'.padStart(9)}  runs`);
for (const c of cases) {
  const r = await measure(c.sql, c.params);
  if (!floor) floor = r.ms;
  console.log(
    `${c.name.padEnd(42)} ${r.ms.toFixed(0).padStart(10)} ${(r.ms / floor).toFixed(2).padStart(8)} ${String(r.rows).padStart(9)}  ${r.all.map((x) => x.toFixed(0)).join(' ')}`,
  );
}

if (args.explain) {
  const c = cases[1]!;
  const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) CREATE TEMP TABLE bench_facts_x AS ${c.sql}`, c.params);
  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) ${c.name}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
}
await client.end();
await dropScratch?.();
