/** The public entry of analytics/: its resolver for the schema, its reports for the CLI and benchmarks. */
export { AnalyticsResolver } from './analytics.resolver';
export * as analytics from './analytics.service';
export type { AnalyticsReportName } from './analytics.service';
