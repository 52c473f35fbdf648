/**
 * What the API asks of worklist runs beside generating one and reading a run's items: a run
 * started in the background (the caller follows its progress), the history of runs, and the
 * labels of a run's priority bands.
 */
import { outsideRequest } from '../db/request-statements';
import type { RequestContext } from '../graphql/context';
import { RUN_COLUMNS, type RunRow } from '../graphql/loaders';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { decodeCursor, encodeCursor, pageOf, pageSize, type Page } from '../graphql/paging';
import { rootLogger } from '../observability';
import type { PriorityBandType } from '../strategies';
import { reapOrphanedRuns } from './worklist-reaper';
import { runWorklist, validKeyDate } from './worklist-run.service';
import type { WorklistRun } from './worklist.types';
import { runView } from './worklist.views';

/**
 * Starts a live run of the segment and answers with it RUNNING as soon as its row is committed;
 * the run goes on in this process, outside the request (no statement timeout, not cancelled when
 * the client goes away), and records its progress and its end on its row. What fails before the
 * row exists (unknown segment, nothing configured to run, a bad key date) is the caller's error;
 * what fails after is the run's (FAILED with the reason). CONFLICT while a live run of the
 * segment is RUNNING (naming it), so a second click does not queue a second run.
 */
export async function startWorklistRun(ctx: RequestContext, segment: string, asOf: string): Promise<WorklistRun> {
  const { db } = ctx;
  const keyDate = validKeyDate(asOf);
  // Runs left RUNNING by a dead process must not block the segment.
  await reapOrphanedRuns(db);
  const [running]: Array<{ id: string }> = await db.dataSource.query(
    `SELECT id::text AS id FROM worklist_runs WHERE segment_key = $1 AND mode = 'LIVE' AND status = 'RUNNING' ORDER BY id LIMIT 1`,
    [segment],
  );
  if (running)
    throw new ConflictError(`A run of segment ${segment} is running (#${running.id}): follow it, or start again when it has ended`, { runId: running.id });
  let started!: (runId: string) => void;
  const rowCommitted = new Promise<string>((resolve) => (started = resolve));
  const finished = outsideRequest(() => runWorklist(db, { segment, asOf: keyDate, mode: 'LIVE', onStarted: (ids) => started(ids[0]!) }));
  // After the row exists a failure is recorded on it (FAILED with the reason); nobody awaits it
  // here, so the log is where an operator sees it.
  finished.catch((error: unknown) => rootLogger().warn({ err: error, segment, asOf: keyDate }, `The worklist run of segment ${segment} failed`));
  const runId = await Promise.race([rowCommitted, finished.then((r) => r.runId)]);
  const row = await ctx.loaders.run.load(runId);
  if (!row) throw new NotFoundError('Worklist run', runId);
  return runView(row);
}

export interface WorklistRunsArgs {
  segment?: string | null;
  mode?: string | null;
  first?: number | null;
  after?: string | null;
}

/** Runs newest first (keyset on id), of one segment or all, LIVE or PREVIEW or both. */
export async function worklistRunsPage(ctx: RequestContext, args: WorklistRunsArgs): Promise<Page<WorklistRun>> {
  if (args.mode != null && args.mode !== 'LIVE' && args.mode !== 'PREVIEW') throw new BadUserInputError('mode is LIVE or PREVIEW', 'mode');
  if (args.segment != null) {
    const [known] = await ctx.db.read<{ key: string }>(`SELECT key FROM collection_segments WHERE key = $1`, [args.segment]);
    if (!known) throw new NotFoundError('Segment', args.segment);
  }
  const n = pageSize(args.first, 20, 100);
  const after = args.after ? String(decodeCursor(args.after, 'WORKLIST_RUNS', 1)[0]) : null;
  const rows = await ctx.db.read<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM worklist_runs r
      WHERE ($1::text IS NULL OR r.segment_key = $1) AND ($2::text IS NULL OR r.mode = $2) AND ($3::bigint IS NULL OR r.id < $3)
      ORDER BY r.id DESC LIMIT $4`,
    [args.segment ?? null, args.mode ?? null, after, n + 1],
  );
  return pageOf(rows, n, (r) => encodeCursor('WORKLIST_RUNS', [r.id]), runView);
}

/** The priority bands of the run's strategy version, highest priority first; none for a preview of an unsaved document. */
export async function runBands(ctx: RequestContext, run: WorklistRun): Promise<PriorityBandType[]> {
  if (run.strategyVersionId === null) return [];
  const document = (await ctx.loaders.strategyDocument.load(run.strategyVersionId)) as { priorities?: PriorityBandType[] } | null;
  return [...(document?.priorities ?? [])].sort((a, b) => a.priority - b.priority).map(({ priority, label, minPercent }) => ({ priority, label, minPercent }));
}
