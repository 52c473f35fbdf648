import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Before the services: it loads reflect-metadata (as the app's entry points do), which the type-graphql types the services reach need.
import { openTestDatabase } from './support/database';
import { changeDisputeOn } from './support/worklist-fixtures';
import type { Database } from '../packages/server/src/db/database';
import { recordContact } from '../packages/server/src/contacts/contact.service';
import { openDispute } from '../packages/server/src/disputes/dispute.service';
import { recordPayment } from '../packages/server/src/payments/payment.service';
import { createPromise } from '../packages/server/src/promises/promise.service';
import { scheduleResubmission } from '../packages/server/src/resubmissions/resubmission.service';
import { reassignWorklistItem } from '../packages/server/src/worklists/worklist-assignment.service';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';

/**
 * Dynamic update: each kind of event re-valuates the partner's item on the live worklist at
 * once (hand-computed against a small strategy).
 */
let db: Database;
let runId: string;
const D = '2026-03-01';

const rule = (name: string, points: number, conditions: unknown, role = 'condition') => ({
  name,
  priority: 1,
  conditions,
  event: { type: 'valuation', params: { points, role } },
});
const STRATEGY = {
  key: 'DYN',
  name: 'Dynamic',
  currency: 'EUR',
  maxValuation: null,
  minPercent: 0,
  agingBuckets: [0, 30],
  priorities: [
    { priority: 1, label: 'High', minPercent: 50 },
    { priority: 2, label: 'Low', minPercent: 0 },
  ],
  rules: [
    rule('Overdue', 10, { all: [{ fact: 'overdueAmount', operator: 'greaterThan', value: 0 }] }),
    rule('Big', 20, { all: [{ fact: 'amountToBeCollected', operator: 'greaterThanInclusive', value: 500 }] }),
    rule('Broken', 30, { all: [{ fact: 'brokenPromises', operator: 'greaterThanInclusive', value: 1 }] }),
    rule('Resubmission', 5, { all: [{ fact: 'resubmissionDue', operator: 'equal', value: true }] }),
    rule('Reached lately', -5, { all: [{ fact: 'daysSinceLastContact', params: { reachedOnly: true }, operator: 'lessThanInclusive', value: 7 }] }),
    rule('All disputed', 0, { all: [{ fact: 'allOverdueDisputedOrBlocked', operator: 'equal', value: true }] }, 'exit'),
  ],
};

const item = async (partnerId: number) => {
  const [row] = await db.dataSource.query(
    `SELECT valuation, priority, amount_open, amount_to_be_collected, amount_promised, amount_disputed, specialist_id, specialist_origin,
        revaluated_at IS NOT NULL AS revaluated FROM worklist_items WHERE run_id = $1 AND partner_id = $2`,
    [runId, partnerId],
  );
  return row
    ? {
        ...row,
        amount_open: Number(row.amount_open),
        amount_to_be_collected: Number(row.amount_to_be_collected),
        amount_promised: Number(row.amount_promised),
        amount_disputed: Number(row.amount_disputed),
      }
    : null;
};

beforeAll(async () => {
  db = await openTestDatabase();
  const q = (sql: string, values: unknown[] = []) => db.dataSource.query(sql, values);
  await q(`INSERT INTO collection_segments (key, name, currency) VALUES ('S', 'Segment', 'EUR')`);
  await q(`INSERT INTO strategies (key, name) VALUES ('DYN', 'Dynamic')`);
  await q(`INSERT INTO strategy_versions (strategy_id, version, status, document) SELECT id, 1, 'ACTIVE', $1 FROM strategies`, [JSON.stringify(STRATEGY)]);
  await q(`INSERT INTO collection_groups (key, name, segment_key, strategy_key) VALUES ('G', 'Group', 'S', 'DYN')`);
  await q(`INSERT INTO specialists (id, user_name, name, group_key) VALUES (1, 'ann', 'Ann', 'G'), (2, 'bob', 'Bob', 'G')`);
  await q(`INSERT INTO company_codes (code, name) VALUES ('1000', 'Main')`);
  await q(`INSERT INTO partners (id, external_id, name, country, currency, customer_type, segment) VALUES
    (1, 'A', 'Alpha', 'DE', 'EUR', 'B2B', 'S'), (2, 'B', 'Beta', 'DE', 'EUR', 'B2B', 'S'), (3, 'C', 'Gamma', 'DE', 'EUR', 'B2B', 'S')`);
  await q(`INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level, dunning_block) VALUES
    (11, 'I11', 1, '1000', '2025-12-01', '2026-01-01', 1000, 1000, 'EUR', 0, false),
    (31, 'I31', 3, '1000', '2025-12-01', '2026-02-01', 200, 200, 'EUR', 0, false)`);
  const run = await runWorklist(db, { segment: 'S', asOf: D, mode: 'LIVE' });
  runId = run.runId;
});

afterAll(async () => {
  await db?.close();
});

describe('dynamic update of the live worklist', () => {
  it('starts from the run: Alpha 30 points (overdue, big), Gamma 10, Beta (nothing open) not on the list', async () => {
    expect(await item(1)).toMatchObject({ valuation: 30, priority: 2, amount_to_be_collected: 1000, revaluated: false });
    expect(await item(3)).toMatchObject({ valuation: 10, priority: 2, amount_to_be_collected: 200 });
    expect(await item(2)).toBeNull();
  });

  it('re-valuates after a payment that partly clears the item', async () => {
    // Paid before the key date (and before the promise below, which it must not count towards).
    const r = await recordPayment(db, { partnerId: '1', itemId: '11', paymentDate: '2026-02-27', amount: '600' });
    expect(r.revaluation).toMatchObject({ onList: true, valuation: 10, asOf: D });
    expect(await item(1)).toMatchObject({ valuation: 10, amount_open: 400, amount_to_be_collected: 400, revaluated: true });
  });

  it('re-valuates after a promise: the promised item leaves the amount to be collected', async () => {
    await createPromise(db, { partnerId: '1', itemId: '11', createdDate: D, promisedDate: '2026-03-10', amount: '400' });
    expect(await item(1)).toMatchObject({ valuation: 10, amount_to_be_collected: 0, amount_promised: 400 });
  });

  it('re-valuates after a contact in which the customer was reached', async () => {
    await recordContact(db, { partnerId: '1', contactDate: D, channel: 'PHONE', direction: 'OUTBOUND', reached: true, result: 'promised' });
    expect(await item(1)).toMatchObject({ valuation: 5 });
  });

  it('takes the partner off the list when a dispute makes the exit rule fire, and back when it is resolved', async () => {
    const opened = await openDispute(db, { partnerId: '1', itemId: '11', createdDate: D, disputedAmount: '400', reason: 'price' });
    expect(opened.revaluation).toMatchObject({ onList: false });
    expect(await item(1)).toBeNull();
    const resolved = await changeDisputeOn(db, D, { disputeId: opened.id, status: 'RESOLVED', resolution: 'CREDIT_MEMO' });
    expect(resolved).toMatchObject({ onList: true, valuation: 5 });
    expect(await item(1)).toMatchObject({ valuation: 5, amount_disputed: 0 });
  });

  it('puts a partner with nothing open on the list for a due resubmission, with the least loaded specialist', async () => {
    const before: Array<{ specialist_id: string; n: number }> = await db.dataSource.query(
      `SELECT specialist_id, count(*)::int AS n FROM worklist_items WHERE run_id = $1 GROUP BY 1 ORDER BY 2, 1`,
      [runId],
    );
    await scheduleResubmission(db, { partnerId: '2', resubmissionDate: D, reason: 'call back' });
    const beta = await item(2);
    expect(beta).toMatchObject({ valuation: 5, amount_open: 0, specialist_origin: 'STANDARD' });
    // Ann and Bob hold one item each (Alpha, Gamma): the tie goes to the lower id.
    expect(before.map((b) => b.n)).toEqual([1, 1]);
    expect(String(beta!.specialist_id)).toBe('1');
  });

  it('takes the partner off the list when a payment clears everything, counting a payment after the key date on its own date', async () => {
    const r = await recordPayment(db, { partnerId: '3', itemId: '31', paymentDate: '2026-03-05', amount: '200' });
    expect(r.revaluation).toMatchObject({ onList: false, asOf: '2026-03-05' });
    expect(await item(3)).toBeNull();
  });

  it('lets a supervisor reassign an item until the next run, which distributes afresh', async () => {
    const moved = await reassignWorklistItem(db, { partnerId: '1', specialistId: '2' });
    expect(moved).toMatchObject({ runId, previousSpecialistId: expect.anything() });
    expect(await item(1)).toMatchObject({ specialist_origin: 'TEMPORARY' });
    expect(String((await item(1))!.specialist_id)).toBe('2');
    // A re-valuation keeps the reassignment.
    await recordContact(db, { partnerId: '1', contactDate: D, channel: 'EMAIL', direction: 'OUTBOUND', reached: false });
    expect(await item(1)).toMatchObject({ specialist_origin: 'TEMPORARY' });
    await expect(reassignWorklistItem(db, { partnerId: '1', specialistId: '77' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(reassignWorklistItem(db, { partnerId: '3', specialistId: '1' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses bad input with the field named and writes nothing', async () => {
    const payments = async () => (await db.dataSource.query(`SELECT count(*)::int AS n FROM payments`))[0].n;
    const n = await payments();
    await expect(recordPayment(db, { partnerId: '1', itemId: '31', paymentDate: D, amount: '5' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { path: 'itemId' },
    });
    await expect(recordPayment(db, { partnerId: '1', paymentDate: '2026-02-30', amount: '5' })).rejects.toMatchObject({ details: { path: 'paymentDate' } });
    await expect(recordPayment(db, { partnerId: '1', paymentDate: D, amount: '-5' })).rejects.toMatchObject({ details: { path: 'amount' } });
    await expect(recordPayment(db, { partnerId: '99', paymentDate: D, amount: '5' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await payments()).toBe(n);
  });
});
