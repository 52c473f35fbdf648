import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { JobEngine, type JobEngineOptions } from '../packages/server/src/jobs';
import { PART_QUEUE } from '../packages/server/src/jobs/worklist-part-jobs';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { runWorklist } from '../packages/server/src/worklists';
import { openTestDatabase } from './support/database';

/**
 * A live run of a 100k-partner segment split into 8 parts that two worker processes share; one
 * worker is killed (SIGKILL) in the middle of its part. The part's job expires and the other
 * worker runs it again; the run switches live with the worklist a single undisturbed worker
 * made (same items, specialists and order). Then the run's coordinator is killed instead: the
 * next part marks its run FAILED, the parts left do nothing, the live worklist stays. Worker
 * processes on one database: Postgres only.
 */
const postgres = Boolean(process.env.DATABASE_URL);
const D = '2026-11-23';
const SEGMENT = 'CONSUMER';
const PARTNERS = 100_000;
const PARTS = 8;
// As the workers' (test/support/jobs-worker-child.ts): a part's job takes its expiry from the queue.
const ENGINE: JobEngineOptions = {
  work: false,
  partExpireInSeconds: 10,
  partRetryDelaySeconds: 0,
  split: { partnersPerPart: PARTNERS / PARTS, minPartners: 0 },
};
let db: Database;
let engine: JobEngine;
const children: ChildProcess[] = [];

interface Worker {
  child: ChildProcess;
  /** Parts this worker started, in order. */
  parts: number[];
  /** Resolves when it starts its first part. */
  firstPart: Promise<void>;
}

function startWorker(): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/jobs-worker-child.ts', db.url, 'parts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let started: () => void = () => {};
  const worker: Worker = { child, parts: [], firstPart: new Promise<void>((resolve) => (started = resolve)) };
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        if (line === 'READY') resolve(worker);
        const part = /^PART (\d+)$/.exec(line);
        if (part) {
          worker.parts.push(Number(part[1]));
          started();
        }
      }
    });
    child.on('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before it was ready`)));
  });
}

/** A live run of SEGMENT split into parts, coordinated by a process of its own; resolves with its run id once started. */
function startCoordinator(): { child: ChildProcess; runId: Promise<string> } {
  const args = ['--import', 'tsx', 'test/support/jobs-worker-child.ts', db.url, 'coordinator', SEGMENT, D, String(PARTNERS / PARTS)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const runId = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const started = /^RUN (\d+)$/m.exec(chunk.toString());
      if (started) resolve(started[1]!);
    });
    child.on('exit', (code, signal) => reject(new Error(`coordinator exited (${code ?? signal}) before its run started`)));
  });
  return { child, runId };
}

async function until<T>(what: string, look: () => Promise<T | undefined>, withinMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = await look();
    if (found !== undefined) return found;
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopWorker(worker: Worker): Promise<void> {
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGTERM');
  await exited;
}

/** A run's items in worklist order, without the run id: what specialists see. */
async function itemsOf(runId: string): Promise<unknown[]> {
  const rows: Array<{ item: unknown }> = await db.dataSource.query(
    `SELECT to_jsonb(w) - 'run_id' AS item FROM worklist_items w WHERE run_id = $1 ORDER BY priority, valuation DESC, amount_to_be_collected DESC, partner_id`,
    [runId],
  );
  return rows.map((r) => r.item);
}

describe.skipIf(!postgres)('a worker killed in the middle of a run part (Postgres)', () => {
  beforeAll(async () => {
    db = await openTestDatabase();
    await seedDemoAr(db, { partners: PARTNERS, seed: 1, asOf: D });
    // One segment of every partner (the seeder spreads them over three).
    await db.dataSource.query(`UPDATE partners SET segment = $1, collection_group_key = $2 WHERE segment <> $1`, [SEGMENT, `${SEGMENT}_TEAM`]);
    await db.dataSource.query(`ANALYZE`);
    engine = await JobEngine.start(db, ENGINE);
  }, 300_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await engine?.stop();
    await db?.close();
  });

  it('is run again by the other worker; the run ends with the worklist of an undisturbed worker', async () => {
    // The worklist a single undisturbed worker makes.
    const single = await startWorker();
    const undisturbed = await runWorklist(db, { segment: SEGMENT, asOf: D, mode: 'LIVE', splitting: engine.splitting() });
    await stopWorker(single);
    expect(undisturbed.partnersEvaluated).toBe(PARTNERS);
    expect(undisturbed.stats.jobs).toBe(PARTS);
    expect(single.parts.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const expected = await itemsOf(undisturbed.runId);
    expect(expected.length).toBeGreaterThan(PARTNERS / 10);

    // Two workers; whichever starts a part first is killed in the middle of it.
    const workers = await Promise.all([startWorker(), startWorker()]);
    const running = runWorklist(db, { segment: SEGMENT, asOf: D, mode: 'LIVE', splitting: engine.splitting() });
    const victim = await Promise.race(workers.map((w) => w.firstPart.then(() => w)));
    victim.child.kill('SIGKILL');
    const killedPart = victim.parts[0]!;
    const survivor = workers.find((w) => w !== victim)!;
    const disturbed = await running;

    expect(disturbed.stats.jobs).toBe(PARTS);
    expect(await itemsOf(disturbed.runId)).toEqual(expected);
    const [segment] = await db.dataSource.query(`SELECT live_run_id::text AS live FROM collection_segments WHERE key = $1`, [SEGMENT]);
    expect(segment.live).toBe(disturbed.runId);
    // The killed part was taken again by the survivor, which did every part but the victim's unfinished one.
    expect(victim.parts).toEqual([killedPart]);
    expect([...survivor.parts].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const jobs: Array<{ part: number; state: string; retry_count: number }> = await db.dataSource.query(
      `SELECT (data->>'part')::integer AS part, state::text, retry_count FROM pgboss.job WHERE name = $1 AND data->'runIds'->>0 = $2 ORDER BY 1`,
      [PART_QUEUE, disturbed.runId],
    );
    expect(jobs).toEqual(Array.from({ length: PARTS }, (_, part) => ({ part, state: 'completed', retry_count: part === killedPart ? 1 : 0 })));
  }, 240_000);

  it('a coordinator killed mid-run: its run is FAILED by the next part, the parts left do nothing, the live worklist stays', async () => {
    const liveBefore = (await db.dataSource.query(`SELECT live_run_id::text AS live FROM collection_segments WHERE key = $1`, [SEGMENT]))[0].live;
    const worker = await startWorker();
    const coordinator = startCoordinator();
    const runId = await coordinator.runId;
    await worker.firstPart;
    coordinator.child.kill('SIGKILL');

    const parts: Array<{ part: number; state: string; summary: string | null }> = await until(
      'every part of the run ended',
      async () => {
        const rows: Array<{ part: number; state: string; summary: string | null }> = await db.dataSource.query(
          `SELECT (data->>'part')::integer AS part, state::text, output->>'summary' AS summary FROM pgboss.job WHERE name = $1 AND data->'runIds'->>0 = $2 ORDER BY 1`,
          [PART_QUEUE, runId],
        );
        return rows.length === PARTS && rows.every((r) => r.state === 'completed') ? rows : undefined;
      },
      120_000,
    );
    await stopWorker(worker);
    const [run] = await db.dataSource.query(`SELECT status, error FROM worklist_runs WHERE id = $1`, [runId]);
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/^the process running it stopped \(backend \d+ gone\)$/);
    // The part running at the kill finished; those after it found the run FAILED and wrote nothing.
    const skipped = parts.filter((p) => p.summary?.endsWith(`skipped: run ${runId} is not running any more`));
    expect(skipped.length).toBeGreaterThan(0);
    expect(parts.every((p) => p.summary?.endsWith(' scored') || skipped.includes(p))).toBe(true);
    const [left] = await db.dataSource.query(`SELECT to_regclass($1) IS NULL AS stage_gone, to_regclass($2) IS NULL AS items_gone`, [
      `worklist_stage_${runId}`,
      `worklist_items_run_${runId}`,
    ]);
    expect(left).toEqual({ stage_gone: true, items_gone: true });
    const [segment] = await db.dataSource.query(`SELECT live_run_id::text AS live FROM collection_segments WHERE key = $1`, [SEGMENT]);
    expect(segment.live).toBe(liveBefore);
  }, 240_000);
});
