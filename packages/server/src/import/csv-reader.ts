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
export async function scanCsv(
  source: CsvSource,
  onRecord: (line: number, cells: string[]) => void,
  afterChunk?: () => Promise<void> | void,
): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const cells: string[] = [];
  let rest = '';
  let lineNo = 0;
  let first = true;
  let pendingLine = 0;
  let pendingText: string | null = null;

  const take = (text: string, final: boolean): void => {
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
      lineNo++;
      if (pendingText !== null) {
        pendingText += `\n${text.slice(start, stop)}`;
        const quoted = parseQuoted(pendingText);
        if (quoted) {
          pendingText = null;
          onRecord(pendingLine, quoted);
        }
      } else if (stop > start) {
        if (quote < 0 || quote >= stop) {
          // The plain case: cells are the slices between commas.
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
          onRecord(lineNo, cells);
        } else {
          const line = text.slice(start, stop);
          const quoted = parseQuoted(line);
          if (quoted) onRecord(lineNo, quoted);
          else {
            pendingLine = lineNo;
            pendingText = line;
          }
        }
      }
      start = nl + 1;
    }
    rest = start < end ? text.slice(start) : '';
  };

  for await (const chunk of source) {
    let text: string;
    try {
      text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    } catch {
      throw new CsvSyntaxError(lineNo + 1, 'the file is not valid UTF-8');
    }
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    take(rest.length > 0 ? rest + text : text, false);
    await afterChunk?.();
  }
  try {
    const tail = decoder.decode();
    if (tail.length > 0) rest += tail;
  } catch {
    throw new CsvSyntaxError(lineNo + 1, 'the file is not valid UTF-8');
  }
  take(rest, true);
  if (pendingText !== null) throw new CsvSyntaxError(pendingLine, 'a quoted cell is never closed');
}
