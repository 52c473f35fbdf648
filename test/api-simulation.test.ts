import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * previewWorklist and compareStrategies over HTTP, figures computed by hand. At D = 2026-03-31:
 *   6001 500 due 01-01 (89 days)   6002 200 due 03-20 (11)   6003 50 due 03-25 (6)
 *   6004 1000 due 02-15 (44), all of it under an OPEN dispute (nothing to collect)
 *   6005 300 due 04-30 (not due)   6006 only a cleared item (never on a list)
 *   6101 (segment SIM2) 700 due 01-01 (89 days)
 * A: Big (to collect >= 200) 60, Old (> 60 days) 40, exit when everything overdue is disputed;
 *    bands 1 >= 50 %, 2 >= 0 %: 6001 100 P1, 6002 60 P1, 6003 0 P2, 6005 0 P2, 6004 excluded.
 * B: Overdue (>= 1 day) 50, Big (to collect >= 400) 50; bands 1 >= 70, 2 >= 30, 3 >= 0:
 *    6001 100 P1, 6002 / 6003 / 6004 50 P2, 6005 0 P3.
 */
const D = '2026-03-31';
const A = strategyDocument({
  key: 'SIM_A',
  name: 'A',
  priorities: [
    { priority: 1, label: 'High', minPercent: 50 },
    { priority: 2, label: 'Low', minPercent: 0 },
  ],
  rules: [
    rule('Big', 60, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 200)),
    rule('Old', 40, 'condition', when('maxDaysOverdue', 'greaterThan', 60)),
    rule('All disputed', 0, 'exit', when('allOverdueDisputedOrBlocked', 'equal', true)),
  ],
});
const B = strategyDocument({
  key: 'SIM_B',
  name: 'B',
  priorities: [
    { priority: 1, label: 'High', minPercent: 70 },
    { priority: 2, label: 'Mid', minPercent: 30 },
    { priority: 3, label: 'Low', minPercent: 0 },
  ],
  rules: [
    rule('Overdue', 50, 'condition', when('overdueAmount', 'greaterThanInclusive', 1)),
    rule('Big', 50, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 400)),
  ],
});

const PREVIEW = `query($strategy: JSON!, $asOf: Date!, $segment: String, $after: String, $first: Int) {
  previewWorklist(strategy: $strategy, asOf: $asOf, segment: $segment) {
    asOf segments partnersEvaluated partners excluded amountToBeCollected
    byPriority { priority count amountToBeCollected }
    bySpecialist { specialistId count amountToBeCollected specialist { name } }
    items(first: $first, after: $after) {
      edges { node { partner { externalId name } valuation percent priority firedRules { name points }
        amounts { open overdue toBeCollected disputed promised } specialist { name } } }
      pageInfo { hasNextPage endCursor } } } }`;

let db: Database;
let app: RunningApp;
let configurator: string;
let specialist: string;

beforeAll(async () => {
  db = await openTestDatabase();
  await insertSegment(db, 'SIM', [{ key: 'SIM_G', strategyKey: null }]);
  await insertSegment(db, 'SIM2', [{ key: 'SIM2_G', strategyKey: null }]);
  await insertSpecialist(db, 951, 'SIM_G');
  await insertSpecialist(db, 952, 'SIM2_G');
  await insertPartners(
    db,
    [6001, 6002, 6003, 6004, 6005, 6006].map((id) => ({ id, segment: 'SIM' })),
  );
  await insertPartners(db, [{ id: 6101, segment: 'SIM2' }]);
  await insertItems(db, [
    { id: 60011, partner: 6001, due: '2026-01-01', open: 500 },
    { id: 60021, partner: 6002, due: '2026-03-20', open: 200 },
    { id: 60031, partner: 6003, due: '2026-03-25', open: 50 },
    { id: 60041, partner: 6004, due: '2026-02-15', open: 1000 },
    { id: 60051, partner: 6005, due: '2026-04-30', open: 300 },
    { id: 60061, partner: 6006, due: '2026-01-01', open: 0, amount: 80 },
    { id: 61011, partner: 6101, due: '2026-01-01', open: 700 },
  ]);
  await query(
    db,
    `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status) VALUES ('SD1', 6004, 60041, '2026-03-01', 1000, 'EUR', 'OPEN')`,
  );
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  configurator = await createTestToken(db, 'CONFIGURATOR');
  specialist = await createTestToken(db, 'SPECIALIST', '951');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const item = (
  id: number,
  valuation: number,
  priority: number,
  fired: Array<[string, number]>,
  open: number,
  overdue: number,
  toBeCollected: number,
  disputed = 0,
  specialistName = 'Specialist 951',
) => ({
  partner: { externalId: `P${id}`, name: `Partner ${id}` },
  valuation,
  percent: valuation.toFixed(2),
  priority,
  firedRules: fired.map(([name, points]) => ({ name, points })),
  amounts: { open: open.toFixed(4), overdue: overdue.toFixed(4), toBeCollected: toBeCollected.toFixed(4), disputed: disputed.toFixed(4), promised: '0.0000' },
  specialist: { name: specialistName },
});

describe(`simulation over HTTP (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('previews a document on one segment: counts, amounts per band and the items', async () => {
    const { data, errors } = await gql(app.url, PREVIEW, { strategy: A, asOf: D, segment: 'SIM', first: 10 }, configurator);
    expect(errors).toBeUndefined();
    const p = data.previewWorklist;
    expect(p).toMatchObject({
      asOf: D,
      segments: ['SIM'],
      partnersEvaluated: 6,
      partners: 4,
      excluded: 1,
      amountToBeCollected: '750.0000',
      byPriority: [
        { priority: 1, count: 2, amountToBeCollected: '700.0000' },
        { priority: 2, count: 2, amountToBeCollected: '50.0000' },
      ],
      bySpecialist: [{ specialistId: '951', count: 4, amountToBeCollected: '750.0000', specialist: { name: 'Specialist 951' } }],
    });
    expect(p.items.edges.map((e: any) => e.node)).toEqual([
      item(
        6001,
        100,
        1,
        [
          ['Big', 60],
          ['Old', 40],
        ],
        500,
        500,
        500,
      ),
      item(6002, 60, 1, [['Big', 60]], 200, 200, 200),
      item(6003, 0, 2, [], 50, 50, 50),
      item(6005, 0, 2, [], 300, 0, 0),
    ]);
    // The live worklists are untouched.
    expect(await query(db, `SELECT key FROM collection_segments WHERE live_run_id IS NOT NULL`)).toEqual([]);
  });

  it("explains a previewed item of an unsaved document: the facts its rules read and each rule's outcome", async () => {
    const { data } = await gql(
      app.url,
      `query($strategy: JSON!, $asOf: Date!) { previewWorklist(strategy: $strategy, asOf: $asOf, segment: "SIM") {
      items(first: 1) { edges { node { runId partnerId } } } } }`,
      { strategy: A, asOf: D },
      configurator,
    );
    const { runId, partnerId } = data.previewWorklist.items.edges[0].node;
    expect(partnerId).toBe('6001');
    const why = await gql(
      app.url,
      `query($runId: ID!, $partnerId: ID!) { worklistItem(runId: $runId, partnerId: $partnerId) {
      explanation { asOf strategyVersionId valuation priority excluded facts rules { name fired points } } } }`,
      { runId, partnerId },
      configurator,
    );
    expect(why.errors).toBeUndefined();
    expect(why.data.worklistItem.explanation).toEqual({
      asOf: D,
      strategyVersionId: null,
      valuation: 100,
      priority: 1,
      excluded: false,
      facts: { amountToBeCollected: 500, maxDaysOverdue: 89, allOverdueDisputedOrBlocked: false },
      rules: [
        { name: 'Big', fired: true, points: 60 },
        { name: 'Old', fired: true, points: 40 },
        { name: 'All disputed', fired: false, points: 0 },
      ],
    });
  });

  it('previews every segment when none is given, combining the figures and paging across them', async () => {
    const { data, errors } = await gql(app.url, PREVIEW, { strategy: A, asOf: D, first: 2 }, configurator);
    expect(errors).toBeUndefined();
    const p = data.previewWorklist;
    expect(p).toMatchObject({
      segments: ['SIM', 'SIM2'],
      partnersEvaluated: 7,
      partners: 5,
      excluded: 1,
      amountToBeCollected: '1450.0000',
      byPriority: [
        { priority: 1, count: 3, amountToBeCollected: '1400.0000' },
        { priority: 2, count: 2, amountToBeCollected: '50.0000' },
      ],
      bySpecialist: [
        { specialistId: '951', count: 4, amountToBeCollected: '750.0000' },
        { specialistId: '952', count: 1, amountToBeCollected: '700.0000' },
      ],
    });
    const names = p.items.edges.map((e: any) => e.node.partner.externalId);
    let after = p.items.pageInfo.endCursor;
    expect(p.items.pageInfo.hasNextPage).toBe(true);
    // Later pages of the same preview: the cursor holds sort keys only, so it pages a re-run too.
    while (after) {
      const next = await gql(app.url, PREVIEW, { strategy: A, asOf: D, first: 2, after }, configurator);
      names.push(...next.data.previewWorklist.items.edges.map((e: any) => e.node.partner.externalId));
      after = next.data.previewWorklist.items.pageInfo.hasNextPage ? next.data.previewWorklist.items.pageInfo.endCursor : null;
    }
    expect(names).toEqual(['P6101', 'P6001', 'P6002', 'P6003', 'P6005']);
  });

  it('refuses an invalid document with the JSON path, and callers who may not simulate', async () => {
    const broken = structuredClone(A) as any;
    broken.rules[1].conditions.all[0].fact = 'maxDaysOverdu';
    const { errors } = await gql(app.url, PREVIEW, { strategy: broken, asOf: D, segment: 'SIM' }, configurator);
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'strategy.rules[1].conditions.all[0].fact' });
    const noBand = await gql(
      app.url,
      `query($a: JSON!, $b: JSON!) { compareStrategies(a: $a, b: $b, asOf: "${D}", segment: "SIM") { movedCount } }`,
      { a: A, b: { ...B, priorities: [{ priority: 1, label: 'x', minPercent: 50 }] } },
      configurator,
    );
    expect(noBand.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(String(noBand.errors?.[0]?.extensions?.path)).toMatch(/^b\.priorities/);
    const denied = await gql(app.url, PREVIEW, { strategy: A, asOf: D, segment: 'SIM' }, specialist);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await gql(app.url, PREVIEW, { strategy: A, asOf: D, segment: 'NOPE' }, configurator);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('compares two documents: migration matrix, moved partners, bands and specialist load per side', async () => {
    const { data, errors } = await gql(
      app.url,
      `query($a: JSON!, $b: JSON!, $after: String) { compareStrategies(a: $a, b: $b, asOf: "${D}", segment: "SIM") {
      asOf segment partnersEvaluated movedCount
      a { partners excluded amountToBeCollected byPriority { priority count amountToBeCollected } bySpecialist { specialistId count amountToBeCollected } }
      b { partners excluded amountToBeCollected byPriority { priority count amountToBeCollected } bySpecialist { specialistId count amountToBeCollected } }
      matrix { from to count amountToBeCollectedA amountToBeCollectedB }
      moved(first: 2, after: $after) { edges { node { partnerId partner { externalId } from to valuationA valuationB } } pageInfo { hasNextPage endCursor } }
    } }`,
      { a: A, b: B },
      configurator,
    );
    expect(errors).toBeUndefined();
    const c = data.compareStrategies;
    expect(c).toMatchObject({ asOf: D, segment: 'SIM', partnersEvaluated: 6, movedCount: 3 });
    expect(c.a).toEqual({
      partners: 4,
      excluded: 1,
      amountToBeCollected: '750.0000',
      byPriority: [
        { priority: 1, count: 2, amountToBeCollected: '700.0000' },
        { priority: 2, count: 2, amountToBeCollected: '50.0000' },
      ],
      bySpecialist: [{ specialistId: '951', count: 4, amountToBeCollected: '750.0000' }],
    });
    expect(c.b).toEqual({
      partners: 5,
      excluded: 0,
      amountToBeCollected: '750.0000',
      byPriority: [
        { priority: 1, count: 1, amountToBeCollected: '500.0000' },
        { priority: 2, count: 3, amountToBeCollected: '250.0000' },
        { priority: 3, count: 1, amountToBeCollected: '0.0000' },
      ],
      bySpecialist: [{ specialistId: '951', count: 5, amountToBeCollected: '750.0000' }],
    });
    const cell = (from: number | null, to: number | null, count: number, a = 0, b = 0) => ({
      from,
      to,
      count,
      amountToBeCollectedA: a.toFixed(4),
      amountToBeCollectedB: b.toFixed(4),
    });
    expect(c.matrix).toEqual([
      cell(1, 1, 1, 500, 500),
      cell(1, 2, 1, 200, 200),
      cell(1, 3, 0),
      cell(1, null, 0),
      cell(2, 1, 0),
      cell(2, 2, 1, 50, 50),
      cell(2, 3, 1),
      cell(2, null, 0),
      cell(null, 1, 0),
      cell(null, 2, 1),
      cell(null, 3, 0),
      cell(null, null, 1),
    ]);
    expect(c.moved.edges.map((e: any) => e.node)).toEqual([
      { partnerId: '6002', partner: { externalId: 'P6002' }, from: 1, to: 2, valuationA: 60, valuationB: 50 },
      { partnerId: '6004', partner: { externalId: 'P6004' }, from: null, to: 2, valuationA: null, valuationB: 50 },
    ]);
    expect(c.moved.pageInfo.hasNextPage).toBe(true);
    const next = await gql(
      app.url,
      `query($a: JSON!, $b: JSON!, $after: String) { compareStrategies(a: $a, b: $b, asOf: "${D}", segment: "SIM") {
      moved(first: 2, after: $after) { edges { node { partnerId from to } } pageInfo { hasNextPage } } } }`,
      { a: A, b: B, after: c.moved.pageInfo.endCursor },
      configurator,
    );
    expect(next.data.compareStrategies.moved).toEqual({ edges: [{ node: { partnerId: '6005', from: 2, to: 3 } }], pageInfo: { hasNextPage: false } });
  });
});
