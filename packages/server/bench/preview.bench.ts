/**
 * `pnpm bench:preview [--database NAME] [--segment KEY] [--runs R] [--warm W] [--demo DIR]`
 *
 * The studio's preview as the studio asks for it: the GraphQL previewWorklist of the studio
 * (figures, warnings and the first 8 items) over HTTP, against a running app, R times:
 *  - cold: the first preview of a strategy (the preview fact cache emptied),
 *  - warm: W previews after a points change each (facts kept),
 *  - compareStrategies of the segment's active strategy and a points change of it, after the
 *    previews (facts kept) and with the fact cache emptied,
 * and prints the medians and every phase of the runs (their statistics' timings).
 *
 * The database: --database NAME on DATABASE_URL's Postgres (default 127.0.0.1:5432; e.g. the
 * database `pnpm bench:worklist --database NAME` seeded and kept; --segment defaults to its
 * SAMPLE segment), or --demo DIR: the embedded database in DIR (as `pnpm start` seeds it into
 * .data/pglite: copy that directory, this bench writes to it; --segment defaults to CONSUMER).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startApp } from '../src/app';
import { createApiToken } from '../src/auth/auth.service';
import { openDatabase } from '../src/db/database';
import { clearFactCache } from '../src/worklists/worklist-fact-cache';
import { median } from './bench-db';

const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    demo: { type: 'string' },
    segment: { type: 'string' },
    runs: { type: 'string', default: '5' },
    warm: { type: 'string', default: '3' },
    'as-of': { type: 'string' },
  },
});
if (!args.database === !args.demo) throw new Error('give one of --database NAME or --demo DIR');
const runs = Number(args.runs);
const warmRuns = Number(args.warm);

const admin = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
let url: string | undefined;
if (args.database) {
  const u = new URL(admin);
  u.pathname = `/${args.database}`;
  url = u.toString();
}
// The embedded database as `pnpm start` opens it (main.ts).
const db = await openDatabase(url ? { url, poolSize: 8 } : { dataDir: args.demo!, eagerWasm: true });
const segment = args.segment ?? (args.demo ? 'CONSUMER' : 'SAMPLE');
const [{ as_of: liveAsOf, document }] = await db.dataSource.query(
  `SELECT r.as_of::text AS as_of, v.document FROM collection_segments s JOIN worklist_runs r ON r.id = s.live_run_id
     LEFT JOIN strategy_versions v ON v.id = r.strategy_version_id WHERE s.key = $1`,
  [segment],
);
const asOf: string = args['as-of'] ?? liveAsOf;
const [{ n: partners }] = await db.dataSource.query(`SELECT count(*)::integer AS n FROM partners WHERE segment = $1`, [segment]);
console.log(`${db.kind} database, segment ${segment} (${partners} partners) at ${asOf}, strategy ${document.key}`);

const app = await startApp(db, 0, { production: true });
const { token } = await createApiToken(db, { name: `bench-preview-${Date.now()}`, role: 'ADMIN' });
const endpoint = `${app.url.replace('//localhost:', '//127.0.0.1:')}/graphql`;

async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

// The studio's query (studio/src/pages/Strategy/queries.ts PREVIEW_QUERY), fragments inlined.
const PREVIEW = `query ($strategy: JSON!, $asOf: Date!, $segment: String) {
  previewWorklist(strategy: $strategy, asOf: $asOf, segment: $segment) {
    runIds partners excluded partnersEvaluated amountToBeCollected
    byPriority { priority count amountToBeCollected } bySpecialist { specialistId count amountToBeCollected }
    warnings { code message segment group blocksGeneration }
    items(first: 8) { edges { node { runId partnerId valuation percent priority partner { externalId name }
      firedRules { name points } amounts { toBeCollected overdue } specialist { name } } } }
  } }`;
const COMPARE = `query ($a: JSON!, $b: JSON!, $asOf: Date!, $segment: String!) {
  compareStrategies(a: $a, b: $b, asOf: $asOf, segment: $segment) {
    partnersEvaluated movedCount matrix { from to count amountToBeCollectedA amountToBeCollectedB }
    a { runId partners excluded amountToBeCollected byPriority { priority count amountToBeCollected } }
    b { runId partners excluded amountToBeCollected byPriority { priority count amountToBeCollected } }
    moved(first: 8) { edges { node { partnerId from to valuationA valuationB amountToBeCollected partner { name } } } }
  } }`;

interface Preview {
  previewWorklist: { runIds: string[]; partners: number };
}

/** Phase timings of a run, from its statistics. */
async function phasesOf(runId: string): Promise<Record<string, number>> {
  const [{ stats }] = await db.dataSource.query(`SELECT stats FROM worklist_runs WHERE id = $1`, [runId]);
  return stats.timings ?? {};
}

let bump = 0;
/** The document with one rule's points changed (a new strategy each time, as far as the rules go). */
function edited(): unknown {
  const doc = structuredClone(document);
  const rule = doc.rules.find((r: { event: { params: { role: string } } }) => r.event.params.role === 'condition');
  rule.event.params.points += ++bump;
  return doc;
}

/**
 * CPU milliseconds of this process and of the database's server processes (Linux, Postgres on
 * this machine): on a machine shared with other work, wall time measures the others too.
 */
async function cpuMs(): Promise<number | null> {
  const own = process.cpuUsage();
  if (db.kind !== 'postgres') return (own.user + own.system) / 1000;
  const rows: Array<{ pid: number }> = await db.dataSource.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return null;
    }
  }
  return (own.user + own.system) / 1000 + ticks * 10;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpu: number | null; value: T }> {
  const c = await cpuMs();
  const t = performance.now();
  const value = await fn();
  const ms = performance.now() - t;
  const c2 = await cpuMs();
  return { ms, cpu: c === null || c2 === null ? null : c2 - c, value };
}

async function timedPreview(doc: unknown): Promise<{ ms: number; cpu: number | null; phases: Record<string, number>; partners: number }> {
  const { ms, cpu, value } = await timed(() => graphql<Preview>(PREVIEW, { strategy: doc, asOf, segment }));
  return { ms, cpu, phases: await phasesOf(value.previewWorklist.runIds[0]!), partners: value.previewWorklist.partners };
}

const fmt = (p: Record<string, number>) =>
  Object.entries(p)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
const samples = { cold: [] as number[], warm: [] as number[], compare: [] as number[], coldCompare: [] as number[] };
const cpu = { cold: [] as number[], warm: [] as number[], compare: [] as number[], coldCompare: [] as number[] };
const phaseSamples = new Map<string, number[]>();
const record = (kind: keyof typeof samples, t: { ms: number; cpu: number | null }) => {
  samples[kind].push(t.ms);
  if (t.cpu !== null) cpu[kind].push(t.cpu);
  return `${t.ms.toFixed(0)} ms${t.cpu === null ? '' : ` (cpu ${t.cpu.toFixed(0)} ms)`}`;
};
for (let i = 0; i < runs; i++) {
  await clearFactCache(db);
  const cold = await timedPreview(edited());
  console.log(`run ${i + 1}: cold ${record('cold', cold)}, ${cold.partners} on the list; ${fmt(cold.phases)}`);
  for (let w = 0; w < warmRuns; w++) {
    const warm = await timedPreview(edited());
    for (const [k, v] of Object.entries(warm.phases)) phaseSamples.set(k, [...(phaseSamples.get(k) ?? []), v]);
    console.log(`       warm ${record('warm', warm)}; ${fmt(warm.phases)}`);
  }
  const cmp = await timed(() => graphql<{ compareStrategies: { movedCount: number } }>(COMPARE, { a: document, b: edited(), asOf, segment }));
  console.log(`       compareStrategies ${record('compare', cmp)}, ${cmp.value.compareStrategies.movedCount} moved`);
  await clearFactCache(db);
  const coldCmp = await timed(() => graphql<{ compareStrategies: { movedCount: number } }>(COMPARE, { a: document, b: edited(), asOf, segment }));
  console.log(`       compareStrategies, facts not kept ${record('coldCompare', coldCmp)}`);
}
const line = (kind: keyof typeof samples) =>
  `${median(samples[kind]).toFixed(0).padStart(6)} ms${cpu[kind].length ? `   (cpu ${median(cpu[kind]).toFixed(0)} ms: this process and the database's)` : ''}`;
console.log(`\nmedian of ${runs} (warm: of ${samples.warm.length}):`);
console.log(`  preview, first of a strategy (fact cache empty)  ${line('cold')}`);
console.log(`  preview after a points change (facts kept)       ${line('warm')}`);
console.log(`  compareStrategies (active vs a points change)    ${line('compare')}`);
console.log(`  the same, facts not kept                         ${line('coldCompare')}`);
console.log(`  warm phases: ${[...phaseSamples].map(([k, v]) => `${k} ${median(v).toFixed(0)}`).join(', ')}`);
await app.close();
await clearFactCache(db);
await db.close();
