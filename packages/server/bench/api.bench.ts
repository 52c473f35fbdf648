/**
 * `pnpm bench:api [--partners N] [--clients C] [--duration S] [--think MS] [--client http|fetch] [--reseed] [--search-only] [--database NAME]`
 *
 * The API under read load on real Postgres (DATABASE_URL's server, default 127.0.0.1:5432): seeds
 * `recoup_bench_api` once with the synthetic AR (seedDemoAr, 100k partners by default), the demo
 * organisation and the live worklists (kept for the next run; --reseed forces it), starts the
 * API in this process and drives it over loopback from a child process (so the load generator
 * shares neither the server's event loop nor its CPU account): C concurrent clients (default 50),
 * each phase S seconds (default 10) after a short warm-up:
 *  - worklist pages: SPECIALIST tokens reading their own list, 50 items with partner and
 *    specialist, following cursors for up to 5 pages, then starting over;
 *  - customer 360s: every section of a random partner on a live list, explanation included;
 *  - mixed: half and half.
 * Prints p50 / p99 latency and throughput per operation and phase, and the CPU each request cost
 * the API process, the Postgres backends of the database (from /proc, Linux) and the load
 * generator, then the goals: p99 <= 25 ms in every paced phase, and the flat-out ceiling (customer
 * 360s per second, target >= 500/s), with what the server alone would sustain on 2 cores
 * (2000 ms / the API's and Postgres's CPU ms per 360): the generator runs on the same cores.
 * The generator's clients are node:http requests over keep-alive connections (--client fetch:
 * the fetch API, as before; it costs the shared cores about twice the CPU per request).
 * Then partner search alone (one client, as a person typing): 40 searches of each kind (a word of
 * a random partner's name, the start of a name, part of an external id, the start of an e-mail,
 * text matching nothing); prints the median per kind and overall (target < 100 ms). Partners get
 * an e-mail address each once if the seed left them without (the seeder makes none).
 * --search-only skips the load phases; --database NAME seeds and keeps another database
 * (e.g. 1M partners beside the default 100k).
 * Paced phases (the target): each client pauses between its requests as a person reading the
 * screen does, 0.5-1.5 x --think MS (default 1000) at random, and starts at a random moment of
 * the first MS. Flat-out phases: no pause, which measures the server's saturation throughput
 * (latency is then the queue of C requests: C / throughput).
 */
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { startApp } from '../src/app';
import { createApiToken } from '../src/auth/auth.service';
import { openDatabase, type Database } from '../src/db/database';
import { seedDemoOrganisation } from '../src/seed/demo-org';
import { seedDemoAr } from '../src/seed/seed.service';
import { runWorklists } from '../src/worklists/worklist-run.service';
import { rebuildEmptyFacts } from './bench-db';
import { c360Query, WORKLIST_PAGE_QUERY } from './api-queries';

const { values: args } = parseArgs({
  options: {
    partners: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '50' },
    duration: { type: 'string', default: '10' },
    think: { type: 'string', default: '1000' },
    client: { type: 'string', default: 'http' },
    reseed: { type: 'boolean', default: false },
    database: { type: 'string', default: 'recoup_bench_api' },
    'search-only': { type: 'boolean', default: false },
  },
});
const partners = Number(args.partners);
const clients = Number(args.clients);
const seconds = Math.min(Number(args.duration), 60); // bounded: the machine is shared
const think = Math.max(0, Number(args.think));
if (args.client !== 'http' && args.client !== 'fetch') throw new Error(`--client ${args.client}: http or fetch`);
const AS_OF = '2026-11-23';
// A database of one's own (--database) keeps a 1M-partner seed apart from the default 100k one.
const NAME = args.database;
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(NAME)) throw new Error(`--database ${NAME}: lower-case letters, digits and _ only`);

const admin = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const url = new URL(admin);
url.pathname = `/${NAME}`;

async function adminQuery(sql: string, values: unknown[] = []): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function seededDatabase(): Promise<Database> {
  const exists = (await adminQuery(`SELECT 1 FROM pg_database WHERE datname = $1`, [NAME])).length > 0;
  if (exists && !args.reseed) {
    const db = await openDatabase({ url: url.toString(), poolSize: 10 });
    const [{ n, live }] = await db.dataSource.query(
      `SELECT (SELECT count(*)::integer FROM partners) AS n, (SELECT count(*)::integer FROM collection_segments WHERE live_run_id IS NOT NULL) AS live`,
    );
    if (n === partners && live > 0) return withEmails(await withFacts(db));
    await db.close();
  }
  await adminQuery(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${NAME}`);
  const db = await openDatabase({ url: url.toString(), poolSize: 10 });
  console.log(`seeding ${partners} partners into ${NAME} (once; kept for later runs)…`);
  const t = performance.now();
  await seedDemoAr(db, { partners, seed: 1, asOf: AS_OF });
  await seedDemoOrganisation(db);
  const runs = await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
  await withEmails(db);
  await db.dataSource.query('VACUUM ANALYZE');
  console.log(
    `seeded and ran ${runs.length} live worklists (${runs.reduce((n, r) => n + r.partnersOnList, 0)} items) in ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );
  return db;
}

/** The maintained facts, rebuilt once where they exist but are empty (a database seeded before them). */
async function withFacts(db: Database): Promise<Database> {
  const rebuilt = await rebuildEmptyFacts(db);
  if (rebuilt) console.log(`maintained facts were empty: rebuilt for ${rebuilt.partners} partners in ${(rebuilt.ms / 1000).toFixed(1)} s`);
  return db;
}

/** An e-mail address for every partner without one (first.last.id@example.com), so that the search's e-mail arm has work. */
async function withEmails(db: Database): Promise<Database> {
  const [{ missing }] = await db.dataSource.query(
    `SELECT count(*)::integer AS missing FROM partners p WHERE NOT EXISTS (SELECT 1 FROM correspondence_addresses a WHERE a.partner_id = p.id)`,
  );
  if (missing === 0) return db;
  console.log(`giving ${missing} partners an e-mail address…`);
  await db.dataSource.query(
    `INSERT INTO correspondence_addresses (partner_id, email)
     SELECT p.id, trim(both '.' from lower(regexp_replace(p.name, '[^A-Za-z0-9]+', '.', 'g'))) || '.' || p.id || '@example.com' FROM partners p
     ON CONFLICT (partner_id) DO NOTHING`,
  );
  await db.dataSource.query('VACUUM ANALYZE correspondence_addresses');
  await db.dataSource.query('VACUUM ANALYZE partners');
  return db;
}

const PAGE = WORKLIST_PAGE_QUERY;
const C360 = c360Query(AS_OF);

/**
 * The load generator, plain JS in a child process: loops of requests over keep-alive loopback
 * connections (node:http, or fetch); per phase it reports its latencies and its own CPU time, and
 * says when the measured part of a phase starts, so that the server's CPU is taken over the same span.
 */
const CLIENT_CODE = `
const http = require('node:http');
process.once('message', async (data) => {
  const { endpoint, client, clients, phases, specialistTokens, adminToken, partnerIds, PAGE, C360, warmup } = data;
  const pause = (ms) => new Promise((r) => setTimeout(r, ms));
  const url = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const viaHttp = (body, token) => new Promise((resolve, reject) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: 'Bearer ' + token } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => { try { resolve(JSON.parse(Buffer.concat(chunks).toString())); } catch (e) { reject(e); } });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
  const viaFetch = async (body, token) =>
    (await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body })).json();
  const post = async (query, variables, token) => {
    const t = performance.now();
    const body = await (client === 'fetch' ? viaFetch : viaHttp)(JSON.stringify({ query, variables }), token);
    const ms = performance.now() - t;
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 300));
    return { ms, body };
  };
  for (const phase of phases) {
    const think = phase.think;
    const latencies = { page: [], c360: [] };
    let errors = 0;
    let measuring = false;
    const stopAt = performance.now() + (warmup + phase.seconds) * 1000;
    const started = { at: 0, cpu: null };
    setTimeout(() => {
      measuring = true;
      started.at = performance.now();
      started.cpu = process.cpuUsage();
      process.send({ started: phase.name });
    }, warmup * 1000);
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      const token = specialistTokens[c % specialistTokens.length];
      let after = null, pages = 0, n = c;
      // People do not arrive or read in step: start at a random moment and pause 0.5-1.5 x think.
      if (think) await pause(Math.random() * think);
      while (performance.now() < stopAt) {
        const page = phase.mix === 'page' || (phase.mix === 'mixed' && n++ % 2 === 0);
        try {
          if (page) {
            const { ms, body } = await post(PAGE, { after }, token);
            const info = body.data.worklist.pageInfo;
            after = info.hasNextPage && ++pages < 5 ? info.endCursor : null;
            if (!after) pages = 0;
            if (measuring) latencies.page.push(ms);
          } else {
            const p = partnerIds[Math.floor(Math.random() * partnerIds.length)];
            const { ms } = await post(C360, { p }, adminToken);
            if (measuring) latencies.c360.push(ms);
          }
        } catch (e) { errors++; if (errors < 3) console.error(String(e)); }
        if (think) await pause(think * (0.5 + Math.random()));
      }
    }));
    const elapsed = (performance.now() - started.at) / 1000;
    const cpu = process.cpuUsage(started.cpu);
    process.send({ phase: phase.name, latencies, errors, elapsed, clientCpuMs: (cpu.user + cpu.system) / 1000 });
  }
  agent.destroy();
  process.disconnect();
});
`;

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const db = await seededDatabase();
const [counts] = await db.dataSource.query(`SELECT (SELECT count(*) FROM partners)::integer AS partners,
  (SELECT count(*) FROM open_items WHERE open_amount > 0)::integer AS items,
  (SELECT count(*) FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id)::integer AS listed`);
console.log(
  `${counts.partners} partners, ${counts.items} open items, ${counts.listed} on live worklists; ${clients} clients, ${seconds} s per phase;` +
    ` paced: each client pausing ${think / 2}-${think * 1.5} ms between requests; flat out: no pause`,
);

// Tokens of the bench (a fresh set per run; revoked at the end).
const specialists: Array<{ id: string }> = await db.dataSource.query(
  `SELECT DISTINCT w.specialist_id::text AS id FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id WHERE w.specialist_id IS NOT NULL ORDER BY 1`,
);
const made: string[] = [];
const token = async (role: 'ADMIN' | 'SPECIALIST', specialistId?: string) => {
  const { token: t, record } = await createApiToken(db, { name: `bench-api-${role.toLowerCase()}-${specialistId ?? ''}-${Date.now()}`, role, specialistId });
  made.push(record.id);
  return t;
};
const adminToken = await token('ADMIN');
const specialistTokens = await Promise.all(specialists.map((s) => token('SPECIALIST', s.id)));
const sample: Array<{ id: string }> = await db.dataSource.query(
  `SELECT w.partner_id::text AS id FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id ORDER BY random() LIMIT 5000`,
);

const app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
const endpoint = `http://127.0.0.1:${new URL(app.url).port}/graphql`;
try {
  if (!args['search-only']) await loadPhases(endpoint);
  await searchLatency(endpoint, adminToken);
} finally {
  await app.close();
  await db.dataSource.query(`DELETE FROM api_tokens WHERE id = ANY($1::bigint[])`, [made]).catch(() => undefined);
  await db.close();
}

interface PhaseResult {
  phase: string;
  latencies: { page: number[]; c360: number[] };
  errors: number;
  elapsed: number;
  /** CPU ms over the measured span: the load generator, the API process, the database's Postgres backends (null: not readable). */
  clientCpuMs: number;
  apiCpuMs: number;
  postgresCpuMs: number | null;
}

/**
 * CPU ms so far of each Postgres backend connected to the bench database (utime + stime from /proc;
 * Linux, server on this machine), by pid; null when none is readable.
 */
async function postgresCpuMs(): Promise<Map<number, number> | null> {
  const backends: Array<{ pid: number }> = await db.dataSource.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  const tick = 10; // ms per clock tick (USER_HZ 100)
  const ms = new Map<number, number>();
  for (const { pid } of backends) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms.set(pid, (Number(fields[11]) + Number(fields[12])) * tick);
    } catch {
      // A backend that ended meanwhile, or a server elsewhere.
    }
  }
  return ms.size ? ms : null;
}

/** The backends' CPU between two readings (a backend that ended between them is not counted). */
function postgresCpuBetween(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}

/** The read load phases: worklist pages and customer 360s from C clients in a child process, paced and flat out. */
async function loadPhases(endpoint: string): Promise<void> {
  const results: PhaseResult[] = await new Promise((resolve, reject) => {
    const out: PhaseResult[] = [];
    let from: { api: NodeJS.CpuUsage; postgres: Promise<Map<number, number> | null> } | null = null;
    const generator = spawn(process.execPath, ['-e', CLIENT_CODE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const reading: Array<Promise<void>> = [];
    generator.on('message', (m: any) => {
      if (m.started) {
        from = { api: process.cpuUsage(), postgres: postgresCpuMs() };
        return;
      }
      const api = process.cpuUsage(from!.api);
      const postgres = Promise.all([from!.postgres, postgresCpuMs()]);
      reading.push(
        postgres.then(([before, after]) => {
          out.push({ ...m, apiCpuMs: (api.user + api.system) / 1000, postgresCpuMs: postgresCpuBetween(before, after) });
        }),
      );
    });
    generator.on('error', reject);
    generator.on('exit', () => void Promise.all(reading).then(() => resolve(out), reject));
    generator.send({
      endpoint,
      client: args.client,
      clients,
      specialistTokens,
      adminToken,
      partnerIds: sample.map((s) => s.id),
      PAGE,
      C360,
      warmup: 2,
      phases: [
        { name: 'paced pages', mix: 'page', seconds, think },
        { name: 'paced 360s', mix: 'c360', seconds, think },
        { name: 'paced mixed', mix: 'mixed', seconds, think },
        { name: 'flat out pages', mix: 'page', seconds, think: 0 },
        { name: 'flat out 360s', mix: 'c360', seconds, think: 0 },
      ],
    });
  });
  console.log(
    `\nphase            operation        requests    req/s     p50 ms   p99 ms   errors   CPU ms per request: API  Postgres  generator (${args.client})`,
  );
  for (const r of results) {
    const requests = r.latencies.page.length + r.latencies.c360.length;
    const per = (ms: number | null) => (ms === null ? '-' : (ms / Math.max(1, requests)).toFixed(2));
    for (const [op, label] of [
      ['page', 'worklist page'],
      ['c360', 'customer 360'],
    ] as const) {
      const l = r.latencies[op].sort((a, b) => a - b);
      if (!l.length) continue;
      console.log(
        `${r.phase.padEnd(16)} ${label.padEnd(16)} ${String(l.length).padStart(8)} ${(l.length / r.elapsed).toFixed(0).padStart(8)} ${pct(l, 50).toFixed(1).padStart(10)} ${pct(l, 99).toFixed(1).padStart(8)} ${String(r.errors).padStart(8)}` +
          `   ${per(r.apiCpuMs).padStart(22)} ${per(r.postgresCpuMs).padStart(9)} ${per(r.clientCpuMs).padStart(10)}`,
      );
    }
  }
  // The goals (issue 19): p99 <= 25 ms in every paced phase, and a flat-out ceiling of >= 500 customer 360s per second.
  console.log(`\np99 with ${clients} paced clients (target <= 25 ms in every phase):`);
  let paced99 = 0;
  for (const r of results.filter((x) => x.phase.startsWith('paced'))) {
    for (const [op, label] of [
      ['page', 'worklist page'],
      ['c360', 'customer 360'],
    ] as const) {
      const l = r.latencies[op];
      if (!l.length) continue;
      const p99 = pct(l, 99);
      paced99 = Math.max(paced99, p99);
      console.log(`  ${r.phase.padEnd(14)} ${label.padEnd(14)} p99 ${p99.toFixed(1).padStart(6)} ms  ${p99 <= 25 ? 'within' : 'over'}`);
    }
  }
  const flat = results.find((r) => r.phase === 'flat out 360s')!;
  const ceiling = flat.latencies.c360.length / flat.elapsed;
  console.log(`  worst paced p99 ${paced99.toFixed(1)} ms: ${paced99 <= 25 ? 'within' : 'over'} the 25 ms target`);
  console.log(
    `flat-out ceiling: ${ceiling.toFixed(0)} customer 360s per second (target >= 500/s): ${ceiling >= 500 ? 'reached' : 'not reached'}` +
      ` (p99 ${pct(flat.latencies.c360, 99).toFixed(1)} ms with ${clients} requests always waiting)`,
  );
  // What the 2 cores spent per 360, and what the server alone would sustain on them.
  const n = flat.latencies.c360.length;
  const [api, postgres, generator] = [flat.apiCpuMs / n, flat.postgresCpuMs === null ? null : flat.postgresCpuMs / n, flat.clientCpuMs / n];
  console.log(
    `  CPU per 360 flat out: API ${api.toFixed(2)} ms, Postgres ${postgres === null ? '(unreadable)' : `${postgres.toFixed(2)} ms`}, load generator ${generator.toFixed(2)} ms` +
      (postgres === null
        ? ''
        : `; the server alone on 2 cores: 2000 / ${(api + postgres).toFixed(2)} = ${(2000 / (api + postgres)).toFixed(0)} 360s per second`),
  );
}

/** Partner search as people use it: one at a time, as a person types; 40 searches of each kind, median per kind. */
async function searchLatency(endpoint: string, token: string): Promise<void> {
  const picked: Array<{ name: string; external_id: string; email: string | null }> = await db.dataSource.query(
    `SELECT p.name, p.external_id, a.email FROM partners p LEFT JOIN correspondence_addresses a ON a.partner_id = p.id ORDER BY random() LIMIT 40`,
  );
  const word = (name: string, i: number) => {
    const words = name.split(/\s+/).filter((w) => w.length >= 3);
    return words[i % words.length] ?? name;
  };
  const kinds: Array<[string, (n: (typeof picked)[number], i: number) => string | null]> = [
    ['name word', (n, i) => word(n.name, i)],
    ['name prefix', (n) => n.name.slice(0, 4)],
    ['external id', (n) => n.external_id.slice(-5)],
    ['e-mail prefix', (n) => n.email?.slice(0, 6) ?? null],
    ['no match', (_n, i) => `zqxv${i}jw`],
  ];
  const query = `query($t: String!) { partnerSearch(text: $t, first: 20) { edges { node { id externalId name email } } pageInfo { hasNextPage } } }`;
  const all: number[] = [];
  console.log('\npartner search (first 20)   searches   median ms   p99 ms   hits/search');
  for (const [kind, termOf] of kinds) {
    const ms: number[] = [];
    let hits = 0;
    for (const [i, n] of picked.entries()) {
      const t = termOf(n, i);
      if (!t) continue;
      const started = performance.now();
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables: { t } }),
      });
      const body = (await res.json()) as { errors?: unknown; data?: { partnerSearch: { edges: unknown[] } } };
      if (body.errors) throw new Error(`partnerSearch(${t}): ${JSON.stringify(body.errors).slice(0, 300)}`);
      ms.push(performance.now() - started);
      hits += body.data!.partnerSearch.edges.length;
    }
    ms.sort((a, b) => a - b);
    all.push(...ms);
    console.log(
      `${kind.padEnd(27)} ${String(ms.length).padStart(8)} ${pct(ms, 50).toFixed(1).padStart(11)} ${pct(ms, 99).toFixed(1).padStart(8)} ${(hits / Math.max(1, ms.length)).toFixed(1).padStart(13)}`,
    );
  }
  all.sort((a, b) => a - b);
  const median = pct(all, 50);
  console.log(
    `partner search (${all.length} searches, every kind): median ${median.toFixed(1)} ms, p99 ${pct(all, 99).toFixed(1)} ms: ${median < 100 ? 'within' : 'over'} the 100 ms target`,
  );
}
