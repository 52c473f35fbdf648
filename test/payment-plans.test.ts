import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Before the services: it loads reflect-metadata (as the app's entry points do), which the type-graphql types the services reach need.
import { openTestDatabase } from './support/database';
import { factKey, factRowsSql, FACTS } from '../packages/rules/src/index';
import type { Database } from '../packages/server/src/db/database';
import { cancelPaymentPlan, createPaymentPlan, planStatusAt, schedule } from '../packages/server/src/payment-plans/payment-plan.service';
import { postPayment } from '../packages/server/src/payments/payment.service';
import { judgeAll } from '../packages/server/src/promises/promise-judging.service';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { insertItems, insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/** Payment plans: schedules with exact cents and interest, installments judged, the breach facts, cancelling. */
let db: Database;
let runId: string;

const facts = async (partnerId: string, asOf: string) => {
  const sql = factRowsSql([factKey('brokenInstallments'), factKey('paymentPlanBroken')], { currency: 'EUR', asOf, partnerIds: [partnerId] });
  const [row] = await query(db, sql.text, sql.values);
  return { broken: Number(row!.f_brokeninstallments), planBroken: row!.f_paymentplanbroken };
};
const statuses = async (planId: string, asOf: string) => await planStatusAt(db.dataSource, planId, asOf);
const liveItem = async (partnerId: string) =>
  (await query(db, `SELECT valuation FROM worklist_items WHERE run_id = $1 AND partner_id = $2`, [runId, partnerId]))[0] ?? null;

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(
    db,
    'PLAN',
    strategyDocument({
      key: 'PLAN',
      name: 'Plans',
      rules: [
        rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0)),
        rule('Plan broken', 40, 'condition', when('paymentPlanBroken', 'equal', true)),
      ],
    }),
  );
  await insertSegment(db, 'PL', [{ key: 'PL_G', strategyKey: 'PLAN' }]);
  await insertSpecialist(db, 961, 'PL_G');
  await query(db, `INSERT INTO company_codes (code, name, promise_tolerance_days) VALUES ('1000', 'Main', 3), ('2000', 'Fast', 1)`);
  await insertPartners(db, [
    { id: 8001, segment: 'PL' },
    { id: 8002, segment: 'PL' },
  ]);
  await query(db, `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('USD', 'EUR', '2026-01-01', 0.9)`);
  await insertItems(db, [
    { id: 801, partner: 8001, due: '2026-01-01', open: 60 },
    { id: 802, partner: 8001, due: '2026-02-01', open: 40.01 },
    { id: 811, partner: 8002, due: '2026-01-01', open: 1000, company: '2000' },
    { id: 812, partner: 8002, due: '2026-01-01', open: 5, currency: 'USD' },
  ]);
  runId = (await runWorklist(db, { segment: 'PL', asOf: '2026-03-01', mode: 'LIVE' })).runId;
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('payment plan schedules', () => {
  it('splits the principal in whole cents, remainder to the first installments; monthly dates clamp to the month end', () => {
    const s = schedule({ principal: '100.01', installmentCount: 3, frequency: 'MONTHLY', firstDate: '2026-01-31', createdDate: '2026-01-15' });
    expect(s.installments.map((i) => [i.dueDate, i.amount])).toEqual([
      ['2026-01-31', '33.3400'],
      ['2026-02-28', '33.3400'],
      ['2026-03-31', '33.3300'],
    ]);
    expect(s.interest).toBe('0.0000');
  });

  it('adds flat simple interest over the term (rate x days / 365, half up to cents), split like the principal', () => {
    // 1000 x 5% x (2026-03-01 + 3 weeks = 03-22, 80 days from 2026-01-01) / 365 = 10.9589… -> 10.96
    const s = schedule({ principal: '1000', installmentCount: 4, frequency: 'WEEKLY', firstDate: '2026-03-01', createdDate: '2026-01-01', interestRate: '5' });
    expect(s.interest).toBe('10.9600');
    expect(s.total).toBe('1010.9600');
    expect(s.installments.map((i) => [i.dueDate, i.principal, i.interest, i.amount])).toEqual([
      ['2026-03-01', '250.0000', '2.7400', '252.7400'],
      ['2026-03-08', '250.0000', '2.7400', '252.7400'],
      ['2026-03-15', '250.0000', '2.7400', '252.7400'],
      ['2026-03-22', '250.0000', '2.7400', '252.7400'],
    ]);
  });

  it('is in the fact catalogue with metadata', () => {
    expect(FACTS.find((f) => f.name === 'paymentPlanBroken')).toMatchObject({ type: 'boolean', unit: 'flag', optional: false });
    expect(FACTS.find((f) => f.name === 'brokenInstallments')).toMatchObject({ type: 'number', unit: 'count', optional: false });
  });
});

describe('a plan judged installment by installment', () => {
  let planId: string;
  it('creates a plan over the open amounts of the chosen items and refuses bad input', async () => {
    const r = await createPaymentPlan(db, {
      partnerId: '8001',
      itemIds: ['802', '801'],
      installmentCount: 2,
      frequency: 'MONTHLY',
      firstDate: '2026-03-10',
      createdDate: '2026-03-01',
    });
    planId = r.id;
    const [plan] = await query(db, `SELECT principal::text, total_amount::text, tolerance_days FROM payment_plans WHERE id = $1`, [planId]);
    expect(plan).toEqual({ principal: '100.0100', total_amount: '100.0100', tolerance_days: 3 });
    expect((await statuses(planId, '2026-03-01')).installments.map((i) => [i.dueDate, i.amount, i.status])).toEqual([
      ['2026-03-10', '50.0100', 'OPEN'],
      ['2026-04-10', '50.0000', 'OPEN'],
    ]);
    await expect(
      createPaymentPlan(db, {
        partnerId: '8001',
        itemIds: ['801'],
        installmentCount: 2,
        frequency: 'MONTHLY',
        firstDate: '2026-03-10',
        createdDate: '2026-03-01',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already in payment plan/) });
    await expect(
      createPaymentPlan(db, {
        partnerId: '8002',
        itemIds: ['811', '812'],
        installmentCount: 2,
        frequency: 'MONTHLY',
        firstDate: '2026-03-10',
        createdDate: '2026-03-01',
      }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { path: 'itemIds' } });
    await expect(
      createPaymentPlan(db, {
        partnerId: '8002',
        itemIds: ['811'],
        installmentCount: 0,
        frequency: 'MONTHLY',
        firstDate: '2026-03-10',
        createdDate: '2026-03-01',
      }),
    ).rejects.toMatchObject({ details: { path: 'installmentCount' } });
    await expect(
      createPaymentPlan(db, {
        partnerId: '8002',
        itemIds: ['811'],
        installmentCount: 2,
        frequency: 'MONTHLY',
        firstDate: '2026-02-10',
        createdDate: '2026-03-01',
      }),
    ).rejects.toMatchObject({ details: { path: 'firstDate' } });
  });

  it('keeps an installment paid within the tolerance and judges it on posting the payment', async () => {
    const posted = await postPayment(db, { partnerId: '8001', paymentDate: '2026-03-13', amount: '50.01', paymentPlanId: planId });
    expect(posted.cleared.map((c) => [c.itemId, c.amount])).toEqual([['801', '50.0100']]);
    expect(posted.installments).toEqual([
      { id: expect.any(String), planId, seq: 1, status: 'KEPT' },
      { id: expect.any(String), planId, seq: 2, status: 'OPEN' },
    ]);
    expect(await facts('8001', '2026-04-13')).toEqual({ broken: 0, planBroken: false });
  });

  it('judges a short second installment PARTIALLY_KEPT after the tolerance: the plan is in breach, the fact fires and the item is re-valuated', async () => {
    const posted = await postPayment(db, { partnerId: '8001', paymentDate: '2026-04-12', amount: '20', paymentPlanId: planId });
    expect(posted.cleared.map((c) => [c.itemId, c.amount])).toEqual([
      ['801', '9.9900'],
      ['802', '10.0100'],
    ]);
    expect((await statuses(planId, '2026-04-13')).installments.map((i) => [i.paid, i.status])).toEqual([
      ['50.0100', 'KEPT'],
      ['20.0000', 'OPEN'],
    ]);
    expect(await facts('8001', '2026-04-13')).toEqual({ broken: 0, planBroken: false });
    const after = await statuses(planId, '2026-04-14');
    expect(after.status).toBe('BROKEN');
    expect(after.installments.map((i) => i.status)).toEqual(['KEPT', 'PARTIALLY_KEPT']);
    expect(await facts('8001', '2026-04-14')).toEqual({ broken: 1, planBroken: true });
    // the live item sees the breach once an event dates after the deadline (a payment on account)
    expect(await liveItem('8001')).toMatchObject({ valuation: 10 });
    const late = await postPayment(db, { partnerId: '8001', paymentDate: '2026-04-20', amount: '1' });
    expect(late.onAccount).toBe('1.0000');
    expect(await liveItem('8001')).toMatchObject({ valuation: 50 });
    const run = await judgeAll(db, { asOf: '2026-04-20' });
    expect(run.installmentStatuses).toEqual({ KEPT: 1, PARTIALLY_KEPT: 1 });
  });

  it('counts payments before the plan for nothing, judges unpaid installments BROKEN, and cancels (terminates) only a live plan', async () => {
    await postPayment(db, { partnerId: '8002', paymentDate: '2026-02-20', amount: '100', itemIds: ['811'] });
    const { id } = await createPaymentPlan(db, {
      partnerId: '8002',
      itemIds: ['811'],
      installmentCount: 3,
      frequency: 'WEEKLY',
      firstDate: '2026-03-02',
      createdDate: '2026-03-01',
      interestRate: '0',
    });
    // company code 2000: 1 day tolerance
    expect((await statuses(id, '2026-03-03')).installments.map((i) => i.status)).toEqual(['OPEN', 'OPEN', 'OPEN']);
    expect((await statuses(id, '2026-03-04')).installments.map((i) => i.status)).toEqual(['BROKEN', 'OPEN', 'OPEN']);
    expect(await facts('8002', '2026-03-11')).toEqual({ broken: 2, planBroken: true });
    const cancelled = await cancelPaymentPlan(db, { planId: id, cancelledDate: '2026-03-11' });
    expect(cancelled.revaluation).toMatchObject({ onList: true });
    expect((await statuses(id, '2026-03-11')).status).toBe('CANCELLED');
    expect(await facts('8002', '2026-03-11')).toEqual({ broken: 0, planBroken: false });
    await expect(cancelPaymentPlan(db, { planId: id, cancelledDate: '2026-03-12' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/is CANCELLED/),
    });
    await expect(postPayment(db, { partnerId: '8002', paymentDate: '2026-03-12', amount: '1', paymentPlanId: id })).rejects.toMatchObject({ code: 'CONFLICT' });
    // a completed plan cannot be cancelled
    const { id: small } = await createPaymentPlan(db, {
      partnerId: '8002',
      itemIds: ['811'],
      installmentCount: 1,
      frequency: 'WEEKLY',
      firstDate: '2026-03-20',
      createdDate: '2026-03-12',
    });
    await postPayment(db, { partnerId: '8002', paymentDate: '2026-03-15', amount: '900', paymentPlanId: small });
    expect((await statuses(small, '2026-03-16')).status).toBe('COMPLETED');
    await expect(cancelPaymentPlan(db, { planId: small, cancelledDate: '2026-03-16' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/is COMPLETED/),
    });
  });
});
