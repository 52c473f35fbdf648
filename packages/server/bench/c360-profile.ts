/**
 * `tsx packages/server/bench/c360-profile.ts [--n N] [--concurrency K] [--database NAME] [--query c360|page]`
 *
 * Where a customer 360 spends its time, on the database `pnpm bench:api` seeds (it must exist):
 * N 360s (K at a time) from a child process, measuring this process's CPU (the API), the CPU of
 * the Postgres backends serving it (from /proc, Linux), and the statements per request.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startApp } from '../src/app';
import { createApiToken } from '../src/auth/auth.service';
import { openDatabase } from '../src/db/database';
import { c360Query, WORKLIST_PAGE_QUERY } from './api-queries';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    database: { type: 'string', default: 'recoup_bench_api' },
    query: { type: 'string', default: 'c360' },
    client: { type: 'string', default: 'fetch' },
  },
});
const AS_OF = '2026-11-23';
const url = new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
url.pathname = `/${args.database}`;

const C360 = c360Query(AS_OF);

const PAGE = process.env.PAGE_QUERY ?? WORKLIST_PAGE_QUERY;

const db = await openDatabase({ url: url.toString(), poolSize: 10, migrate: false });
const pages = args.query === 'page';
const [specialist] = await db.dataSource.query(
  `SELECT w.specialist_id::text AS id FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id WHERE w.specialist_id IS NOT NULL LIMIT 1`,
);
const { token, record } = await createApiToken(
  db,
  pages ? { name: `c360-profile-${Date.now()}`, role: 'SPECIALIST', specialistId: specialist.id } : { name: `c360-profile-${Date.now()}`, role: 'ADMIN' },
);
const sample: Array<{ id: string }> = await db.dataSource.query(
  `SELECT w.partner_id::text AS id FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id ORDER BY random() LIMIT 5000`,
);

// Statements: every query through pg's client (prepared reads and TypeORM alike).
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...a: any[]) {
  statements++;
  return (query as any).apply(this, a);
} as any;

const app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
const endpoint = `http://127.0.0.1:${new URL(app.url).port}/graphql`;

const CLIENT = `
const { endpoint, token, ids, n, k, query, pages, client } = JSON.parse(process.argv[1]);
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: k });
const url = new URL(endpoint);
const viaHttp = (body) => new Promise((resolve, reject) => {
  const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: 'Bearer ' + token } }, (res) => {
    const chunks = []; res.on('data', (c) => chunks.push(c)); res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
  });
  req.on('error', reject); req.end(body);
});
(async () => {
  let i = 0; const ms = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: k }, async () => {
    while (i < n) {
      const p = ids[i++ % ids.length];
      const t = performance.now();
      const variables = pages ? { after: null } : { p };
      const text = JSON.stringify({ query, variables });
      const body = client === 'http' ? await viaHttp(text) : await (await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: text })).json();
      if (body.errors) { console.error(JSON.stringify(body.errors)); process.exit(1); }
      ms.push(performance.now() - t);
    }
  }));
  ms.sort((a, b) => a - b);
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ clientCpu: (cpu.user + cpu.system) / 1000, wall: performance.now() - t0, p50: ms[ms.length >> 1], p99: ms[Math.floor(ms.length * 0.99)] }));
})();`;

function drive(n: number, k: number): Promise<{ clientCpu: number; wall: number; p50: number; p99: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-e', CLIENT, JSON.stringify({ endpoint, token, ids: sample.map((s) => s.id), n, k, query: pages ? PAGE : C360, pages, client: args.client })],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`client exited ${code}`))));
  });
}

/** CPU ms so far of each Postgres backend connected to this database (utime + stime, clock ticks of 10 ms), by pid. */
async function backendCpuMs(): Promise<Map<number, number>> {
  const rows: Array<{ pid: number }> = await db.dataSource.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  const ms = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms.set(pid, (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // a backend that ended
    }
  }
  return ms;
}

/** The backends' CPU between two readings (one that ended between them is not counted). */
function between(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}

const n = Number(args.n);
const k = Number(args.concurrency);
await drive(Math.min(500, n), k); // warm-up: JIT, prepared statements on every pooled connection
const s0 = statements;
const cpu0 = process.cpuUsage();
const pg0 = await backendCpuMs();
const r = await drive(n, k);
const cpu = process.cpuUsage(cpu0);
const pgMs = between(pg0, await backendCpuMs());
const nodeMs = (cpu.user + cpu.system) / 1000;
console.log(
  `${n} ${pages ? 'first worklist pages' : '360s'}, ${k} at a time: ${(n / (r.wall / 1000)).toFixed(0)}/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; ` +
    `${((statements - s0) / n).toFixed(2)} statements per request; CPU per request: API ${(nodeMs / n).toFixed(2)} ms (user ${(cpu.user / 1000 / n).toFixed(2)}, system ${(cpu.system / 1000 / n).toFixed(2)}), Postgres ${(pgMs / n).toFixed(2)} ms` +
    `; load generator ${(r.clientCpu / n).toFixed(2)} ms (2 cores / API + Postgres = ${(2000 / (nodeMs / n + pgMs / n)) | 0}/s, with the generator ${(2000 / (nodeMs / n + pgMs / n + r.clientCpu / n)) | 0}/s)`,
);
await app.close();
await db.dataSource.query(`DELETE FROM api_tokens WHERE id = $1`, [record.id]);
await db.close();
