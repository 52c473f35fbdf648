import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { DomainError } from '../packages/server/src/graphql/errors';
import { runWorklist, type WorklistRunResult } from '../packages/server/src/worklists/worklist-run.service';
import { openTestDatabase } from './support/database';
import {
  attachedPartitions,
  insertItems,
  insertPartners,
  insertSegment,
  insertSpecialist,
  insertStrategy,
  itemsOf,
  liveRunOf,
  query,
  rule,
  runRow,
  strategyDocument,
  tablesLike,
  when,
  type Row,
} from './support/worklist-fixtures';

/**
 * The life of worklist runs on one segment: previews, live switches, dropping superseded items,
 * failures that must leave the live worklist intact, concurrent runs, and the errors before a run.
 */
const SEGMENT = 'RUN';
const D1 = '2026-03-31';
const D2 = '2026-04-20';

const DOCUMENT = strategyDocument({
  key: 'RUN_STRATEGY',
  name: 'Runs',
  minPercent: 0,
  priorities: [
    { priority: 1, label: 'Top', minPercent: 100 },
    { priority: 2, label: 'Mid', minPercent: 50 },
    { priority: 3, label: 'Rest', minPercent: 0 },
  ],
  agingBuckets: [0, 30], // <= 0, 1..30, > 30
  rules: [
    rule('Over 100 to collect', 50, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 100)),
    rule('Over 30 days', 50, 'condition', when('maxDaysOverdue', 'greaterThan', 30)),
  ],
});

/** Hand-computed worklists (worklist order) of the RUN segment at D1 and D2. */
const EXPECTED: Record<string, Row[]> = {
  // 3001: 500 due 2026-03-01 (30 days: not over 30); 3002: 80 due 03-25 (6 days); 3003: 1000 due 04-10 (not yet due).
  [D1]: [
    { partner_id: 3001, valuation: 50, priority: 2, fired: '10', amount_to_be_collected: 500, aging: [0, 500, 0] },
    { partner_id: 3002, valuation: 0, priority: 3, fired: '00', amount_to_be_collected: 80, aging: [0, 80, 0] },
    { partner_id: 3003, valuation: 0, priority: 3, fired: '00', amount_to_be_collected: 0, aging: [1000, 0, 0] },
  ],
  // 50, 26 and 10 days overdue.
  [D2]: [
    { partner_id: 3001, valuation: 100, priority: 1, fired: '11', amount_to_be_collected: 500, aging: [0, 0, 500] },
    { partner_id: 3003, valuation: 50, priority: 2, fired: '10', amount_to_be_collected: 1000, aging: [0, 1000, 0] },
    { partner_id: 3002, valuation: 0, priority: 3, fired: '00', amount_to_be_collected: 80, aging: [0, 80, 0] },
  ],
};
const KEYS = ['partner_id', 'valuation', 'priority', 'fired', 'amount_to_be_collected', 'aging'];
const pick = (r: Row) => Object.fromEntries(KEYS.map((k) => [k, r[k]]));
const listOf = async (runId: string) => (await itemsOf(db, runId)).map(pick);

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'RUN_STRATEGY', DOCUMENT);
  await insertSegment(db, SEGMENT, [{ key: 'RUN_G', strategyKey: 'RUN_STRATEGY' }]);
  await insertSpecialist(db, 701, 'RUN_G');
  await insertSpecialist(db, 702, 'RUN_G');
  await insertPartners(
    db,
    [3001, 3002, 3003].map((id) => ({ id, segment: SEGMENT })),
  );
  await insertItems(db, [
    { id: 30011, partner: 3001, due: '2026-03-01', open: 500 },
    { id: 30021, partner: 3002, due: '2026-03-25', open: 80 },
    { id: 30031, partner: 3003, due: '2026-04-10', open: 1000 },
  ]);
  // Segments that cannot run.
  await insertStrategy(db, 'DRAFT_ONLY', { ...DOCUMENT, key: 'DRAFT_ONLY' }, 'DRAFT');
  await insertSegment(db, 'NO_ACTIVE', [{ key: 'NO_ACTIVE_G', strategyKey: 'DRAFT_ONLY' }]);
  await insertSegment(db, 'NO_STRATEGY', [{ key: 'NO_STRATEGY_G', strategyKey: null }]);
  await insertSegment(db, 'NO_GROUP', []);
  await insertStrategy(db, 'OTHER', { ...DOCUMENT, key: 'OTHER' });
  await insertSegment(db, 'MIXED', [
    { key: 'MIXED_1', strategyKey: 'RUN_STRATEGY' },
    { key: 'MIXED_2', strategyKey: 'OTHER' },
  ]);
  await insertSegment(db, 'EMPTY', [{ key: 'EMPTY_G', strategyKey: 'RUN_STRATEGY' }]);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

/** What must hold whatever happened: no stage table, and a partition table exactly for each run whose items are kept. */
async function expectNoStrayTables(): Promise<void> {
  expect(await tablesLike(db, 'worklist_stage_%')).toEqual([]);
  const kept = await query(db, `SELECT id::text FROM worklist_runs WHERE status = 'SUCCEEDED' AND items_dropped_at IS NULL ORDER BY id`);
  const expected = kept.map((r) => `worklist_items_run_${r.id}`).sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(await tablesLike(db, 'worklist_items_run_%')).toEqual(expected);
  expect((await attachedPartitions(db)).map((id) => `worklist_items_run_${id}`).sort()).toEqual(expected);
}

async function expectFailedRun(error: unknown, message: RegExp, liveBefore: string): Promise<void> {
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(message);
  const [failed] = await query(db, `SELECT * FROM worklist_runs WHERE segment_key = $1 ORDER BY id DESC LIMIT 1`, [SEGMENT]);
  expect(failed).toMatchObject({ status: 'FAILED', mode: 'LIVE' });
  expect(String(failed!.error)).toMatch(message);
  expect(failed!.finished_at).not.toBeNull();
  expect(String(failed!.id)).not.toBe(liveBefore);
  const stray = await query(db, `SELECT count(*)::int AS n FROM worklist_items WHERE run_id = $1`, [failed!.id]);
  expect(stray[0]!.n).toBe(0);
  // The previous live worklist is intact and readable.
  expect(await liveRunOf(db, SEGMENT)).toBe(liveBefore);
  expect(await listOf(liveBefore)).toEqual(EXPECTED[D1]);
  await expectNoStrayTables();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the run to fail');
}

describe(`worklist runs (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let previewId: string;
  let live1: string;
  let live2: string;

  it('a preview leaves the segment without a live run, and keeps its own items', async () => {
    expect(await liveRunOf(db, SEGMENT)).toBeNull();
    const preview = await runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'PREVIEW' });
    previewId = preview.runId;
    expect(await liveRunOf(db, SEGMENT)).toBeNull();
    expect(await runRow(db, previewId)).toMatchObject({ mode: 'PREVIEW', status: 'SUCCEEDED', partners_on_list: 3 });
    expect(await listOf(previewId)).toEqual(EXPECTED[D1]);
  });

  it('a live run switches the segment to itself', async () => {
    const run = await runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'LIVE' });
    live1 = run.runId;
    expect(await liveRunOf(db, SEGMENT)).toBe(live1);
    expect(await listOf(live1)).toEqual(EXPECTED[D1]);
    for (const item of await itemsOf(db, live1)) {
      expect([701, 702]).toContain(item.specialist_id);
      expect(item.specialist_origin).toBe('STANDARD');
    }
    // Its table was indexed before the attach, which adopted each index of worklist_items (none
    // built twice); the worklist-order indexes are the run table's own.
    const indexesOf = (runId: string) =>
      query(
        db,
        `SELECT parent.relname AS parent, c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          LEFT JOIN pg_inherits h ON h.inhrelid = i.indexrelid LEFT JOIN pg_class parent ON parent.oid = h.inhparent
         WHERE i.indrelid = $1::regclass ORDER BY 1, 2`,
        [`worklist_items_run_${runId}`],
      );
    const indexes = await indexesOf(live1);
    const parentIndexes = await query(
      db,
      `SELECT c.relname AS parent FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = 'worklist_items'::regclass ORDER BY 1`,
    );
    expect(parentIndexes.length).toBeGreaterThanOrEqual(1);
    expect(indexes.filter((i) => i.parent).map((i) => ({ parent: i.parent }))).toEqual(parentIndexes);
    expect(indexes.filter((i) => !i.parent).map((i) => i.name)).toEqual([`worklist_items_run_${live1}_order`, `worklist_items_run_${live1}_specialist`]);
    // A later preview does not touch the live run; its small table has worklist_items' indexes only.
    const preview = await runWorklist(db, { segment: SEGMENT, asOf: D2, mode: 'PREVIEW' });
    expect(await liveRunOf(db, SEGMENT)).toBe(live1);
    expect(await listOf(preview.runId)).toEqual(EXPECTED[D2]);
    expect((await indexesOf(preview.runId)).map((i) => ({ parent: i.parent }))).toEqual(parentIndexes);
    await expectNoStrayTables();
  });

  it("a new live run drops the previous live run's items (its run row stays) and previews older than an hour", async () => {
    await query(db, `UPDATE worklist_runs SET started_at = now() - interval '2 hours' WHERE id = $1`, [previewId]);
    const recentPreviews = await query(db, `SELECT id::text FROM worklist_runs WHERE mode = 'PREVIEW' AND id <> $1`, [previewId]);
    const run = await runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'LIVE' });
    live2 = run.runId;
    expect(await liveRunOf(db, SEGMENT)).toBe(live2);
    expect(await listOf(live2)).toEqual(EXPECTED[D1]);

    const old = await runRow(db, live1);
    expect(old).toMatchObject({ status: 'SUCCEEDED', mode: 'LIVE', partners_on_list: 3, partners_evaluated: 3 });
    expect(old.items_dropped_at).not.toBeNull();
    expect(await itemsOf(db, live1)).toEqual([]);
    expect(await tablesLike(db, `worklist_items_run_${live1}`)).toEqual([]);
    // The old preview's items are dropped, the recent one's kept.
    expect((await runRow(db, previewId)).items_dropped_at).not.toBeNull();
    expect(await itemsOf(db, previewId)).toEqual([]);
    for (const { id } of recentPreviews) {
      expect((await runRow(db, String(id))).items_dropped_at).toBeNull();
      expect(await listOf(String(id))).toEqual(EXPECTED[D2]);
    }
    expect((await runRow(db, live2)).items_dropped_at).toBeNull();
    await expectNoStrayTables();
  });

  it('a failure at the switch (trigger on collection_segments) leaves the previous live worklist intact', async () => {
    await query(
      db,
      `CREATE FUNCTION test_refuse_switch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'switch refused by test trigger'; END $$`,
    );
    await query(db, `CREATE TRIGGER test_refuse_switch BEFORE UPDATE ON collection_segments FOR EACH ROW EXECUTE FUNCTION test_refuse_switch()`);
    try {
      const error = await rejection(runWorklist(db, { segment: SEGMENT, asOf: D2, mode: 'LIVE' }));
      await expectFailedRun(error, /switch refused by test trigger/, live2);
    } finally {
      await query(db, `DROP TRIGGER test_refuse_switch ON collection_segments`);
      await query(db, `DROP FUNCTION test_refuse_switch()`);
    }
  });

  it('a failure at the very end (trigger on worklist_runs refusing SUCCEEDED) leaves the previous live worklist intact', async () => {
    await query(
      db,
      `CREATE FUNCTION test_refuse_success() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.status = 'SUCCEEDED' THEN RAISE EXCEPTION 'success refused by test trigger'; END IF; RETURN NEW; END $$`,
    );
    await query(db, `CREATE TRIGGER test_refuse_success BEFORE UPDATE ON worklist_runs FOR EACH ROW EXECUTE FUNCTION test_refuse_success()`);
    try {
      const error = await rejection(runWorklist(db, { segment: SEGMENT, asOf: D2, mode: 'LIVE' }));
      await expectFailedRun(error, /success refused by test trigger/, live2);
    } finally {
      await query(db, `DROP TRIGGER test_refuse_success ON worklist_runs`);
      await query(db, `DROP FUNCTION test_refuse_success()`);
    }
  });

  it('a missing FX rate fails the run naming each pair (a rate dated after D does not count)', async () => {
    await query(db, `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('JPY', 'EUR', '2026-04-01', 0.006)`);
    await insertItems(db, [
      { id: 30012, partner: 3001, due: '2026-03-01', open: 10, currency: 'GBP' },
      { id: 30022, partner: 3002, due: '2026-03-01', open: 1000, currency: 'JPY' },
    ]);
    try {
      const error = await rejection(runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'LIVE' }));
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('BAD_USER_INPUT');
      expect((error as Error).message).toContain('GBP->EUR');
      expect((error as Error).message).toContain('JPY->EUR');
      await expectFailedRun(error, /GBP->EUR/, live2);
      // From D2 on the JPY rate exists: only GBP is missing.
      const later = await rejection(runWorklist(db, { segment: SEGMENT, asOf: D2, mode: 'PREVIEW' }));
      expect((later as Error).message).toContain('GBP->EUR');
      expect((later as Error).message).not.toContain('JPY');
    } finally {
      await query(db, `DELETE FROM open_items WHERE id IN (30012, 30022)`);
    }
    expect(await liveRunOf(db, SEGMENT)).toBe(live2);
  });

  it('a missing FX rate for a dispute or a promise fails the run too, naming the pair', async () => {
    const cases: Array<[string, string]> = [
      [
        'SEK',
        `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status)
        VALUES ('FXD', 3001, 30011, '2026-03-10', 5, 'SEK', 'OPEN')`,
      ],
      [
        'NOK',
        `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency)
        VALUES ('FXP', 3002, 30021, '2026-03-10', '2026-04-10', 5, 'NOK')`,
      ],
    ];
    for (const [currency, insert] of cases) {
      await query(db, insert);
      try {
        const error = await rejection(runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'LIVE' }));
        expect((error as DomainError).code, currency).toBe('BAD_USER_INPUT');
        expect((error as Error).message, currency).toBe(`No FX rate on or before ${D1} for ${currency}->EUR`);
        await expectFailedRun(error, new RegExp(`${currency}->EUR`), live2);
      } finally {
        await query(db, `DELETE FROM disputes WHERE external_id = 'FXD'`);
        await query(db, `DELETE FROM promises WHERE external_id = 'FXP'`);
      }
    }
  });

  // DESIGN.md: a missing rate fails the run naming the pair, also when the partner it concerns
  // would be off the list (its facts would be NULL, so it would silently drop out).
  it('a missing FX rate fails the run even when the partner it concerns would be off the list', async () => {
    // 3004's only item is 10000 GBP, 3 days overdue: with a rate it would be over 100 to collect.
    // Under minPercent 50 it is off the list exactly because its amount cannot be converted.
    await insertPartners(db, [{ id: 3004, segment: SEGMENT }]);
    await insertItems(db, [{ id: 30041, partner: 3004, due: '2026-03-28', open: 10000, currency: 'GBP' }]);
    try {
      const outcome = await runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'PREVIEW', document: { ...DOCUMENT, minPercent: 50 } }).then(
        (r) => ({ listed: r.partnersOnList }),
        (error: Error) => ({ error: error.message }),
      );
      expect(outcome).toEqual({ error: 'No FX rate on or before 2026-03-31 for GBP->EUR' });
    } finally {
      await query(db, `DELETE FROM open_items WHERE id = 30041`);
      await query(db, `DELETE FROM partners WHERE id = 3004`);
    }
  });

  it('runs again after the failures', async () => {
    const run = await runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'LIVE' });
    expect(await liveRunOf(db, SEGMENT)).toBe(run.runId);
    expect(await listOf(run.runId)).toEqual(EXPECTED[D1]);
    live2 = run.runId;
    await expectNoStrayTables();
  });

  it('two concurrent live runs on one segment both succeed, one after the other, and the live one is complete', async () => {
    const events: string[] = [];
    const track = (tag: string) => ({ onProgress: (p: { phase: string }) => events.push(`${tag}:${p.phase}`) });
    const [a, b] = await Promise.all([
      runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'LIVE', ...track('a') }),
      runWorklist(db, { segment: SEGMENT, asOf: D2, mode: 'LIVE', ...track('b') }),
    ]);
    expect(a.runId).not.toBe(b.runId);
    for (const r of [a, b]) expect(await runRow(db, r.runId)).toMatchObject({ status: 'SUCCEEDED', error: null });
    const live = await liveRunOf(db, SEGMENT);
    expect([a.runId, b.runId]).toContain(live);
    const winner: WorklistRunResult = live === a.runId ? a : b;
    const loser: WorklistRunResult = live === a.runId ? b : a;
    // No mixing: the live items are exactly its own key date's worklist, all of them its own rows.
    expect(await listOf(live!)).toEqual(EXPECTED[winner.asOf]);
    const foreign = await query(db, `SELECT count(*)::int AS n FROM worklist_items_run_${BigInt(live!)} WHERE run_id <> $1`, [live]);
    expect(foreign[0]!.n).toBe(0);
    // The other run was live first, then superseded: its items are dropped.
    expect((await runRow(db, loser.runId)).items_dropped_at).not.toBeNull();
    expect((await runRow(db, live2)).items_dropped_at).not.toBeNull();
    // One after the other: leaving out each run's first step (taking the lock), their steps do not interleave.
    const steps = (tag: string) => events.filter((e) => e.startsWith(`${tag}:`)).slice(1);
    const rest = events
      .filter((e) => steps('a').includes(e) || steps('b').includes(e))
      .map((e) => e[0])
      .join('');
    expect(rest).toMatch(/^(a+b+|b+a+)$/);
    // The loser committed first (the winner switched last).
    expect(rest[0]).toBe(loser === a ? 'a' : 'b');
    await expectNoStrayTables();
  });

  it('a concurrent preview of another document and a live run keep their own scores', async () => {
    const other = { ...DOCUMENT, rules: [rule('Anything open', 10, 'condition', when('openAmount', 'greaterThan', 0))] };
    const [live, preview] = await Promise.all([
      runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'LIVE' }),
      runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'PREVIEW', document: other }),
    ]);
    expect(await listOf(live.runId)).toEqual(EXPECTED[D1]);
    // Everyone fires the one rule: 10 points = 100 %, band 1, ordered by amount to be collected.
    expect((await listOf(preview.runId)).map((r) => [r.partner_id, r.valuation, r.priority, r.fired])).toEqual([
      [3001, 10, 1, '1'],
      [3002, 10, 1, '1'],
      [3003, 10, 1, '1'],
    ]);
    expect(await liveRunOf(db, SEGMENT)).toBe(live.runId);
  });

  it('a segment without partners gets an empty live worklist', async () => {
    const run = await runWorklist(db, { segment: 'EMPTY', asOf: D1, mode: 'LIVE' });
    expect(run).toMatchObject({ partnersEvaluated: 0, partnersOnList: 0, partnersExcluded: 0 });
    expect(await liveRunOf(db, 'EMPTY')).toBe(run.runId);
    expect(await runRow(db, run.runId)).toMatchObject({ status: 'SUCCEEDED', partners_on_list: 0 });
    expect(await itemsOf(db, run.runId)).toEqual([]);
    expect(Number(run.stats.amountToBeCollected)).toBe(0);
    await expectNoStrayTables();
  });

  it('an unknown segment is NOT_FOUND, and no run is recorded', async () => {
    const before = await query(db, `SELECT count(*)::int AS n FROM worklist_runs`);
    const error = await rejection(runWorklist(db, { segment: 'NOPE', asOf: D1, mode: 'LIVE' }));
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('NOT_FOUND');
    expect((error as Error).message).toContain('NOPE');
    expect(await query(db, `SELECT count(*)::int AS n FROM worklist_runs`)).toEqual(before);
  });

  it('a segment without an active strategy fails with a message saying why', async () => {
    const cases: Array<[string, RegExp]> = [
      ['NO_ACTIVE', /Segment NO_ACTIVE: strategy DRAFT_ONLY of group NO_ACTIVE_G has no active version/],
      ['NO_STRATEGY', /Segment NO_STRATEGY: collection group NO_STRATEGY_G has no strategy/],
      ['NO_GROUP', /Segment NO_GROUP: no collection group works this segment/],
      ['MIXED', /Segment MIXED: its collection groups use different strategy versions/],
    ];
    for (const [segment, message] of cases) {
      const error = await rejection(runWorklist(db, { segment, asOf: D1, mode: 'LIVE' }));
      expect(error, segment).toBeInstanceOf(DomainError);
      expect((error as DomainError).code, segment).toBe('BAD_USER_INPUT');
      expect((error as Error).message, segment).toMatch(message);
      expect(await liveRunOf(db, segment), segment).toBeNull();
    }
  });

  it('refuses a live run of an arbitrary document and a key date that is not a date', async () => {
    const live = await rejection(runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'LIVE', document: DOCUMENT }));
    expect((live as DomainError).code).toBe('BAD_USER_INPUT');
    const date = await rejection(runWorklist(db, { segment: SEGMENT, asOf: '2026-02-30', mode: 'PREVIEW' }));
    expect((date as DomainError).code).toBe('BAD_USER_INPUT');
    const invalid = await rejection(runWorklist(db, { segment: SEGMENT, asOf: D1, mode: 'PREVIEW', document: { ...DOCUMENT, priorities: [] } }));
    expect((invalid as DomainError).code).toBe('BAD_USER_INPUT');
  });
});
