/**
 * The SQL of reading worklists: pages of a run's items in worklist order (keyset pagination on
 * the indexes idx_worklist_items_order / idx_worklist_items_specialist), their count and
 * summary, the runs a page reads, single items, loads. Every value is a parameter.
 */
import type { CursorKey } from '../graphql/paging';
import { ITEM_SELECT, RUN_COLUMNS, type ItemRow } from '../graphql/loaders';
import { WorklistOrder, type WorklistFilter } from './worklist.types';

export interface SqlStatement {
  text: string;
  values: unknown[];
}

// ---- orders -------------------------------------------------------------------------------

export interface SortColumn {
  column: string;
  desc: boolean;
  cast: string;
  /** The row's value of the column: a part of the cursor. */
  of: (row: ItemRow) => string | number;
}

export const SORTS: Record<WorklistOrder, SortColumn[]> = {
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

// ---- pages --------------------------------------------------------------------------------

/** A filter's conditions on worklist_items `w` and their parameters; $1 is the run ids. */
export interface ItemFilterSql {
  where: string[];
  values: unknown[];
}

/** Adds a parameter; its placeholder with the cast. */
const parameter = (values: unknown[]) => (v: unknown, cast: string) => `$${values.push(v)}::${cast}`;

/** The conditions of a filter (ids already checked) on the items of the runs. */
export function itemFilterSql(runIds: string[], f: WorklistFilter): ItemFilterSql {
  const values: unknown[] = [runIds];
  const param = parameter(values);
  const where: string[] = ['w.run_id = ANY($1::bigint[])'];
  if (f.priorities?.length) where.push(`w.priority = ANY(${param(f.priorities, 'smallint[]')})`);
  if (f.specialistId !== undefined && f.specialistId !== null) where.push(`w.specialist_id = ${param(f.specialistId, 'bigint')}`);
  if (f.unassigned === true) where.push('w.specialist_id IS NULL');
  if (f.unassigned === false) where.push('w.specialist_id IS NOT NULL');
  if (f.completed === true) where.push('w.completed_at IS NOT NULL');
  if (f.completed === false) where.push('w.completed_at IS NULL');
  if (f.specialistOrigins?.length) where.push(`w.specialist_origin = ANY(${param(f.specialistOrigins, 'text[]')})`);
  if (f.minAmountToBeCollected !== undefined && f.minAmountToBeCollected !== null)
    where.push(`w.amount_to_be_collected >= ${param(f.minAmountToBeCollected, 'numeric')}`);
  if (f.minValuation !== undefined && f.minValuation !== null) where.push(`w.valuation >= ${param(f.minValuation, 'integer')}`);
  if (f.promised !== undefined && f.promised !== null) where.push(f.promised ? 'w.amount_promised > 0' : 'w.amount_promised = 0');
  if (f.disputed !== undefined && f.disputed !== null) where.push(f.disputed ? 'w.amount_disputed > 0' : 'w.amount_disputed = 0');
  if (f.group !== undefined && f.group !== null) {
    // The group the run dealt the partner in: its own while active, else the segment's default (first active) group.
    where.push(`w.partner_id IN (SELECT p.id FROM partners p WHERE coalesce(
      (SELECT g.key FROM collection_groups g WHERE g.key = p.collection_group_key AND g.active),
      (SELECT min(g.key) FROM collection_groups g WHERE g.segment_key = p.segment AND g.active)) = ${param(f.group, 'text')})`);
  }
  return { where, values };
}

/**
 * The `first + 1` filtered items after the cursor key (if any) in the sort order. One run: its
 * partition's index gives the order. Several (every live run): each run's first rows in index
 * order, merged; `run_id = ANY(...)` would sort all the filtered rows instead.
 */
export function itemPageSql(runIds: string[], filter: ItemFilterSql, sort: SortColumn[], after: CursorKey | null, first: number): SqlStatement {
  const values = [...filter.values];
  const where = [...filter.where];
  if (after) where.push(keysetSql(sort, after, parameter(values)));
  const orderBy = sort.map((s) => `${s.column}${s.desc ? ' DESC' : ''}`).join(', ');
  const keys = sort.map((s, i) => `, ${s.column} AS _k${i}`).join('');
  const runPage = (
    run: string,
  ) => `SELECT ${ITEM_SELECT}${keys} FROM worklist_items w WHERE w.run_id = ${run} AND ${where.slice(1).concat('true').join(' AND ')}
      ORDER BY ${orderBy} LIMIT ${first + 1}`;
  const text =
    runIds.length === 1
      ? runPage('$1::bigint')
      : `SELECT * FROM (${runIds.map((_, i) => `(${runPage(`($1::bigint[])[${i + 1}]`)})`).join(' UNION ALL ')}) m
      ORDER BY ${sort.map((s, i) => `m._k${i}${s.desc ? ' DESC' : ''}`).join(', ')} LIMIT ${first + 1}`;
  return { text, values: [runIds.length === 1 ? runIds[0] : runIds, ...values.slice(1)] };
}

/**
 * Rows after the cursor in the sort order: (a > x) OR (a = x AND b < y) OR ... for mixed
 * directions; the leading column also bounds the index scan by itself.
 */
function keysetSql(sort: SortColumn[], key: CursorKey, param: (v: unknown, cast: string) => string): string {
  const values = sort.map((s, i) => param(key[i], s.cast));
  const arms = sort.map((s, i) =>
    [...sort.slice(0, i).map((p, j) => `${p.column} = ${values[j]}`), `${s.column} ${s.desc ? '<' : '>'} ${values[i]}`].join(' AND '),
  );
  return `(${sort[0]!.column} ${sort[0]!.desc ? '<=' : '>='} ${values[0]}) AND ((${arms.join(') OR (')}))`;
}

/** Items matching the filter: `n`. */
export function itemCountSql(filter: ItemFilterSql): SqlStatement {
  return { text: `SELECT count(*)::integer AS n FROM worklist_items w WHERE ${filter.where.join(' AND ')}`, values: filter.values };
}

/** Per strategy currency (the runs of several segments may value in different ones): items, completed, amount still to be collected. */
export function itemSummarySql(filter: ItemFilterSql): SqlStatement {
  return {
    text: `SELECT r.currency::text AS currency, count(*)::integer AS count, count(w.completed_at)::integer AS completed,
            coalesce(sum(w.amount_to_be_collected) FILTER (WHERE w.completed_at IS NULL), 0)::text AS amount
           FROM worklist_items w JOIN worklist_runs r ON r.id = w.run_id WHERE ${filter.where.join(' AND ')}
          GROUP BY 1 ORDER BY 1`,
    values: filter.values,
  };
}

// ---- runs, items, loads -------------------------------------------------------------------

/** A run by id ($1), within a segment ($2) when one is given. */
export const RUN_BY_ID_SQL = `SELECT ${RUN_COLUMNS} FROM worklist_runs r WHERE r.id = $1 AND ($2::text IS NULL OR r.segment_key = $2)`;

/** A segment ($1) and its live run: one row with a null id when it has none, no row for an unknown segment. */
export const SEGMENT_LIVE_RUN_SQL = `SELECT ${RUN_COLUMNS}, s.key AS segment_found FROM collection_segments s LEFT JOIN worklist_runs r ON r.id = s.live_run_id WHERE s.key = $1`;

/** Every segment's live run. */
export const LIVE_RUNS_SQL = `SELECT ${RUN_COLUMNS} FROM worklist_runs r WHERE r.id IN (SELECT live_run_id FROM collection_segments) ORDER BY r.id`;

/** A partner's ($2) item on a run ($1). */
export const ITEM_OF_RUN_SQL = `SELECT ${ITEM_SELECT} FROM worklist_items w WHERE w.run_id = $1 AND w.partner_id = $2`;

/** The unsaved document a preview run ($1) scored (null once its items are dropped). */
export const RUN_DOCUMENT_SQL = `SELECT document FROM worklist_runs WHERE id = $1`;

/** A run's ($1) items not completed, per specialist. */
export const LOADS_SQL = `SELECT w.specialist_id::text AS "specialistId", count(*)::integer AS count, sum(w.amount_to_be_collected)::text AS "amountToBeCollected"
       FROM worklist_items w WHERE w.run_id = $1 AND w.completed_at IS NULL GROUP BY w.specialist_id ORDER BY w.specialist_id NULLS LAST`;
