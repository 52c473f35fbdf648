import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { JobEngine, queueOf } from '../packages/server/src/jobs';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';

/**
 * The jobs and the cycle schedule over GraphQL: who may read and change them, hostile input
 * refused with its code and path (the database unchanged), audited changes, retry and cancel.
 */
let db: Database;
let app: RunningApp;
let engine: JobEngine;
let admin: string;
let supervisor: string;
let configurator: string;

const SCHEDULE = `{ cycleSchedule { step cron timeZone dependsOn enabled } }`;
const SAVE = `mutation($input: [CycleStepInput!]!) { saveCycleSchedule(input: $input) { step cron timeZone dependsOn enabled } }`;
const JOBS = `query($state: JobState, $type: String, $first: Int, $after: String) {
  jobs(state: $state, type: $type, first: $first, after: $after) { edges { cursor node { id type state key attempts maxAttempts error durationSeconds } } pageInfo { hasNextPage endCursor } } }`;
const RETRY = `mutation($id: ID!) { retryJob(id: $id) { id state maxAttempts } }`;
const CANCEL = `mutation($id: ID!) { cancelJob(id: $id) { id state finishedAt } }`;
const step = (extra: Record<string, unknown> = {}) => ({
  step: 'JUDGE',
  cron: '15 2 * * *',
  timeZone: 'Europe/Berlin',
  dependsOn: ['IMPORT'],
  enabled: true,
  ...extra,
});

const scheduleRows = () => db.dataSource.query(`SELECT step, cron, time_zone, depends_on, enabled FROM cycle_steps ORDER BY step`);

beforeAll(async () => {
  db = await openTestDatabase();
  // Queues jobs only (no worker): the jobs stay where the test puts them.
  engine = await JobEngine.start(db, { work: false });
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
  supervisor = await createTestToken(db, 'SUPERVISOR');
  configurator = await createTestToken(db, 'CONFIGURATOR');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await engine?.stop();
  await db?.close();
});

describe('the cycle schedule over GraphQL', () => {
  it('reads the default night for ADMIN and SUPERVISOR; refuses others', async () => {
    const read = await gql(app.url, SCHEDULE, {}, supervisor);
    expect(read.errors).toBeUndefined();
    expect(read.data.cycleSchedule.map((s: { step: string }) => s.step)).toEqual(['IMPORT', 'JUDGE', 'DUNNING', 'WORKLISTS', 'ANALYTICS', 'CORRESPONDENCE']);
    expect(read.data.cycleSchedule[3]).toEqual({ step: 'WORKLISTS', cron: '0 3 * * *', timeZone: 'UTC', dependsOn: ['IMPORT', 'JUDGE'], enabled: true });
    const refused = await gql(app.url, SCHEDULE, {}, configurator);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('saves a step for an ADMIN, audited with before and after; a SUPERVISOR may not', async () => {
    const refused = await gql(app.url, SAVE, { input: [step()] }, supervisor);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const saved = await gql(app.url, SAVE, { input: [step()] }, admin);
    expect(saved.errors).toBeUndefined();
    expect(saved.data.saveCycleSchedule[1]).toEqual(step());
    const [entry] = await db.dataSource.query(`SELECT action, entity_type, entity_id, details FROM audit_log WHERE entity_type = 'CYCLE_STEP'`);
    expect(entry).toMatchObject({
      action: 'CYCLE_STEP_UPDATED',
      entity_id: 'JUDGE',
      details: { before: { cron: '30 1 * * *', timeZone: 'UTC' }, after: step() },
    });
  });

  it.each([
    ['a bad cron', [step({ cron: '61 2 * * *' })], 'input[0].cron'],
    ['a cron of six fields', [step({ cron: '0 0 2 * * *' })], 'input[0].cron'],
    ['words for a cron', [step({ cron: 'every night' })], 'input[0].cron'],
    ['an unknown time zone', [step({ timeZone: 'Mars/Olympus' })], 'input[0].timeZone'],
    ['an unknown step', [step({ step: 'BACKUP' })], 'input[0].step'],
    ['a dependency on itself', [step({ dependsOn: ['JUDGE'] })], 'input[0].dependsOn[0]'],
    ['an unknown dependency', [step({ dependsOn: ['IMPORT', 'NOPE'] })], 'input[0].dependsOn[1]'],
    ['a step given twice', [step(), step()], 'input[1].step'],
    ['a dependency cycle', [step({ step: 'WORKLISTS' }), step({ step: 'IMPORT', cron: '0 1 * * *', dependsOn: ['DUNNING'] })], 'input[1].dependsOn'],
  ])('refuses %s with BAD_USER_INPUT at its path, the schedule unchanged', async (_what, input, path) => {
    const before = await scheduleRows();
    const r = await gql(app.url, SAVE, { input }, admin);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path });
    expect(await scheduleRows()).toEqual(before);
  });

  it('gives each enabled step its next fire time in its zone, none for a disabled one', async () => {
    const before = Date.now();
    await gql(app.url, SAVE, { input: [step({ step: 'DUNNING', cron: '45 23 * * *', timeZone: 'Asia/Tokyo', dependsOn: ['IMPORT', 'JUDGE'] })] }, admin);
    await gql(app.url, SAVE, { input: [step({ step: 'CORRESPONDENCE', cron: '0 6 * * *', timeZone: 'UTC', dependsOn: ['DUNNING'], enabled: false })] }, admin);
    const r = await gql(app.url, `{ cycleSchedule { step nextRunAt } }`, {}, supervisor);
    expect(r.errors).toBeUndefined();
    const next = Object.fromEntries(r.data.cycleSchedule.map((s: { step: string; nextRunAt: string | null }) => [s.step, s.nextRunAt]));
    expect(next.CORRESPONDENCE).toBeNull();
    // 23:45 in Tokyo is 14:45 UTC, within the coming day.
    const dunning = new Date(next.DUNNING);
    expect(dunning.getUTCHours() * 60 + dunning.getUTCMinutes()).toBe(14 * 60 + 45);
    expect(dunning.getTime()).toBeGreaterThan(before);
    expect(dunning.getTime() - before).toBeLessThanOrEqual(86_400_000);
    // Import at 01:00 UTC (the default).
    expect(new Date(next.IMPORT).toISOString().slice(11, 16)).toBe('01:00');
  });

  it('refuses a NUL character before anything runs', async () => {
    const r = await gql(app.url, SAVE, { input: [step({ timeZone: 'UTC\u0000' })] }, admin);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('jobs over GraphQL', () => {
  let dead: string;
  let queued: string;

  beforeAll(async () => {
    queued = (await engine.send('IMPORT', '2026-12-01'))!;
    dead = (await engine.send('JUDGE', '2026-12-01'))!;
    // A dead letter as the engine leaves one: its last attempt failed.
    await db.dataSource.query(
      `UPDATE pgboss.job SET state = 'failed', started_on = now() - interval '3 seconds', completed_on = now(), retry_count = retry_limit, output = '{"message":"boom"}' WHERE id = $1`,
      [dead],
    );
  });

  it('lists jobs newest first with paging, and FAILED ones as the dead-letter view', async () => {
    const page1 = await gql(app.url, JOBS, { first: 1 }, supervisor);
    expect(page1.errors).toBeUndefined();
    expect(page1.data.jobs.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([dead]);
    expect(page1.data.jobs.pageInfo.hasNextPage).toBe(true);
    const page2 = await gql(app.url, JOBS, { first: 1, after: page1.data.jobs.pageInfo.endCursor }, supervisor);
    expect(page2.data.jobs.edges.map((e: { node: { id: string } }) => e.node)).toEqual([
      { id: queued, type: queueOf('IMPORT'), state: 'QUEUED', key: 'IMPORT:2026-12-01', attempts: 0, maxAttempts: 4, error: null, durationSeconds: null },
    ]);
    const deadLetters = await gql(app.url, JOBS, { state: 'FAILED' }, supervisor);
    expect(deadLetters.data.jobs.edges).toHaveLength(1);
    expect(deadLetters.data.jobs.edges[0].node).toMatchObject({ id: dead, state: 'FAILED', error: 'boom', attempts: 4, maxAttempts: 4 });
    expect(deadLetters.data.jobs.edges[0].node.durationSeconds).toBeGreaterThan(2);
    const byType = await gql(app.url, JOBS, { type: queueOf('IMPORT') }, supervisor);
    expect(byType.data.jobs.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([queued]);
  });

  it('gives each job its cycle date, and counts jobs per state (every state listed)', async () => {
    const r = await gql(app.url, `{ jobs { edges { node { id cycleDate } } } jobCounts { state count } }`, {}, supervisor);
    expect(r.errors).toBeUndefined();
    expect(r.data.jobs.edges.map((e: { node: { cycleDate: string } }) => e.node.cycleDate)).toEqual(['2026-12-01', '2026-12-01']);
    expect(r.data.jobCounts).toEqual([
      { state: 'QUEUED', count: 1 },
      { state: 'RETRY', count: 0 },
      { state: 'RUNNING', count: 0 },
      { state: 'DONE', count: 0 },
      { state: 'CANCELLED', count: 0 },
      { state: 'FAILED', count: 1 },
    ]);
    expect((await gql(app.url, `{ jobCounts { state count } }`, {}, configurator)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a bad state, page size or cursor with BAD_USER_INPUT', async () => {
    expect((await gql(app.url, JOBS, { state: 'EXPLODED' }, supervisor)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gql(app.url, JOBS, { first: 0 }, supervisor)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'first' });
    expect((await gql(app.url, JOBS, { after: 'bm9wZQ' }, supervisor)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'after' });
  });

  it('answers NOT_FOUND for an unknown job id, well-formed or not', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', '99999999999999999999999999', "x' OR 1=1"]) {
      expect((await gql(app.url, RETRY, { id }, admin)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect((await gql(app.url, CANCEL, { id }, admin)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('lets only an ADMIN retry a dead job (one more attempt), CONFLICT for a job that is not dead', async () => {
    expect((await gql(app.url, RETRY, { id: dead }, supervisor)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const conflict = await gql(app.url, RETRY, { id: queued }, admin);
    expect(conflict.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const retried = await gql(app.url, RETRY, { id: dead }, admin);
    expect(retried.errors).toBeUndefined();
    expect(retried.data.retryJob).toEqual({ id: dead, state: 'RETRY', maxAttempts: 5 });
    const [audit] = await db.dataSource.query(`SELECT action FROM audit_log WHERE entity_type = 'JOB' AND entity_id = $1`, [dead]);
    expect(audit.action).toBe('JOB_RETRIED');
  });

  it('lets an ADMIN cancel a queued job and its cycle step fails; cancelling it again is a CONFLICT', async () => {
    await db.dataSource.query(`INSERT INTO cycle_step_runs (cycle_date, step, state, due_at, job_id) VALUES ('2026-12-01', 'IMPORT', 'QUEUED', now(), $1)`, [
      queued,
    ]);
    const cancelled = await gql(app.url, CANCEL, { id: queued }, admin);
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data.cancelJob.state).toBe('CANCELLED');
    const [run] = await db.dataSource.query(`SELECT state, error FROM cycle_step_runs WHERE job_id = $1`, [queued]);
    expect(run.state).toBe('FAILED');
    expect(run.error).toMatch(/^cancelled by test-admin-/);
    expect((await gql(app.url, CANCEL, { id: queued }, admin)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('lists an archived job still, and refuses to retry or cancel it with CONFLICT', async () => {
    // The engine moves finished jobs to its archive after a while (here at once).
    await db.dataSource.query(`INSERT INTO pgboss.archive SELECT *, now() FROM pgboss.job WHERE id = $1`, [queued]);
    await db.dataSource.query(`DELETE FROM pgboss.job WHERE id = $1`, [queued]);
    const listed = await gql(app.url, JOBS, { state: 'CANCELLED' }, supervisor);
    expect(listed.data.jobs.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([queued]);
    expect((await gql(app.url, RETRY, { id: queued }, admin)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await gql(app.url, CANCEL, { id: queued }, admin)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
