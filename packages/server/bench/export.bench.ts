/**
 * `pnpm bench:export [--sizes 20000,50000,200000] [--runs R] [--server-heap-mb M]`
 *
 * The worklist CSV export (GET /exports/worklist.csv) on real Postgres (DATABASE_URL's server,
 * default 127.0.0.1:5432): a scratch database `recoup_bench_export` gets one segment per size,
 * each of exactly that many partners with an overdue item, scored onto their live worklists by a
 * strategy that lists everyone. The API runs in a child process; this process downloads each
 * segment's CSV over HTTP R times (default 3), reading as fast as it can, while sampling the
 * child's resident set (/proc/PID/status, every 5 ms). Prints per size the rows/s median and the
 * peak RSS growth over the child's RSS before the export (after a GC), and the ratio of the
 * largest size's peak growth to the smallest's: constant memory keeps it near 1 whatever the rows.
 * RSS also holds garbage V8 has not collected yet (its heap grows with the allocation rate);
 * --server-heap-mb caps the API's old generation (--max-old-space-size): an export that kept its
 * rows would die of it, one in constant memory finishes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startApp } from '../src/app';
import { createApiToken } from '../src/auth/auth.service';
import { openDatabase } from '../src/db/database';
import { runWorklists } from '../src/worklists/worklist-run.service';
import { median, openBenchDatabase } from './bench-db';

const AS_OF = '2026-11-23';
const NAME = 'recoup_bench_export';

// ---- the bench ----------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      sizes: { type: 'string', default: '20000,50000,200000' },
      runs: { type: 'string', default: '3' },
      'server-heap-mb': { type: 'string' },
    },
  });
  const sizes = args.sizes.split(',').map(Number);
  const runs = Number(args.runs);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !(runs >= 1)) throw new Error('--sizes: whole numbers; --runs: at least 1');

  const db = await openBenchDatabase(NAME);
  let child: ChildProcess | undefined;
  try {
    console.log(`seeding ${sizes.map((n) => `${n}`).join(' + ')} partners on live worklists into ${NAME}…`);
    const seeded = performance.now();
    await seedSegments(db, sizes);
    // Statistics of the new rows first: planned as empty tables, the run's joins would loop.
    await db.dataSource.query('ANALYZE');
    await runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });
    await db.dataSource.query('VACUUM ANALYZE');
    console.log(`seeded and ran in ${((performance.now() - seeded) / 1000).toFixed(0)} s`);
    const { token } = await createApiToken(db, { name: `bench-export-${Date.now()}`, role: 'ADMIN' });

    const heapMb = args['server-heap-mb'] ? Number(args['server-heap-mb']) : undefined;
    if (heapMb) console.log(`the API's old generation capped at ${heapMb} MB`);
    const server = await startServer(db.url, heapMb);
    child = server.child;
    // Warm-up: the code paths and the pools, before any measurement.
    await download(server.url, token, segmentOf(sizes[0]!));

    const results: Array<{ size: number; rows: number; rate: number[]; growth: number[] }> = [];
    for (const size of sizes) {
      const result = { size, rows: 0, rate: [] as number[], growth: [] as number[] };
      for (let r = 0; r < runs; r++) {
        await collectGarbage(server.child);
        const baseline = rssOf(server.child.pid!);
        let peak = baseline;
        const sampler = setInterval(() => {
          peak = Math.max(peak, rssOf(server.child.pid!));
        }, 5);
        const started = performance.now();
        const rows = await download(server.url, token, segmentOf(size));
        const seconds = (performance.now() - started) / 1000;
        clearInterval(sampler);
        peak = Math.max(peak, rssOf(server.child.pid!));
        if (rows !== size) throw new Error(`${segmentOf(size)}: ${rows} rows exported, ${size} expected`);
        result.rows = rows;
        result.rate.push(rows / seconds);
        result.growth.push(peak - baseline);
      }
      results.push(result);
    }
    printTable(results, runs);
  } finally {
    child?.send('stop');
    await db.close();
  }
}

const segmentOf = (size: number) => `EXPORT_${size}`;

/** One segment per size, each of `size` partners with one overdue item, and a strategy that lists every partner. */
async function seedSegments(db: Awaited<ReturnType<typeof openBenchDatabase>>, sizes: number[]): Promise<void> {
  const document = {
    key: 'EXPORT_BENCH',
    name: 'Export bench',
    currency: 'EUR',
    maxValuation: null,
    minPercent: 0,
    priorities: [
      { priority: 1, label: 'High', minPercent: 50 },
      { priority: 2, label: 'Low', minPercent: 0 },
    ],
    agingBuckets: [0, 30, 60],
    rules: [
      {
        name: 'Over 500 to collect',
        priority: 1,
        conditions: { all: [{ fact: 'amountToBeCollected', operator: 'greaterThan', value: 500 }] },
        event: { type: 'valuation', params: { points: 50, role: 'condition' } },
      },
    ],
  };
  const [strategy] = await db.dataSource.query(`INSERT INTO strategies (key, name) VALUES ('EXPORT_BENCH', 'Export bench') RETURNING id`);
  await db.dataSource.query(
    `INSERT INTO strategy_versions (strategy_id, version, status, document, created_by, activated_at) VALUES ($1, 1, 'ACTIVE', $2, 'bench', now())`,
    [strategy.id, JSON.stringify(document)],
  );
  let first = 1;
  for (const [s, size] of sizes.entries()) {
    const segment = segmentOf(size);
    await db.dataSource.query(`INSERT INTO collection_segments (key, name, currency) VALUES ($1, $2, 'EUR')`, [segment, segment]);
    await db.dataSource.query(`INSERT INTO collection_groups (key, name, segment_key, strategy_key) VALUES ($1, $2, $3, 'EXPORT_BENCH')`, [
      `${segment}_G`,
      `${segment}_G`,
      segment,
    ]);
    await db.dataSource.query(
      `INSERT INTO specialists (id, user_name, name, group_key, active)
       SELECT $1::int * 100 + k, 'bench' || ($1::int * 100 + k), 'Specialist ' || ($1::int * 100 + k), $2, true FROM generate_series(1, 5) AS k`,
      [s + 1, `${segment}_G`],
    );
    await db.dataSource.query(
      `INSERT INTO partners (id, external_id, name, country, currency, customer_type, segment)
       SELECT id, 'P' || lpad(id::text, 8, '0'), (ARRAY['Müller', 'Schmidt, Sons & Co', 'Orbit "Consulting"', 'Vos Vastgoed BV'])[1 + id % 4] || ' ' || id,
              'DE', 'EUR', 'B2B', $3
         FROM generate_series($1::bigint, $2::bigint) AS id`,
      [first, first + size - 1, segment],
    );
    await db.dataSource.query(
      `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level, dunning_block)
       SELECT id, 'I' || id, id, '1000', '2026-01-01', date '2026-10-01' + (id % 40)::int, 100 + (id % 997) * 1.37, 100 + (id % 997) * 1.37, 'EUR', 0, false
         FROM generate_series($1::bigint, $2::bigint) AS id`,
      [first, first + size - 1],
    );
    first += size;
  }
}

async function startServer(url: string, heapMb?: number): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, RECOUP_EXPORT_BENCH_SERVER: url },
    execArgv: [...process.execArgv, '--expose-gc', ...(heapMb ? [`--max-old-space-size=${heapMb}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const started = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string }));
    child.once('exit', (code) => reject(new Error(`the server process ended (${code})`)));
  });
  return { child, url: started.url };
}

function collectGarbage(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('message', () => resolve());
    child.send('gc');
  });
}

/** A process's resident set in bytes (Linux). */
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** Downloads a segment's CSV as fast as the stream gives it; its data rows (lines less the header). */
async function download(url: string, token: string, segment: string): Promise<number> {
  const response = await fetch(`${url}/exports/worklist.csv?segment=${segment}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`${segment}: HTTP ${response.status} ${await response.text()}`);
  let lines = 0;
  let quoted = false;
  for await (const chunk of response.body!) {
    // Line ends outside quotes (names hold quotes; none holds a line break here, but count as CSV does).
    for (const byte of chunk as Uint8Array) {
      if (byte === 34) quoted = !quoted;
      else if (byte === 10 && !quoted) lines++;
    }
  }
  return lines - 1;
}

function printTable(results: Array<{ size: number; rows: number; rate: number[]; growth: number[] }>, runs: number): void {
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(`\nrows       runs   rows/s (median)   peak RSS growth MB (median / max)`);
  for (const r of results) {
    console.log(
      `${String(r.rows).padEnd(10)} ${String(runs).padStart(4)} ${median(r.rate).toFixed(0).padStart(17)}   ${mb(median(r.growth)).padStart(12)} / ${mb(Math.max(...r.growth))}`,
    );
  }
  const small = results[0]!;
  const large = results.at(-1)!;
  // Growths under a megabyte are noise (a GC's timing): the smaller one counts as at least 1 MB.
  const ratio = median(large.growth) / Math.max(median(small.growth), 1024 * 1024);
  console.log(
    `\npeak RSS growth ${large.rows} / ${small.rows} rows: ${ratio.toFixed(2)} (median ${mb(median(large.growth))} MB / ${mb(median(small.growth))} MB)` +
      ` for ${(large.rows / small.rows).toFixed(0)}x the rows: ${ratio < 2 ? 'flat (constant memory)' : 'grows with the rows'}`,
  );
}

// ---- entry: the bench, or (forked by it) the API on the bench database --------------------

if (process.env.RECOUP_EXPORT_BENCH_SERVER) {
  const db = await openDatabase({ url: process.env.RECOUP_EXPORT_BENCH_SERVER, poolSize: 4, migrate: false });
  const app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  process.on('message', (message) => {
    if (message === 'gc') {
      globalThis.gc?.();
      process.send!('gc done');
    } else if (message === 'stop') {
      void app.close().then(() => db.close().then(() => process.exit(0)));
    }
  });
  process.send!({ url: app.url });
} else {
  await main();
}
