import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { reapOrphanedRuns, runWorklist } from '../packages/server/src/worklists';
import { RUN_PHASES } from '../packages/server/src/worklists/worklist-progress';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * A worklist run's progress (phase, partners scored, partner-range jobs done) committed as it
 * goes, the run started in the background (startWorklistRun), the paged history of runs, and who
 * may start one.
 */
const D = '2026-03-31';
const DOCUMENT = strategyDocument({
  key: 'PROGRESS',
  name: 'Progress',
  priorities: [
    { priority: 1, label: 'Urgent', minPercent: 50 },
    { priority: 2, label: 'Routine', minPercent: 0 },
  ],
  rules: [rule('Over 100 to collect', 50, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 100))],
});
const PARTNERS = 40;

const RUN_FIELDS = `id segment status error startedAt finishedAt partnersEvaluated
  progress { phase partnersScored partnersTotal partsDone partsTotal } bands { priority label minPercent }`;
const START = `mutation($segment: String!, $asOf: Date!) { startWorklistRun(segment: $segment, asOf: $asOf) { ${RUN_FIELDS} } }`;
const RUN = `query($id: ID) { worklistRun(id: $id) { ${RUN_FIELDS} } }`;
const HISTORY = `query($segment: String, $mode: String, $first: Int, $after: String) {
  worklistRuns(segment: $segment, mode: $mode, first: $first, after: $after) { edges { cursor node { id segment status } } pageInfo { hasNextPage endCursor } } }`;

let db: Database;
let app: RunningApp;
let supervisor: string;
let tokens: Record<string, string>;

/** Polls the run over HTTP until it is no longer RUNNING. */
async function ended(id: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const { data, errors } = await gql(app.url, RUN, { id }, supervisor);
    expect(errors).toBeUndefined();
    if (data.worklistRun.status !== 'RUNNING') return data.worklistRun;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${id} did not end`);
}

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'PROGRESS', DOCUMENT);
  await insertSegment(db, 'PROG', [{ key: 'PROG_G', strategyKey: 'PROGRESS' }]);
  await insertSegment(db, 'PROG_FAIL', [{ key: 'PROG_FAIL_G', strategyKey: 'PROGRESS' }]);
  await insertSpecialist(db, 901, 'PROG_G');
  const ids = Array.from({ length: PARTNERS }, (_, i) => 5001 + i);
  await insertPartners(
    db,
    ids.map((id) => ({ id, segment: 'PROG' })),
  );
  await insertItems(
    db,
    ids.map((id) => ({ id: id * 10, partner: id, due: '2026-02-01', open: (id % 5) * 60 })),
  );
  // A GBP item without a GBP rate: the run fails at the FX check, after scoring.
  await insertPartners(db, [
    { id: 5101, segment: 'PROG_FAIL' },
    { id: 5102, segment: 'PROG_FAIL' },
  ]);
  await insertItems(db, [
    { id: 51010, partner: 5101, due: '2026-02-01', open: 100 },
    { id: 51020, partner: 5102, due: '2026-02-01', open: 100, currency: 'GBP' },
  ]);
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  const roles = ['SUPERVISOR', 'ADMIN', 'CONFIGURATOR', 'CLIENT'] as const;
  const made = await Promise.all(roles.map((r) => createTestToken(db, r)));
  tokens = Object.fromEntries(roles.map((r, i) => [r, made[i]!]));
  tokens.SPECIALIST = await createTestToken(db, 'SPECIALIST', '901');
  supervisor = tokens.SUPERVISOR!;
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`worklist run progress (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('records phase, partners scored and parts done as the run goes, each count only growing, committed before the switch', async () => {
    // Every write to a run row, logged by the writing statement itself.
    await query(db, `CREATE TABLE test_progress_log (n serial, run_id bigint, phase text, scored int, total int, done int, parts int, status text)`);
    await query(
      db,
      `CREATE FUNCTION test_log_progress() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
         INSERT INTO test_progress_log (run_id, phase, scored, total, done, parts, status)
         VALUES (NEW.id, NEW.progress_phase, NEW.partners_scored, NEW.partners_total, NEW.parts_done, NEW.parts_total, NEW.status);
         RETURN NEW; END $$`,
    );
    await query(db, `CREATE TRIGGER test_log_progress AFTER INSERT OR UPDATE ON worklist_runs FOR EACH ROW EXECUTE FUNCTION test_log_progress()`);
    let result;
    try {
      // 10 partners per job: four partner-range jobs.
      result = await runWorklist(db, { segment: 'PROG', asOf: D, mode: 'LIVE', partnersPerJob: 10 });
    } finally {
      await query(db, `DROP TRIGGER test_log_progress ON worklist_runs`);
      await query(db, `DROP FUNCTION test_log_progress()`);
    }
    const log = await query(db, `SELECT phase, scored, total, done, parts, status FROM test_progress_log WHERE run_id = $1 ORDER BY n`, [result.runId]);
    await query(db, `DROP TABLE test_progress_log`);
    expect(log[0]).toMatchObject({ phase: 'queued', scored: 0, total: PARTNERS, done: 0, status: 'RUNNING' });
    expect(log.at(-1)).toMatchObject({ phase: 'done', scored: PARTNERS, total: PARTNERS, done: 4, parts: 4, status: 'SUCCEEDED' });
    for (let i = 1; i < log.length; i++) {
      const [before, now] = [log[i - 1]!, log[i]!];
      expect(RUN_PHASES.indexOf(now.phase as never)).toBeGreaterThanOrEqual(RUN_PHASES.indexOf(before.phase as never));
      expect(now.scored).toBeGreaterThanOrEqual(before.scored as number);
      expect(now.done).toBeGreaterThanOrEqual(before.done as number);
    }
    // One write per job: 10, 20, 30, 40 partners scored (the ranges split the ids evenly).
    const scoring = log.filter((r) => r.phase === 'scoring').map((r) => [r.done, r.scored]);
    expect(scoring).toEqual([
      [0, 0],
      [1, 10],
      [2, 20],
      [3, 30],
      [4, 40],
      [4, 40],
    ]);
    // Every phase was written, and the switch's phase before the switch's transaction (it is not the last write).
    expect(new Set(log.map((r) => r.phase))).toEqual(new Set(RUN_PHASES));
  });

  it('startWorklistRun answers RUNNING at once, the run ends SUCCEEDED in the background and is not reaped meanwhile', async () => {
    const { data, errors } = await gql(app.url, START, { segment: 'PROG', asOf: D }, supervisor);
    expect(errors).toBeUndefined();
    const started = data.startWorklistRun;
    expect(started).toMatchObject({ segment: 'PROG', status: 'RUNNING', finishedAt: null, error: null });
    expect(started.progress.partnersTotal).toBe(PARTNERS);
    expect(Date.parse(started.startedAt)).not.toBeNaN();
    // The run's process is alive: the reaper leaves it alone.
    expect((await reapOrphanedRuns(db)).map((r) => r.runId)).not.toContain(started.id);
    const run = await ended(started.id);
    expect(run).toMatchObject({ id: started.id, status: 'SUCCEEDED', error: null, partnersEvaluated: PARTNERS });
    expect(run.progress).toMatchObject({ phase: 'done', partnersScored: PARTNERS, partnersTotal: PARTNERS });
    expect(run.progress.partsDone).toBe(run.progress.partsTotal);
    expect(run.progress.partsTotal).toBeGreaterThan(0);
    expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
    expect(run.bands).toEqual([
      { priority: 1, label: 'Urgent', minPercent: 50 },
      { priority: 2, label: 'Routine', minPercent: 0 },
    ]);
    const [segment] = await query(db, `SELECT live_run_id::text AS id FROM collection_segments WHERE key = 'PROG'`);
    expect(segment!.id).toBe(started.id);
    const [{ items }] = (await query(db, `SELECT count(*)::int AS items FROM worklist_items WHERE run_id = $1`, [started.id])) as any;
    // A partner with nothing to collect (every fifth) is not on the list.
    expect(items).toBe(PARTNERS - PARTNERS / 5);
  });

  it("a run failing after scoring keeps the progress committed before it, and says why; the caller's own mistakes are refused before anything runs", async () => {
    const before = await query(db, `SELECT count(*)::int AS n FROM worklist_runs`);
    for (const [variables, code] of [
      [{ segment: 'NOPE', asOf: D }, 'NOT_FOUND'],
      [{ segment: 'PROG', asOf: '2026-02-30' }, 'BAD_USER_INPUT'],
    ] as const) {
      const { errors } = await gql(app.url, START, variables, supervisor);
      expect(errors?.[0]?.extensions?.code).toBe(code);
    }
    expect(await query(db, `SELECT count(*)::int AS n FROM worklist_runs`)).toEqual(before);
    const { data, errors } = await gql(app.url, START, { segment: 'PROG_FAIL', asOf: D }, supervisor);
    expect(errors).toBeUndefined();
    expect(data.startWorklistRun.status).toBe('RUNNING');
    const run = await ended(data.startWorklistRun.id);
    expect(run.status).toBe('FAILED');
    expect(run.error).toContain('GBP->EUR');
    expect(run.progress).toMatchObject({ phase: 'checking FX rates', partnersScored: 2, partnersTotal: 2 });
    const [row] = await query(db, `SELECT status, error, finished_at IS NOT NULL AS finished FROM worklist_runs WHERE id = $1`, [run.id]);
    expect(row).toMatchObject({ status: 'FAILED', finished: true });
    expect(row!.error).toContain('GBP->EUR');
  });

  it('refuses a second start while a live run of the segment is RUNNING (a live coordinator: not reaped), naming it', async () => {
    await reapOrphanedRuns(db);
    const coordinator = new pg.Client({ connectionString: db.url });
    await coordinator.connect();
    try {
      const [{ id }] = (
        await coordinator.query(
          `INSERT INTO worklist_runs (segment_key, as_of, mode, coordinator_pid, progress_phase) VALUES ('PROG', $1, 'LIVE', pg_backend_pid(), 'scoring') RETURNING id::text AS id`,
          [D],
        )
      ).rows;
      expect((await reapOrphanedRuns(db)).map((r) => r.runId)).not.toContain(id);
      const { errors } = await gql(app.url, START, { segment: 'PROG', asOf: D }, supervisor);
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', runId: id });
      expect(errors?.[0]?.message).toContain(`#${id}`);
      await coordinator.query(`DELETE FROM worklist_runs WHERE id = $1`, [id]);
    } finally {
      await coordinator.end();
    }
  });

  it('pages the history newest first, of a segment or all, by mode', async () => {
    const expected = (await query(db, `SELECT id::text AS id FROM worklist_runs WHERE segment_key = 'PROG' ORDER BY id DESC`)).map((r) => r.id);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const { data, errors }: any = await gql(app.url, HISTORY, { segment: 'PROG', first: 1, after }, tokens.CLIENT);
      expect(errors).toBeUndefined();
      seen.push(...data.worklistRuns.edges.map((e: any) => e.node.id));
      if (!data.worklistRuns.pageInfo.hasNextPage) break;
      after = data.worklistRuns.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    const all = await gql(app.url, HISTORY, { mode: 'LIVE', first: 100 }, supervisor);
    const allIds = (await query(db, `SELECT id::text AS id FROM worklist_runs WHERE mode = 'LIVE' ORDER BY id DESC`)).map((r) => r.id);
    expect(all.data.worklistRuns.edges.map((e: any) => e.node.id)).toEqual(allIds);
    expect(all.data.worklistRuns.edges.some((e: any) => e.node.segment === 'PROG_FAIL' && e.node.status === 'FAILED')).toBe(true);
    for (const [variables, code] of [
      [{ segment: 'NOPE' }, 'NOT_FOUND'],
      [{ mode: 'SOMETIMES' }, 'BAD_USER_INPUT'],
      [{ first: 101 }, 'BAD_USER_INPUT'],
      [{ first: -1 }, 'BAD_USER_INPUT'],
      [{ after: 'bm90LWEtY3Vyc29y' }, 'BAD_USER_INPUT'],
    ] as const) {
      const { errors } = await gql(app.url, HISTORY, variables, supervisor);
      expect(errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe(code);
    }
  });

  it('only ADMIN and SUPERVISOR start a run; every reader reads the history', async () => {
    const before = await query(db, `SELECT count(*)::int AS n FROM worklist_runs`);
    for (const role of ['CONFIGURATOR', 'CLIENT', 'SPECIALIST']) {
      const { errors } = await gql(app.url, START, { segment: 'PROG', asOf: D }, tokens[role]);
      expect(errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      const history = await gql(app.url, HISTORY, { first: 1 }, tokens[role]);
      expect(history.errors, role).toBeUndefined();
    }
    expect(await query(db, `SELECT count(*)::int AS n FROM worklist_runs`)).toEqual(before);
    const { data, errors } = await gql(app.url, START, { segment: 'PROG', asOf: D }, tokens.ADMIN);
    expect(errors).toBeUndefined();
    expect((await ended(data.startWorklistRun.id)).status).toBe('SUCCEEDED');
  });
});
