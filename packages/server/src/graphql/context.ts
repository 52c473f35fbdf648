import type { AuthUser } from './roles';
import type { Database } from '../db/database';
import { createLoaders, type Loaders } from './loaders';

/** Made once per request; services take it first. */
export interface RequestContext {
  db: Database;
  /** Null for a request without a (valid) bearer token. */
  user: AuthUser | null;
  loaders: Loaders;
  /** Settles when the HTTP response is sent or the client went away (unset outside HTTP): work a request leaves for after its answer waits for it. */
  answered?: Promise<void>;
}

export function createRequestContext(db: Database, user: AuthUser | null = null, answered?: Promise<void>): RequestContext {
  return { db, user, loaders: createLoaders(db), ...(answered ? { answered } : {}) };
}
