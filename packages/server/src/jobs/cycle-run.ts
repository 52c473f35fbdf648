import type { Database } from '../db/database';
import { createCycleSteps, queueReadySteps, SYSTEM_CLOCK, type Clock } from './cycle-scheduler';
import { JobEngine, type JobEngineOptions } from './job-engine';

export interface CycleStepOutcome {
  step: string;
  state: 'WAITING' | 'QUEUED' | 'DONE' | 'FAILED';
  error: string | null;
}

export interface CycleRunOptions extends Omit<JobEngineOptions, 'work' | 'onStepFinished'> {
  /** A line per change: a step queued, done, failed, or left waiting. */
  onProgress?: (line: string) => void;
  clock?: Clock;
  /** How often the steps' states are read (default 500 ms). */
  pollMs?: number;
}

/**
 * The cycle of one date by hand (`pnpm recoup cycle run --as-of DATE`): every enabled step of the
 * date is created (a FAILED one again; a DONE one stays done), then queued on the engine as its
 * dependencies finish, with a worker in this process (other workers may take the jobs too).
 * Ends when no step can move any more; returns every step's outcome.
 */
export async function runCycle(db: Database, cycleDate: string, options: CycleRunOptions = {}): Promise<CycleStepOutcome[]> {
  const say = options.onProgress ?? (() => {});
  const engine = await JobEngine.start(db, { pollingIntervalSeconds: 0.5, ...options, work: true });
  try {
    await createCycleSteps(db, cycleDate, (options.clock ?? SYSTEM_CLOCK).now());
    const seen = new Map<string, string>();
    const report = (steps: CycleStepOutcome[]): void => {
      for (const s of steps) {
        if (seen.get(s.step) === s.state) continue;
        seen.set(s.step, s.state);
        if (s.state === 'DONE') say(`${s.step} done`);
        if (s.state === 'FAILED') say(`${s.step} failed: ${s.error}`);
      }
    };
    for (;;) {
      let queued = await queueReadySteps(db, engine);
      // Read after queueing, so that the steps a queued one waited for show as done before it.
      const steps = await stepsOf(db, cycleDate);
      report(steps);
      // Nothing running: one more look, for a step that finished between the two statements above.
      if (queued.length === 0 && !steps.some((s) => s.state === 'QUEUED')) {
        queued = await queueReadySteps(db, engine);
        report(await stepsOf(db, cycleDate));
        if (queued.length === 0) {
          for (const s of steps.filter((x) => x.state === 'WAITING')) say(`${s.step} not started: a step it depends on failed`);
          return steps;
        }
      }
      for (const q of queued) say(`${q.step} queued (job ${q.jobId})`);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
    }
  } finally {
    await engine.stop();
  }
}

async function stepsOf(db: Database, cycleDate: string): Promise<CycleStepOutcome[]> {
  return db.dataSource.query(`SELECT step, state, error FROM cycle_step_runs WHERE cycle_date = $1 ORDER BY due_at, step`, [cycleDate]);
}
