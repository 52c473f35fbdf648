/**
 * The WORKLISTS step as one job per segment: the step's job (the coordinator) finds the segments
 * a live run of every segment would take, queues a job of the `worklist-segment` queue for each
 * (job key `<cycle date>:<segment>`, stately: never queued twice while one is queued or running)
 * and waits for them; any worker takes them. A segment's job is its own live run (a large one
 * still split into part jobs), so a failure is retried for that segment alone, and a step run
 * again (its coordinator's worker died, or an ADMIN retried it) leaves the segments whose job
 * completed for the date as they are.
 */
import type PgBoss from 'pg-boss';
import type { Database } from '../db/database';
import { runWorklists, segmentsToRun, type RunSplitting } from '../worklists';
import { ENGINE_SCHEMA } from './job-engine-schema';
import { SEGMENT_QUEUE, segmentKeyOf, type SegmentJobData } from './job-types';
import { jobsById, reasonOf, wakeable, type EngineJob } from './worklist-part-jobs';

/** A segment job's output (pg-boss keeps it): the log line, and its run for the step's summary. */
export interface SegmentOutcome {
  summary: string;
  segment: string;
  runId: string;
  partnersOnList: number;
}

/**
 * Segments whose job failed for good (retries spent) or was cancelled. The step fails at once,
 * naming them: its own retries would only run those segments' spent retries again.
 */
export class SegmentsFailedError extends Error {
  constructor(readonly failed: Array<{ segment: string; reason: string }>) {
    super(`worklist of ${failed.map((f) => `segment ${f.segment} failed: ${f.reason}`).join('; ')}`);
    this.name = 'SegmentsFailedError';
  }
}

export interface SegmentCoordinatorOptions {
  /** How often the coordinator looks at its segments' jobs (default 500 ms, as a split run at its parts). */
  pollMs?: number;
  /** Called once segment jobs are queued: wakes the workers (this process's, and others' over the parts' signals). */
  onQueued?: () => void;
}

/**
 * The WORKLISTS step's work: every segment to run (segmentsToRun: the worked ones, ready to
 * generate) as a job, then their outcomes once every one completed.
 */
export function segmentCoordinator(db: Database, boss: PgBoss, options: SegmentCoordinatorOptions = {}): (cycleDate: string) => Promise<SegmentOutcome[]> {
  return async (cycleDate) => {
    const segments = await segmentsToRun(db, undefined, undefined);
    const ids: string[] = [];
    for (const segment of segments) ids.push(await segmentJob(boss, cycleDate, segment));
    options.onQueued?.();
    return waitForSegments(boss, segments, ids, options.pollMs ?? 500);
  };
}

/**
 * The segment's job for the cycle date: one that completed (not run again), else one queued or
 * running (a previous attempt's), else a new one. The job key makes a concurrent send a no-op.
 */
async function segmentJob(boss: PgBoss, cycleDate: string, segment: string): Promise<string> {
  const key = segmentKeyOf(cycleDate, segment);
  const current = await currentSegmentJob(boss, key);
  if (current) return current.id;
  const data: SegmentJobData = { segment, cycleDate };
  const id = await boss.send(SEGMENT_QUEUE, data, { singletonKey: key });
  if (id) return id;
  // Queued meanwhile by someone else (the key refused ours): wait for that one.
  const other = await currentSegmentJob(boss, key);
  if (other) return other.id;
  throw new Error(`the job of segment ${segment} for ${cycleDate} could not be queued`);
}

/** The job of a key that completed, else the latest one queued, waiting for a retry or running; live or archived. */
async function currentSegmentJob(boss: PgBoss, key: string): Promise<EngineJob | undefined> {
  const { rows } = await boss.getDb().executeSql(
    `SELECT id::text, state::text, output FROM (
       SELECT id, state, output, created_on FROM ${ENGINE_SCHEMA}.job WHERE name = $1 AND singleton_key = $2
       UNION ALL SELECT id, state, output, created_on FROM ${ENGINE_SCHEMA}.archive WHERE name = $1 AND singleton_key = $2) j
     WHERE state IN ('completed', 'created', 'retry', 'active') ORDER BY state = 'completed' DESC, created_on DESC LIMIT 1`,
    [SEGMENT_QUEUE, key],
  );
  return rows[0] as EngineJob | undefined;
}

/**
 * Waits until every segment's job completed (their outcomes) or ended otherwise; the segments
 * still running are awaited (their runs are independent), then those that failed or were
 * cancelled fail the step together, with their reasons.
 */
async function waitForSegments(boss: PgBoss, segments: string[], ids: string[], pollMs: number): Promise<SegmentOutcome[]> {
  const pause = wakeable();
  for (;;) {
    const jobs = await jobsById(boss, SEGMENT_QUEUE, ids);
    const failed: Array<{ segment: string; reason: string }> = [];
    const outcomes: SegmentOutcome[] = [];
    segments.forEach((segment, k) => {
      const job = jobs.get(ids[k]!);
      if (!job) failed.push({ segment, reason: 'its job vanished' });
      else if (job.state === 'failed' || job.state === 'cancelled') failed.push({ segment, reason: job.state === 'cancelled' ? 'cancelled' : reasonOf(job) });
      else if (job.state === 'completed') outcomes.push(job.output as unknown as SegmentOutcome);
    });
    if (outcomes.length + failed.length === segments.length) {
      if (failed.length) throw new SegmentsFailedError(failed);
      return outcomes;
    }
    await pause.after(pollMs);
  }
}

/** A segment job's work: the segment's live run at the cycle date (split into part jobs when large). */
export async function workSegment(db: Database, data: SegmentJobData, splitting: RunSplitting | undefined): Promise<SegmentOutcome> {
  const [run] = await runWorklists(db, { segments: [data.segment], asOf: data.cycleDate, mode: 'LIVE', splitting });
  return {
    summary: `live worklist of ${data.segment} for ${data.cycleDate}: run ${run!.runId}, ${run!.partnersOnList} partners on list`,
    segment: data.segment,
    runId: run!.runId,
    partnersOnList: run!.partnersOnList,
  };
}
