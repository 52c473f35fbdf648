import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { JobEngine, queueOf } from '../packages/server/src/jobs';
import { SEGMENT_QUEUE } from '../packages/server/src/jobs/job-types';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { segmentsToRun } from '../packages/server/src/worklists';
import { openTestDatabase } from './support/database';

/**
 * The WORKLISTS step's coordinator killed (SIGKILL) while it waits for its segments: its job
 * expires and another worker runs the step again, which leaves the segments whose job completed
 * as they are and finishes the others; the step is DONE. Two processes: Postgres only.
 */
const postgres = Boolean(process.env.DATABASE_URL);
const D = '2026-11-23';
let db: Database;
let engine: JobEngine;
let segments: string[];
const children: ChildProcess[] = [];

function startWorker(slow: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/jobs-worker-child.ts', db.url, 'segments', slow], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('READY')) resolve({ child, output: () => out });
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
  });
}

async function until(what: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const log = (): Promise<Array<{ pid: number; segment: string }>> => db.dataSource.query(`SELECT pid, segment FROM segment_fault_log ORDER BY at`);

describe.skipIf(!postgres)('the WORKLISTS coordinator killed while its segments run (Postgres)', () => {
  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: 300, seed: 5, asOf: D });
    segments = await segmentsToRun(db, undefined, undefined);
    await db.dataSource.query(
      `CREATE TABLE segment_fault_log (event text NOT NULL, pid int NOT NULL, segment text NOT NULL, cycle_date date NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
    engine = await JobEngine.start(db, { work: false });
  }, 180_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await engine?.stop();
    await db?.close();
  });

  it('is run again by another worker, which does not run again the segments that completed; the step is DONE', async () => {
    expect(segments.length).toBeGreaterThan(1);
    const slow = segments[segments.length - 1]!;
    const first = await startWorker(slow);
    await db.dataSource.query(`INSERT INTO cycle_step_runs (cycle_date, step, state, due_at) VALUES ($1, 'WORKLISTS', 'QUEUED', now())`, [D]);
    const stepJob = await engine.send('WORKLISTS', D);
    // One segment at a time, in order: the slow (last) one starts once the others completed; the coordinator waits for it.
    await until(async () => first.output().includes(`SEGMENT ${slow}`), 60_000);
    const done: Array<{ key: string }> = await db.dataSource.query(`SELECT singleton_key AS key FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [
      SEGMENT_QUEUE,
    ]);
    expect(done.map((j) => j.key).sort()).toEqual(
      segments
        .slice(0, -1)
        .map((s) => `${D}:${s}`)
        .sort(),
    );
    first.child.kill('SIGKILL');
    const other = await startWorker(slow);
    await until(
      async () => (await db.dataSource.query(`SELECT state FROM cycle_step_runs WHERE cycle_date = $1 AND step = 'WORKLISTS'`, [D]))[0].state === 'DONE',
      60_000,
    );
    // The other worker ran the slow segment only; every segment has one completed job (the slow one's first expired: retried).
    expect((await log()).filter((l) => l.pid === other.child.pid).map((l) => l.segment)).toEqual([slow]);
    const jobs: Array<{ key: string; state: string }> = await db.dataSource.query(
      `SELECT singleton_key AS key, state::text FROM pgboss.job WHERE name = $1 ORDER BY singleton_key`,
      [SEGMENT_QUEUE],
    );
    expect(jobs).toEqual(segments.map((s) => ({ key: `${D}:${s}`, state: 'completed' })).sort((a, b) => a.key.localeCompare(b.key)));
    const [step] = await db.dataSource.query(`SELECT state::text, retry_count FROM pgboss.job WHERE id = $1 AND name = $2`, [stepJob, queueOf('WORKLISTS')]);
    expect(step).toEqual({ state: 'completed', retry_count: 1 });
    const live: Array<{ key: string; as_of: string }> = await db.dataSource.query(
      `SELECT s.key, to_char(r.as_of, 'YYYY-MM-DD') AS as_of FROM collection_segments s JOIN worklist_runs r ON r.id = s.live_run_id WHERE s.key = ANY($1::text[])`,
      [segments],
    );
    expect(live.map((l) => l.as_of)).toEqual(segments.map(() => D));
  }, 120_000);
});
