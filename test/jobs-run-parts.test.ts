import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { JobEngine, runCycle, type StepHandler } from '../packages/server/src/jobs';
import { PART_QUEUE } from '../packages/server/src/jobs/worklist-part-jobs';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { runPart, runWorklist, type RunPart, type RunSplitting } from '../packages/server/src/worklists';
import { openTestDatabase } from './support/database';

/**
 * A live run split by partner range into jobs of the engine (worklist-part-jobs): the worklist
 * equals the one of a run in one process; a part run twice gives the same rows; a part that fails
 * for good fails the run with its reason and the previous live worklist stays; the WORKLISTS
 * step of the cycle splits a large segment.
 */
const D = '2026-11-23';
const SEGMENT = 'CONSUMER';
let db: Database;
let engine: JobEngine;
let baseline: { runId: string; items: unknown[] };

/** A run's items in worklist order, without the run id: what specialists see. */
async function itemsOf(runId: string): Promise<unknown[]> {
  const rows: Array<{ item: Record<string, unknown> }> = await db.dataSource.query(
    `SELECT to_jsonb(w) - 'run_id' AS item FROM worklist_items w WHERE run_id = $1 ORDER BY priority, valuation DESC, amount_to_be_collected DESC, partner_id`,
    [runId],
  );
  return rows.map((r) => r.item);
}

const liveRunId = async (): Promise<string> =>
  String((await db.dataSource.query(`SELECT live_run_id FROM collection_segments WHERE key = $1`, [SEGMENT]))[0].live_run_id);

/** The engine's splitting with its dispatch wrapped (parts seen, changed, or run by hand). */
function splittingWith(wrap: (parts: RunPart[], next: () => Promise<void>) => Promise<void>): RunSplitting {
  const splitting = engine.splitting();
  return { ...splitting, dispatch: (parts, onPartDone) => wrap(parts, () => splitting.dispatch(parts, onPartDone)) };
}

beforeAll(async () => {
  db = await openTestDatabase();
  await seedDemoAr(db, { partners: 400, seed: 3, asOf: D });
  engine = await JobEngine.start(db, {
    work: true,
    pollingIntervalSeconds: 0.5,
    retryLimit: 1,
    partRetryDelaySeconds: 0,
    split: { partnersPerPart: 40, minPartners: 0, pollMs: 100 },
  });
  const run = await runWorklist(db, { segment: SEGMENT, asOf: D, mode: 'LIVE' });
  baseline = { runId: run.runId, items: await itemsOf(run.runId) };
}, 180_000);

afterAll(async () => {
  await engine?.stop();
  await db?.close();
});

describe('a live run split into parts that workers take', () => {
  it('gives the worklist of a run in one process, each part a job with its own key', async () => {
    expect(baseline.items.length).toBeGreaterThan(20);
    let seen: RunPart[] = [];
    const run = await runWorklist(db, {
      segment: SEGMENT,
      asOf: D,
      mode: 'LIVE',
      splitting: splittingWith((parts, next) => ((seen = parts), next())),
    });
    expect(seen.length).toBeGreaterThan(2);
    expect(run.stats.jobs).toBe(seen.length);
    expect(await itemsOf(run.runId)).toEqual(baseline.items);
    expect(await liveRunId()).toBe(run.runId);
    const jobs: Array<{ singleton_key: string; state: string }> = await db.dataSource.query(
      `SELECT singleton_key, state::text FROM pgboss.job WHERE name = $1 AND data->'runIds'->>0 = $2 ORDER BY singleton_key`,
      [PART_QUEUE, run.runId],
    );
    expect(jobs.map((j) => j.state)).toEqual(seen.map(() => 'completed'));
    expect(new Set(jobs.map((j) => j.singleton_key))).toEqual(new Set(seen.map((p) => `${run.runId}:${p.part}`)));
    const [row] = await db.dataSource.query(`SELECT parts_done, parts_total, status FROM worklist_runs WHERE id = $1`, [run.runId]);
    expect(row).toEqual({ parts_done: seen.length, parts_total: seen.length, status: 'SUCCEEDED' });
  }, 120_000);

  it('a part run again (its first worker taken for dead) replaces its rows: the same worklist', async () => {
    const run = await runWorklist(db, {
      segment: SEGMENT,
      asOf: D,
      mode: 'LIVE',
      splitting: splittingWith(async (parts) => {
        for (const part of parts) await runPart(db, part, { firstAttempt: true });
        for (const part of parts) expect(await runPart(db, part)).toEqual({ scored: true });
      }),
    });
    expect(await itemsOf(run.runId)).toEqual(baseline.items);
  }, 120_000);

  it('a part failing for good fails the run with its reason; the previous live worklist stays', async () => {
    const before = await liveRunId();
    let broken: RunPart | undefined;
    const failing = runWorklist(db, {
      segment: SEGMENT,
      asOf: D,
      mode: 'LIVE',
      splitting: splittingWith((parts, next) => {
        broken = parts[2]!;
        broken.statements = broken.statements.map((s) => ({ text: `SELECT * FROM (${s.text}) s WHERE 1 / 0 = 1`, values: s.values }));
        return next();
      }),
    });
    await expect(failing).rejects.toThrow(/part 3 of \d+ \(partners \d+\.\.\d+\) of run \d+ failed: division by zero/);
    const [run] = await db.dataSource.query(`SELECT id::text, status, error FROM worklist_runs WHERE id = $1`, [broken!.runIds[0]]);
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/^part 3 of .* failed: division by zero/);
    expect(await liveRunId()).toBe(before);
    expect(await itemsOf(before)).toEqual(baseline.items);
    const [stage] = await db.dataSource.query(`SELECT to_regclass($1)::text AS stage`, [broken!.stage]);
    expect(stage.stage).toBeNull();
    // The failed part was tried twice (retryLimit 1); a part of the failed run does nothing now.
    const [job] = await db.dataSource.query(`SELECT state::text, retry_count FROM pgboss.job WHERE name = $1 AND singleton_key = $2`, [
      PART_QUEUE,
      `${broken!.runIds[0]}:2`,
    ]);
    expect(job).toEqual({ state: 'failed', retry_count: 1 });
    expect(await runPart(db, { ...broken!, statements: [] })).toEqual({ scored: false, reason: `run ${broken!.runIds[0]} is not running any more` });
  }, 120_000);

  it.skipIf(!process.env.DATABASE_URL)('a part of a run whose coordinator died reaps the run instead of scoring it (Postgres)', async () => {
    const [run]: Array<{ id: string }> = await db.dataSource.query(
      `INSERT INTO worklist_runs (segment_key, as_of, mode, currency, rules, aging_limits, coordinator_pid, progress_phase, partners_total)
       SELECT $1, $2, 'LIVE', 'EUR', '[]', '{30,60,90}', 2147483647, 'scoring', 0 RETURNING id::text`,
      [SEGMENT, D],
    );
    const stage = `worklist_stage_${run!.id}`;
    await db.dataSource.query(`CREATE UNLOGGED TABLE ${stage} (partner_id bigint)`);
    const part: RunPart = { runIds: [run!.id], stage, part: 0, parts: 1, range: ['0', '1000'], statements: [], where: '' };
    expect(await runPart(db, part)).toEqual({ scored: false, reason: `run ${run!.id} is not running any more` });
    const [row] = await db.dataSource.query(`SELECT status, error, to_regclass($2)::text AS stage FROM worklist_runs WHERE id = $1`, [run!.id, stage]);
    expect(row).toEqual({ status: 'FAILED', error: 'the process running it stopped (backend 2147483647 gone)', stage: null });
  });

  it("the cycle's WORKLISTS step splits a large run into parts", async () => {
    const ok: StepHandler = async () => 'ok';
    const steps = await runCycle(db, D, {
      handlers: { IMPORT: ok, JUDGE: ok, DUNNING: ok, CORRESPONDENCE: ok },
      pollMs: 100,
      retryLimit: 0,
      split: { partnersPerPart: 60, minPartners: 100, pollMs: 100 },
    });
    expect(steps.find((s) => s.step === 'WORKLISTS')).toMatchObject({ state: 'DONE', error: null });
    const runs: Array<{ id: string; segment_key: string; partners_total: number; jobs: number; parts: number }> = await db.dataSource.query(
      `SELECT r.id::text, r.segment_key, r.partners_total, (r.stats->>'jobs')::integer AS jobs,
          (SELECT count(*)::integer FROM pgboss.job j WHERE j.name = $2 AND j.data->'runIds' @> to_jsonb(r.id::text) AND j.state = 'completed') AS parts
         FROM worklist_runs r JOIN collection_segments s ON s.live_run_id = r.id WHERE r.as_of = $1 ORDER BY r.segment_key`,
      [D, PART_QUEUE],
    );
    expect(runs.length).toBeGreaterThan(1);
    // Each segment is a job of its own (worklist-segment), its run split when its selection has 100 partners or more:
    // a split run's scoring jobs are all part jobs; a small segment's run may stay in its segment's job (no part).
    for (const r of runs) expect([0, r.jobs]).toContain(r.parts);
    expect(runs.find((r) => r.segment_key === SEGMENT)!.parts).toBeGreaterThan(1);
    expect(await itemsOf(runs.find((r) => r.segment_key === SEGMENT)!.id)).toEqual(baseline.items);
  }, 180_000);
});
