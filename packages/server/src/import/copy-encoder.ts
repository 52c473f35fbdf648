import { isUtf8 } from 'node:buffer';
import { ImportError } from './ar-import.errors';
import { CellError, cellParser, type CellParser } from './cell-parsers';
import type { CsvColumn, CsvFileSpec } from './csv-contract';
import { CsvSyntaxError, parseQuoted, type CsvSource } from './csv-reader';
import { escapeCopy } from './row-encoder';

/**
 * The bulk path from CSV bytes to COPY text bytes, for Postgres: the same contract as
 * `scanCsv` + `RowReader` (the reference, which the embedded database's batched inserts use),
 * without a JS string per cell. A cell whose bytes are already what its parser would return
 * (an ASCII id, a lower-case `true`, a valid ISO date...) is copied byte for byte; any other
 * cell (to trim, to upper-case, non-ASCII, to escape, or wrong) goes through its string parser,
 * which normalises it or throws the error the reference throws. Quoted records are decoded and
 * split by the reference's quote parser.
 */

/** What one output column of a COPY row holds. */
export type CopyOutput =
  /** The record's line number. */
  | { kind: 'line' }
  /** A contract column's parsed value; `fallback` replaces an empty cell. */
  | { kind: 'cell'; column: string; fallback?: string | null }
  /** The id `lookup` gives for the (parsed) cell of `column`; undefined throws `lookupError`. */
  | { kind: 'lookup'; column: string; lookup: (value: string) => string | undefined };

/** Thrown by the encoder when a lookup finds nothing (a row the staged path has to diagnose). */
export class LookupMiss extends Error {
  constructor(
    readonly line: number,
    readonly column: string,
  ) {
    super(`line ${line}: no id for column ${column}`);
  }
}

/** Accepts bytes [s, e) (not empty, no blank at either end) when they are exactly what the column's parser returns. */
type ByteCheck = (b: Buffer, s: number, e: number) => boolean;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Printable ASCII without backslash (nothing COPY would escape), at most `max` bytes. */
function plainAscii(b: Buffer, s: number, e: number, max: number): boolean {
  if (e - s > max) return false;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c < 32 || c > 126 || c === 92) return false;
  }
  return true;
}

function digits(b: Buffer, s: number, e: number, min: number, max: number): number {
  let i = s;
  while (i < e && i - s < max + 1 && isDigit(b[i]!)) i++;
  return i - s >= min && i - s <= max ? i : -1;
}

/** -?\d{1,int}(\.\d{1,dec})? exactly, returning whether a non-zero digit occurs; null when not matched. */
function decimal(b: Buffer, s: number, e: number, sign: boolean, int: number, dec: number): { nonZero: boolean } | null {
  let i = s;
  if (sign && b[i] === 45) i++;
  const intEnd = digits(b, i, e, 1, int);
  if (intEnd < 0) return null;
  let end = intEnd;
  if (end < e) {
    if (b[end] !== 46) return null;
    end = digits(b, end + 1, e, 1, dec);
    if (end !== e) return null;
  }
  let nonZero = false;
  for (let k = i; k < e; k++) if (b[k]! > 48 && b[k]! <= 57) nonZero = true;
  return { nonZero };
}

export function byteCheck(column: CsvColumn): ByteCheck {
  switch (column.type) {
    case 'id':
      return (b, s, e) => plainAscii(b, s, e, 40);
    case 'text': {
      if (column.values) {
        const values = column.values.map((v) => Buffer.from(v, 'latin1'));
        return (b, s, e) => values.some((v) => v.length === e - s && v.equals(b.subarray(s, e)));
      }
      const max = column.maxLength ?? Number.MAX_SAFE_INTEGER;
      return (b, s, e) => plainAscii(b, s, e, max);
    }
    case 'date':
      return (b, s, e) => {
        if (e - s !== 10 || b[s + 4] !== 45 || b[s + 7] !== 45) return false;
        for (const k of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(b[s + k]!)) return false;
        const y = (b[s]! - 48) * 1000 + (b[s + 1]! - 48) * 100 + (b[s + 2]! - 48) * 10 + (b[s + 3]! - 48);
        const m = (b[s + 5]! - 48) * 10 + (b[s + 6]! - 48);
        const d = (b[s + 8]! - 48) * 10 + (b[s + 9]! - 48);
        if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
        const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
        return d <= (m === 2 && !leap ? 28 : DAYS_IN_MONTH[m - 1]!);
      };
    case 'amount':
      return (b, s, e) => (column.signed || b[s] !== 45) && decimal(b, s, e, true, 15, 4) !== null;
    case 'rate':
      return (b, s, e) => decimal(b, s, e, false, 10, 10)?.nonZero === true;
    case 'integer':
      return (b, s, e) => digits(b, s, e, 1, 4) === e;
    case 'boolean':
      return (b, s, e) =>
        (e - s === 4 && b[s] === 116 && b[s + 1] === 114 && b[s + 2] === 117 && b[s + 3] === 101) ||
        (e - s === 5 && b[s] === 102 && b[s + 1] === 97 && b[s + 2] === 108 && b[s + 3] === 115 && b[s + 4] === 101);
    case 'currency':
      return (b, s, e) => e - s === 3 && isUpper(b[s]!) && isUpper(b[s + 1]!) && isUpper(b[s + 2]!);
    case 'country':
      return (b, s, e) => e - s === 2 && isUpper(b[s]!) && isUpper(b[s + 1]!);
  }
}

/** Output bytes, handed out in chunks of about `size`. */
class OutBuffer {
  buf: Buffer;
  pos = 0;
  readonly ready: Buffer[] = [];
  constructor(private readonly size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    if (this.pos > 0) this.ready.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(this.size, bytes));
    this.pos = 0;
  }
  take(): Buffer[] {
    if (this.pos > 0) {
      this.ready.push(this.buf.subarray(0, this.pos));
      this.buf = Buffer.allocUnsafe(this.size);
      this.pos = 0;
    }
    return this.ready.splice(0);
  }
}

interface Plan {
  kind: 'line' | 'cell' | 'lookup' | 'check';
  /** Index of the contract column. */
  column: number;
  fallback: string | null;
  lookup: ((value: string) => string | undefined) | null;
}

export interface EncodeOptions {
  /**
   * The contract column holding the file's natural key: the encoder notes whether the keys come
   * in strictly increasing order (as exports sorted by id do), which proves there is no repeat
   * without keeping any key in memory.
   */
  unique?: string;
  /** A contract column whose distinct (parsed, non-empty) values are collected. */
  distinct?: string;
  /** Bytes per chunk handed to `write`. */
  chunkBytes?: number;
}

export interface EncodeResult {
  rows: number;
  /** True when every key was greater than the one before (byte order): no key appears twice. False: not known. */
  uniqueChecked: boolean;
  /** The distinct values of `options.distinct`. */
  distinct: Set<string>;
}

/**
 * Reads a CSV source and writes COPY text rows (the `outputs`), calling `write` with chunks
 * between input chunks.
 */
export async function encodeCsvForCopy(
  spec: CsvFileSpec,
  source: CsvSource,
  outputs: CopyOutput[],
  write: (chunks: Buffer[], rows: number) => Promise<void>,
  options: EncodeOptions = {},
): Promise<EncodeResult> {
  const chunkBytes = options.chunkBytes ?? 1 << 18;
  const columnIndex = (name: string): number => {
    const index = spec.columns.findIndex((c) => c.name === name);
    if (index < 0) throw new Error(`${spec.file} has no column ${name}`);
    return index;
  };
  const plan: Plan[] = outputs.map((o) =>
    o.kind === 'line'
      ? { kind: 'line', column: -1, fallback: null, lookup: null }
      : o.kind === 'cell'
        ? { kind: 'cell', column: columnIndex(o.column), fallback: o.fallback ?? null, lookup: null }
        : { kind: 'lookup', column: columnIndex(o.column), fallback: null, lookup: o.lookup },
  );
  // Every contract column is validated, output or not, in the contract's order.
  const covered = new Set(plan.map((p) => p.column));
  spec.columns.forEach((_, i) => {
    if (!covered.has(i)) plan.push({ kind: 'check', column: i, fallback: null, lookup: null });
  });
  const parsers: CellParser[] = spec.columns.map((c) => cellParser(c));
  const checks: ByteCheck[] = spec.columns.map((c) => byteCheck(c));
  const required = spec.columns.map((c) => c.required);
  const names = spec.columns.map((c) => c.name);
  const nOut = outputs.length;
  const keyColumn = options.unique === undefined ? -1 : columnIndex(options.unique);
  let increasing = keyColumn >= 0;
  let previous = Buffer.alloc(64);
  let previousLength = -1;
  /** Compares the key in bytes [s, e) with the previous one; keeps it. */
  const nextKey = (b: Buffer, s: number, e: number): void => {
    const length = e - s;
    if (previousLength >= 0) {
      const n = Math.min(length, previousLength);
      let cmp = 0;
      for (let i = 0; i < n && cmp === 0; i++) cmp = b[s + i]! - previous[i]!;
      if (cmp === 0) cmp = length - previousLength;
      if (cmp <= 0) {
        increasing = false;
        return;
      }
    }
    if (length > previous.length) previous = Buffer.alloc(length * 2);
    b.copy(previous, 0, s, e);
    previousLength = length;
  };
  const distinctColumn = options.distinct === undefined ? -1 : columnIndex(options.distinct);
  const distinct = new Set<string>();
  let lastDistinct = Buffer.alloc(0);

  let mapping: Int32Array | null = null;
  let width = 0;
  const starts = new Int32Array(1024);
  const ends = new Int32Array(1024);
  const out = new OutBuffer(chunkBytes + (chunkBytes >> 2));
  let rows = 0;

  const fail = (line: number, column: number, error: unknown): never => {
    if (error instanceof CellError) throw new ImportError(spec.file, line, names[column]!, error.message);
    throw error;
  };

  const readHeader = (line: number, cells: string[]): void => {
    const header = cells.map((c) => c.trim().toLowerCase());
    width = header.length;
    mapping = new Int32Array(spec.columns.length);
    spec.columns.forEach((column, i) => {
      const index = header.indexOf(column.name);
      if (index < 0) throw new ImportError(spec.file, line, column.name, `the header has no column ${column.name}`);
      mapping![i] = index;
    });
  };

  /**
   * The values of a record in string form (quoted records, and the slow cells of plain ones):
   * validated in the contract's order first, as the reference does, then written.
   */
  const parsed: Array<string | null> = new Array<string | null>(spec.columns.length).fill(null);
  const writeText = (text: string, escape: boolean): void => {
    const value = escape ? escapeCopy(text) : text;
    out.ensure(value.length * 3 + 2);
    out.pos += out.buf.write(value, out.pos, 'utf8');
  };

  const stringRow = (line: number, cells: string[]): void => {
    if (!mapping) return readHeader(line, cells);
    if (cells.length !== width) throw new ImportError(spec.file, line, null, `has ${cells.length} cells where the header has ${width}`);
    for (let c = 0; c < parsed.length; c++) {
      try {
        parsed[c] = parsers[c]!(cells[mapping[c]!]!);
      } catch (error) {
        fail(line, c, error);
      }
    }
    if (distinctColumn >= 0 && parsed[distinctColumn] !== null) distinct.add(parsed[distinctColumn]!);
    if (increasing) {
      const key = Buffer.from(parsed[keyColumn] ?? '', 'utf8');
      nextKey(key, 0, key.length);
    }
    out.ensure(16 + nOut * 4);
    for (let k = 0; k < plan.length; k++) {
      const p = plan[k]!;
      if (p.kind === 'check') continue;
      if (k > 0) out.buf[out.pos++] = 9;
      if (p.kind === 'line') {
        writeText(String(line), false);
        continue;
      }
      let value: string | null = parsed[p.column]!;
      if (p.kind === 'lookup') {
        const id = p.lookup!(value!);
        if (id === undefined) throw new LookupMiss(line, names[p.column]!);
        value = id;
      } else if (value === null) value = p.fallback;
      if (value === null) {
        out.ensure(3);
        out.buf[out.pos++] = 92;
        out.buf[out.pos++] = 78;
      } else writeText(value, true);
    }
    out.ensure(1);
    out.buf[out.pos++] = 10;
    rows++;
  };

  /** A record without quotes, bytes [s, e) of `b`. */
  const plainRow = (line: number, b: Buffer, s: number, e: number): void => {
    if (!mapping) return readHeader(line, b.toString('utf8', s, e).split(','));
    let n = 0;
    starts[0] = s;
    for (let i = s; i < e; i++) {
      if (b[i] === 44) {
        ends[n] = i;
        if (++n >= starts.length) return stringRow(line, b.toString('utf8', s, e).split(','));
        starts[n] = i + 1;
      }
    }
    ends[n++] = e;
    if (n !== width) throw new ImportError(spec.file, line, null, `has ${n} cells where the header has ${width}`);
    // Validate in the contract's order; a cell the bytes cannot vouch for goes the string way.
    for (let c = 0; c < mapping.length; c++) {
      const j = mapping[c]!;
      const cs = starts[j]!;
      const ce = ends[j]!;
      if (cs < ce && b[cs]! > 32 && b[ce - 1]! > 32 && checks[c]!(b, cs, ce)) continue;
      if (cs === ce && !required[c]) continue;
      // Slow cell: the whole record goes through the string parsers (which throw the reference's error).
      return stringRow(line, b.toString('utf8', s, e).split(','));
    }
    // Bytes that passed their check are the parsed values themselves.
    if (distinctColumn >= 0) {
      const j = mapping[distinctColumn]!;
      const ds = starts[j]!;
      const de = ends[j]!;
      // Runs of one value are common: compare bytes before making a string.
      if (ds < de && (de - ds !== lastDistinct.length || lastDistinct.compare(b, ds, de) !== 0)) {
        lastDistinct = Buffer.from(b.subarray(ds, de));
        distinct.add(lastDistinct.toString('latin1'));
      }
    }
    if (increasing) nextKey(b, starts[mapping[keyColumn]!]!, ends[mapping[keyColumn]!]!);
    out.ensure(2 * (e - s) + 16 + nOut * 24);
    const o = out.buf;
    let pos = out.pos;
    for (let k = 0; k < plan.length; k++) {
      const p = plan[k]!;
      if (p.kind === 'check') continue;
      if (k > 0) o[pos++] = 9;
      if (p.kind === 'line') {
        pos += o.write(String(line), pos, 'latin1');
        continue;
      }
      const j = mapping[p.column]!;
      const cs = starts[j]!;
      const ce = ends[j]!;
      if (p.kind === 'lookup') {
        const id = p.lookup!(b.toString('latin1', cs, ce));
        if (id === undefined) throw new LookupMiss(line, names[p.column]!);
        pos += o.write(id, pos, 'latin1');
      } else if (cs === ce) {
        if (p.fallback === null) {
          o[pos++] = 92;
          o[pos++] = 78;
        } else pos += o.write(p.fallback, pos, 'latin1');
      } else {
        for (let i = cs; i < ce; i++) o[pos++] = b[i]!;
      }
    }
    o[pos++] = 10;
    out.pos = pos;
    rows++;
  };

  let lineNo = 0;
  let first = true;
  let rest: Buffer | null = null;
  let pendingLine = 0;
  let pendingText: string | null = null;

  const invalidUtf8 = (b: Buffer, s: number, e: number): never => {
    let line = lineNo;
    let from = s;
    for (let i = s; i <= e; i++) {
      if (i === e || b[i] === 10) {
        line++;
        if (!isUtf8(b.subarray(from, i))) break;
        from = i + 1;
      }
    }
    throw new CsvSyntaxError(line, 'the file is not valid UTF-8');
  };

  const take = (b: Buffer, final: boolean): void => {
    let start = 0;
    if (first) {
      // A byte order mark is skipped at the very start of the file only.
      if (b.length < 3 && !final) {
        rest = b;
        return;
      }
      if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) start = 3;
      first = false;
    }
    const end = final ? b.length : b.lastIndexOf(10) + 1;
    if (end > start && !isUtf8(b.subarray(start, end))) invalidUtf8(b, start, end);
    let quote = b.indexOf(34, start);
    while (start < end) {
      let nl = b.indexOf(10, start);
      if (nl < 0 || nl >= end) nl = end;
      const stop = nl > start && b[nl - 1] === 13 ? nl - 1 : nl;
      if (quote >= 0 && quote < start) quote = b.indexOf(34, start);
      lineNo++;
      if (pendingText !== null) {
        pendingText += `\n${b.toString('utf8', start, stop)}`;
        const cells = parseQuoted(pendingText);
        if (cells) {
          pendingText = null;
          stringRow(pendingLine, cells);
        }
      } else if (stop > start) {
        if (quote < 0 || quote >= stop) plainRow(lineNo, b, start, stop);
        else {
          const text = b.toString('utf8', start, stop);
          const cells = parseQuoted(text);
          if (cells) stringRow(lineNo, cells);
          else {
            pendingLine = lineNo;
            pendingText = text;
          }
        }
      }
      start = nl + 1;
    }
    rest = end < b.length ? b.subarray(end) : null;
  };

  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (bytes.length === 0) continue;
    take(rest ? Buffer.concat([rest, bytes]) : bytes, false);
    if (rest) rest = Buffer.from(rest);
    const chunks = out.take();
    if (chunks.length > 0) await write(chunks, rows);
  }
  if (rest || first) take(rest ?? Buffer.alloc(0), true);
  if (pendingText !== null) throw new CsvSyntaxError(pendingLine, 'a quoted cell is never closed');
  if (!mapping) throw new ImportError(spec.file, 1, null, 'the file is empty: a header row is required');
  await write(out.take(), rows);
  return { rows, uniqueChecked: increasing, distinct };
}
