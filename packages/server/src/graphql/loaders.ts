import type { Database } from '../db/database';

/** DataLoaders, made per request (a loader caches for one request only). */
export interface Loaders {}

export function createLoaders(_db: Database): Loaders {
  return {};
}
