/**
 * The Prometheus metrics of the process (prom-client), served at /metrics. Every label value is
 * bounded: operation names are capped (a client chooses them), error codes, pools, modes and
 * tables are the server's own vocabularies.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });
// Gauges named like counters, which `promtool check metrics` rejects; each is the sum of the
// by-type gauge of the same name without _total (nodejs_active_handles{type=…}), so nothing is lost.
for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);

// ---- GraphQL ------------------------------------------------------------------------------------

/** More distinct operation names than this (a client sending ever new ones) are counted as OTHER_OPERATION. */
export const MAX_OPERATION_LABELS = 200;
export const ANONYMOUS_OPERATION = '(anonymous)';
export const OTHER_OPERATION = '(other)';
/** A request that never reached a resolved operation: malformed, refused token, invalid document. */
export const UNRESOLVED_OPERATION = '(unresolved)';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const operationLabels = new Set<string>();

const graphqlRequests = new Counter({
  name: 'recoup_graphql_requests_total',
  help: 'GraphQL HTTP requests by operation name (see the README for the bounded names)',
  labelNames: ['operation'] as const,
  registers: [registry],
});

const graphqlDuration = new Histogram({
  name: 'recoup_graphql_request_duration_seconds',
  help: 'Time from a GraphQL request to its response, by operation name',
  labelNames: ['operation'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

const graphqlErrors = new Counter({
  name: 'recoup_api_errors_total',
  help: 'Errors answered to API clients (/graphql and the CSV export), by extensions.code',
  labelNames: ['code'] as const,
  registers: [registry],
});

/** The label of an operation name: the name while fewer than MAX_OPERATION_LABELS are known, else OTHER_OPERATION. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return ANONYMOUS_OPERATION;
  if (operationLabels.has(name)) return name;
  if (!GRAPHQL_NAME.test(name) || operationLabels.size >= MAX_OPERATION_LABELS) return OTHER_OPERATION;
  operationLabels.add(name);
  return name;
}

export function observeGraphqlRequest(operation: string, seconds: number): void {
  graphqlRequests.inc({ operation });
  graphqlDuration.observe({ operation }, seconds);
}

const ERROR_CODE = /^[A-Z][A-Z_]{0,39}$/;

export function countError(code: unknown): void {
  graphqlErrors.inc({ code: typeof code === 'string' && ERROR_CODE.test(code) ? code : 'OTHER' });
}

// ---- database pools -------------------------------------------------------------------------------

/** What a pg.Pool tells about its connections. */
export interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const watchedPools = new Set<Record<string, PoolLike>>();

new Gauge({
  name: 'recoup_db_pool_connections',
  help: 'Connections of the database pools: total (open), idle, and waiting (clients queued for one)',
  labelNames: ['pool', 'state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const pools of watchedPools) {
      for (const [pool, p] of Object.entries(pools)) {
        this.inc({ pool, state: 'total' }, p.totalCount);
        this.inc({ pool, state: 'idle' }, p.idleCount);
        this.inc({ pool, state: 'waiting' }, p.waitingCount);
      }
    }
  },
});

/** Reports the pools (by name) until the returned function is called. Several databases' pools of one name add up. */
export function watchPools(pools: Record<string, PoolLike>): () => void {
  watchedPools.add(pools);
  return () => watchedPools.delete(pools);
}

// ---- worklist runs and imports ------------------------------------------------------------------

const runDuration = new Histogram({
  name: 'recoup_worklist_run_duration_seconds',
  help: 'Duration of successful worklist runs (the runs of one batch share its time), by mode',
  labelNames: ['mode'] as const,
  buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
  registers: [registry],
});

const runPartners = new Counter({
  name: 'recoup_worklist_partners_evaluated_total',
  help: 'Partners evaluated by successful worklist runs, by mode',
  labelNames: ['mode'] as const,
  registers: [registry],
});

const runRate = new Gauge({
  name: 'recoup_worklist_run_partners_per_second',
  help: 'Partners evaluated per second by the last successful worklist run, by mode',
  labelNames: ['mode'] as const,
  registers: [registry],
});

/** What a finished worklist run reports (WorklistRunResult's fields). */
export interface FinishedRun {
  mode: string;
  partnersEvaluated: number;
  milliseconds: number;
}

/** Records successful runs; returns them, so that the call wraps where a run's results are returned. */
export function observeWorklistRuns<T extends FinishedRun>(runs: T[]): T[] {
  for (const run of runs) {
    const mode = run.mode === 'LIVE' ? 'LIVE' : 'PREVIEW';
    const seconds = run.milliseconds / 1000;
    runDuration.observe({ mode }, seconds);
    runPartners.inc({ mode }, run.partnersEvaluated);
    if (seconds > 0) runRate.set({ mode }, run.partnersEvaluated / seconds);
  }
  return runs;
}

const importRows = new Counter({
  name: 'recoup_import_rows_total',
  help: 'Rows of committed AR imports by table and outcome (inserted, updated, unchanged)',
  labelNames: ['table', 'outcome'] as const,
  registers: [registry],
});

const importDuration = new Histogram({
  name: 'recoup_import_duration_seconds',
  help: 'Duration of committed AR imports',
  buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800],
  registers: [registry],
});

/** What a committed import reports (ImportResult's fields). */
export interface FinishedImport {
  tables: Array<{ table: string; inserted: number; updated: number; unchanged: number }>;
  milliseconds: number;
}

/** Records a committed import; returns it, so that the call wraps where the import's result is returned. */
export function observeImport<T extends FinishedImport>(result: T): T {
  for (const t of result.tables) {
    importRows.inc({ table: t.table, outcome: 'inserted' }, t.inserted);
    importRows.inc({ table: t.table, outcome: 'updated' }, t.updated);
    importRows.inc({ table: t.table, outcome: 'unchanged' }, t.unchanged);
  }
  importDuration.observe(result.milliseconds / 1000);
  return result;
}

// ---- jobs ---------------------------------------------------------------------------------------

const jobAttempts = new Counter({
  name: 'recoup_job_attempts_total',
  help: 'Job attempts finished by this process, by job type (engine queue) and outcome (completed, retry, failed)',
  labelNames: ['type', 'state'] as const,
  registers: [registry],
});

const jobDuration = new Histogram({
  name: 'recoup_job_duration_seconds',
  help: 'Duration of job attempts finished by this process, by job type and outcome',
  labelNames: ['type', 'state'] as const,
  buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
  registers: [registry],
});

const jobsInEngine = new Gauge({
  name: 'recoup_jobs',
  help: "Jobs in the engine's queue by job type and state (created, retry, active, completed, cancelled, failed), as last counted",
  labelNames: ['type', 'state'] as const,
  registers: [registry],
});

/** One finished attempt of a job: `completed`, `retry` (failed, will run again) or `failed` (retries spent). */
export function observeJob(type: string, state: 'completed' | 'retry' | 'failed', seconds: number): void {
  jobAttempts.inc({ type, state });
  jobDuration.observe({ type, state }, seconds);
}

/** The engine's counts per job type and state (its job types and states are the server's own vocabularies). */
export function setJobCounts(counts: Array<{ type: string; state: string; count: number }>): void {
  jobsInEngine.reset();
  for (const c of counts) jobsInEngine.set({ type: c.type, state: c.state }, c.count);
}
