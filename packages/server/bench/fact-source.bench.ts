/**
 * `npx tsx packages/server/bench/fact-source.bench.ts --database NAME [--runs R] [--partners-360 N]`
 *
 * The facts from the mirror and from the maintained facts, side by side, on a database seeded by
 * `pnpm bench:worklist --database NAME …` (DATABASE_URL's server, default 127.0.0.1:5432), R times
 * alternating, medians:
 *  - the fact rows of a full run (the demo strategy's facts and the item figures, every partner,
 *    by the run's partner-range jobs on two connections, into an unlogged table), as
 *    bench:worklist's "facts alone": by the mirror path, and by the fact source a run picks now
 *    (facts/fact-source.ts: the maintained facts, the late partners from the mirror), its probe
 *    of the horizon index included;
 *  - one partner's customer-360 facts (N random partners one after the other, read as the 360 reads
 *    them: prepared statements): by the mirror path, and by the maintained facts with the late
 *    partner found in the statement.
 */
import { parseArgs } from 'node:util';
import { factKey, factRowsSql, fxRatesSql, type FactRowsOptions } from '@recoup/rules';
import { openDatabase } from '../src/db/database';
import { factSourceFor, MAINTAINED_WITH_LOOKUP, MIRROR, type FactSource } from '../src/facts';
import { DEMO_STRATEGY } from '../src/seed/demo-strategy';
import { selectionOf } from '../src/worklists/worklist-batch';
import { partnerRanges } from '../src/worklists/worklist-jobs';
import { factKeysFor, factRowsFor } from '../src/worklists/worklist-run.sql';
import { median, onTwoConnections } from './bench-db';

const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    runs: { type: 'string', default: '5' },
    'partners-360': { type: 'string', default: '200' },
    'as-of': { type: 'string', default: '2026-11-23' },
  },
});
if (!args.database) throw new Error('--database NAME: a database seeded by pnpm bench:worklist --database NAME');
const runs = Number(args.runs);
const AS_OF = args['as-of'];
const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
url.pathname = `/${args.database}`;
const db = await openDatabase({ url: url.toString(), poolSize: 4 });

const document = DEMO_STRATEGY;
const keys = factKeysFor(document);
const fx = fxRatesSql({ currency: document.currency, asOf: AS_OF });
const rates: Array<{ currency: string; rate: string }> = await db.dataSource.query(fx.text, fx.values);
const segments: string[] = (await db.dataSource.query(`SELECT DISTINCT segment AS key FROM partners ORDER BY 1`)).map((r: { key: string }) => r.key);
const [counts] = await db.dataSource.query(
  `SELECT (SELECT count(*) FROM partners)::integer AS partners,
  (SELECT count(*) FROM open_items WHERE open_amount > 0)::integer AS open, (SELECT count(*) FROM partner_facts)::integer AS with_facts,
  (SELECT count(*) FROM partner_facts WHERE horizon > $1)::integer AS late, (SELECT count(*) FROM partner_fact_currencies)::integer AS currency_rows`,
  [AS_OF],
);
console.log(
  `${args.database}: ${counts.partners} partners, ${counts.open} open items; partner_facts ${counts.with_facts} rows (${counts.late} with a horizon after ${AS_OF}), partner_fact_currencies ${counts.currency_rows}; ${keys.length} fact keys + item figures`,
);
const [bounds] = await db.dataSource.query(`SELECT min(id)::text AS lo, max(id)::text AS hi FROM partners`);
const ranges = partnerRanges(bounds.lo, bounds.hi, counts.partners, 2);

/** The fact rows of every partner into an unlogged table, by the run's jobs on two connections; the source picked first when not given. */
async function factsAlone(given?: FactSource): Promise<{ ms: number; source: string }> {
  const t = performance.now();
  const facts = given ?? (await factSourceFor(db.dataSource, { asOf: AS_OF, segments }, counts.partners));
  const run = { asOf: AS_OF, segmentKeys: segments, narrow: false, rates, uniformToleranceDays: 3, facts };
  const shape = factRowsFor(document, keys, selectionOf(run));
  await db.dataSource.query(`DROP TABLE IF EXISTS bench_fact_source`);
  await db.dataSource.query(`CREATE UNLOGGED TABLE bench_fact_source AS ${shape.text} WITH NO DATA`, shape.values);
  await onTwoConnections(db, ranges, (range) => {
    const sql = factRowsFor(document, keys, selectionOf(run, range));
    return { text: `INSERT INTO bench_fact_source ${sql.text}`, values: sql.values };
  });
  const ms = performance.now() - t;
  await db.dataSource.query(`DROP TABLE bench_fact_source`);
  const late = Array.isArray(facts.latePartnerIds) ? ` (${facts.latePartnerIds.length} late)` : '';
  return { ms, source: `${facts.source}${late}` };
}

/** The customer 360's facts of `ids`, one statement each, one after the other: milliseconds each. */
async function customer360(ids: string[], facts: FactSource): Promise<number[]> {
  const keys360 = [
    'openAmount',
    'overdueAmount',
    'creditLimit',
    'creditUtilization',
    'keptPromiseRatio',
    'brokenPromises',
    'maxDaysOverdue',
    'daysSinceLastPayment',
    'daysSinceLastContact',
  ].map((k) => factKey(k));
  const out: number[] = [];
  for (const id of ids) {
    const options: FactRowsOptions = { currency: 'EUR', asOf: AS_OF, partnerIds: [id], ...facts };
    const sql = factRowsSql(keys360, options);
    const t = performance.now();
    // As the 360 reads it: a prepared statement (db.read).
    await db.read(sql.text, sql.values);
    out.push(performance.now() - t);
  }
  return out;
}

const ids: string[] = (await db.dataSource.query(`SELECT id::text FROM partners ORDER BY random() LIMIT $1`, [Number(args['partners-360'])])).map(
  (r: { id: string }) => r.id,
);
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!;
// Warm both once.
await factsAlone(MIRROR);
await factsAlone();
const mirror: number[] = [];
const maintained: number[] = [];
const mirror360: number[] = [];
const maintained360: number[] = [];
let picked = '';
for (let i = 0; i < runs; i++) {
  const a = await factsAlone(MIRROR);
  const b = await factsAlone();
  mirror.push(a.ms);
  maintained.push(b.ms);
  picked = b.source;
  const m360 = await customer360(ids, MIRROR);
  const k360 = await customer360(ids, MAINTAINED_WITH_LOOKUP);
  mirror360.push(median(m360));
  maintained360.push(median(k360));
  console.log(
    `run ${i + 1}: facts of a full run: mirror ${a.ms.toFixed(0)} ms, ${b.source} ${b.ms.toFixed(0)} ms; one partner's 360 facts (median of ${ids.length}, p99): mirror ${median(m360).toFixed(2)} ms (${p99(m360).toFixed(2)}), maintained ${median(k360).toFixed(2)} ms (${p99(k360).toFixed(2)})`,
  );
}
console.log(`\nmedian of ${runs} alternating runs, ${counts.partners} partners at ${AS_OF}:`);
console.log(`  facts of a full run, mirror path              ${median(mirror).toFixed(0).padStart(7)} ms`);
console.log(
  `  facts of a full run, ${picked.padEnd(24)} ${median(maintained).toFixed(0).padStart(7)} ms   ${(median(mirror) / median(maintained)).toFixed(1)}x faster`,
);
console.log(`  one partner's 360 facts, mirror path           ${median(mirror360).toFixed(2).padStart(7)} ms`);
console.log(
  `  one partner's 360 facts, maintained (lookup)   ${median(maintained360).toFixed(2).padStart(7)} ms   ${(median(mirror360) / median(maintained360)).toFixed(1)}x faster`,
);
await db.close();
