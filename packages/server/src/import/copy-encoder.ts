import { isUtf8 } from 'node:buffer';
import { ImportError } from './ar-import.errors';
import { CellError, cellParser, type CellParser } from './cell-parsers';
import { headerIndexes, type CsvColumn, type CsvFileSpec } from './csv-contract';
import { CsvSyntaxError, parseQuoted, type CsvSource } from './csv-reader';
import { escapeCopy, headerIndex } from './row-encoder';

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
  const encoder = new CopyRowEncoder(spec, outputs, options);
  const records = new CsvRecords(encoder);
  for await (const chunk of source) {
    const bytes = asBytes(chunk);
    if (bytes.length === 0) continue;
    records.push(bytes);
    const chunks = encoder.out.take();
    if (chunks.length > 0) await write(chunks, encoder.rows);
  }
  records.end();
  encoder.end();
  await write(encoder.out.take(), encoder.rows);
  return encoder.result();
}

function asBytes(chunk: string | Uint8Array): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Where `CsvRecords` hands each record: a plain one as bytes, a quoted one as decoded cells. */
interface RecordSink {
  plainRow(line: number, b: Buffer, s: number, e: number): void;
  stringRow(line: number, cells: string[]): void;
}

/**
 * Cuts the bytes of a CSV file into records, as `scanCsv` does: a leading BOM is dropped, the
 * bytes must be UTF-8, CRLF is read as LF, empty lines are skipped, and a record with a quote is
 * decoded and split by the reference's quote parser (continuing on the next lines while a quoted
 * cell is open). A record without quotes is handed over as bytes.
 */
class CsvRecords {
  private lineNo = 0;
  private first = true;
  /** The bytes after the last line break, waiting for the next chunk. */
  private rest: Buffer | null = null;
  private pendingLine = 0;
  /** A quoted record whose quote is still open at the end of its line. */
  private pendingText: string | null = null;

  constructor(private readonly sink: RecordSink) {}

  push(bytes: Buffer): void {
    this.take(this.rest ? Buffer.concat([this.rest, bytes]) : bytes, false);
    // What is left is copied: it must neither alias nor pin the source's chunk.
    if (this.rest) this.rest = Buffer.from(this.rest);
  }

  end(): void {
    if (this.rest || this.first) this.take(this.rest ?? Buffer.alloc(0), true);
    if (this.pendingText !== null) throw new CsvSyntaxError(this.pendingLine, 'a quoted cell is never closed');
  }

  /** Reads the complete lines of `b` (all of it when `final`) and keeps the rest. */
  private take(b: Buffer, final: boolean): void {
    const start = this.first ? this.skipByteOrderMark(b, final) : 0;
    if (start < 0) {
      this.rest = b;
      return;
    }
    const end = final ? b.length : b.lastIndexOf(10) + 1;
    if (end > start && !isUtf8(b.subarray(start, end))) this.invalidUtf8(b, start, end);
    this.readLines(b, start, end);
    this.rest = end < b.length ? b.subarray(end) : null;
  }

  /** At the very start of the file only: the offset after a byte order mark (0 without one), or -1 while fewer than 3 bytes have come. */
  private skipByteOrderMark(b: Buffer, final: boolean): number {
    if (b.length < 3 && !final) return -1;
    this.first = false;
    return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  }

  /** The lines in bytes [start, end) of `b`, each ending at a line break or at `end`. */
  private readLines(b: Buffer, start: number, end: number): void {
    // The next quote at or after `start` (-1: none left), searched once, not per line.
    let quote = b.indexOf(34, start);
    while (start < end) {
      let nl = b.indexOf(10, start);
      if (nl < 0 || nl >= end) nl = end;
      const stop = nl > start && b[nl - 1] === 13 ? nl - 1 : nl;
      if (quote >= 0 && quote < start) quote = b.indexOf(34, start);
      this.lineNo++;
      if (this.pendingText !== null) this.continueQuoted(b.toString('utf8', start, stop));
      else if (stop > start) {
        if (quote < 0 || quote >= stop) this.sink.plainRow(this.lineNo, b, start, stop);
        else this.startQuoted(b.toString('utf8', start, stop));
      }
      start = nl + 1;
    }
  }

  private startQuoted(text: string): void {
    const cells = parseQuoted(text);
    if (cells) this.sink.stringRow(this.lineNo, cells);
    else {
      this.pendingLine = this.lineNo;
      this.pendingText = text;
    }
  }

  private continueQuoted(text: string): void {
    this.pendingText += `\n${text}`;
    const cells = parseQuoted(this.pendingText!);
    if (cells) {
      this.pendingText = null;
      this.sink.stringRow(this.pendingLine, cells);
    }
  }

  /** Throws the syntax error naming the first line of bytes [s, e) that is not UTF-8. */
  private invalidUtf8(b: Buffer, s: number, e: number): never {
    let line = this.lineNo;
    let from = s;
    for (let i = s; i <= e; i++) {
      if (i === e || b[i] === 10) {
        line++;
        if (!isUtf8(b.subarray(from, i))) break;
        from = i + 1;
      }
    }
    throw new CsvSyntaxError(line, 'the file is not valid UTF-8');
  }
}

/** Notes whether the keys handed to `next` come in strictly increasing byte order. */
class KeyOrder {
  private previous = Buffer.alloc(64);
  private previousLength = -1;

  constructor(public increasing: boolean) {}

  /** Compares the key in bytes [s, e) with the previous one; keeps it. */
  next(b: Buffer, s: number, e: number): void {
    const length = e - s;
    if (this.previousLength >= 0) {
      const n = Math.min(length, this.previousLength);
      let cmp = 0;
      for (let i = 0; i < n && cmp === 0; i++) cmp = b[s + i]! - this.previous[i]!;
      if (cmp === 0) cmp = length - this.previousLength;
      if (cmp <= 0) {
        this.increasing = false;
        return;
      }
    }
    if (length > this.previous.length) this.previous = Buffer.alloc(length * 2);
    b.copy(this.previous, 0, s, e);
    this.previousLength = length;
  }
}

/** The distinct values of one column. */
class DistinctValues {
  readonly values = new Set<string>();
  private last = Buffer.alloc(0);

  /** Bytes [s, e) of `b`, a checked cell (empty: no value). */
  addBytes(b: Buffer, s: number, e: number): void {
    // Runs of one value are common: compare bytes before making a string.
    if (s < e && (e - s !== this.last.length || this.last.compare(b, s, e) !== 0)) {
      this.last = Buffer.from(b.subarray(s, e));
      this.values.add(this.last.toString('latin1'));
    }
  }

  addText(value: string | null): void {
    if (value !== null) this.values.add(value);
  }
}

/** The plan of a COPY row: the outputs in order, then a `check` for every contract column no output holds (validated all the same). */
function planRow(outputs: CopyOutput[], columnIndex: (name: string) => number, columns: number): Plan[] {
  const plan: Plan[] = outputs.map((o) =>
    o.kind === 'line'
      ? { kind: 'line', column: -1, fallback: null, lookup: null }
      : o.kind === 'cell'
        ? { kind: 'cell', column: columnIndex(o.column), fallback: o.fallback ?? null, lookup: null }
        : { kind: 'lookup', column: columnIndex(o.column), fallback: null, lookup: o.lookup },
  );
  const covered = new Set(plan.map((p) => p.column));
  for (let i = 0; i < columns; i++) if (!covered.has(i)) plan.push({ kind: 'check', column: i, fallback: null, lookup: null });
  return plan;
}

/**
 * Validates records against the contract and writes them as COPY rows. The header record maps
 * contract columns to cells. A plain record whose every cell passes its byte check is copied
 * byte for byte; any other goes through the string parsers (`stringRow`), which normalise the
 * cells or throw the reference's error.
 */
class CopyRowEncoder implements RecordSink {
  readonly out: OutBuffer;
  rows = 0;
  private readonly plan: Plan[];
  private readonly parsers: CellParser[];
  private readonly checks: ByteCheck[];
  private readonly required: boolean[];
  private readonly names: string[];
  private readonly nOut: number;
  private readonly keyColumn: number;
  private readonly keys: KeyOrder;
  private readonly distinctColumn: number;
  private readonly distinct = new DistinctValues();
  /** Contract column -> cell of the record, from the header; null until the header is read. */
  private mapping: Int32Array | null = null;
  private width = 0;
  /** Bytes [starts[j], ends[j]) are cell j of a plain record. */
  private readonly starts = new Int32Array(1024);
  private readonly ends = new Int32Array(1024);
  /** The parsed values of a string record, in the contract's order. */
  private readonly parsed: Array<string | null>;

  constructor(
    private readonly spec: CsvFileSpec,
    outputs: CopyOutput[],
    options: EncodeOptions,
  ) {
    const chunkBytes = options.chunkBytes ?? 1 << 18;
    const columnIndex = (name: string): number => {
      const index = spec.columns.findIndex((c) => c.name === name);
      if (index < 0) throw new Error(`${spec.file} has no column ${name}`);
      return index;
    };
    this.plan = planRow(outputs, columnIndex, spec.columns.length);
    this.parsers = spec.columns.map((c) => cellParser(c));
    this.checks = spec.columns.map((c) => byteCheck(c));
    this.required = spec.columns.map((c) => c.required);
    this.names = spec.columns.map((c) => c.name);
    this.nOut = outputs.length;
    this.keyColumn = options.unique === undefined ? -1 : columnIndex(options.unique);
    this.keys = new KeyOrder(this.keyColumn >= 0);
    this.distinctColumn = options.distinct === undefined ? -1 : columnIndex(options.distinct);
    this.out = new OutBuffer(chunkBytes + (chunkBytes >> 2));
    this.parsed = new Array<string | null>(spec.columns.length).fill(null);
  }

  /** Throws unless the header row was seen (an empty file). */
  end(): void {
    if (!this.mapping) throw new ImportError(this.spec.file, 1, null, 'the file is empty: a header row is required');
  }

  result(): EncodeResult {
    return { rows: this.rows, uniqueChecked: this.keys.increasing, distinct: this.distinct.values };
  }

  private readHeader(line: number, cells: string[]): void {
    const mapping = new Int32Array(this.spec.columns.length);
    this.width = cells.length;
    this.mapping = mapping;
    headerIndexes(this.spec, cells).forEach((found, i) => {
      mapping[i] = headerIndex(this.spec.file, line, found);
    });
  }

  private wrongWidth(line: number, cells: number): never {
    throw new ImportError(this.spec.file, line, null, `has ${cells} cells where the header has ${this.width}`);
  }

  // --- records as strings (quoted records, and the plain ones with a cell to normalise) ---------

  /** Validated in the contract's order first, as the reference does, then written. */
  stringRow(line: number, cells: string[]): void {
    if (!this.mapping) return this.readHeader(line, cells);
    if (cells.length !== this.width) this.wrongWidth(line, cells.length);
    this.parseCells(line, cells, this.mapping);
    if (this.distinctColumn >= 0) this.distinct.addText(this.parsed[this.distinctColumn]!);
    if (this.keys.increasing) {
      const key = Buffer.from(this.parsed[this.keyColumn] ?? '', 'utf8');
      this.keys.next(key, 0, key.length);
    }
    this.writeParsedRow(line);
  }

  private parseCells(line: number, cells: string[], mapping: Int32Array): void {
    const parsed = this.parsed;
    for (let c = 0; c < parsed.length; c++) {
      try {
        parsed[c] = this.parsers[c]!(cells[mapping[c]!]!);
      } catch (error) {
        if (error instanceof CellError) throw new ImportError(this.spec.file, line, this.names[c]!, error.message);
        throw error;
      }
    }
  }

  private writeParsedRow(line: number): void {
    const out = this.out;
    out.ensure(16 + this.nOut * 4);
    for (let k = 0; k < this.plan.length; k++) {
      const p = this.plan[k]!;
      if (p.kind === 'check') continue;
      if (k > 0) out.buf[out.pos++] = 9;
      if (p.kind === 'line') {
        this.writeText(String(line), false);
        continue;
      }
      let value: string | null = this.parsed[p.column]!;
      if (p.kind === 'lookup') {
        const id = p.lookup!(value);
        if (id === undefined) throw new LookupMiss(line, this.names[p.column]!);
        value = id;
      } else if (value === null) value = p.fallback;
      if (value === null) {
        out.ensure(3);
        out.buf[out.pos++] = 92;
        out.buf[out.pos++] = 78;
      } else this.writeText(value, true);
    }
    out.ensure(1);
    out.buf[out.pos++] = 10;
    this.rows++;
  }

  private writeText(text: string, escape: boolean): void {
    const value = escape ? escapeCopy(text) : text;
    this.out.ensure(value.length * 3 + 2);
    this.out.pos += this.out.buf.write(value, this.out.pos, 'utf8');
  }

  // --- plain records as bytes (the hot path) ------------------------------------------------------

  /** A record without quotes, bytes [s, e) of `b`. */
  plainRow(line: number, b: Buffer, s: number, e: number): void {
    const mapping = this.mapping;
    if (!mapping) return this.readHeader(line, b.toString('utf8', s, e).split(','));
    const n = this.cutCells(b, s, e);
    if (n < 0) return this.stringRow(line, b.toString('utf8', s, e).split(','));
    if (n !== this.width) this.wrongWidth(line, n);
    // A cell the bytes cannot vouch for sends the whole record the string way (whose parsers throw the reference's error).
    if (!this.bytesVouch(b, mapping)) return this.stringRow(line, b.toString('utf8', s, e).split(','));
    // Bytes that passed their check are the parsed values themselves.
    if (this.distinctColumn >= 0) {
      const j = mapping[this.distinctColumn]!;
      this.distinct.addBytes(b, this.starts[j]!, this.ends[j]!);
    }
    if (this.keys.increasing) this.keys.next(b, this.starts[mapping[this.keyColumn]!]!, this.ends[mapping[this.keyColumn]!]!);
    this.writeCheckedRow(line, b, s, e, mapping);
  }

  /** Cuts bytes [s, e) at the commas into `starts`/`ends`; the number of cells, -1 when there are more than those hold. */
  private cutCells(b: Buffer, s: number, e: number): number {
    const starts = this.starts;
    const ends = this.ends;
    let n = 0;
    starts[0] = s;
    for (let i = s; i < e; i++) {
      if (b[i] === 44) {
        ends[n] = i;
        if (++n >= starts.length) return -1;
        starts[n] = i + 1;
      }
    }
    ends[n++] = e;
    return n;
  }

  /** Whether every cell, in the contract's order, passes its byte check (or is an allowed empty one). */
  private bytesVouch(b: Buffer, mapping: Int32Array): boolean {
    for (let c = 0; c < mapping.length; c++) {
      const j = mapping[c]!;
      const cs = this.starts[j]!;
      const ce = this.ends[j]!;
      if (cs < ce && b[cs]! > 32 && b[ce - 1]! > 32 && this.checks[c]!(b, cs, ce)) continue;
      if (cs === ce && !this.required[c]) continue;
      return false;
    }
    return true;
  }

  private writeCheckedRow(line: number, b: Buffer, s: number, e: number, mapping: Int32Array): void {
    const plan = this.plan;
    this.out.ensure(2 * (e - s) + 16 + this.nOut * 24);
    const o = this.out.buf;
    let pos = this.out.pos;
    for (let k = 0; k < plan.length; k++) {
      const p = plan[k]!;
      if (p.kind === 'check') continue;
      if (k > 0) o[pos++] = 9;
      if (p.kind === 'line') {
        pos += o.write(String(line), pos, 'latin1');
        continue;
      }
      const j = mapping[p.column]!;
      const cs = this.starts[j]!;
      const ce = this.ends[j]!;
      if (p.kind === 'lookup') {
        const id = p.lookup!(b.toString('latin1', cs, ce));
        if (id === undefined) throw new LookupMiss(line, this.names[p.column]!);
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
    this.out.pos = pos;
    this.rows++;
  }
}
