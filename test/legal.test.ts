import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factKey, factRowsSql } from '../packages/rules/src/index';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { verifyFacts } from '../packages/server/src/facts/facts.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * Legal cases (issue 22): the state machine, the items it holds out of the worklist facts, dunning
 * and placement, its costs, and the fact legalCaseOpen at key dates (dated: opened, closed).
 * Partner 9101 owes 600 (items 21: 500, 22: 100), partner 9102 owes 80 (item 23).
 */
let db: Database;
let app: RunningApp;
let admin: string;
let supervisor: string;
let specialist: string;

const D = '2026-03-31';
const STRATEGY = strategyDocument({ rules: [rule('Anything open', 10, 'condition', when('openAmount', 'greaterThan', 0))] });
const PREVIEW = `query($s: JSON!, $asOf: Date!) { previewWorklist(strategy: $s, asOf: $asOf) { items(first: 10) { edges { node { partner { externalId } amounts { open } } } } } }`;
const OPEN = `mutation($input: OpenLegalCaseInput!) { openLegalCase(input: $input) { id status openedOn version items { itemId amount } history { status changedOn } } }`;
const CHANGE = `mutation($input: ChangeLegalCaseInput!) { changeLegalCase(input: $input) { status outcome closedOn version history { status changedOn note } } }`;
const DUNNING = `mutation { runDunning(asOf: "${D}", dryRun: true) { items sample { partnerId itemIds } } }`;

const codeOf = (r: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => r.errors?.[0]?.extensions?.code;
const preview = async (asOf = D) =>
  (await gql(app.url, PREVIEW, { s: STRATEGY, asOf }, admin)).data.previewWorklist.items.edges.map((e: any) => [
    e.node.partner.externalId,
    e.node.amounts.open,
  ]);
async function legalCaseOpen(partnerId: number, asOf: string): Promise<boolean> {
  const key = factKey('legalCaseOpen');
  const sql = factRowsSql([key], { currency: 'EUR', asOf, partnerIds: [partnerId] });
  const [row] = await db.dataSource.query(sql.text, sql.values);
  return row[key.column];
}

beforeAll(async () => {
  db = await openTestDatabase();
  await insertSegment(db, 'AS', []);
  await insertSpecialist(db, 91, null);
  await insertPartners(db, [
    { id: 9101, segment: 'AS' },
    { id: 9102, segment: 'AS' },
  ]);
  await insertItems(db, [
    { id: 21, partner: 9101, due: '2026-01-10', open: 500 },
    { id: 22, partner: 9101, due: '2026-02-10', open: 100 },
    { id: 23, partner: 9102, due: '2026-02-15', open: 80 },
  ]);
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
  supervisor = await createTestToken(db, 'SUPERVISOR');
  specialist = await createTestToken(db, 'SPECIALIST', '91');
  await gql(app.url, `mutation { saveDunningTemplate(input: { key: "T1", body: "x" }) { key } }`, {}, admin);
  await gql(
    app.url,
    `mutation { saveDunningProcedure(input: { key: "STD", name: "Standard", currency: "EUR", graceDays: 0, levels: [{ level: 1, daysOverdue: 1, channel: "LETTER", templateKey: "T1" }] }) { key } }`,
    {},
    admin,
  );
  await gql(app.url, `mutation { saveAgency(input: { key: "AG1", name: "First", commissionPercent: "10" }) { key } }`, {}, admin);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`legal cases (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let caseId: string;

  it('opens a case on some items: they leave the worklist facts, dunning and placement', async () => {
    expect(await preview()).toEqual([
      ['P9101', '600.0000'],
      ['P9102', '80.0000'],
    ]);
    expect((await gql(app.url, DUNNING, {}, supervisor)).data.runDunning.items).toBe(3);
    expect(codeOf(await gql(app.url, OPEN, { input: { partnerId: '9101', itemIds: ['21'], openedOn: '2026-03-15' } }, specialist))).toBe('FORBIDDEN');
    expect(codeOf(await gql(app.url, OPEN, { input: { partnerId: '9101', itemIds: ['23'], openedOn: '2026-03-15' } }, supervisor))).toBe('NOT_FOUND');
    const opened = await gql(app.url, OPEN, { input: { partnerId: '9101', itemIds: ['21'], openedOn: '2026-03-15', reference: 'AZ 12/26' } }, supervisor);
    expect(opened.errors).toBeUndefined();
    expect(opened.data.openLegalCase).toMatchObject({
      status: 'PREPARED',
      openedOn: '2026-03-15',
      version: 1,
      items: [{ itemId: '21', amount: '500.0000' }],
      history: [{ status: 'PREPARED', changedOn: '2026-03-15' }],
    });
    caseId = opened.data.openLegalCase.id;
    expect(await preview()).toEqual([
      ['P9101', '100.0000'],
      ['P9102', '80.0000'],
    ]);
    const dunning = await gql(app.url, DUNNING, {}, supervisor);
    expect(dunning.data.runDunning.items).toBe(2);
    expect(dunning.data.runDunning.sample.find((s: any) => s.partnerId === '9101').itemIds).toEqual(['22']);
    // Placement takes the rest, never the item under the case.
    const place = `mutation($items: [ID!]) { placePartner(input: { partnerId: "9101", agency: "AG1", itemIds: $items, placedOn: "${D}" }) { items { itemId } } }`;
    expect(codeOf(await gql(app.url, place, { items: ['21'] }, supervisor))).toBe('CONFLICT');
    expect((await gql(app.url, place, {}, supervisor)).data.placePartner.items).toEqual([{ itemId: '22' }]);
    expect(codeOf(await gql(app.url, OPEN, { input: { partnerId: '9101', itemIds: ['22'], openedOn: D } }, supervisor))).toBe('CONFLICT');
    expect((await verifyFacts(db)).differenceCount).toBe(0);
  });

  it('shows the held items in the 360 at each key date, at their open amount then', async () => {
    const credit = `query($d: Date) { customer(partnerId: "9101", asOf: $d) { credit { openAmount held { count amount placed legal } } } }`;
    const at = async (d: string) => (await gql(app.url, credit, { d }, supervisor)).data.customer.credit;
    expect(await at('2026-03-14')).toEqual({ openAmount: '600.0000', held: { count: 0, amount: '0.0000', placed: 0, legal: 0 } });
    expect(await at('2026-03-20')).toEqual({ openAmount: '100.0000', held: { count: 1, amount: '500.0000', placed: 0, legal: 1 } });
    expect(await at(D)).toEqual({ openAmount: '0.0000', held: { count: 2, amount: '600.0000', placed: 1, legal: 1 } });
    // A payment after D on the item under the case: at D it was still open in full, after it 200 less.
    await db.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO payments (id, external_id, partner_id, item_id, payment_date, amount, currency) VALUES (9001, 'Y9001', 9101, 21, '2026-04-10', 200, 'EUR')`,
      );
      await m.query(`UPDATE open_items SET open_amount = open_amount - 200 WHERE id = 21`);
    });
    expect((await at(D)).held).toEqual({ count: 2, amount: '600.0000', placed: 1, legal: 1 });
    expect((await at('2026-04-10')).held).toEqual({ count: 2, amount: '400.0000', placed: 1, legal: 1 });
    await db.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM payments WHERE id = 9001`);
      await m.query(`UPDATE open_items SET open_amount = open_amount + 200 WHERE id = 21`);
    });
    expect((await verifyFacts(db)).differenceCount).toBe(0);
  });

  it('knows legalCaseOpen at each key date', async () => {
    expect(await legalCaseOpen(9101, '2026-03-14')).toBe(false);
    expect(await legalCaseOpen(9101, '2026-03-15')).toBe(true);
    expect(await legalCaseOpen(9102, '2026-03-15')).toBe(false);
  });

  it('moves through the states in order; closing needs an outcome and releases the items', async () => {
    const change = (status: string, changedOn: string, version: number, extra: Record<string, unknown> = {}) =>
      gql(app.url, CHANGE, { input: { caseId, status, changedOn, version, ...extra } }, supervisor);
    expect(codeOf(await change('JUDGMENT', '2026-03-16', 1))).toBe('CONFLICT');
    expect(codeOf(await change('FILED', '2026-03-16', 9))).toBe('CONFLICT');
    expect(codeOf(await change('SUED', '2026-03-16', 1))).toBe('BAD_USER_INPUT');
    expect(codeOf(await change('FILED', '2026-03-01', 1))).toBe('BAD_USER_INPUT');
    const filed = await change('FILED', '2026-03-16', 1, { note: 'filed at court' });
    expect(filed.errors).toBeUndefined();
    expect(filed.data.changeLegalCase).toMatchObject({ status: 'FILED', version: 2 });
    const cost = await gql(
      app.url,
      `mutation($id: ID!) { addLegalCost(input: { caseId: $id, costDate: "2026-03-16", kind: "court fee", amount: "123.45", currency: "EUR" }) { version costs { kind amount currency } } }`,
      { id: caseId },
      supervisor,
    );
    expect(cost.data.addLegalCost).toEqual({ version: 3, costs: [{ kind: 'court fee', amount: '123.4500', currency: 'EUR' }] });
    expect((await change('JUDGMENT', '2026-03-20', 3)).data.changeLegalCase.status).toBe('JUDGMENT');
    expect((await change('ENFORCEMENT', '2026-03-25', 4)).data.changeLegalCase.status).toBe('ENFORCEMENT');
    expect(codeOf(await change('CLOSED', '2026-04-10', 5))).toBe('BAD_USER_INPUT');
    const closed = await change('CLOSED', '2026-04-10', 5, { outcome: 'WON_UNCOLLECTIBLE' });
    expect(closed.data.changeLegalCase).toMatchObject({
      status: 'CLOSED',
      outcome: 'WON_UNCOLLECTIBLE',
      closedOn: '2026-04-10',
      history: [
        { status: 'PREPARED', changedOn: '2026-03-15', note: null },
        { status: 'FILED', changedOn: '2026-03-16', note: 'filed at court' },
        { status: 'JUDGMENT', changedOn: '2026-03-20', note: null },
        { status: 'ENFORCEMENT', changedOn: '2026-03-25', note: null },
        { status: 'CLOSED', changedOn: '2026-04-10', note: null },
      ],
    });
    expect(codeOf(await change('FILED', '2026-04-11', 6))).toBe('CONFLICT');
    // The holds are dated: at D item 21 was under the case (and item 22 placed), so a preview at D is as before the
    // close; from the closing day item 21 is back (item 22 stays placed); before the case, everything was in-house.
    expect(await preview()).toEqual([['P9102', '80.0000']]);
    expect(await preview('2026-04-10')).toEqual([
      ['P9101', '500.0000'],
      ['P9102', '80.0000'],
    ]);
    expect(await preview('2026-04-09')).toEqual([['P9102', '80.0000']]);
    expect(await preview('2026-03-14')).toEqual([
      ['P9101', '600.0000'],
      ['P9102', '80.0000'],
    ]);
    expect(await legalCaseOpen(9101, D)).toBe(true);
    expect(await legalCaseOpen(9101, '2026-04-10')).toBe(false);
    expect((await verifyFacts(db)).differenceCount).toBe(0);
    expect(await db.dataSource.query(`SELECT action FROM audit_log WHERE entity_type = 'LEGAL_CASE' ORDER BY id`)).toEqual(
      ['OPEN', 'CHANGE', 'COST', 'CHANGE', 'CHANGE', 'CHANGE'].map((action) => ({ action })),
    );
  });
});
