import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { HealthResolver } from '../health/health.resolver';
import { ArOverviewResolver } from '../partners/ar-overview.resolver';

export const RESOLVERS = [HealthResolver, ArOverviewResolver] as const;

let schema: Promise<GraphQLSchema> | undefined;

/** Built once per process: type-graphql's metadata is global. */
export function recoupSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({ resolvers: RESOLVERS, validate: false, emitSchemaFile: false });
  return schema;
}
