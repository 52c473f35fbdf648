import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { clearFactCache } from '../packages/server/src/worklists/worklist-fact-cache';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { openTestDatabase } from './support/database';
import {
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
  when,
  type Row,
} from './support/worklist-fixtures';

/**
 * Worklist figures and scoring of one segment on a hand-built AR mirror at D = 2026-03-31,
 * every expected value computed by hand (see the comments next to each partner).
 */
const D = '2026-03-31';
const SEGMENT = 'FIG';

// Condition rules (bit order of `fired`): Over100, Dunning2, HighRisk, Promise, Resub, Broken.
// maxValuation = 40 + 20 + 20 + 30 + 10 = 120 (sum of positive condition points).
const DOCUMENT = strategyDocument({
  key: 'FIG_STRATEGY',
  name: 'Figures',
  currency: 'EUR',
  minPercent: 25,
  priorities: [
    { priority: 1, label: 'Very high', minPercent: 60 },
    { priority: 2, label: 'High', minPercent: 33.33 },
    { priority: 3, label: 'Low', minPercent: 0 },
  ],
  agingBuckets: [0, 30, 60], // buckets: <= 0, 1..30, 31..60, > 60 days overdue
  rules: [
    rule('Over 100 to collect', 40, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 100)),
    rule('Everything disputed or blocked', 0, 'exit', when('allOverdueDisputedOrBlocked', 'equal', true)),
    rule('Dunning level 2 or more', 20, 'condition', when('maxDunningLevel', 'greaterThanInclusive', 2)),
    rule('High risk class', 20, 'condition', when('riskClass', 'in', ['E'])),
    rule('Promise to pay open', -10, 'condition', when('promisedAmount', 'greaterThan', 0)),
    rule('Resubmission due', 30, 'condition', when('resubmissionDue', 'equal', true)),
    rule('Broken promise in 365 days', 10, 'condition', when('brokenPromises', 'greaterThanInclusive', 1)),
  ],
});

const ZERO = {
  amount_open: 0,
  amount_overdue: 0,
  amount_due: 0,
  amount_to_be_collected: 0,
  amount_promised: 0,
  amount_disputed: 0,
  amount_broken: 0,
  amount_dunned: 0,
  aging: [0, 0, 0, 0],
  max_dunning_level: 0,
  last_payment_date: null,
  resubmission_date: null,
};

/** The expected worklist, in worklist order. */
const EXPECTED: Row[] = [
  // G: 150 overdue 30 days (dunning 2), BROKEN promise 80, resubmission due. 40+20+30+10 = 100 -> 83.33 % -> band 1.
  {
    partner_id: 1007,
    valuation: 100,
    percent: 83.33,
    priority: 1,
    fired: '110011',
    ...ZERO,
    amount_open: 150,
    amount_overdue: 150,
    amount_to_be_collected: 150,
    amount_broken: 80,
    amount_dunned: 150,
    aging: [0, 150, 0, 0],
    max_dunning_level: 2,
    resubmission_date: D,
  },
  // J0 and I: identical (risk E, 200 overdue 39 days): 60 -> 50 %; tie broken by partner id.
  {
    partner_id: 1000,
    valuation: 60,
    percent: 50,
    priority: 2,
    fired: '101000',
    ...ZERO,
    amount_open: 200,
    amount_overdue: 200,
    amount_to_be_collected: 200,
    aging: [0, 0, 200, 0],
  },
  {
    partner_id: 1009,
    valuation: 60,
    percent: 50,
    priority: 2,
    fired: '101000',
    ...ZERO,
    amount_open: 200,
    amount_overdue: 200,
    amount_to_be_collected: 200,
    aging: [0, 0, 200, 0],
  },
  // A: see the fixture. 20 - 10 + 30 + 10 = 50 -> 41.67 %.
  {
    partner_id: 1001,
    valuation: 50,
    percent: 41.67,
    priority: 2,
    fired: '010111',
    amount_open: 710,
    amount_overdue: 470,
    amount_due: 40,
    amount_to_be_collected: 50,
    amount_promised: 60,
    amount_disputed: 130,
    amount_broken: 107,
    amount_dunned: 460,
    aging: [240, 50, 300, 120],
    max_dunning_level: 2,
    last_payment_date: '2026-03-15',
    resubmission_date: '2026-03-20',
  },
  // K before L: same valuation 40 (33.33 %, exactly reaching band 2's 33.33: 40 x 100 >= 33.33 x 120), more to collect.
  {
    partner_id: 1011,
    valuation: 40,
    percent: 33.33,
    priority: 2,
    fired: '100000',
    ...ZERO,
    amount_open: 1500,
    amount_overdue: 1500,
    amount_to_be_collected: 1500,
    aging: [0, 1500, 0, 0],
  },
  {
    partner_id: 1010,
    valuation: 40,
    percent: 33.33,
    priority: 2,
    fired: '100000',
    ...ZERO,
    amount_open: 120,
    amount_overdue: 120,
    amount_to_be_collected: 120,
    aging: [0, 120, 0, 0],
  },
  // B (USD partner): 500 EUR (1000 USD) 75 days + 400 EUR 15 days under an OPEN promise (company code 2000 tolerance 10).
  // 40 - 10 = 30 -> 25 % -> band 3, exactly minPercent 25.
  {
    partner_id: 1002,
    valuation: 30,
    percent: 25,
    priority: 3,
    fired: '100100',
    ...ZERO,
    amount_open: 900,
    amount_overdue: 900,
    amount_to_be_collected: 500,
    amount_promised: 100,
    amount_dunned: 500,
    aging: [0, 400, 0, 500],
    max_dunning_level: 1,
  },
  // F: no open item, only a resubmission due at D: 30 -> 25 %.
  { partner_id: 1006, valuation: 30, percent: 25, priority: 3, fired: '000010', ...ZERO, resubmission_date: D },
];

const FIGURE_COLUMNS = ['partner_id', 'valuation', 'percent', 'priority', 'fired', ...Object.keys(ZERO)];
const pick = (r: Row) => Object.fromEntries(FIGURE_COLUMNS.map((k) => [k, r[k]]));

let db: Database;
let versionId: string;
const SPECIALIST = 501;

beforeAll(async () => {
  db = await openTestDatabase();
  const q = (text: string) => query(db, text);
  versionId = await insertStrategy(db, 'FIG_STRATEGY', DOCUMENT);
  await insertSegment(db, SEGMENT, [{ key: 'FIG_G', strategyKey: 'FIG_STRATEGY' }]);
  await insertSpecialist(db, SPECIALIST, 'FIG_G');
  await q(`INSERT INTO company_codes (code, name, promise_tolerance_days) VALUES ('1000', 'Default', 3), ('2000', 'Lenient', 10)`);
  // USD: latest on or before D is 0.5 (the 0.8 is after D); CHF: 2.0 dated D itself; EUR->USD is the wrong direction.
  await q(`INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES
    ('USD', 'EUR', '2026-02-01', 0.4), ('USD', 'EUR', '2026-03-01', 0.5), ('USD', 'EUR', '2026-04-15', 0.8),
    ('CHF', 'EUR', '2026-01-01', 1.5), ('CHF', 'EUR', '2026-03-31', 2.0), ('EUR', 'USD', '2026-03-01', 3.0)`);
  await insertPartners(db, [
    { id: 1000, segment: SEGMENT, riskClass: 'E' }, // J0
    { id: 1001, segment: SEGMENT }, // A
    { id: 1002, segment: SEGMENT, currency: 'USD' }, // B
    { id: 1003, segment: SEGMENT }, // C: excluded
    { id: 1004, segment: SEGMENT }, // D: below minPercent
    { id: 1005, segment: SEGMENT, riskClass: 'E' }, // E: nothing open
    { id: 1006, segment: SEGMENT }, // F: resubmission only
    { id: 1007, segment: SEGMENT }, // G
    { id: 1008, segment: SEGMENT }, // H: negative valuation
    { id: 1009, segment: SEGMENT, riskClass: 'E' }, // I
    { id: 1010, segment: SEGMENT }, // L
    { id: 1011, segment: SEGMENT }, // K
  ]);
  await insertItems(db, [
    { id: 10000, partner: 1000, due: '2026-02-20', open: 200 }, // 39 days
    // A
    { id: 10011, partner: 1001, due: '2026-02-01', open: 300, dunning: 2 }, // 58 days, OPEN dispute D1
    { id: 10012, partner: 1001, due: '2026-03-30', open: 100, currency: 'USD' }, // 1 day, 50 EUR, to be collected
    { id: 10013, partner: 1001, due: '2026-04-05', open: 200 }, // -5 days
    { id: 10014, partner: 1001, due: '2026-03-31', open: 40, dunning: 1 }, // due at D
    { id: 10015, partner: 1001, due: '2026-01-01', open: 0, amount: 70, dunning: 3 }, // cleared: counts for nothing
    { id: 10016, partner: 1001, due: '2025-12-01', open: 60, currency: 'CHF', company: '2000', dunning: 1 }, // 120 days, 120 EUR, OPEN promise P1
    { id: 10017, partner: 1001, due: '2026-01-01', open: -30, dunning: 1 }, // a credit: not an open item, counts for nothing
    // B
    { id: 10021, partner: 1002, due: '2026-01-15', open: 1000, currency: 'USD', dunning: 1 }, // 75 days, 500 EUR
    { id: 10022, partner: 1002, due: '2026-03-16', open: 400, company: '2000' }, // 15 days, promise P9 OPEN under tolerance 10
    // C: the only overdue item is blocked -> exit
    { id: 10031, partner: 1003, due: '2026-03-01', open: 500, block: true },
    { id: 10032, partner: 1003, due: '2026-04-30', open: 100 },
    // D
    { id: 10041, partner: 1004, due: '2026-04-30', open: 100 },
    // E: only a cleared item
    { id: 10051, partner: 1005, due: '2026-01-10', open: 0, amount: 500 },
    // G
    { id: 10071, partner: 1007, due: '2026-03-01', open: 150, dunning: 2 }, // 30 days
    // H
    { id: 10081, partner: 1008, due: '2026-05-01', open: 100 },
    // I, L, K
    { id: 10091, partner: 1009, due: '2026-02-20', open: 200 },
    { id: 10101, partner: 1010, due: '2026-03-30', open: 120 },
    { id: 10111, partner: 1011, due: '2026-03-21', open: 1500 },
  ]);
  await q(`INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status) VALUES
    ('D1', 1001, 10011, '2026-03-02', 120, 'EUR', 'OPEN'),
    ('D2', 1001, NULL, '2026-03-05', 20, 'USD', 'IN_PROCESS'),
    ('D3', 1001, 10013, '2026-03-02', 999, 'EUR', 'CLOSED'),
    ('D4', 1001, 10012, '2026-04-05', 50, 'EUR', 'OPEN')`);
  await q(`INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency, cancelled) VALUES
    ('P1', 1001, 10016, '2026-03-25', '2026-04-10', 30, 'CHF', false),
    ('P2', 1001, 10011, '2026-01-10', '2026-02-10', 100, 'EUR', false),
    ('P3', 1001, 10015, '2024-12-01', '2025-01-15', 900, 'EUR', false),
    ('P4', 1001, 10013, '2026-03-01', '2026-03-20', 50, 'EUR', false),
    ('P5', 1001, 10012, '2026-03-20', '2026-04-20', 10, 'USD', true),
    ('P6', 1001, 10012, '2026-04-02', '2026-04-30', 10, 'USD', false),
    ('P7', 1001, 10011, '2025-03-01', '2025-03-31', 7, 'EUR', false),
    ('P8', 1001, 10012, '2026-03-01', '2026-03-10', 40, 'USD', false),
    ('P9', 1002, 10022, '2026-03-01', '2026-03-25', 100, 'EUR', false),
    ('P10', 1007, 10071, '2026-02-01', '2026-03-01', 80, 'EUR', false),
    ('P11', 1005, 10051, '2026-02-01', '2026-02-15', 500, 'EUR', false),
    ('P12', 1008, 10081, '2026-03-20', '2026-04-20', 100, 'EUR', false)`);
  await q(`INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES
    ('Y1', 1001, 10013, '2026-03-15', 50, 'EUR'),
    ('Y2', 1001, NULL, '2026-04-02', 75, 'EUR'),
    ('Y3', 1001, 10012, '2026-03-05', 10, 'USD')`);
  await q(`INSERT INTO resubmissions (partner_id, resubmission_date, reason, done) VALUES
    (1001, '2026-03-20', 'call back', false), (1001, '2026-03-10', 'done already', true), (1001, '2026-04-10', 'later', false),
    (1005, '2026-03-01', 'done', true), (1005, '2026-04-01', 'future', false),
    (1006, '2026-03-31', 'at D', false), (1007, '2026-03-31', 'at D', false)`);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe(`worklist figures and scoring (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let firstRunId: string;

  it('computes every figure, the score and the order of each partner on the list', async () => {
    const result = await runWorklist(db, { segment: SEGMENT, asOf: D, mode: 'LIVE' });
    firstRunId = result.runId;
    expect(result).toMatchObject({
      segment: SEGMENT,
      asOf: D,
      mode: 'LIVE',
      strategyVersionId: versionId,
      partnersEvaluated: 12,
      partnersOnList: 8,
      partnersExcluded: 1,
    });
    const items = await itemsOf(db, result.runId);
    expect(items.map(pick)).toEqual(EXPECTED);
    // One specialist in the group: all dealt to it.
    for (const item of items) expect(item).toMatchObject({ specialist_id: SPECIALIST, specialist_origin: 'STANDARD', run_id: Number(result.runId) });
    expect(await liveRunOf(db, SEGMENT)).toBe(result.runId);
  });

  it('records the run: status, counts, rules in bit order, ageing limits, currency and statistics', async () => {
    const run = await runRow(db, firstRunId);
    expect(run).toMatchObject({
      segment_key: SEGMENT,
      as_of: D,
      mode: 'LIVE',
      status: 'SUCCEEDED',
      error: null,
      currency: 'EUR',
      partners_evaluated: 12,
      partners_on_list: 8,
      partners_excluded: 1,
      aging_limits: [0, 30, 60],
      items_dropped_at: null,
    });
    expect(String(run.strategy_version_id)).toBe(versionId);
    expect(run.finished_at).not.toBeNull();
    expect(run.rules).toEqual([
      { name: 'Over 100 to collect', points: 40 },
      { name: 'Dunning level 2 or more', points: 20 },
      { name: 'High risk class', points: 20 },
      { name: 'Promise to pay open', points: -10 },
      { name: 'Resubmission due', points: 30 },
      { name: 'Broken promise in 365 days', points: 10 },
    ]);
    const stats = run.stats as { byPriority: Row[]; bySpecialist: Row[]; amountToBeCollected: string };
    expect(stats.byPriority.map((b) => ({ ...b, amountToBeCollected: Number(b.amountToBeCollected) }))).toEqual([
      { priority: 1, count: 1, amountToBeCollected: 150 },
      { priority: 2, count: 5, amountToBeCollected: 200 + 200 + 50 + 1500 + 120 },
      { priority: 3, count: 2, amountToBeCollected: 500 },
    ]);
    expect(Number(stats.amountToBeCollected)).toBe(2720);
    expect(stats.bySpecialist.map((b) => ({ ...b, specialistId: String(b.specialistId), amountToBeCollected: Number(b.amountToBeCollected) }))).toEqual([
      { specialistId: String(SPECIALIST), count: 8, amountToBeCollected: 2720 },
    ]);
  });

  it('decodes fired bits to the run rules and valuations agree with their points', async () => {
    const run = await runRow(db, firstRunId);
    const rules = run.rules as Array<{ name: string; points: number }>;
    for (const item of await itemsOf(db, firstRunId)) {
      const bits = String(item.fired);
      expect(bits).toHaveLength(rules.length);
      const sum = rules.reduce((s, r, i) => s + (bits[i] === '1' ? r.points : 0), 0);
      expect(sum, `partner ${item.partner_id}`).toBe(item.valuation);
    }
  });

  it('keeps the worklist order in the table: ORDER BY on worklist_items gives the expected sequence', async () => {
    const rows = await query(
      db,
      `SELECT partner_id::text FROM worklist_items WHERE run_id = $1 ORDER BY priority, valuation DESC, amount_to_be_collected DESC, partner_id`,
      [firstRunId],
    );
    expect(rows.map((r) => Number(r.partner_id))).toEqual([1007, 1000, 1009, 1001, 1011, 1010, 1002, 1006]);
    // Partners not on the list: C excluded by the exit rule, D and H below minPercent, E nothing open nor due.
    const off = await query(db, `SELECT count(*)::int AS n FROM worklist_items WHERE run_id = $1 AND partner_id IN (1003, 1004, 1005, 1008)`, [firstRunId]);
    expect(off[0]!.n).toBe(0);
  });

  it('previews another document: minPercent 0 lets D and H on (H clamped to 0 %), E and C stay off', async () => {
    const before = await liveRunOf(db, SEGMENT);
    const result = await runWorklist(db, { segment: SEGMENT, asOf: D, mode: 'PREVIEW', document: { ...DOCUMENT, minPercent: 0 } });
    expect(result).toMatchObject({ mode: 'PREVIEW', strategyVersionId: null, partnersEvaluated: 12, partnersOnList: 10, partnersExcluded: 1 });
    const items = await itemsOf(db, result.runId);
    expect(items.map(pick)).toEqual([
      ...EXPECTED,
      { partner_id: 1004, valuation: 0, percent: 0, priority: 3, fired: '000000', ...ZERO, amount_open: 100, aging: [100, 0, 0, 0] },
      // H: 100 due in the future under an OPEN promise: -10 -> percent clamped to 0.
      { partner_id: 1008, valuation: -10, percent: 0, priority: 3, fired: '000100', ...ZERO, amount_open: 100, amount_promised: 100, aging: [100, 0, 0, 0] },
    ]);
    expect(await liveRunOf(db, SEGMENT)).toBe(before);
    expect((await runRow(db, result.runId)).strategy_version_id).toBeNull();
  });

  it('gives the same list when the scoring is split into many partner-range jobs', async () => {
    // Facts kept from an earlier preview are scored by no job: each preview here computes its own.
    await clearFactCache(db);
    const whole = await runWorklist(db, { segment: SEGMENT, asOf: D, mode: 'PREVIEW' });
    await clearFactCache(db);
    const split = await runWorklist(db, { segment: SEGMENT, asOf: D, mode: 'PREVIEW', partnersPerJob: 2 });
    expect(whole.stats.jobs).toBe(1);
    expect(split.stats.jobs).toBe(6);
    expect(split).toMatchObject({ partnersEvaluated: 12, partnersOnList: 8, partnersExcluded: 1 });
    expect((await itemsOf(db, split.runId)).map(pick)).toEqual(EXPECTED);
    expect(split.stats.byPriority).toEqual(whole.stats.byPriority);
  });

  it('gives the same figures when the segment is a small share of all partners (narrowed aggregates)', async () => {
    // 40 partners of another segment, with items, promises, disputes and payments of their own,
    // make FIG (12 partners, 13 below) less than a third of all partners.
    await query(db, `INSERT INTO collection_segments (key, name, currency) VALUES ('FILLER', 'Filler', 'EUR')`);
    await query(
      db,
      `INSERT INTO partners (id, external_id, name, country, currency, customer_type, segment)
      SELECT 5000 + g, 'F' || g, 'Filler ' || g, 'DE', 'EUR', 'B2C', 'FILLER' FROM generate_series(1, 40) g`,
    );
    await query(
      db,
      `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level)
      SELECT 50000 + g, 'FI' || g, 5000 + g, '1000', '2025-01-01', '2026-01-01', 1000, 1000, 'USD', 3 FROM generate_series(1, 40) g`,
    );
    await query(
      db,
      `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status)
      SELECT 'FD' || g, 5000 + g, 50000 + g, '2026-01-01', 10, 'EUR', 'OPEN' FROM generate_series(1, 40) g`,
    );
    await query(
      db,
      `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency)
      SELECT 'FP' || g, 5000 + g, 50000 + g, '2026-01-01', '2026-01-10', 10, 'EUR' FROM generate_series(1, 40) g`,
    );
    await query(
      db,
      `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency)
      SELECT 'FY' || g, 5000 + g, 50000 + g, '2026-03-30', 1, 'EUR' FROM generate_series(1, 40) g`,
    );
    // And a FIG partner with nothing at all far up the id range, so FIG's partners are sparse in their id span too.
    await insertPartners(db, [{ id: 9999, segment: SEGMENT }]);
    const result = await runWorklist(db, { segment: SEGMENT, asOf: D, mode: 'LIVE' });
    expect(result).toMatchObject({ partnersEvaluated: 13, partnersOnList: 8, partnersExcluded: 1 });
    expect((await itemsOf(db, result.runId)).map(pick)).toEqual(EXPECTED);
  });
});
