/**
 * agency_payments.csv of `pnpm recoup import DIR` (issue 22): the payments collection agencies
 * report, after the AR files and in their transaction. Each row goes through the agencies'
 * own write (applyAgencyPayment: a payment on the placed item, clearing it by the amount); a row
 * it refuses is a bad row naming file, line and column, and nothing of the import is written.
 * A re-import of the same file applies nothing again (its rows are found by their content).
 */
import type { EntityManager } from 'typeorm';
import { AGENCY_PAYMENT_COLUMN, AgencyPaymentError, applyAgencyPayment, type AgencyPaymentRow } from '../agencies';
import { ImportError } from './ar-import.errors';
import type { TableImportResult } from './ar-import.service';
import type { CsvColumn, CsvFileSpec } from './csv-contract';
import { CsvSyntaxError, scanCsv, type CsvSource } from './csv-reader';
import { RowReader } from './row-encoder';

const col = (name: string, type: CsvColumn['type']): CsvColumn => ({ name, type, required: true });

export const AGENCY_PAYMENTS_FILE: CsvFileSpec = {
  file: 'agency_payments.csv',
  columns: [col('agency', 'text'), col('item_id', 'text'), col('payment_date', 'date'), col('amount', 'amount'), col('currency', 'currency')],
};

/** Applies the file's rows in order through `m` (the import's transaction). */
export async function importAgencyPayments(m: EntityManager, source: CsvSource): Promise<TableImportResult> {
  const started = performance.now();
  const rows = await readRows(source);
  const checked = performance.now();
  const seen = new Map<string, number>();
  let inserted = 0;
  for (const { line, row } of rows) {
    // Equal rows of one file are distinct payments: the n-th of them is the n-th occurrence.
    const key = JSON.stringify(row);
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    try {
      if (await applyAgencyPayment(m, row, occurrence)) inserted++;
    } catch (error) {
      if (error instanceof AgencyPaymentError) throw new ImportError(AGENCY_PAYMENTS_FILE.file, line, AGENCY_PAYMENT_COLUMN[error.column], error.message);
      throw error;
    }
  }
  return {
    table: 'agency_payments',
    file: AGENCY_PAYMENTS_FILE.file,
    rows: rows.length,
    inserted,
    updated: 0,
    unchanged: rows.length - inserted,
    method: 'each row',
    milliseconds: { stage: checked - started, check: 0, merge: performance.now() - checked },
  };
}

async function readRows(source: CsvSource): Promise<Array<{ line: number; row: AgencyPaymentRow }>> {
  const reader = new RowReader(AGENCY_PAYMENTS_FILE);
  const rows: Array<{ line: number; row: AgencyPaymentRow }> = [];
  try {
    await scanCsv(source, (line, cells) => {
      if (!reader.read(line, cells)) return;
      const [agency, itemId, paymentDate, amount, currency] = reader.values as string[];
      rows.push({ line, row: { agency: agency!, itemId: itemId!, paymentDate: paymentDate!, amount: amount!, currency: currency! } });
    });
    reader.finish();
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ImportError(AGENCY_PAYMENTS_FILE.file, error.line, null, error.message);
    throw error;
  }
  return rows;
}
