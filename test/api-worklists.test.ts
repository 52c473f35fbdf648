import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import {
  insertItems,
  insertPartners,
  insertSegment,
  insertSpecialist,
  insertStrategy,
  itemsOf,
  query,
  rule,
  strategyDocument,
  when,
} from './support/worklist-fixtures';

/**
 * Worklists over HTTP: generating the live list, pages in worklist order with cursors, filters,
 * item detail with the explanation, reassignment, and each role's reach.
 */
const D = '2026-03-31';
const DOCUMENT = strategyDocument({
  key: 'API_WL',
  name: 'API worklist',
  priorities: [
    { priority: 1, label: 'High', minPercent: 60 },
    { priority: 2, label: 'Mid', minPercent: 30 },
    { priority: 3, label: 'Low', minPercent: 0 },
  ],
  agingBuckets: [0, 30],
  rules: [
    rule('Over 100 to collect', 50, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 100)),
    rule('Over 30 days', 30, 'condition', when('maxDaysOverdue', 'greaterThan', 30)),
  ],
});

/**
 * Partner 4000+k owes 30k, overdue 58 days when k is a multiple of 3, else 11 days; 4013 owes 240
 * (11 days), a tie with 4008 broken by partner id. maxValuation 80: both rules 100% (P1), the
 * first 62.5% (P1), the second 37.5% (P2), none 0% (P3).
 */
const EXPECTED_ORDER = [4012, 4009, 4006, 4011, 4010, 4008, 4013, 4007, 4005, 4004, 4003, 4002, 4001];
const EXPECTED: Record<number, { valuation: number; priority: number; fired: string[] }> = {};
for (let k = 1; k <= 13; k++) {
  const amount = k === 13 ? 240 : 30 * k;
  const old = k % 3 === 0 && k !== 13;
  const fired = [...(amount >= 100 ? ['Over 100 to collect'] : []), ...(old ? ['Over 30 days'] : [])];
  const valuation = (amount >= 100 ? 50 : 0) + (old ? 30 : 0);
  EXPECTED[4000 + k] = { valuation, priority: valuation >= 48 ? 1 : valuation >= 24 ? 2 : 3, fired };
}

const PAGE = `query($segment: String, $runId: ID, $filter: WorklistFilter, $orderBy: WorklistOrder, $first: Int, $after: String) {
  worklist(segment: $segment, runId: $runId, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    edges { cursor node { id partnerId priority valuation percent currency specialistOrigin
      partner { externalId name } specialist { id name } firedRules { name points }
      amounts { open overdue toBeCollected disputed promised } aging { label amount } } }
    pageInfo { hasNextPage endCursor } } }`;

let db: Database;
let app: RunningApp;
let admin: string;
let supervisor: string;
let client: string;
let spec801: string;
let runId: string;

async function allPages(token: string, variables: Record<string, unknown>, first: number): Promise<any[]> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const { data, errors }: { data?: any; errors?: unknown[] } = await gql(app.url, PAGE, { ...variables, first, after }, token);
    expect(errors).toBeUndefined();
    const page: any = data.worklist;
    expect(page.edges.length).toBeLessThanOrEqual(first);
    nodes.push(...page.edges.map((e: any) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
    after = page.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'API_WL', DOCUMENT);
  await insertSegment(db, 'API', [{ key: 'API_G', strategyKey: 'API_WL' }]);
  await insertSpecialist(db, 801, 'API_G');
  await insertSpecialist(db, 802, 'API_G');
  await insertSpecialist(db, 803, 'API_G', false);
  const ids = Array.from({ length: 13 }, (_, i) => 4001 + i);
  await insertPartners(
    db,
    ids.map((id) => ({ id, segment: 'API' })),
  );
  await insertItems(
    db,
    ids.map((id) => {
      const k = id - 4000;
      return { id: id * 10, partner: id, due: k % 3 === 0 && k !== 13 ? '2026-02-01' : '2026-03-20', open: k === 13 ? 240 : 30 * k };
    }),
  );
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  [admin, supervisor, client, spec801] = await Promise.all([
    createTestToken(db, 'ADMIN'),
    createTestToken(db, 'SUPERVISOR'),
    createTestToken(db, 'CLIENT'),
    createTestToken(db, 'SPECIALIST', '801'),
  ]);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`worklists over HTTP (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('generates the live worklist (SUPERVISOR) and refuses CLIENT and SPECIALIST', async () => {
    const mutation = `mutation($segment: String!, $asOf: Date!) { generateWorklist(segment: $segment, asOf: $asOf) {
      id segment asOf mode status live partnersEvaluated partnersOnList partnersExcluded currency rules { name points } } }`;
    for (const token of [client, spec801]) {
      const { errors } = await gql(app.url, mutation, { segment: 'API', asOf: D }, token);
      expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const { data, errors } = await gql(app.url, mutation, { segment: 'API', asOf: D }, supervisor);
    expect(errors).toBeUndefined();
    runId = data.generateWorklist.id;
    expect(data.generateWorklist).toEqual({
      id: runId,
      segment: 'API',
      asOf: D,
      mode: 'LIVE',
      status: 'SUCCEEDED',
      live: true,
      partnersEvaluated: 13,
      partnersOnList: 13,
      partnersExcluded: 0,
      currency: 'EUR',
      rules: [
        { name: 'Over 100 to collect', points: 50 },
        { name: 'Over 30 days', points: 30 },
      ],
    });
    const unknown = await gql(app.url, mutation, { segment: 'NOPE', asOf: D }, admin);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it("gives the run's figures per priority and per specialist, agreeing with its items", async () => {
    const { data, errors } = await gql(
      app.url,
      `query { worklistRun(segment: "API") { id amountToBeCollected
      byPriority { priority count amountToBeCollected } bySpecialist { specialistId count amountToBeCollected } } }`,
      {},
      admin,
    );
    expect(errors).toBeUndefined();
    const rows: Array<{ priority: number; count: number; amount: string }> = await db.dataSource.query(
      `SELECT priority, count(*)::int AS count, sum(amount_to_be_collected)::text AS amount FROM worklist_items WHERE run_id = $1 GROUP BY 1 ORDER BY 1`,
      [runId],
    );
    expect(data.worklistRun.byPriority.map((b: any) => [b.priority, b.count, Number(b.amountToBeCollected)])).toEqual(
      rows.map((r) => [r.priority, r.count, Number(r.amount)]),
    );
    expect(data.worklistRun.bySpecialist.reduce((n: number, s: any) => n + s.count, 0)).toBe(13);
    expect(Number(data.worklistRun.amountToBeCollected)).toBeCloseTo(
      rows.reduce((n, r) => n + Number(r.amount), 0),
      4,
    );
  });

  it('reads the list in worklist order with partner, specialist, fired rules and amounts', async () => {
    const { data, errors } = await gql(app.url, PAGE, { segment: 'API', first: 50 }, admin);
    expect(errors).toBeUndefined();
    const nodes = data.worklist.edges.map((e: any) => e.node);
    expect(data.worklist.totalCount).toBe(13);
    expect(data.worklist.pageInfo.hasNextPage).toBe(false);
    expect(nodes.map((n: any) => Number(n.partnerId))).toEqual(EXPECTED_ORDER);
    const specialists = new Map((await itemsOf(db, runId)).map((r) => [Number(r.partner_id), String(r.specialist_id)]));
    for (const n of nodes) {
      const id = Number(n.partnerId);
      const amount = id === 4013 ? 240 : 30 * (id - 4000);
      expect(n.valuation).toBe(EXPECTED[id]!.valuation);
      expect(n.priority).toBe(EXPECTED[id]!.priority);
      expect(n.percent).toBe(((EXPECTED[id]!.valuation / 80) * 100).toFixed(2));
      expect(n.firedRules.map((r: any) => r.name)).toEqual(EXPECTED[id]!.fired);
      expect(n.partner).toEqual({ externalId: `P${id}`, name: `Partner ${id}` });
      expect(n.specialist.id).toBe(specialists.get(id));
      expect(n.specialist.name).toBe(`Specialist ${specialists.get(id)}`);
      expect(n.currency).toBe('EUR');
      expect(n.amounts).toEqual({
        open: amount.toFixed(4),
        overdue: amount.toFixed(4),
        toBeCollected: amount.toFixed(4),
        disputed: '0.0000',
        promised: '0.0000',
      });
      const old = (id - 4000) % 3 === 0 && id !== 4013;
      expect(n.aging).toEqual([
        { label: 'not overdue', amount: '0.0000' },
        { label: '1–30', amount: old ? '0.0000' : amount.toFixed(4) },
        { label: '> 30', amount: old ? amount.toFixed(4) : '0.0000' },
      ]);
    }
    // Same list through the run id and through "every live run".
    const byRun = await gql(app.url, PAGE, { runId, first: 50 }, admin);
    expect(byRun.data.worklist.edges.map((e: any) => Number(e.node.partnerId))).toEqual(EXPECTED_ORDER);
    const all = await gql(app.url, PAGE, { first: 50 }, client);
    expect(all.data.worklist.edges.map((e: any) => Number(e.node.partnerId))).toEqual(EXPECTED_ORDER);
  });

  it('pages with cursors without gaps or repeats in every order and with filters', async () => {
    for (const first of [1, 4, 5]) expect((await allPages(admin, { segment: 'API' }, first)).map((n) => Number(n.partnerId))).toEqual(EXPECTED_ORDER);
    const byAmount = (await allPages(admin, { segment: 'API', orderBy: 'AMOUNT_TO_BE_COLLECTED' }, 3)).map((n) => Number(n.partnerId));
    expect(byAmount).toEqual([4012, 4011, 4010, 4009, 4008, 4013, 4007, 4006, 4005, 4004, 4003, 4002, 4001]);
    const byPartner = (await allPages(admin, { segment: 'API', orderBy: 'PARTNER' }, 4)).map((n) => Number(n.partnerId));
    expect(byPartner).toEqual([...EXPECTED_ORDER].sort((a, b) => a - b));
    const p1 = (await allPages(admin, { segment: 'API', filter: { priorities: [1] } }, 2)).map((n) => Number(n.partnerId));
    expect(p1).toEqual(EXPECTED_ORDER.filter((id) => EXPECTED[id]!.priority === 1));
    const big = (await allPages(admin, { segment: 'API', filter: { minAmountToBeCollected: '200', minValuation: 50 } }, 2)).map((n) => Number(n.partnerId));
    expect(big).toEqual([4012, 4009, 4011, 4010, 4008, 4013, 4007]);
    const group = await gql(app.url, PAGE, { segment: 'API', filter: { group: 'API_G' }, first: 0 }, admin);
    expect(group.data.worklist.totalCount).toBe(13);
    const otherGroup = await gql(app.url, PAGE, { segment: 'API', filter: { group: 'NONE' }, first: 50 }, admin);
    expect(otherGroup.data.worklist.edges).toEqual([]);
    // A cursor of another order is refused.
    const first = await gql(app.url, PAGE, { segment: 'API', first: 2 }, admin);
    const wrong = await gql(app.url, PAGE, { segment: 'API', first: 2, orderBy: 'PARTNER', after: first.data.worklist.pageInfo.endCursor }, admin);
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'after' });
    const garbage = await gql(app.url, PAGE, { segment: 'API', after: 'not-a-cursor' }, admin);
    expect(garbage.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("by specialist: each sees their own list only, another's list is FORBIDDEN", async () => {
    const mine = (await itemsOf(db, runId)).filter((r) => String(r.specialist_id) === '801').map((r) => Number(r.partner_id));
    expect(mine.length).toBeGreaterThan(0);
    const own = await allPages(spec801, { segment: 'API' }, 2);
    expect(own.map((n) => Number(n.partnerId))).toEqual(mine);
    expect(own.every((n) => n.specialist.id === '801')).toBe(true);
    const explicit = await allPages(spec801, { segment: 'API', filter: { specialistId: '801' } }, 50);
    expect(explicit.map((n) => Number(n.partnerId))).toEqual(mine);
    const other = await gql(app.url, PAGE, { segment: 'API', filter: { specialistId: '802' } }, spec801);
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(other.data).toBeNull();
    // A supervisor reads anyone's list by specialist.
    const theirs = await allPages(supervisor, { segment: 'API', filter: { specialistId: '802' } }, 3);
    expect(theirs.map((n) => Number(n.partnerId))).toEqual(EXPECTED_ORDER.filter((id) => !mine.includes(id)));
    // Items and partners of another specialist are FORBIDDEN too.
    const notMine = EXPECTED_ORDER.find((id) => !mine.includes(id))!;
    const item = await gql(app.url, `query($p: ID!) { worklistItem(partnerId: $p) { valuation } }`, { p: String(notMine) }, spec801);
    expect(item.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const c360 = await gql(app.url, `query($p: ID!) { customer(partnerId: $p, asOf: "${D}") { partner { name } } }`, { p: String(notMine) }, spec801);
    expect(c360.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ownItem = await gql(app.url, `query($p: ID!) { worklistItem(partnerId: $p) { partnerId specialist { id } } }`, { p: String(mine[0]) }, spec801);
    expect(ownItem.data.worklistItem).toEqual({ partnerId: String(mine[0]), specialist: { id: '801' } });
    const anonymous = await gql(app.url, PAGE, { segment: 'API' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('sums up a filtered list whatever the page: count, completed and amount still to be collected', async () => {
    const SUMMARY = `query($filter: WorklistFilter) { worklist(segment: "API", first: 1, filter: $filter) {
      edges { node { partnerId } } summary { count completed amountsToBeCollected { currency amount } } } }`;
    const items = (await itemsOf(db, runId)).filter((r) => String(r.specialist_id) === '801');
    const amountOf = async (partnerIds: number[]) =>
      (
        await db.dataSource.query(
          `SELECT coalesce(sum(amount_to_be_collected), 0)::numeric(19,4)::text AS amount FROM worklist_items WHERE run_id = $1 AND partner_id = ANY($2::bigint[])`,
          [runId, partnerIds],
        )
      )[0].amount;
    const ids = items.map((r) => Number(r.partner_id));
    const { data, errors } = await gql(app.url, SUMMARY, {}, spec801);
    expect(errors).toBeUndefined();
    expect(data.worklist.edges).toHaveLength(1);
    expect(data.worklist.summary).toEqual({ count: ids.length, completed: 0, amountsToBeCollected: [{ currency: 'EUR', amount: await amountOf(ids) }] });
    // A completed item counts as done and leaves the amount still to be collected.
    await db.dataSource.query(`UPDATE worklist_items SET completed_at = now() WHERE run_id = $1 AND partner_id = $2`, [runId, ids[0]]);
    try {
      const after = await gql(app.url, SUMMARY, {}, spec801);
      expect(after.data.worklist.summary).toEqual({
        count: ids.length,
        completed: 1,
        amountsToBeCollected: [{ currency: 'EUR', amount: await amountOf(ids.slice(1)) }],
      });
      // The same filter as the page: another specialist's list through a supervisor.
      const theirs = await gql(app.url, SUMMARY, { filter: { specialistId: '802' } }, supervisor);
      expect(theirs.data.worklist.summary.count).toBe(13 - ids.length);
    } finally {
      await db.dataSource.query(`UPDATE worklist_items SET completed_at = NULL WHERE run_id = $1 AND partner_id = $2`, [runId, ids[0]]);
    }
  });

  it('gives an item with the explanation of its score (json-rules-engine at the run key date)', async () => {
    const { data, errors } = await gql(
      app.url,
      `query { worklistItem(partnerId: "4009") { valuation priority firedRules { name points }
      run { id asOf live } explanation { asOf valuation percent priority excluded exits facts rules { index name role points fired conditions } } } }`,
      {},
      admin,
    );
    expect(errors).toBeUndefined();
    const item = data.worklistItem;
    expect(item.firedRules).toEqual([
      { name: 'Over 100 to collect', points: 50 },
      { name: 'Over 30 days', points: 30 },
    ]);
    expect(item.run).toEqual({ id: runId, asOf: D, live: true });
    const x = item.explanation;
    expect(x).toMatchObject({ asOf: D, valuation: 80, percent: '100.00', priority: 1, excluded: false, exits: [] });
    expect(x.facts).toEqual({ amountToBeCollected: 270, maxDaysOverdue: 58 });
    expect(x.rules.map((r: any) => [r.name, r.fired, r.points])).toEqual([
      ['Over 100 to collect', true, 50],
      ['Over 30 days', true, 30],
    ]);
    expect(x.rules[1].conditions).toMatchObject({
      kind: 'all',
      result: true,
      conditions: [{ kind: 'fact', fact: 'maxDaysOverdue', operator: 'greaterThan', value: 30, factValue: 58, result: true }],
    });
    const low = await gql(app.url, `query { worklistItem(partnerId: "4001") { valuation explanation { valuation rules { fired conditions } } } }`, {}, admin);
    expect(low.data.worklistItem.explanation.valuation).toBe(0);
    expect(low.data.worklistItem.explanation.rules[0].conditions.conditions[0]).toMatchObject({ factValue: 30, result: false });
    const none = await gql(app.url, `query { worklistItem(partnerId: "999999") { valuation } }`, {}, admin);
    expect(none.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('reassigns an item (SUPERVISOR/ADMIN only) until the next run', async () => {
    const mutation = `mutation($p: ID!, $s: ID!) { reassignWorklistItem(partnerId: $p, specialistId: $s) { partnerId specialistOrigin specialist { id } } }`;
    const [row] = await query(db, `SELECT specialist_id::text AS s FROM worklist_items WHERE run_id = $1 AND partner_id = 4012`, [runId]);
    const target = row!.s === '801' ? '802' : '801';
    for (const token of [spec801, client]) {
      const denied = await gql(app.url, mutation, { p: '4012', s: target }, token);
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const LOADS = `query { worklistRun(segment: "API") { bySpecialist { specialistId count } loads { specialistId count amountToBeCollected specialist { id } } } }`;
    const countOf = (loads: Array<{ specialistId: string | null; count: number }>, id: string) => loads.find((l) => l.specialistId === id)?.count ?? 0;
    const before = (await gql(app.url, LOADS, {}, supervisor)).data.worklistRun;
    expect(before.loads.map((l: any) => [l.specialistId, l.count])).toEqual(before.bySpecialist.map((l: any) => [l.specialistId, l.count]));
    const { data, errors } = await gql(app.url, mutation, { p: '4012', s: target }, supervisor);
    expect(errors).toBeUndefined();
    expect(data.reassignWorklistItem).toEqual({ partnerId: '4012', specialistOrigin: 'TEMPORARY', specialist: { id: target } });
    // The loads follow the move at once; the run's statistics stay as the run dealt them.
    const after = (await gql(app.url, LOADS, {}, supervisor)).data.worklistRun;
    expect(countOf(after.loads, target)).toBe(countOf(before.loads, target) + 1);
    expect(countOf(after.loads, row!.s as string)).toBe(countOf(before.loads, row!.s as string) - 1);
    expect(after.bySpecialist).toEqual(before.bySpecialist);
    const [moved] = await query(db, `SELECT sum(amount_to_be_collected)::text AS amount FROM worklist_items WHERE run_id = $1 AND specialist_id = $2`, [
      runId,
      target,
    ]);
    expect(after.loads.find((l: any) => l.specialistId === target)).toMatchObject({ amountToBeCollected: moved!.amount, specialist: { id: target } });
    const inactive = await gql(app.url, mutation, { p: '4012', s: '803' }, admin);
    expect(inactive.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'specialistId' });
    const filtered = await allPages(admin, { segment: 'API', filter: { specialistOrigins: ['TEMPORARY'] } }, 10);
    expect(filtered.map((n) => n.partnerId)).toEqual(['4012']);
  });
});
