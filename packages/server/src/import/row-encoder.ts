import { ImportError } from './ar-import.errors';
import { CellError, cellParser, type CellParser } from './cell-parsers';
import { headerIndexes, type CsvColumnType, type CsvFileSpec } from './csv-contract';

/**
 * Turns the records of one file into validated values: the header row names the columns (any
 * order, extra columns ignored), every other record must have the header's width and every
 * cell must satisfy its column's parser. Errors name file, line and column.
 */
export class RowReader {
  /** The contract's columns of the current record, parsed (null = no value); reused between rows. */
  readonly values: Array<string | null>;
  private mapping: Array<{ index: number; parse: CellParser; name: string }> | null = null;
  private width = 0;

  constructor(private readonly spec: CsvFileSpec) {
    this.values = new Array<string | null>(spec.columns.length).fill(null);
  }

  get sawHeader(): boolean {
    return this.mapping !== null;
  }

  /** Index of the contract column `name` in `values`. */
  column(name: string): number {
    const index = this.spec.columns.findIndex((c) => c.name === name);
    if (index < 0) throw new Error(`${this.spec.file} has no column ${name}`);
    return index;
  }

  /** False for the header row; true when `values` holds the record's parsed cells. */
  read(line: number, cells: string[]): boolean {
    const mapping = this.mapping;
    if (!mapping) {
      const indexes = headerIndexes(this.spec, cells);
      this.width = cells.length;
      this.mapping = this.spec.columns.map((column, i) => ({
        index: headerIndex(this.spec.file, line, indexes[i]!),
        parse: cellParser(column),
        name: column.name,
      }));
      return false;
    }
    if (cells.length !== this.width) {
      throw new ImportError(this.spec.file, line, null, `has ${cells.length} cells where the header has ${this.width}`);
    }
    const values = this.values;
    let i = 0;
    try {
      for (; i < mapping.length; i++) values[i] = mapping[i]!.parse(cells[mapping[i]!.index]!);
    } catch (error) {
      if (error instanceof CellError) throw new ImportError(this.spec.file, line, mapping[i]!.name, error.message);
      throw error;
    }
    return true;
  }

  /** Throws unless the header row was seen (an empty file). */
  finish(): void {
    if (!this.mapping) throw new ImportError(this.spec.file, 1, null, 'the file is empty: a header row is required');
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/;

/** A value in COPY text format (tab separated, \N for null). */
export function escapeCopy(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Column types whose validated text can hold a tab, a backslash or a line break. */
export const NEEDS_ESCAPE: Record<CsvColumnType, boolean> = {
  id: true,
  text: true,
  currency: false,
  country: false,
  date: false,
  amount: false,
  rate: false,
  integer: false,
  boolean: false,
};

/** A header cell's index, or the import error naming the contract column that is missing or named twice. */
export function headerIndex(file: string, line: number, found: ReturnType<typeof headerIndexes>[number]): number {
  if (typeof found === 'number') return found;
  if ('missing' in found) throw new ImportError(file, line, found.missing, `the header has no column ${found.missing}`);
  throw new ImportError(file, line, found.twice, `the header names column ${found.twice} twice`);
}
