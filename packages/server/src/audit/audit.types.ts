import { Field, ID, ObjectType } from 'type-graphql';
import { JSONScalar } from '../graphql/scalars';
import { PageInfo } from '../graphql/paging';

@ObjectType({ description: 'One recorded change: who (token name and role), when, what.' })
export class AuditLogEntryType {
  @Field(() => ID, { description: 'Identifier of the entry.' })
  id!: string;

  @Field(() => Date, { description: 'When the change was made (ISO 8601 timestamp).' })
  at!: Date;

  @Field(() => String, { description: 'Name of the API token (or system actor, e.g. cli) that made the change.' })
  actorName!: string;

  @Field(() => String, { description: 'Role of that token when it made the change, e.g. ADMIN or CONFIGURATOR.' })
  actorRole!: string;

  @Field(() => String, { description: 'What was done, e.g. STRATEGY_CREATED, STRATEGY_DRAFT_UPDATED, STRATEGY_VERSION_ACTIVATED.' })
  action!: string;

  @Field(() => String, { description: 'Kind of the changed entity, e.g. STRATEGY.' })
  entityType!: string;

  @Field(() => String, { description: 'Identifier of the changed entity within its kind, e.g. the strategy key.' })
  entityId!: string;

  @Field(() => JSONScalar, { description: 'Details of the change as JSON, depending on the action (e.g. the version id and number).' })
  details!: Record<string, unknown>;
}

@ObjectType({ description: 'An audit log entry with its cursor.' })
export class AuditLogEdge {
  @Field(() => String, { description: 'Opaque cursor of this entry; pass it as `after` to read the entries that follow.' })
  cursor!: string;

  @Field(() => AuditLogEntryType, { description: 'The audit log entry.' })
  node!: AuditLogEntryType;
}

@ObjectType({ description: 'A page of audit log entries, newest first.' })
export class AuditLogConnection {
  @Field(() => [AuditLogEdge], { description: 'The entries of this page, newest first.' })
  edges!: AuditLogEdge[];

  @Field(() => PageInfo, { description: 'Paging state of this page.' })
  pageInfo!: PageInfo;
}
