import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Where the embedded database keeps its files: RECOUP_DATA_DIR, else .data/pglite in the checkout. */
export function defaultDataDir(): string {
  return process.env.RECOUP_DATA_DIR ? path.resolve(process.env.RECOUP_DATA_DIR) : path.join(REPO_ROOT, '.data', 'pglite');
}
