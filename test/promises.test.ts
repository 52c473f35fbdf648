import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Before the services: it loads reflect-metadata (as the app's entry points do), which the type-graphql types the services reach need.
import { openTestDatabase } from './support/database';
import { factKey, factRowsSql } from '../packages/rules/src/index';
import type { Database } from '../packages/server/src/db/database';
import { judgeAll } from '../packages/server/src/promises/promise-judging.service';
import { promiseStatusSql } from '../packages/server/src/promises/promise-status';
import { cancelPromise, createPromises, renewPromise, splitPromise } from '../packages/server/src/promises/promise.service';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { insertItems, insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * Promises to pay (issue 6): status at boundary dates, splitting, cancelling, renewing, the
 * judging run, and the re-valuation of the live worklist item. Partner 7001 (company code 1000:
 * tolerance 3 days; 2000: 7 days).
 */
let db: Database;
let runId: string;
const P = '7001';

const status = async (id: string, asOf: string): Promise<string> => {
  const [row] = await query(db, `SELECT status FROM (${promiseStatusSql('$1::date', 'q.id = $2')}) s`, [asOf, id]);
  return row!.status as string;
};
const promiseRow = async (id: string) => (await query(db, `SELECT * FROM promises WHERE id = $1`, [id]))[0]!;
const liveItem = async (partnerId: string) =>
  (
    await query(
      db,
      `SELECT valuation, amount_promised::float8 AS promised, amount_to_be_collected::float8 AS tbc FROM worklist_items WHERE run_id = $1 AND partner_id = $2`,
      [runId, partnerId],
    )
  )[0] ?? null;
const partnerOf = (itemId: number) => (itemId >= 720 ? '7002' : P);
const pay = (itemId: number, date: string, amount: number) =>
  query(db, `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ($1, $2, $3, $4, $5, 'EUR')`, [
    `Y-${itemId}-${date}`,
    partnerOf(itemId),
    itemId,
    date,
    amount,
  ]);
const promise = async (itemId: number, created: string, promised: string, amount: string) =>
  (await createPromises(db, { partnerId: partnerOf(itemId), itemIds: [String(itemId)], createdDate: created, promisedDate: promised, amount })).ids[0]!;

beforeAll(async () => {
  db = await openTestDatabase();
  const document = strategyDocument({
    key: 'PROM',
    name: 'Promises',
    rules: [
      rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0)),
      rule('Broken', 30, 'condition', when('brokenPromises', 'greaterThanInclusive', 1)),
    ],
  });
  await insertStrategy(db, 'PROM', document);
  await insertSegment(db, 'PQ', [{ key: 'PQ_G', strategyKey: 'PROM' }]);
  await insertSpecialist(db, 951, 'PQ_G');
  await query(db, `INSERT INTO company_codes (code, name, promise_tolerance_days) VALUES ('1000', 'Main', 3), ('2000', 'Slow', 7)`);
  await insertPartners(db, [
    { id: 7001, segment: 'PQ' },
    { id: 7002, segment: 'PQ' },
    { id: 7003, segment: 'PQ' },
  ]);
  await insertItems(db, [
    // boundary scenarios, one item each
    { id: 701, partner: 7001, due: '2026-02-01', open: 100 },
    { id: 702, partner: 7001, due: '2026-02-01', open: 100 },
    { id: 703, partner: 7001, due: '2026-02-01', open: 100 },
    { id: 704, partner: 7001, due: '2026-02-01', open: 100, company: '2000' },
    { id: 705, partner: 7001, due: '2026-02-01', open: 100 },
    { id: 706, partner: 7001, due: '2026-02-01', open: 100 },
    // splitting and transitions (partner 7002)
    { id: 721, partner: 7002, due: '2026-01-01', open: 100 },
    { id: 722, partner: 7002, due: '2026-02-01', open: 50 },
    { id: 723, partner: 7002, due: '2026-03-01', open: 80 },
    { id: 724, partner: 7002, due: '2026-01-15', open: 500 },
    { id: 725, partner: 7002, due: '2026-01-15', open: 500 },
    { id: 726, partner: 7002, due: '2026-01-15', open: 500 },
    // completing the worklist item (partner 7003)
    { id: 731, partner: 7003, due: '2026-01-10', open: 300 },
  ]);
  runId = (await runWorklist(db, { segment: 'PQ', asOf: '2026-03-01', mode: 'LIVE' })).runId;
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe('promise status at a key date (DESIGN.md)', () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    ids = {
      onEdge: await promise(701, '2026-03-01', '2026-03-10', '100'),
      dayLate: await promise(702, '2026-03-01', '2026-03-10', '100'),
      partial: await promise(703, '2026-03-01', '2026-03-10', '100'),
      slowCode: await promise(704, '2026-03-01', '2026-03-10', '100'),
      paidBefore: await promise(705, '2026-03-01', '2026-03-10', '100'),
      cancelled: await promise(706, '2026-03-01', '2026-03-10', '100'),
    };
    await pay(701, '2026-03-13', 100); // promised date + 3 days: still counts
    await pay(702, '2026-03-14', 100); // one day later: does not
    await pay(703, '2026-03-05', 40);
    await pay(704, '2026-03-17', 100); // company code 2000: 7 days
    await pay(705, '2026-02-28', 100); // before the promise was made
    await cancelPromise(db, { promiseId: ids.cancelled!, cancelledDate: '2026-03-02' });
  });

  it('keeps a promise paid on promised date + tolerance, and only from the payment date on', async () => {
    expect(await status(ids.onEdge!, '2026-03-12')).toBe('OPEN');
    expect(await status(ids.onEdge!, '2026-03-13')).toBe('KEPT');
    expect(await status(ids.onEdge!, '2026-04-30')).toBe('KEPT');
  });

  it('breaks a promise paid one day after the tolerance: the late payment does not count', async () => {
    expect(await status(ids.dayLate!, '2026-03-13')).toBe('OPEN');
    expect(await status(ids.dayLate!, '2026-03-14')).toBe('BROKEN');
    expect(await status(ids.dayLate!, '2026-06-01')).toBe('BROKEN');
  });

  it('judges a partial payment PARTIALLY_KEPT once the tolerance has passed', async () => {
    expect(await status(ids.partial!, '2026-03-13')).toBe('OPEN');
    expect(await status(ids.partial!, '2026-03-14')).toBe('PARTIALLY_KEPT');
  });

  it("uses the item's company code tolerance (7 days for 2000)", async () => {
    expect(await status(ids.slowCode!, '2026-03-16')).toBe('OPEN');
    expect(await status(ids.slowCode!, '2026-03-17')).toBe('KEPT');
  });

  it('does not count a payment made before the promise', async () => {
    expect(await status(ids.paidBefore!, '2026-03-13')).toBe('OPEN');
    expect(await status(ids.paidBefore!, '2026-03-14')).toBe('BROKEN');
  });

  it('a cancelled promise is CANCELLED whatever the date', async () => {
    expect(await status(ids.cancelled!, '2026-03-05')).toBe('CANCELLED');
    expect(await promiseRow(ids.cancelled!)).toMatchObject({ cancelled: true, cancelled_date: '2026-03-02', judged_status: 'CANCELLED' });
  });

  it('agrees with the facts the worklist scores with (brokenPromises, keptPromiseRatio, promisedAmount)', async () => {
    for (const asOf of ['2026-03-12', '2026-03-13', '2026-03-14', '2026-03-17', '2026-04-30']) {
      const sql = factRowsSql([factKey('brokenPromises'), factKey('keptPromiseRatio'), factKey('promisedAmount')], { currency: 'EUR', asOf, partnerIds: [P] });
      const [facts] = await query(db, sql.text, sql.values);
      const rows = await query(db, `SELECT status, amount FROM (${promiseStatusSql('$1::date', 'q.partner_id = $2')}) s JOIN promises USING (id)`, [asOf, P]);
      const n = (s: string) => rows.filter((r) => r.status === s).length;
      expect(Number(facts!.f_brokenpromises_withindays_365)).toBe(n('BROKEN'));
      const judged = n('KEPT') + n('PARTIALLY_KEPT') + n('BROKEN');
      expect(facts!.f_keptpromiseratio === null ? null : Number(facts!.f_keptpromiseratio)).toBe(judged ? n('KEPT') / judged : null);
      expect(Number(facts!.f_promisedamount)).toBe(rows.filter((r) => r.status === 'OPEN').reduce((s, r) => s + Number(r.amount), 0));
    }
  });

  it('the judging run stores each status and its date; re-running at a later date updates them', async () => {
    const r = await judgeAll(db, { asOf: '2026-03-13', batchSize: 2 });
    expect(r.promiseStatuses).toMatchObject({ KEPT: 1, OPEN: 4, CANCELLED: 1 });
    expect(await promiseRow(ids.onEdge!)).toMatchObject({ judged_status: 'KEPT', judged_at: '2026-03-13' });
    expect(await promiseRow(ids.dayLate!)).toMatchObject({ judged_status: 'OPEN', judged_at: '2026-03-13' });
    const later = await judgeAll(db, { asOf: '2026-03-20' });
    expect(later.promiseStatuses).toEqual({ KEPT: 2, BROKEN: 2, PARTIALLY_KEPT: 1, CANCELLED: 1 });
    expect(await promiseRow(ids.dayLate!)).toMatchObject({ judged_status: 'BROKEN', judged_at: '2026-03-20' });
    expect(await promiseRow(ids.partial!)).toMatchObject({ judged_status: 'PARTIALLY_KEPT' });
  });
});

describe('promises over several items', () => {
  it('splits by due date, oldest first, up to each open amount', () => {
    const items = [
      { id: '1', open_amount: '100' },
      { id: '2', open_amount: '50' },
      { id: '3', open_amount: '80' },
    ];
    expect(splitPromise('170', items, 'BY_DUE_DATE')).toEqual(['100.0000', '50.0000', '20.0000']);
    expect(() => splitPromise('230.01', items, 'BY_DUE_DATE')).toThrow(/exceeds the open amount 230.0000/);
  });

  it('splits evenly in whole cents, the remainder cents and sub-cent rest to the oldest items', () => {
    const items = [
      { id: '1', open_amount: '100' },
      { id: '2', open_amount: '50' },
      { id: '3', open_amount: '80' },
    ];
    expect(splitPromise('100.01', items, 'EVENLY')).toEqual(['33.3400', '33.3400', '33.3300']);
    expect(splitPromise('10.0001', items, 'EVENLY')).toEqual(['3.3401', '3.3300', '3.3300']);
    expect(() => splitPromise('180', items, 'EVENLY')).toThrow(/exceeds the open amount 50.0000 of item 2/);
  });

  it('creates one promise per item sharing a group, in the order of due dates, and re-valuates the partner', async () => {
    const before = await liveItem('7002');
    expect(before).toMatchObject({ promised: 0 });
    const r = await createPromises(db, {
      partnerId: '7002',
      itemIds: ['723', '721', '722'],
      createdDate: '2026-03-01',
      promisedDate: '2026-03-20',
      amount: '100.01',
      distribution: 'EVENLY',
    });
    const rows = await query(
      db,
      `SELECT item_id::int AS item, amount::text AS amount, group_id::text AS g, level FROM promises WHERE group_id = $1 ORDER BY id`,
      [r.groupId],
    );
    expect(rows).toEqual([
      { item: 721, amount: '33.3400', g: r.groupId, level: 1 },
      { item: 722, amount: '33.3400', g: r.groupId, level: 1 },
      { item: 723, amount: '33.3300', g: r.groupId, level: 1 },
    ]);
    expect(r.revaluation).toMatchObject({ onList: true });
    expect(await liveItem('7002')).toMatchObject({ promised: 100.01 });
    await expect(
      createPromises(db, { partnerId: '7002', itemIds: ['721', '722'], createdDate: '2026-03-01', promisedDate: '2026-03-20', amount: '151' }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { path: 'amount' } });
    await expect(
      createPromises(db, { partnerId: '7002', itemIds: ['701'], createdDate: '2026-03-01', promisedDate: '2026-03-20', amount: '1' }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { path: 'itemIds' } });
    await expect(
      createPromises(db, { partnerId: '7002', itemIds: ['721'], createdDate: '2026-03-01', promisedDate: '2026-02-20', amount: '1' }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { path: 'promisedDate' } });
  });
});

describe('working the list', () => {
  const completed = async (partnerId: string) =>
    (await query(db, `SELECT completed_at IS NOT NULL AS done FROM worklist_items WHERE run_id = $1 AND partner_id = $2`, [runId, partnerId]))[0]?.done;

  it('a promise made on or after the key date completes the live item; one recorded from before does not', async () => {
    expect(await completed('7003')).toBe(false);
    await createPromises(db, { partnerId: '7003', itemIds: ['731'], createdDate: '2026-02-20', promisedDate: '2026-02-25', amount: '10' });
    expect(await completed('7003')).toBe(false);
    const r = await createPromises(db, { partnerId: '7003', itemIds: ['731'], createdDate: '2026-03-02', promisedDate: '2026-03-20', amount: '50' });
    expect(r.revaluation).toMatchObject({ onList: true });
    expect(await completed('7003')).toBe(true);
  });
});

describe('promise transitions', () => {
  it('cancels only an OPEN promise; the worklist item loses the promised amount', async () => {
    const id = await promise(724, '2026-03-01', '2026-03-10', '200');
    expect(await liveItem('7002')).toMatchObject({ promised: 300.01 });
    await cancelPromise(db, { promiseId: id, cancelledDate: '2026-03-02' });
    expect(await liveItem('7002')).toMatchObject({ promised: 100.01 });
    await expect(cancelPromise(db, { promiseId: id, cancelledDate: '2026-03-03' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/is CANCELLED/),
    });
    await expect(cancelPromise(db, { promiseId: '999999', cancelledDate: '2026-03-03' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to cancel a KEPT or BROKEN promise, naming the state', async () => {
    const kept = await promise(725, '2026-03-01', '2026-03-10', '100');
    await pay(725, '2026-03-05', 100);
    await expect(cancelPromise(db, { promiseId: kept, cancelledDate: '2026-03-06' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/is KEPT at 2026-03-06/),
    });
    const broken = await promise(726, '2026-03-01', '2026-03-05', '100');
    await expect(cancelPromise(db, { promiseId: broken, cancelledDate: '2026-03-09' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/is BROKEN/),
    });
    // renewing: KEPT refused; BROKEN renewed at level 2, the old one stays BROKEN
    await expect(renewPromise(db, { promiseId: kept, createdDate: '2026-03-06', promisedDate: '2026-03-30' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/is KEPT/),
    });
    const renewed = await renewPromise(db, { promiseId: broken, createdDate: '2026-03-09', promisedDate: '2026-03-30' });
    expect(renewed).toMatchObject({ level: 2, supersededId: null });
    expect(await promiseRow(renewed.id)).toMatchObject({ level: 2, renewed_from_id: broken, amount: '100.0000', cancelled: false });
    expect(await status(broken, '2026-03-09')).toBe('BROKEN');
    await expect(renewPromise(db, { promiseId: broken, createdDate: '2026-03-09', promisedDate: '2026-03-30' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already been renewed/),
    });
  });

  it('renewing an OPEN promise supersedes it (CANCELLED) with level + 1 for what is unpaid; a renewal renews again', async () => {
    const id = await promise(724, '2026-03-03', '2026-03-20', '300');
    await pay(724, '2026-03-04', 120);
    const r = await renewPromise(db, { promiseId: id, createdDate: '2026-03-05', promisedDate: '2026-04-05' });
    expect(r).toMatchObject({ level: 2, supersededId: id });
    expect(await promiseRow(id)).toMatchObject({ cancelled: true, cancelled_date: '2026-03-05' });
    expect(await promiseRow(r.id)).toMatchObject({ level: 2, renewed_from_id: id, amount: '180.0000', item_id: '724' });
    const again = await renewPromise(db, { promiseId: r.id, createdDate: '2026-03-06', promisedDate: '2026-04-10', amount: '150' });
    expect(await promiseRow(again.id)).toMatchObject({ level: 3, amount: '150.0000' });
    await expect(renewPromise(db, { promiseId: id, createdDate: '2026-03-06', promisedDate: '2026-04-10' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(renewPromise(db, { promiseId: again.id, createdDate: '2026-03-06', promisedDate: '2026-03-01' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { path: 'promisedDate' },
    });
  });
});
