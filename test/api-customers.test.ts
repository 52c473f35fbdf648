import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * Customer 360 over HTTP on a hand-made partner (5001, EUR, credit limit 2000) at D = 2026-03-31:
 *   I1 due 01-01 (89 days) amount 1000 open 400, documented 2025-12-01, dunning 2
 *   I2 due 03-01 (30 days) amount 600 open 500, documented 02-01, dunning 1 + block, OPEN dispute of 200
 *   I3 due 04-15 (not due) amount 300 open 300, documented 03-15
 *   I4 cleared: amount 200 open 0, documented 03-01
 *   I5 due 05-01, 100 GBP open (GBP->EUR 1.2), documented 03-10
 * Promises: Q1 on I1 600 by 02-05, paid 600 on 02-07 (within 3 days' tolerance): KEPT; Q2 on I2 500
 * by 03-10, paid 100 on 03-09: PARTIALLY_KEPT; Q3 on I3 by 04-10: OPEN; Q4 without item 50 by
 * 02-15: BROKEN; Q5 cancelled. Kept ratio 1 / 3.
 * DSO: receivables 400 + 500 + 300 + 0 + 120 = 1320; sales in (D-90, D] 600 + 300 + 200 + 120 = 1220;
 * 1320 / 1220 x 90 = 97.4.
 */
const D = '2026-03-31';
const DOCUMENT = strategyDocument({
  key: 'C360',
  name: 'C360',
  agingBuckets: [0, 30, 60],
  rules: [
    rule('Something to collect', 60, 'condition', when('amountToBeCollected', 'greaterThan', 0)),
    rule('Over 60 days', 40, 'condition', when('maxDaysOverdue', 'greaterThan', 60)),
  ],
});

let db: Database;
let app: RunningApp;
let admin: string;
let client: string;
let spec901: string;
let spec902: string;

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'C360', DOCUMENT);
  await insertSegment(db, 'C360', [{ key: 'C360_G', strategyKey: 'C360' }]);
  await insertSpecialist(db, 901, 'C360_G');
  await insertSpecialist(db, 902, null);
  await insertPartners(db, [
    { id: 5001, segment: 'C360', creditLimit: 2000, riskClass: 'B', specialist: 901 },
    { id: 5002, segment: 'C360' },
  ]);
  await query(db, `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('GBP', 'EUR', '2026-01-01', 1.2)`);
  await insertItems(db, [
    { id: 51, partner: 5001, due: '2026-01-01', open: 400, amount: 1000, dunning: 2 },
    { id: 52, partner: 5001, due: '2026-03-01', open: 500, amount: 600, dunning: 1, block: true },
    { id: 53, partner: 5001, due: '2026-04-15', open: 300, amount: 300 },
    { id: 54, partner: 5001, due: '2026-03-31', open: 0, amount: 200 },
    { id: 55, partner: 5001, due: '2026-05-01', open: 100, amount: 100, currency: 'GBP' },
    { id: 61, partner: 5002, due: '2026-03-01', open: 10 },
  ]);
  const docDates: Record<number, string> = { 51: '2025-12-01', 52: '2026-02-01', 53: '2026-03-15', 54: '2026-03-01', 55: '2026-03-10' };
  for (const [id, date] of Object.entries(docDates)) await query(db, `UPDATE open_items SET document_date = $2 WHERE id = $1`, [id, date]);
  await query(
    db,
    `INSERT INTO payments (id, external_id, partner_id, item_id, payment_date, amount, currency) VALUES
    (1, 'Y1', 5001, 51, '2026-02-07', 600, 'EUR'), (2, 'Y2', 5001, 52, '2026-03-09', 100, 'EUR'), (3, 'Y3', 5001, NULL, '2026-04-02', 5, 'EUR')`,
  );
  await query(
    db,
    `INSERT INTO promises (id, external_id, partner_id, item_id, created_date, promised_date, amount, currency, cancelled) VALUES
    (1, 'Q1', 5001, 51, '2026-01-05', '2026-02-05', 600, 'EUR', false), (2, 'Q2', 5001, 52, '2026-03-01', '2026-03-10', 500, 'EUR', false),
    (3, 'Q3', 5001, 53, '2026-03-20', '2026-04-10', 300, 'EUR', false), (4, 'Q4', 5001, NULL, '2026-02-01', '2026-02-15', 50, 'EUR', false),
    (5, 'Q5', 5001, 53, '2026-03-01', '2026-03-05', 70, 'EUR', true)`,
  );
  await query(
    db,
    `INSERT INTO disputes (id, external_id, partner_id, item_id, created_date, disputed_amount, currency, status, reason) VALUES
    (1, 'D1', 5001, 52, '2026-03-05', 200, 'EUR', 'OPEN', 'Wrong price')`,
  );
  await query(
    db,
    `INSERT INTO contacts (id, external_id, partner_id, contact_date, channel, direction, reached, result) VALUES
    (1, 'C1', 5001, '2026-03-25', 'PHONE', 'OUTBOUND', true, 'Will pay'), (2, 'C2', 5001, '2026-03-28', 'EMAIL', 'OUTBOUND', false, NULL)`,
  );
  await query(db, `INSERT INTO resubmissions (id, partner_id, resubmission_date, reason) VALUES (1, 5001, '2026-04-05', 'Call back')`);
  // Rows above were given ids; what the API creates gets the next ones.
  for (const table of ['payments', 'promises', 'disputes', 'contacts', 'resubmissions'])
    await query(db, `SELECT setval(pg_get_serial_sequence($1, 'id'), 1000)`, [table]);
  await runWorklist(db, { segment: 'C360', asOf: D, mode: 'LIVE' });
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  [admin, client, spec901, spec902] = await Promise.all([
    createTestToken(db, 'ADMIN'),
    createTestToken(db, 'CLIENT'),
    createTestToken(db, 'SPECIALIST', '901'),
    createTestToken(db, 'SPECIALIST', '902'),
  ]);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const C360 = `query($p: ID, $x: String, $asOf: Date) { customer(partnerId: $p, externalId: $x, asOf: $asOf) {
  partnerId asOf
  partner { id externalId name currency creditLimit riskClass segment specialist { id } }
  openItems(first: 2) { edges { cursor node { id externalId dueDate daysOverdue amount openAmount currency dunningLevel dunningBlock disputed } } pageInfo { hasNextPage endCursor } }
  aging { label fromDays toDays items amounts { currency amount } }
  payments { externalId itemId paymentDate amount currency }
  promises { externalId itemId promisedDate amount paid toleranceDays status cancelled }
  disputes { externalId itemId disputedAmount status reason }
  contacts { externalId contactDate channel direction reached result }
  resubmissions { resubmissionDate reason done due }
  dunningHistory { itemId dunningLevel dunningBlock openAmount }
  worklistItem { valuation priority firedRules { name points } amounts { open overdue toBeCollected disputed promised }
    explanation { valuation rules { name fired } facts } }
  credit { currency creditLimit riskClass openAmount overdueAmount utilizationPercent }
  keyFigures { daysSalesOutstanding receivables sales90Days keptPromiseRatio brokenPromises openPromises maxDaysOverdue daysSinceLastPayment daysSinceLastContact }
} }`;

describe(`customer 360 over HTTP (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('shows every section of the partner at the key date', async () => {
    const { data, errors } = await gql(app.url, C360, { p: '5001', asOf: D }, admin);
    expect(errors).toBeUndefined();
    const c = data.customer;
    expect(c.partner).toEqual({
      id: '5001',
      externalId: 'P5001',
      name: 'Partner 5001',
      currency: 'EUR',
      creditLimit: '2000.0000',
      riskClass: 'B',
      segment: 'C360',
      specialist: { id: '901' },
    });
    expect(c.openItems.edges.map((e: any) => e.node)).toEqual([
      {
        id: '51',
        externalId: 'I51',
        dueDate: '2026-01-01',
        daysOverdue: 89,
        amount: '1000.0000',
        openAmount: '400.0000',
        currency: 'EUR',
        dunningLevel: 2,
        dunningBlock: false,
        disputed: false,
      },
      {
        id: '52',
        externalId: 'I52',
        dueDate: '2026-03-01',
        daysOverdue: 30,
        amount: '600.0000',
        openAmount: '500.0000',
        currency: 'EUR',
        dunningLevel: 1,
        dunningBlock: true,
        disputed: true,
      },
    ]);
    expect(c.openItems.pageInfo.hasNextPage).toBe(true);
    expect(c.aging).toEqual([
      {
        label: 'not overdue',
        fromDays: null,
        toDays: 0,
        items: 2,
        amounts: [
          { currency: 'EUR', amount: '300.0000' },
          { currency: 'GBP', amount: '100.0000' },
        ],
      },
      { label: '1–30', fromDays: 1, toDays: 30, items: 1, amounts: [{ currency: 'EUR', amount: '500.0000' }] },
      { label: '31–60', fromDays: 31, toDays: 60, items: 0, amounts: [] },
      { label: '> 60', fromDays: 61, toDays: null, items: 1, amounts: [{ currency: 'EUR', amount: '400.0000' }] },
    ]);
    // Y3 is after the key date.
    expect(c.payments).toEqual([
      { externalId: 'Y2', itemId: '52', paymentDate: '2026-03-09', amount: '100.0000', currency: 'EUR' },
      { externalId: 'Y1', itemId: '51', paymentDate: '2026-02-07', amount: '600.0000', currency: 'EUR' },
    ]);
    expect(c.promises).toEqual([
      { externalId: 'Q3', itemId: '53', promisedDate: '2026-04-10', amount: '300.0000', paid: '0.0000', toleranceDays: 3, status: 'OPEN', cancelled: false },
      {
        externalId: 'Q2',
        itemId: '52',
        promisedDate: '2026-03-10',
        amount: '500.0000',
        paid: '100.0000',
        toleranceDays: 3,
        status: 'PARTIALLY_KEPT',
        cancelled: false,
      },
      { externalId: 'Q5', itemId: '53', promisedDate: '2026-03-05', amount: '70.0000', paid: '0.0000', toleranceDays: 3, status: 'CANCELLED', cancelled: true },
      { externalId: 'Q4', itemId: null, promisedDate: '2026-02-15', amount: '50.0000', paid: '0.0000', toleranceDays: 3, status: 'BROKEN', cancelled: false },
      { externalId: 'Q1', itemId: '51', promisedDate: '2026-02-05', amount: '600.0000', paid: '600.0000', toleranceDays: 3, status: 'KEPT', cancelled: false },
    ]);
    expect(c.disputes).toEqual([{ externalId: 'D1', itemId: '52', disputedAmount: '200.0000', status: 'OPEN', reason: 'Wrong price' }]);
    expect(c.contacts).toEqual([
      { externalId: 'C2', contactDate: '2026-03-28', channel: 'EMAIL', direction: 'OUTBOUND', reached: false, result: null },
      { externalId: 'C1', contactDate: '2026-03-25', channel: 'PHONE', direction: 'OUTBOUND', reached: true, result: 'Will pay' },
    ]);
    expect(c.resubmissions).toEqual([{ resubmissionDate: '2026-04-05', reason: 'Call back', done: false, due: false }]);
    expect(c.dunningHistory).toEqual([
      { itemId: '51', dunningLevel: 2, dunningBlock: false, openAmount: '400.0000' },
      { itemId: '52', dunningLevel: 1, dunningBlock: true, openAmount: '500.0000' },
    ]);
    // To be collected: overdue 900 less I2 (open dispute) = 400; 89 days: both rules.
    expect(c.worklistItem).toMatchObject({
      valuation: 100,
      priority: 1,
      firedRules: [
        { name: 'Something to collect', points: 60 },
        { name: 'Over 60 days', points: 40 },
      ],
      amounts: { open: '1320.0000', overdue: '900.0000', toBeCollected: '400.0000', disputed: '200.0000', promised: '300.0000' },
    });
    expect(c.worklistItem.explanation).toEqual({
      valuation: 100,
      rules: [
        { name: 'Something to collect', fired: true },
        { name: 'Over 60 days', fired: true },
      ],
      facts: { amountToBeCollected: 400, maxDaysOverdue: 89 },
    });
    expect(c.credit).toEqual({
      currency: 'EUR',
      creditLimit: '2000.0000',
      riskClass: 'B',
      openAmount: '1320.0000',
      overdueAmount: '900.0000',
      utilizationPercent: 66,
    });
    expect(c.keyFigures).toEqual({
      daysSalesOutstanding: 97.4,
      receivables: '1320.0000',
      sales90Days: '1220.0000',
      keptPromiseRatio: 0.3333,
      brokenPromises: 1,
      // Q3, promised for after D; the cancelled Q5 is not open
      openPromises: 1,
      maxDaysOverdue: 89,
      daysSinceLastPayment: 22,
      daysSinceLastContact: 3,
    });
  });

  it('pages open items by cursor and finds the partner by external id', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const { data, errors }: any = await gql(
        app.url,
        `query($after: String) { customer(externalId: "P5001", asOf: "${D}") {
        openItems(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`,
        { after },
        client,
      );
      expect(errors).toBeUndefined();
      ids.push(...data.customer.openItems.edges.map((e: any) => e.node.id));
      after = data.customer.openItems.pageInfo.hasNextPage ? data.customer.openItems.pageInfo.endCursor : null;
    } while (after);
    expect(ids).toEqual(['51', '52', '53', '55']);
    const missing = await gql(app.url, `{ customer(externalId: "NOPE") { partnerId } }`, {}, admin);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lets a specialist see their own partners only', async () => {
    const own = await gql(app.url, C360, { p: '5001', asOf: D }, spec901);
    expect(own.errors).toBeUndefined();
    expect(own.data.customer.partnerId).toBe('5001');
    const other = await gql(app.url, `{ customer(partnerId: "5001") { partnerId } }`, {}, spec902);
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const write = await gql(
      app.url,
      `mutation { recordContact(input: { partnerId: "5001", contactDate: "${D}", channel: "PHONE", direction: "outbound", reached: true }) { contact { id } } }`,
      {},
      spec902,
    );
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const readOnly = await gql(
      app.url,
      `mutation { recordContact(input: { partnerId: "5001", contactDate: "${D}", channel: "PHONE", direction: "outbound", reached: true }) { contact { id } } }`,
      {},
      client,
    );
    expect(readOnly.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('records a contact, a promise, a dispute and a resubmission, each returning the re-valuated item', async () => {
    const contact = await gql(
      app.url,
      `mutation { recordContact(input: { partnerId: "5001", contactDate: "${D}", contactTime: "10:15", channel: "PHONE", direction: "outbound", reached: true, result: "Promised" }) {
      contact { externalId contactDate contactTime channel direction reached result } worklistItem { partnerId valuation revaluatedAt } } }`,
      {},
      spec901,
    );
    expect(contact.errors).toBeUndefined();
    expect(contact.data.recordContact.contact).toMatchObject({
      contactDate: D,
      contactTime: '10:15:00',
      channel: 'PHONE',
      direction: 'OUTBOUND',
      reached: true,
      result: 'Promised',
    });
    expect(contact.data.recordContact.contact.externalId).toMatch(/^RC-/);
    // Its author is the caller, so that caller (only) may edit it later.
    const [authored] = await db.dataSource.query(`SELECT author_specialist_id::text AS specialist FROM contacts WHERE external_id = $1`, [
      contact.data.recordContact.contact.externalId,
    ]);
    expect(authored).toEqual({ specialist: '901' });
    expect(contact.data.recordContact.worklistItem).toMatchObject({ partnerId: '5001', valuation: 100 });
    expect(contact.data.recordContact.worklistItem.revaluatedAt).not.toBeNull();

    // A promise on I1 (the only item to collect) leaves nothing to collect: 40 points, P2.
    const promise = await gql(
      app.url,
      `mutation { createPromise(input: { partnerId: "5001", itemId: "51", createdDate: "${D}", promisedDate: "2026-04-10", amount: "400" }) {
      promise { itemId promisedDate amount currency status paid } worklistItem { valuation priority amounts { toBeCollected promised } firedRules { name } } } }`,
      {},
      spec901,
    );
    expect(promise.errors).toBeUndefined();
    expect(promise.data.createPromise).toEqual({
      promise: { itemId: '51', promisedDate: '2026-04-10', amount: '400.0000', currency: 'EUR', status: 'OPEN', paid: '0.0000' },
      worklistItem: { valuation: 40, priority: 2, amounts: { toBeCollected: '0.0000', promised: '700.0000' }, firedRules: [{ name: 'Over 60 days' }] },
    });

    const dispute = await gql(
      app.url,
      `mutation { openDispute(input: { partnerId: "5001", itemId: "53", createdDate: "${D}", disputedAmount: "50.5", reason: "Damaged" }) {
      dispute { itemId disputedAmount currency status reason } worklistItem { amounts { disputed } } } }`,
      {},
      admin,
    );
    expect(dispute.errors).toBeUndefined();
    expect(dispute.data.openDispute).toEqual({
      dispute: { itemId: '53', disputedAmount: '50.5000', currency: 'EUR', status: 'OPEN', reason: 'Damaged' },
      worklistItem: { amounts: { disputed: '250.5000' } },
    });

    const resubmission = await gql(
      app.url,
      `mutation { scheduleResubmission(input: { partnerId: "5001", resubmissionDate: "2026-04-20", reason: "Check payment" }) {
      resubmission { resubmissionDate reason done } worklistItem { partnerId } } }`,
      {},
      spec901,
    );
    expect(resubmission.errors).toBeUndefined();
    expect(resubmission.data.scheduleResubmission).toEqual({
      resubmission: { resubmissionDate: '2026-04-20', reason: 'Check payment', done: false },
      worklistItem: { partnerId: '5001' },
    });

    const bad = await gql(
      app.url,
      `mutation { createPromise(input: { partnerId: "5001", createdDate: "${D}", promisedDate: "2026-03-01", amount: "10" }) { promise { id } } }`,
      {},
      admin,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'promisedDate' });
    const otherItem = await gql(
      app.url,
      `mutation { openDispute(input: { partnerId: "5001", itemId: "61", createdDate: "${D}", disputedAmount: "1" }) { dispute { id } } }`,
      {},
      admin,
    );
    expect(otherItem.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'itemId' });
    const [{ n }] = (await query(db, `SELECT count(*)::integer AS n FROM disputes`)) as [{ n: number }];
    expect(n).toBe(2);
  });
});
