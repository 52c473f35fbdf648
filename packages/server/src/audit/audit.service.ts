import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth.types';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError } from '../graphql/errors';
import { AuditLogEntry } from './audit-log.entity';

/** Who a change is recorded as: the token (name and role) of the request, or a named system actor (CLI, seed). */
export type Actor = Pick<AuthUser, 'name' | 'role'>;

/** Written with the caller's transaction manager, so the row exists exactly when the change does. */
export async function recordAudit(
  manager: EntityManager,
  actor: Actor,
  entry: { action: string; entityType: string; entityId: string; details?: Record<string, unknown> },
): Promise<AuditLogEntry> {
  return manager.getRepository(AuditLogEntry).save({
    actorName: actor.name, actorRole: actor.role, action: entry.action, entityType: entry.entityType, entityId: entry.entityId, details: entry.details ?? {},
  });
}

export interface AuditLogQuery {
  entityType?: string | null;
  entityId?: string | null;
  action?: string | null;
  first: number;
  /** Cursor: the id of the last row seen; rows come newest first. */
  after?: string | null;
}

export const MAX_PAGE = 200;

export function decodeCursor(cursor: string | null | undefined, path = 'after'): string | null {
  if (!cursor) return null;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,19}$/.test(id)) throw new BadUserInputError('Malformed cursor', path);
  return id;
}

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function checkPageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw new BadUserInputError(`first must be from 1 to ${MAX_PAGE}`, 'first');
  return first;
}

/** Newest first, keyset-paged on id (stable under concurrent inserts). */
export async function listAuditLog(ctx: RequestContext, query: AuditLogQuery): Promise<{ rows: AuditLogEntry[]; hasNextPage: boolean }> {
  const first = checkPageSize(query.first);
  const after = decodeCursor(query.after);
  const qb = ctx.db.dataSource.getRepository(AuditLogEntry).createQueryBuilder('a').orderBy('a.id', 'DESC').limit(first + 1);
  if (query.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
  if (query.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
  if (query.action) qb.andWhere('a.action = :action', { action: query.action });
  if (after) qb.andWhere('a.id < :after', { after });
  const rows = await qb.getMany();
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}
