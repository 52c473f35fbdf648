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

/** Several rows in one statement (a bulk change: one row per entity changed), with the caller's transaction manager. */
export async function recordAudits(
  manager: EntityManager,
  actor: Actor,
  entries: Array<{ action: string; entityType: string; entityId: string; details?: Record<string, unknown> }>,
): Promise<void> {
  if (!entries.length) return;
  await manager.query(
    `INSERT INTO audit_log (actor_name, actor_role, action, entity_type, entity_id, details)
     SELECT $1, $2, x.action, x.entity_type, x.entity_id, x.details::jsonb FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS x(action, entity_type, entity_id, details)`,
    [
      actor.name,
      actor.role,
      entries.map((e) => e.action),
      entries.map((e) => e.entityType),
      entries.map((e) => e.entityId),
      entries.map((e) => JSON.stringify(e.details ?? {})),
    ],
  );
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
