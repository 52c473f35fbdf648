/**
 * The AR mirror's CSV import contract (DESIGN.md): one file per table, header row,
 * UTF-8, comma, ISO dates, amounts with a dot, empty cell = no value.
 * The seeder writes exactly these files; the importer reads them.
 */
import { CONTACT_DIRECTIONS } from '../contacts';
import { DISPUTE_STATUSES } from '../disputes';

export { DISPUTE_STATUSES };

export type CsvColumnType = 'id' | 'text' | 'date' | 'amount' | 'rate' | 'integer' | 'boolean' | 'currency' | 'country';

export interface CsvColumn {
  name: string;
  type: CsvColumnType;
  required: boolean;
  /** Allowed values (matched case-insensitively, stored upper case), for enumerations such as a dispute's status. */
  values?: readonly string[];
  /** Longest text the column holds. */
  maxLength?: number;
  /** Amounts that may be negative (credit memos, reversals). */
  signed?: boolean;
}

export interface CsvFileSpec {
  file: string;
  /** Columns every header must name. */
  columns: readonly CsvColumn[];
  /** Columns a header may leave out (partners.csv's assignment columns): absent, the stored values stay as they are. */
  optional?: readonly CsvColumn[];
}

/** A rule over several cells of a row, as an SQL condition that holds for a bad row (columns by their CSV names). */
export interface CsvRowRule {
  column: string;
  badWhen: string;
  message: string;
}

/** Row rules per file, checked on the staged rows (naming the first bad line) and after a direct load. */
export const CSV_ROW_RULES: Partial<Record<string, readonly CsvRowRule[]>> = {
  open_items: [{ column: 'open_amount', badWhen: 'open_amount > amount', message: 'is above the amount of the item' }],
  dunning_history: [{ column: 'level', badWhen: 'level < 0 OR level > 9', message: 'is not a dunning level (0 to 9)' }],
};

/**
 * Where each contract column stands in a header row (cells trimmed, any case; extra columns are
 * ignored), refusing a missing column or one named twice. Optional columns take part once
 * `specForHeader` has found them in the header.
 */
export function headerIndexes(spec: CsvFileSpec, header: readonly string[]): Array<number | { missing: string } | { twice: string }> {
  const names = header.map((c) => c.trim().toLowerCase());
  return spec.columns.map((column) => {
    const index = names.indexOf(column.name);
    if (index < 0) return { missing: column.name };
    if (names.lastIndexOf(column.name) !== index) return { twice: column.name };
    return index;
  });
}

/**
 * The spec a file is read with: its contract columns plus the optional ones its header names
 * (any case, trimmed), so a header without them reads exactly as before.
 */
export function specForHeader(spec: CsvFileSpec, header: readonly string[]): CsvFileSpec {
  const names = new Set(header.map((c) => c.trim().toLowerCase()));
  const present = (spec.optional ?? []).filter((c) => names.has(c.name));
  return present.length === 0 ? spec : { file: spec.file, columns: [...spec.columns, ...present] };
}

const col = (name: string, type: CsvColumnType, required = true, extra: Partial<CsvColumn> = {}): CsvColumn => ({
  name,
  type,
  required,
  ...extra,
});

/** In dependency order: a file may reference rows of the files before it. */
export const CSV_FILES = {
  partners: {
    file: 'partners.csv',
    columns: [
      col('partner_id', 'id'),
      col('name', 'text'),
      col('country', 'country'),
      col('currency', 'currency'),
      col('risk_class', 'text', false, { maxLength: 20 }),
      col('credit_limit', 'amount', false),
      col('customer_type', 'text', true, { maxLength: 40 }),
      col('segment', 'text', true, { maxLength: 40 }),
    ],
    // Where the partner is worked (DESIGN.md "Organisation files"); a user name for the specialist.
    optional: [
      col('profile', 'text', false, { maxLength: 40 }),
      col('collection_group', 'text', false, { maxLength: 40 }),
      col('specialist', 'text', false, { maxLength: 60 }),
    ],
  },
  open_items: {
    file: 'open_items.csv',
    columns: [
      col('item_id', 'id'),
      col('partner_id', 'id'),
      col('company_code', 'text', true, { maxLength: 40 }),
      col('document_date', 'date'),
      col('due_date', 'date'),
      col('amount', 'amount', true, { signed: true }),
      col('open_amount', 'amount', true),
      col('currency', 'currency'),
      col('dunning_level', 'integer', false),
      col('dunning_block', 'boolean', false),
      col('profit_center', 'text', false, { maxLength: 40 }),
    ],
  },
  payments: {
    file: 'payments.csv',
    columns: [
      col('payment_id', 'id'),
      col('partner_id', 'id'),
      col('item_id', 'id', false),
      col('payment_date', 'date'),
      col('amount', 'amount', true, { signed: true }),
      col('currency', 'currency'),
    ],
  },
  promises: {
    file: 'promises.csv',
    columns: [
      col('promise_id', 'id'),
      col('partner_id', 'id'),
      col('item_id', 'id', false),
      col('created_date', 'date'),
      col('promised_date', 'date'),
      col('amount', 'amount'),
      col('currency', 'currency'),
      col('cancelled', 'boolean', false),
    ],
  },
  disputes: {
    file: 'disputes.csv',
    columns: [
      col('dispute_id', 'id'),
      col('partner_id', 'id'),
      col('item_id', 'id', false),
      col('created_date', 'date'),
      col('disputed_amount', 'amount'),
      col('currency', 'currency'),
      col('status', 'text', true, { values: DISPUTE_STATUSES }),
      col('reason', 'text', false),
    ],
  },
  contacts: {
    file: 'contacts.csv',
    columns: [
      col('contact_id', 'id'),
      col('partner_id', 'id'),
      col('contact_date', 'date'),
      col('channel', 'text', true, { maxLength: 20 }),
      col('direction', 'text', true, { values: CONTACT_DIRECTIONS }),
      col('reached', 'boolean'),
      col('result', 'text', false),
    ],
  },
  // Point-in-time history (DESIGN.md "Point in time"): optional, after the rows they date.
  dispute_history: {
    file: 'dispute_history.csv',
    columns: [col('dispute_id', 'id'), col('changed_on', 'date'), col('status', 'text', true, { values: DISPUTE_STATUSES })],
  },
  dunning_history: {
    file: 'dunning_history.csv',
    columns: [col('item_id', 'id'), col('dunned_on', 'date'), col('level', 'integer')],
  },
  fx_rates: {
    file: 'fx_rates.csv',
    columns: [col('rate_date', 'date'), col('from_currency', 'currency'), col('to_currency', 'currency'), col('rate', 'rate')],
  },
} as const satisfies Record<string, CsvFileSpec>;

export type CsvTable = keyof typeof CSV_FILES;
export const CSV_TABLES = Object.keys(CSV_FILES) as CsvTable[];
