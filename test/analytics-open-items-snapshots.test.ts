import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analytics, refreshAnalyticsSnapshots } from '../packages/server/src/analytics';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { createRequestContext } from '../packages/server/src/graphql/context';
import type { Role } from '../packages/server/src/graphql/roles';
import { AnalyticsGroupByEnum } from '../packages/server/src/analytics/analytics.types';
import { openTestDatabase } from './support/database';
import { generator, insertSnapshotOrganisation } from './support/seeded';
import { insertPartners, query } from './support/worklist-fixtures';

/**
 * Open items by organisational unit from the daily snapshots (issue 20, speed): on a random
 * history (as analytics-snapshots.test.ts, with credits and three currencies), the report at a
 * key date that is a position day reads the snapshots and equals the mirror's for every grouping,
 * filter, ageing limits and role, before and after random events and an incremental refresh and
 * after partners moved; other key dates read the mirror. Partners count once per group and once
 * in the total, checked here by hand as well.
 */
const AS_OF = '2026-06-30';
const HISTORY_FROM = '2025-11-01';
/** Month ends (before and after the USD rate of 2026-03-20), a Sunday, a recent Wednesday and the last built day. */
const KEY_DATES = ['2026-01-31', '2026-02-15', '2026-03-31', '2026-06-10', AS_OF];
/** A Wednesday before the 35 recent days: no positions kept. */
const NOT_A_POSITION_DAY = '2026-05-20';
const GROUPINGS = [
  AnalyticsGroupByEnum.COMPANY_CODE,
  AnalyticsGroupByEnum.SEGMENT,
  AnalyticsGroupByEnum.GROUP,
  AnalyticsGroupByEnum.SPECIALIST,
  AnalyticsGroupByEnum.STRATEGY,
  AnalyticsGroupByEnum.PROFIT_CENTER,
  AnalyticsGroupByEnum.CURRENCY,
];

let db: Database;
let supervisorTokenId: string;
let random: () => number;
let nextPayment = 1;
let nextItem = 1;

const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const day = (from: string, offset: number) => new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const cents = (units: number) => (units / 100).toFixed(2);

const SEED = Number(process.env.SNAPSHOT_SEED ?? 20_261_207);

beforeAll(async () => {
  random = generator(SEED);
  db = await openTestDatabase();
  await insertSnapshotOrganisation(db);
  await query(
    db,
    `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('USD', 'EUR', '2023-01-01', 0.9), ('USD', 'EUR', '2026-03-20', 0.8123),
       ('GBP', 'EUR', '2023-01-01', 1.17), ('GBP', 'EUR', '2026-02-01', 1.1543)`,
  );
  const partners = Array.from({ length: 24 }, (_, n) => {
    const segment = n % 3 === 2 ? 'SB' : 'SA';
    return { id: n + 1, segment, group: segment === 'SA' ? pick(['SA_G1', 'SA_G2', null]) : null, specialist: pick([1, 2, 3, null, null]) };
  });
  await insertPartners(db, partners);
  for (const p of partners) {
    for (let k = between(2, 6); k > 0; k--) await insertItem(p.id, day(HISTORY_FROM, between(-90, 230)));
  }
  const created = await createApiToken(db, { name: 'sup-g2', role: 'SUPERVISOR', groups: ['SA_G2', 'SB_G'] });
  supervisorTokenId = String(created.record.id);
});

afterAll(async () => {
  await db?.close();
});

/**
 * An item in EUR, USD or GBP with a random part paid by dated payments (sometimes more than its
 * amount, sometimes in another currency); one in eight a credit (a negative amount, open as such).
 */
async function insertItem(partner: number, documented: string): Promise<void> {
  const id = nextItem++;
  const currency = pick(['EUR', 'EUR', 'USD', 'GBP']);
  const credit = random() < 0.125;
  const amount = between(100, 500_000);
  const due = day(documented, between(0, 60));
  await query(
    db,
    `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, profit_center)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)`,
    [id, `I${id}`, partner, pick(['1000', '2000']), documented, due, cents(credit ? -amount : amount), currency, pick(['PC1', 'PC2', null])],
  );
  let open = credit ? 0 : amount;
  for (let k = between(0, 3); k > 0 && open > 0; k--) {
    const paid = random() < 0.1 ? open + between(1, 5000) : between(1, open);
    await pay(id, partner, day(documented, between(-3, 200)), paid, random() < 0.05 ? 'GBP' : currency);
    open = Math.max(0, open - paid);
  }
}

/** A payment on an item and the same decrease of its open amount, in one transaction (as the payments service books it). */
async function pay(item: number, partner: number, date: string, units: number, currency: string): Promise<void> {
  await db.dataSource.transaction(async (m) => {
    const id = nextPayment++;
    await m.query(`INSERT INTO payments (id, external_id, partner_id, item_id, payment_date, amount, currency) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      id,
      `Y${id}`,
      partner,
      item,
      date,
      cents(units),
      currency,
    ]);
    await m.query(`UPDATE open_items SET open_amount = greatest(0, open_amount - $2::numeric) WHERE id = $1 AND currency = $3 AND open_amount > 0`, [
      item,
      cents(units),
      currency,
    ]);
  });
}

function ctxOf(role: Role, specialistId: string | null = null) {
  const tokenId = role === 'SUPERVISOR' ? supervisorTokenId : '0';
  return createRequestContext(db, { tokenId, name: 'test', role, specialistId });
}

type Args = Parameters<typeof analytics.openItemsReport>[1];

/** Every combination the comparison covers at a key date: groupings, filters (the company code with each item grouping), ageing limits, roles. */
function cases(keyDate: string): Array<{ label: string; role: Role; specialistId: string | null; args: Args }> {
  const period = { from: keyDate, to: keyDate, currency: 'EUR' };
  const out: ReturnType<typeof cases> = [];
  const admin = (label: string, args: Args) => out.push({ label: `${keyDate} ${label}`, role: 'ADMIN', specialistId: null, args });
  for (const groupBy of [null, ...GROUPINGS]) admin(`by ${groupBy}`, { filter: period, groupBy });
  for (const filter of [{ segment: 'SA' }, { group: 'SA_G1' }, { strategy: 'S1' }, { specialist: '2' }])
    admin(`filter ${JSON.stringify(filter)}`, { filter: { ...period, ...filter }, groupBy: AnalyticsGroupByEnum.COMPANY_CODE });
  for (const groupBy of [null, ...GROUPINGS]) admin(`company code 2000 by ${groupBy}`, { filter: { ...period, companyCode: '2000' }, groupBy });
  admin('limits 0/15/45', { filter: period, ageingLimits: [0, 15, 45], groupBy: AnalyticsGroupByEnum.SEGMENT });
  admin('limits 10/30/60/90/121', { filter: period, ageingLimits: [10, 30, 60, 90, 121], groupBy: AnalyticsGroupByEnum.CURRENCY });
  out.push({ label: `${keyDate} SPECIALIST 1`, role: 'SPECIALIST', specialistId: '1', args: { filter: period, groupBy: AnalyticsGroupByEnum.PROFIT_CENTER } });
  out.push({
    label: `${keyDate} SUPERVISOR of SA_G2, SB_G`,
    role: 'SUPERVISOR',
    specialistId: null,
    args: { filter: period, groupBy: AnalyticsGroupByEnum.GROUP },
  });
  return out;
}

/** For each key date and case: the figures from the snapshots (which must be used) equal those from the mirror. */
async function expectSnapshotsEqualMirror(keyDates = KEY_DATES): Promise<void> {
  for (const keyDate of keyDates) {
    for (const c of cases(keyDate)) {
      const ctx = ctxOf(c.role, c.specialistId);
      expect(await analytics.openItemsSnapshotFigures(ctx, c.args), c.label).toHaveLength(2);
      const fromSnapshots = await analytics.openItemsReport(ctx, c.args);
      const fromMirror = await analytics.openItemsReport(ctx, { ...c.args, source: 'MIRROR' });
      expect(fromSnapshots, c.label).toEqual(fromMirror);
    }
  }
}

/**
 * Partners and items with a positive open amount at `keyDate` per company code and in all,
 * worked out here from the rows (DESIGN.md "Point in time").
 */
async function openByHand(keyDate: string): Promise<{ partners: Record<string, number>; items: Record<string, number> }> {
  const items = await query(
    db,
    `SELECT id::int AS id, partner_id::int AS partner, company_code AS code, currency::text AS currency, amount::text AS amount, open_amount::text AS open
       FROM open_items WHERE document_date <= $1`,
    [keyDate],
  );
  const payments = await query(db, `SELECT item_id::int AS item, currency::text AS currency, amount::text AS amount FROM payments WHERE payment_date > $1`, [
    keyDate,
  ]);
  const units = (s: unknown) => Math.round(Number(s) * 100);
  const partners: Record<string, Set<number>> = { all: new Set() };
  const counted: Record<string, number> = { all: 0 };
  for (const i of items) {
    const later = payments.filter((y) => y.item === i.id && y.currency === i.currency).reduce((n, y) => n + units(y.amount), 0);
    if (Math.min(units(i.amount), units(i.open) + later) <= 0) continue;
    for (const key of ['all', i.code as string]) {
      (partners[key] ??= new Set()).add(i.partner as number);
      counted[key] = (counted[key] ?? 0) + 1;
    }
  }
  return { partners: Object.fromEntries(Object.entries(partners).map(([k, s]) => [k, s.size])), items: counted };
}

const state = () => analytics.snapshotState(db);

describe('open items from the daily snapshots', () => {
  it('read the mirror before the snapshots are built', async () => {
    expect(await analytics.openItemsSnapshotFigures(ctxOf('ADMIN'), cases(AS_OF)[0]!.args)).toEqual([]);
  });

  it('give the mirror figures at position days for every grouping, filter, ageing limits and role', async () => {
    expect(await refreshAnalyticsSnapshots(db, { from: '2025-12-31', to: AS_OF })).toMatchObject({ mode: 'FULL' });
    await expectSnapshotsEqualMirror();
    // The history is one where the counts could go wrong: partners with items in both company codes, and credits.
    const [both] = await query(
      db,
      `SELECT count(*)::int AS n FROM (SELECT partner_id FROM open_items WHERE open_amount > 0 GROUP BY 1 HAVING count(DISTINCT company_code) = 2) x`,
    );
    expect(both!.n).toBeGreaterThan(2);
    const [credits] = await query(db, `SELECT count(*)::int AS n FROM open_items WHERE amount < 0`);
    expect(credits!.n).toBeGreaterThan(3);
    // Partners once per company code and once in the total, items once, as counted here.
    for (const keyDate of [AS_OF, '2026-03-31']) {
      const byHand = await openByHand(keyDate);
      const r = await analytics.openItemsReport(ctxOf('ADMIN'), {
        filter: { from: keyDate, to: keyDate, currency: 'EUR' },
        groupBy: AnalyticsGroupByEnum.COMPANY_CODE,
      });
      expect(r.totals).toMatchObject({ partners: byHand.partners.all, openItems: byHand.items.all });
      expect(r.rows.map((x) => [x.group.key, x.partners, x.openItems])).toEqual(
        ['1000', '2000'].map((code) => [code, byHand.partners[code], byHand.items[code]]),
      );
      expect(r.rows[0]!.partners + r.rows[1]!.partners).toBeGreaterThan(r.totals.partners);
    }
    // Someone else's figures differ: the scope is really applied to the snapshot rows.
    const all = await analytics.openItemsReport(ctxOf('ADMIN'), cases(AS_OF)[0]!.args);
    const own = await analytics.openItemsReport(ctxOf('SPECIALIST', '1'), cases(AS_OF)[0]!.args);
    expect(own.totals.partners).toBeLessThan(all.totals.partners);
  });

  it('read the mirror at a key date without positions, beyond the built days or with an ageing limit beyond the kept days overdue', async () => {
    for (const keyDate of [NOT_A_POSITION_DAY, '2025-12-30', '2026-07-01']) {
      const args = { filter: { from: keyDate, to: keyDate, currency: 'EUR' }, groupBy: AnalyticsGroupByEnum.SEGMENT };
      expect(await analytics.openItemsSnapshotFigures(ctxOf('ADMIN'), args), keyDate).toEqual([]);
    }
    const args = { filter: { from: NOT_A_POSITION_DAY, to: NOT_A_POSITION_DAY, currency: 'EUR' }, groupBy: AnalyticsGroupByEnum.SEGMENT };
    expect(await analytics.openItemsReport(ctxOf('ADMIN'), args)).toEqual(await analytics.openItemsReport(ctxOf('ADMIN'), { ...args, source: 'MIRROR' }));
    const wide = { filter: { from: AS_OF, to: AS_OF, currency: 'EUR' }, ageingLimits: [0, 30, 122] };
    expect(await analytics.openItemsSnapshotFigures(ctxOf('ADMIN'), wide)).toEqual([]);
    expect(await analytics.openItemsSnapshotFigures(ctxOf('ADMIN'), { ...wide, ageingLimits: [0, 30, 121] })).toHaveLength(2);
    expect(await analytics.openItemsSnapshotFigures(ctxOf('ADMIN'), { ...wide, source: 'MIRROR', ageingLimits: [0, 30] })).toEqual([]);
  });

  it('stay equal to the mirror after random events and an incremental refresh', async () => {
    // Items of the built days (from 2026-01-10, their payments from three days before): the refresh rebuilds only the days after the first change.
    const items = await query(
      db,
      `SELECT id::int AS id, partner_id::int AS partner, currency::text AS currency FROM open_items WHERE document_date >= '2026-01-10' ORDER BY id`,
    );
    for (let k = 0; k < 14; k++) {
      const target = pick(items);
      const roll = random();
      if (roll < 0.4)
        await pay(target.id as number, target.partner as number, day('2026-01-15', between(0, 160)), between(1, 200_000), target.currency as string);
      else if (roll < 0.6) await insertItem(target.partner as number, day('2026-01-10', between(0, 160)));
      else if (roll < 0.7) await query(db, `UPDATE open_items SET due_date = due_date + $2::int WHERE id = $1`, [target.id, between(1, 10)]);
      else if (roll < 0.8)
        await query(db, `UPDATE open_items SET company_code = CASE company_code WHEN '1000' THEN '2000' ELSE '1000' END WHERE id = $1`, [target.id]);
      else if (roll < 0.9) await query(db, `DELETE FROM payments WHERE id = (SELECT min(id) FROM payments WHERE item_id = $1)`, [target.id]);
      else await query(db, `UPDATE payments SET payment_date = payment_date + 3 WHERE id = (SELECT max(id) FROM payments WHERE item_id = $1)`, [target.id]);
    }
    expect((await state()).staleFrom).not.toBe('infinity');
    expect(await analytics.openItemsSnapshotFigures(ctxOf('ADMIN'), cases('2026-01-31')[0]!.args)).toEqual([]);
    expect((await refreshAnalyticsSnapshots(db, { to: AS_OF })).mode).toBe('INCREMENTAL');
    await expectSnapshotsEqualMirror();
  });

  it('move partners whose responsibility changed before a report reads, the counts with them', async () => {
    const before = await state();
    await query(db, `UPDATE partners SET specialist_id = CASE WHEN specialist_id = 1 THEN 2 ELSE 1 END WHERE id IN (1, 5, 7)`);
    await query(db, `UPDATE partners SET collection_group_key = CASE WHEN collection_group_key = 'SA_G2' THEN 'SA_G1' ELSE 'SA_G2' END WHERE id IN (4, 10)`);
    expect(await state()).toMatchObject({ responsibilityChanged: false, movedPartners: 5 });
    // The first read moves them (the snapshots are read), the figures stay the mirror's.
    await expectSnapshotsEqualMirror();
    expect(await state()).toEqual({ ...before, movedPartners: 0 });
  });

  it('convert at the key date and refuse a currency without a rate, as the mirror does', async () => {
    await insertItem(2, '2026-02-10');
    await query(db, `UPDATE open_items SET currency = 'CHF', amount = 123.45, open_amount = 123.45 WHERE id = $1`, [nextItem - 1]);
    await query(db, `DELETE FROM payments WHERE item_id = $1`, [nextItem - 1]);
    expect((await refreshAnalyticsSnapshots(db, { to: AS_OF })).mode).toBe('INCREMENTAL');
    const args = { filter: { from: '2026-03-31', to: '2026-03-31', currency: 'EUR' }, groupBy: AnalyticsGroupByEnum.SPECIALIST };
    expect(await analytics.openItemsSnapshotFigures(ctxOf('ADMIN'), args)).toHaveLength(2);
    const refusal = { code: 'BAD_USER_INPUT', details: { reason: 'FX_RATE_MISSING', pairs: [{ from: 'CHF', to: 'EUR', on: '2026-03-31' }] } };
    await expect(analytics.openItemsReport(ctxOf('ADMIN'), args)).rejects.toMatchObject(refusal);
    await expect(analytics.openItemsReport(ctxOf('ADMIN'), { ...args, source: 'MIRROR' })).rejects.toMatchObject(refusal);
    // Before its document date the item is not there: no rate needed.
    const earlier = { ...args, filter: { ...args.filter, from: '2026-01-31', to: '2026-01-31' } };
    expect(await analytics.openItemsReport(ctxOf('ADMIN'), earlier)).toEqual(await analytics.openItemsReport(ctxOf('ADMIN'), { ...earlier, source: 'MIRROR' }));
    // A rate from a later date does not serve an earlier key date; one on or before it does.
    await query(db, `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('CHF', 'EUR', '2026-04-01', 1.05)`);
    await expect(analytics.openItemsReport(ctxOf('ADMIN'), args)).rejects.toMatchObject(refusal);
    await query(db, `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('CHF', 'EUR', '2026-03-01', 1.0213)`);
    await expectSnapshotsEqualMirror(['2026-03-31', AS_OF]);
  });
});
