import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { JobEngine, queueOf } from '../packages/server/src/jobs';
import { openTestDatabase } from './support/database';

/**
 * A worker killed (SIGKILL) in the middle of a cycle step's job: the job expires and another
 * worker process runs it to the end; the cycle step is DONE once. Two processes on one database:
 * Postgres only (the embedded database belongs to one process).
 */
const postgres = Boolean(process.env.DATABASE_URL);
let db: Database;
let engine: JobEngine;
const children: ChildProcess[] = [];

function startWorker(): Promise<{ child: ChildProcess; started: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/jobs-worker-child.ts', db.url], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  let onStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('READY')) resolve({ child, started });
      if (out.includes('STARTED')) onStarted();
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
  });
}

async function until(what: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!postgres)('a worker killed mid-job (Postgres)', () => {
  beforeAll(async () => {
    db = await openTestDatabase();
    await db.dataSource.query(
      `CREATE TABLE job_fault_log (event text NOT NULL, pid int NOT NULL, cycle_date date NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
    engine = await JobEngine.start(db, { work: false });
  }, 120_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await engine?.stop();
    await db?.close();
  });

  it('is retried by the other worker, which finishes it; the step is DONE', async () => {
    const workers = await Promise.all([startWorker(), startWorker()]);
    await db.dataSource.query(`INSERT INTO cycle_step_runs (cycle_date, step, state, due_at) VALUES ('2026-12-05', 'WORKLISTS', 'QUEUED', now())`);
    const jobId = await engine.send('WORKLISTS', '2026-12-05');
    // Whichever worker took the job is killed in the middle of it (the job takes 2 s).
    const first = await Promise.race(workers.map((w) => w.started.then(() => w)));
    first.child.kill('SIGKILL');
    const other = workers.find((w) => w !== first)!;
    await until(async () => (await db.dataSource.query(`SELECT state FROM cycle_step_runs WHERE cycle_date = '2026-12-05'`))[0].state === 'DONE', 30_000);
    const log: Array<{ event: string; pid: number }> = await db.dataSource.query(`SELECT event, pid FROM job_fault_log ORDER BY at`);
    expect(log).toEqual([
      { event: 'started', pid: first.child.pid },
      { event: 'started', pid: other.child.pid },
      { event: 'finished', pid: other.child.pid },
    ]);
    // The step is DONE inside the job; pg-boss completes the job once the handler returned.
    const jobOf = async () =>
      (await db.dataSource.query(`SELECT state, retry_count FROM pgboss.job WHERE id = $1 AND name = $2`, [jobId, queueOf('WORKLISTS')]))[0];
    await until(async () => (await jobOf()).state !== 'active', 10_000);
    expect(await jobOf()).toEqual({ state: 'completed', retry_count: 1 });
  }, 60_000);
});
