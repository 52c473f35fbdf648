import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { verifyFacts } from '../packages/server/src/facts/facts.service';
import { createTestToken, gql } from './support/api';
import { count, openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * Issue 22 over GraphQL: agencies as organisation data, the placement proposal and state machine
 * (place, re-place elsewhere refused while placed, recall with reason), held items out of the
 * worklist facts and dunning (with the maintained facts still exact), and the AGENCY role's reach.
 * At D = 2026-03-31: partner 7101 owes 300 (items 1, 2), 7102 owes 500 (items 3, 4), 7103 owes 50 (item 5, not overdue).
 */
let db: Database;
let app: RunningApp;
let admin: string;
let supervisor: string;
let specialist: string;
let agency1: string;
let agency2: string;

const D = '2026-03-31';
const RULES = strategyDocument({
  key: 'PLACE',
  minPercent: 50,
  rules: [rule('Overdue 100 or more', 30, 'condition', when('overdueAmount', 'greaterThanInclusive', 100))],
});
const STRATEGY = strategyDocument({ rules: [rule('Anything open', 10, 'condition', when('openAmount', 'greaterThan', 0))] });

beforeAll(async () => {
  db = await openTestDatabase();
  await insertSegment(db, 'AS', []);
  await insertSpecialist(db, 71, null);
  await insertPartners(db, [
    { id: 7101, segment: 'AS', specialist: 71 },
    { id: 7102, segment: 'AS' },
    { id: 7103, segment: 'AS' },
  ]);
  await insertItems(db, [
    { id: 1, partner: 7101, due: '2026-01-10', open: 200 },
    { id: 2, partner: 7101, due: '2026-02-10', open: 100 },
    { id: 3, partner: 7102, due: '2026-01-15', open: 400 },
    { id: 4, partner: 7102, due: '2026-02-15', open: 100 },
    { id: 5, partner: 7103, due: '2026-04-30', open: 50 },
  ]);
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
  supervisor = await createTestToken(db, 'SUPERVISOR');
  specialist = await createTestToken(db, 'SPECIALIST', '71');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const SAVE = `mutation($input: AgencyInput!) { saveAgency(input: $input) { key name email commissionPercent active version } }`;
const PLACE = `mutation($input: PlaceInput!) { placePartner(input: $input) { id partnerId agency status placedOn version items { itemId placedAmount held } } }`;
const RECALL = `mutation($input: RecallInput!) { recallPlacement(input: $input) { id status recalledOn recallReason version items { itemId held } } }`;
const PROPOSAL = `query($rules: JSON!) { placementProposal(rules: $rules, asOf: "${D}") { partnerId valuation percent priority firedRules openAmount } }`;
const PREVIEW = `query($s: JSON!) { previewWorklist(strategy: $s, asOf: "${D}") { partners items(first: 10) { edges { node { partner { externalId } amounts { open } } } } } }`;
const CUSTOMER = `query($p: ID!) { agencyCustomer(partnerId: $p) { externalId name placement { agency items { itemId } } } }`;

const codeOf = (r: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => r.errors?.[0]?.extensions?.code;
const preview = async () =>
  (await gql(app.url, PREVIEW, { s: STRATEGY }, admin)).data.previewWorklist.items.edges.map((e: any) => [e.node.partner.externalId, e.node.amounts.open]);
const factsExact = async () => expect((await verifyFacts(db)).differenceCount).toBe(0);

describe(`agencies and placements (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('keeps agencies as organisation data: ADMIN saves with versions, CONFLICT on a stale one, bad fields name the argument', async () => {
    const created = await gql(app.url, SAVE, { input: { key: 'AG1', name: 'First Collect', email: 'ops@first.example', commissionPercent: '12.5' } }, admin);
    expect(created.errors).toBeUndefined();
    expect(created.data.saveAgency).toEqual({
      key: 'AG1',
      name: 'First Collect',
      email: 'ops@first.example',
      commissionPercent: '12.50',
      active: true,
      version: 1,
    });
    expect(codeOf(await gql(app.url, SAVE, { input: { key: 'AG1', name: 'Again', commissionPercent: '1' } }, admin))).toBe('CONFLICT');
    expect(codeOf(await gql(app.url, SAVE, { input: { key: 'AG1', name: 'x', commissionPercent: '1', version: 7 } }, admin))).toBe('CONFLICT');
    const bad = await gql(app.url, SAVE, { input: { key: 'AG9', name: 'x', commissionPercent: '100.5' } }, admin);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'input.commissionPercent' });
    expect(codeOf(await gql(app.url, SAVE, { input: { key: 'bad key', name: 'x', commissionPercent: '1' } }, admin))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(app.url, SAVE, { input: { key: 'AG2', name: 'x', commissionPercent: '1' } }, supervisor))).toBe('FORBIDDEN');
    const second = await gql(app.url, SAVE, { input: { key: 'AG2', name: 'Second Recovery', commissionPercent: '20' } }, admin);
    expect(second.data.saveAgency.version).toBe(1);
    const changed = await gql(app.url, SAVE, { input: { key: 'AG2', name: 'Second Recovery Ltd', commissionPercent: '20', version: 1 } }, admin);
    expect(changed.data.saveAgency).toMatchObject({ name: 'Second Recovery Ltd', version: 2 });
    expect((await db.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'AGENCY'`))[0].n).toBe(3);
    agency1 = (await createApiToken(db, { name: 'ag1', role: 'AGENCY', agencyKey: 'AG1' })).token;
    agency2 = (await createApiToken(db, { name: 'ag2', role: 'AGENCY', agencyKey: 'AG2' })).token;
    await expect(createApiToken(db, { name: 'x', role: 'AGENCY' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('proposes the partners the placement rules select, by priority, valuation and amount', async () => {
    const proposal = await gql(app.url, PROPOSAL, { rules: RULES }, supervisor);
    expect(proposal.errors).toBeUndefined();
    expect(proposal.data.placementProposal).toEqual([
      { partnerId: '7102', valuation: 30, percent: '100.00', priority: 1, firedRules: ['Overdue 100 or more'], openAmount: '500.0000' },
      { partnerId: '7101', valuation: 30, percent: '100.00', priority: 1, firedRules: ['Overdue 100 or more'], openAmount: '300.0000' },
    ]);
    const invalid = await gql(app.url, PROPOSAL, { rules: { ...RULES, rules: [rule('x', 1, 'condition', when('noSuchFact', 'equal', 1))] } }, supervisor);
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(String(invalid.errors?.[0]?.extensions?.path)).toMatch(/^rules\.rules\[0\]/);
    expect(codeOf(await gql(app.url, PROPOSAL, { rules: RULES }, specialist))).toBe('FORBIDDEN');
  });

  it('places all or some items; another agency while placed is a CONFLICT; the worklist facts leave the held items out', async () => {
    expect(await preview()).toEqual([
      ['P7102', '500.0000'],
      ['P7101', '300.0000'],
      ['P7103', '50.0000'],
    ]);
    const all = await gql(app.url, PLACE, { input: { partnerId: '7101', agency: 'AG1', placedOn: D } }, supervisor);
    expect(all.errors).toBeUndefined();
    expect(all.data.placePartner).toMatchObject({
      partnerId: '7101',
      agency: 'AG1',
      status: 'PLACED',
      version: 1,
      items: [
        { itemId: '1', placedAmount: '200.0000', held: true },
        { itemId: '2', placedAmount: '100.0000', held: true },
      ],
    });
    const some = await gql(app.url, PLACE, { input: { partnerId: '7102', agency: 'AG2', itemIds: ['3'], placedOn: D } }, supervisor);
    expect(some.data.placePartner.items).toEqual([{ itemId: '3', placedAmount: '400.0000', held: true }]);
    // One agency at a time: elsewhere while placed is refused and changes nothing.
    const elsewhere = await gql(app.url, PLACE, { input: { partnerId: '7101', agency: 'AG2', placedOn: D } }, supervisor);
    expect(codeOf(elsewhere)).toBe('CONFLICT');
    expect(codeOf(await gql(app.url, PLACE, { input: { partnerId: '7102', agency: 'AG2', itemIds: ['3'], placedOn: D } }, supervisor))).toBe('CONFLICT');
    expect(codeOf(await gql(app.url, PLACE, { input: { partnerId: '7102', agency: 'AG2', itemIds: ['1'], placedOn: D } }, supervisor))).toBe('NOT_FOUND');
    expect(codeOf(await gql(app.url, PLACE, { input: { partnerId: '7102', agency: 'NOPE', placedOn: D } }, supervisor))).toBe('NOT_FOUND');
    expect(codeOf(await gql(app.url, PLACE, { input: { partnerId: '99999999999999999999', agency: 'AG2', placedOn: D } }, supervisor))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(app.url, PLACE, { input: { partnerId: '7103', agency: 'AG2', placedOn: D } }, specialist))).toBe('FORBIDDEN');
    expect(await count(db, 'placements')).toBe(2);
    expect(await count(db, 'item_holds')).toBe(3);
    // 7101 is off the list (all its items held); 7102 keeps only its item not placed.
    expect(await preview()).toEqual([
      ['P7102', '100.0000'],
      ['P7103', '50.0000'],
    ]);
    expect((await gql(app.url, PROPOSAL, { rules: RULES }, supervisor)).data.placementProposal).toEqual([]);
    await factsExact();
  });

  it('keeps held items out of dunning', async () => {
    await gql(app.url, `mutation { saveDunningTemplate(input: { key: "T1", body: "{{#each items}} {{item.externalId}}{{/each}}" }) { key } }`, {}, admin);
    const procedure = await gql(
      app.url,
      `mutation { saveDunningProcedure(input: { key: "STD", name: "Standard", currency: "EUR", graceDays: 0,
        levels: [{ level: 1, daysOverdue: 1, channel: "LETTER", templateKey: "T1" }] }) { key } }`,
      {},
      admin,
    );
    expect(procedure.errors).toBeUndefined();
    const run = await gql(app.url, `mutation { runDunning(asOf: "${D}", dryRun: true) { items sample { partnerId itemIds } } }`, {}, supervisor);
    expect(run.errors).toBeUndefined();
    expect(run.data.runDunning).toEqual({ items: 1, sample: [{ partnerId: '7102', itemIds: ['4'] }] });
  });

  it('lets an AGENCY token reach only the partners placed with its agency (NOT_FOUND for any other)', async () => {
    const own = await gql(app.url, CUSTOMER, { p: '7101' }, agency1);
    expect(own.errors).toBeUndefined();
    expect(own.data.agencyCustomer).toEqual({
      externalId: 'P7101',
      name: 'Partner 7101',
      placement: { agency: 'AG1', items: [{ itemId: '1' }, { itemId: '2' }] },
    });
    expect(codeOf(await gql(app.url, CUSTOMER, { p: '7102' }, agency1))).toBe('NOT_FOUND');
    expect(codeOf(await gql(app.url, CUSTOMER, { p: '7103' }, agency1))).toBe('NOT_FOUND');
    expect(codeOf(await gql(app.url, CUSTOMER, { p: '7101' }, agency2))).toBe('NOT_FOUND');
    const list = await gql(app.url, `query { placements { edges { node { partnerId agency } } } agencies { key } }`, {}, agency1);
    expect(list.data).toEqual({ placements: { edges: [{ node: { partnerId: '7101', agency: 'AG1' } }] }, agencies: [{ key: 'AG1' }] });
    const other = await gql(app.url, `query { placements(agency: "AG2") { edges { node { id } } } }`, {}, agency1);
    expect(other.data.placements.edges).toEqual([]);
    // The company's own reads and writes are not the agency's.
    for (const op of [
      `query { strategies { edges { node { key } } } }`,
      `query { customer(partnerId: "7101") { partnerId } }`,
      `query { companyCodes { code } }`,
    ]) {
      expect(codeOf(await gql(app.url, op, {}, agency1)), op).toBe('FORBIDDEN');
    }
    const contact = `mutation($p: ID!) { agencyRecordContact(input: { partnerId: $p, contactDate: "${D}", channel: "PHONE", direction: "OUTBOUND", reached: true }) { contactDate reached } }`;
    expect((await gql(app.url, contact, { p: '7101' }, agency1)).data?.agencyRecordContact).toEqual({ contactDate: D, reached: true });
    expect(codeOf(await gql(app.url, contact, { p: '7102' }, agency1))).toBe('NOT_FOUND');
    const promise = `mutation($p: ID!) { agencyCreatePromise(input: { partnerId: $p, createdDate: "${D}", promisedDate: "2026-04-15", amount: "150", currency: "EUR" }) { amount status } }`;
    expect((await gql(app.url, promise, { p: '7101' }, agency1)).data?.agencyCreatePromise).toEqual([{ amount: '150.0000', status: 'OPEN' }]);
    expect(codeOf(await gql(app.url, promise, { p: '7102' }, agency1))).toBe('NOT_FOUND');
    // Only on the items placed with it: 7102's item 4 stayed in house.
    const onItems = `mutation($items: [ID!]) { agencyCreatePromise(input: { partnerId: "7102", itemIds: $items, createdDate: "${D}", promisedDate: "2026-04-15", amount: "50", currency: "EUR" }) { amount } }`;
    expect(codeOf(await gql(app.url, onItems, { items: ['4'] }, agency2))).toBe('NOT_FOUND');
    expect((await gql(app.url, onItems, { items: ['3'] }, agency2)).data?.agencyCreatePromise).toEqual([{ amount: '50.0000' }]);
    // The company's 360 shows the placement with its agency and date.
    const c360 = await gql(app.url, `query { customer(partnerId: "7101") { placement { agency placedOn status } legalCases { id } } }`, {}, supervisor);
    expect(c360.data.customer).toEqual({ placement: { agency: 'AG1', placedOn: D, status: 'PLACED' }, legalCases: [] });
    // Its open amount leaves the placed items out; they are shown as held, from the placement's day on.
    const credit = `query($d: Date) { customer(partnerId: "7101", asOf: $d) { credit { openAmount held { count amount placed legal } } } }`;
    expect((await gql(app.url, credit, { d: D }, supervisor)).data.customer.credit).toEqual({
      openAmount: '0.0000',
      held: { count: 2, amount: '300.0000', placed: 2, legal: 0 },
    });
    expect((await gql(app.url, credit, { d: '2026-03-30' }, supervisor)).data.customer.credit).toEqual({
      openAmount: '300.0000',
      held: { count: 0, amount: '0.0000', placed: 0, legal: 0 },
    });
    expect(codeOf(await gql(app.url, contact, { p: '7101' }, specialist))).toBe('FORBIDDEN');
    await factsExact();
  });

  it('recalls with a reason (version checked), after which the partner may be placed elsewhere', async () => {
    const [{ id }] = await db.dataSource.query(`SELECT id::text AS id FROM placements WHERE partner_id = 7101`);
    expect(codeOf(await gql(app.url, RECALL, { input: { placementId: id, reason: 'x', recalledOn: D, version: 9 } }, supervisor))).toBe('CONFLICT');
    expect(codeOf(await gql(app.url, RECALL, { input: { placementId: id, reason: '  ', recalledOn: D, version: 1 } }, supervisor))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(app.url, RECALL, { input: { placementId: '424242', reason: 'x', recalledOn: D, version: 1 } }, supervisor))).toBe('NOT_FOUND');
    const recalled = await gql(app.url, RECALL, { input: { placementId: id, reason: 'Customer disputes the debt', recalledOn: D, version: 1 } }, supervisor);
    expect(recalled.errors).toBeUndefined();
    expect(recalled.data.recallPlacement).toEqual({
      id,
      status: 'RECALLED',
      recalledOn: D,
      recallReason: 'Customer disputes the debt',
      version: 2,
      items: [
        { itemId: '1', held: false },
        { itemId: '2', held: false },
      ],
    });
    expect(codeOf(await gql(app.url, RECALL, { input: { placementId: id, reason: 'again', recalledOn: D, version: 2 } }, supervisor))).toBe('CONFLICT');
    expect(codeOf(await gql(app.url, CUSTOMER, { p: '7101' }, agency1))).toBe('NOT_FOUND');
    expect((await preview()).map(([p]: string[]) => p)).toEqual(['P7101', 'P7102', 'P7103']);
    await factsExact();
    const elsewhere = await gql(app.url, PLACE, { input: { partnerId: '7101', agency: 'AG2', itemIds: ['2'], placedOn: '2026-04-01' } }, supervisor);
    expect(elsewhere.data.placePartner).toMatchObject({ agency: 'AG2', status: 'PLACED', items: [{ itemId: '2', held: true }] });
    expect((await gql(app.url, CUSTOMER, { p: '7101' }, agency2)).data.agencyCustomer.placement.items).toEqual([{ itemId: '2' }]);
    const events = await db.dataSource.query(`SELECT kind, item_id::text AS item, agency_key AS agency FROM placement_events ORDER BY id`);
    expect(events).toEqual([
      { kind: 'PLACED', item: '1', agency: 'AG1' },
      { kind: 'PLACED', item: '2', agency: 'AG1' },
      { kind: 'PLACED', item: '3', agency: 'AG2' },
      { kind: 'RECALLED', item: '1', agency: 'AG1' },
      { kind: 'RECALLED', item: '2', agency: 'AG1' },
      { kind: 'PLACED', item: '2', agency: 'AG2' },
    ]);
    await factsExact();
  });

  it('refuses to delete an agency with placements (CONFLICT naming them); deletes an unused one', async () => {
    const del = await gql(app.url, `mutation { deleteAgency(key: "AG1", version: 1) }`, {}, admin);
    expect(codeOf(del)).toBe('CONFLICT');
    expect(del.errors?.[0]?.message).toMatch(/placements/);
    await gql(app.url, SAVE, { input: { key: 'AG3', name: 'Unused', commissionPercent: '0' } }, admin);
    expect((await gql(app.url, `mutation { deleteAgency(key: "AG3", version: 1) }`, {}, admin)).data.deleteAgency).toBe(true);
  });
});
