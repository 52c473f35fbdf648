/**
 * Reading worklists: pages of runs' items in a chosen order with their count and summary, single
 * items with their run, rules, ageing and score explanation, runs, the loads per specialist, and
 * the partners and specialists items point at. A SPECIALIST reads only their own items.
 */
import { explainSync } from '@recoup/rules';
import type { Database } from '../db/database';
import { partnerFacts } from '../facts';
import { itemsWritten, TOP_ITEMS, WRITING_ITEMS } from './worklist-deferred-items';
import { experimentForRun } from './worklist-experiment';
import { preparedDocument, type PreparedDocument } from './worklist-explanation';
import { ownSpecialist, partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, DomainError, NotFoundError } from '../graphql/errors';
import type { ItemRow, RunRow } from '../graphql/loaders';
import { decodeCursor, encodeCursor, pageOf, pageSize, type CursorKey } from '../graphql/paging';
import { parseId, parseIdInput } from '../graphql/scalars';
import type { Revaluation } from './worklist-revaluation.service';
import {
  ITEM_OF_RUN_SQL,
  itemCountSql,
  itemPageSql,
  itemSummarySql,
  LIVE_RUNS_SQL,
  LOADS_SQL,
  RUN_BY_ID_SQL,
  RUN_DOCUMENT_SQL,
  SEGMENT_LIVE_RUN_SQL,
  worklistQuerySql,
  type ItemFilterSql,
  type QueryRun,
} from './worklist-read.sql';
import {
  WorklistOrder,
  type SortDirection,
  type AgingAmount,
  type FiredRule,
  type Partner,
  type ScoreExplanation,
  type Specialist,
  type SpecialistLoad,
  type WorklistFilter,
  type WorklistItem,
  type WorklistItemConnection,
  type WorklistRun,
  type WorklistSummary,
} from './worklist.types';
import { agingOf, firedRulesOf, itemView, partnerView, runView, specialistView } from './worklist.views';

// ---- pages --------------------------------------------------------------------------------

export interface WorklistPageArgs {
  segment?: string | null;
  runId?: string | null;
  filter?: WorklistFilter | null;
  orderBy?: WorklistOrder | null;
  /** Default: the order's natural direction. */
  direction?: SortDirection | null;
  first?: number | null;
  after?: string | null;
}

/** A page of the worklist: the caller's reach applied (a SPECIALIST reads only their own items). */
export async function worklistPage(ctx: RequestContext, args: WorklistPageArgs): Promise<WorklistItemConnection> {
  const { runs, filter } = await worklistScope(ctx, args);
  return itemsPage(ctx.db, runs, { ...args, filter });
}

/** The runs a worklist read covers and its filter with the caller's reach applied (shared by the pages and the CSV export). */
export async function worklistScope(
  ctx: RequestContext,
  args: Pick<WorklistPageArgs, 'segment' | 'runId' | 'filter'>,
): Promise<{ runs: RunRow[]; filter: WorklistFilter }> {
  const own = ownSpecialist(ctx);
  const filter = { ...(args.filter ?? {}) };
  if (own !== null) {
    if (filter.specialistId !== undefined && filter.specialistId !== null && filter.specialistId !== own) {
      throw new DomainError('FORBIDDEN', 'A specialist reads only their own worklist');
    }
    if (filter.unassigned) throw new DomainError('FORBIDDEN', 'A specialist reads only their own worklist');
    filter.specialistId = own;
  }
  const runs = await runsOf(ctx, args.segment, args.runId);
  return { runs, filter };
}

/** Items of the given runs (access already decided by the caller); count and summary run only when asked for. */
export async function itemsPage(
  db: Database,
  runsOrIds: ReadonlyArray<QueryRun | string>,
  args: Omit<WorklistPageArgs, 'segment' | 'runId'>,
  options: { planned?: 'prepared' | 'each time' } = {},
): Promise<WorklistItemConnection> {
  const first = pageSize(args.first);
  const order = args.orderBy ?? WorklistOrder.WORKLIST;
  const f = args.filter ?? {};
  if (f.specialistId !== undefined && f.specialistId !== null) parseIdInput(f.specialistId, 'filter.specialistId');
  // Bands are smallint: a larger Int would fail in SQL as an internal error.
  if (f.priorities?.some((p) => p < -32768 || p > 32767))
    throw new BadUserInputError('filter.priorities are priority bands, -32768 to 32767', 'filter.priorities');
  // A preview still writing its items answers the first page of its own order from its top rows; anything else waits for all.
  const written = lazyItemsWritten(db, runsOrIds);
  if (!answeredByTopRows(args, first)) await written();
  const runs = await queryRuns(db, runsOrIds, f.firedRule != null);
  const query = worklistQuerySql(runs, f, order, args.direction);
  const after = args.after ? cursorKey(args.after, query.cursorList, query.sort) : null;
  const page = itemPageSql(query, after, first);
  const read = options.planned === 'each time' ? <T>(text: string, values: unknown[]) => db.dataSource.query<T[]>(text, values) : db.read;
  const rows: ItemRow[] = first === 0 || !runs.length ? [] : await read<ItemRow>(page.text, page.values);
  return {
    ...pageOf(
      rows,
      first,
      (row) =>
        encodeCursor(
          query.cursorList,
          query.sort.map((s) => s.of(row)),
        ),
      itemView,
    ),
    count: () => written().then(() => countItems(db, query.filter)),
    summary: () => written().then(() => summariseItems(db, query.filter)),
  };
}

/** Waits, once, for the items of the runs given by id or still writing them (worklist-deferred-items). */
function lazyItemsWritten(db: Database, runsOrIds: ReadonlyArray<QueryRun | string>): () => Promise<void> {
  const ids = runsOrIds.flatMap((r) => (typeof r === 'string' ? [r] : isWritingItems(r) ? [r.id] : []));
  let waited: Promise<void> | undefined;
  return () => (waited ??= ids.length ? itemsWritten(db, ids) : Promise.resolve());
}

const isWritingItems = (run: QueryRun): boolean => {
  const row = run as Partial<RunRow>;
  return row.status === 'RUNNING' && row.progress_phase === WRITING_ITEMS;
};

/** A first page of the list in its own order, unfiltered, that the top rows a deferred preview wrote first hold (with the row that says whether a next page exists). */
function answeredByTopRows(args: Omit<WorklistPageArgs, 'segment' | 'runId'>, first: number): boolean {
  const unfiltered = Object.values(args.filter ?? {}).every((v) => v === undefined || v === null);
  return !args.after && unfiltered && (args.orderBy ?? WorklistOrder.WORKLIST) === WorklistOrder.WORKLIST && !args.direction && first + 1 < TOP_ITEMS;
}

/** The runs as the query needs them; given by id, their rule lists are read only for a fired-rule filter. */
async function queryRuns(db: Database, runs: ReadonlyArray<QueryRun | string>, withRules: boolean): Promise<QueryRun[]> {
  const ids = runs.filter((r): r is string => typeof r === 'string');
  if (!ids.length) return runs as QueryRun[];
  const rules = new Map<string, QueryRun['rules']>();
  if (withRules) {
    const rows = await db.read<QueryRun>(`SELECT id::text AS id, rules FROM worklist_runs WHERE id = ANY($1::bigint[])`, [ids]);
    for (const row of rows) rules.set(row.id, row.rules);
  }
  return runs.map((r) => (typeof r === 'string' ? { id: r, rules: rules.get(r) ?? null } : r));
}

/** The key a cursor carries, each part fit for its column's cast (names are text, the rest numbers). */
function cursorKey(cursor: string, list: string, sort: Array<{ cast: string }>): CursorKey {
  const key = decodeCursor(cursor, list, sort.length, 'after', true);
  const fits = key.every((v, i) => sort[i]!.cast === 'text' || typeof v === 'number' || /^-?\d{1,30}(\.\d{1,10})?$/.test(v));
  if (!fits) throw new BadUserInputError('after is not a cursor of this list and order', 'after');
  return key;
}

/** A run by id, or a segment's live run (null when it has none). */
export async function worklistRunOf(ctx: RequestContext, id?: string | null, segment?: string | null): Promise<WorklistRun | null> {
  if (!id && !segment) throw new BadUserInputError('Give a run id or a segment', 'id');
  const [run] = await runsOf(ctx, id ? null : segment, id ?? null);
  return run ? runView(run) : null;
}

/** The items of a run not completed yet, per specialist (null: without one), as they are now. */
export async function loadsOf(ctx: RequestContext, runId: string): Promise<SpecialistLoad[]> {
  await itemsWritten(ctx.db, [runId]);
  return ctx.db.read<SpecialistLoad>(LOADS_SQL, [runId]);
}

// ---- single items -------------------------------------------------------------------------

/** A partner's item on a run (default: the live run of the partner's segment), or null when not on it. */
export async function worklistItemOf(ctx: RequestContext, partnerId: string, runId?: string | null): Promise<WorklistItem | null> {
  await partnerInReach(ctx, partnerId);
  if (runId === undefined || runId === null) {
    const row = await ctx.loaders.liveItem.load(partnerId);
    return row ? itemView(row) : null;
  }
  const row = await itemRow(ctx.db, runId, partnerId);
  if (row && ownSpecialist(ctx) !== null && row.specialist_id !== ownSpecialist(ctx)) throw new DomainError('FORBIDDEN', 'Not your worklist item');
  return row ? itemView(row) : null;
}

export async function itemRow(db: Database, runId: string, partnerId: string): Promise<ItemRow | null> {
  parseId(runId, 'Worklist run');
  await itemsWritten(db, [runId]);
  const [row] = await db.read<ItemRow>(ITEM_OF_RUN_SQL, [runId, partnerId]);
  return row ?? null;
}

/**
 * The partner's live item after a write's transaction committed (the request's loader may hold
 * the old one). Given the write's re-valuation, null when it left the partner off the list.
 */
export async function liveItemAfter(ctx: RequestContext, partnerId: string, revaluation?: Revaluation | null): Promise<WorklistItem | null> {
  if (revaluation !== undefined && !revaluation?.onList) return null;
  ctx.loaders.liveItem.clear(partnerId);
  const row = await ctx.loaders.liveItem.load(partnerId);
  return row ? itemView(row) : null;
}

/** The run an item is on. */
export async function itemRun(ctx: RequestContext, item: WorklistItem): Promise<WorklistRun> {
  return runView((await ctx.loaders.run.load(item.runId))!);
}

/** The strategy currency of the item's run (the currency of its amounts). */
export async function itemCurrency(ctx: RequestContext, item: WorklistItem): Promise<string | null> {
  return (await ctx.loaders.run.load(item.runId))?.currency ?? null;
}

/** The item's fired condition rules with their points. */
export async function itemFiredRules(ctx: RequestContext, item: WorklistItem): Promise<FiredRule[]> {
  return firedRulesOf(await ctx.loaders.run.load(item.runId), item.row.fired);
}

/** The item's open amount per ageing bucket of its run's strategy. */
export async function itemAging(ctx: RequestContext, item: WorklistItem): Promise<AgingAmount[]> {
  return agingOf(await ctx.loaders.run.load(item.runId), item.row.aging);
}

/** A partner an item (or a comparison's move) is about. */
export async function partnerOf(ctx: RequestContext, partnerId: string): Promise<Partner> {
  return partnerView((await ctx.loaders.partner.load(partnerId))!);
}

/** A specialist by id; null for no id. */
export async function specialistOf(ctx: RequestContext, specialistId: string | null | undefined): Promise<Specialist | null> {
  const row = specialistId ? await ctx.loaders.specialist.load(specialistId) : null;
  return row ? specialistView(row) : null;
}

// ---- explanation --------------------------------------------------------------------------

/**
 * The explanation of an item at its run's key date with its strategy version, or the unsaved
 * document a preview ran; null once a preview's items (and document) are dropped.
 */
export async function explainItem(ctx: RequestContext, item: WorklistItem): Promise<ScoreExplanation | null> {
  const { runId, partnerId } = item;
  const run = await ctx.loaders.run.load(runId);
  if (!run) return null;
  if (!run.strategy_version_id) {
    const [unsaved]: Array<{ document: unknown }> = await ctx.db.dataSource.query(RUN_DOCUMENT_SQL, [runId]);
    if (!unsaved?.document) return null;
    return explainPartner(ctx, preparedDocument(unsaved.document), run.as_of, partnerId, null);
  }
  // A challenger-arm item was scored with the experiment's challenger version.
  const experiment = item.arm === 'CHALLENGER' && run.experiment_id ? await experimentForRun(ctx.db.dataSource, run.experiment_id) : null;
  const versionId = experiment?.challengerVersionId ?? run.strategy_version_id;
  const stored = await ctx.loaders.strategyDocument.load(versionId);
  if (!stored) return null;
  return explainPartner(ctx, preparedDocument(stored), run.as_of, partnerId, versionId);
}

/**
 * json-rules-engine's account of one partner's score at a key date (explainSync: the engine's own
 * answer, computed without it): the partner's facts
 * (partnerFacts: the maintained facts, or the mirror's when the partner has events after D, read
 * with the other facts the request asks for; numbers as the engine compares them) and every rule.
 */
export async function explainPartner(
  ctx: RequestContext,
  prepared: PreparedDocument,
  asOf: string,
  partnerId: string,
  versionId: string | null,
): Promise<ScoreExplanation> {
  const { document, keys } = prepared;
  const raw = await partnerFacts(ctx, { partnerId, currency: document.currency, asOf, keys });
  const row: Record<string, unknown> = {};
  const facts: Record<string, unknown> = {};
  for (const k of keys) {
    const v = raw[k.column];
    row[k.column] = v === null || v === undefined ? undefined : k.type === 'number' ? Number(v) : v;
    facts[k.key] = row[k.column] ?? null;
  }
  const result = explainSync(document, row);
  return {
    asOf,
    strategyVersionId: versionId,
    valuation: result.score.valuation,
    percent: result.score.percent.toFixed(2),
    priority: result.score.priority,
    excluded: result.score.excluded,
    exits: result.score.exits,
    rules: result.rules.map((r) => ({ index: r.index, name: r.name, role: r.role, points: r.points, fired: r.fired, conditions: r.conditions })),
    facts,
  };
}

// ---- helpers ------------------------------------------------------------------------------

/** The runs a page reads: the given run, the segment's live run, or every segment's live run. */
async function runsOf(ctx: RequestContext, segment?: string | null, runId?: string | null): Promise<RunRow[]> {
  let rows: RunRow[];
  if (runId !== undefined && runId !== null) {
    parseId(runId, 'Worklist run');
    rows = await ctx.db.read<RunRow>(RUN_BY_ID_SQL, [runId, segment ?? null]);
    if (!rows.length) throw new NotFoundError('Worklist run', runId);
  } else if (segment !== undefined && segment !== null) {
    rows = await ctx.db.read<RunRow>(SEGMENT_LIVE_RUN_SQL, [segment]);
    if (!rows.length) throw new NotFoundError('Segment', segment);
    rows = rows.filter((r) => r.id !== null);
  } else {
    rows = await ctx.db.read<RunRow>(LIVE_RUNS_SQL);
  }
  for (const run of rows) {
    ctx.loaders.run.prime(run.id, run);
    if (run.items_dropped_at) throw new NotFoundError('Items of worklist run', run.id);
  }
  return rows;
}

async function countItems(db: Database, filter: ItemFilterSql): Promise<number> {
  const count = itemCountSql(filter);
  const [row] = await db.dataSource.query(count.text, count.values);
  return row.n;
}

async function summariseItems(db: Database, filter: ItemFilterSql): Promise<WorklistSummary> {
  const summary = itemSummarySql(filter);
  const rows: Array<{ currency: string; count: number; completed: number; amount: string }> = await db.dataSource.query(summary.text, summary.values);
  return {
    count: rows.reduce((n, r) => n + r.count, 0),
    completed: rows.reduce((n, r) => n + r.completed, 0),
    amountsToBeCollected: rows.map((r) => ({ currency: r.currency, amount: r.amount })),
  };
}
