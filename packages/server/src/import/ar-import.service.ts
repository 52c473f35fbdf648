import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Actor } from '../audit';
import type { Database } from '../db/database';
import { flushFacts, useFactRebuild } from '../facts';
import { observeImport } from '../observability';
import { ImportError } from './ar-import.errors';
import {
  directColumns,
  fileSpec,
  duplicateKeySql,
  hasDuplicateKeySql,
  insertNewSql,
  mergeSql,
  STAGE_TYPES,
  stageTableDdl,
  stageTableName,
  TABLE_MERGES,
  type DirectColumn,
  type TableMerge,
} from './ar-import.tables';
import { CSV_FILES, CSV_ROW_RULES, CSV_TABLES, specForHeader, type CsvFileSpec, type CsvTable } from './csv-contract';
import { CsvSyntaxError, readHeader, scanCsv, type CsvSource } from './csv-reader';
import { encodeCsvForCopy, type CopyOutput, type EncodeOptions, type EncodeResult } from './copy-encoder';
import { importOrgFiles, ORG_FILES, ORG_TABLES, type OrgCsvTable } from './org-import';
import { AGENCY_PAYMENTS_FILE, importAgencyPayments } from './agency-payments-import';
import { checkPartnerAssignments, withAssignments } from './partner-assignments';
import { RowReader } from './row-encoder';

export type ImportSources = Partial<Record<CsvTable | OrgCsvTable | 'agency_payments', () => CsvSource>>;

export interface ImportProgress {
  table: CsvTable | OrgCsvTable;
  phase: 'staging' | 'checking' | 'merging' | 'done';
  rows: number;
}

export interface TableImportResult {
  table: CsvTable | OrgCsvTable | 'agency_payments';
  file: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** How the rows went in: copied straight into an empty table, staged and upserted, or (organisation files) each through its write function. */
  method: 'direct' | 'staged' | 'each row';
  /** Where the time went: parse, validate and stage; reference checks; upsert. */
  milliseconds: { stage: number; check: number; merge: number };
}

export interface ImportResult {
  tables: TableImportResult[];
  /** The maintained facts of the partners the import touched recomputed (all of them after a bulk load), in the import's transaction. */
  factsMilliseconds: number;
  milliseconds: number;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** false: always stage, even into an empty table (the direct load is tried by default). */
  direct?: boolean;
  /** Who the audit entries of organisation changes name (default: csv-import, ADMIN). */
  actor?: Actor;
  /**
   * A bulk load (a seed): the maintained facts are rebuilt once at commit instead of recomputed
   * for each partner the files touch. Without it, a load into empty tables does the same.
   */
  rebuildFacts?: boolean;
}

/** Rows per staging INSERT where COPY is not available (the embedded database). */
const INSERT_BATCH = 5000;

/** Opens the contract's files present in `dir`: organisation files, AR files or both. */
export function directorySources(dir: string): ImportSources {
  const sources: ImportSources = {};
  const files = [
    ...ORG_TABLES.map((t) => [t, ORG_FILES[t].file] as const),
    ...CSV_TABLES.map((t) => [t, CSV_FILES[t].file] as const),
    ['agency_payments', AGENCY_PAYMENTS_FILE.file] as const,
  ];
  for (const [table, name] of files) {
    const file = path.join(dir, name);
    if (existsSync(file)) sources[table] = () => createReadStream(file, { highWaterMark: 1 << 20 });
  }
  if (Object.keys(sources).length === 0) {
    throw new ImportError(dir, null, null, `no file of the import contract found (${files.map(([, name]) => name).join(', ')})`);
  }
  return sources;
}

/**
 * Loads the organisation files (org-import.ts, first: partners.csv may name their keys) and the
 * AR mirror in one transaction, file by file in dependency order: each AR file is
 * parsed, validated and staged (COPY on Postgres), its references are checked, then its table
 * is upserted by id. Into an empty table on Postgres a file is copied straight in instead (see
 * `loadDirect`). Any bad row fails the whole import with its file, line and column; nothing is
 * written.
 */
export async function importAr(db: Database, sources: ImportSources, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const runner = db.dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  const tables = CSV_TABLES.filter((t) => sources[t]);
  try {
    // Through the runner, which then knows: the organisation's writes (TypeORM saves) join this transaction instead of opening their own.
    await runner.startTransaction();
    // One import at a time: the upsert's "update changed, insert new" relies on it.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('recoup:ar-import'))`);
    // Hash joins and aggregates over a million staged rows spill less.
    await client.query(`SET LOCAL work_mem = '${IMPORT_WORK_MEM}'`);
    if (options.rebuildFacts) await useFactRebuild(client);
    const results: TableImportResult[] = await importOrgFiles(runner.manager, sources, options);
    for (const table of tables) {
      const merge = await mergeOf(table, sources[table]!);
      const direct = db.kind === 'postgres' && options.direct !== false ? await loadDirect(client, merge, sources[table]!, options) : null;
      const result = direct ?? (await loadStaged(db, client, merge, sources[table]!, options));
      // Later files join this table; stale statistics (e.g. "empty") would mislead the planner.
      if (result.inserted + result.updated > 0) await client.query(`ANALYZE ${merge.target}`);
      results.push(result);
      options.onProgress?.({ table, phase: 'done', rows: result.rows });
    }
    // The agencies' payment reports clear items of the AR just loaded (issue 22).
    if (sources.agency_payments) results.push(await importAgencyPayments(runner.manager, sources.agency_payments()));
    // What commit would do anyway, timed apart: the facts of what changed.
    const flushed = performance.now();
    await flushFacts(client);
    const factsMilliseconds = performance.now() - flushed;
    await runner.commitTransaction();
    return observeImport({ tables: results, factsMilliseconds, milliseconds: performance.now() - started });
  } catch (error) {
    await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/** How a file lands in its table: the contract's merge, or partners.csv's with the assignment columns its header names. */
async function mergeOf(table: CsvTable, source: () => CsvSource): Promise<TableMerge> {
  const spec: CsvFileSpec = CSV_FILES[table];
  if (!spec.optional) return TABLE_MERGES[table];
  return withAssignments(TABLE_MERGES[table], specForHeader(spec, await readHeader(source())));
}

/**
 * Memory for the import's hash joins and aggregates (SET LOCAL: this transaction only). The
 * default 4MB makes a re-import of 1M rows spill; 64MB is as fast as 256MB there.
 */
const IMPORT_WORK_MEM = '64MB';
/** The direct load keeps the partners' ids in memory; beyond this many it stages instead. */
const DIRECT_MAX_PARTNERS = 2_000_000;

/** Staged path: parse and validate into a temp table, check duplicates and references, upsert. */
async function loadStaged(db: Database, client: PoolClient, merge: TableMerge, source: () => CsvSource, options: ImportOptions): Promise<TableImportResult> {
  const table = merge.table;
  const t0 = performance.now();
  await client.query(stageTableDdl(merge));
  const { rows, uniqueChecked, distinct } = await stageFile(db, client, merge, source(), options);
  await client.query(`ANALYZE ${stageTableName(table)}`);
  options.onProgress?.({ table, phase: 'checking', rows });
  const t1 = performance.now();
  // Keys in strictly increasing order cannot repeat; otherwise the staged rows are searched.
  if (!uniqueChecked) await checkDuplicates(client, merge);
  // A missing partner alone shows in the merge (its rows do not join); item references are checked first.
  const partnerOnly = merge.partnerRef && !merge.itemRef;
  if (!partnerOnly) await checkReferences(client, merge);
  await checkPartnerAssignments(client, merge);
  await checkRowRules(client, merge);
  await registerReferencedMasterData(client, table, stageTableName(table), db.kind === 'postgres' ? distinct : null);
  options.onProgress?.({ table, phase: 'merging', rows });
  const t2 = performance.now();
  const counts = await upsert(client, merge);
  if (counts.matched !== rows) {
    // The whole import rolls back; the check names the first row without its partner.
    await checkReferences(client, merge);
    throw new Error(`${CSV_FILES[table].file}: ${rows - counts.matched} rows did not match their references`);
  }
  const milliseconds = { stage: t1 - t0, check: t2 - t1, merge: performance.now() - t2 };
  return {
    table,
    file: CSV_FILES[table].file,
    rows,
    inserted: counts.inserted,
    updated: counts.updated,
    unchanged: rows - counts.inserted - counts.updated,
    method: 'staged',
    milliseconds,
  };
}

/**
 * Direct path, Postgres only, for a table that is empty: the file is validated in Node as on
 * the staged path, partner ids are resolved from memory, and the rows are copied straight into
 * the table with its indexes dropped; the indexes (and the unique constraints that refuse
 * duplicate ids) are rebuilt afterwards, which is far cheaper than maintaining them row by row.
 * It runs under a savepoint: whatever goes wrong (a bad cell, an unknown partner, a duplicate
 * id) is rolled back and the file goes the staged way, which finds and names the problem
 * exactly as it always does. Returns null when the path does not apply.
 */
async function loadDirect(client: PoolClient, merge: TableMerge, source: () => CsvSource, options: ImportOptions): Promise<TableImportResult | null> {
  const columns = directColumns(merge);
  if (!columns || (await firstRow(client, `SELECT 1 FROM ${merge.target} LIMIT 1`))) return null;
  const table = merge.table;
  const t0 = performance.now();
  await client.query('SAVEPOINT direct_load');
  try {
    // Nobody reads a half-loaded table or writes beside the load; empty is checked again under the lock.
    await client.query(`LOCK TABLE ${merge.target} IN ACCESS EXCLUSIVE MODE`);
    const partners = merge.partnerRef ? await partnerIds(client) : null;
    if ((merge.partnerRef && !partners) || (await firstRow(client, `SELECT 1 FROM ${merge.target} LIMIT 1`))) {
      // Not for us after all: rolling back to the savepoint also gives the lock back.
      await client.query('ROLLBACK TO SAVEPOINT direct_load');
      await client.query('RELEASE SAVEPOINT direct_load');
      return null;
    }
    // A bulk load: every partner's facts are rebuilt once at commit (undone with the savepoint).
    await useFactRebuild(client);
    const indexes = await dropIndexes(client, merge.target);
    const { rows, distinct } = await copyDirect(client, merge, columns, partners, source(), options);
    // A row rule broken: back to the staged path, which names the line.
    for (const rule of CSV_ROW_RULES[table] ?? []) {
      if (await firstRow(client, `SELECT 1 FROM ${merge.target} WHERE ${rule.badWhen} LIMIT 1`)) throw new Error(`${rule.column} ${rule.message}`);
    }
    options.onProgress?.({ table, phase: 'checking', rows });
    const t1 = performance.now();
    for (const statement of indexes) await client.query(statement);
    await registerReferencedMasterData(client, table, merge.target, distinct);
    await client.query('RELEASE SAVEPOINT direct_load');
    const milliseconds = { stage: t1 - t0, check: 0, merge: performance.now() - t1 };
    return { table, file: CSV_FILES[table].file, rows, inserted: rows, updated: 0, unchanged: 0, method: 'direct', milliseconds };
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT direct_load');
    await client.query('RELEASE SAVEPOINT direct_load');
    return null;
  }
}

/** external_id -> id of every partner (ids as the text Postgres sends), or null when there are too many to hold. */
async function partnerIds(client: PoolClient): Promise<Map<string, string> | null> {
  const estimate = await firstRow<{ n: number }>(client, `SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = 'partners'::regclass`);
  if ((estimate?.n ?? 0) > DIRECT_MAX_PARTNERS) return null;
  const result = await client.query<[string, string]>({ text: 'SELECT external_id, id FROM partners', rowMode: 'array' });
  if (result.rows.length > DIRECT_MAX_PARTNERS) return null;
  const ids = new Map<string, string>();
  for (const [externalId, id] of result.rows) ids.set(externalId, id);
  return ids;
}

/**
 * Drops the table's indexes (and the primary key and unique constraints they back) and returns
 * the statements that recreate them as they were: primary key first, then unique constraints,
 * then plain indexes. Indexes something else depends on (a foreign key, clustering, replica
 * identity, a comment, another tablespace) are left in place.
 */
async function dropIndexes(client: PoolClient, target: string): Promise<string[]> {
  const { rows } = await client.query<{ index: string; constraint: string | null; kind: string | null; indexdef: string; condef: string | null }>(
    `SELECT ic.relname AS index, c.conname AS constraint, c.contype AS kind, pg_get_indexdef(i.indexrelid) AS indexdef, pg_get_constraintdef(c.oid) AS condef
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
      WHERE i.indrelid = $1::regclass AND i.indisvalid AND i.indisready AND NOT i.indisclustered AND NOT i.indisreplident
        AND ic.reltablespace = 0 AND obj_description(i.indexrelid, 'pg_class') IS NULL
        AND (c.oid IS NULL OR (c.conname = ic.relname AND c.contype IN ('p', 'u') AND obj_description(c.oid, 'pg_constraint') IS NULL))
        AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conindid = i.indexrelid AND f.contype = 'f')
      ORDER BY CASE c.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 ELSE 2 END, ic.relname`,
    [target],
  );
  const restore: string[] = [];
  for (const row of rows) {
    const name = quoteIdent(row.index);
    if (row.constraint) {
      await client.query(`ALTER TABLE ${target} DROP CONSTRAINT ${name}`);
      restore.push(`ALTER TABLE ${target} ADD CONSTRAINT ${name} ${row.condef}`);
    } else {
      await client.query(`DROP INDEX ${name}`);
      restore.push(row.indexdef);
    }
  }
  return restore;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function copyDirect(
  client: PoolClient,
  merge: TableMerge,
  columns: DirectColumn[],
  partners: Map<string, string> | null,
  source: CsvSource,
  options: ImportOptions,
): Promise<EncodeResult> {
  const outputs: CopyOutput[] = columns.map((c) =>
    c.kind === 'partner'
      ? { kind: 'lookup', column: 'partner_id', lookup: (id) => partners!.get(id) }
      : { kind: 'cell', column: c.column, fallback: c.fallback },
  );
  const sql = `COPY ${merge.target} (${columns.map((c) => c.target).join(', ')}) FROM STDIN`;
  return copyCsv(client, sql, merge, source, outputs, options, { distinct: MASTER_DATA[merge.table]?.column });
}

/** Streams a CSV file, validated and encoded by `encodeCsvForCopy`, into a COPY statement. */
async function copyCsv(
  client: PoolClient,
  sql: string,
  merge: TableMerge,
  source: CsvSource,
  outputs: CopyOutput[],
  options: ImportOptions,
  encodeOptions: EncodeOptions = {},
): Promise<EncodeResult> {
  const table = merge.table;
  const spec = fileSpec(merge);
  const stream = client.query(copyFrom(sql));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let result: EncodeResult;
  try {
    result = await encodeCsvForCopy(
      spec,
      source,
      outputs,
      async (chunks, count) => {
        for (const chunk of chunks) if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', resolve));
        options.onProgress?.({ table, phase: 'staging', rows: count });
      },
      encodeOptions,
    );
  } catch (error) {
    stream.destroy(new Error('import aborted'));
    await done.catch(() => undefined);
    if (error instanceof CsvSyntaxError) throw new ImportError(spec.file, error.line, null, error.message);
    throw error;
  }
  stream.end();
  await done;
  return result;
}

/**
 * Parses, validates and stages a file: on Postgres through COPY (`encodeCsvForCopy`), on the
 * embedded database (no COPY FROM STDIN) through batched inserts of the reference reader's values.
 */
async function stageFile(db: Database, client: PoolClient, merge: TableMerge, source: CsvSource, options: ImportOptions): Promise<EncodeResult> {
  const table = merge.table;
  const spec = fileSpec(merge);
  if (db.kind === 'postgres') {
    const outputs: CopyOutput[] = [{ kind: 'line' }, ...spec.columns.map((c): CopyOutput => ({ kind: 'cell', column: c.name }))];
    return copyCsv(client, `COPY ${stageTableName(table)} FROM STDIN`, merge, source, outputs, options, {
      unique: keyCell(merge),
      distinct: MASTER_DATA[table]?.column,
    });
  }
  const reader = new RowReader(spec);
  const writer = insertWriter(client, table, spec);
  let count = 0;
  try {
    await scanCsv(
      source,
      (line, cells) => {
        if (!reader.read(line, cells)) return;
        writer.add(line, reader.values);
        count++;
      },
      async () => {
        await writer.flush();
        options.onProgress?.({ table, phase: 'staging', rows: count });
      },
    );
    reader.finish();
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ImportError(spec.file, error.line, null, error.message);
    throw error;
  }
  await writer.end();
  return { rows: count, uniqueChecked: false, distinct: new Set() };
}

/** Batched INSERT of column arrays through unnest: one statement per batch, values as parameters. */
function insertWriter(client: PoolClient, table: CsvTable, spec: CsvFileSpec) {
  let columns: Array<Array<string | null>> = Array.from({ length: spec.columns.length + 1 }, () => []);
  const full: Array<Array<Array<string | null>>> = [];
  const casts = ['integer', ...spec.columns.map((c) => STAGE_TYPES[c.type])];
  const sql = `INSERT INTO ${stageTableName(table)} SELECT * FROM unnest(${casts.map((cast, i) => `$${i + 1}::${cast}[]`).join(', ')})`;
  const sendFull = async (): Promise<void> => {
    while (full.length > 0) await client.query(sql, full.shift());
  };
  return {
    add(line: number, values: Array<string | null>): void {
      columns[0]!.push(String(line));
      for (let i = 0; i < values.length; i++) columns[i + 1]!.push(values[i]!);
      if (columns[0]!.length >= INSERT_BATCH) {
        full.push(columns);
        columns = Array.from({ length: spec.columns.length + 1 }, () => []);
      }
    },
    flush: sendFull,
    async end(): Promise<void> {
      await sendFull();
      if (columns[0]!.length > 0) await client.query(sql, columns);
    },
  };
}

async function firstRow<T>(client: PoolClient, sql: string): Promise<T | undefined> {
  const result = await client.query(sql);
  return result.rows[0] as T | undefined;
}

/** The first staged row breaking a rule over several of its cells (open amount above the amount). */
async function checkRowRules(client: PoolClient, merge: TableMerge): Promise<void> {
  for (const rule of CSV_ROW_RULES[merge.table] ?? []) {
    const bad = await firstRow<{ line: number; value: string }>(
      client,
      `SELECT line, "${rule.column}"::text AS value FROM ${stageTableName(merge.table)} WHERE ${rule.badWhen} ORDER BY line LIMIT 1`,
    );
    if (bad) throw new ImportError(CSV_FILES[merge.table].file, bad.line, rule.column, `${JSON.stringify(bad.value)} ${rule.message}`);
  }
}

async function checkReferences(client: PoolClient, merge: TableMerge): Promise<void> {
  const file = CSV_FILES[merge.table].file;
  const stage = stageTableName(merge.table);
  const parent = merge.parentRef;
  if (parent) {
    const missing = await firstRow<{ line: number; ref: string }>(
      client,
      `SELECT s.line, s.${parent.column} AS ref FROM ${stage} s
        WHERE NOT EXISTS (SELECT 1 FROM ${parent.target} r WHERE r.external_id = s.${parent.column})
        ORDER BY s.line LIMIT 1`,
    );
    if (missing)
      throw new ImportError(file, missing.line, parent.column, `${parent.noun} ${JSON.stringify(missing.ref)} is neither in ${parent.file} nor in the mirror`);
  }
  if (merge.partnerRef) {
    const missing = await firstRow<{ line: number; partner_id: string }>(
      client,
      `SELECT s.line, s.partner_id FROM ${stage} s
        WHERE NOT EXISTS (SELECT 1 FROM partners p WHERE p.external_id = s.partner_id)
        ORDER BY s.line LIMIT 1`,
    );
    if (missing)
      throw new ImportError(file, missing.line, 'partner_id', `partner ${JSON.stringify(missing.partner_id)} is neither in partners.csv nor in the mirror`);
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

/** The master data a file names: segments (partners.csv) and company codes (open_items.csv). */
const MASTER_DATA: Partial<Record<CsvTable, { target: string; key: string; column: string; name: string }>> = {
  partners: { target: 'collection_segments', key: 'key', column: 'segment', name: `initcap(replace(segment, '_', ' '))` },
  open_items: { target: 'company_codes', key: 'code', column: 'company_code', name: 'company_code' },
};

/**
 * Segments and company codes named by the data but not configured yet are registered, so nothing
 * is lost; each gets the currency most of its rows use. `seen` are the names the encoder already
 * collected (else one hashed pass finds them); the per-name currency vote sorts, so it runs only
 * for names that are new.
 */
async function registerReferencedMasterData(client: PoolClient, table: CsvTable, relation: string, seen: Set<string> | null): Promise<void> {
  const master = MASTER_DATA[table];
  if (!master) return;
  const { rows } = seen
    ? await client.query<{ names: string[] | null }>(
        `SELECT array_agg(n) AS names FROM unnest($1::text[]) n WHERE NOT EXISTS (SELECT 1 FROM ${master.target} m WHERE m.${master.key} = n)`,
        [[...seen]],
      )
    : await client.query<{ names: string[] | null }>(
        `SELECT array_agg(n) AS names FROM (SELECT DISTINCT ${master.column} AS n FROM ${relation}) d
          WHERE NOT EXISTS (SELECT 1 FROM ${master.target} m WHERE m.${master.key} = d.n)`,
      );
  const names = rows[0]?.names;
  if (!names || names.length === 0) return;
  await client.query(
    `INSERT INTO ${master.target} (${master.key}, name, currency)
     SELECT ${master.column}, ${master.name}, mode() WITHIN GROUP (ORDER BY currency)
       FROM ${relation} WHERE ${master.column} = ANY($1::text[]) GROUP BY ${master.column}
     ON CONFLICT (${master.key}) DO NOTHING`,
    [names],
  );
}

async function upsert(client: PoolClient, merge: TableMerge): Promise<{ inserted: number; updated: number; matched: number }> {
  if (!(await firstRow(client, `SELECT 1 FROM ${merge.target} LIMIT 1`))) {
    // An empty table: nothing to compare with, every row is new.
    const inserted = (await client.query(insertNewSql(merge))).rowCount ?? 0;
    return { inserted, updated: 0, matched: inserted };
  }
  const [counts] = (await client.query<{ inserted: number; updated: number; matched: number }>(mergeSql(merge))).rows;
  return counts!;
}

async function checkDuplicates(client: PoolClient, merge: TableMerge): Promise<void> {
  if (!(await firstRow(client, hasDuplicateKeySql(merge)))) return;
  const file = CSV_FILES[merge.table].file;
  const duplicate = await firstRow<{ line: number; first: number; k0: string; k1?: string; k2?: string }>(client, duplicateKeySql(merge));
  const key = [duplicate!.k0, duplicate!.k1, duplicate!.k2]
    .filter((k) => k !== undefined)
    .map(String)
    .join(', ');
  throw new ImportError(file, duplicate!.line, merge.idColumn, `${JSON.stringify(key)} appears again (first on line ${duplicate!.first})`);
}

/** The contract column holding the table's natural key, when the key is that one plain cell. */
function keyCell(merge: TableMerge): string | undefined {
  if (merge.conflict.length !== 1) return undefined;
  return /^s\.(\w+)$/.exec(merge.columns.find(([t]) => t === merge.conflict[0])?.[1] ?? '')?.[1];
}
