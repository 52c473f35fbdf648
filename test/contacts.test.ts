import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { saveContactResult } from '../packages/server/src/contacts/contact.service';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * Partner 9001 (specialist 91) with an overdue item at D = 2026-03-01 and an imported contact;
 * partner 9002 (specialist 92). Strategy: 10 points when overdue, -5 when reached in the last 7 days.
 */
const D = '2026-03-01';
let db: Database;
let app: RunningApp;
let runId: string;
let admin: string;
let supervisor: string;
let client: string;
let spec91: string;
let spec91b: string;
let spec92: string;

const CREATE = `mutation($input: ContactCreateInput!) { createContact(input: $input) {
  contact { id partnerId contactDate contactTime channel direction contactPerson reached result note authorName authorSpecialistId promiseIds disputeIds resubmissionIds editedAt }
  completedWorklistItem worklistItem { valuation } } }`;
const UPDATE = `mutation($id: ID!, $input: ContactUpdateInput!) { updateContact(id: $id, input: $input) { contact { id reached result note editedAt } completedWorklistItem worklistItem { valuation } } }`;
const base = { contactDate: D, channel: 'PHONE', direction: 'outbound', reached: false };

const live = async (partner: number) =>
  (await query(db, `SELECT valuation, completed_at IS NOT NULL AS completed FROM worklist_items WHERE run_id = $1 AND partner_id = $2`, [runId, partner]))[0] ??
  null;

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(
    db,
    'CON',
    strategyDocument({
      key: 'CON',
      name: 'Contacts',
      rules: [
        rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0)),
        rule('Reached lately', -5, 'condition', when('daysSinceLastContact', 'lessThanInclusive', 7, { reachedOnly: true })),
      ],
    }),
  );
  await insertSegment(db, 'CS', [{ key: 'CS_G', strategyKey: 'CON' }]);
  await insertSpecialist(db, 91, 'CS_G');
  await insertSpecialist(db, 92, 'CS_G');
  await insertPartners(db, [
    { id: 9001, segment: 'CS', specialist: 91 },
    { id: 9002, segment: 'CS', specialist: 92 },
  ]);
  await insertItems(db, [
    { id: 1, partner: 9001, due: '2026-01-01', open: 100 },
    { id: 2, partner: 9002, due: '2026-01-01', open: 100 },
  ]);
  await query(
    db,
    `INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached, result) VALUES ('IMP1', 9002, '2026-02-01', 'PHONE', 'INBOUND', true, 'imported text')`,
  );
  await query(
    db,
    `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status) VALUES ('DQ', 9001, 1, '2026-02-01', 1, 'EUR', 'CLOSED'), ('DR', 9002, 2, '2026-02-01', 1, 'EUR', 'CLOSED')`,
  );
  await saveContactResult(db, { code: 'PROMISED', description: 'Promise to pay taken', completesWorklistItem: true });
  await saveContactResult(db, { code: 'NO_ANSWER', description: 'Nobody answered', completesWorklistItem: false });
  runId = (await runWorklist(db, { segment: 'CS', asOf: D, mode: 'LIVE' })).runId;
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
  supervisor = await createTestToken(db, 'SUPERVISOR');
  client = await createTestToken(db, 'CLIENT');
  spec91 = await createTestToken(db, 'SPECIALIST', '91');
  spec91b = await createTestToken(db, 'SPECIALIST', '91');
  spec92 = await createTestToken(db, 'SPECIALIST', '92');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`contacts (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('records a contact with person, note and links; a non-completing result leaves the worklist item open', async () => {
    expect(await live(9001)).toEqual({ valuation: 10, completed: false });
    const disputeId = String((await query(db, `SELECT id FROM disputes WHERE external_id = 'DQ'`))[0]!.id);
    const { data, errors } = await gql(
      app.url,
      CREATE,
      {
        input: {
          ...base,
          partnerId: '9001',
          contactTime: '09:30',
          contactPerson: 'Ms. Payne',
          result: 'NO_ANSWER',
          note: ' call later ',
          disputeIds: [disputeId],
        },
      },
      spec91,
    );
    expect(errors).toBeUndefined();
    expect(data.createContact.contact).toMatchObject({
      partnerId: '9001',
      contactTime: '09:30:00',
      direction: 'OUTBOUND',
      contactPerson: 'Ms. Payne',
      result: 'NO_ANSWER',
      note: 'call later',
      authorSpecialistId: '91',
      authorName: expect.stringMatching(/^test-specialist-/),
      disputeIds: [disputeId],
      promiseIds: [],
      editedAt: null,
    });
    expect(data.createContact).toMatchObject({ completedWorklistItem: false, worklistItem: { valuation: 10 } });
    expect(await live(9001)).toEqual({ valuation: 10, completed: false });
  });

  it('refuses unknown results, links to another partner, bad times; CLIENT may not record', async () => {
    const otherDispute = String((await query(db, `SELECT id FROM disputes WHERE external_id = 'DR'`))[0]!.id);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ result: 'MAYBE' }, 'result'],
      [{ disputeIds: [otherDispute] }, 'disputeIds'],
      [{ resubmissionIds: ['999'] }, 'resubmissionIds'],
      [{ contactTime: '25:00' }, 'contactTime'],
      [{ direction: 'SIDEWAYS' }, 'direction'],
    ];
    for (const [extra, path] of cases) {
      const { errors } = await gql(app.url, CREATE, { input: { ...base, partnerId: '9001', ...extra } }, spec91);
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path });
    }
    expect((await gql(app.url, CREATE, { input: { ...base, partnerId: '9001' } }, client)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, CREATE, { input: { ...base, partnerId: '9001' } }, spec92)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await query(db, `SELECT count(*)::int AS n FROM contacts WHERE partner_id = 9001`))[0]!.n).toBe(1);
  });

  it('lets only the author edit the last contact: same specialist on another token yes, a supervisor or another specialist no', async () => {
    const [last] = await query(db, `SELECT id::text AS id FROM contacts WHERE partner_id = 9001`);
    const edit = { ...base, reached: true, result: 'NO_ANSWER', note: 'reached after all' };
    const bySupervisor = await gql(app.url, UPDATE, { id: last!.id, input: edit }, supervisor);
    expect(bySupervisor.errors?.[0]).toMatchObject({ message: expect.stringContaining('Only the author'), extensions: { code: 'FORBIDDEN' } });
    expect((await gql(app.url, UPDATE, { id: last!.id, input: edit }, admin)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, UPDATE, { id: last!.id, input: edit }, spec92)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // reached now: the "Reached lately" rule fires on the re-valuation
    const ok = await gql(app.url, UPDATE, { id: last!.id, input: edit }, spec91b);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.updateContact).toMatchObject({
      contact: { id: last!.id, reached: true, note: 'reached after all', editedAt: expect.any(String) },
      worklistItem: { valuation: 5 },
    });
    expect(await live(9001)).toEqual({ valuation: 5, completed: false });
  });

  it('a completing result sets completed_at of the live worklist item; the earlier contact is no longer editable', async () => {
    const [earlier] = await query(db, `SELECT id::text AS id FROM contacts WHERE partner_id = 9001`);
    const { data, errors } = await gql(
      app.url,
      CREATE,
      { input: { ...base, partnerId: '9001', contactTime: '10:00', reached: true, result: 'PROMISED' } },
      spec91,
    );
    expect(errors).toBeUndefined();
    expect(data.createContact.completedWorklistItem).toBe(true);
    expect(await live(9001)).toEqual({ valuation: 5, completed: true });
    const stale = await gql(app.url, UPDATE, { id: earlier!.id, input: { ...base, result: 'NO_ANSWER' } }, spec91);
    expect(stale.errors?.[0]).toMatchObject({ message: expect.stringContaining('Only the last contact'), extensions: { code: 'CONFLICT' } });
    // a later re-valuation keeps the completion
    await gql(
      app.url,
      UPDATE,
      { id: data.createContact.contact.id, input: { ...base, contactTime: '10:00', reached: true, result: 'PROMISED', note: 'amount 100' } },
      spec91,
    );
    expect(await live(9001)).toEqual({ valuation: 5, completed: true });
  });

  it('an imported contact is edited by nobody', async () => {
    const [imported] = await query(db, `SELECT id::text AS id FROM contacts WHERE external_id = 'IMP1'`);
    const { errors } = await gql(app.url, UPDATE, { id: imported!.id, input: base }, spec92);
    expect(errors?.[0]).toMatchObject({ message: expect.stringContaining('imported'), extensions: { code: 'FORBIDDEN' } });
  });

  it('reads contact history and configured results (CLIENT too); configuring results needs ADMIN or CONFIGURATOR', async () => {
    const { data } = await gql(
      app.url,
      `{ contactHistory(partnerId: "9001") { result contactTime } contactResults { code completesWorklistItem } }`,
      {},
      client,
    );
    expect(data.contactHistory).toEqual([
      { result: 'PROMISED', contactTime: '10:00:00' },
      { result: 'NO_ANSWER', contactTime: null },
    ]); // the edit replaced every field, the time too
    expect(data.contactResults).toEqual([
      { code: 'NO_ANSWER', completesWorklistItem: false },
      { code: 'PROMISED', completesWorklistItem: true },
    ]);
    const save = `mutation { saveContactResult(input: { code: "PAID", description: "Says paid", completesWorklistItem: true }) { code } }`;
    expect((await gql(app.url, save, {}, supervisor)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, save, {}, admin)).data.saveContactResult).toEqual({ code: 'PAID' });
  });
});
