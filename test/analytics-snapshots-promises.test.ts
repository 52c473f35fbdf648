import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analytics, refreshAnalyticsSnapshots } from '../packages/server/src/analytics';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { createRequestContext } from '../packages/server/src/graphql/context';
import type { Role } from '../packages/server/src/graphql/roles';
import { AnalyticsGroupByEnum } from '../packages/server/src/analytics/analytics.types';
import { openTestDatabase } from './support/database';
import { expectKeptEqualsMirror, periodCases, type ComparisonCase } from './support/snapshot-comparison';
import { generator, insertSnapshotOrganisation } from './support/seeded';
import { insertPartners, insertSpecialist, query } from './support/worklist-fixtures';

/**
 * The promise report from the daily promises (analytics_daily_promises): on a random history of
 * promises (every status, on items of company codes with different tolerances, some without an
 * item, some in another currency than their item's payments, cancelled before, within and after
 * their deadline or without a date), the report with the kept judgements equals the mirror's for
 * every grouping, filter, period end and role, after payments, cancellations, new promises, item
 * and company code changes (which mark the right day in their own transaction) and an
 * incremental refresh, after fx rates change, and after partners move.
 */
const AS_OF = '2026-06-30';
const START = '2025-12-01';
const GROUPINGS = [
  null,
  AnalyticsGroupByEnum.SPECIALIST,
  AnalyticsGroupByEnum.GROUP,
  AnalyticsGroupByEnum.LEVEL,
  AnalyticsGroupByEnum.SEGMENT,
  AnalyticsGroupByEnum.STRATEGY,
  AnalyticsGroupByEnum.COMPANY_CODE,
  AnalyticsGroupByEnum.PROFIT_CENTER,
  AnalyticsGroupByEnum.CURRENCY,
];
const SEED = Number(process.env.SNAPSHOT_SEED ?? 20_261_208);
const PARTNERS = 40;

let db: Database;
let supervisorTokenId: string;
let random: () => number;
let nextItem = 1;
let nextPromise = 1;
let nextPayment = 1;

const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const day = (from: string, offset: number) => new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const money = () => `${between(20, 600)}.${String(between(0, 9999)).padStart(4, '0')}`;

beforeAll(async () => {
  random = generator(SEED);
  db = await openTestDatabase();
  await insertSnapshotOrganisation(db);
  await insertSpecialist(db, 4, null);
  // Tolerances: 1000 the default 3, 2000 7 days, 3000 none (0); 9000 is no company code (3).
  await query(db, `UPDATE company_codes SET promise_tolerance_days = 7 WHERE code = '2000'`);
  await query(db, `INSERT INTO company_codes (code, name, currency, promise_tolerance_days) VALUES ('3000', 'CC 3000', 'EUR', 0)`);
  const rates: string[] = [];
  for (let m = 0; m < 9; m++) {
    const on = day('2025-11-01', m * 30);
    rates.push(`('${on}', 'USD', 'EUR', ${(0.8 + m * 0.0137).toFixed(4)})`, `('${on}', 'EUR', 'USD', ${(1.25 - m * 0.0191).toFixed(4)})`);
  }
  await query(db, `INSERT INTO fx_rates (rate_date, from_currency, to_currency, rate) VALUES ${rates.join(', ')}`);
  const partners = Array.from({ length: PARTNERS }, (_, n) => {
    const segment = n % 3 === 2 ? 'SB' : 'SA';
    return { id: n + 1, segment, group: segment === 'SA' ? pick(['SA_G1', 'SA_G2', null]) : null, specialist: pick([1, 2, 3, 4, null]) };
  });
  await insertPartners(db, partners);
  for (const p of partners) {
    const items: Array<{ id: number; currency: string }> = [];
    for (let k = between(1, 3); k > 0; k--) items.push(await insertItem(p.id));
    for (let k = between(0, 5); k > 0; k--) await insertPromise(p.id, random() < 0.1 ? null : pick(items), day(START, between(0, 200)));
    for (let k = between(2, 8); k > 0; k--) await insertPayment(p.id, pick(items), day(START, between(-5, 215)));
  }
  const created = await createApiToken(db, { name: 'sup-g2', role: 'SUPERVISOR', groups: ['SA_G2', 'SB_G'] });
  supervisorTokenId = String(created.record.id);
});

afterAll(async () => {
  await db?.close();
});

async function insertItem(partner: number): Promise<{ id: number; currency: string }> {
  const id = nextItem++;
  const currency = random() < 0.2 ? 'USD' : 'EUR';
  await query(
    db,
    `INSERT INTO open_items (id, external_id, partner_id, company_code, profit_center, document_date, due_date, amount, open_amount, currency)
     VALUES ($1, $2, $3, $4, $5, '2025-10-01', '2025-11-01', 5000, 1000, $6)`,
    [id, `I${id}`, partner, pick(['1000', '2000', '3000', '9000']), pick(['PC1', 'PC2', null]), currency],
  );
  return { id, currency };
}

/** A promise in its item's currency (now and then another), cancelled now and then: before, within or after its deadline, or undated. */
async function insertPromise(partner: number, item: { id: number; currency: string } | null, created: string): Promise<number> {
  const id = nextPromise++;
  const promised = day(created, between(-3, 40));
  const roll = random();
  const cancelled = roll < 0.08 ? day(created, between(-2, 70)) : roll < 0.11 ? 'undated' : null;
  await query(
    db,
    `INSERT INTO promises (id, external_id, partner_id, item_id, created_date, promised_date, amount, currency, level, cancelled, cancelled_date)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      id,
      `Q${id}`,
      partner,
      item?.id ?? null,
      created,
      promised,
      money(),
      random() < 0.9 ? (item?.currency ?? 'EUR') : pick(['EUR', 'USD']),
      between(1, 3),
      cancelled !== null,
      cancelled === 'undated' ? null : cancelled,
    ],
  );
  return id;
}

/** A payment on the item, in its currency (now and then another, converted at the key date's rate). */
async function insertPayment(partner: number, item: { id: number; currency: string }, date: string): Promise<void> {
  const id = nextPayment++;
  await query(db, `INSERT INTO payments (id, external_id, partner_id, item_id, payment_date, amount, currency) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    id,
    `Y${id}`,
    partner,
    item.id,
    date,
    money(),
    random() < 0.9 ? item.currency : pick(['EUR', 'USD']),
  ]);
}

function ctxOf(role: Role, specialistId: string | null = null) {
  const tokenId = role === 'SUPERVISOR' ? supervisorTokenId : '0';
  return createRequestContext(db, { tokenId, name: 'test', role, specialistId });
}

type Args = Parameters<typeof analytics.promiseReport>[1];

/** Every combination the comparison covers: groupings, periods (ends in the middle of deadlines), filters, roles. */
function cases(): Array<ComparisonCase<Args>> {
  const periods = [
    { from: '2026-01-01', to: AS_OF },
    { from: '2026-02-10', to: '2026-05-17' },
    { from: '2026-03-05', to: '2026-03-05' },
    { from: '2025-10-01', to: '2026-04-03' },
    { from: '2025-12-01', to: '2026-01-08' },
  ];
  return periodCases<Args>({
    periods,
    groupings: GROUPINGS,
    filterPeriod: periods[1]!,
    filters: [
      { segment: 'SA' },
      { group: 'SA_G1' },
      { strategy: 'S1' },
      { specialist: '2' },
      { specialist: '4' },
      { companyCode: '2000' },
      { companyCode: '3000' },
    ],
    filterGroupings: [null, AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.COMPANY_CODE],
    roleGroupings: [null, AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.LEVEL],
    extra: [
      { label: 'in USD', role: 'ADMIN', specialistId: null, args: { filter: { ...periods[0]!, currency: 'USD' }, groupBy: AnalyticsGroupByEnum.CURRENCY } },
    ],
  });
}

/** For each case: the report with the kept judgements (which must be used) equals the mirror's. */
async function expectSnapshotsEqualMirror(): Promise<void> {
  await expectKeptEqualsMirror(cases(), { ctxOf, report: analytics.promiseReport, figures: analytics.promiseSnapshotFigures });
}

const state = () => analytics.snapshotState(db);
const refresh = () => refreshAnalyticsSnapshots(db, { to: AS_OF });

describe('promise report from the daily snapshots', () => {
  it('is read from the mirror before the snapshots are built', async () => {
    expect(await analytics.promiseSnapshotFigures(ctxOf('ADMIN'), cases()[0]!.args)).toEqual([]);
  });

  it('gives the mirror figures for every grouping, period, filter and role, most of them from the kept judgements', async () => {
    expect((await refresh()).mode).toBe('FULL');
    await expectSnapshotsEqualMirror();
    // The history has every outcome, and the kept rows hold most promises (and some paid in another currency, by id).
    const whole = await analytics.promiseReport(ctxOf('ADMIN'), { filter: { from: START, to: AS_OF, currency: 'EUR' } });
    const [total] = whole.rows;
    for (const outcome of [total!.kept, total!.partiallyKept, total!.broken, total!.open, total!.cancelled]) expect(outcome.count).toBeGreaterThan(0);
    const [kept] = await query(
      db,
      `SELECT coalesce(sum(n) FILTER (WHERE promise_id IS NULL), 0)::int AS judged, count(*) FILTER (WHERE promise_id IS NOT NULL)::int AS foreign_paid
         FROM analytics_daily_promises WHERE made_on >= $1 AND day <= $2`,
      [START, AS_OF],
    );
    expect(kept!.judged).toBeGreaterThan(total!.made.count / 2);
    expect(kept!.foreign_paid).toBeGreaterThan(0);
    // The scope is really applied to the kept rows.
    const own = await analytics.promiseReport(ctxOf('SPECIALIST', '1'), { filter: { from: START, to: AS_OF, currency: 'EUR' } });
    expect(own.rows[0]!.made.count).toBeLessThan(total!.made.count);
  });

  it('a write marks from the first day a judgement it changes is kept on; the judging run and fx rates mark nothing', async () => {
    await query(db, `UPDATE promises SET judged_status = 'BROKEN', judged_at = '2026-06-01' WHERE id <= 10`);
    await query(
      db,
      `INSERT INTO fx_rates (rate_date, from_currency, to_currency, rate) VALUES ('2026-03-02', 'USD', 'EUR', 0.7777), ('2026-05-16', 'EUR', 'USD', 1.3333)`,
    );
    expect((await state()).staleFrom).toBe('infinity');
    await expectSnapshotsEqualMirror();
    // Cancelling a promise judged long ago moves its row: from its promised date + 1 (its row's day at the earliest).
    const [broken] = await query(
      db,
      `SELECT id::int AS id, (promised_date + 1)::text AS d FROM promises WHERE NOT cancelled AND promised_date < '2026-04-01' ORDER BY promised_date DESC LIMIT 1`,
    );
    await query(db, `UPDATE promises SET cancelled = true, cancelled_date = '2026-06-20' WHERE id = $1`, [broken!.id]);
    expect((await state()).staleFrom).toBe(broken!.d);
    await refresh();
    // A promise made with a past promised date marks from the day after it (or from its creation: the daily contacts' own mark).
    await insertPromise(5, null, '2026-02-01');
    const [made] = await query(db, `SELECT least(created_date, promised_date + 1)::text AS d FROM promises WHERE id = $1`, [nextPromise - 1]);
    expect((await state()).staleFrom).toBe(made!.d);
    await refresh();
    // A payment (with its item's open amount, as posted) marks from its date: a promise's row is dated after its deadline, on or after the payment.
    await db.dataSource.transaction(async (m) => {
      await m.query(`INSERT INTO payments (id, external_id, partner_id, item_id, payment_date, amount, currency)
        SELECT 90001, 'Y90001', partner_id, id, '2026-04-04', 55.5, currency FROM open_items WHERE id = 1`);
      await m.query(`UPDATE open_items SET open_amount = open_amount - 55.5 WHERE id = 1`);
    });
    expect((await state()).staleFrom).toBe('2026-04-04');
    await refresh();
    // An item's company code (its promises' tolerance and grouping): from its earliest promise (or earlier: the positions' own mark, from its document date).
    const [promised] = await query(
      db,
      `SELECT q.item_id::int AS item, least(min(q.promised_date) + 1, min(i.document_date))::text AS d FROM promises q JOIN open_items i ON i.id = q.item_id
        GROUP BY q.item_id ORDER BY 2 LIMIT 1`,
    );
    await query(db, `UPDATE open_items SET company_code = CASE WHEN company_code = '2000' THEN '1000' ELSE '2000' END WHERE id = $1`, [promised!.item]);
    expect((await state()).staleFrom).toBe(promised!.d);
    await refresh();
    // A company code's tolerance: from the earliest promise on its items.
    const [coded] = await query(
      db,
      `SELECT (min(q.promised_date) + 1)::text AS d FROM promises q JOIN open_items i ON i.id = q.item_id WHERE i.company_code = '3000'`,
    );
    await query(db, `UPDATE company_codes SET promise_tolerance_days = 2 WHERE code = '3000'`);
    expect((await state()).staleFrom).toBe(coded!.d);
    // Stale: read from the mirror until the refresh.
    expect(await analytics.promiseSnapshotFigures(ctxOf('ADMIN'), cases()[0]!.args)).toEqual([]);
    expect((await refresh()).mode).toBe('INCREMENTAL');
    await expectSnapshotsEqualMirror();
  });

  it('stays equal to the mirror after random payments, cancellations, new and changed promises and an incremental refresh', async () => {
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k < 20; k++) {
        const partner = between(1, PARTNERS);
        const items = (await query(db, `SELECT id::int AS id, currency FROM open_items WHERE partner_id = $1`, [partner])) as Array<{
          id: number;
          currency: string;
        }>;
        const [promise] = await query(db, `SELECT id::int AS id FROM promises WHERE partner_id = $1 ORDER BY random() LIMIT 1`, [partner]);
        const [payment] = await query(db, `SELECT id::int AS id FROM payments WHERE partner_id = $1 ORDER BY random() LIMIT 1`, [partner]);
        const roll = random();
        if (roll < 0.25) await insertPayment(partner, pick(items), day('2026-01-01', between(0, 180)));
        else if (roll < 0.35) await insertPromise(partner, pick(items), day('2026-01-01', between(0, 170)));
        else if (roll < 0.45 && payment)
          await query(db, `UPDATE payments SET payment_date = payment_date - $2::int WHERE id = $1`, [payment.id, between(-10, 10)]);
        else if (roll < 0.5 && payment) await query(db, `DELETE FROM payments WHERE id = $1`, [payment.id]);
        else if (roll < 0.62 && promise)
          await query(db, `UPDATE promises SET cancelled = true, cancelled_date = $2 WHERE id = $1`, [
            promise.id,
            pick([null, day('2026-02-01', between(0, 160))]),
          ]);
        else if (roll < 0.7 && promise)
          await query(db, `UPDATE promises SET promised_date = promised_date + $2::int, amount = amount + 10 WHERE id = $1`, [promise.id, between(-15, 15)]);
        else if (roll < 0.76 && promise) await query(db, `UPDATE promises SET cancelled = false, cancelled_date = NULL WHERE id = $1`, [promise.id]);
        else if (roll < 0.82 && promise) await query(db, `DELETE FROM promises WHERE id = $1`, [promise.id]);
        else if (roll < 0.9)
          await query(db, `UPDATE open_items SET company_code = $2, profit_center = $3 WHERE id = $1`, [
            pick(items).id,
            pick(['1000', '2000', '3000']),
            pick(['PC1', 'PC3']),
          ]);
        else if (promise) await query(db, `UPDATE promises SET partner_id = $2, level = 3 WHERE id = $1`, [promise.id, between(1, PARTNERS)]);
      }
      expect((await state()).staleFrom).not.toBe('infinity');
      expect((await refresh()).mode).toBe('INCREMENTAL');
      await expectSnapshotsEqualMirror();
    }
  });

  it('moves partners whose responsibility changed before a report reads (their promises with them)', async () => {
    const before = await state();
    await query(db, `UPDATE partners SET specialist_id = CASE WHEN specialist_id = 1 THEN NULL ELSE 1 END WHERE id IN (1, 4, 9)`);
    await query(db, `UPDATE partners SET collection_group_key = CASE WHEN collection_group_key = 'SA_G2' THEN 'SA_G1' ELSE 'SA_G2' END WHERE id IN (7, 10)`);
    await query(db, `UPDATE partners SET segment = 'SB', collection_group_key = NULL WHERE id = 13`);
    expect(await state()).toMatchObject({ responsibilityChanged: false, movedPartners: 6 });
    await expectSnapshotsEqualMirror();
    expect(await state()).toEqual({ ...before, movedPartners: 0 });
  });

  it('are rebuilt at a refresh after a TRUNCATE', async () => {
    await query(db, `TRUNCATE promises`);
    expect((await state()).staleFrom).toBe('-infinity');
    expect((await refresh()).mode).toBe('FULL');
    await expectSnapshotsEqualMirror();
  });
});
