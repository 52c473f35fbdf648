/**
 * `pnpm bench:import [--partners N] [--runs R] [--compare] [--only fresh|delta] [--database NAME] [--delta-partners P]`
 * on the real Postgres (DATABASE_URL, default 127.0.0.1:5432), the CLI's own path (files -> COPY
 * straight into the empty table, or COPY -> staging -> upsert):
 *  - fresh: the import of ~1M open items (N partners, default 200k) into a scratch database: the
 *    median of R runs for a fresh load and for a re-import of the same file (all unchanged).
 *    `--compare` adds, per run, a fresh load forced through the staged path (`direct: false`).
 *  - delta: a daily delta on the 1M-partner database NAME (default recoup_bench_1000000, seeded
 *    once with the synthetic AR when missing, then kept): P partners (default 1% of them) with all
 *    their open items (half of the open ones paid down), a new item each and the payments, through
 *    the staged upsert. R runs with the maintained facts' triggers and R without them (disabled in
 *    this database for that import only, the partners' facts recomputed afterwards), interleaved,
 *    each on other partners; prints the medians side by side, their ratio (goal <= 2x), and
 *    `facts verify` over every partner afterwards. The delta's rows are taken out again at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database';
import { verifyFacts } from '../src/facts/facts.service';
import { directorySources, importAr, type ImportResult, type ImportSources } from '../src/import/ar-import.service';
import { seedDemoAr, writeDemoArCsv } from '../src/seed/seed.service';
import { BENCH_URL, median, openBenchDatabase } from './bench-db';

const { values } = parseArgs({
  options: {
    partners: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '3' },
    compare: { type: 'boolean', default: false },
    only: { type: 'string' },
    database: { type: 'string', default: 'recoup_bench_1000000' },
    'delta-partners': { type: 'string' },
  },
});
const runs = Number(values.runs);
const TARGET = 200_000;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function freshLoad(partners: number): Promise<void> {
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
      let line = `run ${run + 1}: fresh ${seconds(load.milliseconds)} (${phases(load)}), re-import ${seconds(reload.milliseconds)} (${phases(reload)})`;
      if (values.compare) {
        await db.dataSource.query('TRUNCATE open_items CASCADE');
        await db.dataSource.query('VACUUM ANALYZE open_items');
        const forced = await importAr(db, itemsOnly, { direct: false });
        staged.push(forced.milliseconds);
        line += `, fresh staged ${seconds(forced.milliseconds)} (${phases(forced)})`;
      }
      console.log(line);
    }
    const rate = (ms: number): number => Math.round(items / (ms / 1000));
    const freshRate = rate(median(fresh));
    const againRate = rate(median(again));
    console.log(`\nopen_items.csv: ${items.toLocaleString('en')} rows, median of ${runs} runs on real Postgres`);
    console.log(
      `  fresh load : ${seconds(median(fresh))}  ${freshRate.toLocaleString('en')} items/s  (target ${TARGET.toLocaleString('en')}: ${(freshRate / TARGET).toFixed(2)}x)`,
    );
    console.log(`  re-import  : ${seconds(median(again))}  ${againRate.toLocaleString('en')} items/s  (all unchanged, upsert skips them)`);
    if (values.compare) console.log(`  fresh, staged path: ${seconds(median(staged))}  ${rate(median(staged)).toLocaleString('en')} items/s`);
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function phases(r: ImportResult): string {
  return r.tables
    .map(
      (t) => `${t.table} ${t.method}: stage ${seconds(t.milliseconds.stage)} + check ${seconds(t.milliseconds.check)} + merge ${seconds(t.milliseconds.merge)}`,
    )
    .join('; ');
}

// --- the 1% delta on the 1M database --------------------------------------------------------------

/** What the delta's rows are named by, so that they can be taken out again. */
const DELTA = 'BENCH-DELTA-';

async function deltaImport(name: string, deltaPartners: number | null): Promise<void> {
  const db = await seededDatabase(name, 1_000_000);
  try {
    const [{ partners }] = await db.dataSource.query(`SELECT count(*)::integer AS partners FROM partners`);
    const size = deltaPartners ?? Math.round(partners / 100);
    // Partner sets by id residue: every run another 1/modulus of the partners, spread over the whole range.
    const modulus = Math.max(2, Math.floor(partners / size));
    console.log(`\n1% delta on ${name}: ${partners.toLocaleString('en')} partners, ${size.toLocaleString('en')} per import (ids ≡ k mod ${modulus})`);
    const withFacts: number[] = [];
    const without: number[] = [];
    for (let run = 0; run < runs; run++) {
      // Interleaved, the order alternating, so that a drift of the machine favours neither side.
      const order = run % 2 === 0 ? [true, false] : [false, true];
      for (const [k, maintained] of order.entries()) {
        const residue = (2 * run + k + 1) % modulus;
        const delta = await deltaOf(db, modulus, residue, `${run}-${k}`);
        const result = maintained ? await importAr(db, delta.sources) : await withoutMaintenance(db, () => importAr(db, delta.sources));
        if (!maintained)
          await db.dataSource.query(`SELECT recoup_refresh_partner_facts(ARRAY(SELECT id FROM partners WHERE id % $1 = $2 ORDER BY id))`, [modulus, residue]);
        (maintained ? withFacts : without).push(result.milliseconds);
        console.log(
          `run ${run + 1} ${maintained ? 'with   ' : 'without'}: ${seconds(result.milliseconds)} (${phases(result)}; facts ${seconds(result.factsMilliseconds)}); ${delta.rows}`,
        );
        // Every import starts from the same database.
        await restore(db, delta.original);
      }
    }
    const ratio = median(withFacts) / median(without);
    console.log(`\ndelta import, median of ${runs} runs each:`);
    console.log(`  with fact maintenance   : ${seconds(median(withFacts))}`);
    console.log(`  without fact maintenance: ${seconds(median(without))}`);
    console.log(`  ratio ${ratio.toFixed(2)}x (goal <= 2x)`);
    const t = performance.now();
    const verified = await verifyFacts(db, { limit: 10 });
    const verdict = verified.differenceCount === 0 ? 'none' : `${verified.differenceCount}, e.g. ${JSON.stringify(verified.differences.slice(0, 3))}`;
    console.log(`facts verify afterwards: ${verified.partners.toLocaleString('en')} partners, differences: ${verdict} (${seconds(performance.now() - t)})`);
  } finally {
    await db.close();
  }
}

interface Delta {
  sources: ImportSources;
  rows: string;
  /** The items' CSV rows as they were, to put back at the end. */
  original: string;
}

const ITEM_HEADER = 'item_id,partner_id,company_code,document_date,due_date,amount,open_amount,currency,dunning_level,dunning_block,profit_center\n';
const PAYMENT_HEADER = 'payment_id,partner_id,item_id,payment_date,amount,currency\n';

/**
 * A day's delta for the partners with id ≡ residue (mod modulus): every item of theirs, half of the
 * open ones paid down by half (with the payment), and a new item each. CSV text made in SQL.
 */
async function deltaOf(db: Database, modulus: number, residue: number, tag: string): Promise<Delta> {
  const [files] = await db.dataSource.query(
    `WITH i AS (SELECT i.*, p.external_id AS partner, i.open_amount > 0 AND i.id % 2 = 0 AS paid
        FROM open_items i JOIN partners p ON p.id = i.partner_id WHERE i.partner_id % $1 = $2),
      line AS (SELECT concat_ws(',', external_id, partner, company_code, document_date, due_date, amount, '%open%', currency, dunning_level, dunning_block::text, coalesce(profit_center, '')) AS l, * FROM i)
     SELECT string_agg(replace(l, '%open%', CASE WHEN paid THEN round(open_amount / 2, 2) ELSE open_amount END::text), E'\\n') AS items,
        string_agg(replace(l, '%open%', open_amount::text), E'\\n') AS original,
        string_agg(CASE WHEN paid THEN concat_ws(',', $3 || 'Y-' || external_id, partner, external_id, '2026-11-24', open_amount - round(open_amount / 2, 2), currency) END, E'\\n') AS payments,
        (SELECT string_agg(concat_ws(',', $3 || 'I-' || p.id, p.external_id, '1000', '2026-11-24', '2026-12-24', 100, 100, p.currency, 0, 'false', ''), E'\\n')
           FROM partners p WHERE p.id % $1 = $2) AS new_items,
        count(*)::integer AS n, (count(*) FILTER (WHERE paid))::integer AS paid
       FROM line`,
    [modulus, residue, `${DELTA}${tag}-`],
  );
  const items = `${ITEM_HEADER}${files.items}\n${files.new_items}\n`;
  const payments = `${PAYMENT_HEADER}${files.payments}\n`;
  return {
    sources: { open_items: () => [items], payments: () => [payments] },
    rows: `${files.n} items (${files.paid} paid down) + new items, ${files.paid} payments`,
    original: `${files.original}\n`,
  };
}

/** Runs `load` with the maintained facts' triggers of this database disabled (ALTER TABLE: in the load's stead, then back on). */
async function withoutMaintenance<T>(db: Database, load: () => Promise<T>): Promise<T> {
  const triggers: Array<{ table: string; name: string }> = await db.dataSource.query(
    `SELECT c.relname AS table, t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE 'recoup_facts_mark_%' ORDER BY 1, 2`,
  );
  const alter = (action: 'DISABLE' | 'ENABLE') =>
    db.dataSource.transaction(async (m) => {
      for (const t of triggers) await m.query(`ALTER TABLE "${t.table}" ${action} TRIGGER "${t.name}"`);
    });
  await alter('DISABLE');
  try {
    return await load();
  } finally {
    await alter('ENABLE');
  }
}

/** Takes a delta out again: its payments and new items deleted, the items' open amounts as they were (through the import, facts maintained). */
async function restore(db: Database, original: string): Promise<void> {
  await db.dataSource.transaction(async (m) => {
    await m.query(`DELETE FROM payments WHERE external_id LIKE $1`, [`${DELTA}%`]);
    await m.query(`DELETE FROM open_items WHERE external_id LIKE $1`, [`${DELTA}%`]);
  });
  await importAr(db, { open_items: () => [ITEM_HEADER, original] });
}

/** The database `name` (kept between runs), seeded with the synthetic AR of `partners` partners when it does not exist yet. */
async function seededDatabase(name: string, partners: number): Promise<Database> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a database name: ${name}`);
  const admin = new pg.Client({ connectionString: BENCH_URL });
  await admin.connect();
  let exists: boolean;
  try {
    exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1;
    if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(BENCH_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolSize: 4 });
  if (!exists) {
    console.log(`seeding ${partners.toLocaleString('en')} partners into ${name} (once; kept for later runs)…`);
    await seedDemoAr(db, { partners, seed: 1, asOf: '2026-11-23' });
  }
  return db;
}

if (values.only !== 'delta') await freshLoad(Number(values.partners));
if (values.only !== 'fresh') await deltaImport(values.database, values['delta-partners'] === undefined ? null : Number(values['delta-partners']));
