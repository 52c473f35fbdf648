/** The public entry of analytics/: its resolver for the schema, its reports for the CLI. */
export { AnalyticsResolver } from './analytics.resolver';
export * as analytics from './analytics.service';
