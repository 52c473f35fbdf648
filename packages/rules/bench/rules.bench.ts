/**
 * pnpm bench:rules — throughput of json-rules-engine vs the compiled JS scorer vs the compiled
 * SQL (on the Postgres of BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres;
 * a scratch database recoup_bench_rules is created and dropped) on 100k fact rows with a
 * 20-rule strategy. Prints medians of 3 runs and ratios, and fails unless every path gives the
 * same fired rules, exits, valuation, percent, priority and minPercent flag on every row.
 *
 * SQL paths: "in db" materialises the scores server-side (CREATE TEMP TABLE AS, like the bulk
 * path's INSERT ... SELECT into the worklist), once with the planner's defaults and once with a
 * session that makes parallel workers affordable (parallel_setup_cost = 100, parallel_tuple_cost
 * = 0.01; max_parallel_workers_per_gather is left as configured). Note that Postgres 15 runs
 * CREATE TABLE AS in parallel but not INSERT ... SELECT. "+fetch" fetches every row to the
 * client. BENCH_JIT=off turns JIT off in the session (at default thresholds it does not kick in
 * for this query: its plan cost is far below jit_above_cost).
 */
import pg from 'pg';
import {
  assertValidStrategy,
  compileJs,
  compileSql,
  createEngine,
  engineScore,
  factColumnsSql,
  factKeysOf,
  ruleFromBasicRule,
  scoreOfSqlRow,
  type FactKey,
  type FactRow,
  type Score,
  type StrategyRule,
} from '../src/index';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const RUNS = 3;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = 'recoup_bench_rules';

const custom = (name: string, points: number, conditions: StrategyRule['conditions'], role: 'condition' | 'exit' = 'condition'): StrategyRule => ({
  name,
  conditions,
  event: { type: 'valuation', params: { points, role } },
});

const strategy = assertValidStrategy({
  key: 'BENCH',
  name: 'Postpaid consumer (bench)',
  currency: 'EUR',
  maxValuation: null,
  minPercent: 10,
  priorities: [
    { priority: 1, label: 'Very high', minPercent: 80 },
    { priority: 2, label: 'High', minPercent: 50 },
    { priority: 3, label: 'Medium', minPercent: 20 },
    { priority: 4, label: 'Low', minPercent: 0 },
  ],
  agingBuckets: [0, 30, 60, 90],
  rules: [
    ruleFromBasicRule('brokenPromises', { name: 'Broken promise in 90 days', points: 30, params: { days: 90 } }),
    ruleFromBasicRule('brokenPromises', { name: 'Two broken promises in a year', points: 20, params: { days: 365, count: 2 } }),
    ruleFromBasicRule('overdueTotal', { name: 'Overdue over 500', points: 15, params: { days: 1, amount: 500 } }),
    ruleFromBasicRule('overdueTotal', { name: 'Overdue 30 days over 1000', points: 25, params: { days: 30, amount: 1000 } }),
    ruleFromBasicRule('oldestItemOverdue', { name: 'Oldest item 60 days', points: 20, params: { days: 60 } }),
    ruleFromBasicRule('dueSoon', { name: 'Falling due in 7 days', points: 5, params: { days: 7, amount: 200 } }),
    ruleFromBasicRule('amountToBeCollected', { name: 'To be collected over 250', points: 15, params: { amount: 250 } }),
    ruleFromBasicRule('creditUtilization', { name: 'Credit limit exceeded', points: 20, params: { percent: 100 } }),
    ruleFromBasicRule('riskClass', { name: 'High risk class', points: 15, params: { values: ['C', 'D'] } }),
    ruleFromBasicRule('resubmissionDue', { name: 'Resubmission due', points: 10 }),
    ruleFromBasicRule('noSuccessfulContact', { name: 'Not reached in 30 days', points: 10, params: { days: 30 } }),
    ruleFromBasicRule('noPayment', { name: 'No payment in 60 days', points: 10, params: { days: 60 } }),
    ruleFromBasicRule('dunningLevel', { name: 'Dunning level 3', points: 15, params: { level: 3 } }),
    ruleFromBasicRule('openPromises', { name: 'Open promise', points: -20 }),
    ruleFromBasicRule('disputedShare', { name: 'Mostly disputed', points: -15, params: { percent: 50 } }),
    custom('Business customer with large debt', 10, {
      all: [
        { fact: 'customerType', operator: 'equal', value: 'B2B' },
        {
          any: [
            { fact: 'openAmount', operator: 'greaterThan', value: 5000 },
            { fact: 'overdueItemCount', operator: 'greaterThanInclusive', value: 5 },
          ],
        },
      ],
    }),
    custom('Overdue above promised', 10, { all: [{ fact: 'overdueAmount', operator: 'greaterThan', value: { fact: 'promisedAmount' } }] }),
    custom('Foreign partner outside the euro', 5, {
      all: [{ fact: 'country', operator: 'notIn', value: ['DE', 'FR', 'IT', 'ES'] }, { not: { fact: 'currency', operator: 'equal', value: 'EUR' } }],
    }),
    custom('Debt between 100 and 1000', 5, { all: [{ fact: 'openAmount', operator: 'between', value: [100, 1000] }] }),
    ruleFromBasicRule('allOverdueDisputedOrBlocked', { name: 'Everything disputed or blocked', points: 0, role: 'exit' }),
  ],
});

/** Deterministic pseudo-random numbers (mulberry32), so every run sees the same rows. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeRows(keys: FactKey[], n: number): FactRow[] {
  const rnd = random(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const value = (k: FactKey): unknown => {
    if (rnd() < 0.08) return undefined;
    switch (k.fact) {
      case 'currency':
        return pick(['EUR', 'EUR', 'EUR', 'USD', 'CHF']);
      case 'country':
        return pick(['DE', 'FR', 'IT', 'ES', 'AT', 'CH', 'US']);
      case 'customerType':
        return pick(['B2C', 'B2C', 'B2B']);
      case 'riskClass':
        return pick(['A', 'B', 'C', 'D']);
      case 'segment':
        return pick(['CONSUMER', 'SME', 'KEY']);
      case 'allOverdueDisputedOrBlocked':
      case 'resubmissionDue':
        return rnd() < 0.05;
      case 'companyCodes':
        return ['1000'];
    }
    switch (k.fact) {
      case 'brokenPromises':
      case 'overdueItemCount':
      case 'openItemCount':
      case 'maxDunningLevel':
      case 'openDisputeCount':
        return Math.floor(rnd() * 6);
      case 'maxDaysOverdue':
      case 'daysSinceLastContact':
      case 'daysSinceLastPayment':
        return Math.floor(rnd() * 200) - 20;
      case 'creditUtilization':
      case 'disputedShare':
      case 'keptPromiseRatio':
        return Math.round(rnd() * 15000) / 100;
      default:
        return Math.round(-Math.log(1 - rnd()) * 60000) / 100; // money with cents, mean 600, long tail
    }
  };
  return Array.from({ length: n }, () => Object.fromEntries(keys.map((k) => [k.column, value(k)])));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time<T>(label: string, fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = await fn();
    times.push(performance.now() - t0);
  }
  const ms = median(times)!;
  console.log(
    `${label.padEnd(20)} median ${ms.toFixed(1).padStart(9)} ms  ${Math.round(ROWS / (ms / 1000))
      .toLocaleString('en')
      .padStart(12)} rows/s`,
  );
  return { ms, result };
}

function same(a: Score[], b: Score[], what: string): void {
  for (let i = 0; i < a.length; i++) {
    if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) throw new Error(`${what} differs at row ${i}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`);
  }
}

async function withBenchDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T | undefined> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`SQL skipped: cannot reach ${ADMIN_URL} (${(error as Error).message})`);
    return undefined;
  }
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const keys = factKeysOf(strategy);
  const rows = makeRows(keys, ROWS);
  console.log(`${strategy.rules.length} rules, ${keys.length} fact columns, ${ROWS.toLocaleString('en')} fact rows, ${RUNS} runs each`);

  const engine = createEngine(strategy);
  const jre = await time('json-rules-engine', async () => {
    const out: Score[] = [];
    for (const row of rows) out.push(await engineScore(engine, row));
    return out;
  });
  const js = compileJs(strategy);
  const jsRun = await time('compiled JS', async () => rows.map((row) => js.score(row)));
  same(jre.result, jsRun.result, 'JS scorer');

  const sql = await withBenchDatabase(async (client) => {
    const columns = factColumnsSql(keys);
    await client.query(`CREATE TABLE fact_rows (partner_id bigint PRIMARY KEY, ${columns.map((c) => `"${c.column}" ${c.type}`).join(', ')})`);
    // unnest of one array per column: one statement per 10k rows, few parameters
    for (let start = 0; start < rows.length; start += 10_000) {
      const batch = rows.slice(start, start + 10_000);
      const arrays = [
        batch.map((_, i) => start + i + 1),
        ...columns.map((c) =>
          batch.map((r) => {
            const v = r[c.column];
            return v === undefined ? null : c.type === 'text[]' ? `{${(v as string[]).join(',')}}` : v;
          }),
        ),
      ];
      const types = ['bigint', ...columns.map((c) => (c.type === 'text[]' ? 'text' : c.type))];
      const select = columns.map((c, i) => (c.type === 'text[]' ? `u.c${i + 1}::text[]` : `u.c${i + 1}`));
      await client.query(
        `INSERT INTO fact_rows SELECT u.c0, ${select.join(', ')} FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')}) AS u(${types.map((_, i) => `c${i}`).join(', ')})`,
        arrays,
      );
    }
    await client.query('ANALYZE fact_rows');
    if (process.env.BENCH_JIT === 'off') await client.query('SET jit = off');
    const compiled = compileSql(strategy, { factsRelation: 'fact_rows' });
    const { text, values } = compiled;
    const scores = async () => (await client.query('SELECT * FROM scores ORDER BY partner_id')).rows.map((r) => scoreOfSqlRow(compiled, r));
    const inDb = async () => {
      await client.query('DROP TABLE IF EXISTS scores');
      return client.query(`CREATE TEMP TABLE scores AS ${text}`, values);
    };
    const serial = await time('compiled SQL in db', inDb);
    same(jre.result, await scores(), 'SQL in db');
    await client.query('SET parallel_setup_cost = 100');
    await client.query('SET parallel_tuple_cost = 0.01');
    const parallel = await time('  same, parallel', inDb);
    same(jre.result, await scores(), 'SQL in db, parallel');
    await client.query('RESET parallel_setup_cost');
    await client.query('RESET parallel_tuple_cost');
    const fetched = await time('compiled SQL+fetch', async () =>
      (await client.query(`${text} ORDER BY partner_id`, values)).rows.map((r) => scoreOfSqlRow(compiled, r)),
    );
    same(jre.result, fetched.result, 'SQL+fetch');
    return { serial, parallel, fetched };
  });
  const ratio = (ms: number) => `${(jre.ms / ms).toFixed(0)}x`;
  console.log(
    `\nvs json-rules-engine (${jre.ms.toFixed(0)} ms): compiled JS ${ratio(jsRun.ms)}` +
      (sql ? ` | compiled SQL in db ${ratio(sql.serial.ms)}, in db parallel ${ratio(sql.parallel.ms)}, with every row fetched ${ratio(sql.fetched.ms)}` : ''),
  );
  const fired = jsRun.result.reduce((s, r) => s + r.fired.length, 0);
  console.log(
    `identical results on all ${ROWS.toLocaleString('en')} rows across ${sql ? 'all' : 'the non-SQL'} paths (${fired.toLocaleString('en')} fired condition rules, ${jsRun.result.filter((r) => r.excluded).length.toLocaleString('en')} excluded)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
