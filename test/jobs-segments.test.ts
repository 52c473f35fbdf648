import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { startApp } from '../packages/server/src/app';
import { JobEngine, queueOf, runCycle, type CycleRunOptions, type StepHandler } from '../packages/server/src/jobs';
import { SEGMENT_QUEUE } from '../packages/server/src/jobs/job-types';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { segmentsToRun } from '../packages/server/src/worklists';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';

/**
 * The WORKLISTS step as one job per segment (worklist-segment-jobs), on the database of the run:
 * one job per segment with its key, each segment's live list switched; a segment failing for good
 * fails its job and the step naming it while the other segments switch; a duplicate enqueue is
 * ignored; the step run again leaves the segments whose job completed as they are.
 */
const D = '2026-11-23';
const D2 = '2026-11-24';
let db: Database;
let segments: string[];
/** Segment runs started, as `segment:cycleDate`; the segment in `failing` throws at its start. */
const started: string[] = [];
let failing: string | null = null;

const ok: StepHandler = async () => 'ok';
const cycleOptions: CycleRunOptions = {
  handlers: { IMPORT: ok, JUDGE: ok, DUNNING: ok, ANALYTICS: ok, CORRESPONDENCE: ok },
  pollMs: 100,
  retryLimit: 1,
  retryDelaySeconds: 0,
  split: { pollMs: 100 },
  onSegmentStarted: ({ segment, cycleDate }) => {
    started.push(`${segment}:${cycleDate}`);
    if (segment === failing) throw new Error(`strategy of ${segment} cannot be read`);
  },
};

interface SegmentJob {
  id: string;
  key: string;
  state: string;
  retry_count: number;
  output: { runId?: string; partnersOnList?: number; message?: string } | null;
}

const segmentJobs = async (cycleDate: string): Promise<SegmentJob[]> =>
  db.dataSource.query(
    `SELECT id::text, singleton_key AS key, state::text, retry_count, output FROM pgboss.job WHERE name = $1 AND data->>'cycleDate' = $2 ORDER BY singleton_key, created_on`,
    [SEGMENT_QUEUE, cycleDate],
  );

/** Each segment's live run: id and key date. */
async function liveRuns(): Promise<Map<string, { runId: string; asOf: string }>> {
  const rows: Array<{ key: string; run_id: string; as_of: string }> = await db.dataSource.query(
    `SELECT s.key, r.id::text AS run_id, to_char(r.as_of, 'YYYY-MM-DD') AS as_of FROM collection_segments s JOIN worklist_runs r ON r.id = s.live_run_id WHERE s.key = ANY($1::text[])`,
    [segments],
  );
  return new Map(rows.map((r) => [r.key, { runId: r.run_id, asOf: r.as_of }]));
}

beforeAll(async () => {
  db = await openTestDatabase();
  await seedDemoAr(db, { partners: 300, seed: 5, asOf: D });
  segments = await segmentsToRun(db, undefined, undefined);
}, 180_000);

afterAll(async () => {
  await db?.close();
});

describe('the WORKLISTS step: one job per segment', () => {
  it('queues one job per segment with its key `<date>:<segment>`; each segment’s live list switches', async () => {
    expect(segments.length).toBeGreaterThan(1);
    const steps = await runCycle(db, D, cycleOptions);
    expect(steps.find((s) => s.step === 'WORKLISTS')).toMatchObject({ state: 'DONE', error: null });
    const jobs = await segmentJobs(D);
    expect(jobs.map((j) => j.key)).toEqual(segments.map((s) => `${D}:${s}`).sort());
    expect(jobs.map((j) => j.state)).toEqual(segments.map(() => 'completed'));
    const live = await liveRuns();
    for (const job of jobs) {
      const segment = job.key.slice(D.length + 1);
      expect(live.get(segment)).toEqual({ runId: job.output!.runId, asOf: D });
    }
    // The step's summary names every segment with its partners on list, from its job's output.
    const [step] = await db.dataSource.query(`SELECT output FROM pgboss.job WHERE name = $1 AND singleton_key = $2`, [queueOf('WORKLISTS'), `WORKLISTS:${D}`]);
    for (const job of jobs) expect(step.output.summary).toContain(`${job.key.slice(D.length + 1)} ${job.output!.partnersOnList}`);
    expect(started.sort()).toEqual(segments.map((s) => `${s}:${D}`).sort());
  }, 180_000);

  it('shows the segment jobs over GraphQL (`jobs`) with their type, segment, key and cycle date', async () => {
    const app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
    try {
      const token = await createTestToken(db, 'SUPERVISOR');
      const read = await gql(app.url, `{ jobs(type: "${SEGMENT_QUEUE}", first: 50) { edges { node { type segment key cycleDate state data } } } }`, {}, token);
      expect(read.errors).toBeUndefined();
      const nodes: Array<Record<string, unknown>> = read.data.jobs.edges.map((e: { node: unknown }) => e.node);
      expect(nodes.map((n) => n.segment).sort()).toEqual([...segments].sort());
      for (const n of nodes) {
        expect(n).toEqual({
          type: 'worklist-segment',
          segment: n.segment,
          key: `${D}:${n.segment}`,
          cycleDate: D,
          state: 'DONE',
          data: { segment: n.segment, cycleDate: D },
        });
      }
      const steps = await gql(app.url, `{ jobs(type: "${queueOf('WORKLISTS')}") { edges { node { segment } } } }`, {}, token);
      expect(steps.data.jobs.edges.map((e: { node: unknown }) => e.node)).toEqual([{ segment: null }]);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('a segment failing for good fails its job after its retries and the step naming it; the other segments switch', async () => {
    failing = segments[0]!;
    started.length = 0;
    const before = await liveRuns();
    const steps = await runCycle(db, D2, cycleOptions);
    const step = steps.find((s) => s.step === 'WORKLISTS')!;
    expect(step.state).toBe('FAILED');
    expect(step.error).toBe(`worklist of segment ${failing} failed: strategy of ${failing} cannot be read`);
    // Tried twice (retryLimit 1), alone: the other segments once each.
    expect(started.filter((s) => s === `${failing}:${D2}`)).toHaveLength(2);
    expect(started.filter((s) => s !== `${failing}:${D2}`).sort()).toEqual(
      segments
        .slice(1)
        .map((s) => `${s}:${D2}`)
        .sort(),
    );
    const jobs = await segmentJobs(D2);
    const failed = jobs.find((j) => j.key === `${D2}:${failing}`)!;
    expect(failed).toMatchObject({ state: 'failed', retry_count: 1 });
    expect(failed.output!.message).toBe(`strategy of ${failing} cannot be read`);
    const live = await liveRuns();
    expect(live.get(failing)).toEqual(before.get(failing));
    for (const job of jobs.filter((j) => j !== failed)) {
      expect(job.state).toBe('completed');
      expect(live.get(job.key.slice(D2.length + 1))).toEqual({ runId: job.output!.runId, asOf: D2 });
    }
    // The step's job is dead at once: a retry of it would only run the failed segment's spent retries again.
    const [coordinator] = await db.dataSource.query(`SELECT state::text, retry_count, output FROM pgboss.job WHERE name = $1 AND singleton_key = $2`, [
      queueOf('WORKLISTS'),
      `WORKLISTS:${D2}`,
    ]);
    expect(coordinator).toMatchObject({ state: 'failed', retry_count: 0 });
    expect(coordinator.output.message).toBe(step.error);
  }, 180_000);

  it('the step run again runs only the segments whose job did not complete', async () => {
    const before = await liveRuns();
    const segment = failing!;
    failing = null;
    started.length = 0;
    const steps = await runCycle(db, D2, cycleOptions);
    expect(steps.find((s) => s.step === 'WORKLISTS')).toMatchObject({ state: 'DONE', error: null });
    expect(started).toEqual([`${segment}:${D2}`]);
    const jobs = await segmentJobs(D2);
    // One job per segment that had completed; the failed one's and a new, completed one for the other.
    expect(jobs.map((j) => j.key)).toEqual([...segments.map((s) => `${D2}:${s}`), `${D2}:${segment}`].sort());
    expect(jobs.filter((j) => j.key === `${D2}:${segment}`).map((j) => j.state)).toEqual(['failed', 'completed']);
    const live = await liveRuns();
    for (const s of segments.filter((x) => x !== segment)) expect(live.get(s)).toEqual(before.get(s));
    expect(live.get(segment)).toEqual({ runId: jobs.find((j) => j.key === `${D2}:${segment}` && j.state === 'completed')!.output!.runId, asOf: D2 });
  }, 180_000);

  it('ignores a duplicate enqueue of a segment for the same cycle date', async () => {
    const engine = await JobEngine.start(db, {});
    try {
      const first = await engine.sendSegment(segments[0]!, '2026-12-31');
      const second = await engine.sendSegment(segments[0]!, '2026-12-31');
      expect(first).toMatch(/^[0-9a-f-]{36}$/);
      expect(second).toBeNull();
      expect((await segmentJobs('2026-12-31')).map((j) => [j.id, j.key, j.state])).toEqual([[first, `2026-12-31:${segments[0]}`, 'created']]);
    } finally {
      await engine.stop();
    }
  });
});
