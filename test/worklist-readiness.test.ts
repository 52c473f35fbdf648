import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { DomainError } from '../packages/server/src/graphql/errors';
import { runWorklists } from '../packages/server/src/worklists';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { importUnconfiguredAr, UNCONFIGURED_AS_OF } from './support/unconfigured-ar';
import { insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';
import { deferredWrites } from '../packages/server/src/worklists/worklist-deferred-items';

/**
 * A company's own AR imported with no organisation (segments registered from partners.csv, no
 * collection group, strategy or specialist): the preview scores every segment and says what is
 * missing; generation refuses naming it, and leaves no run; once configured, the warnings go.
 */
const D = UNCONFIGURED_AS_OF;
const DOCUMENT = strategyDocument({ key: 'READY', name: 'Ready', rules: [rule('Overdue', 100, 'condition', when('maxDaysOverdue', 'greaterThan', 0))] });

const PREVIEW = `query($strategy: JSON!, $asOf: Date!, $segment: String) {
  previewWorklist(strategy: $strategy, asOf: $asOf, segment: $segment) {
    segments partnersEvaluated partners
    bySpecialist { specialistId count }
    warnings { code message segment group strategy blocksGeneration } } }`;
const GENERATE = `mutation($segment: String!, $asOf: Date!) { generateWorklist(segment: $segment, asOf: $asOf) { id status partnersOnList } }`;

let db: Database;
let app: RunningApp;
let admin: string;

async function preview(segment: string | null = null): Promise<any> {
  const { data, errors } = await gql(app.url, PREVIEW, { strategy: DOCUMENT, asOf: D, segment }, admin);
  expect(errors).toBeUndefined();
  return data.previewWorklist;
}

/** The warnings as [code, segment, group, blocksGeneration], in the order given. */
const codes = (warnings: any[]) => warnings.map((w) => [w.code, w.segment, w.group, w.blocksGeneration]);

async function runCounts(): Promise<Record<string, number>> {
  const rows = await query(db, `SELECT mode || ' ' || status AS k, count(*)::int AS n FROM worklist_runs GROUP BY 1`);
  return Object.fromEntries(rows.map((r) => [r.k as string, r.n as number]));
}

/** `pnpm recoup …` on this test's database. */
function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)('npx', ['tsx', 'packages/server/src/cli.ts', ...args], { env: { ...process.env, DATABASE_URL: db.url }, cwd: process.cwd() });
}

async function refusal(segment: string): Promise<{ message: string; extensions: Record<string, any> }> {
  // A preview answered before its items were all written finishes first (its run moves to SUCCEEDED).
  await deferredWrites();
  const before = await runCounts();
  const { data, errors } = await gql(app.url, GENERATE, { segment, asOf: D }, admin);
  expect(data?.generateWorklist ?? null).toBeNull();
  expect(errors).toHaveLength(1);
  // Refused before anything ran: no run row of any status, the segment has no live run.
  expect(await runCounts()).toEqual(before);
  expect(before['LIVE RUNNING'] ?? 0).toBe(0);
  expect(before['LIVE SUCCEEDED'] ?? 0).toBe(0);
  expect(await query(db, `SELECT live_run_id FROM collection_segments WHERE key = $1`, [segment])).toEqual([{ live_run_id: null }]);
  return errors![0] as { message: string; extensions: Record<string, any> };
}

beforeAll(async () => {
  db = await openTestDatabase();
  await importUnconfiguredAr(db);
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`worklist readiness on an imported AR without organisation (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('previews every segment of the mirror and warns that nothing will be assigned', async () => {
    // The starting point: the import registered the segments, and nothing else.
    expect(await query(db, `SELECT key FROM collection_segments ORDER BY key`)).toEqual([{ key: 'BUSINESS' }, { key: 'CONSUMER' }]);
    expect(await query(db, `SELECT count(*)::int AS n FROM collection_groups`)).toEqual([{ n: 0 }]);
    const p = await preview();
    expect(p).toMatchObject({ segments: ['BUSINESS', 'CONSUMER'], partnersEvaluated: 6, partners: 6 });
    expect(p.bySpecialist).toEqual([{ specialistId: null, count: 6 }]);
    expect(codes(p.warnings)).toEqual([
      ['NO_COLLECTION_GROUP', null, null, true],
      ['SEGMENT_WITHOUT_GROUP', 'BUSINESS', null, true],
      ['SEGMENT_WITHOUT_GROUP', 'CONSUMER', null, true],
    ]);
    expect(p.warnings[0].message).toMatch(/No collection group is configured.*nothing will be assigned/);
    expect(p.warnings[2].message).toBe('Segment CONSUMER: no collection group works this segment, so nothing will be assigned.');

    const one = await preview('CONSUMER');
    expect(one).toMatchObject({ segments: ['CONSUMER'], partnersEvaluated: 4, partners: 4 });
    expect(codes(one.warnings)).toEqual([['SEGMENT_WITHOUT_GROUP', 'CONSUMER', null, true]]);
  });

  it('refuses to generate, naming what to configure first, and leaves no run', async () => {
    const error = await refusal('CONSUMER');
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(
      /^Segment CONSUMER: no collection group works this segment.*Configure first: an active collection group for segment CONSUMER, naming a strategy/,
    );
    expect(error.extensions.segment).toBe('CONSUMER');
    expect(error.extensions.missing).toEqual([
      { code: 'SEGMENT_WITHOUT_GROUP', message: expect.stringContaining('CONSUMER'), segment: 'CONSUMER', group: null, strategy: null },
    ]);
  });

  it('a run of every segment (the CLI and start-up path) is refused too, instead of generating nothing', async () => {
    const before = await runCounts();
    const error = await runWorklists(db, { asOf: D, mode: 'LIVE' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    expect((error as DomainError).message).toMatch(/^No collection group is configured/);
    expect(((error as DomainError).details.missing as Array<{ code: string }>).map((m) => m.code)).toEqual([
      'NO_COLLECTION_GROUP',
      'SEGMENT_WITHOUT_GROUP',
      'SEGMENT_WITHOUT_GROUP',
    ]);
    expect(await runCounts()).toEqual(before);
  });

  it('`pnpm recoup worklist generate` exits non-zero with the message on stderr', async () => {
    const failed = await cli('worklist', 'generate', '--as-of', D).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).not.toBeNull();
    expect(failed!.code).not.toBe(0);
    expect(failed!.stderr).toMatch(/No collection group is configured.*Configure first: a collection group for a segment/s);
    expect((await runCounts())['LIVE RUNNING'] ?? 0).toBe(0);
  }, 60_000);

  it('names each missing piece while the organisation is configured step by step', async () => {
    await query(db, `INSERT INTO collection_groups (key, name, segment_key, strategy_key) VALUES ('CONS_G', 'Consumer', 'CONSUMER', NULL)`);
    await query(db, `INSERT INTO collection_groups (key, name, segment_key, strategy_key, active) VALUES ('BUS_G', 'Business', 'BUSINESS', 'READY', false)`);
    let p = await preview();
    // CONSUMER is worked now: a preview without segment takes only the worked segments.
    expect(p).toMatchObject({ segments: ['CONSUMER'], partnersEvaluated: 4 });
    expect(codes(p.warnings)).toEqual([
      ['INACTIVE_GROUP', 'BUSINESS', 'BUS_G', false],
      ['SEGMENT_WITHOUT_GROUP', 'BUSINESS', null, true],
      ['GROUP_WITHOUT_STRATEGY', 'CONSUMER', 'CONS_G', true],
      ['NO_ACTIVE_SPECIALIST', 'CONSUMER', 'CONS_G', false],
    ]);
    expect(p.warnings[1].message).toMatch(/only inactive ones: BUS_G/);
    expect(p.warnings[3].message).toBe('Segment CONSUMER: collection group CONS_G has no active specialist, so its items stay unassigned.');
    let error = await refusal('CONSUMER');
    expect(error.message).toMatch(/collection group CONS_G has no strategy.*Configure first: a strategy for collection group CONS_G/);
    expect(error.extensions.missing.map((m: any) => m.code)).toEqual(['GROUP_WITHOUT_STRATEGY']);

    await query(db, `UPDATE collection_groups SET strategy_key = 'NOPE' WHERE key = 'CONS_G'`);
    expect(codes((await preview('CONSUMER')).warnings)[0]).toEqual(['UNKNOWN_STRATEGY', 'CONSUMER', 'CONS_G', true]);

    await insertStrategy(db, 'READY', DOCUMENT, 'DRAFT');
    await query(db, `UPDATE collection_groups SET strategy_key = 'READY' WHERE key = 'CONS_G'`);
    p = await preview('CONSUMER');
    expect(p.warnings[0]).toMatchObject({ code: 'STRATEGY_WITHOUT_ACTIVE_VERSION', group: 'CONS_G', strategy: 'READY', blocksGeneration: true });
    error = await refusal('CONSUMER');
    expect(error.message).toMatch(/strategy READY of group CONS_G has no active version.*Configure first: an active version of strategy READY/);
    expect(error.extensions.missing).toEqual([
      { code: 'STRATEGY_WITHOUT_ACTIVE_VERSION', message: expect.any(String), segment: 'CONSUMER', group: 'CONS_G', strategy: 'READY' },
    ]);
  });

  it('once a group, a specialist and an active strategy work each segment, the warnings go and the worklists generate', async () => {
    await query(db, `UPDATE strategy_versions SET status = 'ACTIVE', activated_at = now() WHERE status = 'DRAFT'`);
    await query(db, `UPDATE collection_groups SET active = true WHERE key = 'BUS_G'`);
    // Generated, but the CLI says why its items have no specialist yet.
    const generated = await cli('worklist', 'generate', '--segment', 'CONSUMER', '--as-of', D);
    expect(generated.stdout).toMatch(/^CONSUMER: run \d+ \(live\)\n {2}4 partners/);
    expect(generated.stderr).toMatch(/generated 1 worklist as of 2026-03-31/);
    expect(generated.stderr).toMatch(/warning: Segment CONSUMER: collection group CONS_G has no active specialist, so its items stay unassigned\./);
    await insertSpecialist(db, 71, 'CONS_G');
    await insertSpecialist(db, 72, 'BUS_G');
    const p = await preview();
    expect(p.warnings).toEqual([]);
    expect(p).toMatchObject({ segments: ['BUSINESS', 'CONSUMER'], partners: 6 });
    expect(p.bySpecialist).toEqual([
      { specialistId: '71', count: 4 },
      { specialistId: '72', count: 2 },
    ]);
    // A retired group sorting first is not the segment's default group: its specialist gets nothing.
    await query(db, `INSERT INTO collection_groups (key, name, segment_key, strategy_key, active) VALUES ('BUS_A_OLD', 'Old', 'BUSINESS', 'READY', false)`);
    await insertSpecialist(db, 73, 'BUS_A_OLD');
    for (const [segment, partners] of [
      ['CONSUMER', 4],
      ['BUSINESS', 2],
    ] as const) {
      const { data, errors } = await gql(app.url, GENERATE, { segment, asOf: D }, admin);
      expect(errors).toBeUndefined();
      expect(data.generateWorklist).toMatchObject({ status: 'SUCCEEDED', partnersOnList: partners });
    }
    const assigned = await query(
      db,
      `SELECT r.segment_key AS segment, w.specialist_id::int AS specialist, count(*)::int AS n
         FROM worklist_items w JOIN worklist_runs r ON r.id = w.run_id JOIN collection_segments s ON s.live_run_id = r.id GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(assigned).toEqual([
      { segment: 'BUSINESS', specialist: 72, n: 2 },
      { segment: 'CONSUMER', specialist: 71, n: 4 },
    ]);
  }, 60_000);
});
