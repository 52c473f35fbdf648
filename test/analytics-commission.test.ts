import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { createApiToken } from '../packages/server/src/auth/auth.service';
import { createTestToken, gql } from './support/api';
import { insertLedger, insertPayment } from './support/analytics-ledger';
import { openTestDatabase } from './support/database';
import { query } from './support/worklist-fixtures';

/**
 * Commission over March 2026 on the ledger (support/analytics-ledger.ts), within 7 days:
 *   contacts: K1 partner 1 by specialist 1 on 03-01; K2 partner 2 by specialist 2 on 03-02;
 *   K3 partner 2 by specialist 1 on 03-04; K4 partner 3 by specialist 2 on 03-20, obtaining promise Q1 made 03-21.
 *   payments: A 600 by partner 1 on 03-15 (K1 14 days before: none); E 250 by partner 2 on 03-05 (K3, 1 day: specialist 1,
 *   the latest, not K2); 100 on account by partner 1 on 03-06 (K1, 5 days: specialist 1); 50 USD by partner 3 on 03-25
 *   (Q1 4 days, K4 5 days: specialist 2; x 0.8 = 40).
 * Specialist 1: 2 partners, 2 payments, 350; specialist 2: 1, 1, 40; total 390.
 * Within 3 days: only E's 250 (specialist 1).
 */
const COMMISSION = `query ($filter: AnalyticsFilter!, $withinDays: Int) {
  analyticsCommission(filter: $filter, withinDays: $withinDays) { withinDays rule total lines { specialist { key label } partners payments amount } }
}`;
const CLOSE = `mutation ($withinDays: Int, $from: Date!, $to: Date!) {
  closeCommissionSettlement(from: $from, to: $to, currency: "EUR", withinDays: $withinDays) { id from to total closedBy lines { specialist { key label } amount } }
}`;
const BY_PERIOD = `query ($filter: AnalyticsFilter!, $granularity: AnalyticsGranularity) {
  analyticsCommissionByPeriod(filter: $filter, withinDays: 7, granularity: $granularity) { periods { from to total lines { specialist { label } partners payments amount } } }
}`;
const FILTER = { from: '2026-03-01', to: '2026-03-31', currency: 'EUR' };

let db: Database;
let app: RunningApp;
let admin: string;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await startApp(db, 0);
  await insertLedger(db);
  await query(
    db,
    `INSERT INTO promises (id, external_id, partner_id, created_date, promised_date, amount, currency) VALUES (1, 'Q1', 3, '2026-03-21', '2026-03-31', 50, 'USD')`,
  );
  await query(
    db,
    `INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached, author_specialist_id, promise_ids) VALUES
     ('K1', 1, '2026-03-01', 'PHONE', 'OUTBOUND', true, 1, NULL), ('K2', 2, '2026-03-02', 'PHONE', 'OUTBOUND', true, 2, NULL),
     ('K3', 2, '2026-03-04', 'EMAIL', 'OUTBOUND', true, 1, NULL), ('K4', 3, '2026-03-20', 'PHONE', 'OUTBOUND', true, 2, '{1}')`,
  );
  await insertPayment(db, 13, 1, null, '2026-03-06', 100);
  await insertPayment(db, 14, 3, null, '2026-03-25', 50, 'USD');
  admin = await createTestToken(db, 'ADMIN');
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const report = (variables: Record<string, unknown>, token = admin) => gql(app.url, COMMISSION, { filter: FILTER, withinDays: 7, ...variables }, token);
const lines = (r: any) => r.lines.map((l: any) => [l.specialist.label, l.partners, l.payments, l.amount]);

describe('analyticsCommission and closing a settlement', () => {
  it('credits each payment to the specialist of the latest contact or promise within N days, as worked out by hand', async () => {
    const { data, errors } = await report({});
    expect(errors).toBeUndefined();
    expect(lines(data.analyticsCommission)).toEqual([
      ['Specialist 1', 2, 2, '350.0000'],
      ['Specialist 2', 1, 1, '40.0000'],
    ]);
    expect(data.analyticsCommission.total).toBe('390.0000');
    expect(data.analyticsCommission.rule).toContain('7 days before the payment');
    expect(lines((await report({ withinDays: 3 })).data.analyticsCommission)).toEqual([['Specialist 1', 1, 1, '250.0000']]);
    expect((await report({ withinDays: 400 })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BAD_ARGUMENT', path: 'withinDays' });
  });

  it('shows a specialist their own line only', async () => {
    const specialist2 = await createTestToken(db, 'SPECIALIST', '2');
    expect(lines((await report({}, specialist2)).data.analyticsCommission)).toEqual([['Specialist 2', 1, 1, '40.0000']]);
  });

  it('breaks the period down per month or week in one query, each unit cut to the period, as worked out by hand', async () => {
    const periods = async (filter: object, granularity: string) => {
      const { data, errors } = await gql(app.url, BY_PERIOD, { filter: { ...FILTER, ...filter }, granularity }, admin);
      expect(errors).toBeUndefined();
      return data.analyticsCommissionByPeriod.periods.map((u: any) => [u.from, u.to, u.total, lines(u)]);
    };
    // February has no credited payment (the contacts start on 03-01); March is the whole-period figure.
    expect(await periods({ from: '2026-02-15' }, 'MONTH')).toEqual([
      ['2026-02-15', '2026-02-28', '0.0000', []],
      [
        '2026-03-01',
        '2026-03-31',
        '390.0000',
        [
          ['Specialist 1', 2, 2, '350.0000'],
          ['Specialist 2', 1, 1, '40.0000'],
        ],
      ],
    ]);
    // ISO weeks: 03-01 is a Sunday (its week cut to that day); E and the 100 on account fall in 03-02..03-08, the USD payment in 03-23..03-29.
    const weeks = await periods({}, 'WEEK');
    expect(weeks.map((w: any[]) => w.slice(0, 2))).toEqual([
      ['2026-03-01', '2026-03-01'],
      ['2026-03-02', '2026-03-08'],
      ['2026-03-09', '2026-03-15'],
      ['2026-03-16', '2026-03-22'],
      ['2026-03-23', '2026-03-29'],
      ['2026-03-30', '2026-03-31'],
    ]);
    expect(weeks.filter((w: any[]) => w[3].length).map((w: any[]) => [w[0], w[2], w[3]])).toEqual([
      ['2026-03-02', '350.0000', [['Specialist 1', 2, 2, '350.0000']]],
      ['2026-03-23', '40.0000', [['Specialist 2', 1, 1, '40.0000']]],
    ]);
  });

  it('closes a period once: frozen lines, audited, an overlapping period refused, a period not ended refused, not by a SPECIALIST', async () => {
    const specialist = await createTestToken(db, 'SPECIALIST', '1');
    expect((await gql(app.url, CLOSE, { from: '2026-03-01', to: '2026-03-31', withinDays: 7 }, specialist)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const today = new Date().toISOString().slice(0, 10);
    const unended = await gql(app.url, CLOSE, { from: `${today.slice(0, 8)}01`, to: today }, admin);
    expect(unended.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PERIOD_NOT_ENDED', path: 'to' });
    expect(await query(db, `SELECT id FROM commission_settlements`)).toEqual([]);
    const supervisor = await createTestToken(db, 'SUPERVISOR');
    const closed = await gql(app.url, CLOSE, { from: '2026-03-01', to: '2026-03-31', withinDays: 7 }, admin);
    expect(closed.errors).toBeUndefined();
    const settlement = closed.data.closeCommissionSettlement;
    expect([settlement.from, settlement.to, settlement.total, settlement.lines.map((l: any) => l.amount)]).toEqual([
      '2026-03-01',
      '2026-03-31',
      '390.0000',
      ['350.0000', '40.0000'],
    ]);
    const overlap = await gql(app.url, CLOSE, { from: '2026-03-31', to: '2026-04-30' }, admin);
    expect(overlap.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', settlement: settlement.id });
    // A payment posted afterwards changes the live figures, not the closed settlement.
    await insertPayment(db, 15, 2, null, '2026-03-06', 10);
    expect((await report({})).data.analyticsCommission.total).toBe('400.0000');
    const listed = await gql(app.url, `{ commissionSettlements { id total lines { amount } } }`, {}, supervisor);
    expect(listed.data.commissionSettlements).toEqual([{ id: settlement.id, total: '390.0000', lines: [{ amount: '350.0000' }, { amount: '40.0000' }] }]);
    const [audit] = await query(db, `SELECT action, details->>'total' AS total FROM audit_log WHERE entity_type = 'COMMISSION_SETTLEMENT' AND entity_id = $1`, [
      settlement.id,
    ]);
    expect(audit).toEqual({ action: 'CLOSE', total: '390.0000' });
  });

  it('lets a SUPERVISOR close their groups’ settlement only: audited, overlapping groups refused, the department’s refused over it', async () => {
    // April: specialist 2 calls partner 3 on 04-02, who pays 20 EUR on 04-03; specialist 1 calls partner 1 on 04-05, who pays 30 on 04-06.
    await query(
      db,
      `INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached, author_specialist_id) VALUES
       ('K5', 3, '2026-04-02', 'PHONE', 'OUTBOUND', true, 2), ('K6', 1, '2026-04-05', 'PHONE', 'OUTBOUND', true, 1)`,
    );
    await insertPayment(db, 16, 3, null, '2026-04-03', 20);
    await insertPayment(db, 17, 1, null, '2026-04-06', 30);
    const g2 = (await createApiToken(db, { name: 'sup-close-g2', role: 'SUPERVISOR', groups: ['ALS_G2'] })).token;
    const g1 = (await createApiToken(db, { name: 'sup-close-g1', role: 'SUPERVISOR', groups: ['ALS_G1'] })).token;
    const april = { from: '2026-04-01', to: '2026-04-30', withinDays: 7 };
    const closeAs = async (token: string) => gql(app.url, CLOSE.replace('closedBy', 'closedBy groups'), april, token);
    const byG2 = await closeAs(g2);
    expect(byG2.errors).toBeUndefined();
    expect(byG2.data.closeCommissionSettlement).toMatchObject({
      total: '20.0000',
      groups: ['ALS_G2'],
      lines: [{ specialist: { label: 'Specialist 2' }, amount: '20.0000' }],
    });
    expect((await closeAs(g2)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await closeAs(admin)).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', settlement: byG2.data.closeCommissionSettlement.id });
    const byG1 = await closeAs(g1);
    expect(byG1.data.closeCommissionSettlement).toMatchObject({
      total: '30.0000',
      groups: ['ALS_G1'],
      lines: [{ specialist: { label: 'Specialist 1' }, amount: '30.0000' }],
    });
    const [audit] = await query(db, `SELECT details->'groups' AS groups FROM audit_log WHERE entity_type = 'COMMISSION_SETTLEMENT' AND entity_id = $1`, [
      byG2.data.closeCommissionSettlement.id,
    ]);
    expect(audit).toEqual({ groups: ['ALS_G2'] });
    // G2's supervisor lists the department's March and their own April, not G1's.
    const listed = await gql(app.url, `{ commissionSettlements { from groups total } }`, {}, g2);
    expect(listed.data.commissionSettlements).toEqual([
      { from: '2026-04-01', groups: ['ALS_G2'], total: '20.0000' },
      { from: '2026-03-01', groups: null, total: '390.0000' },
    ]);
  });
});
