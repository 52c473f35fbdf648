/** The public entry of import/: what other features and the composition root may use. */
export { ImportError } from './ar-import.errors';
export { directorySources, importAr } from './ar-import.service';
export type { ImportOptions, ImportResult, ImportSources } from './ar-import.service';
export { CSV_FILES, CSV_TABLES, DISPUTE_STATUSES } from './csv-contract';
export type { CsvTable } from './csv-contract';
