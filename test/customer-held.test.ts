import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment } from './support/worklist-fixtures';

/**
 * The customer 360's ageing and open items with held items (placed with an agency or in a legal
 * case): the buckets leave them out of items and amounts and report them apart, at the key date.
 * Partner 9301 (segment HL, no live run: the default limits 0, 30, 60, 90), all EUR:
 *   I31 500.00 due 2026-01-10, in a legal case opened 2026-03-15
 *   I32 100.00 due 2026-02-10, placed with AG1 on 2026-03-31
 *   I34  70.00 due 2026-02-25
 *   I33  40.00 due 2026-03-20
 * Days overdue at 2026-03-31 (the placement day): I31 80, I32 49, I34 34, I33 11; at 2026-03-30 one
 * less each. Buckets: not overdue, 1–30, 31–60, 61–90, > 90.
 */
let db: Database;
let app: RunningApp;
let supervisor: string;

const P = '2026-03-31';
const AGING = `query($d: Date) { customer(partnerId: "9301", asOf: $d) { aging { label items amounts { currency amount } heldItems heldAmounts { currency amount } } } }`;
const OPEN_ITEMS = `query($d: Date) { customer(partnerId: "9301", asOf: $d) { openItems(first: 10) { edges { node { externalId daysOverdue heldBy } } } } }`;

const eur = (amount: string) => [{ currency: 'EUR', amount }];
const bucket = (label: string, items: number, amounts: Array<{ currency: string; amount: string }>, heldItems = 0, heldAmounts: typeof amounts = []) => ({
  label,
  items,
  amounts,
  heldItems,
  heldAmounts,
});

async function agingAt(d: string): Promise<unknown[]> {
  const r = await gql(app.url, AGING, { d }, supervisor);
  expect(r.errors).toBeUndefined();
  return r.data.customer.aging;
}

async function openItemsAt(d: string): Promise<unknown[]> {
  const r = await gql(app.url, OPEN_ITEMS, { d }, supervisor);
  expect(r.errors).toBeUndefined();
  return r.data.customer.openItems.edges.map((e: any) => [e.node.externalId, e.node.daysOverdue, e.node.heldBy]);
}

beforeAll(async () => {
  db = await openTestDatabase();
  await insertSegment(db, 'HL', []);
  await insertPartners(db, [{ id: 9301, segment: 'HL' }]);
  await insertItems(db, [
    { id: 31, partner: 9301, due: '2026-01-10', open: 500 },
    { id: 32, partner: 9301, due: '2026-02-10', open: 100 },
    { id: 33, partner: 9301, due: '2026-03-20', open: 40 },
    { id: 34, partner: 9301, due: '2026-02-25', open: 70 },
  ]);
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  const admin = await createTestToken(db, 'ADMIN');
  supervisor = await createTestToken(db, 'SUPERVISOR');
  const agency = await gql(app.url, `mutation { saveAgency(input: { key: "AG1", name: "First", commissionPercent: "10" }) { key } }`, {}, admin);
  expect(agency.errors).toBeUndefined();
  const legal = await gql(app.url, `mutation { openLegalCase(input: { partnerId: "9301", itemIds: ["31"], openedOn: "2026-03-15" }) { id } }`, {}, supervisor);
  expect(legal.errors).toBeUndefined();
  const placed = await gql(
    app.url,
    `mutation { placePartner(input: { partnerId: "9301", agency: "AG1", itemIds: ["32"], placedOn: "${P}" }) { items { itemId } } }`,
    {},
    supervisor,
  );
  expect(placed.errors).toBeUndefined();
  expect(placed.data.placePartner.items).toEqual([{ itemId: '32' }]);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`customer 360 with held items (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('leaves the held items out of the ageing buckets and reports them apart, at the placement day', async () => {
    // 1–30: I33 40.00; 31–60: I34 70.00 worked, I32 100.00 placed; 61–90: I31 500.00 under the case.
    expect(await agingAt(P)).toEqual([
      bucket('not overdue', 0, []),
      bucket('1–30', 1, eur('40.0000')),
      bucket('31–60', 1, eur('70.0000'), 1, eur('100.0000')),
      bucket('61–90', 0, [], 1, eur('500.0000')),
      bucket('> 90', 0, []),
    ]);
  });

  it('counts the item placed on P as worked the day before (the case already held it)', async () => {
    expect(await agingAt('2026-03-30')).toEqual([
      bucket('not overdue', 0, []),
      bucket('1–30', 1, eur('40.0000')),
      bucket('31–60', 2, eur('170.0000')),
      bucket('61–90', 0, [], 1, eur('500.0000')),
      bucket('> 90', 0, []),
    ]);
    // The day before the case was opened nothing is held (2026-03-14: I31 63 days, I32 32, I34 17, I33 not due).
    expect(await agingAt('2026-03-14')).toEqual([
      bucket('not overdue', 1, eur('40.0000')),
      bucket('1–30', 1, eur('70.0000')),
      bucket('31–60', 1, eur('100.0000')),
      bucket('61–90', 1, eur('500.0000')),
      bucket('> 90', 0, []),
    ]);
  });

  it('says which open items are held and by what, at the key date', async () => {
    expect(await openItemsAt(P)).toEqual([
      ['I31', 80, 'LEGAL'],
      ['I32', 49, 'PLACEMENT'],
      ['I34', 34, null],
      ['I33', 11, null],
    ]);
    expect(await openItemsAt('2026-03-30')).toEqual([
      ['I31', 79, 'LEGAL'],
      ['I32', 48, null],
      ['I34', 33, null],
      ['I33', 10, null],
    ]);
    expect(await openItemsAt('2026-03-14')).toEqual([
      ['I31', 63, null],
      ['I32', 32, null],
      ['I34', 17, null],
      ['I33', -6, null],
    ]);
  });

  it('releases the placed item on its recall day', async () => {
    // A recall ends the hold: not held at the end of the recall day itself.
    await db.dataSource.query(`UPDATE item_holds SET ended_on = '2026-04-02' WHERE item_id = 32 AND ended_on IS NULL`);
    expect((await openItemsAt('2026-04-01'))[1]).toEqual(['I32', 50, 'PLACEMENT']);
    expect((await openItemsAt('2026-04-02'))[1]).toEqual(['I32', 51, null]);
    const aging = (await agingAt('2026-04-02')) as Array<ReturnType<typeof bucket>>;
    expect(aging[2]).toEqual(bucket('31–60', 2, eur('170.0000')));
  });
});
