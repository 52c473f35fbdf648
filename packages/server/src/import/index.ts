/** The public entry of import/: what other features and the composition root may use. */
export { ImportError } from './ar-import.errors';
export { importAgencyPayments } from './agency-payments-import';
export { directorySources, importAr } from './ar-import.service';
export type { ImportOptions, ImportResult, ImportSources } from './ar-import.service';
export { CSV_FILES, CSV_TABLES, DISPUTE_STATUSES } from './csv-contract';
export type { CsvTable } from './csv-contract';
export { csvCell, csvLine } from './csv-writer';
export { ORG_FILES, ORG_TABLES } from './org-import';
export type { OrgCsvTable } from './org-import';
export { exportOrganisation } from './org-export';
export type { ExportedFile } from './org-export';
