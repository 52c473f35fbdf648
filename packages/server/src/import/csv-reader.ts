/**
 * A streaming RFC 4180 reader: calls back with each record and the line it starts on (1-based
 * physical line; the header is line 1). The plain case (no quote in the line) is cut at the
 * commas; quoted cells, doubled quotes and line breaks inside quotes are handled by a slower
 * path only for the lines that need it. Empty lines are skipped, a leading BOM is dropped, CRLF
 * is read as LF.
 */
export type CsvSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parses one record with quotes; null when a quoted cell continues on the next line. */
export function parseQuoted(text: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return null;
        value += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const comma = text.indexOf(',', i);
      // Anything between the closing quote and the comma is kept, as lenient readers do.
      value += comma < 0 ? text.slice(i) : text.slice(i, comma);
      cells.push(value);
      if (comma < 0) return cells;
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      cells.push(comma < 0 ? text.slice(i) : text.slice(i, comma));
      if (comma < 0) return cells;
      i = comma + 1;
    }
  }
}

/**
 * Calls `onRecord(line, cells)` for every record, synchronously within a chunk (`cells` is
 * reused between calls: copy what you keep), and awaits `afterChunk` between chunks, where a
 * writer applies backpressure.
 */
export async function scanCsv(source: CsvSource, onRecord: (line: number, cells: string[]) => void, afterChunk?: () => Promise<void> | void): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const records = new TextRecords(onRecord);
  let first = true;
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decode(decoder, records.lineNo, chunk);
    if (first && text.length > 0) {
      text = dropByteOrderMark(text);
      first = false;
    }
    records.push(text);
    await afterChunk?.();
  }
  records.end(decode(decoder, records.lineNo));
}

/** The text of the next bytes (none: the end of the input); what is not UTF-8 is a syntax error of the line being read. */
function decode(decoder: InstanceType<typeof TextDecoder>, linesRead: number, bytes?: Uint8Array): string {
  try {
    return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
  } catch {
    throw new CsvSyntaxError(linesRead + 1, 'the file is not valid UTF-8');
  }
}

const dropByteOrderMark = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** Cuts text into records: lines, and the lines a quoted cell spans, joined. */
class TextRecords {
  lineNo = 0;
  private readonly cells: string[] = [];
  /** The text after the last line break, waiting for the next chunk. */
  private rest = '';
  private pendingLine = 0;
  /** A quoted record whose quote is still open at the end of its line. */
  private pendingText: string | null = null;

  constructor(private readonly onRecord: (line: number, cells: string[]) => void) {}

  push(text: string): void {
    this.take(this.rest.length > 0 ? this.rest + text : text, false);
  }

  /** Reads what is left (and `tail`) as the last line; throws when a quoted cell is still open. */
  end(tail: string): void {
    if (tail.length > 0) this.rest += tail;
    this.take(this.rest, true);
    if (this.pendingText !== null) throw new CsvSyntaxError(this.pendingLine, 'a quoted cell is never closed');
  }

  /** Reads the complete lines of `text` (all of it when `final`) and keeps the rest. */
  private take(text: string, final: boolean): void {
    let start = 0;
    const end = text.length;
    // The next quote at or after `start` (-1: none left in this text), searched once, not per line.
    let quote = text.indexOf('"');
    while (start < end) {
      let nl = text.indexOf('\n', start);
      if (nl < 0) {
        if (!final) break;
        nl = end;
      }
      const stop = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (quote >= 0 && quote < start) quote = text.indexOf('"', start);
      this.lineNo++;
      if (this.pendingText !== null) this.continueQuoted(text.slice(start, stop));
      else if (stop > start) {
        if (quote < 0 || quote >= stop) this.plainRecord(text, start, stop);
        else this.startQuoted(text.slice(start, stop));
      }
      start = nl + 1;
    }
    this.rest = start < end ? text.slice(start) : '';
  }

  /** The plain case: cells are the slices between commas. */
  private plainRecord(text: string, start: number, stop: number): void {
    const cells = this.cells;
    let n = 0;
    let c = start;
    for (;;) {
      const comma = text.indexOf(',', c);
      if (comma < 0 || comma >= stop) {
        cells[n++] = text.slice(c, stop);
        break;
      }
      cells[n++] = text.slice(c, comma);
      c = comma + 1;
    }
    cells.length = n;
    this.onRecord(this.lineNo, cells);
  }

  private startQuoted(line: string): void {
    const quoted = parseQuoted(line);
    if (quoted) this.onRecord(this.lineNo, quoted);
    else {
      this.pendingLine = this.lineNo;
      this.pendingText = line;
    }
  }

  private continueQuoted(line: string): void {
    this.pendingText += `\n${line}`;
    const quoted = parseQuoted(this.pendingText!);
    if (quoted) {
      this.pendingText = null;
      this.onRecord(this.pendingLine, quoted);
    }
  }
}

/**
 * The cells of the header row alone (the first record), read from the start of the source and
 * then left: a file's optional columns decide how it is loaded before it is. Lenient: bytes that
 * are not UTF-8 or a header never closed give what was read, for the full read to report.
 */
export async function readHeader(source: CsvSource): Promise<string[]> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  for await (const chunk of source) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const cells = firstRecord(text);
    // Leaving the loop closes the source (a file stream is destroyed, a generator returns).
    if (cells || text.length > HEADER_MAX_CHARS) return cells ?? firstRecord(text, true) ?? [];
  }
  return firstRecord(text, true) ?? [];
}

/** Beyond this, a header is not read further (no header is this long). */
const HEADER_MAX_CHARS = 1 << 20;

/** The first non-empty record of `text`, or null while it may continue past the end (unless `final`). */
function firstRecord(text: string, final = false): string[] | null {
  const body = dropByteOrderMark(text).replace(/^(\r?\n)+/, '');
  let end = body.indexOf('\n');
  while (end >= 0) {
    const cells = parseQuoted(body.slice(0, end).replace(/\r$/, ''));
    if (cells) return cells;
    end = body.indexOf('\n', end + 1);
  }
  return final ? parseQuoted(body.replace(/\r$/, '')) : null;
}
