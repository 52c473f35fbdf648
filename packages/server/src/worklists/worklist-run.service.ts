/**
 * Worklist runs: an active strategy (or, for a preview, any valid document) and the AR mirror
 * at key date D become the worklist of one segment.
 *
 * After its RUNNING row is committed (naming the backend of the connection that coordinates it,
 * so that a run whose process dies is reaped: worklist-reaper), a run
 *  1. takes an advisory lock on the segment, so two runs on one segment never interleave (the
 *     later waits for the earlier);
 *  2. scores every partner of the segment into an unlogged stage table (facts, rules, figures),
 *     split by partner range into jobs that run side by side on their own connections
 *     (worklist-scoring.service);
 *  3. fails on an amount converted without a rate (naming the pair);
 *  4. distributes each segment's partners on the list into a table of the run's own, shaped like
 *     worklist_items, and builds its indexes: side by side on their own connections
 *     (worklist-distribution.service);
 *  5. then, in one transaction: attaches each table as its run's partition (adopting its indexes;
 *     its CHECK on run_id spares the attach a scan), points the segment at the run if it is live,
 *     writes the run's statistics and drops the stage.
 * Until that commit readers see the previous live run; a failure rolls it back, drops the stage
 * and the run's tables and marks the run FAILED with the message. Superseded partitions are
 * dropped after the commit. A preview does steps 2 to 5 from kept fact rows in one transaction
 * of the coordinator (worklist-preview.service).
 */
import { assertValidStrategy, StrategyValidationError, type FactKey, type StrategyDocument } from '@recoup/rules';
import type { QueryRunner } from 'typeorm';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { keyDate } from '../graphql/scalars';
import { observeWorklistRuns } from '../observability';
import { runningExperimentOf, type RunExperiment } from './worklist-experiment';
import {
  prepareBatch,
  timed,
  type Batch,
  type BatchRun,
  type PreviewScoring,
  type RunProgress,
  type SegmentPlan,
  type WorklistRunResult,
} from './worklist-batch';
import { attachAndSwitch, buildIndexes, dealSegments, dropSupersededRuns } from './worklist-distribution.service';
import { recordPhase } from './worklist-progress';
import type { RunSplitting } from './worklist-run-parts';
import { reapOrphanedRuns } from './worklist-reaper';
import type { WorklistRunMode } from './worklist.entity';
import { NoActiveStrategyError } from './worklist.errors';
import { runPreview } from './worklist-preview.service';
import { segmentsToRun } from './worklist-readiness';
import { assertRatesFound, scorePartners } from './worklist-scoring.service';
import type { WorklistRun } from './worklist.types';
import { runView } from './worklist.views';

export type { WorklistRunResult } from './worklist-batch';

export interface RunWorklistOptions {
  segment: string;
  asOf: string;
  mode: WorklistRunMode;
  /** Preview only: a document to try instead of the segment's active strategy version. */
  document?: unknown;
  onProgress?: RunProgress;
  /** Called once the RUNNING rows of a batch are committed, with their ids. */
  onStarted?: (runIds: string[]) => void;
  /** Partners per scoring job (default 125,000; tests split small fixtures with it). */
  partnersPerJob?: number;
  /** Preview only: facts the kept fact rows should hold besides the document's (a backtest scores several documents at one key date). */
  keepFacts?: FactKey[];
  /** Preview only: where the kept facts are scored and dealt (PreviewScoring; default: in this process once they are kept). */
  previewScoring?: PreviewScoring;
  /** Preview only: the rest of the items written after the answer, when scored in memory (worklist-deferred-items). */
  deferItems?: boolean;
  /** Deferred items: written once this settles (the request's answer sent), or at once. */
  itemsAfter?: Promise<unknown>;
  /** Live only: a large selection's scoring split into parts that worker processes share (the job engine's). */
  splitting?: RunSplitting;
}

export interface RunWorklistsOptions extends Omit<RunWorklistOptions, 'segment'> {
  /** Default: every segment worked by an active collection group (a preview of a document with none worked: every segment). */
  segments?: string[];
}

// ---- entry points -------------------------------------------------------------------------

/** A live run of the segment at the key date with its active strategy version; the segment switches to it. */
export async function generateLiveWorklist(ctx: RequestContext, segment: string, asOf: string): Promise<WorklistRun> {
  const result = await runWorklist(ctx.db, { segment, asOf, mode: 'LIVE' });
  const run = await ctx.loaders.run.load(result.runId);
  return runView(run!);
}

/** One segment's run; see runWorklists. */
export async function runWorklist(db: Database, options: RunWorklistOptions): Promise<WorklistRunResult> {
  const [result] = await runWorklists(db, { ...options, segments: [options.segment] });
  return result!;
}

/**
 * Runs the worklists of several segments. Segments valued by the same strategy version are
 * scored together in one pass over the AR mirror (one transaction; each segment still gets its
 * own run, partition and atomic switch); different versions run one after the other.
 */
export async function runWorklists(db: Database, options: RunWorklistsOptions): Promise<WorklistRunResult[]> {
  const asOf = validKeyDate(options.asOf);
  if (options.document !== undefined && options.mode === 'LIVE') {
    throw new BadUserInputError('A live run uses the active strategy version; a document can only be previewed', 'document');
  }
  const { plans, totalPartners } = await planSegments(db, await segmentsToRun(db, options.segments, options.document));
  const batches = await batchesByVersion(db, plans, options.document, options.mode);
  const results: WorklistRunResult[] = [];
  for (const { versionId, document, segments, experiment } of batches) {
    const batch: Batch = {
      versionId,
      document,
      segments,
      experiment,
      asOf,
      mode: options.mode,
      totalPartners,
      onProgress: options.onProgress,
      onStarted: options.onStarted,
      partnersPerJob: options.partnersPerJob,
      keepFacts: options.keepFacts,
      previewScoring: options.previewScoring,
      deferItems: options.deferItems,
      itemsAfter: options.itemsAfter,
      splitting: options.splitting,
    };
    results.push(
      ...(await serialised(
        segments.map((s) => s.key),
        () => runBatch(db, batch),
      )),
    );
  }
  return results;
}

/** A run's key date: required (a run never defaults to today), a calendar date by the kernel's one check (BAD_USER_INPUT at asOf). */
export function validKeyDate(asOf: string): string {
  return keyDate(asOf ?? '');
}

/** The active strategy version of a segment's collection group(s): one version, or an error saying why not. */
export async function activeStrategyOf(db: Database, segment: string): Promise<{ versionId: string; document: StrategyDocument }> {
  const rows: Array<{ group_key: string; strategy_key: string | null; version_id: string | null; document: unknown }> = await db.dataSource.query(
    `SELECT g.key AS group_key, g.strategy_key, v.id AS version_id, v.document
       FROM collection_groups g
       LEFT JOIN strategies s ON s.key = g.strategy_key
       LEFT JOIN strategy_versions v ON v.strategy_id = s.id AND v.status = 'ACTIVE'
      WHERE g.segment_key = $1 AND g.active ORDER BY g.key`,
    [segment],
  );
  if (!rows.length) throw new NoActiveStrategyError(segment, 'no collection group works this segment');
  const versions = new Set(rows.map((r) => r.version_id));
  const missing = rows.find((r) => !r.version_id);
  if (missing) {
    throw new NoActiveStrategyError(
      segment,
      missing.strategy_key
        ? `strategy ${missing.strategy_key} of group ${missing.group_key} has no active version`
        : `collection group ${missing.group_key} has no strategy`,
    );
  }
  if (versions.size > 1) throw new NoActiveStrategyError(segment, 'its collection groups use different strategy versions');
  return { versionId: rows[0]!.version_id!, document: assertValidStrategy(rows[0]!.document) };
}

// ---- planning -----------------------------------------------------------------------------

/**
 * The segments to run (segmentsToRun) with their default group (the first active one: an
 * inactive group works nothing) and exact partner count, and all partners (an estimate, which
 * only decides how the scoring narrows its reads). NOT_FOUND for an unknown segment.
 */
async function planSegments(db: Database, wanted: string[]): Promise<{ plans: SegmentPlan[]; totalPartners: number }> {
  // The wanted segments that exist, with their default group, the estimate of all partners and the AR revision.
  const known: Array<{ key: string; default_group: string | null; estimate: number; revision: string }> = await db.dataSource.query(
    `SELECT s.key, (SELECT min(g.key) FROM collection_groups g WHERE g.segment_key = s.key AND g.active) AS default_group,
        (SELECT greatest(reltuples, 0)::bigint::integer FROM pg_class WHERE oid = 'partners'::regclass) AS estimate,
        (SELECT revision::text FROM ar_revision WHERE id = 1) AS revision
       FROM collection_segments s WHERE s.key = ANY($1::text[])`,
    [wanted],
  );
  for (const key of wanted) if (!known.some((k) => k.key === key)) throw new NotFoundError('Segment', key);
  const partners = await segmentPartners(db, wanted, known[0]?.revision ?? null);
  const plans: SegmentPlan[] = wanted.map((key) => {
    const segment = known.find((k) => k.key === key)!;
    return { key, defaultGroup: segment.default_group, partners: partners.get(key) ?? 0 };
  });
  const selectedPartners = plans.reduce((n, p) => n + p.partners, 0);
  return { plans, totalPartners: Math.max(known[0]?.estimate ?? 0, selectedPartners) };
}

/** Per database, each segment's partner count at an AR revision (a count of a large segment costs a preview milliseconds). */
const partnerCounts = new WeakMap<Database, Map<string, { revision: string; partners: number }>>();

/**
 * Each segment's partners, exact: counted with the AR revision in one statement (one snapshot) and
 * remembered at that revision; any write to partners moves the revision (bump_ar_revision).
 */
async function segmentPartners(db: Database, segments: string[], revision: string | null): Promise<Map<string, number>> {
  let counts = partnerCounts.get(db);
  if (!counts) partnerCounts.set(db, (counts = new Map()));
  const known = segments.map((key) => counts.get(key));
  if (revision !== null && known.every((c) => c?.revision === revision)) return new Map(segments.map((key, i) => [key, known[i]!.partners]));
  const rows: Array<{ key: string; partners: number; revision: string | null }> = await db.dataSource.query(
    `SELECT k.key, (SELECT count(*)::integer FROM partners p WHERE p.segment = k.key) AS partners,
        (SELECT revision::text FROM ar_revision WHERE id = 1) AS revision
       FROM unnest($1::text[]) AS k(key)`,
    [segments],
  );
  for (const row of rows) if (row.revision !== null) counts.set(row.key, { revision: row.revision, partners: row.partners });
  return new Map(rows.map((row) => [row.key, row.partners]));
}

type PlannedBatch = { versionId: string | null; document: StrategyDocument; segments: SegmentPlan[]; experiment?: RunExperiment };

/**
 * The segments grouped by the strategy version that values them (a preview document values every
 * segment asked for). A live run of a segment whose group has a running experiment is a batch
 * of its own: its stage holds both arms.
 */
async function batchesByVersion(db: Database, plans: SegmentPlan[], previewDocument: unknown, mode: WorklistRunMode): Promise<PlannedBatch[]> {
  const batches = new Map<string, PlannedBatch>();
  for (const plan of plans) {
    const { versionId, document } =
      previewDocument !== undefined ? { versionId: null, document: documentOf(previewDocument) } : await activeStrategyOf(db, plan.key);
    const experiment = mode === 'LIVE' && previewDocument === undefined ? await runningExperimentOf(db, plan.key) : null;
    const key = experiment ? `experiment ${experiment.id}` : String(versionId);
    const batch = batches.get(key) ?? { versionId, document, segments: [], ...(experiment ? { experiment } : {}) };
    batch.segments.push(plan);
    batches.set(key, batch);
  }
  return [...batches.values()];
}

function documentOf(input: unknown): StrategyDocument {
  try {
    return assertValidStrategy(input);
  } catch (error) {
    if (error instanceof StrategyValidationError) {
      const first = error.errors[0];
      throw new BadUserInputError(`Invalid strategy: ${first?.message ?? error.message}`, first?.path ? `strategy.${first.path}` : 'strategy');
    }
    throw error;
  }
}

// ---- one batch ----------------------------------------------------------------------------

/**
 * The segments of one strategy version, run together. The coordinator connection holds the run
 * from its first row on: the rows name its backend, so a run whose process dies is found by the
 * reaper (worklist-reaper), which looks first for runs killed earlier.
 */
async function runBatch(db: Database, batch: Batch): Promise<WorklistRunResult[]> {
  const coordinator: QueryRunner = db.dataSource.createQueryRunner();
  // A preview's writes are worth no wait for the disk (see worklist-preview.service), its run
  // row's neither. The session's setting, reset before the connection goes back to the pool (on
  // Postgres only: the embedded database's one session is every connection's).
  const quickCommits = batch.mode === 'PREVIEW' && db.kind === 'postgres';
  try {
    await coordinator.connect();
    if (quickCommits) await coordinator.query(`SET synchronous_commit = off`);
    await reapOrphanedRuns(db);
    const run = await prepareBatch(db, batch, coordinator);
    batch.onStarted?.(run.runIds);
    return observeWorklistRuns(await runPrepared(run, coordinator));
  } finally {
    if (quickCommits) await coordinator.query(`RESET synchronous_commit`).catch(() => undefined);
    await coordinator.release();
  }
}

/** The algorithm of the header, step by step, once the batch's RUNNING rows exist. */
async function runPrepared(run: BatchRun, coordinator: QueryRunner): Promise<WorklistRunResult[]> {
  let locked = false;
  try {
    // A preview records no progress but its end (it takes a moment, and nobody follows it).
    if (run.mode === 'LIVE') await recordPhase(run, 'waiting for the segment');
    locked = await timed(run, 'lock', () => lockSegments(coordinator, run.segmentKeys));
    // A killed run held this lock until its backend went: having it, such a run is now reapable.
    await reapOrphanedRuns(run.db);
    if (run.mode === 'PREVIEW') {
      const results = await runPreview(run, coordinator);
      // Previews of an hour ago go too: each is a table of worklist_items, which every plan over it counts.
      for (const key of run.segmentKeys) if (dueForCleanup(run.db, key)) await dropSupersededRuns(run.db, key).catch(() => undefined);
      return results;
    }
    const jobs = await timed(run, 'facts and scoring', () => scorePartners(run, coordinator));
    await recordPhase(run, 'checking FX rates');
    await timed(run, 'fx check', () => assertRatesFound(run, coordinator));
    await recordPhase(run, 'distributing');
    const partitions = await dealSegments(run, jobs);
    await recordPhase(run, 'building indexes');
    await buildIndexes(run, coordinator, partitions);
    run.onProgress?.({ phase: 'switch', step: jobs.steps, steps: jobs.steps });
    // Before the switch's transaction opens: see worklist-progress.
    await recordPhase(run, 'switching');
    const results = await attachAndSwitch(run, coordinator, partitions, jobs);
    if (run.mode === 'LIVE') for (const key of run.segmentKeys) await dropSupersededRuns(run.db, key).catch(() => undefined);
    return results;
  } catch (error) {
    await failBatch(run, coordinator, error);
    throw error;
  } finally {
    if (locked) await unlockSegments(coordinator, run.segmentKeys);
  }
}

/** When each segment's runs were last looked at for dropping, per database: previews look at most once a minute. */
const cleanedUp = new WeakMap<Database, Map<string, number>>();

function dueForCleanup(db: Database, segment: string): boolean {
  const bySegment = cleanedUp.get(db) ?? new Map<string, number>();
  cleanedUp.set(db, bySegment);
  const now = Date.now();
  if (now - (bySegment.get(segment) ?? 0) < 60_000) return false;
  bySegment.set(segment, now);
  return true;
}

/**
 * Two runs on one segment never interleave: the later waits here (keys in a fixed order). A
 * session lock, as the scoring jobs run on other connections outside this one's transaction.
 */
async function lockSegments(coordinator: QueryRunner, segmentKeys: string[]): Promise<true> {
  for (const key of segmentKeys) await coordinator.query(`SELECT pg_advisory_lock(hashtext('recoup.worklist'), hashtext($1))`, [key]);
  return true;
}

async function unlockSegments(coordinator: QueryRunner, segmentKeys: string[]): Promise<void> {
  for (const key of segmentKeys) {
    await coordinator.query(`SELECT pg_advisory_unlock(hashtext('recoup.worklist'), hashtext($1))`, [key]).catch(() => undefined);
  }
}

/** After a failure: rolls back an open switch, drops the stage and the runs' own tables, marks the runs FAILED with the message. */
async function failBatch(run: BatchRun, coordinator: QueryRunner, error: unknown): Promise<void> {
  if (coordinator.isTransactionActive) await coordinator.rollbackTransaction().catch(() => undefined);
  await coordinator.query(`DROP TABLE IF EXISTS ${run.stage}`).catch(() => undefined);
  // The runs' own tables (never attached, or detached again by the rollback).
  for (const runId of run.runIds) await coordinator.query(`DROP TABLE IF EXISTS worklist_items_run_${runId}`).catch(() => undefined);
  await run.db.dataSource.query(`UPDATE worklist_runs SET status = 'FAILED', finished_at = now(), error = $2 WHERE id = ANY($1::bigint[])`, [
    run.runIds,
    error instanceof Error ? error.message : String(error),
  ]);
}

/**
 * Runs of one segment in this process, in order. The advisory lock orders runs across processes;
 * the embedded database has a single session, in which advisory locks do not exclude each other.
 */
const segmentQueues = new Map<string, Promise<unknown>>();

function serialised<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
  const before = Promise.all(keys.flatMap((k) => segmentQueues.get(k)?.catch(() => undefined) ?? []));
  const result = before.then(fn);
  const settled = result.catch(() => undefined);
  for (const k of keys) segmentQueues.set(k, settled);
  void settled.then(() => {
    for (const k of keys) if (segmentQueues.get(k) === settled) segmentQueues.delete(k);
  });
  return result;
}
