/**
 * A large live worklist run split across worker processes: its scoring's partner ranges become
 * jobs of the `worklist-part` queue, which every worker takes (worklists/worklist-run-parts.ts
 * says what a part does). The run's coordinator (the WORKLISTS step's job, or whoever runs the
 * worklist) queues them and waits; the deal and the atomic switch stay the coordinator's, after
 * the last part. A part's job key is its run and number, so a part is never queued twice.
 */
import type PgBoss from 'pg-boss';
import type { Database } from '../db/database';
import { partDonePayload, runPart, type PartDispatcher, type RunPart, type RunSplitting } from '../worklists';
import { ENGINE_SCHEMA } from './job-engine-schema';
import type { PartSignals } from './part-signals';

/** The queue of run parts. */
export const PART_QUEUE = 'worklist-part';

/**
 * Partners per part, and the selection from which a live run splits: chosen from
 * `pnpm bench:worklist --workers` (README, worker processes). Below it a run stays one job,
 * scored on the coordinator's own connections.
 */
export const PARTNERS_PER_PART = 125_000;
export const SPLIT_FROM_PARTNERS = 250_000;

export interface SplittingOptions {
  partnersPerPart?: number;
  minPartners?: number;
  /** How often the coordinator looks at its parts' jobs (default 500 ms). */
  pollMs?: number;
}

/** The job key of a part: one queued or running per run and part. */
export function partKeyOf(part: RunPart): string {
  return `${part.runIds[0]}:${part.part}`;
}

/**
 * A run's splitting onto the engine: its parts are jobs of PART_QUEUE that any worker takes;
 * `signals` (Postgres) wake the workers when parts are queued and the coordinator when one is done.
 */
export function engineSplitting(boss: PgBoss, options: SplittingOptions = {}, signals: Signals | null = null): RunSplitting {
  return {
    partnersPerPart: options.partnersPerPart ?? PARTNERS_PER_PART,
    minPartners: options.minPartners ?? SPLIT_FROM_PARTNERS,
    dispatch: engineDispatcher(boss, options.pollMs ?? 500, signals),
  };
}

/** What the dispatcher uses of the engine's signals. */
type Signals = Pick<PartSignals, 'on' | 'queued'>;

/** A job's state and output as a waiting coordinator reads them (parts here, segments in worklist-segment-jobs). */
export type EngineJob = { id: string; state: string; output: { message?: string; value?: { message?: string } } | null };
type PartJob = EngineJob;

/**
 * Queues the parts, then waits for them: done once each one's transaction committed (its signal)
 * or its job completed; the first one failed for good (or cancelled) fails the run with its
 * reason, and the parts not started yet are cancelled. The job table is looked at every `pollMs`
 * and at each signal.
 */
function engineDispatcher(boss: PgBoss, pollMs: number, signals: Signals | null): PartDispatcher {
  return async (parts, onPartDone) => {
    const committed = new Set<string>();
    const wake = wakeable();
    const off = signals?.on((payload) => {
      const part = parts.find((p) => partDonePayload(p) === payload);
      if (part) {
        committed.add(partDonePayload(part));
        wake.now();
      }
    });
    try {
      const ids = await queueParts(boss, parts);
      await signals?.queued().catch(() => undefined);
      const done = new Set<number>();
      for (;;) {
        const jobs = await partJobs(boss, ids);
        for (const [k, id] of ids.entries()) {
          const job = jobs.get(id);
          if (!done.has(k) && (job?.state === 'completed' || committed.has(partDonePayload(parts[k]!)))) {
            done.add(k);
            onPartDone(parts[k]!);
          }
          if (done.has(k)) continue;
          if (!job || job.state === 'failed' || job.state === 'cancelled') {
            await boss
              .cancel(
                PART_QUEUE,
                ids.filter((x, j) => !done.has(j) && x !== id),
              )
              .catch(() => undefined);
            throw new Error(`${partName(parts[k]!)} ${job ? job.state : 'vanished'}: ${reasonOf(job)}`);
          }
        }
        if (done.size === ids.length) return;
        await wake.after(pollMs);
      }
    } finally {
      off?.();
    }
  };
}

async function queueParts(boss: PgBoss, parts: RunPart[]): Promise<string[]> {
  const ids: string[] = [];
  for (const part of parts) {
    const id = await boss.send(PART_QUEUE, part, { singletonKey: partKeyOf(part) });
    if (!id) throw new Error(`part ${part.part + 1} of ${part.parts} of run ${part.runIds[0]} is queued already`);
    ids.push(id);
  }
  return ids;
}

/** A pause that `now()` ends early; a `now()` during the work between pauses ends the next one at once. */
export function wakeable(): { after: (ms: number) => Promise<void>; now: () => void } {
  let woken = false;
  let end: (() => void) | undefined;
  return {
    after: (ms) =>
      new Promise<void>((resolve) => {
        if (woken) {
          woken = false;
          resolve();
          return;
        }
        const timer = setTimeout(() => finish(), ms);
        const finish = () => {
          clearTimeout(timer);
          end = undefined;
          woken = false;
          resolve();
        };
        end = finish;
      }),
    now: () => {
      woken = true;
      end?.();
    },
  };
}

/** A failed job's output: the error's message (pg-boss keeps a thrown error's, or says it expired). */
export function reasonOf(job: EngineJob | undefined): string {
  return job?.output?.message ?? job?.output?.value?.message ?? 'no reason given';
}

/** The parts' jobs by id: state and output (a failed job's output is its error). */
async function partJobs(boss: PgBoss, ids: string[]): Promise<Map<string, PartJob>> {
  return jobsById(boss, PART_QUEUE, ids);
}

/** A queue's jobs by id: state and output, from the job table, else (archived, only after hours) from the archive. */
export async function jobsById(boss: PgBoss, queue: string, ids: string[]): Promise<Map<string, EngineJob>> {
  const db = boss.getDb();
  const { rows } = await db.executeSql(`SELECT id::text, state::text, output FROM ${ENGINE_SCHEMA}.job WHERE name = $1 AND id = ANY($2::uuid[])`, [queue, ids]);
  const jobs = new Map<string, EngineJob>(rows.map((r: EngineJob) => [r.id, r]));
  // Archived already (only after hours): from the archive.
  for (const id of ids.filter((x) => !jobs.has(x))) {
    const job = await boss.getJobById(queue, id, { includeArchive: true });
    if (job) jobs.set(id, { id, state: job.state, output: job.output });
  }
  return jobs;
}

/** "part 3 of 8 (partners 250000..375000) of run 42" */
export function partName(part: RunPart): string {
  return `part ${part.part + 1} of ${part.parts} (partners ${part.range[0]}..${part.range[1]}) of run ${part.runIds[0]}`;
}

/** A worker's work on a part job (`attempt` 1 = its first): the part, or nothing when its run has stopped. */
export async function workPart(db: Database, part: RunPart, attempt: number): Promise<string> {
  const outcome = await runPart(db, part, { firstAttempt: attempt === 1 });
  return outcome.scored ? `${partName(part)} scored` : `${partName(part)} skipped: ${outcome.reason}`;
}
