import { CSV_FILES, type CsvColumnType, type CsvTable } from './csv-contract';

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

export function stageTableDdl(table: CsvTable): string {
  const columns = CSV_FILES[table].columns.map((c) => `"${c.name}" ${STAGE_TYPES[c.type]}`);
  return `CREATE TEMP TABLE ${stageTableName(table)} (line integer NOT NULL, ${columns.join(', ')}) ON COMMIT DROP`;
}

/** The upsert; skips rows that did not change so a daily re-import of the whole mirror writes only the delta. */
export function mergeSql(merge: TableMerge): string {
  const targets = merge.columns.map(([c]) => c);
  const updatable = targets.filter((c) => !merge.conflict.includes(c));
  const from = [`${stageTableName(merge.table)} s`];
  if (merge.partnerRef) from.push('JOIN partners p ON p.external_id = s.partner_id');
  if (merge.itemRef) from.push('LEFT JOIN open_items i ON i.external_id = s.item_id');
  return `WITH upserted AS (
    INSERT INTO ${merge.target} (${targets.join(', ')})
    SELECT ${merge.columns.map(([, e]) => e).join(', ')} FROM ${from.join(' ')}
    ON CONFLICT (${merge.conflict.join(', ')}) DO UPDATE SET ${updatable.map((c) => `${c} = excluded.${c}`).join(', ')}
    WHERE (${updatable.map((c) => `${merge.target}.${c}`).join(', ')}) IS DISTINCT FROM (${updatable.map((c) => `excluded.${c}`).join(', ')})
    RETURNING (xmax = 0) AS inserted
  ) SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM upserted`;
}
