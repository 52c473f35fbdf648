/**
 * `pnpm bench:worklist [--partners N] [--items M] [--runs R] [--preview-partners P] [--reseed] [--database NAME]`
 *
 * On real Postgres (DATABASE_URL's server, default 127.0.0.1:5432): seeds a database
 * `recoup_bench_<N>` (or --database NAME, e.g. to keep one per branch when comparing them) with the
 * synthetic AR once (kept for the next run; --reseed forces it), then,
 * R times interleaved, times
 *  - the floor: one GROUP BY partner_id scan of the open items (count and sum per partner),
 *  - the run's fact rows alone, computed as a run does but neither scored nor dealt (a reference:
 *    what the run adds to it is scoring, distribution, indexes and the switch),
 *  - a full live run: every segment's worklist generated and switched (runWorklist, LIVE),
 *  - a preview of a P-partner segment (a segment made of the first P partners of CONSUMER), cold
 *    (its facts computed) and warm (a points change scored over the facts kept from the first),
 * and prints the medians, the ratio run / floor and the peak RSS of this Node process.
 * --items is the expected open-item count: the seeder makes about 5.15 per partner; the bench
 * prints the real count and warns when it is more than 10% off.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database';
import { seedDemoOrganisation } from '../src/seed/demo-org';
import { seedDemoAr } from '../src/seed/seed.service';
import { DEMO_STRATEGY } from '../src/seed/demo-strategy';
import { clearFactCache } from '../src/worklists/worklist-fact-cache';
import { partnerRanges } from '../src/worklists/worklist-jobs';
import { runWorklist, runWorklists } from '../src/worklists/worklist-run.service';
import { factKeysFor, factRowsFor } from '../src/worklists/worklist-run.sql';
import { fxRatesSql } from '@recoup/rules';
import { median } from './bench-db';

const { values: args } = parseArgs({
  options: {
    partners: { type: 'string', default: '1000000' },
    items: { type: 'string', default: '5000000' },
    runs: { type: 'string', default: '3' },
    'preview-partners': { type: 'string', default: '100000' },
    reseed: { type: 'boolean', default: false },
    database: { type: 'string' },
  },
});
const partners = Number(args.partners);
const expectedItems = Number(args.items);
const runs = Number(args.runs);
const previewPartners = Number(args['preview-partners']);
const AS_OF = '2026-11-23';
const SAMPLE = 'SAMPLE';

const admin = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const name = args.database ?? `recoup_bench_${partners}`;
const url = new URL(admin);
url.pathname = `/${name}`;

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

async function adminQuery<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function seededDatabase(): Promise<Database> {
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
  console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return db;
}

const db = await seededDatabase();
// The bench's own segment for the preview: the first P partners of CONSUMER, with a group of its own.
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
await db.dataSource.query('VACUUM ANALYZE');

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

async function floor(): Promise<number> {
  const q = db.dataSource.createQueryRunner();
  await q.connect();
  try {
    // The run's own session settings, so the floor gets the same parallel plan.
    await q.query(`SET jit = off; SET parallel_setup_cost = 10; SET parallel_tuple_cost = 0.001`);
    const t = performance.now();
    await q.query(`SELECT count(*), sum(s) FROM (SELECT partner_id, sum(open_amount) AS s, count(*) AS n
      FROM open_items WHERE open_amount > 0 GROUP BY partner_id) x`);
    return performance.now() - t;
  } finally {
    await q.release();
  }
}

async function fullRun(): Promise<{ ms: number; onList: number; phases: Record<string, number> }> {
  const t = performance.now();
  let onList = 0;
  const phases: Record<string, number> = {};
  const results = await runWorklists(db, { segments: segments.map((s) => s.key), asOf: AS_OF, mode: 'LIVE' });
  for (const r of results) onList += r.partnersOnList;
  // One batch (one strategy version) shares its timings across its segments.
  for (const [k, v] of Object.entries(results[0]!.stats.timings)) phases[k] = v;
  return { ms: performance.now() - t, onList, phases };
}

/**
 * A reference between the floor and the run: the fact rows a full run computes (every partner,
 * the strategy's facts and the item figures) and nothing else, by the run's own partner-range
 * jobs on two connections, into an unlogged table. What the run adds to this is scoring,
 * distribution, indexes and the switch.
 */
async function factsAlone(): Promise<number> {
  const document = DEMO_STRATEGY;
  const fx = fxRatesSql({ currency: document.currency, asOf: AS_OF });
  const rates: Array<{ currency: string; rate: string }> = await db.dataSource.query(fx.text, fx.values);
  const keys = factKeysFor(document);
  const selection = { asOf: AS_OF, segments: segments.map((x) => x.key), rates, uniformToleranceDays: 3, narrow: false };
  const shape = factRowsFor(document, keys, selection);
  const [bounds] = await db.dataSource.query(`SELECT min(id)::text AS lo, max(id)::text AS hi FROM partners`);
  const ranges = partnerRanges(bounds.lo, bounds.hi, counts.partners, 2);
  await db.dataSource.query(`DROP TABLE IF EXISTS bench_facts_alone`);
  await db.dataSource.query(`CREATE UNLOGGED TABLE bench_facts_alone AS ${shape.text} WITH NO DATA`, shape.values);
  const t = performance.now();
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      const q = db.dataSource.createQueryRunner();
      await q.connect();
      try {
        await q.query(`SET max_parallel_workers_per_gather = 0; SET jit = off; SET random_page_cost = 1.1`);
        while (next < ranges.length) {
          const sql = factRowsFor(document, keys, { ...selection, partnerRange: ranges[next++] });
          await q.query(`INSERT INTO bench_facts_alone ${sql.text}`, sql.values);
        }
      } finally {
        await q.release();
      }
    }),
  );
  const ms = performance.now() - t;
  await db.dataSource.query(`DROP TABLE bench_facts_alone`);
  return ms;
}

/** A preview of the active strategy with one rule's points changed: cold (facts computed), then warm (facts kept). */
async function preview(round: number): Promise<{ cold: number; warm: number }> {
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

const floors: number[] = [];
const fulls: number[] = [];
const previews: number[] = [];
const warmPreviews: number[] = [];
const factsOnly: number[] = [];
for (let i = 0; i < runs; i++) {
  floors.push(await floor());
  factsOnly.push(await factsAlone());
  const full = await fullRun();
  fulls.push(full.ms);
  const p = await preview(i);
  previews.push(p.cold);
  warmPreviews.push(p.warm);
  console.log(
    `run ${i + 1}: floor ${(floors[i]! / 1000).toFixed(2)} s, facts alone ${(factsOnly[i]! / 1000).toFixed(2)} s, full live run ${(full.ms / 1000).toFixed(2)} s (${full.onList} partners on lists; ${Object.entries(
      full.phases,
    )
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ')}), preview ${p.cold.toFixed(0)} ms cold, ${p.warm.toFixed(0)} ms warm`,
  );
}
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
const f = median(floors);
const r = median(fulls);
console.log(`\nmedian of ${runs}:`);
console.log(`  floor (GROUP BY partner_id over ${counts.open} open items)  ${(f / 1000).toFixed(2)} s`);
console.log(`  full live run (${counts.partners} partners, ${segments.length} segments)      ${(r / 1000).toFixed(2)} s   target <= 10 s`);
console.log(`  ratio full run / floor                                ${(r / f).toFixed(2)}x    target <= 3x`);
console.log(
  `  the run's fact rows alone (no scoring, no deal)       ${(median(factsOnly) / 1000).toFixed(2)} s   ${(median(factsOnly) / f).toFixed(2)}x the floor`,
);
console.log(`  preview of a ${previewPartners}-partner segment, facts computed  ${median(previews).toFixed(0)} ms   target < 500 ms`);
console.log(`  the same after a points change (facts kept)         ${median(warmPreviews).toFixed(0)} ms`);
console.log(`  peak RSS of this Node process                         ${(peakRss / 2 ** 20).toFixed(0)} MiB   target < 1024 MiB`);
await db.close();
