/** A bad import names the file, the line and, where it applies, the column; nothing has been written. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: string | null,
    readonly problem: string,
  ) {
    super(`${file}${line !== null ? ` line ${line}` : ''}${column ? `, column ${column}` : ''}: ${problem}`);
    this.name = 'ImportError';
  }
}
