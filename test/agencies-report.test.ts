import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { verifyFacts } from '../packages/server/src/facts/facts.service';
import { runWorklists } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { count, openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, insertStrategy, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * Issue 22, the studio's API: the payment report upload (agency_payments.csv text through the
 * import code: a bad row names its line and column and writes nothing), the proposal's overdue
 * amount, and the live worklist following placements and recalls at once.
 * At D = 2026-03-31: 9101 owes 300 (items 21: 200, 22: 100, both overdue), 9102 owes 500 (23: 400 overdue, 24: 100 due 2026-04-30).
 */
let db: Database;
let app: RunningApp;
let supervisor: string;
let specialist: string;

const D = '2026-03-31';
const STRATEGY = strategyDocument({ key: 'REP', rules: [rule('Anything open', 10, 'condition', when('openAmount', 'greaterThan', 0))] });

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'REP', STRATEGY);
  await insertSegment(db, 'RS', [{ key: 'RG', strategyKey: 'REP' }]);
  await insertSpecialist(db, 91, 'RG');
  await insertPartners(db, [
    { id: 9101, segment: 'RS' },
    { id: 9102, segment: 'RS' },
  ]);
  await insertItems(db, [
    { id: 21, partner: 9101, due: '2026-01-10', open: 200 },
    { id: 22, partner: 9101, due: '2026-02-10', open: 100 },
    { id: 23, partner: 9102, due: '2026-01-15', open: 400 },
    { id: 24, partner: 9102, due: '2026-04-30', open: 100 },
  ]);
  await db.dataSource.query(`INSERT INTO agencies (key, name, commission_percent) VALUES ('RA', 'Report Agency', 10)`);
  await runWorklists(db, { asOf: D, mode: 'LIVE' });
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  supervisor = await createTestToken(db, 'SUPERVISOR');
  specialist = await createTestToken(db, 'SPECIALIST', '91');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const IMPORT = `mutation($csv: String!) { importAgencyPayments(csv: $csv) { rows applied alreadyApplied clearedItems } }`;
const LIVE = `query { worklist(segment: "RS", first: 50) { edges { node { partner { externalId } } } } }`;
const PLACE = `mutation($input: PlaceInput!) { placePartner(input: $input) { id version } }`;
const HEADER = 'agency,item_id,payment_date,amount,currency\n';

const onList = async () => (await gql(app.url, LIVE, {}, supervisor)).data.worklist.edges.map((e: any) => e.node.partner.externalId).sort();

describe(`agency payment reports and the live worklist (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('proposes with the overdue amount beside the open amount', async () => {
    const rules = strategyDocument({ key: 'P', rules: [rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0))] });
    const r = await gql(
      app.url,
      `query($rules: JSON!) { placementProposal(rules: $rules, asOf: "${D}") { externalId openAmount overdueAmount } }`,
      { rules },
      supervisor,
    );
    expect(r.errors).toBeUndefined();
    // Sorted by open amount within the band: 9102 (500, of which 400 overdue) before 9101 (300, all overdue).
    expect(r.data.placementProposal.map((p: any) => [p.externalId, Number(p.openAmount), Number(p.overdueAmount)])).toEqual([
      ['P9102', 500, 400],
      ['P9101', 300, 300],
    ]);
  });

  it('takes a placed partner off the live worklist at once, and a recall puts it back', async () => {
    expect(await onList()).toEqual(['P9101', 'P9102']);
    const placed = await gql(app.url, PLACE, { input: { partnerId: '9101', agency: 'RA', placedOn: D } }, supervisor);
    expect(placed.errors).toBeUndefined();
    expect(await onList()).toEqual(['P9102']);
    const recall = await gql(
      app.url,
      `mutation($input: RecallInput!) { recallPlacement(input: $input) { status } }`,
      { input: { placementId: placed.data.placePartner.id, reason: 'Wrong partner', recalledOn: D, version: placed.data.placePartner.version } },
      supervisor,
    );
    expect(recall.data.recallPlacement.status).toBe('RECALLED');
    expect(await onList()).toEqual(['P9101', 'P9102']);
    expect((await verifyFacts(db)).differenceCount).toBe(0);
  });

  it('imports a report: a bad row is BAD_USER_INPUT naming line and column, and nothing is written', async () => {
    expect((await gql(app.url, PLACE, { input: { partnerId: '9102', agency: 'RA', placedOn: D } }, supervisor)).errors).toBeUndefined();
    const payments = await count(db, 'payments');
    const before = await db.dataSource.query(`SELECT id, open_amount::text AS open FROM open_items ORDER BY id`);
    // Line 2 is good, line 3 pays more than item 24's open 100: the report is refused as a whole.
    const bad = await gql(app.url, IMPORT, { csv: `${HEADER}RA,I23,2026-04-02,400.00,EUR\nRA,I24,2026-04-03,100.01,EUR\n` }, supervisor);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', line: 3, column: 'amount' });
    const badDate = await gql(app.url, IMPORT, { csv: `${HEADER}RA,I23,2026-02-30,1,EUR\n` }, supervisor);
    expect(badDate.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', line: 2, column: 'payment_date' });
    const unplaced = await gql(app.url, IMPORT, { csv: `${HEADER}RA,I21,2026-04-02,1,EUR\n` }, supervisor);
    expect(unplaced.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', line: 2, column: 'item_id' });
    expect(await count(db, 'payments')).toBe(payments);
    expect(await count(db, 'agency_payments')).toBe(0);
    expect(await db.dataSource.query(`SELECT id, open_amount::text AS open FROM open_items ORDER BY id`)).toEqual(before);
  });

  it('applies a good report once: the paid item clears; the same report again applies nothing', async () => {
    const csv = `${HEADER}RA,I23,2026-04-02,400.00,EUR\nRA,I24,2026-04-03,60.00,EUR\n`;
    const first = await gql(app.url, IMPORT, { csv }, supervisor);
    expect(first.errors).toBeUndefined();
    expect(first.data.importAgencyPayments).toEqual({ rows: 2, applied: 2, alreadyApplied: 0, clearedItems: ['I23'] });
    expect(await db.dataSource.query(`SELECT id::text AS id, open_amount::text AS open FROM open_items WHERE partner_id = 9102 ORDER BY id`)).toEqual([
      { id: '23', open: '0.0000' },
      { id: '24', open: '40.0000' },
    ]);
    const again = await gql(app.url, IMPORT, { csv }, supervisor);
    expect(again.data.importAgencyPayments).toEqual({ rows: 2, applied: 0, alreadyApplied: 2, clearedItems: [] });
    expect(await count(db, 'agency_payments')).toBe(2);
    expect((await verifyFacts(db)).differenceCount).toBe(0);
  });

  it('refuses the upload to a SPECIALIST (FORBIDDEN) and writes nothing', async () => {
    const r = await gql(app.url, IMPORT, { csv: `${HEADER}RA,I24,2026-04-04,1.00,EUR\n` }, specialist);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count(db, 'agency_payments')).toBe(2);
  });
});
