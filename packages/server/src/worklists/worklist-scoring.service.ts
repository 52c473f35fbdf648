/**
 * The scoring step of a worklist run: every selected partner scored into the batch's unlogged
 * stage table (facts, rules, figures), split by partner range into jobs that run side by side
 * on their own connections (serial plans: parallel workers would only re-aggregate the
 * per-partner states). Then the check that every amount found a rate. A preview only gets its
 * fact rows here (kept from the last preview of its selection while they are current, see
 * worklist-fact-cache, else computed by the same jobs); worklist-preview.service scores them.
 */
import { fxCheckSql } from '@recoup/rules';
import type { QueryRunner } from 'typeorm';
import { scoredFor, selectionOf, type BatchRun } from './worklist-batch';
import { MissingFxRateError } from './worklist.errors';
import { cachedFacts } from './worklist-fact-cache';
import { jobConcurrency, partnerRanges, runConcurrently } from './worklist-jobs';
import { recordJobDone, recordPhase, recordScored } from './worklist-progress';
import { LIVE_SCORING_FILTER, partsOf, splitsIntoParts } from './worklist-run-parts';
import { armRowsSql, armsScoredSql, factKeysFor, factRowsFor } from './worklist-run.sql';

/** The scoring's jobs, and the steps the run's progress counts (jobs, then a deal per segment, then the switch). */
export interface ScoringJobs {
  count: number;
  steps: number;
}

type Statement = { text: string; values: unknown[] };
/** Inserts the statements of each partner range into `target` (one job per range, in one transaction). */
type JobRunner = (target: string, sqlFor: (range: [string, string]) => Statement | Statement[], where?: string) => Promise<void>;

/**
 * Only what the switch needs: the partners on the list, the excluded ones to count, and any
 * with an amount that had no rate (which fails the run, on the list or not).
 */
const NEEDED = LIVE_SCORING_FILTER;

/** Scores the batch's partners into its stage table (a live run). */
export async function scorePartners(run: BatchRun, coordinator: QueryRunner): Promise<ScoringJobs> {
  const { jobs, runJobs } = await startScoring(run, coordinator);
  await scoreByJobs(run, coordinator, runJobs);
  await recordScored(run);
  return jobs;
}

/**
 * A preview's fact rows: those kept from the last preview of its selection while they are
 * current (worklist-fact-cache), else computed by the jobs and kept. The name of their table.
 */
export async function keptPreviewFacts(run: BatchRun, coordinator: QueryRunner): Promise<{ table: string; jobs: ScoringJobs }> {
  const { document, asOf, segmentKeys, rates, uniformToleranceDays } = run;
  const selection = { asOf, segments: segmentKeys, rates, uniformToleranceDays, facts: run.facts };
  const key = JSON.stringify({ segments: segmentKeys, asOf, currency: document.currency, aging: document.agingBuckets, rates, uniformToleranceDays });
  // Kept rows are scored by no job: the scoring's phase and jobs are recorded only for a fill.
  let jobs: ScoringJobs = { count: 0, steps: run.segments.length + 1 };
  const facts = await cachedFacts(run.db, coordinator, key, [...factKeysFor(document), ...(run.keepFacts ?? [])], (keys) => ({
    shape: factRowsFor(document, keys, selection),
    fill: async (table) => {
      const scoring = await startScoring(run, coordinator);
      jobs = scoring.jobs;
      await scoring.runJobs(table, (range) => factRowsFor(document, keys, selectionOf(run, range)));
      await recordScored(run);
    },
  }));
  run.factsCached = facts.hit;
  return { table: facts.table, jobs };
}

/** Fails the run on an amount converted without a rate, naming the currency pairs. */
export async function assertRatesFound(run: BatchRun, coordinator: QueryRunner): Promise<void> {
  const [flag]: Array<{ missing: boolean }> = await coordinator.query(`SELECT EXISTS (SELECT 1 FROM ${run.stage} WHERE w_fx_missing) AS missing`);
  if (flag!.missing) throw await missingRatesError(run, coordinator);
}

/** The error of a run that converted an amount without a rate: the currency pairs without one at the key date. */
export async function missingRatesError(run: BatchRun, coordinator: QueryRunner): Promise<MissingFxRateError> {
  const check = fxCheckSql({ currency: run.document.currency, asOf: run.asOf });
  const missing: Array<{ from_currency: string; to_currency: string }> = await coordinator.query(check.text, check.values);
  return new MissingFxRateError(
    missing.map((m) => ({ from: m.from_currency, to: m.to_currency })),
    run.asOf,
  );
}

/** The scoring's partner-range jobs, its phase recorded, and the runner of its jobs. */
async function startScoring(run: BatchRun, coordinator: QueryRunner): Promise<{ jobs: ScoringJobs; runJobs: JobRunner }> {
  const ranges = await jobRanges(run, coordinator);
  const steps = ranges.length + run.segments.length + 1;
  run.onProgress?.({ phase: 'facts and scoring', step: 0, steps });
  await recordPhase(run, 'scoring', ranges.length);
  return { jobs: { count: ranges.length, steps }, runJobs: jobRunner(run, ranges, steps) };
}

/** The jobs' partner ranges over the segments' partner ids; decides whether the jobs still narrow by segment. */
async function jobRanges(run: BatchRun, coordinator: QueryRunner): Promise<Array<[string, string]>> {
  const [bounds]: Array<{ lo: string | null; hi: string | null }> = await coordinator.query(
    // Per segment, so that each bound is one probe of the (segment, id) index.
    `SELECT min(b.lo)::text AS lo, max(b.hi)::text AS hi FROM unnest($1::text[]) AS s(key)
       CROSS JOIN LATERAL (SELECT min(p.id) AS lo, max(p.id) AS hi FROM partners p WHERE p.segment = s.key) b`,
    [run.segmentKeys],
  );
  const { lo, hi } = bounds!;
  // A run split across workers: parts of the splitting's size (worklist-run-parts).
  const perJob = splitsIntoParts(run) ? run.splitting!.partnersPerPart : run.partnersPerJob;
  const ranges = partnerRanges(lo, hi, run.selected, jobConcurrency(run.db), perJob);
  // Ranges narrow every table already; the segment filter on top pays only where the
  // segment's partners are a small share of their id span.
  const span = lo === null ? 0 : Number(BigInt(hi!) - BigInt(lo) + 1n);
  run.narrow &&= run.selected * 2 < span;
  return ranges;
}

/** Each job in a transaction of its own connection, as many side by side as jobConcurrency allows; each records its progress once committed. */
function jobRunner(run: BatchRun, ranges: Array<[string, string]>, steps: number): JobRunner {
  const { db } = run;
  const concurrency = jobConcurrency(db);
  let done = 0;
  return (target, sqlFor, where = '') => {
    const progress = () => run.onProgress?.({ phase: 'facts and scoring', step: ++done, steps });
    // Split across worker processes: each range a part that any worker takes (worklist-run-parts).
    if (splitsIntoParts(run)) return run.splitting!.dispatch(partsOf(run, target, ranges, sqlFor, where), progress);
    return runConcurrently(ranges, concurrency, async (range) => {
      const statements = [sqlFor(range)].flat();
      await db.dataSource.transaction(async (m) => {
        // A preview's fact rows are kept in an unlogged table: their commit waits for no disk either.
        await m.query(
          `SET LOCAL max_parallel_workers_per_gather = 0${db.kind === 'postgres' ? `; SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1${run.mode === 'PREVIEW' ? '; SET LOCAL synchronous_commit = off' : ''}` : ''}`,
        );
        for (const job of statements) await m.query(`INSERT INTO ${target} SELECT * FROM (${job.text}) scored${where}`, job.values);
      });
      await recordJobDone(run, range);
      progress();
    });
  };
}

/**
 * A live run: facts and rules in one statement per job, straight into the stage. In an
 * experiment, the job's statement reads the facts of both documents once and scores each arm's
 * partners with its own document (armsScoredSql).
 */
async function scoreByJobs(run: BatchRun, coordinator: QueryRunner, runJobs: JobRunner): Promise<void> {
  const shape = armRowsSql(run.shape);
  await coordinator.query(`CREATE UNLOGGED TABLE ${run.stage} AS ${shape.text} WITH NO DATA`, shape.values);
  const { arms } = run;
  await runJobs(
    run.stage,
    (range) =>
      arms
        ? armsScoredSql(run.document, arms.challenger, selectionOf(run, range), { champion: arms.champion, challenger: arms.challengerSplit })
        : armRowsSql(scoredFor(run, range)),
    NEEDED,
  );
}
