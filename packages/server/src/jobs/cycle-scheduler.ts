import cronParser from 'cron-parser';
import type { Database } from '../db/database';
import { log, serializeError } from '../observability';
import type { JobEngine } from './job-engine';
import type { CycleStepName } from './job-types';

/** What the scheduler asks the time of: the wall clock, or a test's. */
export interface Clock {
  now(): Date;
}

export const SYSTEM_CLOCK: Clock = { now: () => new Date() };

export interface ScheduledStep {
  step: CycleStepName;
  cron: string;
  timeZone: string;
}

/** A step's latest fire time at or before `now`, and the cycle date it belongs to (that time's date in the step's zone). */
export function latestFire(step: ScheduledStep, now: Date): { at: Date; cycleDate: string } {
  // prev() is strictly before currentDate: a step due exactly now fires now.
  const at = cronParser
    .parseExpression(step.cron, { currentDate: new Date(now.getTime() + 1), tz: step.timeZone })
    .prev()
    .toDate();
  return { at, cycleDate: localDate(at, step.timeZone) };
}

/** The calendar date of an instant in a time zone (en-CA formats as YYYY-MM-DD). */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * Creates the WAITING row of every enabled step whose fire time came within `catchUpMs` before
 * `now` (a scheduler down longer than that does not replay the night: `cycle run` does).
 * The row's key (cycle date, step) makes a second scheduler's insert a no-op.
 */
export async function createDueSteps(db: Database, now: Date, catchUpMs: number): Promise<Array<{ step: CycleStepName; cycleDate: string }>> {
  const steps: ScheduledStep[] = await db.dataSource.query(`SELECT step, cron, time_zone AS "timeZone" FROM cycle_steps WHERE enabled ORDER BY step`);
  const created: Array<{ step: CycleStepName; cycleDate: string }> = [];
  for (const step of steps) {
    const fire = latestFire(step, now);
    if (now.getTime() - fire.at.getTime() > catchUpMs) continue;
    const rows = await db.dataSource.query(
      `INSERT INTO cycle_step_runs (cycle_date, step, state, due_at) VALUES ($1, $2, 'WAITING', $3) ON CONFLICT DO NOTHING RETURNING step`,
      [fire.cycleDate, step.step, fire.at],
    );
    if (rows.length) created.push({ step: step.step, cycleDate: fire.cycleDate });
  }
  return created;
}

/** WAITING rows of `cycleDate` (every date if null) for the enabled steps (a manual run; FAILED ones again). */
export async function createCycleSteps(db: Database, cycleDate: string, now: Date): Promise<void> {
  await db.dataSource.query(
    `INSERT INTO cycle_step_runs (cycle_date, step, state, due_at)
     SELECT $1, step, 'WAITING', $2 FROM cycle_steps WHERE enabled
     ON CONFLICT (cycle_date, step) DO UPDATE SET state = 'WAITING', error = NULL, job_id = NULL, queued_at = NULL, finished_at = NULL
     WHERE cycle_step_runs.state = 'FAILED'`,
    [cycleDate, now],
  );
}

/**
 * Queues every WAITING step whose dependencies (enabled steps of the same cycle date) are DONE.
 * The claim (WAITING to QUEUED) and the job's insert are one transaction, so a step is queued
 * exactly once however many schedulers tick; SKIP LOCKED lets them pass each other.
 */
export async function queueReadySteps(db: Database, engine: JobEngine): Promise<Array<{ step: CycleStepName; cycleDate: string; jobId: string | null }>> {
  const client = await db.pools.main!.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ step: CycleStepName; cycleDate: string }>(
      `WITH ready AS (
         SELECT r.cycle_date, r.step FROM cycle_step_runs r JOIN cycle_steps s ON s.step = r.step
         WHERE r.state = 'WAITING'
           AND NOT EXISTS (
             SELECT 1 FROM unnest(s.depends_on) AS d(step) JOIN cycle_steps ds ON ds.step = d.step AND ds.enabled
             WHERE NOT EXISTS (SELECT 1 FROM cycle_step_runs dr WHERE dr.cycle_date = r.cycle_date AND dr.step = d.step AND dr.state = 'DONE'))
         ORDER BY r.cycle_date, r.step
         FOR UPDATE OF r SKIP LOCKED)
       UPDATE cycle_step_runs r SET state = 'QUEUED', queued_at = now() FROM ready
       WHERE r.cycle_date = ready.cycle_date AND r.step = ready.step
       RETURNING r.step, to_char(r.cycle_date, 'YYYY-MM-DD') AS "cycleDate"`,
    );
    const queued = [];
    for (const row of rows) {
      const jobId = await engine.send(row.step, row.cycleDate, client);
      await client.query(`UPDATE cycle_step_runs SET job_id = $3 WHERE cycle_date = $1 AND step = $2`, [row.cycleDate, row.step, jobId]);
      queued.push({ ...row, jobId });
    }
    await client.query('COMMIT');
    return queued;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface SchedulerOptions {
  clock?: Clock;
  /** How often it looks at the schedule (default 30 s). */
  intervalMs?: number;
  /** How late a fire time may still start its step (default 1 h). */
  catchUpMs?: number;
}

/** Looks at the schedule every interval: creates the steps that came due, queues the ones ready. */
export class CycleScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private readonly clock: Clock;

  constructor(
    private readonly db: Database,
    private readonly engine: JobEngine,
    private readonly options: SchedulerOptions = {},
  ) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** One look; ticks never overlap in a process (other processes are kept apart by the database). */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(async () => {
      const now = this.clock.now();
      await createDueSteps(this.db, now, this.options.catchUpMs ?? 3_600_000);
      for (const q of await queueReadySteps(this.db, this.engine)) log().info({ job: q.jobId }, `cycle ${q.cycleDate}: ${q.step} queued`);
    });
    return this.ticking;
  }

  start(): void {
    const run = (): void => {
      this.tick().catch((error: unknown) => log().error({ err: serializeError(error) }, `cycle scheduler: ${error instanceof Error ? error.message : error}`));
    };
    run();
    this.timer = setInterval(run, this.options.intervalMs ?? 30_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking.catch(() => undefined);
  }
}
