/**
 * CSV text as the importer reads it back (RFC 4180, `\n` line ends): a cell is quoted, its quotes
 * doubled, when it holds a comma, a quote or a line break; null is the empty cell. (`|` needs
 * no quotes: it separates list items only in list columns, whose keys cannot hold it.)
 */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: ReadonlyArray<string | number | boolean | null>): string {
  return `${values.map(csvCell).join(',')}\n`;
}
