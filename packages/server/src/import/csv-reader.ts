/**
 * A streaming RFC 4180 reader: yields batches of records with the line each starts on. The
 * plain case (no quote in the line) is a split; quoted cells, doubled quotes and line breaks
 * inside quotes are handled by a slower path only for the lines that need it.
 */
export interface CsvRecord {
  /** 1-based physical line where the record starts (the header is line 1). */
  line: number;
  cells: string[];
}

export type CsvSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export async function* readCsv(source: CsvSource): AsyncGenerator<CsvRecord[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let lineNo = 0;
  let first = true;
  // A record whose quoted cell spans lines, waiting for its closing quote.
  let pendingLine = 0;
  let pendingText: string | null = null;

  const take = (text: string, final: boolean): CsvRecord[] => {
    const records: CsvRecord[] = [];
    let start = 0;
    const end = text.length;
    while (start < end) {
      let nl = text.indexOf('\n', start);
      if (nl < 0) {
        if (!final) break;
        nl = end;
      }
      let line = text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
      start = nl + 1;
      lineNo++;
      if (pendingText !== null) {
        pendingText += `\n${line}`;
        const cells = parseQuoted(pendingText);
        if (cells) {
          records.push({ line: pendingLine, cells });
          pendingText = null;
        }
      } else if (line.indexOf('"') < 0) {
        if (line.length > 0) records.push({ line: lineNo, cells: line.split(',') });
      } else {
        const cells = parseQuoted(line);
        if (cells) records.push({ line: lineNo, cells });
        else {
          pendingLine = lineNo;
          pendingText = line;
        }
      }
      line = '';
    }
    rest = start < end ? text.slice(start) : '';
    return records;
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
    const records = take(rest.length > 0 ? rest + text : text, false);
    if (records.length > 0) yield records;
  }
  const records = take(rest, true);
  if (pendingText !== null) throw new CsvSyntaxError(pendingLine, 'a quoted cell is never closed');
  if (records.length > 0) yield records;
}

/** Parses one record with quotes; null when a quoted cell continues on the next line. */
function parseQuoted(text: string): string[] | null {
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
