/**
 * A preview run (a document tried on segments; the live lists stay) after its RUNNING rows and
 * the segment lock: the fact rows kept for its selection (worklist-scoring.service), scored and
 * dealt in this process where they fit (worklist-preview-memory: read into memory once per kept
 * table), then one transaction that makes the runs' items and figures:
 *  1. a table per segment's run, unlogged: a preview's items are read for a while and then
 *     dropped (worklist-distribution dropSupersededRuns), so they are not worth writing to the
 *     WAL, nor its commit worth waiting for the disk (a crash of the database server empties the
 *     tables of the previews of the hour before; the studio previews again at the next edit);
 *  2. one statement writes each segment's items into its table and answers the runs' figures
 *     (worklist-preview.sql): from the specialists dealt in memory, or, for rows kept in the
 *     database only, scoring the kept facts with the rules and dealing them itself; a run with an
 *     amount without a rate fails;
 *  3. worklist_items' indexes on each table (the order indexes only on a large one, see
 *     ORDER_INDEXED_ITEMS), then each attached as its run's partition, and the runs SUCCEEDED
 *     with their statistics.
 * The same items and figures as a live run's stage, deal, index and switch steps, in a fraction
 * of the statements and none of the commits between them. Nothing is visible before the commit;
 * a failure rolls it all back (the caller marks the runs FAILED).
 */
import { factKeysOf, type StrategyDocument } from '@recoup/rules';
import type { QueryRunner } from 'typeorm';
import { timed, type BatchRun, type WorklistRunResult } from './worklist-batch';
import { orderIndexes, partitionIndexes, recordSuccess } from './worklist-distribution.service';
import { keptState, keptWithTable } from './worklist-fact-cache';
import { deferItems, TOP_ITEMS, WRITING_ITEMS } from './worklist-deferred-items';
import {
  figuresOf,
  partRows,
  prepareFor,
  readKeptColumns,
  scoreInMemory,
  splitInWorklistOrder,
  type MemoryPart,
  type MemoryPreview,
} from './worklist-preview-memory';
import { memoryPreviewSql, previewSql, type PreviewFigures, type PreviewPart } from './worklist-preview.sql';
import { keptPreviewFacts, missingRatesError } from './worklist-scoring.service';

/** The batch's preview runs, from the kept fact rows to SUCCEEDED. */
export async function runPreview(run: BatchRun, coordinator: QueryRunner): Promise<WorklistRunResult[]> {
  const facts = await timed(run, 'facts', () => keptPreviewFacts(run, coordinator));
  const parts: PreviewPart[] = run.segments.map((segment, i) => ({
    runId: run.runIds[i]!,
    table: `worklist_items_run_${run.runIds[i]}`,
    segment: segment.key,
    defaultGroup: segment.defaultGroup,
  }));
  const inMemory = await timed(run, 'scoring in memory', () => scoredInMemory(run, coordinator, facts.table));
  if (inMemory?.fxMissing) throw await missingRatesError(run, coordinator);
  run.onProgress?.({ phase: 'switch', step: facts.jobs.steps, steps: facts.jobs.steps });
  // The statements without parameters go together, one round trip each batch (on the embedded
  // database each statement costs a turn of its one session).
  await coordinator.startTransaction();
  await coordinator.query(
    [
      ...previewSettings(run.db.kind),
      ...parts.map((p) => `CREATE UNLOGGED TABLE ${p.table} (LIKE worklist_items INCLUDING DEFAULTS, CHECK (run_id = ${p.runId}))`),
    ].join('; '),
  );
  // Deferred: the figures from memory and the top of each list now, the rest of the items after the answer.
  const split = inMemory && run.deferItems ? splitTop(inMemory) : null;
  // The top rows alone: each looked up by the kept table's partner index (readInBackground) rather than joined by a scan of it.
  if (split) await coordinator.query(`SET LOCAL enable_nestloop = on; SET LOCAL enable_hashjoin = off`);
  const figures = inMemory
    ? await timed(run, 'items', () => writeItems(coordinator, facts.table, parts, split ? split.top : inMemory.parts))
    : await timed(run, 'scoring and distribution', () => scoreAndDeal(run, coordinator, facts.table, parts));
  if (split) figures.parts = inMemory!.parts.map(figuresOf);
  if (figures.fxMissing) throw await missingRatesError(run, coordinator);
  await timed(run, 'indexes and attach', () => indexAndAttach(coordinator, parts, split ? null : figures));
  const results = parts.map((p, i) => resultOf(run, i, figures.parts[i]!));
  await recordSuccess(run, coordinator, results, facts.jobs, split ? WRITING_ITEMS : undefined);
  await coordinator.commitTransaction();
  if (split) deferItems(run.runIds, () => writeRest(run, facts.table, parts, split.rest, figures), run.itemsAfter);
  return results;
}

/**
 * A preview transaction's settings. Every join by hash: the planner cannot know how many rows the
 * scores and the deal's parts hold (it guesses a handful, or millions for a never-analysed kept
 * table) and would loop over them row by row, or sort them for a merge. No JIT: those guesses made
 * Postgres compile the deferred items' statement for 0.8 s to write 23,000 rows.
 */
function previewSettings(kind: BatchRun['db']['kind']): string[] {
  return [
    `SET LOCAL synchronous_commit = off; SET LOCAL work_mem = '64MB'; SET LOCAL enable_nestloop = off; SET LOCAL enable_mergejoin = off`,
    ...(kind === 'postgres' ? ['SET LOCAL jit = off'] : []),
  ];
}

/** Each part's first TOP_ITEMS rows in worklist order, and the others. */
function splitTop(scored: MemoryPreview): { top: MemoryPart[]; rest: MemoryPart[] } {
  const split = scored.parts.map((part) => splitInWorklistOrder(part, TOP_ITEMS));
  return {
    top: scored.parts.map((part, i) => partRows(part, split[i]!.top)),
    rest: scored.parts.map((part, i) => partRows(part, split[i]!.rest)),
  };
}

/**
 * The rest of a deferred preview's items, on a connection of its own, then its runs SUCCEEDED
 * (and a large list's order indexes). A failure marks the runs FAILED and drops what they wrote.
 */
async function writeRest(run: BatchRun, factsTable: string, parts: PreviewPart[], rest: MemoryPart[], figures: PreviewFigures): Promise<void> {
  const runner = run.db.dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    await runner.query(previewSettings(run.db.kind).join('; '));
    await writeItems(runner, factsTable, parts, rest);
    const large = parts.filter((_, i) => itemCount(figures, i) > ORDER_INDEXED_ITEMS);
    if (large.length) await runner.query(large.flatMap((p) => orderIndexes().flatMap((index) => index(p.table))).join('; '));
    await runner.query(`UPDATE worklist_runs SET status = 'SUCCEEDED', finished_at = now(), progress_phase = 'done' WHERE id = ANY($1::bigint[])`, [
      run.runIds,
    ]);
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    await failDeferred(run, parts, error);
    throw error;
  } finally {
    await runner.release();
  }
}

async function failDeferred(run: BatchRun, parts: PreviewPart[], error: unknown): Promise<void> {
  const message = `its items could not be written: ${error instanceof Error ? error.message : String(error)}`;
  await run.db.dataSource
    .query(
      `UPDATE worklist_runs SET status = 'FAILED', finished_at = now(), error = $2, items_dropped_at = now() WHERE id = ANY($1::bigint[]) AND status = 'RUNNING'`,
      [run.runIds, message],
    )
    .catch(() => undefined);
  for (const p of parts) await run.db.dataSource.query(`DROP TABLE IF EXISTS ${p.table}`).catch(() => undefined);
}

const itemCount = (figures: PreviewFigures, i: number) => figures.parts[i]!.byPriority.reduce((n, b) => n + b.count, 0);

/**
 * The kept rows scored and dealt in this process; null where the database scores them: asked to,
 * too many rows to hold, or rows not in memory yet. A preview never waits for the rows to be read
 * (unless asked for `memory`): the read starts in the background once the preview has answered,
 * for the next ones.
 */
async function scoredInMemory(run: BatchRun, coordinator: QueryRunner, factsTable: string): Promise<MemoryPreview | null> {
  if (run.previewScoring === 'database') return null;
  if (run.previewScoring !== 'memory') {
    const state = keptState(factsTable);
    if (state === 'none') readInBackground(run.db, factsTable, run.document, run.itemsAfter);
    if (state !== 'ready') return null;
  }
  const kept = await keptWithTable(factsTable, () => readKeptColumns(coordinator, factsTable, factKeysOf(run.document)));
  if (!kept) return null;
  const segments = run.segments.map((s) => ({ key: s.key, defaultGroup: s.defaultGroup }));
  return scoreInMemory(coordinator, kept, run.document, run.asOf, segments);
}

/** Reads a kept table's columns on a connection of its own (after `after` settles), for the next previews (a failure leaves it to the next one). */
function readInBackground(db: BatchRun['db'], factsTable: string, document: StrategyDocument, after?: Promise<unknown>): void {
  const keys = factKeysOf(document);
  void keptWithTable(factsTable, async () => {
    // Not while the preview that asked is still answering: it would take the same cores.
    if (after) await after.catch(() => undefined);
    const runner = db.dataSource.createQueryRunner();
    try {
      await runner.connect();
      // The deferred previews' top rows are looked up by partner (a scan of the table for a hundred rows costs more than the preview's scoring).
      await runner.query(`CREATE INDEX IF NOT EXISTS ${factsTable}_partner ON ${factsTable} (partner_id)`);
      const kept = await readKeptColumns(runner, factsTable, keys);
      if (kept) prepareFor(kept, document);
      return kept;
    } finally {
      await runner.release();
    }
  }).catch(() => undefined);
}

/** The items dealt in memory into each part's table, and the figures of what was written: one statement (worklist-preview.sql). */
async function writeItems(coordinator: QueryRunner, factsTable: string, parts: PreviewPart[], scored: MemoryPart[]): Promise<PreviewFigures> {
  const sql = memoryPreviewSql(factsTable, parts, scored);
  const [row]: Array<{ parts: PreviewFigures['parts'] }> = await coordinator.query(sql.text, sql.values);
  return { fxMissing: false, parts: row!.parts };
}

/** The rules over the kept fact rows, each segment's deal into its table, and the figures: one statement (worklist-preview.sql). */
async function scoreAndDeal(run: BatchRun, coordinator: QueryRunner, factsTable: string, parts: PreviewPart[]): Promise<PreviewFigures> {
  const sql = previewSql(run.document, factsTable, run.asOf, parts);
  const [row]: Array<{ fx_missing: boolean; parts: PreviewFigures['parts'] }> = await coordinator.query(sql.text, sql.values);
  return { fxMissing: row!.fx_missing, parts: row!.parts };
}

/**
 * Previews with more items than this get the worklist-order indexes too: a page of a smaller one
 * is a scan and a top-N sort of its table, cheaper than the builds for the few pages a preview
 * is read (the studio reads one).
 */
const ORDER_INDEXED_ITEMS = 50_000;

/**
 * worklist_items' indexes on each part's table, built once it is filled, and the order indexes
 * of a large one; then each attached as its run's partition (ATTACH adopts the indexes).
 */
async function indexAndAttach(coordinator: QueryRunner, parts: PreviewPart[], figures: PreviewFigures | null): Promise<void> {
  const indexes = await partitionIndexes(coordinator);
  const statements = parts.flatMap((p, i) => {
    // Without figures (items still to come) the order indexes are built after the rest is written.
    const builds = figures && itemCount(figures, i) > ORDER_INDEXED_ITEMS ? [...indexes, ...orderIndexes()] : indexes;
    return [...builds.flatMap((index) => index(p.table)), `ALTER TABLE worklist_items ATTACH PARTITION ${p.table} FOR VALUES IN (${p.runId})`];
  });
  await coordinator.query(statements.join('; '));
}

function resultOf(run: BatchRun, i: number, figures: PreviewFigures['parts'][number]): WorklistRunResult {
  const segment = run.segments[i]!;
  const { excluded, byPriority, bySpecialist, amountToBeCollected } = figures;
  return {
    runId: run.runIds[i]!,
    segment: segment.key,
    asOf: run.asOf,
    mode: run.mode,
    strategyVersionId: run.versionId,
    partnersEvaluated: segment.partners,
    partnersOnList: byPriority.reduce((n, b) => n + b.count, 0),
    partnersExcluded: excluded,
    stats: { byPriority, bySpecialist, amountToBeCollected, timings: run.timings },
    milliseconds: 0,
  };
}
