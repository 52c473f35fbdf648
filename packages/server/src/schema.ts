import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AuditLogResolver } from './audit';
import { HealthResolver } from './health';
import { OrgResolver } from './org';
import { MetadataResolver } from './metadata';
import { ArOverviewResolver } from './partners';
import { StrategyResolver, StrategyVersionResolver } from './strategies';
import { CollectionEventResolver, CustomerResolver } from './customers';
import { CompareResolver, PartnerMoveResolver, PreviewResolver, SpecialistLoadResolver } from './simulation';
import { PartnerResolver, WorklistConnectionResolver, WorklistItemResolver, WorklistRunResolver } from './worklists';
import { PaymentPlanResolver } from './payment-plans';
import { PaymentResolver } from './payments';
import { PromiseResolver } from './promises';
import { ContactResolver } from './contacts';
import { DisputeResolver } from './disputes';
import { DunningResolver } from './dunning';
import { ResubmissionResolver } from './resubmissions';

export const RESOLVERS = [HealthResolver, OrgResolver, ArOverviewResolver, MetadataResolver, StrategyResolver, StrategyVersionResolver, AuditLogResolver,
  WorklistItemResolver, WorklistConnectionResolver, WorklistRunResolver, PartnerResolver, CustomerResolver, CollectionEventResolver,
  PreviewResolver, CompareResolver, PartnerMoveResolver, SpecialistLoadResolver, PromiseResolver, PaymentPlanResolver, PaymentResolver,
  DisputeResolver, ContactResolver, ResubmissionResolver, DunningResolver] as const;

let schema: Promise<GraphQLSchema> | undefined;

/** Built once per process: type-graphql's metadata is global. */
export function recoupSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({ resolvers: RESOLVERS, validate: false, emitSchemaFile: false });
  return schema;
}
