/**
 * A streaming RFC 4180 reader: yields records with the line they start on. The plain case
 * (no quotes) is a split; quoted cells, doubled quotes and line breaks inside quotes are handled.
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
  let pending: { line: number; text: string } | null = null;

  const takeLines = (text: string, final: boolean): CsvRecord[] => {
    const records: CsvRecord[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let line = text.slice(start, nl);
      start = nl + 1;
      lineNo++;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      pushLine(line, records);
    }
    rest = text.slice(start);
    if (final && rest.length > 0) {
      lineNo++;
      let line = rest;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      rest = '';
      pushLine(line, records);
    }
    return records;
  };

  const pushLine = (line: string, records: CsvRecord[]): void => {
    if (pending) {
      pending.text += `\n${line}`;
      const cells = parseQuoted(pending.text);
      if (cells) {
        records.push({ line: pending.line, cells });
        pending = null;
      }
      return;
    }
    if (line.indexOf('"') < 0) {
      if (line.length > 0) records.push({ line: lineNo, cells: line.split(',') });
      return;
    }
    const cells = parseQuoted(line);
    if (cells) records.push({ line: lineNo, cells });
    else pending = { line: lineNo, text: line };
  };

  for await (const chunk of source) {
    let text: string;
    try {
      text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    } catch {
      throw new CsvSyntaxError(lineNo + 1, 'the file is not valid UTF-8');
    }
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.length > 0) first = false;
    }
    const records = takeLines(rest + text, false);
    if (records.length > 0) yield records;
  }
  const records = takeLines(rest, true);
  if (pending) throw new CsvSyntaxError((pending as { line: number }).line, 'a quoted cell is never closed');
  if (records.length > 0) yield records;
}

/** Parses one record with quotes; null when a quoted cell continues on the next line. */
function parseQuoted(text: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return null;
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
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
