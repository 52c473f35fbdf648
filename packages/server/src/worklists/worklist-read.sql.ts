/**
 * The SQL of reading worklists: pages of a run's items in worklist order (keyset pagination on
 * the order indexes of each run's table, worklist-distribution orderIndexes), their count and
 * summary, the runs a page reads, single items, loads. Every value is a parameter.
 */
import { BadUserInputError } from '../graphql/errors';
import type { CursorKey } from '../graphql/paging';
import { ITEM_SELECT, RUN_COLUMNS, type ItemRow, type RunRow } from '../graphql/loaders';
import { SortDirection, WorklistOrder, type WorklistFilter } from './worklist.types';

export interface SqlStatement {
  text: string;
  values: unknown[];
}

// ---- orders -------------------------------------------------------------------------------

export interface SortColumn {
  /** The SQL expression sorted on (over worklist_items `w`, partners `p`, specialists `sp`). */
  column: string;
  desc: boolean;
  cast: string;
  /** The row's value of the column: a part of the cursor. */
  of: (row: ItemRow) => string | number;
}

/** Sort keys the page reads besides the item's own columns. */
type SortRow = ItemRow & { _name?: string; _specialist?: string };

/**
 * Names compare lower-cased and bytewise (COLLATE "C"): the same order on every database and
 * locale, and a cursor part of bounded length. Days overdue sorts an unknown figure below any day.
 */
const NAME_KEY = `left(lower(p.name), 100) COLLATE "C"`;
const SPECIALIST_KEY = `left(lower(coalesce(sp.name, '')), 100) COLLATE "C"`;
const NO_DAYS = -1_000_000;
const PARTNER_ID: SortColumn = { column: 'w.partner_id', desc: false, cast: 'bigint', of: (r) => r.partner_id };

/** Each order in its natural direction; the last column (partner id) makes the key unique. */
const NATURAL: Record<WorklistOrder, SortColumn[]> = {
  [WorklistOrder.WORKLIST]: [
    { column: 'w.priority', desc: false, cast: 'smallint', of: (r) => r.priority },
    { column: 'w.valuation', desc: true, cast: 'integer', of: (r) => r.valuation },
    { column: 'w.amount_to_be_collected', desc: true, cast: 'numeric', of: (r) => r.amount_to_be_collected },
    PARTNER_ID,
  ],
  [WorklistOrder.AMOUNT_TO_BE_COLLECTED]: [
    { column: 'w.amount_to_be_collected', desc: true, cast: 'numeric', of: (r) => r.amount_to_be_collected },
    PARTNER_ID,
  ],
  [WorklistOrder.AMOUNT_OVERDUE]: [{ column: 'w.amount_overdue', desc: true, cast: 'numeric', of: (r) => r.amount_overdue }, PARTNER_ID],
  [WorklistOrder.PARTNER]: [PARTNER_ID],
  [WorklistOrder.PARTNER_NAME]: [{ column: NAME_KEY, desc: false, cast: 'text', of: (r) => (r as SortRow)._name ?? '' }, PARTNER_ID],
  [WorklistOrder.VALUATION]: [{ column: 'w.valuation', desc: true, cast: 'integer', of: (r) => r.valuation }, PARTNER_ID],
  [WorklistOrder.SPECIALIST]: [{ column: SPECIALIST_KEY, desc: false, cast: 'text', of: (r) => (r as SortRow)._specialist ?? '' }, PARTNER_ID],
  [WorklistOrder.DAYS_OVERDUE]: [
    { column: `coalesce(w.max_days_overdue, ${NO_DAYS})`, desc: true, cast: 'integer', of: (r) => r.max_days_overdue ?? NO_DAYS },
    PARTNER_ID,
  ],
};

/** The natural direction of an order (that of its leading column). */
export const naturalDirection = (order: WorklistOrder): SortDirection => (NATURAL[order][0]!.desc ? SortDirection.DESC : SortDirection.ASC);

/**
 * An order's columns in a direction: against the natural direction every column flips but the
 * partner id tie-break (unless it is the only column), so equal keys still read by partner id.
 */
function sortColumns(order: WorklistOrder, direction: SortDirection): SortColumn[] {
  const natural = NATURAL[order];
  if (direction === naturalDirection(order)) return natural;
  return natural.map((c, i) => (i === natural.length - 1 && natural.length > 1 ? c : { ...c, desc: !c.desc }));
}

// ---- filters and order: one function ------------------------------------------------------

/** A filter's conditions on worklist_items `w` and their parameters; $1 is the run ids. */
export interface ItemFilterSql {
  where: string[];
  values: unknown[];
}

/** What worklistQuerySql makes of a filter and an order: the conditions, the sort and the cursor's list name. */
export interface WorklistQuerySql {
  filter: ItemFilterSql;
  sort: SortColumn[];
  /** The name cursors of this order and direction carry (a cursor of another is refused). */
  cursorList: string;
}

/** The runs a query reads: id, the condition rules (bit order of `fired`). */
export type QueryRun = Pick<RunRow, 'id' | 'rules'>;

const MAX_DAYS = 36_500;

/**
 * The one translation of a WorklistFilter and an order into SQL (the page, its count and
 * summary, and the CSV export all read through it): validates the filter (BAD_USER_INPUT naming
 * `filter.<field>`), then parameterised conditions on `w` and the sort columns. Ids in the filter
 * are checked by the caller.
 */
export function worklistQuerySql(runs: QueryRun[], f: WorklistFilter, order: WorklistOrder, direction?: SortDirection | null): WorklistQuerySql {
  validateFilter(runs, f);
  const dir = direction ?? naturalDirection(order);
  return {
    filter: itemFilterSql(runs, f),
    sort: sortColumns(order, dir),
    cursorList: dir === naturalDirection(order) ? order : `${order}_${dir}`,
  };
}

function validateFilter(runs: QueryRun[], f: WorklistFilter): void {
  const { minAmountToBeCollected: minAmount, maxAmountToBeCollected: maxAmount, minDaysOverdue: minDays, maxDaysOverdue: maxDays } = f;
  for (const [field, v] of [
    ['minAmountToBeCollected', minAmount],
    ['maxAmountToBeCollected', maxAmount],
  ] as const) {
    if (v === undefined || v === null) continue;
    if (v.startsWith('-')) throw new BadUserInputError(`filter.${field} must not be negative`, `filter.${field}`);
    if (v.replace(/^0+/, '').split('.')[0]!.length > 15) throw new BadUserInputError(`filter.${field} is too large`, `filter.${field}`);
  }
  if (minAmount != null && maxAmount != null && compareDecimals(minAmount, maxAmount) > 0)
    throw new BadUserInputError('filter.maxAmountToBeCollected must not be below filter.minAmountToBeCollected', 'filter.maxAmountToBeCollected');
  for (const [field, v] of [
    ['minDaysOverdue', minDays],
    ['maxDaysOverdue', maxDays],
  ] as const) {
    if (v !== undefined && v !== null && (v < 0 || v > MAX_DAYS))
      throw new BadUserInputError(`filter.${field} must be between 0 and ${MAX_DAYS}`, `filter.${field}`);
  }
  if (minDays != null && maxDays != null && minDays > maxDays)
    throw new BadUserInputError('filter.maxDaysOverdue must not be below filter.minDaysOverdue', 'filter.maxDaysOverdue');
  for (const p of f.priorities ?? []) if (p < 0 || p > 32767) throw new BadUserInputError('filter.priorities are bands from 0 to 32767', 'filter.priorities');
  for (const field of ['search', 'firedRule', 'group'] as const) {
    const v = f[field];
    if (v !== undefined && v !== null && (v.includes('\0') || v.length > 200))
      throw new BadUserInputError(`filter.${field} must be at most 200 characters without NUL`, `filter.${field}`);
  }
  if (f.firedRule != null && !runs.some((r) => (r.rules ?? []).some((rule) => rule.name === f.firedRule)))
    throw new BadUserInputError(`No run of this list has a condition rule named ${JSON.stringify(f.firedRule)}`, 'filter.firedRule');
}

/** Compares two non-negative decimal strings exactly. */
function compareDecimals(a: string, b: string): number {
  const [ai = '', af = ''] = a.replace(/^0+(?=\d)/, '').split('.');
  const [bi = '', bf = ''] = b.replace(/^0+(?=\d)/, '').split('.');
  if (ai.length !== bi.length) return ai.length - bi.length;
  const width = Math.max(af.length, bf.length);
  const x = ai + af.padEnd(width, '0');
  const y = bi + bf.padEnd(width, '0');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Adds a parameter; its placeholder with the cast. */
const parameter = (values: unknown[]) => (v: unknown, cast: string) => `$${values.push(v)}::${cast}`;

/** LIKE pattern of a search text: its wildcards escaped, lower-cased (the trigram index is on lower(name), lower(external_id)). */
const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The conditions of a filter (validated, ids already checked) on the items of the runs. */
function itemFilterSql(runs: QueryRun[], f: WorklistFilter): ItemFilterSql {
  const values: unknown[] = [runs.map((r) => r.id)];
  const param = parameter(values);
  const where: string[] = ['w.run_id = ANY($1::bigint[])'];
  const given = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;
  if (f.priorities?.length) where.push(`w.priority = ANY(${param(f.priorities, 'smallint[]')})`);
  if (given(f.specialistId)) where.push(`w.specialist_id = ${param(f.specialistId, 'bigint')}`);
  if (f.unassigned === true) where.push('w.specialist_id IS NULL');
  if (f.unassigned === false) where.push('w.specialist_id IS NOT NULL');
  if (f.completed === true) where.push('w.completed_at IS NOT NULL');
  if (f.completed === false) where.push('w.completed_at IS NULL');
  if (f.specialistOrigins?.length) where.push(`w.specialist_origin = ANY(${param(f.specialistOrigins, 'text[]')})`);
  if (given(f.minAmountToBeCollected)) where.push(`w.amount_to_be_collected >= ${param(f.minAmountToBeCollected, 'numeric')}`);
  if (given(f.maxAmountToBeCollected)) where.push(`w.amount_to_be_collected <= ${param(f.maxAmountToBeCollected, 'numeric')}`);
  if (given(f.minDaysOverdue)) where.push(`w.max_days_overdue >= ${param(f.minDaysOverdue, 'integer')}`);
  if (given(f.maxDaysOverdue)) where.push(`w.max_days_overdue <= ${param(f.maxDaysOverdue, 'integer')}`);
  if (given(f.minValuation)) where.push(`w.valuation >= ${param(f.minValuation, 'integer')}`);
  if (given(f.promised)) where.push(f.promised ? 'w.amount_promised > 0' : 'w.amount_promised = 0');
  if (given(f.disputed)) where.push(f.disputed ? 'w.amount_disputed > 0' : 'w.amount_disputed = 0');
  if (given(f.group)) {
    // The group the run dealt the partner in: its own while active, else the segment's default (first active) group.
    where.push(`w.partner_id IN (SELECT p.id FROM partners p WHERE coalesce(
      (SELECT g.key FROM collection_groups g WHERE g.key = p.collection_group_key AND g.active),
      (SELECT min(g.key) FROM collection_groups g WHERE g.segment_key = p.segment AND g.active)) = ${param(f.group, 'text')})`);
  }
  if (given(f.firedRule)) where.push(firedRuleSql(runs, f.firedRule, param));
  if (given(f.worked)) where.push(`${f.worked ? '' : 'NOT '}(${WORKED_SQL})`);
  const search = f.search?.trim();
  if (search) {
    const pattern = param(containsPattern(search), 'text');
    where.push(`w.partner_id IN (SELECT p.id FROM partners p WHERE lower(p.name) LIKE ${pattern} OR lower(p.external_id) LIKE ${pattern})`);
  }
  return { where, values };
}

/** The rule's bit (1-based position in each run's rule list; runs without the rule match nothing). */
function firedRuleSql(runs: QueryRun[], name: string, param: (v: unknown, cast: string) => string): string {
  // Every position of the name: an experiment run lists the champion's rules then the challenger's, which may share names.
  const at = runs.flatMap((r) => (r.rules ?? []).flatMap((rule, i) => (rule.name === name ? [{ run: r.id, position: i + 1 }] : [])));
  return `EXISTS (SELECT 1 FROM unnest(${param(
    at.map((a) => a.run),
    'bigint[]',
  )}, ${param(
    at.map((a) => a.position),
    'integer[]',
  )}) AS bit(run_id, position) WHERE bit.run_id = w.run_id AND substring(w.fired FROM bit.position FOR 1) = B'1')`;
}

/**
 * Worked: the item is completed, or since the day its run was created the partner had a contact,
 * a promise, a dispute or a resubmission recorded (contacts, promises and disputes carry dates).
 */
const WORKED_SQL = `w.completed_at IS NOT NULL OR EXISTS (SELECT 1 FROM worklist_runs r WHERE r.id = w.run_id AND (
    EXISTS (SELECT 1 FROM contacts c WHERE c.partner_id = w.partner_id AND c.contact_date >= r.started_at::date)
    OR EXISTS (SELECT 1 FROM promises q WHERE q.partner_id = w.partner_id AND q.created_date >= r.started_at::date)
    OR EXISTS (SELECT 1 FROM disputes d WHERE d.partner_id = w.partner_id AND d.created_date >= r.started_at::date)
    OR EXISTS (SELECT 1 FROM resubmissions x WHERE x.partner_id = w.partner_id AND x.created_at >= r.started_at)))`;

/**
 * The `first + 1` filtered items after the cursor key (if any) in the sort order. One run: its
 * partition's index gives the worklist order. Several (every live run): each run's first rows in
 * order, merged; `run_id = ANY(...)` would sort all the filtered rows instead. Orders on names
 * join the partner (p) or specialist (sp) and carry the key as _name / _specialist.
 */
export function itemPageSql(query: WorklistQuerySql, after: CursorKey | null, first: number): SqlStatement {
  const { filter, sort } = query;
  const runIds = filter.values[0] as string[];
  const values = [...filter.values];
  const where = [...filter.where];
  if (after) where.push(keysetSql(sort, after, parameter(values)));
  const orderBy = sort.map((s) => `${s.column}${s.desc ? ' DESC' : ''}`).join(', ');
  const keys = sort.map((s, i) => `, ${s.column} AS _k${i}`).join('');
  const uses = (alias: string) => sort.some((s) => s.column.includes(`${alias}.`));
  const joins = `${uses('p') ? ' JOIN partners p ON p.id = w.partner_id' : ''}${uses('sp') ? ' LEFT JOIN specialists sp ON sp.id = w.specialist_id' : ''}`;
  const named = `${uses('p') ? `, ${NAME_KEY} AS _name` : ''}${uses('sp') ? `, ${SPECIALIST_KEY} AS _specialist` : ''}`;
  const runPage = (
    run: string,
  ) => `SELECT ${ITEM_SELECT}${named}${keys} FROM worklist_items w${joins} WHERE w.run_id = ${run} AND ${where.slice(1).concat('true').join(' AND ')}
      ORDER BY ${orderBy} LIMIT ${first + 1}`;
  const merged = sort.map((s, i) => `m._k${i}${s.cast === 'text' ? ' COLLATE "C"' : ''}${s.desc ? ' DESC' : ''}`).join(', ');
  const text =
    runIds.length === 1
      ? runPage('$1::bigint')
      : `SELECT * FROM (${runIds.map((_, i) => `(${runPage(`($1::bigint[])[${i + 1}]`)})`).join(' UNION ALL ')}) m
      ORDER BY ${merged} LIMIT ${first + 1}`;
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
