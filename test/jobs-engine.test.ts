import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { CycleScheduler, JobEngine, queueOf, type CycleStepName } from '../packages/server/src/jobs';
import { openTestDatabase } from './support/database';

/**
 * The nightly cycle on the job engine (pg-boss), on the database of the run (embedded or
 * DATABASE_URL): cron steps fire at their time by an injected clock, dependencies hold, a
 * duplicate enqueue is ignored, a failing job is retried then dead.
 */
let db: Database;
let engine: JobEngine;
let now = new Date('2026-12-07T00:59:00Z');
const clock = { now: () => now };
const ran: string[] = [];
let failures = 0;
const handler = (step: CycleStepName) => async (cycleDate: string) => {
  ran.push(`${step}:${cycleDate}`);
  return 'ok';
};

async function until(what: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const stepState = async (cycleDate: string, step: string): Promise<string | undefined> =>
  (await db.dataSource.query(`SELECT state FROM cycle_step_runs WHERE cycle_date = $1 AND step = $2`, [cycleDate, step]))[0]?.state;

let scheduler: CycleScheduler;

beforeAll(async () => {
  db = await openTestDatabase();
  // Only import, judging and worklists take part (dunning and correspondence off), times in UTC (the default zone).
  await db.dataSource.query(`UPDATE cycle_steps SET enabled = step IN ('IMPORT', 'JUDGE', 'WORKLISTS')`);
  await db.dataSource.query(`UPDATE cycle_steps SET cron = '0 1 * * *' WHERE step = 'IMPORT'`);
  await db.dataSource.query(`UPDATE cycle_steps SET cron = '0 2 * * *', depends_on = '{}' WHERE step = 'JUDGE'`);
  await db.dataSource.query(`UPDATE cycle_steps SET cron = '0 1 * * *', depends_on = '{IMPORT,JUDGE}' WHERE step = 'WORKLISTS'`);
  engine = await JobEngine.start(db, {
    work: true,
    pollingIntervalSeconds: 0.5,
    retryLimit: 2,
    retryDelaySeconds: 1,
    handlers: {
      IMPORT: handler('IMPORT'),
      JUDGE: handler('JUDGE'),
      WORKLISTS: handler('WORKLISTS'),
      CORRESPONDENCE: async () => {
        failures++;
        throw new Error(`mail server down (${failures})`);
      },
    },
    onStepFinished: () => void scheduler.tick(),
  });
  scheduler = new CycleScheduler(db, engine, { clock });
}, 120_000);

afterAll(async () => {
  await scheduler?.stop();
  await engine?.stop();
  await db?.close();
});

describe('the nightly cycle', () => {
  it('fires nothing before a step’s time, then the step at its time; generation waits for import and judging', async () => {
    await scheduler.tick();
    expect(await db.dataSource.query(`SELECT * FROM cycle_step_runs`)).toEqual([]);

    now = new Date('2026-12-07T01:00:00Z');
    await scheduler.tick();
    // Import and worklists are due at 01:00; worklists waits (judging is not done, not even due).
    await until(async () => (await stepState('2026-12-07', 'IMPORT')) === 'DONE');
    await scheduler.tick();
    expect(await stepState('2026-12-07', 'WORKLISTS')).toBe('WAITING');
    expect(await stepState('2026-12-07', 'JUDGE')).toBeUndefined();
    expect(ran).toEqual(['IMPORT:2026-12-07']);

    now = new Date('2026-12-07T02:00:30Z');
    await scheduler.tick();
    await until(async () => (await stepState('2026-12-07', 'WORKLISTS')) === 'DONE');
    expect(ran).toEqual(['IMPORT:2026-12-07', 'JUDGE:2026-12-07', 'WORKLISTS:2026-12-07']);
  }, 60_000);

  it('never starts a step of a cycle twice: a second scheduler and later ticks queue nothing more', async () => {
    const other = new CycleScheduler(db, engine, { clock });
    await Promise.all([scheduler.tick(), other.tick(), other.tick()]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(ran.filter((r) => r.startsWith('IMPORT'))).toEqual(['IMPORT:2026-12-07']);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [queueOf('IMPORT')]);
    expect(n).toBe(1);
  });

  it('ignores a duplicate enqueue of a step and cycle date while one is queued', async () => {
    // No worker for dunning in this process's clock window: queue it twice by hand before any worker takes it.
    await engine.boss.offWork(queueOf('DUNNING'));
    const first = await engine.send('DUNNING', '2026-12-08');
    const second = await engine.send('DUNNING', '2026-12-08');
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBeNull();
    const rows = await db.dataSource.query(`SELECT id, singleton_key FROM pgboss.job WHERE name = $1`, [queueOf('DUNNING')]);
    expect(rows).toEqual([{ id: first, singleton_key: 'DUNNING:2026-12-08' }]);
  });

  it('retries a failing job with backoff, then it lands in dead letters and its cycle step FAILED', async () => {
    await db.dataSource.query(`UPDATE cycle_steps SET enabled = true, depends_on = '{}' WHERE step = 'CORRESPONDENCE'`);
    await db.dataSource.query(`INSERT INTO cycle_step_runs (cycle_date, step, state, due_at) VALUES ('2026-12-09', 'CORRESPONDENCE', 'WAITING', now())`);
    await scheduler.tick();
    await until(async () => (await stepState('2026-12-09', 'CORRESPONDENCE')) === 'FAILED', 45_000);
    expect(failures).toBe(3);
    const [job] = await db.dataSource.query(`SELECT state, retry_count, output FROM pgboss.job WHERE name = $1`, [queueOf('CORRESPONDENCE')]);
    expect(job.state).toBe('failed');
    expect(job.retry_count).toBe(2);
    expect(job.output.message).toBe('mail server down (3)');
    const [run] = await db.dataSource.query(`SELECT error FROM cycle_step_runs WHERE cycle_date = '2026-12-09' AND step = 'CORRESPONDENCE'`);
    expect(run.error).toBe('mail server down (3)');
  }, 60_000);
});
