import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { insertLedger, ITEMS } from './support/analytics-ledger';
import { openTestDatabase } from './support/database';
import { query } from './support/worklist-fixtures';

/**
 * Contacts on the ledger's partners (support/analytics-ledger.ts) in February and March 2026:
 *   K1 partner 1, 02-15, PHONE OUTBOUND reached, PROMISE, by specialist 1, links promise 1
 *   K2 partner 1, 02-20, PHONE OUTBOUND not reached, no result, by specialist 1
 *   K3 partner 2, 03-03, EMAIL OUTBOUND reached, PROMISE, no author (imported: partner 2's specialist 1),
 *      links nothing: partner 2's promise 2 made that day counts
 *   K4 partner 3, 03-10, PHONE INBOUND reached, CALLBACK, by specialist 2
 *   K5 partner 3, 03-11, LETTER OUTBOUND not reached, no result, by specialist 1
 *   K6 partner 1, 01-20: before the period.
 * 5 contacts, 3 reached (60 %), promises obtained 2 (1 and 2): 2.50 contacts per promise.
 */
const CONTACTS = `query ($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy) {
  analyticsContacts(filter: $filter, groupBy: $groupBy) {
    totalGroups
    rows { group { key label } contacts reached reachPercent promisesObtained contactsPerPromise
      byChannel { key contacts reached reachPercent } byDirection { key contacts reached } byResult { key contacts } }
  }
}`;
const FILTER = { from: '2026-02-01', to: '2026-03-31', currency: 'EUR' };

let db: Database;
let app: RunningApp;
let admin: string;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await startApp(db, 0);
  await insertLedger(db);
  await query(
    db,
    `INSERT INTO promises (id, external_id, partner_id, item_id, created_date, promised_date, amount, currency) VALUES
     (1, 'Q1', 1, $1, '2026-02-15', '2026-03-01', 100, 'EUR'), (2, 'Q2', 2, $2, '2026-03-03', '2026-03-20', 100, 'EUR')`,
    [ITEMS.B, ITEMS.C],
  );
  const contacts: Array<[number, number, string, string, string, boolean, string | null, number | null, string[] | null]> = [
    [1, 1, '2026-02-15', 'PHONE', 'OUTBOUND', true, 'PROMISE', 1, ['1']],
    [2, 1, '2026-02-20', 'PHONE', 'OUTBOUND', false, null, 1, null],
    [3, 2, '2026-03-03', 'EMAIL', 'OUTBOUND', true, 'PROMISE', null, null],
    [4, 3, '2026-03-10', 'PHONE', 'INBOUND', true, 'CALLBACK', 2, null],
    [5, 3, '2026-03-11', 'LETTER', 'OUTBOUND', false, null, 1, null],
    [6, 1, '2026-01-20', 'PHONE', 'OUTBOUND', true, null, 1, null],
  ];
  for (const [id, partner, date, channel, direction, reached, result, author, promiseIds] of contacts) {
    await query(
      db,
      `INSERT INTO contacts (id, external_id, partner_id, contact_date, channel, direction, reached, result, author_specialist_id, promise_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, `K${id}`, partner, date, channel, direction, reached, result, author, promiseIds],
    );
  }
  admin = await createTestToken(db, 'ADMIN');
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const report = (variables: Record<string, unknown>, token = admin) => gql(app.url, CONTACTS, { filter: FILTER, ...variables }, token);

describe('analyticsContacts', () => {
  it('counts contacts by channel, direction and result with the reach rate and contacts per promise, as worked out by hand', async () => {
    const { data, errors } = await report({});
    expect(errors).toBeUndefined();
    const [all] = data.analyticsContacts.rows;
    expect([all.contacts, all.reached, all.reachPercent, all.promisesObtained, all.contactsPerPromise]).toEqual([5, 3, '60.00', 2, '2.50']);
    expect(all.byChannel).toEqual([
      { key: 'PHONE', contacts: 3, reached: 2, reachPercent: '66.67' },
      { key: 'EMAIL', contacts: 1, reached: 1, reachPercent: '100.00' },
      { key: 'LETTER', contacts: 1, reached: 0, reachPercent: '0.00' },
    ]);
    expect(all.byDirection).toEqual([
      { key: 'OUTBOUND', contacts: 4, reached: 2 },
      { key: 'INBOUND', contacts: 1, reached: 1 },
    ]);
    expect(all.byResult).toEqual([
      { key: 'PROMISE', contacts: 2 },
      { key: null, contacts: 2 },
      { key: 'CALLBACK', contacts: 1 },
    ]);
  });

  it('attributes contacts to their author, else to the partner’s specialist', async () => {
    const rows = (await report({ groupBy: 'SPECIALIST' })).data.analyticsContacts.rows;
    expect(rows.map((r: any) => [r.group.label, r.contacts, r.reached, r.promisesObtained, r.contactsPerPromise])).toEqual([
      ['Specialist 1', 4, 2, 2, '2.00'],
      ['Specialist 2', 1, 1, 0, null],
    ]);
  });

  it('scopes a specialist to their own contacts and a supervisor to their groups’ partners', async () => {
    const specialist2 = await createTestToken(db, 'SPECIALIST', '2');
    expect((await report({}, specialist2)).data.analyticsContacts.rows.map((r: any) => r.contacts)).toEqual([1]);
    const supervisor = (await createApiToken(db, { name: 'sup-g2', role: 'SUPERVISOR', groups: ['ALS_G2'] })).token;
    const rows = (await report({ groupBy: 'SPECIALIST' }, supervisor)).data.analyticsContacts.rows;
    expect(rows.map((r: any) => [r.group.key, r.contacts])).toEqual([
      ['1', 1],
      ['2', 1],
    ]);
  });

  it('refuses groupings it does not take', async () => {
    const { errors } = await report({ groupBy: 'COMPANY_CODE' });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'GROUP_BY_NOT_SUPPORTED', path: 'groupBy' });
  });
});
