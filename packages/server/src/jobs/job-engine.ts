import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Database } from '../db/database';
import { log, observeJob, serializeError, setJobCounts } from '../observability';
import { cycleStepHandlers, type CycleStepOptions } from './cycle-steps';
import { ENGINE_SCHEMA } from './job-engine-schema';
import {
  CYCLE_STEPS,
  jobKeyOf,
  queueOf,
  SEGMENT_QUEUE,
  segmentKeyOf,
  type CycleJobData,
  type CycleStepName,
  type SegmentJobData,
  type StepHandler,
} from './job-types';
import { jobConcurrency, type RunPart, type RunSplitting } from '../worklists';
import { PartSignals } from './part-signals';
import { engineSplitting, PART_QUEUE, partName, workPart, type SplittingOptions } from './worklist-part-jobs';
import { segmentCoordinator, SegmentsFailedError, workSegment, type SegmentOutcome } from './worklist-segment-jobs';

export interface JobEngineOptions extends Omit<CycleStepOptions, 'splitting' | 'worklistSegments'> {
  /** Take jobs in this process (a worker); false = only queue them. */
  work?: boolean;
  /** Replaces steps' work (tests). */
  handlers?: Partial<Record<CycleStepName, StepHandler>>;
  /** Attempts after the first before a job is dead (default 3). */
  retryLimit?: number;
  /** First retry delay; each next one doubles, with jitter (default 60 s). */
  retryDelaySeconds?: number;
  /** How often an idle worker asks for a job (default 2 s). */
  pollingIntervalSeconds?: number;
  /**
   * A job running longer is taken as lost (its worker killed) and retried by another worker
   * (default 2 h: the longest step and a segment's worklist run must fit; the WORKLISTS step's job
   * waits for its segments, and run again it waits for the same ones).
   */
  expireInSeconds?: number;
  /** How often a worker looks for expired jobs (default 120 s, pg-boss's; one worker at a time does it). */
  maintenanceIntervalSeconds?: number;
  /** Called after a step's job finished (done or dead), so that the steps waiting for it start at once. */
  onStepFinished?: (step: CycleStepName, cycleDate: string) => void;
  /** How a large live worklist run is split into parts that workers share (worklist-part-jobs). */
  split?: SplittingOptions;
  /** Run parts this worker takes at once (default: jobConcurrency, one per core on Postgres, RECOUP_WORKLIST_WORKERS). */
  partsAtOnce?: number;
  /** A part job is running too long for its worker to be alive (default 15 min: a part of PARTNERS_PER_PART takes well under a minute). */
  partExpireInSeconds?: number;
  /** First retry delay of a part (default 5 s: a part's worker that died should be replaced soon). */
  partRetryDelaySeconds?: number;
  /** Called when this worker starts a run part (logs and tests). */
  onPartStarted?: (part: RunPart) => void;
  /** Segment jobs (one segment's live worklist run each) this worker takes at once (default 1: a run already keeps every core busy). */
  segmentsAtOnce?: number;
  /** Called when this worker starts a segment's run (logs and tests; a throw fails the attempt). */
  onSegmentStarted?: (data: SegmentJobData) => void | Promise<void>;
}

/** Anything that runs SQL with values: the pool, or one connection inside a transaction. */
export type SqlRunner = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** pg-boss's connection interface on one of ours, so that its statements can join our transactions. */
export function engineDb(runner: SqlRunner): PgBoss.Db {
  return { executeSql: async (text, values) => ({ rows: (await runner.query(text, values)).rows }) };
}

/**
 * The job engine of the nightly cycle: pg-boss on our database, through our pool (no pool of its
 * own, so the embedded database's connection limit holds), its schema made by our migration
 * (`migrate: false`). Its own cron is off: the cycle's schedule is ours (cycle.service.ts), with
 * dependencies between steps and an injectable clock.
 */
export class JobEngine {
  /** This process's subscriptions to segment jobs (woken when a coordinator here queues some). */
  private segmentWorkers: string[] = [];

  private constructor(
    readonly boss: PgBoss,
    private readonly db: Database,
    private readonly options: JobEngineOptions,
    private readonly signals: PartSignals | null,
  ) {}

  static async start(db: Database, options: JobEngineOptions = {}): Promise<JobEngine> {
    const boss = new PgBoss({
      db: engineDb(db.pools.main!),
      schema: ENGINE_SCHEMA,
      migrate: false,
      schedule: false,
      // Maintenance (expiring the jobs of killed workers, archiving) and the state counts run where jobs are taken.
      supervise: options.work ?? false,
      monitorStateIntervalSeconds: 60,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 120,
    });
    boss.on('error', (error: Error) => log().error({ err: serializeError(error) }, `job engine: ${error.message}`));
    // Not in pg-boss's typings, but emitted (src/boss.js) when monitorStateIntervalSeconds is set.
    (boss as unknown as NodeJS.EventEmitter).on('monitor-states', (states: MonitorStates) => setJobCounts(countsOf(states)));
    await boss.start();
    // Separate worker processes exist on Postgres only; the embedded database runs parts in this process.
    const signals = db.kind === 'postgres' ? await PartSignals.start(db.url) : null;
    const engine = new JobEngine(boss, db, options, signals);
    await engine.ensureQueues();
    if (options.work) await engine.work();
    return engine;
  }

  /**
   * Queues a step's job of a cycle date with its job key: while one is queued or running, a second
   * send is ignored (null). `runner` joins the caller's transaction.
   */
  async send(step: CycleStepName, cycleDate: string, runner?: SqlRunner): Promise<string | null> {
    const data: CycleJobData = { step, cycleDate };
    return this.boss.send(queueOf(step), data, { singletonKey: jobKeyOf(step, cycleDate), ...(runner ? { db: engineDb(runner) } : {}) });
  }

  /**
   * Queues a segment's live worklist job of a cycle date with its job key `<cycleDate>:<segment>`:
   * while one is queued or running, a second send is ignored (null). The WORKLISTS step's
   * coordinator queues them (and does not queue again a segment whose job completed).
   */
  async sendSegment(segment: string, cycleDate: string): Promise<string | null> {
    const data: SegmentJobData = { segment, cycleDate };
    return this.boss.send(SEGMENT_QUEUE, data, { singletonKey: segmentKeyOf(cycleDate, segment) });
  }

  /** A live worklist run's splitting onto this engine: large runs' parts become jobs that every worker takes. */
  splitting(options: SplittingOptions = this.options.split ?? {}): RunSplitting {
    return engineSplitting(this.boss, options, this.signals);
  }

  /**
   * Takes no more jobs and waits up to 30 s for the running ones; a job still running then is
   * failed (pg-boss's failWip), so that another worker retries it at once instead of after it expires.
   */
  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 30_000, wait: true, close: false });
    await this.signals?.stop();
  }

  /** One queue per step: stately (one queued and one running per job key at most), retried with exponential backoff. */
  private async ensureQueues(): Promise<void> {
    for (const step of CYCLE_STEPS) {
      const queue: PgBoss.Queue = {
        name: queueOf(step),
        policy: 'stately',
        retryLimit: this.options.retryLimit ?? 3,
        retryDelay: this.options.retryDelaySeconds ?? 60,
        retryBackoff: true,
        expireInSeconds: this.options.expireInSeconds ?? 7200,
      };
      await this.putQueue(queue);
    }
    // Parts: one queued and one running per part key; retried soon, as their run waits for them.
    await this.putQueue({
      name: PART_QUEUE,
      policy: 'stately',
      retryLimit: this.options.retryLimit ?? 3,
      retryDelay: this.options.partRetryDelaySeconds ?? 5,
      retryBackoff: true,
      expireInSeconds: this.options.partExpireInSeconds ?? this.options.expireInSeconds ?? 900,
    });
    // Segments: one queued and one running per cycle date and segment; retried like the steps.
    await this.putQueue({
      name: SEGMENT_QUEUE,
      policy: 'stately',
      retryLimit: this.options.retryLimit ?? 3,
      retryDelay: this.options.retryDelaySeconds ?? 60,
      retryBackoff: true,
      expireInSeconds: this.options.expireInSeconds ?? 7200,
    });
  }

  private async putQueue(queue: PgBoss.Queue): Promise<void> {
    if (await this.boss.getQueue(queue.name)) await this.boss.updateQueue(queue.name, queue);
    else await this.boss.createQueue(queue.name, queue);
  }

  private async work(): Promise<void> {
    const splitting = this.splitting();
    // The coordinator waits on the WORKLISTS subscription while its segments run on their own (and their parts on theirs): none starves.
    const worklistSegments = segmentCoordinator(this.db, this.boss, {
      pollMs: this.options.split?.pollMs,
      onQueued: () => {
        for (const id of this.segmentWorkers) this.boss.notifyWorker(id);
        void this.signals?.queued().catch(() => undefined);
      },
    });
    const handlers = { ...cycleStepHandlers(this.db, { ...this.options, splitting, worklistSegments }), ...this.options.handlers };
    const polling = { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 } as const;
    for (const step of CYCLE_STEPS) await this.boss.work<CycleJobData>(queueOf(step), polling, ([job]) => this.runJob(job!, handlers[step]));
    // pg-boss 10 takes one job per subscription: as many subscriptions as parts run at once here.
    const partsAtOnce = this.options.partsAtOnce ?? jobConcurrency(this.db);
    // A run waits for its parts: an idle worker looks for them often (pg-boss's shortest interval).
    const partPolling = { ...polling, pollingIntervalSeconds: Math.min(polling.pollingIntervalSeconds, 0.5) };
    const partWorkers: string[] = [];
    for (let i = 0; i < partsAtOnce; i++) partWorkers.push(await this.boss.work<RunPart>(PART_QUEUE, partPolling, ([job]) => this.runPartJob(job!)));
    const segmentsAtOnce = this.options.segmentsAtOnce ?? 1;
    for (let i = 0; i < segmentsAtOnce; i++) {
      this.segmentWorkers.push(await this.boss.work<SegmentJobData>(SEGMENT_QUEUE, partPolling, ([job]) => this.runSegmentJob(job!, splitting)));
    }
    // Parts or segments queued by a coordinator anywhere: ask for them now rather than at the next poll.
    this.signals?.on((payload) => {
      if (payload === 'queued') for (const id of [...partWorkers, ...this.segmentWorkers]) this.boss.notifyWorker(id);
    });
  }

  /** One attempt at a run part; a failure is retried by the engine, the last one fails the part's run (its coordinator waits for it). */
  private async runPartJob(job: PgBoss.JobWithMetadata<RunPart>): Promise<{ summary: string }> {
    const started = performance.now();
    const logger = log().child({ job: job.id, type: job.name, runId: job.data.runIds[0], part: job.data.part + 1, attempt: job.retryCount + 1 });
    this.options.onPartStarted?.(job.data);
    logger.info(`${partName(job.data)} started`);
    try {
      const summary = await workPart(this.db, job.data, job.retryCount + 1);
      observeJob(job.name, 'completed', (performance.now() - started) / 1000);
      logger.info(summary);
      return { summary };
    } catch (error) {
      const dead = job.retryCount >= job.retryLimit;
      observeJob(job.name, dead ? 'failed' : 'retry', (performance.now() - started) / 1000);
      logger.error({ err: serializeError(error) }, `${partName(job.data)} failed${dead ? ' for good: its run fails' : ', will retry'}`);
      throw error;
    }
  }

  /** One attempt at a segment's live run; a failure is retried by the engine, the last one fails the WORKLISTS step (its coordinator waits). */
  private async runSegmentJob(job: PgBoss.JobWithMetadata<SegmentJobData>, splitting: RunSplitting): Promise<SegmentOutcome> {
    const { segment, cycleDate } = job.data;
    const started = performance.now();
    const logger = log().child({ job: job.id, type: job.name, cycleDate, segment, attempt: job.retryCount + 1 });
    logger.info(`worklist of segment ${segment} for ${cycleDate} started`);
    try {
      await this.options.onSegmentStarted?.(job.data);
      const outcome = await workSegment(this.db, job.data, splitting);
      observeJob(job.name, 'completed', (performance.now() - started) / 1000);
      logger.info(outcome.summary);
      return outcome;
    } catch (error) {
      const dead = job.retryCount >= job.retryLimit;
      observeJob(job.name, dead ? 'failed' : 'retry', (performance.now() - started) / 1000);
      logger.error(
        { err: serializeError(error) },
        `worklist of segment ${segment} for ${cycleDate} failed${dead ? ' for good: the step fails' : ', will retry'}`,
      );
      throw error;
    }
  }

  /** One attempt: the step's work, then its cycle row DONE; a failure is retried by the engine, the last one marks the row FAILED. */
  private async runJob(job: PgBoss.JobWithMetadata<CycleJobData>, handler: StepHandler): Promise<{ summary: string }> {
    const { step, cycleDate } = job.data;
    const started = performance.now();
    const logger = log().child({ job: job.id, type: job.name, cycleDate, attempt: job.retryCount + 1 });
    logger.info(`job ${job.name} for ${cycleDate} started`);
    try {
      const summary = await handler(cycleDate);
      await this.finishStep(step, cycleDate, 'DONE', null);
      observeJob(job.name, 'completed', (performance.now() - started) / 1000);
      logger.info(`job ${job.name} for ${cycleDate} done: ${summary}`);
      return { summary };
    } catch (error) {
      const dead = job.retryCount >= job.retryLimit || (error instanceof SegmentsFailedError && (await this.lastAttempt(job)));
      const message = error instanceof Error ? error.message : String(error);
      if (dead) await this.finishStep(step, cycleDate, 'FAILED', message);
      observeJob(job.name, dead ? 'failed' : 'retry', (performance.now() - started) / 1000);
      logger.error({ err: serializeError(error) }, `job ${job.name} for ${cycleDate} failed${dead ? ' for good (dead letter)' : ', will retry'}: ${message}`);
      throw error;
    }
  }

  /**
   * This attempt made the job's last: its failure is final (pg-boss 10 has no command for that;
   * its fail statement retries while retry_count < retry_limit). For a step whose segments failed
   * for good: they spent their own retries, and a retry of the step would run them all again.
   */
  private async lastAttempt(job: PgBoss.JobWithMetadata<CycleJobData>): Promise<boolean> {
    const { rows } = await this.boss
      .getDb()
      .executeSql(`UPDATE ${ENGINE_SCHEMA}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2 AND state = 'active' RETURNING id`, [
        job.name,
        job.id,
      ]);
    // Not active any more (expired, cancelled): the engine decides what comes next.
    return rows.length > 0;
  }

  private async finishStep(step: CycleStepName, cycleDate: string, state: 'DONE' | 'FAILED', error: string | null): Promise<void> {
    await this.db.dataSource.query(`UPDATE cycle_step_runs SET state = $3, error = $4, finished_at = now() WHERE cycle_date = $1 AND step = $2`, [
      cycleDate,
      step,
      state,
      error,
    ]);
    this.options.onStepFinished?.(step, cycleDate);
  }
}

type MonitorStates = Record<string, unknown> & { queues?: Record<string, Record<string, number>> };

function countsOf(states: MonitorStates): Array<{ type: string; state: string; count: number }> {
  const counts: Array<{ type: string; state: string; count: number }> = [];
  for (const [type, byState] of Object.entries(states.queues ?? {})) {
    for (const state of ['created', 'retry', 'active', 'completed', 'cancelled', 'failed']) counts.push({ type, state, count: Number(byState[state] ?? 0) });
  }
  return counts;
}
