import type { Database } from '../db/database';

/** Made once per request; services take it first. DataLoaders will live here, per request. */
export interface RequestContext {
  db: Database;
}

export function createRequestContext(db: Database): RequestContext {
  return { db };
}
