/** A cell as the CSV holds it: amounts stay the API's exact decimal strings. */
export type CsvCell = string | number | null | undefined;

export interface CsvTable {
  header: string[];
  rows: CsvCell[][];
}

function cell(value: CsvCell): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 text: a header line, then one line per row. */
export function csvText({ header, rows }: CsvTable): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Saves the table as a file in the browser (no server round trip: exactly the data shown). */
export function downloadCsv(filename: string, table: CsvTable): void {
  const url = URL.createObjectURL(new Blob([csvText(table)], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked after the click has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
