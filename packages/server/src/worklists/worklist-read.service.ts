/**
 * Reading worklists: pages of a run's items in worklist order (keyset pagination on the
 * indexes idx_worklist_items_order / idx_worklist_items_specialist), single items with their
 * score explanation.
 */
import { agingBuckets, assertValidStrategy, explain, factKeysOf, factRowsSql, type StrategyDocument } from '@recoup/rules';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { ownSpecialist, partnerInReach } from '../graphql/access';
import { DomainError, NotFoundError } from '../graphql/errors';
import { decodeCursor, encodeCursor, pageSize } from '../graphql/paging';
import { parseId, parseIdInput } from '../graphql/scalars';
import { ITEM_SELECT, RUN_COLUMNS, type ItemRow, type RunRow } from '../graphql/loaders';
import { reassignWorklistItem } from './worklist-assignment.service';
import type { Revaluation } from './worklist-revaluation.service';
import { runWorklist } from './worklist-run.service';
import {
  itemView, WorklistOrder, type AgingAmount, type FiredRule, type ScoreExplanation, type WorklistFilter, type WorklistItem,
  type SpecialistLoad, type WorklistItemConnection, type WorklistRun,
} from './worklist.types';

// ---- cursors ------------------------------------------------------------------------------

interface SortColumn { column: string; desc: boolean; cast: string; of: (row: ItemRow) => string | number }

const SORTS: Record<WorklistOrder, SortColumn[]> = {
  [WorklistOrder.WORKLIST]: [
    { column: 'w.priority', desc: false, cast: 'smallint', of: (r) => r.priority },
    { column: 'w.valuation', desc: true, cast: 'integer', of: (r) => r.valuation },
    { column: 'w.amount_to_be_collected', desc: true, cast: 'numeric', of: (r) => r.amount_to_be_collected },
    { column: 'w.partner_id', desc: false, cast: 'bigint', of: (r) => r.partner_id },
  ],
  [WorklistOrder.AMOUNT_TO_BE_COLLECTED]: [
    { column: 'w.amount_to_be_collected', desc: true, cast: 'numeric', of: (r) => r.amount_to_be_collected },
    { column: 'w.partner_id', desc: false, cast: 'bigint', of: (r) => r.partner_id },
  ],
  [WorklistOrder.AMOUNT_OVERDUE]: [
    { column: 'w.amount_overdue', desc: true, cast: 'numeric', of: (r) => r.amount_overdue },
    { column: 'w.partner_id', desc: false, cast: 'bigint', of: (r) => r.partner_id },
  ],
  [WorklistOrder.PARTNER]: [{ column: 'w.partner_id', desc: false, cast: 'bigint', of: (r) => r.partner_id }],
};

/**
 * Rows after the cursor in the sort order: (a > x) OR (a = x AND b < y) OR ... for mixed
 * directions; the leading column also bounds the index scan by itself.
 */
function keysetSql(sort: SortColumn[], key: Array<string | number>, param: (v: unknown, cast: string) => string): string {
  const values = sort.map((s, i) => param(key[i], s.cast));
  const arms = sort.map((s, i) => [
    ...sort.slice(0, i).map((p, j) => `${p.column} = ${values[j]}`),
    `${s.column} ${s.desc ? '<' : '>'} ${values[i]}`,
  ].join(' AND '));
  return `(${sort[0]!.column} ${sort[0]!.desc ? '<=' : '>='} ${values[0]}) AND ((${arms.join(') OR (')}))`;
}

// ---- pages --------------------------------------------------------------------------------

export interface WorklistPageArgs {
  segment?: string | null;
  runId?: string | null;
  filter?: WorklistFilter | null;
  orderBy?: WorklistOrder | null;
  first?: number | null;
  after?: string | null;
}

/** The runs a page reads: the given run, the segment's live run, or every segment's live run. */
export async function runsOf(ctx: RequestContext, segment?: string | null, runId?: string | null): Promise<RunRow[]> {
  let rows: RunRow[];
  if (runId !== undefined && runId !== null) {
    parseId(runId, 'Worklist run');
    rows = await ctx.db.read<RunRow>(`SELECT ${RUN_COLUMNS} FROM worklist_runs r WHERE r.id = $1 AND ($2::text IS NULL OR r.segment_key = $2)`, [runId, segment ?? null]);
    if (!rows.length) throw new NotFoundError('Worklist run', runId);
  } else if (segment !== undefined && segment !== null) {
    rows = await ctx.db.read<RunRow>(
      `SELECT ${RUN_COLUMNS}, s.key AS segment_found FROM collection_segments s LEFT JOIN worklist_runs r ON r.id = s.live_run_id WHERE s.key = $1`, [segment]);
    if (!rows.length) throw new NotFoundError('Segment', segment);
    rows = rows.filter((r) => r.id !== null);
  } else {
    rows = await ctx.db.read<RunRow>(`SELECT ${RUN_COLUMNS} FROM worklist_runs r WHERE r.id IN (SELECT live_run_id FROM collection_segments) ORDER BY r.id`);
  }
  for (const run of rows) {
    ctx.loaders.run.prime(run.id, run);
    if (run.items_dropped_at) throw new NotFoundError('Items of worklist run', run.id);
  }
  return rows;
}

/** A page of the worklist: the caller's reach applied (a SPECIALIST reads only their own items). */
export async function worklistPage(ctx: RequestContext, args: WorklistPageArgs): Promise<WorklistItemConnection> {

  const own = ownSpecialist(ctx);
  const filter = { ...(args.filter ?? {}) };
  if (own !== null) {
    if (filter.specialistId !== undefined && filter.specialistId !== null && filter.specialistId !== own) {
      throw new DomainError('FORBIDDEN', "A specialist reads only their own worklist");
    }
    if (filter.unassigned) throw new DomainError('FORBIDDEN', "A specialist reads only their own worklist");
    filter.specialistId = own;
  }
  const runs = await runsOf(ctx, args.segment, args.runId);
  return itemsPage(ctx.db, runs.map((r) => r.id), { ...args, filter });
}

/** Items of the given runs (access already decided by the caller). */
export async function itemsPage(db: Database, runIds: string[], args: Omit<WorklistPageArgs, 'segment' | 'runId'>): Promise<WorklistItemConnection> {
  const first = pageSize(args.first);
  const order = args.orderBy ?? WorklistOrder.WORKLIST;
  const sort = SORTS[order];
  const values: unknown[] = [runIds];
  const param = (v: unknown, cast: string) => `$${values.push(v)}::${cast}`;
  const where: string[] = ['w.run_id = ANY($1::bigint[])'];
  const f = args.filter ?? {};
  if (f.priorities?.length) where.push(`w.priority = ANY(${param(f.priorities, 'smallint[]')})`);
  if (f.specialistId !== undefined && f.specialistId !== null) {
    parseIdInput(f.specialistId, 'filter.specialistId');
    where.push(`w.specialist_id = ${param(f.specialistId, 'bigint')}`);
  }
  if (f.unassigned === true) where.push('w.specialist_id IS NULL');
  if (f.unassigned === false) where.push('w.specialist_id IS NOT NULL');
  if (f.completed === true) where.push('w.completed_at IS NOT NULL');
  if (f.completed === false) where.push('w.completed_at IS NULL');
  if (f.specialistOrigins?.length) where.push(`w.specialist_origin = ANY(${param(f.specialistOrigins, 'text[]')})`);
  if (f.minAmountToBeCollected !== undefined && f.minAmountToBeCollected !== null) where.push(`w.amount_to_be_collected >= ${param(f.minAmountToBeCollected, 'numeric')}`);
  if (f.minValuation !== undefined && f.minValuation !== null) where.push(`w.valuation >= ${param(f.minValuation, 'integer')}`);
  if (f.promised !== undefined && f.promised !== null) where.push(f.promised ? 'w.amount_promised > 0' : 'w.amount_promised = 0');
  if (f.disputed !== undefined && f.disputed !== null) where.push(f.disputed ? 'w.amount_disputed > 0' : 'w.amount_disputed = 0');
  if (f.group !== undefined && f.group !== null) {
    // The group the run dealt the partner in: its own, else the segment's default (first) group.
    where.push(`w.partner_id IN (SELECT p.id FROM partners p WHERE coalesce(p.collection_group_key,
      (SELECT min(g.key) FROM collection_groups g WHERE g.segment_key = p.segment)) = ${param(f.group, 'text')})`);
  }
  const filtered = [...where];
  const countValues = [...values];
  if (args.after) where.push(keysetSql(sort, decodeCursor(args.after, order, sort.length), param));
  const orderBy = sort.map((s) => `${s.column}${s.desc ? ' DESC' : ''}`).join(', ');
  // One run: its partition's index gives the order. Several (every live run): each run's first
  // rows in index order, merged; `run_id = ANY(...)` would sort all the filtered rows instead.
  const keys = sort.map((s, i) => `, ${s.column} AS _k${i}`).join('');
  const pageOf = (run: string) => `SELECT ${ITEM_SELECT}${keys} FROM worklist_items w WHERE w.run_id = ${run} AND ${where.slice(1).concat('true').join(' AND ')}
      ORDER BY ${orderBy} LIMIT ${first + 1}`;
  const text = runIds.length === 1 ? pageOf('$1::bigint')
    : `SELECT * FROM (${runIds.map((_, i) => `(${pageOf(`($1::bigint[])[${i + 1}]`)})`).join(' UNION ALL ')}) m
      ORDER BY ${sort.map((s, i) => `m._k${i}${s.desc ? ' DESC' : ''}`).join(', ')} LIMIT ${first + 1}`;
  const rows: ItemRow[] = first === 0 || !runIds.length ? [] : await db.read<ItemRow>(text, [runIds.length === 1 ? runIds[0] : runIds, ...values.slice(1)]);
  const page = rows.slice(0, first);
  const edges = page.map((row) => ({ cursor: encodeCursor(order, sort.map((s) => s.of(row))), node: itemView(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    count: async () => {
      const [row] = await db.dataSource.query(`SELECT count(*)::integer AS n FROM worklist_items w WHERE ${filtered.join(' AND ')}`, countValues);
      return row.n;
    },
    summary: async () => {
      // Per currency: the runs of several segments may value in different strategy currencies.
      const rows: Array<{ currency: string; count: number; completed: number; amount: string }> = await db.dataSource.query(
        `SELECT r.currency::text AS currency, count(*)::integer AS count, count(w.completed_at)::integer AS completed,
            coalesce(sum(w.amount_to_be_collected) FILTER (WHERE w.completed_at IS NULL), 0)::text AS amount
           FROM worklist_items w JOIN worklist_runs r ON r.id = w.run_id WHERE ${filtered.join(' AND ')}
          GROUP BY 1 ORDER BY 1`, countValues);
      return {
        count: rows.reduce((n, r) => n + r.count, 0),
        completed: rows.reduce((n, r) => n + r.completed, 0),
        amountsToBeCollected: rows.map((r) => ({ currency: r.currency, amount: r.amount })),
      };
    },
  };
}

/** The items of a run not completed yet, per specialist (null: without one), as they are now. */
export async function loadsOf(ctx: RequestContext, runId: string): Promise<SpecialistLoad[]> {

  return ctx.db.read<SpecialistLoad>(
    `SELECT w.specialist_id::text AS "specialistId", count(*)::integer AS count, sum(w.amount_to_be_collected)::text AS "amountToBeCollected"
       FROM worklist_items w WHERE w.run_id = $1 AND w.completed_at IS NULL GROUP BY w.specialist_id ORDER BY w.specialist_id NULLS LAST`,
    [runId]);
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
  const [row] = await db.read<ItemRow>(`SELECT ${ITEM_SELECT} FROM worklist_items w WHERE w.run_id = $1 AND w.partner_id = $2`, [runId, partnerId]);
  return row ?? null;
}

/** The fired condition rules of an item: its `fired` bits decoded with the run's rule list. */
export function firedRulesOf(run: RunRow | null, fired: string): FiredRule[] {
  const rules = run?.rules ?? [];
  const out: FiredRule[] = [];
  for (let i = 0; i < fired.length && i < rules.length; i++) if (fired[i] === '1') out.push({ name: rules[i]!.name, points: rules[i]!.points });
  return out;
}

export function agingOf(run: RunRow | null, aging: string[]): AgingAmount[] {
  const buckets = agingBuckets(run?.aging_limits ?? []);
  return aging.map((amount, i) => ({ label: buckets[i]?.label ?? `bucket ${i + 1}`, fromDays: buckets[i]?.from ?? null, toDays: buckets[i]?.to ?? null, amount }));
}

export function runView(run: RunRow): WorklistRun {
  return {
    id: run.id, segment: run.segment_key, asOf: run.as_of, mode: run.mode, status: run.status, live: run.live,
    strategyVersionId: run.strategy_version_id, currency: run.currency, partnersEvaluated: run.partners_evaluated,
    partnersOnList: run.partners_on_list, partnersExcluded: run.partners_excluded, error: run.error, rules: run.rules ?? [],
    amountToBeCollected: run.stats?.amountToBeCollected ?? null, byPriority: run.stats?.byPriority ?? [],
    bySpecialist: (run.stats?.bySpecialist ?? []).map((s) => ({ ...s, specialistId: s.specialistId === null ? null : String(s.specialistId) })),
  };
}

// ---- explanation --------------------------------------------------------------------------

/**
 * json-rules-engine's account of one partner's score at a key date: the partner's facts
 * (factRowsSql for the one partner, numbers parsed as the engine compares them) and every rule.
 */
export async function explainPartner(db: Database, document: StrategyDocument, asOf: string, partnerId: string, versionId: string | null): Promise<ScoreExplanation> {
  const keys = factKeysOf(document);
  const sql = factRowsSql(keys, { currency: document.currency, asOf, partnerIds: [partnerId] });
  const [raw] = await db.read(sql.text, sql.values);
  const row: Record<string, unknown> = {};
  const facts: Record<string, unknown> = {};
  for (const k of keys) {
    const v = raw?.[k.column];
    row[k.column] = v === null || v === undefined ? undefined : k.type === 'number' ? Number(v) : v;
    facts[k.key] = row[k.column] ?? null;
  }
  const result = await explain(document, row);
  return {
    asOf, strategyVersionId: versionId, valuation: result.score.valuation, percent: result.score.percent.toFixed(2),
    priority: result.score.priority, excluded: result.score.excluded, exits: result.score.exits,
    rules: result.rules.map((r) => ({ index: r.index, name: r.name, role: r.role, points: r.points, fired: r.fired, conditions: r.conditions })),
    facts,
  };
}

/**
 * The explanation of an item at its run's key date with its strategy version, or the unsaved
 * document a preview ran; null once a preview's items (and document) are dropped.
 */
export async function explainItem(ctx: RequestContext, runId: string, partnerId: string): Promise<ScoreExplanation | null> {
  const run = await ctx.loaders.run.load(runId);
  if (!run) return null;
  if (!run.strategy_version_id) {
    const [unsaved]: Array<{ document: unknown }> = await ctx.db.dataSource.query(`SELECT document FROM worklist_runs WHERE id = $1`, [runId]);
    if (!unsaved?.document) return null;
    return explainPartner(ctx.db, assertValidStrategy(unsaved.document), run.as_of, partnerId, null);
  }
  const stored = await ctx.loaders.strategyDocument.load(run.strategy_version_id);
  if (!stored) return null;
  return explainPartner(ctx.db, assertValidStrategy(stored), run.as_of, partnerId, run.strategy_version_id);
}

// ---- writes -------------------------------------------------------------------------------

export async function reassignItem(ctx: RequestContext, input: { partnerId: string; specialistId: string; runId?: string | null }): Promise<WorklistItem> {

  const result = await reassignWorklistItem(ctx.db, { partnerId: input.partnerId, specialistId: input.specialistId, runId: input.runId ?? undefined });
  const row = await itemRow(ctx.db, result.runId, result.partnerId);
  return itemView(row!);
}

/** A live run of the segment at the key date with its active strategy version; the segment switches to it. */
export async function generateLiveWorklist(ctx: RequestContext, segment: string, asOf: string): Promise<WorklistRun> {

  const result = await runWorklist(ctx.db, { segment, asOf, mode: 'LIVE' });
  const run = await ctx.loaders.run.load(result.runId);
  return runView(run!);
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
