import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { factKey, factRowsSql } from '../packages/rules/src/index';
import { runWorklist, runWorklists } from '../packages/server/src/worklists/worklist-run.service';
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
} from './support/worklist-fixtures';

/**
 * runWorklists over several segments: segments sharing one strategy version are scored together,
 * yet each gets its own run with only its own partners; and the promise tolerance of items whose
 * company code has no configuration.
 */
const D = '2026-03-31';

// Everyone with something to collect: 10 points of 10 = 100 %, band 1; nothing to collect: band 2.
const SHARED = strategyDocument({
  key: 'SHARED',
  name: 'Shared',
  minPercent: 0,
  rules: [rule('Anything to collect', 10, 'condition', when('amountToBeCollected', 'greaterThan', 0))],
});
const OTHER = strategyDocument({
  key: 'OTHER',
  name: 'Other',
  minPercent: 0,
  rules: [rule('Anything open', 5, 'condition', when('openAmount', 'greaterThan', 0))],
});
const TOLERANCE = strategyDocument({
  key: 'TOL',
  name: 'Tolerance',
  minPercent: 0,
  rules: [
    rule('Promise to pay open', 10, 'condition', when('promisedAmount', 'greaterThan', 0)),
    rule('Broken promise', 10, 'condition', when('brokenPromises', 'greaterThanInclusive', 1)),
  ],
});

/** Partners (id: overdue amount) per segment. */
const MEMBERS: Record<string, Record<number, number>> = {
  M1: { 4101: 100, 4102: 200 },
  M2: { 4201: 300 },
  M3: { 4301: 400, 4302: 500, 4303: 600 },
  M4: { 4401: 700 },
  NOGROUP: { 4901: 900 },
};

let db: Database;
let sharedVersion: string;
let otherVersion: string;

beforeAll(async () => {
  db = await openTestDatabase();
  sharedVersion = await insertStrategy(db, 'SHARED', SHARED);
  otherVersion = await insertStrategy(db, 'OTHER', OTHER);
  await insertStrategy(db, 'TOL', TOLERANCE);
  for (const segment of ['M1', 'M2', 'M3']) await insertSegment(db, segment, [{ key: `${segment}_G`, strategyKey: 'SHARED' }]);
  await insertSegment(db, 'M4', [{ key: 'M4_G', strategyKey: 'OTHER' }]);
  await insertSegment(db, 'NOGROUP', []);
  await insertSegment(db, 'TOL', [{ key: 'TOL_G', strategyKey: 'TOL' }]);
  let specialist = 800;
  for (const g of ['M1_G', 'M2_G', 'M3_G', 'M4_G', 'TOL_G']) await insertSpecialist(db, ++specialist, g);
  for (const [segment, members] of Object.entries(MEMBERS)) {
    await insertPartners(
      db,
      Object.keys(members).map((id) => ({ id: Number(id), segment })),
    );
    await insertItems(
      db,
      Object.entries(members).map(([id, open]) => ({ id: Number(id) * 10, partner: Number(id), due: '2026-03-01', open })),
    );
  }
  // Every configured company code has tolerance 10; the item of 4502 is booked in an unconfigured one (default 3).
  await query(db, `INSERT INTO company_codes (code, name, promise_tolerance_days) VALUES ('1000', 'Configured', 10)`);
  await insertPartners(db, [
    { id: 4501, segment: 'TOL' },
    { id: 4502, segment: 'TOL' },
  ]);
  await insertItems(db, [
    { id: 45011, partner: 4501, due: '2026-03-01', open: 100, company: '1000' },
    { id: 45021, partner: 4502, due: '2026-03-01', open: 100, company: '7777' },
  ]);
  // Promised 2026-03-25, nothing paid: OPEN at D under tolerance 10 (until 04-04), BROKEN under 3 (after 03-28).
  await query(
    db,
    `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency) VALUES
    ('T1', 4501, 45011, '2026-03-01', '2026-03-25', 100, 'EUR'), ('T2', 4502, 45021, '2026-03-01', '2026-03-25', 100, 'EUR')`,
  );
}, 120_000);

afterAll(async () => {
  await db?.close();
});

const partnersOf = async (runId: string) => (await itemsOf(db, runId)).map((r) => Number(r.partner_id)).sort();
const idsOf = (segment: string) => Object.keys(MEMBERS[segment]!).map(Number).sort();

describe(`runWorklists over several segments (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('reference: the fact rows (company code joined per promise) judge T1 OPEN and T2 BROKEN', async () => {
    const { text, values } = factRowsSql([factKey('promisedAmount'), factKey('brokenPromises')], { currency: 'EUR', asOf: D, partnerIds: [4501, 4502] });
    const rows = await query(db, text, values);
    expect(rows.map((r) => [Number(r.partner_id), Number(r.f_promisedamount), Number(r.f_brokenpromises_withindays_365)])).toEqual([
      [4501, 100, 0],
      [4502, 0, 1],
    ]);
  });

  // Every configured company code shares tolerance 10, but 7777 is not configured: its promise
  // keeps the default 3 days (the run must not apply the shared 10 to it).
  it("applies each item's own company code tolerance, the default 3 days when it has none", async () => {
    const run = await runWorklist(db, { segment: 'TOL', asOf: D, mode: 'PREVIEW' });
    const items = await itemsOf(db, run.runId);
    const figures = items
      .map((r) => [r.partner_id, r.amount_promised, r.amount_broken, r.amount_to_be_collected, r.fired])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(figures).toEqual([
      [4501, 100, 0, 0, '10'], // company code 1000, tolerance 10: OPEN
      [4502, 0, 100, 100, '01'], // company code 7777, not configured: tolerance 3, BROKEN
    ]);
  });

  it('runs every segment worked by a group: one run per segment, only its own partners', async () => {
    const results = await runWorklists(db, { asOf: D, mode: 'LIVE' });
    expect(results.map((r) => r.segment).sort()).toEqual(['M1', 'M2', 'M3', 'M4', 'TOL']);
    expect(new Set(results.map((r) => r.runId)).size).toBe(5);
    for (const r of results.filter((x) => x.segment !== 'TOL')) {
      const ids = idsOf(r.segment);
      expect(r).toMatchObject({ mode: 'LIVE', partnersEvaluated: ids.length, partnersOnList: ids.length, partnersExcluded: 0 });
      expect(r.strategyVersionId).toBe(r.segment === 'M4' ? otherVersion : sharedVersion);
      expect(await partnersOf(r.runId), r.segment).toEqual(ids);
      expect(await liveRunOf(db, r.segment)).toBe(r.runId);
      const row = await runRow(db, r.runId);
      expect(row).toMatchObject({ segment_key: r.segment, status: 'SUCCEEDED', partners_on_list: ids.length });
      // Each run's amounts: its own partners' items only.
      const total = Object.values(MEMBERS[r.segment]!).reduce((a, b) => a + b, 0);
      expect(Number(r.stats.amountToBeCollected), r.segment).toBe(total);
      const valuations = (await itemsOf(db, r.runId)).map((i) => i.valuation);
      expect(
        valuations.every((v) => v === (r.segment === 'M4' ? 5 : 10)),
        r.segment,
      ).toBe(true);
    }
    expect(await liveRunOf(db, 'NOGROUP')).toBeNull();
  });

  it('runs the segments asked for, sharing one version, as separate previews', async () => {
    const results = await runWorklists(db, { segments: ['M3', 'M1'], asOf: D, mode: 'PREVIEW' });
    expect(results.map((r) => r.segment).sort()).toEqual(['M1', 'M3']);
    for (const r of results) {
      expect(r.strategyVersionId).toBe(sharedVersion);
      expect(await partnersOf(r.runId)).toEqual(idsOf(r.segment));
      expect(await liveRunOf(db, r.segment)).not.toBe(r.runId);
    }
  });

  it('a failure in one segment of a shared batch leaves every segment with a complete live worklist', async () => {
    const before = Object.fromEntries(await Promise.all(['M1', 'M2', 'M3'].map(async (s) => [s, await liveRunOf(db, s)] as const)));
    await query(
      db,
      `CREATE FUNCTION test_refuse_m2() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.key = 'M2' THEN RAISE EXCEPTION 'M2 refused by test trigger'; END IF; RETURN NEW; END $$`,
    );
    await query(db, `CREATE TRIGGER test_refuse_m2 BEFORE UPDATE ON collection_segments FOR EACH ROW EXECUTE FUNCTION test_refuse_m2()`);
    try {
      await expect(runWorklists(db, { segments: ['M1', 'M2', 'M3'], asOf: D, mode: 'LIVE' })).rejects.toThrow(/M2 refused by test trigger/);
    } finally {
      await query(db, `DROP TRIGGER test_refuse_m2 ON collection_segments`);
      await query(db, `DROP FUNCTION test_refuse_m2()`);
    }
    const failed = await query(db, `SELECT segment_key, error FROM worklist_runs WHERE status = 'FAILED' ORDER BY segment_key`);
    expect(failed.map((f) => f.segment_key)).toContain('M2');
    for (const f of failed) expect(String(f.error)).toMatch(/M2 refused by test trigger/);
    for (const segment of ['M1', 'M2', 'M3']) {
      const live = await liveRunOf(db, segment);
      // Whatever the batch managed, each segment's live run succeeded and all its items are readable.
      expect(live, segment).not.toBeNull();
      expect(await runRow(db, live!), segment).toMatchObject({ status: 'SUCCEEDED', items_dropped_at: null });
      expect(await partnersOf(live!), segment).toEqual(idsOf(segment));
    }
    expect(await liveRunOf(db, 'M2')).toBe(before.M2);
    expect(await tablesLike(db, 'worklist_stage_%')).toEqual([]);
    const kept = await query(db, `SELECT id::text FROM worklist_runs WHERE status = 'SUCCEEDED' AND items_dropped_at IS NULL ORDER BY id`);
    expect((await attachedPartitions(db)).sort()).toEqual(kept.map((k) => String(k.id)).sort());
    expect(await tablesLike(db, 'worklist_items_run_%')).toEqual(kept.map((k) => `worklist_items_run_${k.id}`).sort());
  });
});
