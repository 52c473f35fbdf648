/**
 * The organisation files of `pnpm recoup import DIR` (DESIGN.md "Organisation files"): company
 * codes, segments, profiles, groups, specialists, absences and agencies, in that order, before the AR
 * files and in their transaction. Each row goes through the organisation's own write function
 * (org/, the one the GraphQL mutations use) in import mode: upsert by key, validated by the same
 * rules, only real changes written and audited. A broken rule becomes an ImportError naming
 * file, line and the CSV column of the field; a key a row refers to must be in an earlier file
 * (written first) or already in the database.
 */
import type { EntityManager } from 'typeorm';
import { saveAgency } from '../agencies';
import type { Actor } from '../audit';
import { DomainError } from '../graphql/errors';
import { OrgFieldError, saveAbsence, saveCompanyCode, saveGroup, saveProfile, saveSegment, saveSpecialist, type WriteMode, type WriteResult } from '../org';
import { ImportError } from './ar-import.errors';
import type { ImportOptions, ImportSources, TableImportResult } from './ar-import.service';
import { specForHeader, type CsvColumn, type CsvColumnType, type CsvFileSpec } from './csv-contract';
import { CsvSyntaxError, scanCsv, type CsvSource } from './csv-reader';
import { RowReader } from './row-encoder';

const col = (name: string, type: CsvColumnType, required = true): CsvColumn => ({ name, type, required });

/**
 * The organisation's files, in the order they load: each may refer to keys of the files before
 * it. Keys and names are plain text here; org-rules judges them, as for the API.
 */
export const ORG_FILES = {
  company_codes: {
    file: 'company_codes.csv',
    columns: [
      col('company_code', 'text'),
      col('name', 'text'),
      col('country', 'country', false),
      col('currency', 'currency', false),
      col('promise_tolerance_days', 'integer', false),
      col('active', 'boolean', false),
    ],
  },
  collection_segments: {
    file: 'collection_segments.csv',
    columns: [col('segment', 'text'), col('name', 'text'), col('currency', 'currency'), col('company_codes', 'text', false)],
  },
  collection_profiles: {
    file: 'collection_profiles.csv',
    columns: [col('profile', 'text'), col('name', 'text'), col('segments', 'text', false)],
  },
  collection_groups: {
    file: 'collection_groups.csv',
    columns: [col('group', 'text'), col('name', 'text'), col('segment', 'text'), col('strategy', 'text', false), col('active', 'boolean', false)],
    // Absent from the header: the stored capacities stay as they are.
    optional: [col('daily_capacity', 'integer', false)],
  },
  specialists: {
    file: 'specialists.csv',
    columns: [col('user_name', 'text'), col('name', 'text'), col('email', 'text', false), col('group', 'text', false), col('active', 'boolean', false)],
  },
  specialist_absences: {
    file: 'specialist_absences.csv',
    columns: [col('user_name', 'text'), col('starts_on', 'date'), col('ends_on', 'date'), col('substitute', 'text', false)],
  },
  // Collection agencies (issue 22); the commission percent is judged by the agencies' own rule.
  agencies: {
    file: 'agencies.csv',
    columns: [col('agency', 'text'), col('name', 'text'), col('email', 'text', false), col('commission_percent', 'text'), col('active', 'boolean', false)],
  },
} as const satisfies Record<string, CsvFileSpec>;

export type OrgCsvTable = keyof typeof ORG_FILES;
export const ORG_TABLES = Object.keys(ORG_FILES) as OrgCsvTable[];

/** One parsed row: CSV column -> value (null: empty cell; an optional column the header leaves out is absent). */
type Cells = Record<string, string | null | undefined>;

interface OrgFileRules {
  /** The CSV columns that make a row's key: a key twice in one file is a bad row. */
  key: readonly string[];
  /** The CSV column of each field the write function may name in an OrgFieldError. */
  columns: Readonly<Record<string, string>>;
  save: (m: EntityManager, actor: Actor, row: Cells, mode: WriteMode) => Promise<WriteResult>;
}

/** `a|b|c` (DESIGN.md: lists in a cell); an empty cell is an empty list. */
const list = (cell: string | null | undefined): string[] => (cell == null ? [] : cell.split('|').map((k) => k.trim()));
const flag = (cell: string | null | undefined): boolean | null => (cell == null ? null : cell === 'true');
const text = (cell: string | null | undefined): string => cell ?? '';

const ORG_RULES: Record<OrgCsvTable, OrgFileRules> = {
  company_codes: {
    key: ['company_code'],
    columns: { code: 'company_code', name: 'name', country: 'country', currency: 'currency', promiseToleranceDays: 'promise_tolerance_days' },
    save: (m, actor, r, mode) =>
      saveCompanyCode(
        m,
        actor,
        {
          code: text(r.company_code),
          name: text(r.name),
          country: r.country,
          currency: r.currency,
          promiseToleranceDays: r.promise_tolerance_days == null ? null : Number(r.promise_tolerance_days),
          active: flag(r.active),
        },
        mode,
      ),
  },
  collection_segments: {
    key: ['segment'],
    columns: { key: 'segment', name: 'name', currency: 'currency', companyCodes: 'company_codes' },
    save: (m, actor, r, mode) =>
      saveSegment(m, actor, { key: text(r.segment), name: text(r.name), currency: text(r.currency), companyCodes: list(r.company_codes) }, mode),
  },
  collection_profiles: {
    key: ['profile'],
    columns: { key: 'profile', name: 'name', segments: 'segments' },
    save: (m, actor, r, mode) => saveProfile(m, actor, { key: text(r.profile), name: text(r.name), segments: list(r.segments) }, mode),
  },
  collection_groups: {
    key: ['group'],
    columns: { key: 'group', name: 'name', segment: 'segment', strategy: 'strategy', dailyCapacity: 'daily_capacity' },
    // An empty daily_capacity clears it; a file without the column leaves it alone (undefined).
    save: (m, actor, r, mode) =>
      saveGroup(
        m,
        actor,
        {
          key: text(r.group),
          name: text(r.name),
          segment: text(r.segment),
          strategy: r.strategy,
          active: flag(r.active),
          dailyCapacity: r.daily_capacity === undefined ? undefined : r.daily_capacity === null ? null : Number(r.daily_capacity),
        },
        mode,
      ),
  },
  specialists: {
    key: ['user_name'],
    columns: { userName: 'user_name', name: 'name', email: 'email', group: 'group' },
    save: (m, actor, r, mode) =>
      saveSpecialist(m, actor, { userName: text(r.user_name), name: text(r.name), email: r.email, group: r.group, active: flag(r.active) }, mode),
  },
  specialist_absences: {
    // The import finds an absence by its specialist and first day.
    key: ['user_name', 'starts_on'],
    columns: { userName: 'user_name', startsOn: 'starts_on', endsOn: 'ends_on', substitute: 'substitute' },
    save: (m, actor, r, mode) =>
      saveAbsence(m, actor, { userName: text(r.user_name), startsOn: text(r.starts_on), endsOn: text(r.ends_on), substitute: r.substitute }, mode),
  },
  agencies: {
    key: ['agency'],
    columns: { key: 'agency', name: 'name', email: 'email', commissionPercent: 'commission_percent' },
    save: (m, actor, r, mode) =>
      saveAgency(
        m,
        actor,
        { key: text(r.agency), name: text(r.name), email: r.email, commissionPercent: text(r.commission_percent), active: flag(r.active) },
        mode,
      ),
  },
};

const IMPORT: WriteMode = { kind: 'import' };

/** Who the audit entries of an import name, unless the caller says. */
export const IMPORT_ACTOR: Actor = { name: 'csv-import', role: 'ADMIN' };

/** Loads the organisation files present in `sources`, in order, through `m` (the import's transaction). */
export async function importOrgFiles(m: EntityManager, sources: ImportSources, options: ImportOptions = {}): Promise<TableImportResult[]> {
  const results: TableImportResult[] = [];
  for (const table of ORG_TABLES) {
    const source = sources[table];
    if (!source) continue;
    results.push(await importOrgFile(m, table, source(), options));
    options.onProgress?.({ table, phase: 'done', rows: results.at(-1)!.rows });
  }
  return results;
}

async function importOrgFile(m: EntityManager, table: OrgCsvTable, source: CsvSource, options: ImportOptions): Promise<TableImportResult> {
  const started = performance.now();
  const spec: CsvFileSpec = ORG_FILES[table];
  const rows = await readRows(spec, source);
  options.onProgress?.({ table, phase: 'checking', rows: rows.length });
  const checked = performance.now();
  const rules = ORG_RULES[table];
  const seen = new Map<string, number>();
  let inserted = 0;
  let updated = 0;
  for (const { line, cells } of rows) {
    assertFirstOfKey(spec.file, rules, seen, line, cells);
    const result = await saveRow(spec.file, rules, m, options.actor ?? IMPORT_ACTOR, line, cells);
    if (result.changed && result.version === 1) inserted++;
    else if (result.changed) updated++;
  }
  const milliseconds = { stage: checked - started, check: 0, merge: performance.now() - checked };
  return { table, file: spec.file, rows: rows.length, inserted, updated, unchanged: rows.length - inserted - updated, method: 'each row', milliseconds };
}

/** Every record of a (small) organisation file, parsed and validated cell by cell. */
async function readRows(spec: CsvFileSpec, source: CsvSource): Promise<Array<{ line: number; cells: Cells }>> {
  let reader: RowReader | null = null;
  let columns = spec.columns;
  const rows: Array<{ line: number; cells: Cells }> = [];
  try {
    await scanCsv(source, (line, cells) => {
      if (!reader) {
        // The header decides which optional columns the file brings.
        const read = specForHeader(spec, cells);
        columns = read.columns;
        reader = new RowReader(read);
      }
      if (!reader.read(line, cells)) return;
      const values = reader.values;
      rows.push({ line, cells: Object.fromEntries(columns.map((c, i) => [c.name, values[i] ?? null])) });
    });
    (reader ?? new RowReader(spec)).finish();
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ImportError(spec.file, error.line, null, error.message);
    throw error;
  }
  return rows;
}

function assertFirstOfKey(file: string, rules: OrgFileRules, seen: Map<string, number>, line: number, cells: Cells): void {
  const key = rules.key.map((c) => cells[c] ?? '').join(' ');
  const first = seen.get(key);
  if (first !== undefined) throw new ImportError(file, line, rules.key.at(-1)!, `${JSON.stringify(key)} appears again (first on line ${first})`);
  seen.set(key, line);
}

/** One row through its write function; a broken rule names the row's line and the field's column. */
async function saveRow(file: string, rules: OrgFileRules, m: EntityManager, actor: Actor, line: number, cells: Cells): Promise<WriteResult> {
  try {
    return await rules.save(m, actor, cells, IMPORT);
  } catch (error) {
    if (error instanceof OrgFieldError) {
      const column = rules.columns[error.field] ?? null;
      // The rules speak of the API's field; the file's reader knows the column.
      const message = column && error.message.startsWith(`${error.field} `) ? `${column}${error.message.slice(error.field.length)}` : error.message;
      throw new ImportError(file, line, column, message);
    }
    if (error instanceof DomainError) throw new ImportError(file, line, null, error.message);
    throw error;
  }
}
