import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../db/database';
import { ImportError } from './ar-import.errors';
import { duplicateKeySql, hasDuplicateKeySql, insertNewSql, STAGE_TYPES, stageTableDdl, stageTableName, TABLE_MERGES, updateChangedSql, type TableMerge } from './ar-import.tables';
import { CellError, cellParser } from './cell-parsers';
import { CSV_FILES, CSV_TABLES, type CsvTable } from './csv-contract';
import { CsvSyntaxError, readCsv, type CsvSource } from './csv-reader';

export type ImportSources = Partial<Record<CsvTable, () => CsvSource>>;

export interface ImportProgress {
  table: CsvTable;
  phase: 'staging' | 'checking' | 'merging' | 'done';
  rows: number;
}

export interface TableImportResult {
  table: CsvTable;
  file: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Where the time went: parse, validate and stage; reference checks; upsert. */
  milliseconds: { stage: number; check: number; merge: number };
}

export interface ImportResult {
  tables: TableImportResult[];
  milliseconds: number;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
}

/** Rows per staging INSERT where COPY is not available (the embedded database). */
const INSERT_BATCH = 5000;

/** Opens the contract's files present in `dir`. */
export function directorySources(dir: string): ImportSources {
  const sources: ImportSources = {};
  for (const table of CSV_TABLES) {
    const file = path.join(dir, CSV_FILES[table].file);
    if (existsSync(file)) sources[table] = () => createReadStream(file, { highWaterMark: 1 << 20 });
  }
  if (Object.keys(sources).length === 0) {
    throw new ImportError(dir, null, null, `no file of the import contract found (${CSV_TABLES.map((t) => CSV_FILES[t].file).join(', ')})`);
  }
  return sources;
}

/**
 * Loads the AR mirror in one transaction: every file is parsed, validated and staged
 * (COPY on Postgres), references are checked, then each table is upserted by its id.
 * Any bad row fails the whole import with its file, line and column; nothing is written.
 */
export async function importAr(db: Database, sources: ImportSources, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const runner = db.dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  const tables = CSV_TABLES.filter((t) => sources[t]);
  try {
    await client.query('BEGIN');
    // One import at a time: the upsert's "update changed, insert new" relies on it.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('recoup:ar-import'))`);
    const rows = new Map<CsvTable, number>();
    const stageMs = new Map<CsvTable, number>();
    for (const table of tables) {
      const t0 = performance.now();
      await client.query(stageTableDdl(table));
      const count = await stageFile(db, client, table, sources[table]!(), options);
      rows.set(table, count);
      await client.query(`ANALYZE ${stageTableName(table)}`);
      stageMs.set(table, performance.now() - t0);
    }
    const results: TableImportResult[] = [];
    for (const table of tables) {
      const merge = TABLE_MERGES[table];
      options.onProgress?.({ table, phase: 'checking', rows: rows.get(table)! });
      const t0 = performance.now();
      await checkDuplicates(client, merge);
      await checkReferences(client, merge);
      await registerReferencedMasterData(client, table);
      options.onProgress?.({ table, phase: 'merging', rows: rows.get(table)! });
      const t1 = performance.now();
      const counts = await upsert(client, merge);
      // Later files join this table; stale statistics (e.g. "empty") would mislead the planner.
      if (counts.inserted + counts.updated > 0) await client.query(`ANALYZE ${merge.target}`);
      const total = rows.get(table)!;
      const milliseconds = { stage: stageMs.get(table)!, check: t1 - t0, merge: performance.now() - t1 };
      results.push({ table, file: CSV_FILES[table].file, rows: total, ...counts, unchanged: total - counts.inserted - counts.updated, milliseconds });
      options.onProgress?.({ table, phase: 'done', rows: total });
    }
    await client.query('COMMIT');
    return { tables: results, milliseconds: performance.now() - started };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

async function stageFile(db: Database, client: PoolClient, table: CsvTable, source: CsvSource, options: ImportOptions): Promise<number> {
  const spec = CSV_FILES[table];
  const writer = db.kind === 'postgres' ? copyWriter(client, table) : insertWriter(client, table);
  let count = 0;
  let mapping: Array<{ index: number; parse: (raw: string) => string | null; name: string }> | null = null;
  let headerWidth = 0;
  try {
    for await (const records of readCsv(source)) {
      for (const record of records) {
        if (!mapping) {
          const header = record.cells.map((c) => c.trim().toLowerCase());
          headerWidth = header.length;
          mapping = spec.columns.map((column) => {
            const index = header.indexOf(column.name);
            if (index < 0) throw new ImportError(spec.file, record.line, column.name, `the header has no column ${column.name}`);
            return { index, parse: cellParser(column), name: column.name };
          });
          continue;
        }
        if (record.cells.length !== headerWidth) {
          throw new ImportError(spec.file, record.line, null, `has ${record.cells.length} cells where the header has ${headerWidth}`);
        }
        const values: Array<string | null> = [String(record.line)];
        for (const column of mapping) {
          try {
            values.push(column.parse(record.cells[column.index]!));
          } catch (error) {
            if (error instanceof CellError) throw new ImportError(spec.file, record.line, column.name, error.message);
            throw error;
          }
        }
        await writer.write(values);
        count++;
      }
      options.onProgress?.({ table, phase: 'staging', rows: count });
    }
    if (!mapping) throw new ImportError(spec.file, 1, null, 'the file is empty: a header row is required');
  } catch (error) {
    await writer.abort();
    if (error instanceof CsvSyntaxError) throw new ImportError(spec.file, error.line, null, error.message);
    throw error;
  }
  await writer.end();
  return count;
}

interface StageWriter {
  /** Resolves at once unless the writer needs to flush. */
  write(values: Array<string | null>): Promise<void> | void;
  end(): Promise<void>;
  abort(): Promise<void>;
}

/** COPY text format; values are data on the COPY stream, never SQL text. */
function copyWriter(client: PoolClient, table: CsvTable): StageWriter {
  const stream = client.query(copyFrom(`COPY ${stageTableName(table)} FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let buffer = '';
  const flush = async (): Promise<void> => {
    const chunk = buffer;
    buffer = '';
    if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  };
  return {
    write(values) {
      let line = '';
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (i > 0) line += '\t';
        line += value === null ? '\\N' : escapeCopy(value);
      }
      buffer += `${line}\n`;
      return buffer.length > 1 << 16 ? flush() : undefined;
    },
    async end() {
      if (buffer) await flush();
      stream.end();
      await done;
    },
    async abort() {
      stream.destroy(new Error('import aborted'));
      await done.catch(() => undefined);
    },
  };
}

const COPY_SPECIAL = /[\\\t\n\r]/;

function escapeCopy(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Batched INSERT of column arrays through unnest: one statement per batch, values as parameters. */
function insertWriter(client: PoolClient, table: CsvTable): StageWriter {
  const spec = CSV_FILES[table];
  const columns: Array<Array<string | null>> = Array.from({ length: spec.columns.length + 1 }, () => []);
  const casts = ['integer', ...spec.columns.map((c) => STAGE_TYPES[c.type])];
  const sql = `INSERT INTO ${stageTableName(table)} SELECT * FROM unnest(${casts.map((cast, i) => `$${i + 1}::${cast}[]`).join(', ')})`;
  const flush = async (): Promise<void> => {
    if (columns[0]!.length === 0) return;
    const params = columns.map((c) => c.splice(0));
    await client.query(sql, params);
  };
  return {
    write(values) {
      for (let i = 0; i < values.length; i++) columns[i]!.push(values[i]!);
      return columns[0]!.length >= INSERT_BATCH ? flush() : undefined;
    },
    end: flush,
    async abort() {},
  };
}


async function firstRow<T>(client: PoolClient, sql: string): Promise<T | undefined> {
  const result = await client.query(sql);
  return result.rows[0] as T | undefined;
}

async function checkReferences(client: PoolClient, merge: TableMerge): Promise<void> {
  const file = CSV_FILES[merge.table].file;
  const stage = stageTableName(merge.table);
  if (merge.partnerRef) {
    const missing = await firstRow<{ line: number; partner_id: string }>(
      client,
      `SELECT s.line, s.partner_id FROM ${stage} s
        WHERE NOT EXISTS (SELECT 1 FROM partners p WHERE p.external_id = s.partner_id)
        ORDER BY s.line LIMIT 1`,
    );
    if (missing) throw new ImportError(file, missing.line, 'partner_id', `partner ${JSON.stringify(missing.partner_id)} is neither in partners.csv nor in the mirror`);
  }
  if (merge.itemRef) {
    const bad = await firstRow<{ line: number; item_id: string; found: boolean }>(
      client,
      `SELECT s.line, s.item_id, i.id IS NOT NULL AS found FROM ${stage} s
         JOIN partners p ON p.external_id = s.partner_id
         LEFT JOIN open_items i ON i.external_id = s.item_id
        WHERE s.item_id IS NOT NULL AND (i.id IS NULL OR i.partner_id <> p.id)
        ORDER BY s.line LIMIT 1`,
    );
    if (bad) {
      throw new ImportError(
        file,
        bad.line,
        'item_id',
        bad.found
          ? `item ${JSON.stringify(bad.item_id)} belongs to another partner`
          : `item ${JSON.stringify(bad.item_id)} is neither in open_items.csv nor in the mirror`,
      );
    }
  }
}

/** Segments and company codes named by the data but not configured yet are registered, so nothing is lost. */
async function registerReferencedMasterData(client: PoolClient, table: CsvTable): Promise<void> {
  if (table === 'partners') {
    await client.query(
      `INSERT INTO collection_segments (key, name, currency)
       SELECT segment, initcap(replace(segment, '_', ' ')), mode() WITHIN GROUP (ORDER BY currency)
         FROM stage_partners GROUP BY segment
       ON CONFLICT (key) DO NOTHING`,
    );
  } else if (table === 'open_items') {
    await client.query(
      `INSERT INTO company_codes (code, name, currency)
       SELECT company_code, company_code, mode() WITHIN GROUP (ORDER BY currency)
         FROM stage_open_items GROUP BY company_code
       ON CONFLICT (code) DO NOTHING`,
    );
  }
}

async function upsert(client: PoolClient, merge: TableMerge): Promise<{ inserted: number; updated: number }> {
  const updated = await client.query(updateChangedSql(merge));
  const inserted = await client.query(insertNewSql(merge));
  return { inserted: inserted.rowCount ?? 0, updated: updated.rowCount ?? 0 };
}

async function checkDuplicates(client: PoolClient, merge: TableMerge): Promise<void> {
  if (!(await firstRow(client, hasDuplicateKeySql(merge)))) return;
  const file = CSV_FILES[merge.table].file;
  const duplicate = await firstRow<{ line: number; first: number; k0: string; k1?: string; k2?: string }>(client, duplicateKeySql(merge));
  const key = [duplicate!.k0, duplicate!.k1, duplicate!.k2].filter((k) => k !== undefined).map(String).join(', ');
  throw new ImportError(file, duplicate!.line, merge.idColumn, `${JSON.stringify(key)} appears again (first on line ${duplicate!.first})`);
}
