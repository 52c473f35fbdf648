/**
 * A worklist run's progress on its run rows: the phase, partners scored of the segment's
 * partners, and partner-range jobs done of all of them. Each write is its own statement on a
 * pooled connection, committed at once, so that a reader (the studio polling the run) sees it
 * while the run goes on. Never written while the coordinator holds the switch's transaction: on
 * the embedded database (one session) a second connection waits for that transaction to end, and
 * on Postgres the switch holds the run rows' locks.
 *
 * Counts only grow: partners scored are added per job once its transaction committed.
 */
import type { BatchRun } from './worklist-batch';

/** The phases a run passes through, in order (the studio shows them as words). */
export const RUN_PHASES = [
  'queued',
  'waiting for the segment',
  'scoring',
  'checking FX rates',
  'distributing',
  'building indexes',
  'switching',
  'done',
] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

type ProgressRun = Pick<BatchRun, 'db' | 'runIds'>;

/** The batch's runs enter a phase; `partsTotal` once the scoring's jobs are known. */
export async function recordPhase(run: ProgressRun, phase: RunPhase, partsTotal?: number): Promise<void> {
  await run.db.dataSource.query(
    `UPDATE worklist_runs SET progress_phase = $2, parts_total = coalesce($3, parts_total) WHERE id = ANY($1::bigint[]) AND status = 'RUNNING'`,
    [run.runIds, phase, partsTotal ?? null],
  );
}

/** A scoring job committed: one part more, and the partners of each run's segment in its id range [from, to). */
export async function recordJobDone(run: ProgressRun, range: [string, string]): Promise<void> {
  await run.db.dataSource.query(
    `UPDATE worklist_runs r SET parts_done = least(r.parts_done + 1, r.parts_total),
        partners_scored = least(r.partners_total, r.partners_scored
          + (SELECT count(*)::integer FROM partners p WHERE p.segment = r.segment_key AND p.id >= $2::bigint AND p.id < $3::bigint))
      WHERE r.id = ANY($1::bigint[]) AND r.status = 'RUNNING'`,
    [run.runIds, range[0], range[1]],
  );
}

/** The scoring ended (also when no job ran: a preview from kept facts): every partner scored, every part done. */
export async function recordScored(run: ProgressRun): Promise<void> {
  await run.db.dataSource.query(
    `UPDATE worklist_runs SET partners_scored = partners_total, parts_done = parts_total WHERE id = ANY($1::bigint[]) AND status = 'RUNNING'`,
    [run.runIds],
  );
}
