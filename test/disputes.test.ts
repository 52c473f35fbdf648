import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { DISPUTE_STATUSES, type DisputeStatus } from '../packages/server/src/disputes/dispute.entity';
import { changeDispute, openDisputeCase, saveRootCause } from '../packages/server/src/disputes/dispute.service';
import { DISPUTE_TRANSITIONS } from '../packages/server/src/disputes/dispute-status';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import {
  changeDisputeOn,
  insertItems,
  insertPartners,
  insertSegment,
  insertSpecialist,
  insertStrategy,
  query,
  rule,
  strategyDocument,
  when,
} from './support/worklist-fixtures';

/**
 * Partner 8001 (specialist 81) with items 1 (1000 EUR, due 01-01) and 2 (500, due 02-01), overdue at
 * D = 2026-03-01; partner 8002 (specialist 82) with item 11. Strategy: 10 points when overdue,
 * 20 more when 1000 or more is to be collected; exit when everything overdue is disputed.
 */
const D = '2026-03-01';
let db: Database;
let app: RunningApp;
let runId: string;
let admin: string;
let client: string;
let spec81: string;
let spec82: string;

const live = async (partner: number) =>
  (
    await query(
      db,
      `SELECT valuation, amount_to_be_collected::float AS collect, amount_disputed::float AS disputed FROM worklist_items WHERE run_id = $1 AND partner_id = $2`,
      [runId, partner],
    )
  )[0] ?? null;

/** A fresh dispute on item 11 of 8002 brought to `status` along a legal path. */
async function disputeIn(status: DisputeStatus): Promise<string> {
  // one open dispute per item: the previous test's goes out of the way first
  await query(db, `UPDATE disputes SET status = 'CLOSED' WHERE item_id = 11`);
  const opened = await openDisputeCase(db, { partnerId: '8002', items: [{ itemId: '11', disputedAmount: '1' }], createdDate: D, reason: 'test' });
  const id = opened.ids[0]!;
  const path: Record<DisputeStatus, Array<[DisputeStatus, Record<string, string>]>> = {
    OPEN: [],
    IN_PROCESS: [['IN_PROCESS', { processorId: '82' }]],
    RESOLVED: [['RESOLVED', { resolution: 'WRITE_OFF' }]],
    REJECTED: [['REJECTED', {}]],
    CLOSED: [['CLOSED', {}]],
  };
  for (const [to, extra] of path[status]) await changeDispute(db, { disputeId: id, status: to, ...extra });
  return id;
}

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(
    db,
    'DSP',
    strategyDocument({
      key: 'DSP',
      name: 'Disputes',
      rules: [
        rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0)),
        rule('Big', 20, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 1000)),
        rule('All disputed', 0, 'exit', when('allOverdueDisputedOrBlocked', 'equal', true)),
      ],
    }),
  );
  await insertSegment(db, 'DSS', [{ key: 'DSS_G', strategyKey: 'DSP' }]);
  await insertSpecialist(db, 81, 'DSS_G');
  await insertSpecialist(db, 82, 'DSS_G');
  await insertPartners(db, [
    { id: 8001, segment: 'DSS', specialist: 81 },
    { id: 8002, segment: 'DSS', specialist: 82 },
  ]);
  await insertItems(db, [
    { id: 1, partner: 8001, due: '2026-01-01', open: 1000 },
    { id: 2, partner: 8001, due: '2026-02-01', open: 500 },
    { id: 11, partner: 8002, due: '2026-02-01', open: 50 },
  ]);
  await saveRootCause(db, { code: 'PRICE', description: 'Wrong price' });
  await saveRootCause(db, { code: 'OLD', description: 'Retired', active: false });
  runId = (await runWorklist(db, { segment: 'DSS', asOf: D, mode: 'LIVE' })).runId;
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  [admin, client, spec81, spec82] = await Promise.all([
    createTestToken(db, 'ADMIN'),
    createTestToken(db, 'CLIENT'),
    createTestToken(db, 'SPECIALIST', '81'),
    createTestToken(db, 'SPECIALIST', '82'),
  ]);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`dispute state machine (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  const legal = DISPUTE_STATUSES.flatMap((from) => DISPUTE_TRANSITIONS[from].map((to) => [from, to] as const));
  const illegal = DISPUTE_STATUSES.flatMap((from) =>
    DISPUTE_STATUSES.filter((to) => to !== from && !DISPUTE_TRANSITIONS[from].includes(to)).map((to) => [from, to] as const),
  );

  it('has the documented transitions', () => {
    expect(DISPUTE_TRANSITIONS).toEqual({
      OPEN: ['IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED'],
      IN_PROCESS: ['OPEN', 'RESOLVED', 'REJECTED'],
      RESOLVED: ['IN_PROCESS', 'CLOSED'],
      REJECTED: ['IN_PROCESS', 'CLOSED'],
      CLOSED: [],
    });
    expect(legal).toHaveLength(11);
    expect(illegal).toHaveLength(9);
  });

  it.each(legal)('allows %s -> %s', async (from, to) => {
    const id = await disputeIn(from);
    const extra = to === 'RESOLVED' ? { resolution: 'CREDIT_MEMO' as const } : to === 'IN_PROCESS' ? { processorId: '82' } : {};
    await changeDispute(db, { disputeId: id, status: to, ...extra });
    const [row] = await query(db, `SELECT status, resolution FROM disputes WHERE id = $1`, [id]);
    expect(row!.status).toBe(to);
    expect(row!.resolution).toBe(
      to === 'RESOLVED' ? 'CREDIT_MEMO' : to === 'REJECTED' ? 'CUSTOMER_PAYS' : to === 'CLOSED' ? (from === 'OPEN' ? null : row!.resolution) : null,
    );
  });

  it.each(illegal)('refuses %s -> %s with CONFLICT naming both states', async (from, to) => {
    const id = await disputeIn(from);
    const error = await changeDispute(db, { disputeId: id, status: to, resolution: to === 'RESOLVED' ? 'CREDIT_MEMO' : undefined, processorId: '82' }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ code: 'CONFLICT', details: { from, to } });
    expect(error.message).toContain(`from ${from} to ${to}`);
    expect((await query(db, `SELECT status FROM disputes WHERE id = $1`, [id]))[0]!.status).toBe(from);
  });

  it('needs a processor for IN_PROCESS and a resolution for RESOLVED; REJECTED is CUSTOMER_PAYS; known active root causes only', async () => {
    const id = await disputeIn('OPEN');
    await expect(changeDispute(db, { disputeId: id, status: 'IN_PROCESS' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { path: 'processorId' },
    });
    await expect(changeDispute(db, { disputeId: id, status: 'RESOLVED' })).rejects.toMatchObject({ details: { path: 'resolution' } });
    await expect(changeDispute(db, { disputeId: id, status: 'REJECTED', resolution: 'WRITE_OFF' })).rejects.toMatchObject({ details: { path: 'resolution' } });
    await expect(changeDispute(db, { disputeId: id, rootCause: 'OLD' })).rejects.toMatchObject({ details: { path: 'rootCause' } });
    await expect(changeDispute(db, { disputeId: id, processorId: '999' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await changeDispute(db, { disputeId: id, rootCause: 'PRICE', processorId: '81' });
    expect((await query(db, `SELECT status, root_cause, processor_id::int AS p FROM disputes WHERE id = $1`, [id]))[0]).toEqual({
      status: 'OPEN',
      root_cause: 'PRICE',
      p: 81,
    });
  });
});

describe(`dispute status history (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  const history = async (id: string) =>
    query(
      db,
      `SELECT changed_on::text AS changed_on, partner_id::int AS partner, status FROM dispute_status_changes WHERE dispute_id = $1 ORDER BY changed_on`,
      [id],
    );
  const today = () => new Date().toISOString().slice(0, 10);

  it("dates each status change with today's business date, the day's last status winning; other changes and refused moves write none", async () => {
    const id = await disputeIn('OPEN');
    expect(await history(id)).toEqual([]); // creation opens a dispute without a row
    await changeDispute(db, { disputeId: id, rootCause: 'PRICE', notes: 'no status change' });
    expect(await history(id)).toEqual([]);
    await changeDispute(db, { disputeId: id, status: 'IN_PROCESS', processorId: '82' });
    expect(await history(id)).toEqual([{ changed_on: today(), partner: 8002, status: 'IN_PROCESS' }]);
    await expect(changeDispute(db, { disputeId: id, status: 'CLOSED' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await history(id)).toEqual([{ changed_on: today(), partner: 8002, status: 'IN_PROCESS' }]);
    await changeDispute(db, { disputeId: id, status: 'RESOLVED', resolution: 'CREDIT_MEMO' });
    expect(await history(id)).toEqual([{ changed_on: today(), partner: 8002, status: 'RESOLVED' }]);
  });

  it('keeps the rows of earlier days and adds one for the day of a later change', async () => {
    const id = await disputeIn('IN_PROCESS');
    await query(db, `UPDATE dispute_status_changes SET changed_on = '2026-03-02' WHERE dispute_id = $1`, [id]);
    await changeDispute(db, { disputeId: id, status: 'REJECTED' });
    await changeDispute(db, { disputeId: id, status: 'CLOSED' });
    expect(await history(id)).toEqual([
      { changed_on: '2026-03-02', partner: 8002, status: 'IN_PROCESS' },
      { changed_on: today(), partner: 8002, status: 'CLOSED' },
    ]);
    const [row] = await query(db, `SELECT status FROM disputes WHERE id = $1`, [id]);
    expect(row!.status).toBe('CLOSED');
  });
});

describe('disputes re-valuate the partner', () => {
  it('opens a dispute on several items: the disputed amounts leave the amount to be collected; the exit rule takes the partner off', async () => {
    expect(await live(8001)).toEqual({ valuation: 30, collect: 1500, disputed: 0 });
    const completed = async () =>
      (await query(db, `SELECT completed_at IS NOT NULL AS done FROM worklist_items WHERE run_id = $1 AND partner_id = 8001`, [runId]))[0]?.done;
    expect(await completed()).toBe(false);
    const one = await openDisputeCase(db, { partnerId: '8001', items: [{ itemId: '2' }], createdDate: D, reason: 'Short delivery', rootCause: 'PRICE' });
    expect(one.revaluation).toMatchObject({ onList: true, valuation: 30 });
    // a dispute opened on the key date works the item: it completes
    expect(await completed()).toBe(true);
    expect(await live(8001)).toEqual({ valuation: 30, collect: 1000, disputed: 500 });
    await expect(openDisputeCase(db, { partnerId: '8001', items: [{ itemId: '2' }], createdDate: D, reason: 'again' })).rejects.toMatchObject({
      details: { path: 'items[0].itemId' },
    });
    await expect(
      openDisputeCase(db, { partnerId: '8001', items: [{ itemId: '1', disputedAmount: '1000.01' }], createdDate: D, reason: 'x' }),
    ).rejects.toMatchObject({ details: { path: 'items[0].disputedAmount' } });
    await expect(openDisputeCase(db, { partnerId: '8001', items: [{ itemId: '11' }], createdDate: D, reason: 'x' })).rejects.toMatchObject({
      details: { path: 'itemId' },
    });
    // everything overdue disputed: off the list
    const both = await changeDisputeOn(db, D, { disputeId: one.ids[0]!, status: 'IN_PROCESS', processorId: '81' });
    expect(both).toMatchObject({ onList: true });
    const two = await openDisputeCase(db, { partnerId: '8001', items: [{ itemId: '1', disputedAmount: '200' }], createdDate: D, reason: 'Damaged' });
    expect(two.revaluation).toMatchObject({ onList: false });
    expect(await live(8001)).toBeNull();
    // rejected: the customer pays, back on the list with the amount to be collected
    const back = await changeDisputeOn(db, D, { disputeId: two.ids[0]!, status: 'REJECTED' });
    expect(back).toMatchObject({ onList: true, valuation: 30 });
    expect(await live(8001)).toEqual({ valuation: 30, collect: 1000, disputed: 500 });
    const resolved = await changeDisputeOn(db, D, { disputeId: one.ids[0]!, status: 'RESOLVED', resolution: 'CREDIT_MEMO' });
    expect(resolved).toMatchObject({ valuation: 30 });
    expect(await live(8001)).toEqual({ valuation: 30, collect: 1500, disputed: 0 });
  });
});

describe('disputes over GraphQL', () => {
  const OPEN = `mutation($input: OpenDisputesInput!) { openDisputes(input: $input) { caseKey disputes { id itemId disputedAmount status reason rootCause createdBy allowedTransitions } worklistItem { valuation amounts { toBeCollected disputed } } } }`;
  const CHANGE = `mutation($input: ChangeDisputeInput!) { changeDispute(input: $input) { dispute { id status processorId resolution } worklistItem { valuation } } }`;

  it('lets the specialist open a dispute on their partner (one case over two items) and move it; others get FORBIDDEN', async () => {
    await query(db, `UPDATE disputes SET status = 'CLOSED' WHERE partner_id = 8001`);
    const { data, errors } = await gql(
      app.url,
      OPEN,
      { input: { partnerId: '8001', items: [{ itemId: '1', disputedAmount: '100' }, { itemId: '2' }], createdDate: D, reason: 'Quality' } },
      spec81,
    );
    expect(errors).toBeUndefined();
    const opened = data.openDisputes;
    expect(opened.disputes.map((d: any) => [d.itemId, d.disputedAmount, d.status])).toEqual([
      ['1', '100.0000', 'OPEN'],
      ['2', '500.0000', 'OPEN'],
    ]);
    expect(opened.disputes[0].allowedTransitions).toEqual(['IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED']);
    expect(opened.disputes[0].createdBy).toMatch(/^test-specialist-/);
    expect(opened.worklistItem).toBeNull();
    const [first] = opened.disputes;
    const other = await gql(app.url, CHANGE, { input: { disputeId: first.id, status: 'IN_PROCESS', processorId: '82' } }, spec82);
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const illegal = await gql(app.url, CHANGE, { input: { disputeId: first.id, status: 'OPEN' } }, spec81);
    expect(illegal.errors).toBeUndefined(); // same status: no transition, nothing to refuse
    const moved = await gql(app.url, CHANGE, { input: { disputeId: first.id, status: 'IN_PROCESS', processorId: '81' } }, spec81);
    expect(moved.data.changeDispute.dispute).toEqual({ id: first.id, status: 'IN_PROCESS', processorId: '81', resolution: null });
    const closed = await gql(app.url, CHANGE, { input: { disputeId: first.id, status: 'CLOSED' } }, admin);
    expect(closed.errors?.[0]).toMatchObject({ message: expect.stringContaining('from IN_PROCESS to CLOSED'), extensions: { code: 'CONFLICT' } });
    const byClient = await gql(app.url, CHANGE, { input: { disputeId: first.id, status: 'OPEN' } }, client);
    expect(byClient.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lists disputes and the state machine for readers; a specialist only for their partners or as processor', async () => {
    const list = `query($p: ID, $proc: ID) { disputeList(partnerId: $p, processorId: $proc, status: ["IN_PROCESS"]) { edges { node { itemId status } } pageInfo { hasNextPage } } }`;
    expect((await gql(app.url, list, { p: '8001' }, client)).data.disputeList.edges.map((e: any) => e.node)).toEqual([{ itemId: '1', status: 'IN_PROCESS' }]);
    expect((await gql(app.url, list, { p: '8001' }, spec82)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, list, {}, spec82)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, list, { proc: '81' }, spec81)).data.disputeList.edges).toHaveLength(1);
    const machine = await gql(app.url, `{ disputeTransitions { from to } disputeRootCauses { code active } }`, {}, client);
    expect(machine.data.disputeTransitions).toContainEqual({ from: 'CLOSED', to: [] });
    expect(machine.data.disputeRootCauses).toEqual([
      { code: 'OLD', active: false },
      { code: 'PRICE', active: true },
    ]);
    const save = `mutation { saveDisputeRootCause(input: { code: "DAMAGE", description: "Damaged goods" }) { code active } }`;
    expect((await gql(app.url, save, {}, spec81)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, save, {}, admin)).data.saveDisputeRootCause).toEqual({ code: 'DAMAGE', active: true });
  });
});

describe('dispute notes', () => {
  const CHANGE = `mutation($input: ChangeDisputeInput!) { changeDispute(input: $input) { dispute { id status reason notes } } }`;
  const audit = async (id: string) =>
    query(db, `SELECT actor_name, actor_role, action, details FROM audit_log WHERE entity_type = 'DISPUTE' AND entity_id = $1 ORDER BY id`, [id]);
  const stored = async (id: string) => (await query(db, `SELECT status, reason, notes FROM disputes WHERE id = $1`, [id]))[0];

  it('keeps the reason the dispute was opened with while notes are written, replaced and cleared, each change audited', async () => {
    const id = await disputeIn('OPEN');
    await changeDispute(db, { disputeId: id, notes: '  Customer sends the delivery note  ' });
    expect(await stored(id)).toEqual({ status: 'OPEN', reason: 'test', notes: 'Customer sends the delivery note' });
    expect(await audit(id)).toEqual([
      { actor_name: 'system', actor_role: 'ADMIN', action: 'UPDATE', details: { changes: { notes: { from: null, to: 'Customer sends the delivery note' } } } },
    ]);

    // Over the API as the partner's specialist: moved and noted in one change, recorded as them.
    const moved = await gql(app.url, CHANGE, { input: { disputeId: id, status: 'IN_PROCESS', processorId: '82', notes: 'Note received, checking' } }, spec82);
    expect(moved.errors).toBeUndefined();
    expect(moved.data.changeDispute.dispute).toEqual({ id, status: 'IN_PROCESS', reason: 'test', notes: 'Note received, checking' });
    const [, second] = await audit(id);
    expect(second).toMatchObject({ actor_name: expect.stringMatching(/^test-specialist-/), actor_role: 'SPECIALIST', action: 'UPDATE' });
    expect((second as { details: { changes: unknown } }).details.changes).toEqual({
      status: { from: 'OPEN', to: 'IN_PROCESS' },
      processor_id: { from: null, to: '82' },
      notes: { from: 'Customer sends the delivery note', to: 'Note received, checking' },
    });

    // Absent notes are kept; nothing changed: no audit row.
    await changeDispute(db, { disputeId: id, status: 'IN_PROCESS' });
    expect(await audit(id)).toHaveLength(2);
    expect((await stored(id))!.notes).toBe('Note received, checking');
    // "" clears them; the reason stays.
    const cleared = await gql(app.url, CHANGE, { input: { disputeId: id, notes: '' } }, admin);
    expect(cleared.data.changeDispute.dispute).toMatchObject({ reason: 'test', notes: null });
    expect(await audit(id)).toHaveLength(3);
  });

  it('refuses notes it cannot keep with BAD_USER_INPUT on notes, the dispute unchanged', async () => {
    const id = await disputeIn('OPEN');
    await changeDispute(db, { disputeId: id, notes: 'kept' });
    const long = await gql(app.url, CHANGE, { input: { disputeId: id, status: 'IN_PROCESS', processorId: '82', notes: 'x'.repeat(4001) } }, admin);
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'notes' });
    const nul = await gql(app.url, CHANGE, { input: { disputeId: id, notes: 'a\u0000b' } }, admin);
    expect(nul.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const byClient = await gql(app.url, CHANGE, { input: { disputeId: id, notes: 'client' } }, client);
    expect(byClient.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await stored(id)).toEqual({ status: 'OPEN', reason: 'test', notes: 'kept' });
    expect(await audit(id)).toHaveLength(1);
    // The most a dispute keeps is accepted.
    const most = await gql(app.url, CHANGE, { input: { disputeId: id, notes: 'y'.repeat(4000) } }, admin);
    expect(most.data.changeDispute.dispute.notes).toHaveLength(4000);
  });
});
