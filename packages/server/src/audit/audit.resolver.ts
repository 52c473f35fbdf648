import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { listAuditLog } from './audit.service';
import { AuditLogConnection } from './audit.types';

/** Configuration history is for those who configure or supervise; not for specialists or client apps. */
@Resolver()
export class AuditLogResolver {
  @Query(() => AuditLogConnection, { description: 'The audit log, newest first; filter by entity (e.g. STRATEGY and its key) or action.' })
  async auditLog(
    @Ctx() ctx: RequestContext,
    @Arg('entityType', () => String, { nullable: true, description: 'Only entries about this kind of entity, e.g. STRATEGY.' }) entityType?: string | null,
    @Arg('entityId', () => String, { nullable: true, description: 'Only entries about this entity (e.g. a strategy key); use with entityType.' })
    entityId?: string | null,
    @Arg('action', () => String, { nullable: true, description: 'Only entries of this action, e.g. ACTIVATE_VERSION.' }) action?: string | null,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, 1 to 200.' }) first = 50,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page; absent for the first page.' }) after?: string | null,
  ): Promise<AuditLogConnection> {
    return listAuditLog(ctx, { entityType, entityId, action, first, after });
  }
}
