import type { AuthUser } from './roles';
import type { Database } from '../db/database';
import { createLoaders, type Loaders } from './loaders';

/** Made once per request; services take it first. */
export interface RequestContext {
  db: Database;
  /** Null for a request without a (valid) bearer token. */
  user: AuthUser | null;
  loaders: Loaders;
}

export function createRequestContext(db: Database, user: AuthUser | null = null): RequestContext {
  return { db, user, loaders: createLoaders(db) };
}
