import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AuditLogResolver } from './audit';
import { ExperimentResolver } from './experiments';
import { HealthResolver } from './health';
import { AgencyResolver } from './agencies';
import { AgencyReportResolver } from './agency-reports';
import { LegalResolver } from './legal';
import { OrgConfigResolver, OrgResolver } from './org';
import { MetadataResolver } from './metadata';
import { ArOverviewResolver, PartnerSearchResolver } from './partners';
import { StrategyResolver, StrategyVersionResolver } from './strategies';
import { CollectionEventResolver, CreditDataResolver, CustomerResolver } from './customers';
import { BacktestResolver } from './backtests';
import { CompareResolver, PartnerMoveResolver, PreviewResolver } from './simulation';
import { PartnerResolver, SpecialistLoadResolver, WorklistConnectionResolver, WorklistItemResolver, WorklistRunResolver } from './worklists';
import { PaymentPlanResolver } from './payment-plans';
import { PaymentResolver } from './payments';
import { PromiseResolver } from './promises';
import { ContactResolver } from './contacts';
import { DisputeResolver } from './disputes';
import { DunningNoticeResolver, DunningResolver } from './dunning';
import { ResubmissionResolver } from './resubmissions';
import { AnalyticsResolver } from './analytics';
import { JobResolver } from './jobs';

export const RESOLVERS = [
  HealthResolver,
  OrgResolver,
  OrgConfigResolver,
  AgencyResolver,
  AgencyReportResolver,
  LegalResolver,
  ArOverviewResolver,
  PartnerSearchResolver,
  MetadataResolver,
  StrategyResolver,
  StrategyVersionResolver,
  AuditLogResolver,
  WorklistItemResolver,
  WorklistConnectionResolver,
  WorklistRunResolver,
  PartnerResolver,
  CustomerResolver,
  CreditDataResolver,
  CollectionEventResolver,
  PreviewResolver,
  BacktestResolver,
  CompareResolver,
  PartnerMoveResolver,
  SpecialistLoadResolver,
  PromiseResolver,
  PaymentPlanResolver,
  PaymentResolver,
  DisputeResolver,
  ContactResolver,
  ResubmissionResolver,
  DunningResolver,
  DunningNoticeResolver,
  ExperimentResolver,
  AnalyticsResolver,
  JobResolver,
] as const;

let schema: Promise<GraphQLSchema> | undefined;

const ROOT_DESCRIPTIONS = {
  query:
    'Reads: the AR mirror, strategies and their metadata, worklists, the customer 360 and the collection records. Every field but `health` needs a bearer token; what each role may read is declared per field (README "API and auth").',
  mutation:
    'Writes, each one transaction: strategies, collection events (contacts, promises, disputes, payments, plans, resubmissions), dunning and worklist runs. CLIENT tokens run none.',
};

/** Built once per process: type-graphql's metadata is global. */
export function recoupSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({ resolvers: RESOLVERS, validate: false, emitSchemaFile: false }).then(describeRoots);
  return schema;
}

/** type-graphql gives the root types no description; client developers read them first. */
function describeRoots(built: GraphQLSchema): GraphQLSchema {
  Object.assign(built.getQueryType()!, { description: ROOT_DESCRIPTIONS.query });
  Object.assign(built.getMutationType()!, { description: ROOT_DESCRIPTIONS.mutation });
  return built;
}
