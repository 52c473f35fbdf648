import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { factKey, factRowsSql } from '../packages/rules/src/index';
import type { Database } from '../packages/server/src/db/database';
import { createPromises } from '../packages/server/src/promises/promise.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * Issue 17, "correct money and promises": no promise or installment of nothing. A zero or negative
 * promise and an installment schedule with 0.00 installments are refused over the API with
 * BAD_USER_INPUT naming the argument; a BY_DUE_DATE split makes no promise on the items the amount
 * does not reach; none of them moves the kept-promise figures (keptPromiseRatio, the judged counts).
 */
let db: Database;
let app: RunningApp;
let admin: string;
const P = '9701';
const AS_OF = '2026-03-20';

const CREATE = `mutation ($input: CreatePromisesInput!) { createPromises(input: $input) { promises { itemId amount currency status } } }`;
const PLAN = `mutation ($input: PaymentPlanInput!) { createPaymentPlan(input: $input) { plan { id } } }`;

/** keptPromiseRatio (the worklist's fact) and the partner's promises per status, at AS_OF. */
const keptFigures = async () => {
  const sql = factRowsSql([factKey('keptPromiseRatio')], { currency: 'EUR', asOf: AS_OF, partnerIds: [P] });
  const [facts] = await query(db, sql.text, sql.values);
  const { data } = await gql(app.url, `query ($p: ID!, $d: Date) { partnerPromises(partnerId: $p, asOf: $d) { status } }`, { p: P, d: AS_OF }, admin);
  const byStatus: Record<string, number> = {};
  for (const p of data.partnerPromises as Array<{ status: string }>) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
  return { ratio: facts!.f_keptpromiseratio === null ? null : Number(facts!.f_keptpromiseratio), byStatus };
};

const promiseInput = (itemIds: string[], amount: string) => ({ partnerId: P, itemIds, createdDate: '2026-03-01', promisedDate: '2026-03-10', amount });

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(
    db,
    'PAMT',
    strategyDocument({ key: 'PAMT', name: 'Amounts', rules: [rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0))] }),
  );
  await insertSegment(db, 'PA', [{ key: 'PA_G', strategyKey: 'PAMT' }]);
  await insertPartners(db, [{ id: 9701, segment: 'PA' }]);
  await insertItems(db, [
    { id: 9711, partner: 9701, due: '2026-01-01', open: 100 },
    { id: 9712, partner: 9701, due: '2026-01-02', open: 100 },
    { id: 9721, partner: 9701, due: '2026-01-10', open: 10000 },
    { id: 9722, partner: 9701, due: '2026-01-20', open: 10000 },
    { id: 9723, partner: 9701, due: '2026-02-01', open: 10000 },
    { id: 9724, partner: 9701, due: '2026-02-10', open: 10000 },
    { id: 9731, partner: 9701, due: '2026-01-01', open: 0.05 },
  ]);
  // one KEPT and one BROKEN promise: the kept ratio is 0.5
  await createPromises(db, promiseInput(['9711'], '100'));
  await createPromises(db, promiseInput(['9712'], '100'));
  await query(
    db,
    `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ('PA-1', $1, 9711, '2026-03-05', 100, 'EUR')`,
    [P],
  );
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('a promise of nothing', () => {
  it('refuses a zero or negative promise with BAD_USER_INPUT at amount, and the kept figures stay', async () => {
    const before = await keptFigures();
    expect(before).toEqual({ ratio: 0.5, byStatus: { KEPT: 1, BROKEN: 1 } });
    for (const amount of ['0', '0.00', '-5']) {
      const r = await gql(app.url, CREATE, { input: promiseInput(['9721'], amount) }, admin);
      expect(r.data).toBeNull();
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'amount' });
      expect(r.errors?.[0]?.message).toMatch(/positive amount/);
    }
    expect(await keptFigures()).toEqual(before);
  });

  it('splits by due date without empty promises: 30,000 over four items of 10,000 is three promises', async () => {
    const before = await keptFigures();
    const r = await gql(app.url, CREATE, { input: { ...promiseInput(['9724', '9722', '9721', '9723'], '25000.50'), distribution: 'BY_DUE_DATE' } }, admin);
    expect(r.errors).toBeUndefined();
    const made = (r.data.createPromises.promises as Array<{ itemId: string; amount: string; currency: string }>)
      .map((p) => [p.itemId, p.amount, p.currency])
      .sort();
    expect(made).toEqual([
      ['9721', '10000.0000', 'EUR'],
      ['9722', '10000.0000', 'EUR'],
      ['9723', '5000.5000', 'EUR'],
    ]);
    expect(await query(db, `SELECT count(*)::int AS n FROM promises WHERE amount <= 0`)).toEqual([{ n: 0 }]);
    // the new promises are BROKEN by AS_OF (nothing paid): the ratio falls, no KEPT promise appears
    const after = await keptFigures();
    expect(after.byStatus).toEqual({ KEPT: 1, BROKEN: 4 });
    expect(after.ratio).toBe(0.2);
    expect(before.byStatus.KEPT).toBe(1);
  });
});

describe('an installment of nothing', () => {
  it('refuses a plan whose installments would be 0.00, naming installmentCount; the same item in fewer installments is accepted', async () => {
    const input = { partnerId: P, itemIds: ['9731'], installmentCount: 6, frequency: 'WEEKLY', firstDate: '2026-03-10', createdDate: '2026-03-01' };
    const refused = await gql(app.url, PLAN, { input }, admin);
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'installmentCount' });
    expect(refused.errors?.[0]?.message).toMatch(/0\.0500 EUR cannot be paid in 6 installments/);
    expect(await query(db, `SELECT count(*)::int AS n FROM payment_plans`)).toEqual([{ n: 0 }]);
    const accepted = await gql(app.url, PLAN, { input: { ...input, installmentCount: 5 } }, admin);
    expect(accepted.errors).toBeUndefined();
    expect(await query(db, `SELECT amount::text AS amount FROM payment_plan_installments ORDER BY seq`)).toEqual(Array(5).fill({ amount: '0.0100' }));
  });
});
