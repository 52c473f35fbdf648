import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AuditLogResolver } from '../audit/audit.resolver';
import { HealthResolver } from '../health/health.resolver';
import { OrgResolver } from '../org/org.resolver';
import { MetadataResolver } from '../metadata/metadata.resolver';
import { ArOverviewResolver } from '../partners/ar-overview.resolver';
import { StrategyResolver, StrategyVersionResolver } from '../strategies/strategy.resolver';
import { CollectionEventResolver, CustomerResolver } from '../customers/customer.resolver';
import { CompareResolver, PartnerMoveResolver, PreviewResolver, SpecialistLoadResolver } from '../simulation/preview.resolver';
import { PartnerResolver, WorklistConnectionResolver, WorklistItemResolver, WorklistRunResolver } from '../worklists/worklist.resolver';
import { PaymentPlanResolver } from '../payment-plans/payment-plan.resolver';
import { PaymentResolver } from '../payments/payment.resolver';
import { PromiseResolver } from '../promises/promise.resolver';
import { ContactResolver } from '../contacts/contact.resolver';
import { DisputeResolver } from '../disputes/dispute.resolver';
import { DunningResolver } from '../dunning/dunning.resolver';
import { ResubmissionResolver } from '../resubmissions/resubmission.resolver';

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
