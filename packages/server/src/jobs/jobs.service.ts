import cronParser from 'cron-parser';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { recordAudit, type Actor } from '../audit';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { decodeCursor, encodeCursor, pageOf, pageSize, type Page } from '../graphql/paging';
import { isIsoDate } from '../graphql/scalars';
import { ENGINE_SCHEMA } from './job-engine-schema';
import { CYCLE_STEPS, isCycleStep, SEGMENT_QUEUE } from './job-types';
import { PART_QUEUE } from './worklist-part-jobs';
import type { CycleStepEntry, CycleStepInput, CycleStepRunEntry, Job, JobStateCount, JobStateEnum } from './jobs.types';

/** The engine's states and ours (pg-boss: created, retry, active, completed, cancelled, failed). */
const ENGINE_STATE: Record<JobStateEnum, string> = {
  QUEUED: 'created',
  RETRY: 'retry',
  RUNNING: 'active',
  DONE: 'completed',
  CANCELLED: 'cancelled',
  FAILED: 'failed',
};
const STATE_OF = Object.fromEntries(Object.entries(ENGINE_STATE).map(([ours, engine]) => [engine, ours])) as Record<string, JobStateEnum>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Live jobs and the archived ones (the engine moves finished jobs to its archive after a while). */
const JOBS = `(SELECT id, name, state::text AS state, singleton_key, data, retry_count, retry_limit, created_on, started_on, completed_on, output FROM ${ENGINE_SCHEMA}.job
  UNION ALL SELECT id, name, state::text, singleton_key, data, retry_count, retry_limit, created_on, started_on, completed_on, output FROM ${ENGINE_SCHEMA}.archive)`;

interface JobRow {
  id: string;
  name: string;
  state: string;
  singleton_key: string | null;
  data: Record<string, unknown>;
  retry_count: number;
  retry_limit: number;
  created_on: Date;
  started_on: Date | null;
  completed_on: Date | null;
  output: { message?: string } | null;
  /** created_on as microseconds since the epoch, the exact sort key of the cursor. */
  created_us: string;
}

export interface JobsQuery {
  state?: JobStateEnum | null;
  type?: string | null;
  first?: number | null;
  after?: string | null;
}

/** Newest first, keyset-paged on (created, id); FAILED is the dead-letter view. */
export async function listJobs(ctx: RequestContext, query: JobsQuery): Promise<Page<Job>> {
  const first = pageSize(query.first, 50, 200, 'first', 1);
  const values: unknown[] = [first + 1];
  const where: string[] = [];
  if (query.state) where.push(`state = $${values.push(ENGINE_STATE[query.state])}`);
  if (query.type) where.push(`name = $${values.push(query.type)}`);
  if (query.after) {
    const [createdUs, id] = decodeCursor(query.after, 'JOBS', 2, 'after', true);
    if (!UUID.test(String(id)) || !/^\d{1,20}$/.test(String(createdUs))) throw new BadUserInputError('after is not a cursor of this list and order', 'after');
    where.push(`(created_us, id) < ($${values.push(createdUs)}::bigint, $${values.push(id)}::uuid)`);
  }
  const rows: JobRow[] = await ctx.db.dataSource.query(
    `SELECT * FROM (SELECT j.*, (extract(epoch FROM created_on) * 1000000)::bigint AS created_us FROM ${JOBS} j) j
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_us DESC, id DESC LIMIT $1`,
    values,
  );
  return pageOf(rows, first, (r) => encodeCursor('JOBS', [r.created_us, r.id]), jobView);
}

/** Every state with its count of jobs, live and archived (the studio's filters, and whether anything is still to run). */
export async function jobCounts(ctx: RequestContext): Promise<JobStateCount[]> {
  const rows: Array<{ state: string; count: number }> = await ctx.db.dataSource.query(`SELECT state, count(*)::int AS count FROM ${JOBS} j GROUP BY state`);
  const counted = new Map(rows.map((r) => [r.state, r.count]));
  return (Object.keys(ENGINE_STATE) as JobStateEnum[]).map((state) => ({ state, count: counted.get(ENGINE_STATE[state]) ?? 0 }));
}

/** A dead (FAILED) job queued again for one more attempt, audited. */
export async function retryJob(ctx: RequestContext, id: string): Promise<Job> {
  return ctx.db.dataSource.transaction(async (m) => {
    const job = await lockedJob(m, id);
    if (job.state !== 'failed') throw new ConflictError(`job ${id} is ${STATE_OF[job.state]}: only a FAILED job can be retried`, { id });
    await commands().retry(job.name, id, { db: managerDb(m) });
    await audit(m, ctx, 'JOB_RETRIED', job);
    return jobView(await lockedJob(m, id));
  });
}

/** A queued, waiting or running job cancelled (a running attempt finishes, its result is dropped), its cycle step FAILED; audited. */
export async function cancelJob(ctx: RequestContext, id: string): Promise<Job> {
  return ctx.db.dataSource.transaction(async (m) => {
    const job = await lockedJob(m, id);
    if (!['created', 'retry', 'active'].includes(job.state)) throw new ConflictError(`job ${id} is ${STATE_OF[job.state]}: it cannot be cancelled`, { id });
    await commands().cancel(job.name, id, { db: managerDb(m) });
    await m.query(`UPDATE cycle_step_runs SET state = 'FAILED', error = $2, finished_at = now() WHERE job_id = $1 AND state IN ('QUEUED', 'WAITING')`, [
      id,
      `cancelled by ${ctx.user!.name}`,
    ]);
    await audit(m, ctx, 'JOB_CANCELLED', job);
    return jobView(await lockedJob(m, id));
  });
}

export async function cycleSchedule(ctx: RequestContext): Promise<CycleStepEntry[]> {
  const rows: Array<Omit<CycleStepEntry, 'nextRunAt'>> = await ctx.db.dataSource.query(
    `SELECT step, cron, time_zone AS "timeZone", depends_on AS "dependsOn", enabled, updated_at AS "updatedAt" FROM cycle_steps`,
  );
  const now = new Date();
  return rows
    .map((r) => ({ ...r, nextRunAt: r.enabled ? nextFire(r.cron, r.timeZone, now) : null }))
    .sort((a, b) => CYCLE_STEPS.indexOf(a.step as never) - CYCLE_STEPS.indexOf(b.step as never));
}

/** The first fire time of a saved cron expression after `now` in its zone (saved ones were checked; null if it no longer parses). */
function nextFire(cron: string, timeZone: string, now: Date): Date | null {
  try {
    return cronParser.parseExpression(cron, { currentDate: now, tz: timeZone }).next().toDate();
  } catch {
    return null;
  }
}

/** The steps of the latest cycle dates (newest first), at most `days` dates. */
export async function cycleRuns(ctx: RequestContext, days: number | null | undefined): Promise<CycleStepRunEntry[]> {
  const n = pageSize(days, 7, 60, 'days', 1);
  return ctx.db.dataSource.query(
    `SELECT cycle_date AS "cycleDate", step, state, job_id AS "jobId", due_at AS "dueAt", finished_at AS "finishedAt", error
     FROM cycle_step_runs WHERE cycle_date IN (SELECT DISTINCT cycle_date FROM cycle_step_runs ORDER BY cycle_date DESC LIMIT $1)
     ORDER BY cycle_date DESC, due_at, step`,
    [n],
  );
}

/** Saves the given steps (each checked, the whole schedule's dependencies acyclic), one audit row per changed step. */
export async function saveCycleSchedule(ctx: RequestContext, input: CycleStepInput[]): Promise<CycleStepEntry[]> {
  input.forEach((step, i) => validStep(step, `input[${i}]`));
  const seen = new Set<string>();
  input.forEach((s, i) => {
    if (seen.has(s.step)) throw new BadUserInputError(`step ${s.step} is given twice`, `input[${i}].step`);
    seen.add(s.step);
  });
  await ctx.db.dataSource.transaction(async (m) => {
    const current: CycleStepEntry[] = await m.query(
      `SELECT step, cron, time_zone AS "timeZone", depends_on AS "dependsOn", enabled FROM cycle_steps FOR UPDATE`,
    );
    const before = new Map(current.map((r) => [r.step, r]));
    const after = new Map(before);
    for (const s of input) after.set(s.step, { ...before.get(s.step)!, ...s });
    assertAcyclic(after, input);
    for (const s of input) {
      const old = before.get(s.step)!;
      const changed = old.cron !== s.cron || old.timeZone !== s.timeZone || old.enabled !== s.enabled || old.dependsOn.join() !== s.dependsOn.join();
      if (!changed) continue;
      await m.query(`UPDATE cycle_steps SET cron = $2, time_zone = $3, depends_on = $4, enabled = $5, updated_at = now() WHERE step = $1`, [
        s.step,
        s.cron,
        s.timeZone,
        s.dependsOn,
        s.enabled,
      ]);
      await recordAudit(m, actorOf(ctx), {
        action: 'CYCLE_STEP_UPDATED',
        entityType: 'CYCLE_STEP',
        entityId: s.step,
        details: { before: { cron: old.cron, timeZone: old.timeZone, dependsOn: old.dependsOn, enabled: old.enabled }, after: { ...s } },
      });
    }
  });
  return cycleSchedule(ctx);
}

// ---- checks ----------------------------------------------------------------------------------

function validStep(s: CycleStepInput, path: string): void {
  if (!isCycleStep(s.step)) throw new BadUserInputError(`step must be one of ${CYCLE_STEPS.join(', ')}`, `${path}.step`);
  if (s.cron.length > 100 || s.cron.trim().split(/\s+/).length !== 5) {
    throw new BadUserInputError('cron must have five fields: minute hour day-of-month month day-of-week', `${path}.cron`);
  }
  try {
    cronParser.parseExpression(s.cron, { tz: 'UTC' });
  } catch (error) {
    throw new BadUserInputError(`cron is not a valid expression: ${error instanceof Error ? error.message : error}`, `${path}.cron`);
  }
  if (!validTimeZone(s.timeZone)) throw new BadUserInputError('timeZone must be an IANA time zone, e.g. Europe/Berlin or UTC', `${path}.timeZone`);
  s.dependsOn.forEach((d, j) => {
    if (!isCycleStep(d)) throw new BadUserInputError(`dependsOn must name steps of ${CYCLE_STEPS.join(', ')}`, `${path}.dependsOn[${j}]`);
    if (d === s.step) throw new BadUserInputError('a step cannot depend on itself', `${path}.dependsOn[${j}]`);
  });
  if (new Set(s.dependsOn).size !== s.dependsOn.length) throw new BadUserInputError('dependsOn names a step twice', `${path}.dependsOn`);
}

function validTimeZone(timeZone: string): boolean {
  if (timeZone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A dependency cycle would leave its steps waiting for ever: refused, naming the first saved step on one. */
function assertAcyclic(steps: Map<string, Pick<CycleStepEntry, 'dependsOn'>>, input: CycleStepInput[]): void {
  input.forEach((s, i) => {
    const seen = new Set<string>();
    const reaches = (from: string): boolean => (steps.get(from)?.dependsOn ?? []).some((d) => d === s.step || (!seen.has(d) && (seen.add(d), reaches(d))));
    if (reaches(s.step)) throw new BadUserInputError(`the dependencies of ${s.step} form a cycle`, `input[${i}].dependsOn`);
  });
}

// ---- shared ----------------------------------------------------------------------------------

/** The job, locked for the transaction; NOT_FOUND for an unknown id (a malformed one included: no job has it). */
async function lockedJob(m: EntityManager, id: string): Promise<JobRow> {
  if (!UUID.test(id)) throw new NotFoundError('job', id.slice(0, 60));
  const [row] = await m.query(
    `SELECT id, name, state::text AS state, singleton_key, data, retry_count, retry_limit, created_on, started_on, completed_on, output,
            (extract(epoch FROM created_on) * 1000000)::bigint AS created_us
     FROM ${ENGINE_SCHEMA}.job WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (row) return row;
  const [archived] = await m.query(`SELECT state::text AS state FROM ${ENGINE_SCHEMA}.archive WHERE id = $1`, [id]);
  if (archived) throw new ConflictError(`job ${id} is archived (${STATE_OF[archived.state]}): it can no longer be retried or cancelled`, { id });
  throw new NotFoundError('job', id);
}

/** A job's data as shown: a run part's without its scoring statements (the run's SQL, long and of no use to an operator). */
function shownData(r: JobRow): Record<string, unknown> {
  const data = r.data ?? {};
  if (r.name !== PART_QUEUE) return data;
  const { statements: _statements, ...shown } = data;
  return shown;
}

function jobView(r: JobRow): Job {
  const finished = ['completed', 'failed', 'cancelled'].includes(r.state) ? r.completed_on : null;
  return {
    id: r.id,
    type: r.name,
    state: STATE_OF[r.state]!,
    key: r.singleton_key,
    data: shownData(r),
    segment: r.name === SEGMENT_QUEUE && typeof r.data?.segment === 'string' ? r.data.segment : null,
    cycleDate: typeof r.data?.cycleDate === 'string' && isIsoDate(r.data.cycleDate) ? r.data.cycleDate : null,
    attempts: r.started_on ? r.retry_count + 1 : 0,
    maxAttempts: r.retry_limit + 1,
    createdAt: r.created_on,
    startedAt: r.started_on,
    finishedAt: finished,
    durationSeconds: finished && r.started_on ? (finished.getTime() - r.started_on.getTime()) / 1000 : null,
    error: r.state === 'completed' ? null : (r.output?.message ?? null),
  };
}

function actorOf(ctx: RequestContext): Actor {
  return { name: ctx.user!.name, role: ctx.user!.role };
}

async function audit(m: EntityManager, ctx: RequestContext, action: string, job: JobRow): Promise<void> {
  await recordAudit(m, actorOf(ctx), { action, entityType: 'JOB', entityId: job.id, details: { type: job.name, key: job.singleton_key, state: job.state } });
}

/** The engine's commands (retry, cancel) without a started engine: each runs on the connection it is given. */
let engineCommands: PgBoss | undefined;
function commands(): PgBoss {
  engineCommands ??= new PgBoss({ db: { executeSql: () => Promise.reject(new Error('no connection given')) }, schema: ENGINE_SCHEMA });
  return engineCommands;
}

/** A TypeORM transaction as the engine's connection (pg-boss reads `rows`). */
function managerDb(m: EntityManager): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const result = await m.queryRunner!.query(text, values, true);
      return { rows: result.records };
    },
  };
}
