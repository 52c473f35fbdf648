import { CSV_FILES, type CsvColumnType, type CsvFileSpec, type CsvTable } from './csv-contract';

/** How one CSV file lands in its table: staged as typed columns, checked, then upserted. */
export interface TableMerge {
  table: CsvTable;
  target: string;
  /** Conflict target of the upsert (the natural key). */
  conflict: string[];
  /** The CSV column holding the natural id, for duplicate diagnostics. */
  idColumn: string | null;
  /** Target column <- SQL expression over the staged row `s`, partner `p`, item `i`. */
  columns: Array<[string, string]>;
  partnerRef: boolean;
  itemRef: boolean;
  /** The file's columns when its header brings optional ones (else the contract's, `CSV_FILES`). */
  spec?: CsvFileSpec;
  /** More relations the column expressions read (LEFT JOINs, so that no staged row is lost). */
  joins?: readonly string[];
  /** Optional columns naming organisation keys, checked on the staged rows before the upsert. */
  assignments?: readonly string[];
  /**
   * A history file's parent (a dispute or an item, by its external id), joined as `r`: a row
   * naming none is a bad row; the row's partner is the parent's.
   */
  parentRef?: ParentRef;
  /** The natural key over the staged row, when the conflict columns are not plain cells (a parent's id). */
  stageKey?: readonly string[];
}

export interface ParentRef {
  /** The staged column naming the parent's external id. */
  column: string;
  target: 'disputes' | 'open_items';
  /** How the message names the parent and the file it may come from. */
  noun: string;
  file: string;
}

/** The columns a merge's file is read and staged with. */
export function fileSpec(merge: TableMerge): CsvFileSpec {
  return merge.spec ?? CSV_FILES[merge.table];
}

export const STAGE_TYPES: Record<CsvColumnType, string> = {
  id: 'text',
  text: 'text',
  currency: 'text',
  country: 'text',
  date: 'date',
  amount: 'numeric',
  rate: 'numeric',
  integer: 'smallint',
  boolean: 'boolean',
};

export const TABLE_MERGES: Record<CsvTable, TableMerge> = {
  partners: {
    table: 'partners',
    target: 'partners',
    conflict: ['external_id'],
    idColumn: 'partner_id',
    columns: [
      ['external_id', 's.partner_id'],
      ['name', 's.name'],
      ['country', 's.country'],
      ['currency', 's.currency'],
      ['risk_class', 's.risk_class'],
      ['credit_limit', 's.credit_limit'],
      ['customer_type', 's.customer_type'],
      ['segment', 's.segment'],
    ],
    partnerRef: false,
    itemRef: false,
  },
  open_items: {
    table: 'open_items',
    target: 'open_items',
    conflict: ['external_id'],
    idColumn: 'item_id',
    columns: [
      ['external_id', 's.item_id'],
      ['partner_id', 'p.id'],
      ['company_code', 's.company_code'],
      ['document_date', 's.document_date'],
      ['due_date', 's.due_date'],
      ['amount', 's.amount'],
      ['open_amount', 's.open_amount'],
      ['currency', 's.currency'],
      ['dunning_level', 'coalesce(s.dunning_level, 0)'],
      ['dunning_block', 'coalesce(s.dunning_block, false)'],
      ['profit_center', 's.profit_center'],
    ],
    partnerRef: true,
    itemRef: false,
  },
  payments: {
    table: 'payments',
    target: 'payments',
    conflict: ['external_id'],
    idColumn: 'payment_id',
    columns: [
      ['external_id', 's.payment_id'],
      ['partner_id', 'p.id'],
      ['item_id', 'i.id'],
      ['payment_date', 's.payment_date'],
      ['amount', 's.amount'],
      ['currency', 's.currency'],
    ],
    partnerRef: true,
    itemRef: true,
  },
  promises: {
    table: 'promises',
    target: 'promises',
    conflict: ['external_id'],
    idColumn: 'promise_id',
    columns: [
      ['external_id', 's.promise_id'],
      ['partner_id', 'p.id'],
      ['item_id', 'i.id'],
      ['created_date', 's.created_date'],
      ['promised_date', 's.promised_date'],
      ['amount', 's.amount'],
      ['currency', 's.currency'],
      ['cancelled', 'coalesce(s.cancelled, false)'],
    ],
    partnerRef: true,
    itemRef: true,
  },
  disputes: {
    table: 'disputes',
    target: 'disputes',
    conflict: ['external_id'],
    idColumn: 'dispute_id',
    columns: [
      ['external_id', 's.dispute_id'],
      ['partner_id', 'p.id'],
      ['item_id', 'i.id'],
      ['created_date', 's.created_date'],
      ['disputed_amount', 's.disputed_amount'],
      ['currency', 's.currency'],
      ['status', 's.status'],
      ['reason', 's.reason'],
    ],
    partnerRef: true,
    itemRef: true,
  },
  contacts: {
    table: 'contacts',
    target: 'contacts',
    conflict: ['external_id'],
    idColumn: 'contact_id',
    columns: [
      ['external_id', 's.contact_id'],
      ['partner_id', 'p.id'],
      ['contact_date', 's.contact_date'],
      ['channel', 's.channel'],
      ['direction', 's.direction'],
      ['reached', 's.reached'],
      ['result', 's.result'],
    ],
    partnerRef: true,
    itemRef: false,
  },
  dispute_history: {
    table: 'dispute_history',
    target: 'dispute_status_changes',
    conflict: ['dispute_id', 'changed_on'],
    idColumn: 'dispute_id',
    columns: [
      ['dispute_id', 'r.id'],
      ['changed_on', 's.changed_on'],
      ['partner_id', 'r.partner_id'],
      ['status', 's.status'],
    ],
    partnerRef: false,
    itemRef: false,
    parentRef: { column: 'dispute_id', target: 'disputes', noun: 'dispute', file: 'disputes.csv' },
    stageKey: ['s.dispute_id', 's.changed_on'],
  },
  dunning_history: {
    table: 'dunning_history',
    target: 'dunning_level_changes',
    conflict: ['item_id', 'dunned_on'],
    idColumn: 'item_id',
    columns: [
      ['item_id', 'r.id'],
      ['dunned_on', 's.dunned_on'],
      ['partner_id', 'r.partner_id'],
      ['level', 's.level'],
    ],
    partnerRef: false,
    itemRef: false,
    parentRef: { column: 'item_id', target: 'open_items', noun: 'item', file: 'open_items.csv' },
    stageKey: ['s.item_id', 's.dunned_on'],
  },
  fx_rates: {
    table: 'fx_rates',
    target: 'fx_rates',
    conflict: ['from_currency', 'to_currency', 'rate_date'],
    idColumn: null,
    columns: [
      ['from_currency', 's.from_currency'],
      ['to_currency', 's.to_currency'],
      ['rate_date', 's.rate_date'],
      ['rate', 's.rate'],
    ],
    partnerRef: false,
    itemRef: false,
  },
};

export function stageTableName(table: CsvTable): string {
  return `stage_${table}`;
}

export function stageTableDdl(merge: TableMerge): string {
  const columns = fileSpec(merge).columns.map((c) => `"${c.name}" ${STAGE_TYPES[c.type]}`);
  return `CREATE TEMP TABLE ${stageTableName(merge.table)} (line integer NOT NULL, ${columns.join(', ')}) ON COMMIT DROP`;
}

function sourceSql(merge: TableMerge): string {
  const from = [`${stageTableName(merge.table)} s`];
  if (merge.partnerRef) from.push('JOIN partners p ON p.external_id = s.partner_id');
  if (merge.itemRef) from.push('LEFT JOIN open_items i ON i.external_id = s.item_id');
  if (merge.parentRef) from.push(`JOIN ${merge.parentRef.target} r ON r.external_id = s.${merge.parentRef.column}`);
  from.push(...(merge.joins ?? []));
  return `SELECT ${merge.columns.map(([c, e]) => `${e} AS ${c}`).join(', ')} FROM ${from.join(' ')}`;
}

const keyMatch = (merge: TableMerge): string => merge.conflict.map((c) => `t.${c} = x.${c}`).join(' AND ');

/**
 * Upsert in one statement: each staged row is looked up in the target once (a materialised
 * classification: new, changed or unchanged), then what changed is updated and what is new is
 * inserted. Rows that did not change are not rewritten, so a daily re-import of the whole
 * mirror writes only the delta, and a re-import where nothing changed writes nothing and probes
 * no index. Imports are serialised by a lock; duplicates within the file are refused before
 * this runs. The insert keeps ON CONFLICT DO NOTHING as a guard. Returns `updated`, `inserted`
 * and `matched`: the staged rows whose partner was found (fewer than staged: a bad reference).
 */
export function mergeSql(merge: TableMerge): string {
  const targets = merge.columns.map(([c]) => c);
  const updatable = targets.filter((c) => !merge.conflict.includes(c));
  const joinKey = merge.conflict.map((c) => `t.${c} = src.${c}`).join(' AND ');
  return `WITH x AS MATERIALIZED (
      SELECT src.*, t.${merge.conflict[0]} IS NOT NULL AS found,
             (${updatable.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${updatable.map((c) => `src.${c}`).join(', ')}) AS changed
        FROM (${sourceSql(merge)}) src LEFT JOIN ${merge.target} t ON ${joinKey}
    ), upd AS (
      UPDATE ${merge.target} t SET ${updatable.map((c) => `${c} = x.${c}`).join(', ')}
        FROM x WHERE x.found AND x.changed AND ${keyMatch(merge)}
      RETURNING 1
    ), ins AS (
      INSERT INTO ${merge.target} (${targets.join(', ')})
      SELECT ${targets.map((c) => `x.${c}`).join(', ')} FROM x WHERE NOT x.found
      ON CONFLICT (${merge.conflict.join(', ')}) DO NOTHING
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM upd)::integer AS updated, (SELECT count(*) FROM ins)::integer AS inserted, (SELECT count(*) FROM x)::integer AS matched`;
}

/**
 * Every row into an empty table. ON CONFLICT rather than an anti-join: the planner may pick a
 * nested-loop anti-join against a freshly analysed empty table, which rescans the rows being
 * inserted and turns a bulk load quadratic. Duplicates within the file are refused before this runs.
 */
export function insertNewSql(merge: TableMerge): string {
  const targets = merge.columns.map(([c]) => c);
  return `INSERT INTO ${merge.target} (${targets.join(', ')})
    SELECT ${targets.map((c) => `x.${c}`).join(', ')} FROM (${sourceSql(merge)}) x
    ON CONFLICT (${merge.conflict.join(', ')}) DO NOTHING`;
}

/** The natural key as expressions over the staged row alone. */
function stageKeys(merge: TableMerge): readonly string[] {
  return merge.stageKey ?? merge.conflict.map((c) => merge.columns.find(([t]) => t === c)![1]);
}

/** A key that appears twice among the staged rows, with the line of each. */
export function duplicateKeySql(merge: TableMerge): string {
  const keys = stageKeys(merge);
  return `SELECT line, first, ${keys.map((k, i) => `k${i}`).join(', ')} FROM (
      SELECT line, ${keys.map((k, i) => `${k}::text AS k${i}`).join(', ')}, min(line) OVER (PARTITION BY ${keys.join(', ')}) AS first
        FROM ${stageTableName(merge.table)} s
    ) d WHERE line > first ORDER BY line LIMIT 1`;
}

export function hasDuplicateKeySql(merge: TableMerge): string {
  const keys = stageKeys(merge);
  return `SELECT 1 FROM ${stageTableName(merge.table)} s GROUP BY ${keys.join(', ')} HAVING count(*) > 1 LIMIT 1`;
}

/** Where a target column's value comes from when a file is copied straight into its empty table. */
export type DirectColumn = { target: string; kind: 'cell'; column: string; fallback: string | null } | { target: string; kind: 'partner' };

/**
 * The merge's column expressions read as "copy this cell (or a constant when empty)" or "the
 * partner's id", or null when the table needs something else (an item reference): only the
 * former can skip staging. Reads the same expressions the SQL merge runs, so the two agree. A file
 * with assignment columns stages: their checks name lines of staged rows.
 */
export function directColumns(merge: TableMerge): DirectColumn[] | null {
  if (merge.assignments?.length || merge.parentRef) return null;
  const columns: DirectColumn[] = [];
  for (const [target, expression] of merge.columns) {
    const cell = /^s\.(\w+)$/.exec(expression);
    const withDefault = /^coalesce\(s\.(\w+), (\d+|true|false)\)$/.exec(expression);
    if (cell) columns.push({ target, kind: 'cell', column: cell[1]!, fallback: null });
    else if (withDefault) columns.push({ target, kind: 'cell', column: withDefault[1]!, fallback: withDefault[2]! });
    else if (expression === 'p.id' && merge.partnerRef) columns.push({ target, kind: 'partner' });
    else return null;
  }
  return merge.itemRef ? null : columns;
}
