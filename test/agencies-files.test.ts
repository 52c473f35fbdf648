import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAgencyPayment, closeAgencySettlement, exportPlacementFile } from '../packages/server/src/agencies';
import { placeItems, recallPlacement } from '../packages/server/src/agencies/placement.service';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { verifyFacts } from '../packages/server/src/facts/facts.service';
import { directorySources, exportOrganisation, ImportError, importAr } from '../packages/server/src/import';
import { createTestToken, gql } from './support/api';
import { count, openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment } from './support/worklist-fixtures';

/**
 * Issue 22's files and money: agencies.csv through the org import and export, the placement file
 * across two exports (only what changed since the last), agency_payments.csv clearing items, and
 * the commission of a worked example, closed and frozen.
 *
 * Worked example, agency AG1 at 12.5 %, direct payments counted: partner 8101 placed on 2026-03-01
 * with items 11 (400.00) and 12 (100.00). The agency reports 150.00 on item 11 (2026-03-10) and
 * 100.00 on item 12 (2026-03-12: cleared); the company receives 33.33 directly on item 11
 * (2026-03-15). Commission: 18.75 + 12.50 + 4.17 (33.33 x 12.5 % = 4.16625, half up) = 35.42 on
 * 283.33 collected. A payment before the placement (2026-02-20, 10.00) earns nothing.
 */
let db: Database;
let app: RunningApp;
let admin: string;
let agencyToken: string;
const ACTOR = { name: 'test', role: 'SUPERVISOR' as const };

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recoup-agency-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}
const importDir = async (files: Record<string, string>) => importAr(db, directorySources(await dirWith(files)));
const exportFile = (agency: string, asOf: string) => db.dataSource.transaction((m) => exportPlacementFile(m, agency, asOf));

beforeAll(async () => {
  db = await openTestDatabase();
  await insertSegment(db, 'AS', []);
  await insertPartners(db, [
    { id: 8101, segment: 'AS' },
    { id: 8102, segment: 'AS' },
  ]);
  await insertItems(db, [
    { id: 11, partner: 8101, due: '2026-01-10', open: 400 },
    { id: 12, partner: 8101, due: '2026-01-20', open: 100 },
    { id: 13, partner: 8102, due: '2026-01-15', open: 70 },
  ]);
  await db.dataSource.query(
    `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ('EARLY', 8101, 11, '2026-02-20', 10, 'EUR')`,
  );
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`agency files and commission (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('imports agencies.csv through the org import (bad rows name line and column) and exports it again', async () => {
    const bad = await importDir({ 'agencies.csv': 'agency,name,email,commission_percent,active\nAG1,First,,12.555,true\n' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ImportError);
    expect(bad).toMatchObject({ file: 'agencies.csv', line: 2, column: 'commission_percent' });
    expect(await count(db, 'agencies')).toBe(0);
    const result = await importDir({
      'agencies.csv': 'agency,name,email,commission_percent,active\nAG1,First Collect,ops@first.example,12.5,true\nAG2,Second,,20,false\n',
    });
    expect(result.tables.map((t) => [t.file, t.rows, t.inserted])).toEqual([['agencies.csv', 2, 2]]);
    const again = await importDir({ 'agencies.csv': 'agency,name,email,commission_percent,active\nAG1,First Collect,ops@first.example,12.50,true\n' });
    expect(again.tables[0]).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    const dir = await mkdtemp(path.join(tmpdir(), 'recoup-org-export-'));
    await exportOrganisation(db, dir);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(path.join(dir, 'agencies.csv'), 'utf8')).toBe(
      'agency,name,email,commission_percent,active\nAG1,First Collect,ops@first.example,12.50,true\nAG2,Second,,20.00,false\n',
    );
  });

  it('writes the placement file with only what changed since the last export', async () => {
    await db.dataSource.query(`UPDATE agencies SET active = true WHERE key = 'AG2'`);
    await db.dataSource.transaction((m) => placeItems(m, ACTOR, { partnerId: '8101', agency: 'AG1', itemIds: [], placedOn: '2026-03-01' }));
    await db.dataSource.transaction((m) => placeItems(m, ACTOR, { partnerId: '8102', agency: 'AG1', itemIds: [], placedOn: '2026-03-05' }));
    // The first file at 2026-03-02 holds 8101's placement; 8102's (dated later) waits for the next.
    const first = await exportFile('AG1', '2026-03-02');
    expect(first.rows).toEqual([
      ['PLACED', '2026-03-01', expect.any(String), 'P8101', 'Partner 8101', 'I11', '2026-01-10', '400.0000', 'EUR', null],
      ['PLACED', '2026-03-01', expect.any(String), 'P8101', 'Partner 8101', 'I12', '2026-01-20', '100.0000', 'EUR', null],
    ]);
    const [placement8102] = await db.dataSource.query(`SELECT id::text AS id FROM placements WHERE partner_id = 8102`);
    await db.dataSource.transaction((m) =>
      recallPlacement(m, ACTOR, { placementId: placement8102.id, reason: 'Paid in house', recalledOn: '2026-03-08', version: 1 }),
    );
    const second = await exportFile('AG1', '2026-03-31');
    expect(second.rows.map((r) => [r[0], r[1], r[3], r[5], r[9]])).toEqual([
      ['PLACED', '2026-03-05', 'P8102', 'I13', null],
      ['RECALLED', '2026-03-08', 'P8102', 'I13', 'Paid in house'],
    ]);
    expect((await exportFile('AG1', '2026-03-31')).rows).toEqual([]);
    expect((await exportFile('AG2', '2026-03-31')).rows).toEqual([]);
    expect(await count(db, 'agency_exports')).toBe(4);
  });

  it('applies agency_payments.csv: items clear, bad rows fail the whole import, a re-import applies nothing again', async () => {
    const header = 'agency,item_id,payment_date,amount,currency\n';
    const wrongAgency = await importDir({ 'agency_payments.csv': `${header}AG1,I11,2026-03-10,150.00,EUR\nAG2,I12,2026-03-12,100.00,EUR\n` }).catch((e) => e);
    expect(wrongAgency).toMatchObject({ file: 'agency_payments.csv', line: 3, column: 'item_id' });
    const tooMuch = await importDir({ 'agency_payments.csv': `${header}AG1,I12,2026-03-12,100.01,EUR\n` }).catch((e) => e);
    expect(tooMuch).toMatchObject({ line: 2, column: 'amount' });
    expect(await count(db, 'agency_payments')).toBe(0);
    const file = { 'agency_payments.csv': `${header}AG1,I11,2026-03-10,150.00,EUR\nAG1,I12,2026-03-12,100.00,EUR\n` };
    expect((await importDir(file)).tables[0]).toMatchObject({ file: 'agency_payments.csv', rows: 2, inserted: 2 });
    expect((await importDir(file)).tables[0]).toMatchObject({ rows: 2, inserted: 0, unchanged: 2 });
    expect(await db.dataSource.query(`SELECT id::text AS id, open_amount::text AS open FROM open_items WHERE partner_id = 8101 ORDER BY id`)).toEqual([
      { id: '11', open: '250.0000' },
      { id: '12', open: '0.0000' },
    ]);
    // The cleared item left the placement; the next file says so.
    expect((await exportFile('AG1', '2026-03-31')).rows.map((r) => [r[0], r[5]])).toEqual([['CLEARED', 'I12']]);
    expect((await verifyFacts(db)).differenceCount).toBe(0);
  });

  it('computes the commission of the worked example, closes the period (frozen) and refuses an overlap', async () => {
    await db.dataSource.query(
      `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ('DIRECT1', 8101, 11, '2026-03-15', 33.33, 'EUR')`,
    );
    const SETTLEMENT = `query { agencySettlement(agency: "AG1", from: "2026-03-01", to: "2026-03-31") {
      commissionPercent countDirectPayments settlementId lines { itemExternalId paymentDate amount viaAgency commission } totals { currency collected commission } } }`;
    const open = await gql(app.url, SETTLEMENT, {}, admin);
    expect(open.errors).toBeUndefined();
    expect(open.data.agencySettlement).toEqual({
      commissionPercent: '12.50',
      countDirectPayments: true,
      settlementId: null,
      lines: [
        { itemExternalId: 'I11', paymentDate: '2026-03-10', amount: '150.0000', viaAgency: true, commission: '18.7500' },
        { itemExternalId: 'I12', paymentDate: '2026-03-12', amount: '100.0000', viaAgency: true, commission: '12.5000' },
        { itemExternalId: 'I11', paymentDate: '2026-03-15', amount: '33.3300', viaAgency: false, commission: '4.1700' },
      ],
      totals: [{ currency: 'EUR', collected: '283.3300', commission: '35.4200' }],
    });
    // The analytics of the month: 570 placed (8101: 500, 8102: 70), 283.33 recovered, first payment 9 days after 8101's placement.
    const figures = await gql(
      app.url,
      `query { agencyAnalytics(from: "2026-03-01", to: "2026-03-31") { agency placementMonth currency placements placedAmount recoveredAmount recoveryRate daysToFirstPayment commissionDue } }`,
      {},
      admin,
    );
    expect(figures.errors).toBeUndefined();
    expect(figures.data.agencyAnalytics).toEqual([
      {
        agency: 'AG1',
        placementMonth: '2026-03-01',
        currency: 'EUR',
        placements: 2,
        placedAmount: '570.0000',
        recoveredAmount: '283.3300',
        recoveryRate: '49.71',
        daysToFirstPayment: '9.0',
        commissionDue: '35.4200',
      },
    ]);
    // Without direct payments: the agency's own reports only.
    await db.dataSource.query(`UPDATE agencies SET count_direct_payments = false WHERE key = 'AG1'`);
    expect((await gql(app.url, SETTLEMENT, {}, admin)).data.agencySettlement.totals).toEqual([
      { currency: 'EUR', collected: '250.0000', commission: '31.2500' },
    ]);
    await db.dataSource.query(`UPDATE agencies SET count_direct_payments = true WHERE key = 'AG1'`);
    // The agency reads its own settlement, not another's.
    agencyToken = (await createApiToken(db, { name: 'ag1', role: 'AGENCY', agencyKey: 'AG1' })).token;
    expect((await gql(app.url, SETTLEMENT, {}, agencyToken)).data.agencySettlement.totals[0].commission).toBe('35.4200');
    const other = await gql(app.url, `query { agencySettlement(agency: "AG2", from: "2026-03-01", to: "2026-03-31") { agency } }`, {}, agencyToken);
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(
      (await gql(app.url, `mutation { closeAgencySettlement(agency: "AG1", from: "2026-03-01", to: "2026-03-31") { agency } }`, {}, agencyToken)).errors?.[0]
        ?.extensions?.code,
    ).toBe('FORBIDDEN');
    const closed = await gql(
      app.url,
      `mutation { closeAgencySettlement(agency: "AG1", from: "2026-03-01", to: "2026-03-31") { settlementId totals { commission } } }`,
      {},
      admin,
    );
    expect(closed.errors).toBeUndefined();
    expect(closed.data.closeAgencySettlement).toEqual({ settlementId: expect.any(String), totals: [{ commission: '35.4200' }] });
    // Frozen: a later change of the percent leaves the closed period as it was.
    await db.dataSource.query(`UPDATE agencies SET commission_percent = 50 WHERE key = 'AG1'`);
    expect((await gql(app.url, SETTLEMENT, {}, admin)).data.agencySettlement).toMatchObject({
      commissionPercent: '12.50',
      totals: [{ commission: '35.4200' }],
    });
    await expect(db.dataSource.transaction((m) => closeAgencySettlement(m, ACTOR, 'AG1', '2026-03-31', '2026-04-30'))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await db.dataSource.query(`SELECT action FROM audit_log WHERE entity_type = 'AGENCY_SETTLEMENT'`)).toEqual([{ action: 'CLOSE' }]);
  });

  it('tells the agency of an item cleared by a payment to the company, and closes the placement with its last item', async () => {
    await db.dataSource.query(
      `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ('DIRECT2', 8101, 11, '2026-04-02', 216.67, 'EUR')`,
    );
    await db.dataSource.query(`UPDATE open_items SET open_amount = 0 WHERE id = 11`);
    const file = await exportFile('AG1', '2026-04-30');
    expect(file.rows.map((r) => [r[0], r[1], r[5]])).toEqual([['CLEARED', '2026-04-02', 'I11']]);
    expect(await db.dataSource.query(`SELECT status FROM placements WHERE partner_id = 8101`)).toEqual([{ status: 'CLOSED' }]);
    // No hold in force any more; each one kept with its dates (placed, then cleared or recalled).
    expect(
      await db.dataSource.query(
        `SELECT item_id::text AS item, kind, started_on::text AS started, ended_on::text AS ended FROM item_holds ORDER BY item_id, started_on`,
      ),
    ).toEqual([
      { item: '11', kind: 'PLACEMENT', started: '2026-03-01', ended: '2026-04-02' },
      { item: '12', kind: 'PLACEMENT', started: '2026-03-01', ended: '2026-03-12' },
      { item: '13', kind: 'PLACEMENT', started: '2026-03-05', ended: '2026-03-08' },
    ]);
    expect((await verifyFacts(db)).differenceCount).toBe(0);
  });

  it('refuses a payment report for an item placed with nobody', async () => {
    await expect(
      db.dataSource.transaction((m) => applyAgencyPayment(m, { agency: 'AG1', itemId: 'I13', paymentDate: '2026-03-20', amount: '1', currency: 'EUR' }, 1)),
    ).rejects.toMatchObject({ column: 'itemId' });
  });
});
