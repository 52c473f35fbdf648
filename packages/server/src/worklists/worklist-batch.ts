/**
 * One batch of a worklist run: the segments valued by one strategy version, run together. What
 * the batch's steps share (BatchRun), its first step (read what the scoring takes as parameters,
 * insert the RUNNING run rows) and the timing every step is measured with.
 */
import { fxRatesSql, type FactKey, type StrategyDocument } from '@recoup/rules';
import type { QueryRunner } from 'typeorm';
import type { Database } from '../db/database';
import { factSourceFor, type FactSource } from '../facts';
import { isEntityId } from '../graphql/scalars';
import type { WorklistRunMode, WorklistRunStats } from './worklist.entity';
import type { RunExperiment } from './worklist-experiment';
import type { RunSplitting } from './worklist-run-parts';
import { scoredRowsSql, type ArmSplit, type ScoredRowsSql, type Selection } from './worklist-run.sql';

export interface WorklistRunResult {
  runId: string;
  segment: string;
  asOf: string;
  mode: WorklistRunMode;
  strategyVersionId: string | null;
  partnersEvaluated: number;
  partnersOnList: number;
  partnersExcluded: number;
  stats: WorklistRunStats;
  milliseconds: number;
}

export type RunProgress = (progress: { phase: string; step: number; steps: number }) => void;

export interface SegmentPlan {
  key: string;
  defaultGroup: string | null;
  /** Partners of the segment (exact: they are its run's partners evaluated). */
  partners: number;
}

/** A batch as runWorklists plans it. */
/**
 * Where a preview scores its kept facts: `memory`, in this process when the rows fit
 * (worklist-preview-memory; the database only writes the items), or `database`, one statement
 * (worklist-preview.sql). Unset: the database for facts the preview has just computed, memory
 * for kept ones.
 */
export type PreviewScoring = 'memory' | 'database';

export interface Batch {
  versionId: string | null;
  document: StrategyDocument;
  segments: SegmentPlan[];
  asOf: string;
  mode: WorklistRunMode;
  /** Partners of every segment (an estimate): the selection's share decides how the scoring narrows its reads. */
  totalPartners: number;
  onProgress?: RunProgress;
  /** Called once the batch's RUNNING rows are committed, with their ids (segment order). */
  onStarted?: (runIds: string[]) => void;
  partnersPerJob?: number;
  /** Preview only: more facts for the kept fact rows (RunWorklistOptions.keepFacts). */
  keepFacts?: FactKey[];
  /** Preview only: where the kept facts are scored and dealt. */
  previewScoring?: PreviewScoring;
  /** Preview only: answer with the figures and the top of each list, the rest of the items written after (worklist-deferred-items). */
  deferItems?: boolean;
  /** Deferred items: written once this settles (the answer sent), or at once. */
  itemsAfter?: Promise<unknown>;
  /** A live run of a segment whose group has a running champion/challenger experiment (a batch of that one segment). */
  experiment?: RunExperiment;
  /** A live run of a large selection: its scoring split into parts that worker processes share (worklist-run-parts). */
  splitting?: RunSplitting;
}

/** The two arms of an experiment batch: the challenger's document and each arm's split of the partners. */
export interface BatchArms {
  challenger: StrategyDocument;
  champion: ArmSplit;
  challengerSplit: ArmSplit;
}

/** What the steps of a batch share once its run rows exist. */
export interface BatchRun extends Batch {
  db: Database;
  /** performance.now() when the batch started. */
  started: number;
  /** Segments in key order: the order their locks are taken in, and of runIds. */
  segmentKeys: string[];
  /** Partners of the batch's segments. */
  selected: number;
  /** FX rates into the strategy currency at the key date, read once: parameters of the scoring, not joins per row. */
  rates: Array<{ currency: string; rate: string }>;
  uniformToleranceDays: number | undefined;
  /** Where the facts come from: the maintained facts (with the late partners from the mirror), or the mirror alone. */
  facts: FactSource;
  /** Whether every table's aggregate is narrowed to the segments (the scoring may turn it off). */
  narrow: boolean;
  /** The scoring statement as prepared: the stage table's columns, the run's rule list. */
  shape: ScoredRowsSql;
  /** One RUNNING run per segment, in segment order. */
  runIds: string[];
  /** The unlogged table the scoring fills and the distribution reads. */
  stage: string;
  /** Milliseconds per phase, kept on each run's statistics. */
  timings: Record<string, number>;
  /** Preview only: scored from fact rows kept from an earlier preview. */
  factsCached: boolean;
  /** Set for an experiment batch. */
  arms?: BatchArms;
}

/**
 * The batch's first step: what the scoring takes as parameters, and one RUNNING run row per
 * segment (committed), inserted on the coordinator connection that will hold the run.
 */
export async function prepareBatch(db: Database, batch: Batch, coordinator: QueryRunner): Promise<BatchRun> {
  const started = performance.now();
  const segments = [...batch.segments].sort((a, b) => a.key.localeCompare(b.key));
  const segmentKeys = segments.map((s) => s.key);
  const selected = segments.reduce((n, s) => n + s.partners, 0);
  const fx = fxRatesSql({ currency: batch.document.currency, asOf: batch.asOf });
  const rates: Array<{ currency: string; rate: string }> = await db.dataSource.query(fx.text, fx.values);
  const uniformToleranceDays = await uniformPromiseTolerance(db);
  const facts = await factSourceFor(db.dataSource, { asOf: batch.asOf, segments: segmentKeys }, selected);
  const scoring = { document: batch.document, asOf: batch.asOf, segmentKeys, narrow: selected * 3 < batch.totalPartners, rates, uniformToleranceDays, facts };
  const shape = scoredFor(scoring);
  const arms = batch.experiment ? armsOf(batch.experiment, batch.document, segments[0]!, scoring) : undefined;
  const runIds = await insertRunRows(coordinator, batch, segments, shape, arms);
  return {
    ...batch,
    ...scoring,
    db,
    started,
    segments,
    selected,
    shape,
    runIds,
    stage: `worklist_stage_${runIds[0]}`,
    timings: { prepare: Math.round(performance.now() - started) },
    factsCached: false,
    arms,
  };
}

/**
 * The arms of an experiment batch. The challenger is scored in the champion's currency (checked
 * when the experiment starts and here) and with its ageing limits, so that every item of the run
 * reads the same amounts and buckets; its rule bits follow the champion's in the run's rule list.
 */
function armsOf(experiment: RunExperiment, champion: StrategyDocument, segment: SegmentPlan, scoring: Parameters<typeof scoredFor>[0]): BatchArms {
  if (experiment.challenger.currency !== champion.currency) {
    throw new Error(
      `Experiment ${experiment.key}: the challenger values in ${experiment.challenger.currency}, the champion in ${champion.currency}; stop the experiment or align the currencies`,
    );
  }
  const challenger = { ...experiment.challenger, agingBuckets: champion.agingBuckets };
  const championRules = scoredFor(scoring).compiled.conditionRules.length;
  const challengerRules = scoredFor({ ...scoring, document: challenger }).compiled.conditionRules.length;
  const common = {
    key: experiment.key,
    shareBp: experiment.shareBp,
    groupKey: experiment.groupKey,
    activeGroups: experiment.activeGroups,
    defaultGroup: segment.defaultGroup,
  };
  return {
    challenger,
    champion: { ...common, arm: 'CHAMPION', before: 0, after: challengerRules },
    challengerSplit: { ...common, arm: 'CHALLENGER', before: championRules, after: 0 },
  };
}

type Scoring = Pick<BatchRun, 'document' | 'asOf' | 'segmentKeys' | 'narrow' | 'rates' | 'uniformToleranceDays' | 'facts'>;

/** The batch's selection, or one job's partner range of it (with the late partners in that range only). */
export function selectionOf(run: Omit<Scoring, 'document'>, partnerRange?: [string, string]): Selection {
  const { asOf, segmentKeys: segments, narrow, rates, uniformToleranceDays } = run;
  return { asOf, segments, narrow, partnerRange, rates, uniformToleranceDays, facts: partnerRange ? factsWithin(run.facts, partnerRange) : run.facts };
}

/** The fact source of a job's partner range [from, to). */
function factsWithin(facts: FactSource, [from, to]: [string, string]): FactSource {
  const late = facts.latePartnerIds;
  if (!Array.isArray(late)) return facts;
  return { ...facts, latePartnerIds: late.filter((id) => BigInt(id) >= BigInt(from) && BigInt(id) < BigInt(to)) };
}

/** The scoring statement of the batch's selection, or of one job's partner range of it. */
export function scoredFor(run: Scoring, partnerRange?: [string, string]): ScoredRowsSql {
  return scoredRowsSql(run.document, selectionOf(run, partnerRange));
}

/** Runs one phase of the batch, adding its milliseconds to the batch's timings. */
export async function timed<T>(run: BatchRun, phase: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const result = await fn();
  run.timings[phase] = (run.timings[phase] ?? 0) + Math.round(performance.now() - t);
  return result;
}

/**
 * One RUNNING row per segment, with the rule list its items' `fired` bits follow; an unsaved
 * (preview) document is kept on the row. Each row names the coordinator's backend in the same
 * statement, so no reaper ever sees it RUNNING without one (worklist-reaper).
 */
async function insertRunRows(coordinator: QueryRunner, batch: Batch, segments: SegmentPlan[], shape: ScoredRowsSql, arms?: BatchArms): Promise<string[]> {
  const { document } = batch;
  const rulesOf = (doc: StrategyDocument, names: string[]) =>
    names.map((name) => ({ name, points: doc.rules.find((r) => r.name === name)!.event.params.points }));
  const rules = rulesOf(document, shape.compiled.conditionRules);
  if (arms) rules.push(...rulesOf(arms.challenger, scoredRowsSql(arms.challenger, { asOf: batch.asOf }).compiled.conditionRules));
  const runIds: string[] = [];
  for (const segment of segments) {
    const [run]: Array<{ id: string }> = await coordinator.query(
      `INSERT INTO worklist_runs (segment_key, as_of, strategy_version_id, mode, currency, rules, aging_limits, document, coordinator_pid,
         progress_phase, partners_total, experiment_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, pg_backend_pid(), 'queued', $9, $10) RETURNING id`,
      [
        segment.key,
        batch.asOf,
        batch.versionId,
        batch.mode,
        document.currency,
        JSON.stringify(rules),
        document.agingBuckets,
        batch.versionId === null ? JSON.stringify(document) : null,
        segment.partners,
        batch.experiment?.id ?? null,
      ],
    );
    if (!run || !isEntityId(run.id)) throw new Error(`unexpected run id ${run?.id}`);
    runIds.push(run.id);
  }
  return runIds;
}

/**
 * The promise tolerance every promise gets, when there is one: all company codes share it and
 * it is the default 3 days, or no promised item has a company code outside company_codes
 * (which would get the default). Undefined when promise status must look up each item.
 */
async function uniformPromiseTolerance(db: Database): Promise<number | undefined> {
  const [row]: Array<{ days: number[] | null }> = await db.dataSource.query(`SELECT array_agg(DISTINCT promise_tolerance_days) AS days FROM company_codes`);
  const days = row?.days ?? [3];
  if (days.length !== 1) return undefined;
  if (days[0] === 3) return 3;
  // Only then does an item's unconfigured company code matter (it gets the default 3).
  const [check]: Array<{ unknown_codes: boolean }> = await db.dataSource.query(
    `SELECT EXISTS (SELECT 1 FROM promises q JOIN open_items i ON i.id = q.item_id
       WHERE NOT EXISTS (SELECT 1 FROM company_codes c WHERE c.code = i.company_code)) AS unknown_codes`,
  );
  return check!.unknown_codes ? undefined : days[0];
}
