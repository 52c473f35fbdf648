/**
 * Worklist runs: an active strategy (or, for a preview, any valid document) and the AR mirror
 * at key date D become the worklist of one segment.
 *
 * After its RUNNING row is committed, a run
 *  1. takes an advisory lock on the segment, so two runs on one segment never interleave (the
 *     later waits for the earlier);
 *  2. scores every partner of the segment into an unlogged stage table (facts, rules, figures),
 *     split by partner range into jobs that run side by side on their own connections;
 *  3. fails on an amount converted without a rate (naming the pair);
 *  4. distributes each segment's partners on the list into a table of the run's own, shaped like
 *     worklist_items, and builds its indexes: side by side on their own connections;
 *  5. then, in one transaction: attaches each table as its run's partition (adopting its indexes;
 *     its CHECK on run_id spares the attach a scan), points the segment at the run if it is live,
 *     writes the run's statistics and drops the stage.
 * Until that commit readers see the previous live run; a failure rolls it back, drops the stage
 * and the run's tables and marks the run FAILED with the message. Superseded partitions are
 * dropped after the commit.
 */
import { assertValidStrategy, fxCheckSql, fxRatesSql, StrategyValidationError, type StrategyDocument } from '@recoup/rules';
import { isEntityId, isIsoDate } from '../graphql/scalars';
import { availableParallelism } from 'node:os';
import type { QueryRunner } from 'typeorm';
import type { Database } from '../db/database';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import type { WorklistRunMode, WorklistRunStats } from './worklist.entity';
import { InvalidKeyDateError, MissingFxRateError, NoActiveStrategyError } from './worklist.errors';
import { cachedFacts } from './worklist-fact-cache';
import { distributeSql, factKeysFor, factRowsFor, scoredFromFactsSql, scoredRowsSql, scoredSegmentColumn } from './worklist.sql';

export interface RunWorklistOptions {
  segment: string;
  asOf: string;
  mode: WorklistRunMode;
  /** Preview only: a document to try instead of the segment's active strategy version. */
  document?: unknown;
  onProgress?: (progress: { phase: string; step: number; steps: number }) => void;
  /** Partners per scoring job (default 125,000; tests split small fixtures with it). */
  partnersPerJob?: number;
}

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

/** The active strategy version of a segment's collection group(s): one version, or an error saying why not. */
export async function activeStrategyOf(db: Database, segment: string): Promise<{ versionId: string; document: StrategyDocument }> {
  const rows: Array<{ group_key: string; strategy_key: string | null; version_id: string | null; document: unknown }> = await db.dataSource.query(
    `SELECT g.key AS group_key, g.strategy_key, v.id AS version_id, v.document
       FROM collection_groups g
       LEFT JOIN strategies s ON s.key = g.strategy_key
       LEFT JOIN strategy_versions v ON v.strategy_id = s.id AND v.status = 'ACTIVE'
      WHERE g.segment_key = $1 ORDER BY g.key`,
    [segment],
  );
  if (!rows.length) throw new NoActiveStrategyError(segment, 'no collection group works this segment');
  const versions = new Set(rows.map((r) => r.version_id));
  const missing = rows.find((r) => !r.version_id);
  if (missing) {
    throw new NoActiveStrategyError(segment, missing.strategy_key
      ? `strategy ${missing.strategy_key} of group ${missing.group_key} has no active version`
      : `collection group ${missing.group_key} has no strategy`);
  }
  if (versions.size > 1) throw new NoActiveStrategyError(segment, 'its collection groups use different strategy versions');
  return { versionId: rows[0]!.version_id!, document: assertValidStrategy(rows[0]!.document) };
}

export function validKeyDate(asOf: string): string {
  if (!isIsoDate(asOf)) throw new InvalidKeyDateError(asOf);
  return asOf;
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

export interface RunWorklistsOptions extends Omit<RunWorklistOptions, 'segment'> {
  /** Default: every segment worked by a collection group. */
  segments?: string[];
}

/** One segment's run; see runWorklists. */
export async function runWorklist(db: Database, options: RunWorklistOptions): Promise<WorklistRunResult> {
  const [result] = await runWorklists(db, { ...options, segments: [options.segment] });
  return result!;
}

interface SegmentPlan {
  key: string;
  defaultGroup: string | null;
  partners: number;
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
  const known: Array<{ key: string; default_group: string | null; has_group: boolean }> = await db.dataSource.query(
    `SELECT s.key, (SELECT min(g.key) FROM collection_groups g WHERE g.segment_key = s.key) AS default_group,
        EXISTS (SELECT 1 FROM collection_groups g WHERE g.segment_key = s.key) AS has_group
       FROM collection_segments s ORDER BY s.key`,
  );
  const wanted = options.segments ?? known.filter((k) => k.has_group).map((k) => k.key);
  for (const key of wanted) if (!known.some((k) => k.key === key)) throw new NotFoundError('Segment', key);
  // Exact counts for the segments run (they are the runs' partners evaluated); only an estimate
  // of all partners, which just decides how the scoring narrows its reads.
  const sizes: Array<{ segment: string; partners: number }> = await db.dataSource.query(
    `SELECT w.segment, (SELECT count(*)::integer FROM partners p WHERE p.segment = w.segment) AS partners
       FROM unnest($1::text[]) AS w(segment)`,
    [wanted],
  );
  const plans: SegmentPlan[] = wanted.map((key) => ({
    key, defaultGroup: known.find((k) => k.key === key)!.default_group, partners: sizes.find((x) => x.segment === key)!.partners,
  }));
  const [estimate]: Array<{ n: number }> = await db.dataSource.query(
    `SELECT greatest(reltuples, 0)::bigint::integer AS n FROM pg_class WHERE oid = 'partners'::regclass`,
  );
  const selectedPartners = plans.reduce((n, p) => n + p.partners, 0);
  const totalPartners = Math.max(estimate?.n ?? 0, selectedPartners);

  // Group by strategy version (a preview document values every segment asked for).
  const batches = new Map<string, { versionId: string | null; document: StrategyDocument; segments: SegmentPlan[] }>();
  for (const plan of plans) {
    const { versionId, document } = options.document !== undefined
      ? { versionId: null, document: documentOf(options.document) }
      : await activeStrategyOf(db, plan.key);
    const batch = batches.get(String(versionId)) ?? { versionId, document, segments: [] };
    batch.segments.push(plan);
    batches.set(String(versionId), batch);
  }
  const results: WorklistRunResult[] = [];
  for (const batch of batches.values()) {
    const keys = batch.segments.map((s) => s.key);
    results.push(...await serialised(keys, () => runBatch(db, {
      ...batch, asOf, mode: options.mode, totalPartners, onProgress: options.onProgress, partnersPerJob: options.partnersPerJob,
    })));
  }
  return results;
}

/**
 * The promise tolerance every promise gets, when there is one: all company codes share it and
 * it is the default 3 days, or no promised item has a company code outside company_codes
 * (which would get the default). Undefined when promise status must look up each item.
 */
async function uniformPromiseTolerance(db: Database): Promise<number | undefined> {
  const [row]: Array<{ days: number[] | null }> = await db.dataSource.query(
    `SELECT array_agg(DISTINCT promise_tolerance_days) AS days FROM company_codes`,
  );
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

/** Partners per job when a run is split by partner range (a job is one statement on one connection). */
const PARTNERS_PER_JOB = 125_000;

/** Connections scoring jobs at once: one per core on Postgres (2 here); PGlite runs one statement at a time. */
function jobConcurrency(db: Database): number {
  const configured = Number(process.env.RECOUP_WORKLIST_WORKERS);
  if (db.kind === 'embedded') return 1;
  return Number.isInteger(configured) && configured > 0 ? configured : Math.max(1, Math.min(availableParallelism(), 8));
}

async function runBatch(db: Database, batch: {
  versionId: string | null; document: StrategyDocument; segments: SegmentPlan[]; asOf: string; mode: WorklistRunMode;
  totalPartners: number; onProgress?: RunWorklistOptions['onProgress']; partnersPerJob?: number;
}): Promise<WorklistRunResult[]> {
  const started = performance.now();
  const { document, asOf, mode } = batch;
  const segments = [...batch.segments].sort((a, b) => a.key.localeCompare(b.key));
  const segmentKeys = segments.map((s) => s.key);
  const selected = segments.reduce((n, s) => n + s.partners, 0);
  // Read once, they become parameters of the scoring statement instead of joins per row.
  const fx = fxRatesSql({ currency: document.currency, asOf });
  const rates: Array<{ currency: string; rate: string }> = await db.dataSource.query(fx.text, fx.values);
  const uniformToleranceDays = await uniformPromiseTolerance(db);
  let narrow = selected * 3 < batch.totalPartners;
  const scoredFor = (partnerRange?: [string, string]) =>
    scoredRowsSql(document, { asOf, segments: segmentKeys, narrow, partnerRange, rates, uniformToleranceDays });
  const shape = scoredFor();
  const rules = shape.compiled.conditionRules.map((name) => ({
    name, points: document.rules.find((r) => r.name === name)!.event.params.points,
  }));

  const runIds: string[] = [];
  for (const segment of segments) {
    const [run]: Array<{ id: string }> = await db.dataSource.query(
      `INSERT INTO worklist_runs (segment_key, as_of, strategy_version_id, mode, currency, rules, aging_limits, document)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [segment.key, asOf, batch.versionId, mode, document.currency, JSON.stringify(rules), document.agingBuckets,
        batch.versionId === null ? JSON.stringify(document) : null],
    );
    if (!isEntityId(run!.id)) throw new Error(`unexpected run id ${run!.id}`);
    runIds.push(run!.id);
  }
  const stage = `worklist_stage_${runIds[0]}`;
  const timings: Record<string, number> = {};
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await fn();
    timings[phase] = (timings[phase] ?? 0) + Math.round(performance.now() - t);
    return result;
  };

  timings.prepare = Math.round(performance.now() - started);
  const coordinator: QueryRunner = db.dataSource.createQueryRunner();
  let locked = false;
  let factsCached = false;
  try {
    await coordinator.connect();
    // Two runs on one segment never interleave: the later waits here (keys in a fixed order). A
    // session lock, as the scoring jobs run on other connections outside this one's transaction.
    await timed('lock', async () => {
      for (const key of segmentKeys) await coordinator.query(`SELECT pg_advisory_lock(hashtext('recoup.worklist'), hashtext($1))`, [key]);
      locked = true;
    });

    // 1. Score every selected partner into an unlogged stage table, split by partner range into
    //    jobs that run side by side on their own connections (serial plans: parallel workers
    //    would only re-aggregate the per-partner states).
    const jobs = await timed('facts and scoring', async () => {
      const [bounds]: Array<{ lo: string | null; hi: string | null }> = await coordinator.query(
        // Per segment, so that each bound is one probe of the (segment, id) index.
        `SELECT min(b.lo)::text AS lo, max(b.hi)::text AS hi FROM unnest($1::text[]) AS s(key)
           CROSS JOIN LATERAL (SELECT min(p.id) AS lo, max(p.id) AS hi FROM partners p WHERE p.segment = s.key) b`, [segmentKeys],
      );
      const concurrency = jobConcurrency(db);
      const ranges = partnerRanges(bounds!.lo, bounds!.hi, selected, concurrency, batch.partnersPerJob);
      // Ranges narrow every table already; the segment filter on top pays only where the
      // segment's partners are a small share of their id span.
      const span = bounds!.lo === null ? 0 : Number(BigInt(bounds!.hi!) - BigInt(bounds!.lo) + 1n);
      narrow &&= selected * 2 < span;
      let done = 0;
      const steps = ranges.length + segments.length + 1;
      batch.onProgress?.({ phase: 'facts and scoring', step: 0, steps });
      const runJobs = (target: string, sqlFor: (range: [string, string]) => { text: string; values: unknown[] }, where = '') =>
        runConcurrently(ranges, concurrency, async (range) => {
          const job = sqlFor(range);
          await db.dataSource.transaction(async (m) => {
            await m.query(`SET LOCAL max_parallel_workers_per_gather = 0${db.kind === 'postgres' ? '; SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1' : ''}`);
            await m.query(`INSERT INTO ${target} SELECT * FROM (${job.text}) scored${where}`, job.values);
          });
          batch.onProgress?.({ phase: 'facts and scoring', step: ++done, steps });
        });
      // Only what the switch needs: the partners on the list, the excluded ones to count, and
      // any with an amount that had no rate (which fails the run, on the list or not).
      const needed = ' WHERE scored.on_list OR scored.excluded OR scored.w_fx_missing';

      if (mode === 'PREVIEW') {
        // Facts kept from the last preview of this selection when still current (see the cache).
        const selection = { asOf, segments: segmentKeys, rates, uniformToleranceDays };
        const key = JSON.stringify({ segments: segmentKeys, asOf, currency: document.currency, aging: document.agingBuckets, rates, uniformToleranceDays });
        const facts = await cachedFacts(db, coordinator, key, factKeysFor(document), (keys) => ({
          shape: factRowsFor(document, keys, selection),
          fill: (table) => runJobs(table, (range) => factRowsFor(document, keys, { ...selection, narrow, partnerRange: range })),
        }));
        factsCached = facts.hit;
        const scoring = scoredFromFactsSql(document, facts.table);
        // One scan of a plain table: parallel workers share it.
        await coordinator.startTransaction();
        if (db.kind === 'postgres') await coordinator.query(`SET LOCAL parallel_setup_cost = 10; SET LOCAL parallel_tuple_cost = 0.001`);
        await coordinator.query(`CREATE UNLOGGED TABLE ${stage} AS SELECT * FROM (${scoring.text}) scored${needed}`, scoring.values);
        await coordinator.commitTransaction();
      } else {
        await coordinator.query(`CREATE UNLOGGED TABLE ${stage} AS ${shape.text} WITH NO DATA`, shape.values);
        await runJobs(stage, scoredFor, needed);
      }
      return { count: ranges.length, steps };
    });

    // 2. Each segment's items, dealt to specialists into a table of the run's own and indexed like
    //    worklist_items, side by side on their own connections: the switch below then only
    //    attaches them (their CHECK on run_id spares the attach its scan, the indexes are adopted).
    await timed('fx check', async () => {
      const [flag]: Array<{ missing: boolean }> = await coordinator.query(`SELECT EXISTS (SELECT 1 FROM ${stage} WHERE w_fx_missing) AS missing`);
      if (!flag!.missing) return;
      const check = fxCheckSql({ currency: document.currency, asOf });
      const missing: Array<{ from_currency: string; to_currency: string }> = await coordinator.query(check.text, check.values);
      throw new MissingFxRateError(missing.map((m) => ({ from: m.from_currency, to: m.to_currency })), asOf);
    });
    const partitions = segments.map((segment, i) => ({ segment, runId: runIds[i]!, table: `worklist_items_run_${runIds[i]}` }));
    let step = jobs.count;
    await timed('distribution', () => runConcurrently(partitions, jobConcurrency(db), (p) => db.dataSource.transaction(async (m) => {
      batch.onProgress?.({ phase: `distribution ${p.segment.key}`, step: step++, steps: jobs.steps });
      // The deal sorts every partner on the list once: in memory, not in temporary files. Seats
      // are looked up by hash: the planner, misjudging the deal's size, would merge-join them
      // and rescan the seats for every partner.
      if (db.kind === 'postgres') await m.query(`SET LOCAL work_mem = '64MB'; SET LOCAL enable_mergejoin = off; SET LOCAL max_parallel_workers_per_gather = 0`);
      await m.query(`CREATE TABLE ${p.table} (LIKE worklist_items INCLUDING DEFAULTS, CHECK (run_id = ${p.runId}))`);
      await m.query(distributeSql(p.runId, stage, p.table), [asOf, p.segment.key, p.segment.defaultGroup]);
    })));
    const indexes = await partitionIndexes(coordinator);
    // Index by index across the tables, so that builds side by side are mostly on different tables.
    await timed('indexes', () => runConcurrently(indexes.flatMap((index) => partitions.map((p) => index(p.table))), jobConcurrency(db),
      (statements) => db.dataSource.transaction(async (m) => {
        if (db.kind === 'postgres') await m.query(`SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL max_parallel_maintenance_workers = 0`);
        for (const statement of statements) await m.query(statement);
      })));
    batch.onProgress?.({ phase: 'switch', step: jobs.steps, steps: jobs.steps });

    // 3. One transaction attaches and switches every segment of the batch.
    await coordinator.startTransaction();
    const counts: Array<{ segment: string; excluded: number }> = await coordinator.query(
      `SELECT ${scoredSegmentColumn()} AS segment, count(*)::integer AS excluded FROM ${stage} WHERE excluded GROUP BY 1`,
    );
    const results: WorklistRunResult[] = [];
    for (const { segment, runId, table: partition } of partitions) {
      await timed('attach', () => coordinator.query(`ALTER TABLE worklist_items ATTACH PARTITION ${partition} FOR VALUES IN (${runId})`));
      const stats = await timed('statistics and switch', async () => {
        const byPriority: WorklistRunStats['byPriority'] = await coordinator.query(
          `SELECT priority, count(*)::integer AS count, sum(amount_to_be_collected)::text AS "amountToBeCollected"
             FROM ${partition} GROUP BY priority ORDER BY priority`,
        );
        const bySpecialist: WorklistRunStats['bySpecialist'] = await coordinator.query(
          `SELECT specialist_id AS "specialistId", count(*)::integer AS count, sum(amount_to_be_collected)::text AS "amountToBeCollected"
             FROM ${partition} GROUP BY specialist_id ORDER BY specialist_id NULLS LAST`,
        );
        const [total]: Array<{ amount: string }> = await coordinator.query(`SELECT coalesce(sum(amount_to_be_collected), 0)::text AS amount FROM ${partition}`);
        if (mode === 'LIVE') await coordinator.query(`UPDATE collection_segments SET live_run_id = $1 WHERE key = $2`, [runId, segment.key]);
        return { byPriority, bySpecialist, amountToBeCollected: total!.amount, timings };
      });
      const c = counts.find((x) => x.segment === segment.key);
      results.push({
        runId, segment: segment.key, asOf, mode, strategyVersionId: batch.versionId,
        partnersEvaluated: segment.partners, partnersOnList: stats.byPriority.reduce((n, b) => n + b.count, 0),
        partnersExcluded: c?.excluded ?? 0, stats, milliseconds: 0,
      });
    }
    await coordinator.query(`DROP TABLE ${stage}`);
    for (const r of results) {
      r.milliseconds = Math.round(performance.now() - started);
      r.stats.jobs = jobs.count;
      if (mode === 'PREVIEW') r.stats.factsCached = factsCached;
      await coordinator.query(
        `UPDATE worklist_runs SET status = 'SUCCEEDED', finished_at = now(), partners_evaluated = $2, partners_on_list = $3,
           partners_excluded = $4, stats = $5 WHERE id = $1`,
        [r.runId, r.partnersEvaluated, r.partnersOnList, r.partnersExcluded, JSON.stringify(r.stats)],
      );
    }
    await coordinator.commitTransaction();
    if (mode === 'LIVE') for (const key of segmentKeys) await dropSupersededRuns(db, key).catch(() => undefined);
    return results;
  } catch (error) {
    if (coordinator.isTransactionActive) await coordinator.rollbackTransaction().catch(() => undefined);
    await coordinator.query(`DROP TABLE IF EXISTS ${stage}`).catch(() => undefined);
    // The runs' own tables (never attached, or detached again by the rollback).
    for (const runId of runIds) await coordinator.query(`DROP TABLE IF EXISTS worklist_items_run_${runId}`).catch(() => undefined);
    await db.dataSource.query(
      `UPDATE worklist_runs SET status = 'FAILED', finished_at = now(), error = $2 WHERE id = ANY($1::bigint[])`,
      [runIds, error instanceof Error ? error.message : String(error)],
    );
    throw error;
  } finally {
    if (locked) {
      for (const key of segmentKeys) await coordinator.query(`SELECT pg_advisory_unlock(hashtext('recoup.worklist'), hashtext($1))`, [key]).catch(() => undefined);
    }
    await coordinator.release();
  }
}

/**
 * worklist_items' indexes as the statements that build each on a run's table before it is
 * attached: ATTACH adopts an index of the same definition instead of building one (for the
 * primary key, only an index that backs a primary key constraint).
 */
async function partitionIndexes(runner: QueryRunner): Promise<Array<(table: string) => string[]>> {
  const rows: Array<{ definition: string; constraint: string | null }> = await runner.query(
    `SELECT pg_get_indexdef(i.indexrelid) AS definition, c.contype::text AS constraint
       FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
      WHERE i.indrelid = 'worklist_items'::regclass ORDER BY i.indexrelid`,
  );
  return rows.map(({ definition, constraint }, n) => {
    const match = /^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ (USING .+)$/.exec(definition);
    if (!match) throw new Error(`unexpected index definition: ${definition}`);
    return (table: string) => {
      const name = `${table}_i${n}`;
      const create = `CREATE ${match[1] ?? ''}INDEX ${name} ON ${table} ${match[2]}`;
      if (constraint === 'p') return [create, `ALTER TABLE ${table} ADD CONSTRAINT ${name} PRIMARY KEY USING INDEX ${name}`];
      if (constraint === 'u') return [create, `ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}`];
      return [create];
    };
  });
}

/**
 * Runs of one segment in this process, in order. The advisory lock orders runs across processes;
 * the embedded database has a single session, in which advisory locks do not exclude each other.
 */
const segmentQueues = new Map<string, Promise<unknown>>();

function serialised<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
  const before = Promise.all(keys.map((k) => segmentQueues.get(k)?.catch(() => undefined)));
  const result = before.then(fn);
  const settled = result.catch(() => undefined);
  for (const k of keys) segmentQueues.set(k, settled);
  void settled.then(() => {
    for (const k of keys) if (segmentQueues.get(k) === settled) segmentQueues.delete(k);
  });
  return result;
}

/** Contiguous id ranges [from, to) over lo..hi: about PARTNERS_PER_JOB partners each, at least one per connection. */
export function partnerRanges(
  lo: string | null, hi: string | null, partners: number, concurrency: number, perJob?: number,
): Array<[string, string]> {
  if (lo === null || hi === null) return [];
  const from = BigInt(lo);
  const to = BigInt(hi) + 1n;
  const wanted = perJob ? Math.ceil(partners / perJob)
    : Math.max(Math.ceil(partners / PARTNERS_PER_JOB), partners >= 20_000 ? concurrency : 1);
  const count = BigInt(Math.max(1, Math.min(wanted, Number(to - from))));
  const ranges: Array<[string, string]> = [];
  for (let i = 0n; i < count; i++) ranges.push([String(from + ((to - from) * i) / count), String(from + ((to - from) * (i + 1n)) / count)]);
  return ranges;
}

/** Runs `work` over the items with at most `limit` at a time; the first failure fails the whole. */
async function runConcurrently<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
}

/**
 * Drops the items of a segment's live runs that are no longer live, and of its previews older
 * than an hour (their run rows and statistics stay). Dropping a partition briefly locks the
 * parent, so it happens after the switch, never inside it.
 */
export async function dropSupersededRuns(db: Database, segment: string): Promise<number> {
  const stale: Array<{ id: string }> = await db.dataSource.query(
    `SELECT r.id FROM worklist_runs r JOIN collection_segments s ON s.key = r.segment_key
      WHERE r.segment_key = $1 AND r.status = 'SUCCEEDED' AND r.items_dropped_at IS NULL
        AND r.id IS DISTINCT FROM s.live_run_id
        AND (r.mode = 'LIVE' OR r.started_at < now() - interval '1 hour')`,
    [segment],
  );
  for (const { id } of stale) {
    await db.dataSource.transaction(async (m) => {
      await m.query(`DROP TABLE IF EXISTS worklist_items_run_${BigInt(id)}`);
      await m.query(`UPDATE worklist_runs SET items_dropped_at = now(), document = NULL WHERE id = $1`, [id]);
    });
  }
  return stale.length;
}

