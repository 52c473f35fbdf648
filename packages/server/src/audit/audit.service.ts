import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../graphql/roles';
import type { RequestContext } from '../graphql/context';
import { decodeCursor, encodeCursor, pageOf, pageSize, type Page } from '../graphql/paging';
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
    actorName: actor.name,
    actorRole: actor.role,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    details: entry.details ?? {},
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

/** Newest first, keyset-paged on id (stable under concurrent inserts). */
export async function listAuditLog(ctx: RequestContext, query: AuditLogQuery): Promise<Page<AuditLogEntry>> {
  const first = pageSize(query.first, 50, 200, 'first', 1);
  const [after] = query.after ? decodeCursor(query.after, 'AUDIT', 1) : [];
  const qb = ctx.db.dataSource
    .getRepository(AuditLogEntry)
    .createQueryBuilder('a')
    .orderBy('a.id', 'DESC')
    .limit(first + 1);
  if (query.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
  if (query.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
  if (query.action) qb.andWhere('a.action = :action', { action: query.action });
  if (after !== undefined) qb.andWhere('a.id < :after', { after: String(after) });
  return pageOf(
    await qb.getMany(),
    first,
    (row) => encodeCursor('AUDIT', [row.id]),
    (row) => row,
  );
}
