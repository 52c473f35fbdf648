/**
 * `pnpm recoup org export DIR`: the organisation as the import reads it (DESIGN.md "Organisation
 * files"): the six organisation files and a partners.csv with every partner's contract columns
 * and its assignment columns (profile, collection_group, specialist). Imported into an empty
 * database after the same AR, it gives the same organisation; exported again from there, the
 * same bytes. Read in one snapshot, so the files agree with each other.
 *
 * Rows are sorted by key (bytewise), except two orders a worklist depends on and a re-import
 * into an empty database reproduces: specialists by their id (the deal's seats are numbered in
 * id order) and partners by their id (the deal's tie-break among equal amounts).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { QueryRunner } from 'typeorm';
import type { Database } from '../db/database';
import { CSV_FILES, type CsvFileSpec } from './csv-contract';
import { csvLine } from './csv-writer';
import { ORG_FILES, type OrgCsvTable } from './org-import';

/** Each organisation file's rows, the columns in the file's order (each named once: rows arrive as objects). */
const ORG_EXPORTS: Record<OrgCsvTable, string> = {
  company_codes: `SELECT code, name, country, currency, promise_tolerance_days, active FROM company_codes ORDER BY code COLLATE "C"`,
  collection_segments: `SELECT s.key, s.name, s.currency,
      (SELECT string_agg(c.company_code, '|' ORDER BY c.company_code COLLATE "C") FROM collection_segment_company_codes c WHERE c.segment_key = s.key) AS company_codes
    FROM collection_segments s ORDER BY s.key COLLATE "C"`,
  collection_profiles: `SELECT p.key, p.name,
      (SELECT string_agg(x.segment_key, '|' ORDER BY x.segment_key COLLATE "C") FROM collection_profile_segments x WHERE x.profile_key = p.key) AS segments
    FROM collection_profiles p ORDER BY p.key COLLATE "C"`,
  collection_groups: `SELECT key, name, segment_key, strategy_key, active, daily_capacity FROM collection_groups ORDER BY key COLLATE "C"`,
  specialists: `SELECT user_name, name, email, group_key, active FROM specialists ORDER BY id`,
  specialist_absences: `SELECT s.user_name, a.starts_on::text AS starts_on, a.ends_on::text AS ends_on, sub.user_name AS substitute
    FROM specialist_absences a JOIN specialists s ON s.id = a.specialist_id LEFT JOIN specialists sub ON sub.id = a.substitute_id
    ORDER BY s.user_name COLLATE "C", a.starts_on`,
  agencies: `SELECT key, name, email, commission_percent::text AS commission_percent, active FROM agencies ORDER BY key COLLATE "C"`,
};

/** Partners per read: keyset pages keep memory flat for millions of them. */
const PARTNER_PAGE = 10_000;

export interface ExportedFile {
  file: string;
  rows: number;
}

/** Writes the organisation files and partners.csv (with assignments) into `dir`. */
export async function exportOrganisation(db: Database, dir: string, onProgress?: (file: string, rows: number) => void): Promise<ExportedFile[]> {
  await mkdir(dir, { recursive: true });
  const runner = db.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    const files: ExportedFile[] = [];
    for (const [table, sql] of Object.entries(ORG_EXPORTS) as Array<[OrgCsvTable, string]>) {
      files.push(await exportOrgFile(runner, dir, ORG_FILES[table], sql));
      onProgress?.(ORG_FILES[table].file, files.at(-1)!.rows);
    }
    files.push(await exportPartners(runner, dir, onProgress));
    await runner.commitTransaction();
    return files;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

async function exportOrgFile(runner: QueryRunner, dir: string, spec: CsvFileSpec, sql: string): Promise<ExportedFile> {
  const rows = await arrays(runner, sql);
  await writeFile(path.join(dir, spec.file), csvLine([...spec.columns, ...(spec.optional ?? [])].map((c) => c.name)) + rows.map(csvLine).join(''));
  return { file: spec.file, rows: rows.length };
}

/** Every partner, in id order, with the contract's columns and the assignment columns. */
async function exportPartners(runner: QueryRunner, dir: string, onProgress?: (file: string, rows: number) => void): Promise<ExportedFile> {
  const spec: CsvFileSpec = CSV_FILES.partners;
  let rows = 0;
  async function* lines(): AsyncGenerator<string> {
    yield csvLine([...spec.columns, ...(spec.optional ?? [])].map((c) => c.name));
    for (let after = '0'; ;) {
      const page = await arrays(runner, PARTNERS_PAGE_SQL, [after, PARTNER_PAGE]);
      if (page.length === 0) return;
      after = String(page.at(-1)![0]);
      yield page.map(([, ...cells]) => csvLine(cells)).join('');
      rows += page.length;
      onProgress?.(spec.file, rows);
    }
  }
  await pipeline(lines(), createWriteStream(path.join(dir, spec.file)));
  return { file: spec.file, rows };
}

/** A page of partners after id $1 (at most $2): the id, then the file's columns in order. */
const PARTNERS_PAGE_SQL = `SELECT p.id::text AS id, p.external_id AS partner_id, p.name, p.country, p.currency, p.risk_class, p.credit_limit::text AS credit_limit,
    p.customer_type, p.segment, p.profile_key AS profile, p.collection_group_key AS collection_group, sp.user_name AS specialist
  FROM partners p LEFT JOIN specialists sp ON sp.id = p.specialist_id
 WHERE p.id > $1::bigint ORDER BY p.id LIMIT $2`;

async function arrays(runner: QueryRunner, sql: string, parameters: unknown[] = []): Promise<Array<Array<string | number | boolean | null>>> {
  const rows: Array<Record<string, string | number | boolean | null>> = await runner.query(sql, parameters);
  return rows.map((row) => Object.values(row));
}
