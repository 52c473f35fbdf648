import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analytics, refreshAnalyticsSnapshots } from '../packages/server/src/analytics';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { createRequestContext } from '../packages/server/src/graphql/context';
import type { Role } from '../packages/server/src/graphql/roles';
import { AnalyticsGranularityEnum, AnalyticsGroupByEnum } from '../packages/server/src/analytics/analytics.types';
import { openTestDatabase } from './support/database';
import { generator, insertSnapshotOrganisation } from './support/seeded';
import { insertPartners, query } from './support/worklist-fixtures';

/**
 * Daily snapshots (issue 20, speed): on a random history, the KPI figures read from the snapshots
 * equal those read from the mirror (every grouping, filters, weeks and months, each role's scope),
 * before and after random events; the events mark exactly what they make stale, in their own
 * transaction, and a refresh brings the snapshots current again (incrementally where it can).
 */
const AS_OF = '2026-06-30';
const HISTORY_FROM = '2025-11-01';
const GROUPINGS = [
  AnalyticsGroupByEnum.COMPANY_CODE,
  AnalyticsGroupByEnum.SEGMENT,
  AnalyticsGroupByEnum.GROUP,
  AnalyticsGroupByEnum.SPECIALIST,
  AnalyticsGroupByEnum.STRATEGY,
  AnalyticsGroupByEnum.PROFIT_CENTER,
];

let db: Database;
let supervisorTokenId: string;
let random: () => number;
let nextPayment = 1;

const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const day = (from: string, offset: number) => new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const cents = (units: number) => (units / 100).toFixed(2);

const SEED = Number(process.env.SNAPSHOT_SEED ?? 20_261_206);

beforeAll(async () => {
  random = generator(SEED);
  db = await openTestDatabase();
  await insertSnapshotOrganisation(db);
  await query(
    db,
    `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('USD', 'EUR', '2023-01-01', 0.9), ('USD', 'EUR', '2026-03-20', 0.8123), ('GBP', 'EUR', '2023-01-01', 1.17)`,
  );
  const partners = Array.from({ length: 24 }, (_, n) => {
    const segment = n % 3 === 2 ? 'SB' : 'SA';
    return {
      id: n + 1,
      segment,
      // Some partners in a group of their own, the others in their segment's only group (SB) or none.
      group: segment === 'SA' ? pick(['SA_G1', 'SA_G2', null]) : null,
      specialist: pick([1, 2, 3, null, null]),
    };
  });
  await insertPartners(db, partners);
  let item = 1;
  for (const p of partners) {
    for (let k = between(2, 6); k > 0; k--) await insertItem(item++, p.id, day(HISTORY_FROM, between(-90, 230)));
  }
  await createSupervisor();
});

afterAll(async () => {
  await db?.close();
});

async function createSupervisor(): Promise<void> {
  const created = await createApiToken(db, { name: 'sup-g2', role: 'SUPERVISOR', groups: ['SA_G2', 'SB_G'] });
  supervisorTokenId = String(created.record.id);
}

/** An item with a random part paid by dated payments (sometimes more than its amount, sometimes in another currency). */
async function insertItem(id: number, partner: number, documented: string): Promise<void> {
  const currency = random() < 0.25 ? 'USD' : 'EUR';
  const amount = between(100, 500_000);
  const due = day(documented, between(0, 60));
  await query(
    db,
    `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, profit_center)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)`,
    [id, `I${id}`, partner, pick(['1000', '2000']), documented, due, cents(amount), currency, pick(['PC1', 'PC2', null])],
  );
  let open = amount;
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
    await m.query(`UPDATE open_items SET open_amount = greatest(0, open_amount - $2::numeric) WHERE id = $1 AND currency = $3`, [item, cents(units), currency]);
  });
}

function ctxOf(role: Role, specialistId: string | null = null) {
  const tokenId = role === 'SUPERVISOR' ? supervisorTokenId : '0';
  return createRequestContext(db, { tokenId, name: 'test', role, specialistId });
}

/** Every combination the comparison covers: groupings, filters, granularities, roles. */
function cases(): Array<{ label: string; role: Role; specialistId: string | null; args: Parameters<typeof analytics.kpiReport>[1] }> {
  const period = { from: '2026-01-01', to: AS_OF, currency: 'EUR' };
  const out: ReturnType<typeof cases> = [];
  for (const groupBy of [null, ...GROUPINGS]) out.push({ label: `by ${groupBy}`, role: 'ADMIN', specialistId: null, args: { filter: period, groupBy } });
  out.push({
    label: 'weeks',
    role: 'ADMIN',
    specialistId: null,
    args: { filter: { ...period, from: '2026-04-15' }, granularity: AnalyticsGranularityEnum.WEEK },
  });
  out.push({
    label: 'limits 0/15/45',
    role: 'ADMIN',
    specialistId: null,
    args: { filter: period, ageingLimits: [0, 15, 45], groupBy: AnalyticsGroupByEnum.SEGMENT },
  });
  out.push({ label: 'mid-month end', role: 'ADMIN', specialistId: null, args: { filter: { ...period, from: '2026-02-10', to: '2026-06-17' } } });
  for (const filter of [{ segment: 'SA' }, { group: 'SA_G1' }, { strategy: 'S1' }, { specialist: '2' }, { companyCode: '2000' }]) {
    out.push({
      label: `filter ${JSON.stringify(filter)}`,
      role: 'ADMIN',
      specialistId: null,
      args: { filter: { ...period, ...filter }, groupBy: AnalyticsGroupByEnum.GROUP },
    });
  }
  out.push({ label: 'SPECIALIST 1', role: 'SPECIALIST', specialistId: '1', args: { filter: period, groupBy: AnalyticsGroupByEnum.SPECIALIST } });
  out.push({ label: 'SUPERVISOR of SA_G2, SB_G', role: 'SUPERVISOR', specialistId: null, args: { filter: period, groupBy: AnalyticsGroupByEnum.GROUP } });
  return out;
}

/** For each case: the figures from the snapshots (which must be used) equal those from the mirror. */
async function expectSnapshotsEqualMirror(): Promise<void> {
  for (const c of cases()) {
    const ctx = ctxOf(c.role, c.specialistId);
    expect(await analytics.kpiSnapshotFigures(ctx, c.args), c.label).toHaveLength(2);
    const fromSnapshots = await analytics.kpiReport(ctx, c.args);
    const fromMirror = await analytics.kpiReport(ctx, { ...c.args, source: 'MIRROR' });
    expect(fromSnapshots, c.label).toEqual(fromMirror);
  }
}

const state = () => analytics.snapshotState(db);

async function positionDaysHeld(): Promise<string[]> {
  const rows = await query(db, `SELECT DISTINCT day::text AS day FROM analytics_daily_positions ORDER BY 1`);
  return rows.map((r) => r.day as string);
}

/** Month ends, Sundays and the 35 days up to the last built one, worked out here on their own. */
function expectedPositionDays(from: string, to: string, builtTo: string): string[] {
  const days: string[] = [];
  const recentFrom = Date.parse(`${builtTo}T00:00:00Z`) - 34 * 86_400_000;
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const d = new Date(t);
    if (new Date(t + 86_400_000).getUTCDate() === 1 || d.getUTCDay() === 0 || t >= recentFrom) days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

describe('daily analytics snapshots', () => {
  it('are not read before they are built (the mirror answers)', async () => {
    const args = cases()[0]!.args;
    expect(await analytics.kpiSnapshotFigures(ctxOf('ADMIN'), args)).toEqual([]);
  });

  it('give the mirror figures for every grouping, filter, granularity and role', async () => {
    const built = await refreshAnalyticsSnapshots(db, { from: '2025-12-31', to: AS_OF });
    // Positions: 7 month ends and 26 Sundays (2026-05-31 both), the 35 days from 2026-05-27 (6 of them already counted).
    expect(built).toMatchObject({ mode: 'FULL', from: '2025-12-31', to: AS_OF, days: 182, positionDays: 7 + 26 - 1 + 35 - 6 });
    expect(await positionDaysHeld()).toEqual(expectedPositionDays('2025-12-31', AS_OF, AS_OF));
    await expectSnapshotsEqualMirror();
    // Someone else's figures differ: the scope is really applied to the snapshot rows.
    const all = await analytics.kpiReport(ctxOf('ADMIN'), cases()[0]!.args);
    const own = await analytics.kpiReport(ctxOf('SPECIALIST', '1'), cases()[0]!.args);
    expect(own.series[0]!.buckets.at(-1)!.closingReceivables).not.toEqual(all.series[0]!.buckets.at(-1)!.closingReceivables);
  });

  it('are not read beyond the days they hold, nor with ageing limits beyond 90 days', async () => {
    const later = { filter: { from: '2026-01-01', to: '2026-07-05', currency: 'EUR' } };
    expect(await analytics.kpiSnapshotFigures(ctxOf('ADMIN'), later)).toEqual([]);
    const earlier = { filter: { from: '2025-11-01', to: AS_OF, currency: 'EUR' } };
    expect(await analytics.kpiSnapshotFigures(ctxOf('ADMIN'), earlier)).toEqual([]);
    const wide = { filter: { from: '2026-01-01', to: AS_OF, currency: 'EUR' }, ageingLimits: [0, 30, 120] };
    expect(await analytics.kpiSnapshotFigures(ctxOf('ADMIN'), wide)).toEqual([]);
    // Ending on a Wednesday before the recent days: no positions kept for it (the mirror answers, the same figures).
    const olderMidMonth = { filter: { from: '2026-02-01', to: '2026-05-20', currency: 'EUR' } };
    expect(await analytics.kpiSnapshotFigures(ctxOf('ADMIN'), olderMidMonth)).toEqual([]);
    const recentMidMonth = { filter: { from: '2026-02-01', to: '2026-05-27', currency: 'EUR' } };
    expect(await analytics.kpiSnapshotFigures(ctxOf('ADMIN'), recentMidMonth)).toHaveLength(2);
    const weeksToSunday = { filter: { from: '2026-02-01', to: '2026-05-17', currency: 'EUR' }, granularity: AnalyticsGranularityEnum.WEEK };
    expect(await analytics.kpiSnapshotFigures(ctxOf('ADMIN'), weeksToSunday)).toHaveLength(2);
    expect(await analytics.kpiReport(ctxOf('ADMIN'), weeksToSunday)).toEqual(await analytics.kpiReport(ctxOf('ADMIN'), { ...weeksToSunday, source: 'MIRROR' }));
  });

  it('a payment booked with its item decrease marks from its date; an open amount changed alone from the document date', async () => {
    const [item] = await query(
      db,
      `SELECT id::int AS id, partner_id::int AS partner, document_date::text AS documented, currency::text AS currency
      FROM open_items WHERE open_amount > 10 AND document_date BETWEEN '2026-01-01' AND '2026-03-01' ORDER BY id LIMIT 1`,
    );
    await pay(item!.id as number, item!.partner as number, '2026-05-20', 500, item!.currency as string);
    expect((await state()).staleFrom).toBe('2026-05-20');
    // A rolled back write marks nothing.
    await db.dataSource
      .transaction(async (m) => {
        await m.query(`UPDATE open_items SET open_amount = open_amount - 1 WHERE id = $1`, [item!.id]);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    expect((await state()).staleFrom).toBe('2026-05-20');
    await query(db, `UPDATE open_items SET open_amount = open_amount - 1 WHERE id = $1`, [item!.id]);
    expect((await state()).staleFrom).toBe(item!.documented);
    // Stale days are read from the mirror meanwhile.
    expect(await analytics.kpiSnapshotFigures(ctxOf('ADMIN'), cases()[0]!.args)).toEqual([]);
    const refreshed = await refreshAnalyticsSnapshots(db, { to: AS_OF });
    expect(refreshed.mode).toBe('INCREMENTAL');
    expect((await state()).staleFrom).toBe('infinity');
    await expectSnapshotsEqualMirror();
  });

  it('stay equal to the mirror after random events and an incremental refresh', async () => {
    const items = await query(db, `SELECT id::int AS id, partner_id::int AS partner, currency::text AS currency FROM open_items ORDER BY id`);
    let nextItem = Number((await query(db, `SELECT max(id)::int AS n FROM open_items`))[0]!.n) + 1;
    for (let k = 0; k < 12; k++) {
      const target = pick(items);
      const roll = random();
      if (roll < 0.4)
        await pay(target.id as number, target.partner as number, day('2026-04-01', between(0, 90)), between(1, 200_000), target.currency as string);
      else if (roll < 0.6) await insertItem(nextItem++, target.partner as number, day('2026-03-01', between(0, 120)));
      else if (roll < 0.75) await query(db, `UPDATE open_items SET due_date = due_date + $2::int WHERE id = $1`, [target.id, between(1, 10)]);
      else if (roll < 0.85) await query(db, `DELETE FROM payments WHERE id = (SELECT min(id) FROM payments WHERE item_id = $1)`, [target.id]);
      else await query(db, `UPDATE payments SET payment_date = payment_date + 3 WHERE id = (SELECT max(id) FROM payments WHERE item_id = $1)`, [target.id]);
    }
    expect((await state()).staleFrom).not.toBe('infinity');
    expect((await refreshAnalyticsSnapshots(db, { to: AS_OF })).mode).not.toBe('NONE');
    await expectSnapshotsEqualMirror();
  });

  it('move partners whose responsibility changed before a report reads, without rebuilding a day', async () => {
    const before = await state();
    await query(db, `UPDATE partners SET specialist_id = CASE WHEN specialist_id = 1 THEN 2 ELSE 1 END WHERE id IN (1, 5)`);
    await query(db, `UPDATE partners SET collection_group_key = CASE WHEN collection_group_key = 'SA_G2' THEN 'SA_G1' ELSE 'SA_G2' END WHERE id = 4`);
    await query(db, `UPDATE partners SET name = 'Renamed' WHERE id = 6`);
    expect(await state()).toMatchObject({ responsibilityChanged: false, movedPartners: 3 });
    // The first read moves them (the snapshots are read), the figures stay the mirror's.
    await expectSnapshotsEqualMirror();
    expect(await state()).toEqual({ ...before, movedPartners: 0 });
  });

  it('compare every partner after a change that can move anyone (a group), at the refresh', async () => {
    await query(db, `UPDATE collection_groups SET strategy_key = 'S2' WHERE key = 'SB_G'`);
    expect((await state()).responsibilityChanged).toBe(true);
    expect(await analytics.kpiSnapshotFigures(ctxOf('ADMIN'), cases()[0]!.args)).toEqual([]);
    const refreshed = await refreshAnalyticsSnapshots(db, { to: AS_OF });
    // The partners of segment SB (its only group SB_G): ids 3, 6, ..., 24.
    expect(refreshed).toMatchObject({ mode: 'INCREMENTAL', movedPartners: 8, days: 0 });
    await expectSnapshotsEqualMirror();
  });

  it('count a new partner and its items (one import transaction), and forget a deleted one', async () => {
    let nextItem = Number((await query(db, `SELECT max(id)::int AS n FROM open_items`))[0]!.n) + 1;
    // As an import writes them: the partner first, then its items, in one transaction.
    await db.dataSource.transaction(async (m) => {
      await m.query(`INSERT INTO partners (id, external_id, name, country, currency, customer_type, segment, specialist_id)
         VALUES (90, 'P90', 'New 90', 'DE', 'EUR', 'B2C', 'SA', 2)`);
      await m.query(
        `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency)
         VALUES ($1, 'I-new-1', 90, '1000', '2026-02-03', '2026-03-05', 1234.56, 1234.56, 'EUR'), ($2, 'I-new-2', 90, '2000', '2026-05-10', '2026-05-30', 99.99, 99.99, 'EUR')`,
        [nextItem++, nextItem++],
      );
    });
    await refreshAnalyticsSnapshots(db, { to: AS_OF });
    await expectSnapshotsEqualMirror();
    await db.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM open_items WHERE partner_id = 90`);
      await m.query(`DELETE FROM partners WHERE id = 90`);
    });
    await refreshAnalyticsSnapshots(db, { to: AS_OF });
    await expectSnapshotsEqualMirror();
  });

  it('extend by the days after the last built one (the nightly step) and rebuild everything on request', async () => {
    expect(await refreshAnalyticsSnapshots(db, { to: AS_OF })).toMatchObject({ mode: 'NONE', days: 0 });
    expect(await refreshAnalyticsSnapshots(db, { to: '2026-07-02' })).toMatchObject({ mode: 'INCREMENTAL', days: 2, positionDays: 2, to: '2026-07-02' });
    expect(await state()).toMatchObject({ builtFrom: '2025-12-31', builtTo: '2026-07-02', staleFrom: 'infinity', responsibilityChanged: false });
    // The recent days moved on: 2026-05-27 and 2026-05-28 (Wednesday, Thursday) are no longer kept.
    expect(await positionDaysHeld()).toEqual(expectedPositionDays('2025-12-31', '2026-07-02', '2026-07-02'));
    expect(await positionDaysHeld()).not.toContain('2026-05-27');
    await expectSnapshotsEqualMirror();
    await expect(refreshAnalyticsSnapshots(db, { from: '2026-13-01' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { path: 'from' } });
  });
});
