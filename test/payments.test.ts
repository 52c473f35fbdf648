import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/** Payments, promises and plans over GraphQL: clearing oldest first, on account, judging, re-valuation, roles. */
let db: Database;
let app: RunningApp;
let runId: string;
let admin: string, client: string, own: string, other: string;

const liveItem = async (partnerId: string) =>
  (
    await query(
      db,
      `SELECT valuation, amount_open::float8 AS open, amount_promised::float8 AS promised FROM worklist_items WHERE run_id = $1 AND partner_id = $2`,
      [runId, partnerId],
    )
  )[0] ?? null;
const POST = `mutation($input: PostPaymentInput!) { postPayment(input: $input) { onAccount cleared { itemId amount openBefore openAfter } promises { id status } worklistItem { valuation } } }`;
const PROMISES = `mutation($input: CreatePromisesInput!) { createPromises(input: $input) { promises { id itemId amount status level } worklistItem { valuation } } }`;

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(
    db,
    'PAY',
    strategyDocument({
      key: 'PAY',
      name: 'Pay',
      rules: [
        rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0)),
        rule('Big', 20, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 250)),
      ],
    }),
  );
  await insertSegment(db, 'PY', [{ key: 'PY_G', strategyKey: 'PAY' }]);
  await insertSpecialist(db, 971, 'PY_G');
  await insertSpecialist(db, 972, 'PY_G');
  await query(db, `INSERT INTO company_codes (code, name) VALUES ('1000', 'Main')`);
  await insertPartners(db, [{ id: 9001, segment: 'PY', specialist: 971 }]);
  await insertItems(db, [
    { id: 901, partner: 9001, due: '2026-01-01', open: 100 },
    { id: 902, partner: 9001, due: '2026-02-01', open: 200 },
    { id: 903, partner: 9001, due: '2026-02-15', open: 50 },
  ]);
  runId = (await runWorklist(db, { segment: 'PY', asOf: '2026-03-01', mode: 'LIVE' })).runId;
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  [admin, client, own, other] = await Promise.all([
    createTestToken(db, 'ADMIN'),
    createTestToken(db, 'CLIENT'),
    createTestToken(db, 'SPECIALIST', '971'),
    createTestToken(db, 'SPECIALIST', '972'),
  ]);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('payments, promises and plans over GraphQL', () => {
  it('refuses CLIENT writes and other specialists, allows the own specialist', async () => {
    const input = { partnerId: '9001', itemIds: ['902'], createdDate: '2026-03-01', promisedDate: '2026-03-10', amount: '150' };
    expect((await gql(app.url, PROMISES, { input }, client)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, PROMISES, { input }, other)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, POST, { input: { partnerId: '9001', paymentDate: '2026-03-01', amount: '1' } }, other)).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    const r = await gql(app.url, PROMISES, { input }, own);
    expect(r.errors).toBeUndefined();
    expect(r.data.createPromises.promises).toEqual([{ id: expect.any(String), itemId: '902', amount: '150.0000', status: 'OPEN', level: 1 }]);
    // 350 open, overdue; 150 promised on 902 takes 902 (200) out of the amount to be collected: 150 < 250
    expect(r.data.createPromises.worklistItem).toEqual({ valuation: 10 });
    expect(await liveItem('9001')).toMatchObject({ valuation: 10, promised: 150 });
    const read = await gql(app.url, `query { partnerPromises(partnerId: "9001", asOf: "2026-03-01") { status } }`, {}, client);
    expect(read.data.partnerPromises).toEqual([{ status: 'OPEN' }]);
  });

  it('posts a payment over several items oldest first, books the rest on account, judges the promise and re-valuates', async () => {
    const r = await gql(app.url, POST, { input: { partnerId: '9001', paymentDate: '2026-03-05', amount: '260', itemIds: ['902', '901'] } }, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.postPayment.cleared).toEqual([
      { itemId: '901', amount: '100.0000', openBefore: '100.0000', openAfter: '0.0000' },
      { itemId: '902', amount: '160.0000', openBefore: '200.0000', openAfter: '40.0000' },
    ]);
    expect(r.data.postPayment.onAccount).toBe('0.0000');
    expect(r.data.postPayment.promises).toEqual([{ id: expect.any(String), status: 'KEPT' }]);
    expect(await liveItem('9001')).toMatchObject({ valuation: 10, open: 90, promised: 0 });
    const rest = await gql(app.url, POST, { input: { partnerId: '9001', paymentDate: '2026-03-06', amount: '100', clearOpenItems: true } }, own);
    expect(rest.data.postPayment.cleared.map((c: any) => [c.itemId, c.amount])).toEqual([
      ['902', '40.0000'],
      ['903', '50.0000'],
    ]);
    expect(rest.data.postPayment.onAccount).toBe('10.0000');
    expect(rest.data.postPayment.worklistItem).toBeNull();
    expect(await liveItem('9001')).toBeNull();
    const [{ n }] = (await query(db, `SELECT count(*)::int AS n FROM payments WHERE partner_id = 9001 AND item_id IS NULL AND amount = 10`)) as any;
    expect(n).toBe(1);
  });

  it('refuses illegal transitions with a clear error', async () => {
    const [{ id }] = (await query(db, `SELECT id::text AS id FROM promises WHERE partner_id = 9001`)) as any;
    const r = await gql(app.url, `mutation { cancelPromise(id: "${id}", cancelledDate: "2026-03-07") { promise { status } } }`, {}, admin);
    expect(r.errors?.[0]).toMatchObject({ message: expect.stringMatching(/is KEPT/), extensions: { code: 'CONFLICT' } });
    const plan = await gql(
      app.url,
      `mutation { createPaymentPlan(input: { partnerId: "9001", itemIds: ["901"], installmentCount: 2, frequency: MONTHLY, firstDate: "2026-04-01", createdDate: "2026-03-07" }) { plan { id } } }`,
      {},
      admin,
    );
    expect(plan.errors?.[0]).toMatchObject({ message: expect.stringMatching(/nothing open/), extensions: { code: 'BAD_USER_INPUT' } });
  });
});
