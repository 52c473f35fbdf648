/**
 * `pnpm bench:worklist [--partners N[,N2,…]] [--items M] [--runs R] [--preview-partners P] [--reseed] [--database NAME]
 *    [--skip-preview] [--skip-verify]`
 *
 * On real Postgres (DATABASE_URL's server, default 127.0.0.1:5432): seeds a database
 * `recoup_bench_<N>` (or --database NAME, e.g. to keep one per branch when comparing them) with the
 * synthetic AR once (kept for the next run; --reseed forces it), prints which facts and figures
 * the run computes (the run's fact keys: the pruning made visible), then, R times interleaved, times
 *  - the floor: one GROUP BY partner_id scan of the open items (count and sum per partner),
 *  - the same-work floor (same-work-floor.ts): one hand-written statement computing exactly the
 *    facts and figures the run's strategy needs, one GROUP BY per source table, run as the run
 *    runs its jobs (125k-partner ranges on two connections); in the first round the bench checks
 *    row by row that it computes the run's values (--skip-verify: not),
 *  - the run's fact rows alone, computed as a run does but neither scored nor dealt (a reference:
 *    what the run adds to it is scoring, distribution, indexes and the switch),
 *  - a full live run: every segment's worklist generated and switched (runWorklists, LIVE), with
 *    its fact phase from the run's own timings (the phases named "fact…"),
 *  - a preview of a P-partner segment (a segment made of the first P partners of CONSUMER; default
 *    100k, at most a tenth of the partners), cold (its facts computed) and warm (a points change
 *    scored over the facts kept from the first),
 * and prints the medians, the ratios of the fact phase and of the whole run to the same-work
 * floor, and the peak RSS of this Node process.
 *
 * --partners 1000000,3000000,10000000 (a list): per size, a child process seeds (once) and
 * prepares `recoup_bench_<N>`, then another child runs the measures above (previews left out
 * unless --preview-partners is given) so that its peak RSS is the runs' own; then a table per
 * size: full live run, partners per second, peak RSS of the run process, database size and the
 * growth over the first size.
 * --workers 1,2,4 [--part-size 125000[,62500…]] [--parts-at-once K]: the run split across worker
 * processes instead of the measures above. Per round, today's run (one process, its own
 * connections) and, per worker count and part size, a live run of every segment whose scoring is
 * split into parts of that size (the job engine's `worklist-part` jobs), taken by that many
 * `recoup worker` processes started for it (each taking K parts at once: RECOUP_WORKLIST_WORKERS,
 * default one per core); then the medians side by side, each against today's run and the
 * speedup over one worker, with the load average before and after.
 * --items is the expected item count (default 5 per partner): the seeder makes about 5.15 per
 * partner (a third of them open); the bench prints the real count and warns when it is more than
 * 10% off. Where the maintained facts exist but are empty (a database seeded before them), the
 * preparation rebuilds them once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { fxRatesSql, type StrategyDocument } from '@recoup/rules';
import { openDatabase, type Database } from '../src/db/database';
import { seedDemoOrganisation } from '../src/seed/demo-org';
import { seedDemoAr } from '../src/seed/seed.service';
import { DEMO_STRATEGY } from '../src/seed/demo-strategy';
import { clearFactCache } from '../src/worklists/worklist-fact-cache';
import { partnerRanges } from '../src/worklists/worklist-jobs';
import { activeStrategyOf, runWorklist, runWorklists } from '../src/worklists/worklist-run.service';
import { JobEngine } from '../src/jobs';
import { PARTNERS_PER_PART } from '../src/jobs/worklist-part-jobs';
import type { RunSplitting } from '../src/worklists/worklist-run-parts';
import type { WorklistRunResult } from '../src/worklists/worklist-batch';
import { factKeysFor, factRowsFor, type Selection } from '../src/worklists/worklist-run.sql';
import { factSourceFor, type FactSource } from '../src/facts';
import { median, onTwoConnections, rebuildEmptyFacts } from './bench-db';
import { FLOOR_FACT_KEYS, FLOOR_FIGURES, sameWorkFloorSql, sameWorkRowsSql, type FloorParams } from './same-work-floor';

const { values: args } = parseArgs({
  options: {
    partners: { type: 'string', default: '1000000' },
    items: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'preview-partners': { type: 'string' },
    reseed: { type: 'boolean', default: false },
    database: { type: 'string' },
    'skip-preview': { type: 'boolean', default: false },
    'skip-verify': { type: 'boolean', default: false },
    workers: { type: 'string' },
    'part-size': { type: 'string' },
    'parts-at-once': { type: 'string' },
    // Internal, for the child processes of a list of sizes.
    'prepare-only': { type: 'boolean', default: false },
    prepared: { type: 'boolean', default: false },
    'result-file': { type: 'string' },
  },
});
const sizes = args.partners.split(',').map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--partners takes whole numbers separated by commas; got ${args.partners}`);
const runs = Number(args.runs);
const AS_OF = '2026-11-23';
const SAMPLE = 'SAMPLE';
const admin = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** What a single-size bench reports to the parent of a list of sizes. */
interface SizeResult {
  partners: number;
  items: number;
  open: number;
  fullRunMs: number;
  factPhaseMs: number;
  floorMs: number;
  sameWorkMs: number;
  peakRssBytes: number;
  databaseBytes: number;
}

// ---- a list of sizes ----------------------------------------------------------------------

/** Each size in two child processes (prepare, then measure), then the growth table. */
async function benchSizes(list: number[]): Promise<void> {
  if (args.database) throw new Error('--database names one database: not with a list of sizes');
  const results: SizeResult[] = [];
  const seeding: number[] = [];
  for (const n of list) {
    console.log(`\n===== ${n.toLocaleString('en')} partners =====`);
    const common = ['--partners', String(n), ...(args['preview-partners'] ? ['--preview-partners', args['preview-partners']] : [])];
    const t = performance.now();
    await child([...common, '--prepare-only', ...(args.reseed ? ['--reseed'] : [])]);
    seeding.push(performance.now() - t);
    const file = path.join(tmpdir(), `recoup-bench-worklist-${process.pid}-${n}.json`);
    await child([
      ...common,
      '--prepared',
      '--runs',
      String(runs),
      '--result-file',
      file,
      ...(args['preview-partners'] ? [] : ['--skip-preview']),
      ...(args['skip-verify'] ? ['--skip-verify'] : []),
    ]);
    results.push(JSON.parse(await readFile(file, 'utf8')) as SizeResult);
    await rm(file, { force: true });
  }
  const first = results[0]!;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`\ngrowth (medians of ${runs}; each size's runs in a process of their own):`);
  console.log(
    '  partners      items (open)                prepare   full run   partners/s   fact phase   same-work floor   run/floor   peak RSS    database   run growth (partners)',
  );
  results.forEach((r, k) => {
    console.log(
      `  ${r.partners.toLocaleString('en').padStart(10)}  ${`${r.items.toLocaleString('en')} (${r.open.toLocaleString('en')})`.padEnd(26)} ${s(seeding[k]!).padStart(9)} ${s(r.fullRunMs).padStart(10)} ${Math.round(
        r.partners / (r.fullRunMs / 1000),
      )
        .toLocaleString('en')
        .padStart(12)} ${s(r.factPhaseMs).padStart(12)} ${s(r.sameWorkMs).padStart(17)} ${`${(r.fullRunMs / r.sameWorkMs).toFixed(2)}x`.padStart(11)} ${`${(
        r.peakRssBytes /
        2 ** 20
      ).toFixed(0)} MiB`.padStart(
        10,
      )} ${`${(r.databaseBytes / 2 ** 30).toFixed(1)} GiB`.padStart(11)}   ${(r.fullRunMs / first.fullRunMs).toFixed(2)}x (${(r.partners / first.partners).toFixed(1)}x)`,
    );
  });
  const over = results.filter((r) => r.peakRssBytes >= 512 * 2 ** 20);
  console.log(
    `  peak RSS of the run process: ${over.length ? `over 512 MiB at ${over.map((r) => r.partners).join(', ')}` : 'under the 512 MiB target at every size'}`,
  );
  const ten = results.find((r) => r.partners === first.partners * 10);
  if (ten)
    console.log(
      `  ${ten.partners.toLocaleString('en')} partners take ${(ten.fullRunMs / first.fullRunMs).toFixed(2)}x the ${first.partners.toLocaleString('en')}-partner run: target <= 12x`,
    );
  console.log(`  ("prepare": the child that seeds the database once and keeps it, sets up the sample segment and runs VACUUM ANALYZE)`);
}

/** This bench again in a child process with `childArgs`, its output passed through. */
function child(childArgs: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...childArgs], { stdio: 'inherit' });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench child ${childArgs.join(' ')} exited with ${code}`))));
  });
}

// ---- one size -----------------------------------------------------------------------------

/** One size: seed (once) and prepare, then the measures, their medians, and the result for a parent. */
async function benchOneSize(partners: number): Promise<void> {
  const previewPartners = Number(args['preview-partners'] ?? Math.min(100_000, Math.round(partners / 10)));
  const name = args.database ?? `recoup_bench_${partners}`;
  const rss = rssSampler();
  const db = await seededDatabase(name, partners);
  try {
    if (!args.prepared) await prepareSample(db, previewPartners);
    if (args['prepare-only']) return;
    const bench = await describe(db, args.items ? Number(args.items) : partners * 5);
    printPruning(bench.document, bench.selection);
    await checkFloorAssumptions(db, bench.document);
    const rounds = await measure(bench, args['skip-preview'] ? null : previewPartners);
    const result = summarise(bench, rounds, rss.peak(), await databaseBytes(db));
    if (args['result-file']) await writeFile(args['result-file'], JSON.stringify(result));
  } finally {
    rss.stop();
    await db.close();
  }
}

/** This process's peak RSS: sampled, and the kernel's own maximum at the end. */
function rssSampler(): { peak: () => number; stop: () => void } {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    peak: () => Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024),
    stop: () => clearInterval(timer),
  };
}

/** What the measures of one size work on. */
interface Bench {
  db: Database;
  counts: { partners: number; items: number; open: number; payments: number; contacts: number };
  segments: Array<{ key: string; n: number }>;
  document: StrategyDocument;
  floorParams: FloorParams;
  /** The run's selection with its own choice of fact source (the maintained facts, or the mirror). */
  selection: Selection;
  bounds: PartnerBounds;
}

/** The database as the bench sees it (printed): counts, segments, the active strategy, the run's selection. */
async function describe(db: Database, expectedItems: number): Promise<Bench> {
  const [counts] = await db.dataSource.query(`SELECT (SELECT count(*) FROM partners)::integer AS partners,
    (SELECT count(*) FROM open_items)::integer AS items, (SELECT count(*) FROM open_items WHERE open_amount > 0)::integer AS open,
    (SELECT count(*) FROM payments)::integer AS payments, (SELECT count(*) FROM contacts)::integer AS contacts`);
  const segments: Array<{ key: string; n: number }> = await db.dataSource.query(
    `SELECT g.segment_key AS key, (SELECT count(*)::integer FROM partners p WHERE p.segment = g.segment_key) AS n
       FROM (SELECT DISTINCT segment_key FROM collection_groups) g ORDER BY n DESC`,
  );
  const [settings] = await db.dataSource.query(`SELECT version() AS v, current_setting('max_parallel_workers_per_gather') AS workers,
    current_setting('shared_buffers') AS shared_buffers, current_setting('work_mem') AS work_mem`);
  console.log(
    `${settings.v.split(' on ')[0]}; max_parallel_workers_per_gather=${settings.workers}, shared_buffers=${settings.shared_buffers}, work_mem=${settings.work_mem}`,
  );
  console.log(
    `${counts.partners} partners, ${counts.items} items (${counts.open} open), ${counts.payments} payments, ${counts.contacts} contacts; segments ${segments.map((s) => `${s.key} ${s.n}`).join(', ')}`,
  );
  if (Math.abs(counts.items - expectedItems) > expectedItems * 0.1)
    console.log(`note: ${counts.items} items, not the ${expectedItems} asked for (the seeder's ratio)`);

  const segmentKeys = segments.map((s) => s.key);
  const { document } = await activeStrategyOf(db, segmentKeys[0]!);
  const fx = fxRatesSql({ currency: document.currency, asOf: AS_OF });
  const rates: Array<{ currency: string; rate: string }> = await db.dataSource.query(fx.text, fx.values);
  const toleranceDays = await floorTolerance(db);
  const floorParams: FloorParams = {
    asOf: AS_OF,
    currency: document.currency,
    segments: segmentKeys,
    rates,
    toleranceDays,
    agingLimits: document.agingBuckets,
  };
  const [ids] = await db.dataSource.query(`SELECT min(id)::text AS lo, max(id)::text AS hi FROM partners`);
  const facts = await factSourceFor(db.dataSource, { asOf: AS_OF, segments: segmentKeys }, counts.partners);
  const selection: Selection = { asOf: AS_OF, segments: segmentKeys, rates, uniformToleranceDays: toleranceDays, narrow: false, facts };
  return { db, counts, segments, document, floorParams, selection, bounds: { lo: ids.lo, hi: ids.hi, partners: counts.partners } };
}

/** Milliseconds per measure, one entry per round. */
interface Rounds {
  floor: number[];
  sameWork: number[];
  factsAlone: number[];
  fullRun: number[];
  factPhase: number[];
  previewCold: number[];
  previewWarm: number[];
}

/** The rounds, interleaved (each printed); the first also checks the same-work floor against the run's fact rows. */
async function measure(bench: Bench, previewPartners: number | null): Promise<Rounds> {
  const { db } = bench;
  const m: Rounds = { floor: [], sameWork: [], factsAlone: [], fullRun: [], factPhase: [], previewCold: [], previewWarm: [] };
  for (let i = 0; i < runs; i++) {
    m.floor.push(await floor(db));
    m.sameWork.push(await sameWorkFloor(db, bench.floorParams, bench.bounds));
    const verify = i === 0 && !args['skip-verify'];
    m.factsAlone.push(await factsAlone(db, bench.document, bench.selection, bench.bounds, verify));
    if (verify) await compareWithFloor(db, bench.floorParams, bench.bounds);
    const full = await fullRun(db, bench.selection.segments!);
    m.fullRun.push(full.ms);
    m.factPhase.push(full.factMs);
    const p = previewPartners === null ? null : await preview(db, i);
    if (p) {
      m.previewCold.push(p.cold);
      m.previewWarm.push(p.warm);
    }
    const phases = Object.entries(full.phases).map(([k, v]) => `${k} ${v} ms`);
    console.log(
      `run ${i + 1}: floor ${sec(m.floor[i]!)}, same-work floor ${sec(m.sameWork[i]!)}, facts alone ${sec(m.factsAlone[i]!)}, full live run ${sec(full.ms)} (${full.onList} partners on lists; ${phases.join(', ')})${p ? `, preview ${p.cold.toFixed(0)} ms cold, ${p.warm.toFixed(0)} ms warm` : ''}`,
    );
  }
  return m;
}

/** The medians and ratios against their targets (printed), and what a parent of a list of sizes gets. */
function summarise(bench: Bench, m: Rounds, peakRss: number, bytes: number): SizeResult {
  const { counts } = bench;
  const f = median(m.floor);
  const w = median(m.sameWork);
  const r = median(m.fullRun);
  const fp = median(m.factPhase);
  const alone = median(m.factsAlone);
  console.log(`\nmedian of ${runs}:`);
  console.log(`  floor (GROUP BY partner_id over ${counts.open} open items)       ${sec(f)}`);
  console.log(`  same-work floor (the strategy's aggregates, hand-written)  ${sec(w)}   ${(w / f).toFixed(2)}x the floor`);
  console.log(`  full live run (${counts.partners} partners, ${bench.segments.length} segments)           ${sec(r)}   target <= 6 s`);
  console.log(`  the run's fact phase (its own timings: ${FACT_PHASE_NAMES()})  ${sec(fp)}`);
  console.log(`  ratio fact phase / same-work floor                         ${(fp / w).toFixed(2)}x    target <= 1.5x`);
  console.log(`  ratio full run / same-work floor                           ${(r / w).toFixed(2)}x    target <= 2.5x`);
  console.log(`  ratio full run / floor                                     ${(r / f).toFixed(2)}x`);
  console.log(`  the run's fact rows alone (no scoring, no deal)            ${sec(alone)}   ${(alone / w).toFixed(2)}x the same-work floor`);
  if (m.previewCold.length) {
    const partners = bench.segments.find((s) => s.key === SAMPLE)?.n;
    console.log(`  preview of a ${partners}-partner segment, facts computed       ${median(m.previewCold).toFixed(0)} ms   target <= 500 ms`);
    console.log(`  the same after a points change (facts kept)              ${median(m.previewWarm).toFixed(0)} ms   target <= 150 ms`);
  }
  console.log(`  partners per second (full live run)                        ${Math.round(counts.partners / (r / 1000)).toLocaleString('en')}`);
  console.log(`  database size                                              ${(bytes / 2 ** 30).toFixed(2)} GiB`);
  console.log(
    `  peak RSS of this Node process                              ${(peakRss / 2 ** 20).toFixed(0)} MiB   target < 512 MiB${
      seededHere ? ' (the seeding in this process included: run again, or with a list of sizes, for the runs alone)' : ''
    }`,
  );
  return {
    partners: counts.partners,
    items: counts.items,
    open: counts.open,
    fullRunMs: r,
    factPhaseMs: fp,
    floorMs: f,
    sameWorkMs: w,
    peakRssBytes: peakRss,
    databaseBytes: bytes,
  };
}

async function databaseBytes(db: Database): Promise<number> {
  const [{ bytes }] = await db.dataSource.query(`SELECT pg_database_size(current_database())::text AS bytes`);
  return Number(bytes);
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function adminQuery<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Whether this process seeded its database: its peak RSS is then the seeder's, not the runs'. */
let seededHere = false;

async function seededDatabase(name: string, partners: number): Promise<Database> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`--database ${name}: lower-case letters, digits and _ only`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const exists = (await adminQuery(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).length > 0;
  if (exists && !args.reseed) {
    const db = await openDatabase({ url: url.toString(), poolSize: 4 });
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::integer AS n FROM partners`);
    if (n === partners) return db;
    await db.close();
  }
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${name}`);
  const db = await openDatabase({ url: url.toString(), poolSize: 4 });
  console.log(`seeding ${partners} partners into ${name} (once; kept for later runs)…`);
  const t = performance.now();
  await seedDemoAr(db, { partners, seed: 1, asOf: AS_OF });
  seededHere = true;
  console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return db;
}

/** The bench's own segment for the preview: the first P partners of CONSUMER, with a group of its own. */
async function prepareSample(db: Database, previewPartners: number): Promise<void> {
  await db.dataSource.transaction(async (m) => {
    await m.query(`INSERT INTO collection_segments (key, name, currency) VALUES ($1, 'Bench sample', 'EUR') ON CONFLICT DO NOTHING`, [SAMPLE]);
    await m.query(`INSERT INTO collection_groups (key, name, segment_key) VALUES ($1, 'Bench sample team', $2) ON CONFLICT DO NOTHING`, [
      `${SAMPLE}_TEAM`,
      SAMPLE,
    ]);
    const [{ n }] = await m.query(`SELECT count(*)::integer AS n FROM partners WHERE segment = $1`, [SAMPLE]);
    if (n !== previewPartners) {
      await m.query(`UPDATE partners SET segment = 'CONSUMER', collection_group_key = 'CONSUMER_TEAM' WHERE segment = $1`, [SAMPLE]);
      await m.query(
        `UPDATE partners SET segment = $1, collection_group_key = $2 WHERE id IN (SELECT id FROM partners WHERE segment = 'CONSUMER' ORDER BY id LIMIT $3)`,
        [SAMPLE, `${SAMPLE}_TEAM`, previewPartners],
      );
    }
  });
  await seedDemoOrganisation(db);
  const rebuilt = await rebuildEmptyFacts(db);
  if (rebuilt) console.log(`maintained facts were empty: rebuilt for ${rebuilt.partners} partners in ${sec(rebuilt.ms)}`);
  await db.dataSource.query('VACUUM ANALYZE');
}

/** The run's fact keys and figures, the tables its fact SQL reads, and whether the floor computes the same. */
function printPruning(document: StrategyDocument, selection: Selection): void {
  const keys = factKeysFor(document);
  const shape = factRowsFor(document, keys, selection);
  const figures = [...new Set([...shape.text.matchAll(/ AS (w_[a-z_]+)/g)].map((m) => m[1]!))];
  const tables = [...new Set([...shape.text.matchAll(/(?:FROM|JOIN) ([a-z_]+) [a-z]+\b/g)].map((m) => m[1]!))].filter(
    (t) => !/^(ia|iz|fi|da|pa|ca|ya|ra|ib|prs|ins|pad|dla|dsh)$/.test(t),
  );
  console.log(`the run computes ${keys.length} facts: ${keys.map((k) => k.key).join(', ')}`);
  console.log(`  and ${figures.length} figures: ${figures.join(', ')}`);
  console.log(`  reading ${tables.join(', ')}`);
  const late = selection.facts?.latePartnerIds;
  console.log(
    selection.facts?.source === 'maintained'
      ? `  from the maintained facts${Array.isArray(late) ? `, ${late.length} late partners (events after the key date) from the mirror` : ''}`
      : '  from the mirror (the AR tables) alone',
  );
  const run = new Set(keys.map((k) => k.key));
  const floor = new Set(FLOOR_FACT_KEYS);
  const missing = [...run].filter((k) => !floor.has(k));
  const extra = [...floor].filter((k) => !run.has(k));
  const figuresMissing = figures.filter((f) => !FLOOR_FIGURES.includes(f));
  if (missing.length || extra.length || figuresMissing.length)
    console.log(
      `  note: the same-work floor was written for another set: ${[
        missing.length ? `it lacks ${missing.join(', ')}` : '',
        extra.length ? `it computes ${extra.join(', ')} the run no longer does` : '',
        figuresMissing.length ? `it lacks figures ${figuresMissing.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')}`,
    );
  else console.log(`  the same-work floor computes exactly these facts and figures`);
}

/** The floor assumes one tolerance for every company code (the run checks the same) and returns it. */
async function floorTolerance(db: Database): Promise<number> {
  const [{ days }] = await db.dataSource.query(`SELECT array_agg(DISTINCT promise_tolerance_days) AS days FROM company_codes`);
  if (!days || days.length !== 1) throw new Error(`the same-work floor assumes one promise tolerance for every company code; found ${days}`);
  return days[0];
}

/** The floor is written for D = the data's today: nothing paid after D. */
async function checkFloorAssumptions(db: Database, document: StrategyDocument): Promise<void> {
  const [{ later }] = await db.dataSource.query(`SELECT EXISTS (SELECT 1 FROM payments WHERE payment_date > $1::date) AS later`, [AS_OF]);
  if (later) throw new Error(`the same-work floor is written for a key date with no payment after it; ${AS_OF} has some`);
  if (document.key !== DEMO_STRATEGY.key) console.log(`note: the active strategy is ${document.key}, the same-work floor was written for ${DEMO_STRATEGY.key}`);
}

/** Settings every floor runs with: the run's own, so it gets the same parallel plan. */
const FLOOR_SETTINGS = `SET jit = off; SET parallel_setup_cost = 10; SET parallel_tuple_cost = 0.001`;

async function timedQuery(db: Database, sql: string, values: unknown[] = []): Promise<number> {
  const q = db.dataSource.createQueryRunner();
  await q.connect();
  try {
    await q.query(FLOOR_SETTINGS);
    const t = performance.now();
    await q.query(sql, values);
    return performance.now() - t;
  } finally {
    await q.release();
  }
}

/** Today's floor: count and sum of the open items per partner. */
const floor = (db: Database) =>
  timedQuery(
    db,
    `SELECT count(*), sum(s) FROM (SELECT partner_id, sum(open_amount) AS s, count(*) AS n
      FROM open_items WHERE open_amount > 0 GROUP BY partner_id) x`,
  );

/**
 * The same-work floor (same-work-floor.ts), run as the run runs its jobs: ranges of about 125k
 * partners, two connections side by side, each statement without parallel workers and with the
 * jobs' settings. (One statement over every partner has the same plan shape but hash aggregates
 * too large for work_mem: slower at 1M, and worse with every size.) With `into`, the rows go into
 * that table instead of being counted.
 */
async function sameWorkFloor(db: Database, params: FloorParams, bounds: PartnerBounds, into?: string): Promise<number> {
  const ranges = floorRanges(bounds);
  const t = performance.now();
  await onTwoConnections(db, ranges, (range) => {
    const sql = into ? sameWorkRowsSql(params, range) : sameWorkFloorSql(params, range);
    return into ? { text: `INSERT INTO ${into} ${sql.text}`, values: sql.values } : sql;
  });
  return performance.now() - t;
}

interface PartnerBounds {
  lo: string;
  hi: string;
  partners: number;
}

/** Contiguous partner id ranges [from, to) of about 125k partners each, at least two (one per connection). */
function floorRanges({ lo, hi, partners }: PartnerBounds): Array<[string, string]> {
  const from = BigInt(lo);
  const to = BigInt(hi) + 1n;
  const count = BigInt(Math.max(2, Math.ceil(partners / 125_000)));
  return Array.from({ length: Number(count) }, (_, i) => [
    String(from + ((to - from) * BigInt(i)) / count),
    String(from + ((to - from) * BigInt(i + 1)) / count),
  ]);
}

/** The session settings of the run's scoring jobs (worklist-scoring.service). */
/** The phases of a run's timings that compute facts (today "facts and scoring"). */
let factPhaseNames: string[] = [];
const FACT_PHASE_NAMES = () => (factPhaseNames.length ? factPhaseNames.map((n) => `"${n}"`).join(' + ') : 'none found');

async function fullRun(
  db: Database,
  segmentKeys: string[],
  splitting?: RunSplitting,
): Promise<{ ms: number; factMs: number; onList: number; phases: Record<string, number> }> {
  const t = performance.now();
  const results = await runWorklists(db, { segments: segmentKeys, asOf: AS_OF, mode: 'LIVE', splitting });
  const ms = performance.now() - t;
  const phases = batchTimings(results);
  factPhaseNames = Object.keys(phases).filter((k) => /fact/i.test(k));
  const factMs = factPhaseNames.reduce((n, k) => n + phases[k]!, 0);
  return { ms, factMs, onList: results.reduce((n, r) => n + r.partnersOnList, 0), phases };
}

/** The phases of a run, summed over its batches (one per strategy version, sharing its timings across its segments). */
function batchTimings(results: WorklistRunResult[]): Record<string, number> {
  const phases: Record<string, number> = {};
  const seen = new Set<string>();
  for (const r of results) {
    const batch = String(r.strategyVersionId);
    if (seen.has(batch)) continue;
    seen.add(batch);
    for (const [k, v] of Object.entries(r.stats.timings ?? {})) phases[k] = (phases[k] ?? 0) + v;
  }
  return phases;
}

/**
 * A reference between the floor and the run: the fact rows a full run computes (every partner,
 * the strategy's facts and the item figures) and nothing else, by the run's own partner-range
 * jobs on two connections, into an unlogged table (kept for the comparison with the same-work
 * floor when `keep`).
 */
async function factsAlone(db: Database, document: StrategyDocument, selection: Selection, bounds: PartnerBounds, keep: boolean): Promise<number> {
  const keys = factKeysFor(document);
  const shape = factRowsFor(document, keys, selection);
  const ranges = partnerRanges(bounds.lo, bounds.hi, bounds.partners, 2);
  await db.dataSource.query(`DROP TABLE IF EXISTS bench_facts_alone`);
  await db.dataSource.query(`CREATE UNLOGGED TABLE bench_facts_alone AS ${shape.text} WITH NO DATA`, shape.values);
  const t = performance.now();
  await onTwoConnections(db, ranges, (range) => {
    const sql = factRowsFor(document, keys, { ...selection, partnerRange: range, facts: factsWithin(selection.facts, range) });
    return { text: `INSERT INTO bench_facts_alone ${sql.text}`, values: sql.values };
  });
  const ms = performance.now() - t;
  if (!keep) await db.dataSource.query(`DROP TABLE bench_facts_alone`);
  return ms;
}

/** A fact source for one partner range: the late partners in it only (as the run's jobs do). */
function factsWithin(facts: FactSource | undefined, [from, to]: [string, string]): FactSource | undefined {
  const late = facts?.latePartnerIds;
  if (!Array.isArray(late)) return facts;
  return { ...facts, latePartnerIds: late.filter((id) => BigInt(id) >= BigInt(from) && BigInt(id) < BigInt(to)) };
}

/**
 * The same-work floor's rows against the run's fact rows (bench_facts_alone, then dropped), row by
 * row on every column both have: a floor computing less, or other values, would be no reference.
 */
async function compareWithFloor(db: Database, params: FloorParams, bounds: PartnerBounds): Promise<void> {
  const rows = sameWorkRowsSql(params);
  try {
    await db.dataSource.query(`DROP TABLE IF EXISTS bench_same_work`);
    await db.dataSource.query(`CREATE UNLOGGED TABLE bench_same_work AS ${rows.text} WITH NO DATA`, rows.values);
    await sameWorkFloor(db, params, bounds, 'bench_same_work');
    const columns: Array<{ name: string }> = await db.dataSource.query(
      `SELECT a.column_name AS name FROM information_schema.columns a JOIN information_schema.columns b ON b.column_name = a.column_name
        WHERE a.table_name = 'bench_facts_alone' AND b.table_name = 'bench_same_work' AND a.column_name <> 'partner_id' AND a.table_schema = current_schema()
          AND b.table_schema = current_schema() ORDER BY a.ordinal_position`,
    );
    const [diff] = await db.dataSource.query(
      `SELECT count(*)::integer AS rows, count(*) FILTER (WHERE r.partner_id IS NULL OR w.partner_id IS NULL)::integer AS unmatched,
        ${columns.map((c, k) => `count(*) FILTER (WHERE r.${c.name} IS DISTINCT FROM w.${c.name})::integer AS d${k}`).join(', ')}
       FROM bench_facts_alone r FULL JOIN bench_same_work w ON w.partner_id = r.partner_id`,
    );
    const differing = columns.map((c, k) => [c.name, diff[`d${k}`] as number] as const).filter(([, n]) => n > 0);
    if (diff.unmatched === 0 && differing.length === 0)
      console.log(`the same-work floor agrees with the run's fact rows: ${diff.rows} partners, ${columns.length} columns, row by row`);
    else
      console.log(
        `WARNING: the same-work floor differs from the run's fact rows (${diff.rows} partners): ${diff.unmatched} partners in one only; ${differing
          .map(([c, n]) => `${c} on ${n}`)
          .join(', ')}`,
      );
  } finally {
    await db.dataSource.query(`DROP TABLE IF EXISTS bench_same_work`);
    await db.dataSource.query(`DROP TABLE IF EXISTS bench_facts_alone`);
  }
}

/** A preview of the active strategy with one rule's points changed: cold (facts computed), then warm (facts kept). */
async function preview(db: Database, round: number): Promise<{ cold: number; warm: number }> {
  await clearFactCache(db);
  const document = structuredClone(DEMO_STRATEGY);
  const t = performance.now();
  const cold = await runWorklist(db, { segment: SAMPLE, asOf: AS_OF, mode: 'PREVIEW', document });
  const coldMs = performance.now() - t;
  document.rules[1]!.event.params.points += round + 1;
  const t2 = performance.now();
  const warm = await runWorklist(db, { segment: SAMPLE, asOf: AS_OF, mode: 'PREVIEW', document });
  const warmMs = performance.now() - t2;
  if (cold.stats.factsCached || !warm.stats.factsCached) throw new Error('the preview cache did not behave as expected');
  return { cold: coldMs, warm: warmMs };
}

// ---- worker processes sharing a run ---------------------------------------------------------

/** Numbers of a comma-separated list option. */
function listOption(value: string | undefined, fallback: number[]): number[] {
  const list = value === undefined ? fallback : value.split(',').map((x) => Number(x.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`a list of whole numbers separated by commas; got ${value}`);
  return list;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Today's run against runs split across 1, 2, 4… worker processes (--workers), R rounds interleaved. */
async function benchWorkers(partners: number, workerCounts: number[]): Promise<void> {
  const partSizes = listOption(args['part-size'], [PARTNERS_PER_PART]);
  const db = await seededDatabase(args.database ?? `recoup_bench_${partners}`, partners);
  const engine = await JobEngine.start(db, { work: false });
  try {
    if (!args.prepared) await prepareSample(db, Number(args['preview-partners'] ?? Math.min(100_000, Math.round(partners / 10))));
    const bench = await describe(db, args.items ? Number(args.items) : partners * 5);
    const segments = bench.selection.segments!;
    const configs = workerCounts.flatMap((workers) =>
      partSizes.map((size) => ({ workers, size, label: `${workers} worker${workers > 1 ? 's' : ''}, parts of ${size}` })),
    );
    const times = new Map<string, number[]>([['today', []], ...configs.map((c) => [c.label, []] as [string, number[]])]);
    console.log(`load average before: ${load()}`);
    for (let round = 1; round <= runs; round++) {
      const today = await fullRun(db, segments);
      times.get('today')!.push(today.ms);
      console.log(`round ${round}: today's run (one process) ${sec(today.ms)}, ${today.onList} partners on lists; load ${load()}`);
      for (const c of configs) {
        const workers = await Promise.all(Array.from({ length: c.workers }, () => startWorkerProcess(db.url)));
        try {
          const split = await fullRun(db, segments, engine.splitting({ partnersPerPart: c.size, minPartners: 0, pollMs: 200 }));
          if (split.onList !== today.onList) throw new Error(`${c.label}: ${split.onList} partners on lists, today's run ${today.onList}`);
          times.get(c.label)!.push(split.ms);
          console.log(`round ${round}: ${c.label}: ${sec(split.ms)}; load ${load()}`);
        } finally {
          await Promise.all(workers.map(stopWorkerProcess));
        }
      }
    }
    printWorkerTable(times, configs, partners);
    console.log(`load average after: ${load()}`);
  } finally {
    await engine.stop();
    await db.close();
  }
}

/** Medians side by side: each against today's run, and the speedup over one worker with the same part size. */
function printWorkerTable(times: Map<string, number[]>, configs: Array<{ workers: number; size: number; label: string }>, partners: number): void {
  const today = median(times.get('today')!);
  console.log(`
median of ${runs}, ${partners.toLocaleString('en')} partners (every segment's live run):`);
  console.log(`  ${"today's run (one process)".padEnd(36)} ${sec(today).padStart(9)}`);
  for (const c of configs) {
    const ms = median(times.get(c.label)!);
    const one = configs.find((o) => o.workers === 1 && o.size === c.size);
    const speedup = one ? `, speedup over 1 worker ${(median(times.get(one.label)!) / ms).toFixed(2)}x` : '';
    console.log(`  ${c.label.padEnd(36)} ${sec(ms).padStart(9)}   ${(ms / today).toFixed(2)}x today's run${speedup}`);
  }
}

/** A `recoup worker` process on the bench's database (no scheduler), once it takes jobs. */
function startWorkerProcess(url: string): Promise<ChildProcess> {
  const cli = path.resolve(import.meta.dirname, '../src/cli.ts');
  const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn', ...(args['parts-at-once'] ? { RECOUP_WORKLIST_WORKERS: args['parts-at-once'] } : {}) };
  const worker = spawn(process.execPath, [...process.execArgv, cli, 'worker', '--no-scheduler'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    worker.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('taking jobs')) resolve(worker);
    });
    worker.once('exit', (code) => reject(new Error(`worker exited (${code}) before it took jobs`)));
  });
}

function stopWorkerProcess(worker: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.kill('SIGTERM');
  return exited;
}

// Last: the functions and constants above are initialised by now.
if (args.workers) await benchWorkers(sizes[0]!, listOption(args.workers, []));
else if (sizes.length > 1) await benchSizes(sizes);
else await benchOneSize(sizes[0]!);
