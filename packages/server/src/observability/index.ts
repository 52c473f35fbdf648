/** The public entry of observability/: the logger, the metrics and their HTTP wiring. */
export { configuredFormat, configuredLevel, createLogger, currentScope, log, prettyLine, replaceRootLogger, rootLogger, serializeError } from './logger';
export type { Logger, RequestScope } from './logger';
export {
  ANONYMOUS_OPERATION,
  countError,
  MAX_OPERATION_LABELS,
  observeImport,
  observeJob,
  observeWorklistRuns,
  operationLabel,
  OTHER_OPERATION,
  registry,
  setJobCounts,
  UNRESOLVED_OPERATION,
  watchPools,
} from './metrics';
export type { FinishedImport, FinishedRun, PoolLike } from './metrics';
export {
  graphqlMetrics,
  metricsEndpoint,
  observeAnsweredError,
  operationLabelPlugin,
  reportUnexpected,
  REQUEST_ID_HEADER,
  requestLogger,
  requestScope,
} from './http';
