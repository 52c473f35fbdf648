import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { encodeCursor, listAuditLog } from './audit.service';
import { AuditLogConnection } from './audit.types';

/** Configuration history is for those who configure or supervise; not for specialists or client apps. */
@Authorized('ADMIN', 'CONFIGURATOR', 'SUPERVISOR')
@Resolver()
export class AuditLogResolver {
  @Query(() => AuditLogConnection, { description: 'The audit log, newest first; filter by entity (e.g. STRATEGY and its key) or action.' })
  async auditLog(
    @Ctx() ctx: RequestContext,
    @Arg('entityType', () => String, { nullable: true }) entityType?: string | null,
    @Arg('entityId', () => String, { nullable: true }) entityId?: string | null,
    @Arg('action', () => String, { nullable: true }) action?: string | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AuditLogConnection> {
    const { rows, hasNextPage } = await listAuditLog(ctx, { entityType, entityId, action, first, after });
    const edges = rows.map((node) => ({ cursor: encodeCursor(node.id), node }));
    return { edges, pageInfo: { hasNextPage, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
