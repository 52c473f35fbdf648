/** The public entry of analytics/: its resolver for the schema, its reports for the CLI and benchmarks. */
export { AnalyticsResolver } from './analytics.resolver';
export * as analytics from './analytics.service';
export type { AnalyticsReportName } from './analytics.service';
/** The nightly cycle's entry: builds or brings the daily analytics snapshots current up to a day. */
export { refreshAnalyticsSnapshots, type SnapshotRefresh } from './analytics-snapshots';
