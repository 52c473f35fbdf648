import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * Lists people can work: every order in both directions paged with cursors equals a sort of all
 * items in JS; each filter equals a filter of all items; hostile filters and cursors are refused
 * precisely; the bulk reassignment moves all or nothing and writes one audit row per item.
 */
const D = '2026-03-31';
const SEGMENT = 'LST';
const RULES = ['Over 500 to collect', 'Over 30 days', 'Over 90 days'];
const DOCUMENT = strategyDocument({
  key: 'LST_WL',
  name: 'Lists',
  priorities: [
    { priority: 1, label: 'High', minPercent: 60 },
    { priority: 2, label: 'Mid', minPercent: 30 },
    { priority: 3, label: 'Low', minPercent: 0 },
  ],
  agingBuckets: [0, 30, 90],
  rules: [
    rule(RULES[0]!, 40, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 500)),
    rule(RULES[1]!, 30, 'condition', when('maxDaysOverdue', 'greaterThan', 30)),
    rule(RULES[2]!, 20, 'condition', when('maxDaysOverdue', 'greaterThan', 90)),
  ],
});
const NAMES = ['alpha', 'Beta', 'beta', 'Gamma', 'delta', 'Zeta works', 'epsilon', 'Alpha', 'omega'];
const IDS = Array.from({ length: 36 }, (_, i) => 5001 + i);
/** Partner 5036 has no open item, only a due resubmission: on the list without a days overdue figure. */
const RESUBMISSION_ONLY = 5036;

const PAGE = `query($segment: String, $filter: WorklistFilter, $orderBy: WorklistOrder, $direction: SortDirection, $first: Int, $after: String) {
  worklist(segment: $segment, filter: $filter, orderBy: $orderBy, direction: $direction, first: $first, after: $after) {
    totalCount edges { cursor node { partnerId daysOverdue } } pageInfo { hasNextPage endCursor } } }`;
const BULK = `mutation($segment: String!, $partnerIds: [ID!]!, $specialistId: ID!, $runId: ID) {
  reassignWorklistItems(segment: $segment, partnerIds: $partnerIds, specialistId: $specialistId, runId: $runId) { partnerId specialistOrigin specialist { id } } }`;

interface Item {
  partnerId: string;
  priority: number;
  valuation: number;
  toBeCollected: number;
  overdue: number;
  days: number | null;
  name: string;
  externalId: string;
  specialist: string | null;
  specialistName: string | null;
  fired: string;
  completed: boolean;
}

let db: Database;
let app: RunningApp;
let supervisor: string;
let specialist: string;
let runId: string;

async function allItems(): Promise<Item[]> {
  const rows = await query(
    db,
    `SELECT w.partner_id::text AS "partnerId", w.priority, w.valuation, w.amount_to_be_collected::text AS tbc, w.amount_overdue::text AS overdue,
            w.max_days_overdue AS days, p.name, p.external_id AS "externalId", w.specialist_id::text AS specialist, sp.name AS "specialistName",
            w.fired::text AS fired, w.completed_at IS NOT NULL AS completed
       FROM worklist_items w JOIN partners p ON p.id = w.partner_id LEFT JOIN specialists sp ON sp.id = w.specialist_id WHERE w.run_id = $1`,
    [runId],
  );
  return rows.map((r) => ({
    ...(r as unknown as Item),
    priority: Number(r.priority),
    valuation: Number(r.valuation),
    toBeCollected: Number(r.tbc),
    overdue: Number(r.overdue),
    days: r.days === null ? null : Number(r.days),
  }));
}

async function pages(variables: Record<string, unknown>, first = 7): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const { data, errors }: { data?: any; errors?: unknown[] } = await gql(app.url, PAGE, { segment: SEGMENT, ...variables, first, after }, supervisor);
    expect(errors).toBeUndefined();
    ids.push(...data.worklist.edges.map((e: any) => e.node.partnerId));
    if (!data.worklist.pageInfo.hasNextPage) return ids;
    after = data.worklist.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

// ---- the reference: each order as a person would sort the table ----------------------------

type Cmp = (a: Item, b: Item) => number;
const by =
  <T extends number | string>(key: (i: Item) => T): Cmp =>
  (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
const desc =
  (c: Cmp): Cmp =>
  (a, b) =>
    -c(a, b);
const then =
  (...cs: Cmp[]): Cmp =>
  (a, b) => {
    for (const c of cs) {
      const r = c(a, b);
      if (r) return r;
    }
    return 0;
  };
const partner = by((i) => BigInt(i.partnerId) as unknown as number);
const nameKey = (s: string | null) => (s ?? '').toLowerCase().slice(0, 100);
/** The leading columns in the natural direction; the partner id tie-break is added ascending in either direction. */
const ORDERS: Record<string, { natural: 'ASC' | 'DESC'; keys: Cmp[] }> = {
  WORKLIST: { natural: 'ASC', keys: [by((i) => i.priority), desc(by((i) => i.valuation)), desc(by((i) => i.toBeCollected))] },
  AMOUNT_TO_BE_COLLECTED: { natural: 'DESC', keys: [desc(by((i) => i.toBeCollected))] },
  AMOUNT_OVERDUE: { natural: 'DESC', keys: [desc(by((i) => i.overdue))] },
  PARTNER: { natural: 'ASC', keys: [] },
  PARTNER_NAME: { natural: 'ASC', keys: [by((i) => nameKey(i.name))] },
  VALUATION: { natural: 'DESC', keys: [desc(by((i) => i.valuation))] },
  SPECIALIST: { natural: 'ASC', keys: [by((i) => nameKey(i.specialistName))] },
  DAYS_OVERDUE: { natural: 'DESC', keys: [desc(by((i) => i.days ?? -Infinity))] },
};

function expectedOrder(items: Item[], order: string, direction: 'ASC' | 'DESC'): string[] {
  const { natural, keys } = ORDERS[order]!;
  const flip = direction !== natural;
  const lead = flip ? keys.map((k) => desc(k)) : keys;
  const tie = keys.length === 0 && flip ? desc(partner) : partner;
  return [...items].sort(then(...lead, tie)).map((i) => i.partnerId);
}

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'LST_WL', DOCUMENT);
  await insertSegment(db, SEGMENT, [{ key: 'LST_G', strategyKey: 'LST_WL' }]);
  for (const id of [901, 902, 903]) await insertSpecialist(db, id, 'LST_G');
  await insertSpecialist(db, 904, 'LST_G', false);
  await query(db, `UPDATE specialists SET name = CASE id WHEN 901 THEN 'maria' WHEN 902 THEN 'Anton' WHEN 903 THEN 'Zoe' ELSE name END`);
  await insertPartners(
    db,
    IDS.map((id) => ({ id, segment: SEGMENT })),
  );
  for (const id of IDS) {
    const k = id - 5000;
    await query(db, `UPDATE partners SET name = $2, external_id = $3 WHERE id = $1`, [
      id,
      `${NAMES[k % NAMES.length]}${k % 4 === 0 ? '' : ` ${k % 3}`}`,
      `EXT-${k % 2 ? 'A' : 'B'}${k}`,
    ]);
  }
  // Amounts with ties (k % 7), days overdue from -10 to 139 with ties.
  await insertItems(
    db,
    IDS.filter((id) => id !== RESUBMISSION_ONLY).map((id) => {
      const k = id - 5000;
      const days = ((k * 37) % 15) * 10 - 10;
      const due = new Date(Date.parse(`${D}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
      return { id: id * 10, partner: id, due, open: (k % 7) * 150 + 50 + (k % 2) * 0.25 };
    }),
  );
  await query(db, `INSERT INTO resubmissions (partner_id, resubmission_date, reason) VALUES ($1, $2, 'call back')`, [RESUBMISSION_ONLY, '2026-03-30']);
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  [supervisor, specialist] = await Promise.all([createTestToken(db, 'SUPERVISOR'), createTestToken(db, 'SPECIALIST', '901')]);
  const run = await gql(app.url, `mutation { generateWorklist(segment: "${SEGMENT}", asOf: "${D}") { id partnersOnList } }`, {}, supervisor);
  expect(run.errors).toBeUndefined();
  expect(run.data.generateWorklist.partnersOnList).toBe(IDS.length);
  runId = run.data.generateWorklist.id;
  // An unassigned item (sorts first by specialist) and a completed one.
  await query(db, `UPDATE worklist_items SET specialist_id = NULL, specialist_origin = NULL WHERE run_id = $1 AND partner_id = 5005`, [runId]);
  await query(db, `UPDATE worklist_items SET completed_at = now() WHERE run_id = $1 AND partner_id = 5009`, [runId]);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`worklists people can work (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('keeps the days overdue of the oldest open item on each item', async () => {
    const items = await allItems();
    const byId = new Map(items.map((i) => [Number(i.partnerId), i]));
    for (const id of IDS) {
      const k = id - 5000;
      expect(byId.get(id)!.days).toBe(id === RESUBMISSION_ONLY ? null : ((k * 37) % 15) * 10 - 10);
    }
    const page = await gql(app.url, PAGE, { segment: SEGMENT, filter: { search: 'EXT-A7' }, first: 5 }, supervisor);
    expect(page.data.worklist.edges.map((e: any) => e.node)).toEqual([{ partnerId: '5007', daysOverdue: byId.get(5007)!.days }]);
  });

  it('pages every order in both directions exactly as a sort of all items', async () => {
    const items = await allItems();
    expect(new Set(items.map((i) => i.toBeCollected)).size).toBeLessThan(items.length); // ties to break
    for (const order of Object.keys(ORDERS)) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const expected = expectedOrder(items, order, direction);
        expect({ order, direction, ids: await pages({ orderBy: order, direction }) }).toEqual({ order, direction, ids: expected });
      }
      // No direction: the natural one.
      expect(await pages({ orderBy: order }, 50)).toEqual(expectedOrder(items, order, ORDERS[order]!.natural));
    }
  });

  it('refuses a cursor of another order or direction', async () => {
    const first = await gql(app.url, PAGE, { segment: SEGMENT, orderBy: 'PARTNER_NAME', first: 3 }, supervisor);
    const cursor = first.data.worklist.pageInfo.endCursor;
    for (const other of [{ orderBy: 'PARTNER_NAME', direction: 'DESC' }, { orderBy: 'SPECIALIST' }, { orderBy: 'WORKLIST' }]) {
      const { errors } = await gql(app.url, PAGE, { segment: SEGMENT, ...other, first: 3, after: cursor }, supervisor);
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'after' });
    }
    // A name cursor with a forged partner id part is refused, not run.
    const forged = Buffer.from(JSON.stringify(['PARTNER_NAME', 'alpha', 'x; DROP'])).toString('base64url');
    const { errors } = await gql(app.url, PAGE, { segment: SEGMENT, orderBy: 'PARTNER_NAME', first: 3, after: forged }, supervisor);
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'after' });
  });

  it('filters by band, amount range, days overdue range, specialist, fired rule, worked and text', async () => {
    // Worked since the run: a contact for 5011, a promise for 5012 (5009 is completed).
    await query(
      db,
      `INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached) VALUES ('C-LST', 5011, current_date, 'PHONE', 'OUT', true)`,
    );
    await query(db, `INSERT INTO resubmissions (partner_id, resubmission_date, reason) VALUES (5012, '2026-04-10', 'later')`);
    const items = await allItems();
    const fired = (i: Item, rule: string) => i.fired[RULES.indexOf(rule)] === '1';
    const worked = new Set(['5009', '5011', '5012']);
    const cases: Array<[Record<string, unknown>, (i: Item) => boolean]> = [
      [{ priorities: [1, 3] }, (i) => i.priority === 1 || i.priority === 3],
      [{ minAmountToBeCollected: '350', maxAmountToBeCollected: '650.25' }, (i) => i.toBeCollected >= 350 && i.toBeCollected <= 650.25],
      [{ maxAmountToBeCollected: '200' }, (i) => i.toBeCollected <= 200],
      [{ minDaysOverdue: 30, maxDaysOverdue: 90 }, (i) => i.days !== null && i.days >= 30 && i.days <= 90],
      [{ minDaysOverdue: 0, maxDaysOverdue: 0 }, (i) => i.days === 0],
      [{ specialistId: '902' }, (i) => i.specialist === '902'],
      [{ unassigned: true }, (i) => i.specialist === null],
      [{ firedRule: 'Over 90 days' }, (i) => fired(i, 'Over 90 days')],
      [{ firedRule: 'Over 500 to collect', priorities: [2] }, (i) => fired(i, 'Over 500 to collect') && i.priority === 2],
      [{ worked: true }, (i) => worked.has(i.partnerId)],
      [{ worked: false }, (i) => !worked.has(i.partnerId)],
      [{ search: 'bETA' }, (i) => i.name.toLowerCase().includes('beta')],
      [{ search: ' ext-b1' }, (i) => i.externalId.toLowerCase().includes('ext-b1')],
      [{ search: '%' }, () => false],
      [{ search: '   ' }, () => true],
    ];
    for (const [filter, keep] of cases) {
      const expected = expectedOrder(items.filter(keep), 'WORKLIST', 'ASC');
      expect({ filter, ids: await pages({ filter }, 10) }).toEqual({ filter, ids: expected });
      const { data } = await gql(app.url, PAGE, { segment: SEGMENT, filter, first: 0 }, supervisor);
      expect(data.worklist.totalCount).toBe(expected.length);
    }
    expect(items.some((i) => fired(i, 'Over 90 days'))).toBe(true);
  });

  it('refuses hostile filters with BAD_USER_INPUT naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ minAmountToBeCollected: '500', maxAmountToBeCollected: '499.99' }, 'filter.maxAmountToBeCollected'],
      [{ minAmountToBeCollected: '-1' }, 'filter.minAmountToBeCollected'],
      [{ maxAmountToBeCollected: '1' + '0'.repeat(40) }, 'filter.maxAmountToBeCollected'],
      [{ minDaysOverdue: 10, maxDaysOverdue: 9 }, 'filter.maxDaysOverdue'],
      [{ minDaysOverdue: -1 }, 'filter.minDaysOverdue'],
      [{ maxDaysOverdue: 2_000_000_000 }, 'filter.maxDaysOverdue'],
      [{ search: 'a\u0000b' }, 'filter.search'],
      [{ search: 'x'.repeat(201) }, 'filter.search'],
      [{ firedRule: 'No such rule' }, 'filter.firedRule'],
      [{ firedRule: 'Over\u000090' }, 'filter.firedRule'],
      [{ specialistId: '99999999999999999999999' }, 'filter.specialistId'],
    ];
    for (const [filter, path] of cases) {
      const { errors } = await gql(app.url, PAGE, { segment: SEGMENT, filter, first: 5 }, supervisor);
      expect({ filter, extensions: errors?.[0]?.extensions }).toMatchObject({ filter, extensions: { code: 'BAD_USER_INPUT', path } });
    }
  });

  it('reassigns a list of items all or nothing, audited, SUPERVISORS only', async () => {
    const snapshot = async () =>
      query(db, `SELECT partner_id::text AS p, specialist_id::text AS s, specialist_origin AS o FROM worklist_items WHERE run_id = $1 ORDER BY 1`, [runId]);
    const audits = async () =>
      Number((await query(db, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'REASSIGN' AND entity_type = 'WORKLIST_ITEM'`))[0]!.n);
    const before = await snapshot();
    const auditsBefore = await audits();
    const ids = ['5001', '5002', '5003', '5004', '5005', '5006', '5007', '5008', '5010', '5013'];
    const refused: Array<[Record<string, unknown>, string, string | undefined]> = [
      [{ partnerIds: [...ids, '999999'] }, 'BAD_USER_INPUT', 'partnerIds[10]'], // not on the list
      [{ partnerIds: [...ids, '5009'] }, 'CONFLICT', 'partnerIds[10]'], // completed
      [{ partnerIds: [...ids, '5001'] }, 'BAD_USER_INPUT', 'partnerIds[10]'], // twice
      [{ partnerIds: [] }, 'BAD_USER_INPUT', 'partnerIds'],
      [{ partnerIds: Array.from({ length: 1001 }, (_, i) => String(i + 1)) }, 'BAD_USER_INPUT', 'partnerIds'],
      [{ partnerIds: ['abc'] }, 'BAD_USER_INPUT', 'partnerIds[0]'],
      [{ partnerIds: ids, specialistId: '904' }, 'BAD_USER_INPUT', 'specialistId'], // inactive
      [{ partnerIds: ids, specialistId: '777' }, 'NOT_FOUND', undefined],
      [{ partnerIds: ids, segment: 'NOPE' }, 'NOT_FOUND', undefined],
      [{ partnerIds: ids, runId: '424242' }, 'NOT_FOUND', undefined],
    ];
    for (const [vars, code, path] of refused) {
      const { errors } = await gql(app.url, BULK, { segment: SEGMENT, specialistId: '903', ...vars }, supervisor);
      expect(errors?.[0]?.extensions).toMatchObject({ code, ...(path ? { path } : {}) });
    }
    const denied = await gql(app.url, BULK, { segment: SEGMENT, specialistId: '903', partnerIds: ids }, specialist);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
    expect(await audits()).toBe(auditsBefore);

    const { data, errors } = await gql(app.url, BULK, { segment: SEGMENT, specialistId: '903', partnerIds: ids, runId }, supervisor);
    expect(errors).toBeUndefined();
    expect(data.reassignWorklistItems).toEqual(ids.map((partnerId) => ({ partnerId, specialistOrigin: 'TEMPORARY', specialist: { id: '903' } })));
    const after = await snapshot();
    for (const row of after) {
      const was = before.find((b) => b.p === row.p)!;
      expect(row).toEqual(ids.includes(row.p as string) ? { p: row.p, s: '903', o: 'TEMPORARY' } : was);
    }
    const rows = await query(
      db,
      `SELECT actor_role, entity_id, details FROM audit_log WHERE action = 'REASSIGN' AND entity_type = 'WORKLIST_ITEM' ORDER BY id`,
    );
    const mine = rows.slice(auditsBefore);
    expect(mine.map((r) => r.entity_id).sort()).toEqual(ids.map((id) => `${runId}:${id}`).sort());
    for (const r of mine) {
      const partnerId = String(r.entity_id).split(':')[1];
      expect(r.actor_role).toBe('SUPERVISOR');
      expect(r.details).toEqual({ runId, partnerId, fromSpecialistId: before.find((b) => b.p === partnerId)!.s, toSpecialistId: '903' });
    }
  });

  it('audits the single reassignment the same way', async () => {
    const before = await query(db, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'REASSIGN'`);
    const { errors } = await gql(app.url, `mutation { reassignWorklistItem(partnerId: "5020", specialistId: "902") { partnerId } }`, {}, supervisor);
    expect(errors).toBeUndefined();
    const rows = await query(db, `SELECT entity_id, details FROM audit_log WHERE action = 'REASSIGN' ORDER BY id`);
    expect(rows.length).toBe(Number(before[0]!.n) + 1);
    expect(rows.at(-1)).toMatchObject({ entity_id: `${runId}:5020`, details: { toSpecialistId: '902', partnerId: '5020' } });
  });
});
