/** The public entry of analytics/: its resolver for the schema, its reports for the CLI and benchmarks. */
export { AnalyticsResolver } from './analytics.resolver';
export * as analytics from './analytics.service';
export type { AnalyticsReportName } from './analytics.service';
/** The nightly cycle's entry: builds or brings the daily analytics snapshots current up to a day. */
export { refreshAnalyticsSnapshots, type SnapshotRefresh } from './analytics-snapshots';
export { describeCredits } from './analytics-payment-credits';
/**
 * The kernel other features' reports build on (agencies/ figures): the one filter and its checks,
 * the groupings, the responsibility and fx SQL, exact figures and the refusals.
 */
export { AnalyticsFilter, AnalyticsGroup, AnalyticsGroupByEnum } from './analytics.types';
export { checkedFilter, checkedGroupBy, type Filter } from './analytics.filter';
export { groupsOf, MAX_GROUPS } from './analytics.groups';
export { companyCodeCondition, groupExpression, Params, rateSql, readRows, responsibilityCte } from './analytics.sql';
export { decimal, ratioOf } from './analytics.figures';
export { AnalyticsFxRateMissingError, AnalyticsInputError } from './analytics.errors';
