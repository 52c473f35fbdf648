/**
 * Distribution and switch of a worklist run. Each segment's partners on the list are dealt to
 * specialists into a table of the run's own, shaped like worklist_items, which then gets
 * worklist_items' indexes: side by side on their own connections. The switch then only
 * attaches them (their CHECK on run_id spares the attach its scan, the indexes are adopted),
 * in one transaction with pointing the segments at their live runs and the runs' statistics.
 * Superseded partitions are dropped after that commit.
 */
import type { EntityManager, QueryRunner } from 'typeorm';
import type { Database } from '../db/database';
import { timed, type BatchRun, type SegmentPlan, type WorklistRunResult } from './worklist-batch';
import type { WorklistRunStats } from './worklist.entity';
import { jobConcurrency, runConcurrently } from './worklist-jobs';
import { distributeSql, scoredSegmentColumn } from './worklist-run.sql';
import type { ScoringJobs } from './worklist-scoring.service';

/** A segment's run and the table of its items, attached as the run's partition of worklist_items. */
export interface Partition {
  segment: SegmentPlan;
  runId: string;
  table: string;
}

/** Deals each segment's partners on the list into its run's table, segments side by side. */
export async function dealSegments(run: BatchRun, jobs: ScoringJobs): Promise<Partition[]> {
  const partitions = run.segments.map((segment, i) => ({ segment, runId: run.runIds[i]!, table: `worklist_items_run_${run.runIds[i]}` }));
  let step = jobs.count;
  await timed(run, 'distribution', () =>
    runConcurrently(partitions, jobConcurrency(run.db), (p) =>
      run.db.dataSource.transaction(async (m) => {
        run.onProgress?.({ phase: `distribution ${p.segment.key}`, step: step++, steps: jobs.steps });
        await dealSegment(run, m, p);
      }),
    ),
  );
  return partitions;
}

/** Builds worklist_items' indexes and the worklist-order indexes on every run table, side by side. */
export async function buildIndexes(run: BatchRun, coordinator: QueryRunner, partitions: Partition[]): Promise<void> {
  const indexes = [...(await partitionIndexes(coordinator)), ...orderIndexes()];
  // Index by index across the tables, so that builds side by side are mostly on different tables.
  const builds = indexes.flatMap((index) => partitions.map((p) => index(p.table)));
  await timed(run, 'indexes', () =>
    runConcurrently(builds, jobConcurrency(run.db), (statements) =>
      run.db.dataSource.transaction(async (m) => {
        if (run.db.kind === 'postgres') await m.query(`SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL max_parallel_maintenance_workers = 0`);
        for (const statement of statements) await m.query(statement);
      }),
    ),
  );
}

/**
 * One transaction attaches and switches every segment of the batch: each table becomes its
 * run's partition, a live run's segment points at it, the runs get their statistics and
 * SUCCEEDED, the stage is dropped. Readers see the previous live runs until the commit.
 */
export async function attachAndSwitch(run: BatchRun, coordinator: QueryRunner, partitions: Partition[], jobs: ScoringJobs): Promise<WorklistRunResult[]> {
  await coordinator.startTransaction();
  const excluded: Array<{ segment: string; excluded: number }> = await coordinator.query(
    `SELECT ${scoredSegmentColumn()} AS segment, count(*)::integer AS excluded FROM ${run.stage} WHERE excluded GROUP BY 1`,
  );
  const results: WorklistRunResult[] = [];
  for (const partition of partitions) {
    results.push(await attachPartition(run, coordinator, partition, excluded.find((x) => x.segment === partition.segment.key)?.excluded ?? 0));
  }
  await coordinator.query(`DROP TABLE ${run.stage}`);
  if (run.mode === 'LIVE' && run.experiment) await recordListings(run, coordinator, partitions);
  await recordSuccess(run, coordinator, results, jobs);
  await coordinator.commitTransaction();
  return results;
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

/** Drops a PREVIEW run's items now rather than in an hour (a backtest reads each of its previews once); the run row and statistics stay. */
export async function dropPreviewItems(db: Database, runId: string): Promise<void> {
  await db.dataSource.transaction(async (m) => {
    const [run]: Array<{ mode: string }> = await m.query(`SELECT mode FROM worklist_runs WHERE id = $1 AND items_dropped_at IS NULL FOR UPDATE`, [runId]);
    if (run?.mode !== 'PREVIEW') return;
    await m.query(`DROP TABLE IF EXISTS worklist_items_run_${BigInt(runId)}`);
    await m.query(`UPDATE worklist_runs SET items_dropped_at = now(), document = NULL WHERE id = $1`, [runId]);
  });
}

/** One segment's deal (distributeSql) into a new table of its run's own. */
async function dealSegment(run: BatchRun, m: EntityManager, p: Partition): Promise<void> {
  // The deal sorts every partner on the list once: in memory, not in temporary files. Seats
  // are looked up by hash: the planner, misjudging the deal's size, would merge-join them
  // and rescan the seats for every partner.
  if (run.db.kind === 'postgres') await m.query(`SET LOCAL work_mem = '64MB'; SET LOCAL enable_mergejoin = off; SET LOCAL max_parallel_workers_per_gather = 0`);
  await m.query(`CREATE TABLE ${p.table} (LIKE worklist_items INCLUDING DEFAULTS, CHECK (run_id = ${p.runId}))`);
  await m.query(distributeSql(p.runId, run.stage, p.table), [run.asOf, p.segment.key, p.segment.defaultGroup]);
}

/** Attaches a run's table as its partition, takes its statistics and, for a live run, points the segment at it; the run's result. */
async function attachPartition(
  run: BatchRun,
  coordinator: QueryRunner,
  { segment, runId, table }: Partition,
  partnersExcluded: number,
): Promise<WorklistRunResult> {
  await timed(run, 'attach', () => coordinator.query(`ALTER TABLE worklist_items ATTACH PARTITION ${table} FOR VALUES IN (${runId})`));
  const stats = await timed(run, 'statistics and switch', async () => {
    const stats = await partitionStats(run, coordinator, table);
    if (run.mode === 'LIVE') await coordinator.query(`UPDATE collection_segments SET live_run_id = $1 WHERE key = $2`, [runId, segment.key]);
    return stats;
  });
  return {
    runId,
    segment: segment.key,
    asOf: run.asOf,
    mode: run.mode,
    strategyVersionId: run.versionId,
    partnersEvaluated: segment.partners,
    partnersOnList: stats.byPriority.reduce((n, b) => n + b.count, 0),
    partnersExcluded,
    stats,
    milliseconds: 0,
  };
}

/** Items and amount to be collected per band and per specialist of a run's table, and in all. */
async function partitionStats(run: BatchRun, coordinator: QueryRunner, partition: string): Promise<WorklistRunStats> {
  const byPriority: WorklistRunStats['byPriority'] = await coordinator.query(
    `SELECT priority, count(*)::integer AS count, sum(amount_to_be_collected)::text AS "amountToBeCollected"
       FROM ${partition} GROUP BY priority ORDER BY priority`,
  );
  const bySpecialist: WorklistRunStats['bySpecialist'] = await coordinator.query(
    `SELECT specialist_id AS "specialistId", count(*)::integer AS count, sum(amount_to_be_collected)::text AS "amountToBeCollected"
       FROM ${partition} GROUP BY specialist_id ORDER BY specialist_id NULLS LAST`,
  );
  const [total]: Array<{ amount: string }> = await coordinator.query(`SELECT coalesce(sum(amount_to_be_collected), 0)::text AS amount FROM ${partition}`);
  return { byPriority, bySpecialist, amountToBeCollected: total!.amount, timings: run.timings };
}

/**
 * An experiment run's partners on the list by arm, with their score and band: the results read
 * them after the run's items are dropped. In the switch's transaction, so they exist exactly
 * when the run does.
 */
async function recordListings(run: BatchRun, coordinator: QueryRunner, partitions: Partition[]): Promise<void> {
  for (const p of partitions) {
    await timed(run, 'experiment listings', () =>
      coordinator.query(
        `INSERT INTO experiment_listings (experiment_id, run_id, partner_id, as_of, arm, valuation, priority, to_be_collected)
         SELECT $1::bigint, w.run_id, w.partner_id, $2::date, w.arm, w.valuation, w.priority, w.amount_to_be_collected FROM ${p.table} w WHERE w.arm IS NOT NULL`,
        [run.experiment!.id, run.asOf],
      ),
    );
  }
}

/** Marks the runs SUCCEEDED with their figures and statistics (inside the switch's transaction). */
export async function recordSuccess(
  run: BatchRun,
  coordinator: QueryRunner,
  results: WorklistRunResult[],
  jobs: ScoringJobs,
  stillWriting?: string,
): Promise<void> {
  for (const r of results) {
    r.milliseconds = Math.round(performance.now() - run.started);
    r.stats.jobs = jobs.count;
    if (run.mode === 'PREVIEW') r.stats.factsCached = run.factsCached;
    // `stillWriting`: a preview whose figures are final but whose items are still being written stays RUNNING in that phase.
    await coordinator.query(
      `UPDATE worklist_runs SET status = CASE WHEN $6::text IS NULL THEN 'SUCCEEDED' ELSE 'RUNNING' END,
         finished_at = CASE WHEN $6::text IS NULL THEN now() END, partners_evaluated = $2, partners_on_list = $3,
         partners_excluded = $4, stats = $5, progress_phase = coalesce($6::text, 'done'), partners_scored = partners_total, parts_done = parts_total WHERE id = $1`,
      [r.runId, r.partnersEvaluated, r.partnersOnList, r.partnersExcluded, JSON.stringify(r.stats), stillWriting ?? null],
    );
  }
}

/**
 * The indexes a run's items are paged by in worklist order (worklist-read.sql), of the whole
 * list and of one specialist's: each run's own, not worklist_items' (migration RunOrderIndexes),
 * so that a small preview's table is attached without them.
 */
export function orderIndexes(): Array<(table: string) => string[]> {
  return [
    (table) => [`CREATE INDEX ${table}_order ON ${table} (run_id, priority, valuation DESC, amount_to_be_collected DESC, partner_id)`],
    (table) => [`CREATE INDEX ${table}_specialist ON ${table} (run_id, specialist_id, priority, valuation DESC, amount_to_be_collected DESC, partner_id)`],
  ];
}

/**
 * worklist_items' indexes (its primary key) as the statements that build each on a run's table before it is
 * attached: ATTACH adopts an index of the same definition instead of building one (for the
 * primary key, only an index that backs a primary key constraint).
 */
export async function partitionIndexes(runner: QueryRunner): Promise<Array<(table: string) => string[]>> {
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
