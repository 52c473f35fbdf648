import { Field, ID, ObjectType } from 'type-graphql';
import { JSONScalar } from '../simulation/json.scalar';
import { PageInfo } from '../worklists/worklist.types';

@ObjectType({ description: 'One recorded change: who (token name and role), when, what.' })
export class AuditLogEntryType {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { description: 'Name of the API token (or system actor, e.g. cli) that made the change.' })
  actorName!: string;

  @Field(() => String)
  actorRole!: string;

  @Field(() => String, { description: 'e.g. STRATEGY_CREATED, STRATEGY_DRAFT_UPDATED, STRATEGY_VERSION_ACTIVATED' })
  action!: string;

  @Field(() => String, { description: 'e.g. STRATEGY' })
  entityType!: string;

  @Field(() => String, { description: 'e.g. the strategy key' })
  entityId!: string;

  @Field(() => JSONScalar)
  details!: Record<string, unknown>;
}

@ObjectType()
export class AuditLogEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AuditLogEntryType)
  node!: AuditLogEntryType;
}

@ObjectType()
export class AuditLogConnection {
  @Field(() => [AuditLogEdge])
  edges!: AuditLogEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
