/**
 * A live run split across worker processes. The run's coordinator (prepared, locked, its stage
 * created as for any run) hands the scoring's partner ranges to a dispatcher (the job engine's,
 * jobs/worklist-part-jobs.ts) as parts: each part carries the run's own scoring statement of its
 * range, built by the coordinator, so every part scores with the same document, rates and fact
 * source (no second scorer). Whichever worker takes a part runs it here; the coordinator waits
 * for every part, then checks the rates, deals, builds the indexes and switches as any run does.
 * A part that fails for good fails the run (failBatch) and the previous live worklist stays.
 *
 * A part is idempotent: in one transaction it deletes its range from the stage and inserts it
 * again, under a lock of its own (a part taken again while its first attempt still runs, its
 * worker thought lost, waits and then replaces that attempt's rows). A part of a run that is no
 * longer RUNNING (failed, or reaped here because its coordinator died) does nothing.
 */
import type { Database } from '../db/database';
import { isEntityId } from '../graphql/scalars';
import type { BatchRun } from './worklist-batch';
import { recordJobDone } from './worklist-progress';
import { reapOrphanedRuns } from './worklist-reaper';

/** One SQL statement with its parameters (JSON: a part travels in a job's data). */
export interface PartStatement {
  text: string;
  values: unknown[];
}

/** A partner range of a live run's scoring, as a job's data. */
export interface RunPart {
  /** The batch's runs (their first names the stage); a part works only while they are RUNNING. */
  runIds: string[];
  /** The unlogged stage table the part fills (worklist_stage_<first run id>). */
  stage: string;
  /** 0-based number of the part, of `parts`. */
  part: number;
  parts: number;
  /** Partner ids [from, to). */
  range: [string, string];
  /** The run's scoring statements of the range; their rows go to the stage (filtered by `where`). */
  statements: PartStatement[];
  /** The filter on the scored rows (`scored`), the scoring's own. */
  where: string;
}

/**
 * Runs the parts somewhere (the job engine's workers) and resolves once every part is done;
 * rejects, naming the part and its reason, as soon as one failed for good. `onPartDone` is
 * called once per part done (progress).
 */
export type PartDispatcher = (parts: RunPart[], onPartDone: (part: RunPart) => void) => Promise<void>;

/** How a live run of a large selection is split into parts that worker processes share. */
export interface RunSplitting {
  dispatch: PartDispatcher;
  /** Partners per part. */
  partnersPerPart: number;
  /** A batch of fewer partners stays one job: scored by the coordinator's own connections. */
  minPartners: number;
}

/** Whether a batch's scoring goes to parts: a live run with splitting and enough partners. */
export function splitsIntoParts(run: Pick<BatchRun, 'mode' | 'splitting' | 'selected'>): boolean {
  return run.mode === 'LIVE' && run.splitting !== undefined && run.selected >= run.splitting.minPartners;
}

/** The LISTEN/NOTIFY channel of run parts: parts queued (to workers), a part committed (to its coordinator). */
export const PARTS_CHANNEL = 'recoup_worklist_parts';

/** What a part's transaction says on PARTS_CHANNEL as it commits. */
export function partDonePayload(part: Pick<RunPart, 'runIds' | 'part'>): string {
  return `done:${part.runIds[0]}:${part.part}`;
}

/** What a part did: scored its range, or nothing (its run is not RUNNING any more). */
export type PartOutcome = { scored: true } | { scored: false; reason: string };

/**
 * One part, on one connection in one transaction: its range deleted from the stage and
 * inserted again from the run's statements; then one part more on the runs' progress.
 * `firstAttempt`: no attempt of this part ran before (the engine's retry count is 0), so the
 * stage holds none of its rows and the delete, a scan of the whole stage, is left out.
 */
export async function runPart(db: Database, part: RunPart, { firstAttempt = false } = {}): Promise<PartOutcome> {
  assertPartShape(part);
  // A run whose coordinator died is marked FAILED (its stage dropped) rather than scored for nobody.
  await reapOrphanedRuns(db);
  const outcome = await db.dataSource.transaction(async (m): Promise<PartOutcome> => {
    const [state]: Array<{ running: boolean }> = await m.query(
      `SELECT count(*) FILTER (WHERE status = 'RUNNING') = count(*) AND count(*) > 0 AS running FROM worklist_runs WHERE id = ANY($1::bigint[])`,
      [part.runIds],
    );
    if (!state?.running) return { scored: false, reason: `run ${part.runIds[0]} is not running any more` };
    // Two attempts of one part (the first one's worker taken for dead) one after the other.
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1), $2)`, [part.stage, part.part]);
    // As the coordinator's own jobs run (worklist-scoring.service): serial plans, no JIT.
    await m.query(`SET LOCAL max_parallel_workers_per_gather = 0${db.kind === 'postgres' ? '; SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1' : ''}`);
    if (!firstAttempt) await m.query(`DELETE FROM ${part.stage} WHERE partner_id >= $1::bigint AND partner_id < $2::bigint`, part.range);
    for (const s of part.statements) await m.query(`INSERT INTO ${part.stage} SELECT * FROM (${s.text}) scored${part.where}`, s.values);
    // Delivered at commit: the coordinator learns the part is done when its rows are there.
    if (db.kind === 'postgres') await m.query(`SELECT pg_notify($1, $2)`, [PARTS_CHANNEL, partDonePayload(part)]);
    return { scored: true };
  });
  if (outcome.scored) await recordJobDone({ db, runIds: part.runIds }, part.range);
  return outcome;
}

/**
 * A part's data comes back from the job table: the names pasted into SQL text are checked to
 * be what a coordinator makes (a stage of a run, ids, the scoring's filter).
 */
function assertPartShape(part: RunPart): void {
  const ok =
    part.runIds.length > 0 &&
    part.runIds.every(isEntityId) &&
    part.stage === `worklist_stage_${part.runIds[0]}` &&
    part.range.length === 2 &&
    part.range.every(isBigintText) &&
    Number.isInteger(part.part) &&
    PART_FILTERS.includes(part.where);
  if (!ok) throw new Error(`not a worklist run part: ${JSON.stringify({ stage: part.stage, runIds: part.runIds, part: part.part })}`);
}

/** A partner id bound of a range: bigint text as written by BigInt. */
function isBigintText(value: unknown): boolean {
  try {
    return typeof value === 'string' && String(BigInt(value)) === value;
  } catch {
    return false;
  }
}

/**
 * The live scoring's filter on its scored rows (worklist-scoring.service): only what the switch
 * needs, the partners on the list, the excluded ones to count, and any with an amount that had
 * no rate (which fails the run, on the list or not).
 */
export const LIVE_SCORING_FILTER = ' WHERE scored.on_list OR scored.excluded OR scored.w_fx_missing';

/** The filters a part may apply. */
const PART_FILTERS = ['', LIVE_SCORING_FILTER];

/**
 * The parts of a run's scoring: one per range, each with the run's statements of its range.
 * Throws when a statement's parameters would not come back from JSON as they are.
 */
export function partsOf(
  run: Pick<BatchRun, 'runIds'>,
  stage: string,
  ranges: Array<[string, string]>,
  sqlFor: (range: [string, string]) => PartStatement | PartStatement[],
  where: string,
): RunPart[] {
  return ranges.map((range, part) => {
    const statements = [sqlFor(range)].flat().map((s) => ({ text: s.text, values: s.values }));
    for (const s of statements) {
      if (JSON.stringify(JSON.parse(JSON.stringify(s.values))) !== JSON.stringify(s.values) || s.values.some((v) => v instanceof Date)) {
        throw new Error('a scoring statement has parameters that do not travel as JSON');
      }
    }
    return { runIds: run.runIds, stage, part, parts: ranges.length, range, statements, where };
  });
}
