import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { analytics, refreshAnalyticsSnapshots } from '../packages/server/src/analytics';
import { AnalyticsGranularityEnum } from '../packages/server/src/analytics/analytics.types';
import { createApiToken } from '../packages/server/src/auth';
import { createRequestContext } from '../packages/server/src/graphql/context';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { insertLedger, insertPayment } from './support/analytics-ledger';
import { openTestDatabase } from './support/database';
import { insertPartners, insertSegment, query } from './support/worklist-fixtures';

/**
 * KPIs over February and March 2026 on the ledger of support/analytics-ledger.ts, by hand.
 * Open at each boundary (days overdue, ageing bucket of limits 0/30/60/90 as b0..b4):
 *   01-31: A 1000 (11 d, b1), C 300 (31 d, b2)                                  = 1300
 *   02-28: A 600 (39 d, b2), B 500 (-12 d, b0), C 300 (59 d, b2), E 250 (3 d, b1) = 1650, current 500
 *   03-31: B 500 (19 d, b1), C 300 (90 d, b3), D 200 USD x 0.8 = 160 (0 d, b0)   =  960, current 160
 * Sales: Dec 300 (C), Jan 1000 (A), Feb 500 + 250 = 750, Mar 200 USD x 0.9 (rate of 03-01) = 180.
 * February: CEI (1300 + 750 - 1650) / (1300 + 750 - 500) = 400 / 1550 = 25.81 %;
 *   DSO average 1650 / 750 x 28 = 61.60; count-back 1650 - 750 = 900 (28 d), 900 / 1000 x 31 = 27.9 → 55.90;
 *   ADD: 400 paid on 02-10 for A due 01-20 = 21 days; roll b1→b2 600 / 1000 = 60 %, b2→b3 0 / 300 = 0 %.
 * March: CEI (1650 + 180 - 960) / (1650 + 180 - 160) = 870 / 1670 = 52.10 %;
 *   DSO average 960 / 180 x 31 = 165.33; count-back 960 - 180 = 780 (31 d), 780 - 750 = 30 (28 d), 30 / 1000 x 31 = 0.93 → 59.93;
 *   ADD (600 x 54 + 250 x 8) / 850 = 40.47; roll b0→b1 500 / 500 = 100 %, b1→b2 0 / 250 = 0 %, b2→b3 300 / 900 = 33.33 %.
 */
const KPIS = `query ($filter: AnalyticsFilter!, $granularity: AnalyticsGranularity, $groupBy: AnalyticsGroupBy, $ageingLimits: [Int!]) {
  analyticsKpis(filter: $filter, granularity: $granularity, groupBy: $groupBy, ageingLimits: $ageingLimits) {
    currency ageingBuckets totalGroups
    series { group { key label } buckets { start end days openingReceivables sales closingReceivables closingCurrent
      dsoAverage dsoCountBack add cei ageing { bucket amount } rollRates { from to startAmount rolledAmount percent } } }
  }
}`;
const PERIOD = { from: '2026-02-01', to: '2026-03-31', currency: 'EUR', segment: 'ALS' };

let db: Database;
let app: RunningApp;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  db = await openTestDatabase();
  app = await startApp(db, 0);
  await insertLedger(db);
  // Segment CAP: item F (100, documented 01-10, due 01-25, cleared) paid 80 on 02-05 and 80 on 03-03: more than its amount.
  await insertSegment(db, 'CAP', [{ key: 'CAP_G', strategyKey: null }]);
  await insertPartners(db, [{ id: 4, segment: 'CAP' }]);
  await query(
    db,
    `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency)
     VALUES (106, 'I106', 4, '1000', '2026-01-10', '2026-01-25', 100, 0, 'EUR')`,
  );
  await insertPayment(db, 11, 4, 106, '2026-02-05', 80);
  await insertPayment(db, 12, 4, 106, '2026-03-03', 80);
  tokens.admin = await createTestToken(db, 'ADMIN');
  tokens.configurator = await createTestToken(db, 'CONFIGURATOR');
  tokens.supervisor = await createTestToken(db, 'SUPERVISOR');
  tokens.supervisorG2 = (await createApiToken(db, { name: 'sup-g2', role: 'SUPERVISOR', groups: ['ALS_G2'] })).token;
  tokens.specialist1 = await createTestToken(db, 'SPECIALIST', '1');
  tokens.specialist2 = await createTestToken(db, 'SPECIALIST', '2');
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

async function kpis(variables: Record<string, unknown>, token = tokens.admin!) {
  return gql(app.url, KPIS, { ...variables, filter: { ...PERIOD, ...(variables.filter as object | undefined) } }, token);
}

/** The hand-worked figures: read from the mirror, then again from the daily snapshots (the same numbers). */
function handWorked(): void {
  it('computes DSO, ADD, CEI, ageing and roll rates per month as worked out by hand', async () => {
    const { data, errors } = await kpis({});
    expect(errors).toBeUndefined();
    const report = data.analyticsKpis;
    expect(report.ageingBuckets).toEqual(['not overdue', '1–30', '31–60', '61–90', '> 90']);
    expect(report.series).toHaveLength(1);
    const [feb, mar] = report.series[0].buckets;
    expect(feb).toMatchObject({
      start: '2026-02-01',
      end: '2026-02-28',
      days: 28,
      openingReceivables: '1300.0000',
      sales: '750.0000',
      closingReceivables: '1650.0000',
      closingCurrent: '500.0000',
      dsoAverage: '61.60',
      dsoCountBack: '55.90',
      add: '21.00',
      cei: '25.81',
    });
    expect(feb.rollRates.map((r: any) => [r.from, r.startAmount, r.rolledAmount, r.percent])).toEqual([
      ['not overdue', '0.0000', '0.0000', null],
      ['1–30', '1000.0000', '600.0000', '60.00'],
      ['31–60', '300.0000', '0.0000', '0.00'],
      ['61–90', '0.0000', '0.0000', null],
    ]);
    expect(mar).toMatchObject({
      start: '2026-03-01',
      end: '2026-03-31',
      openingReceivables: '1650.0000',
      sales: '180.0000',
      closingReceivables: '960.0000',
      closingCurrent: '160.0000',
      dsoAverage: '165.33',
      dsoCountBack: '59.93',
      add: '40.47',
      cei: '52.10',
    });
    expect(mar.ageing.map((a: any) => a.amount)).toEqual(['160.0000', '500.0000', '0.0000', '300.0000', '0.0000']);
    expect(mar.rollRates.map((r: any) => r.percent)).toEqual(['100.00', '0.00', '33.33', null]);
  });

  it('groups by collection group and filters by company code', async () => {
    const grouped = (await kpis({ groupBy: 'GROUP' })).data.analyticsKpis;
    expect(grouped.series.map((s: any) => s.group)).toEqual([
      { key: 'ALS_G1', label: 'Group ALS_G1' },
      { key: 'ALS_G2', label: 'Group ALS_G2' },
    ]);
    const g2March = grouped.series[1].buckets[1];
    // Only D: nothing open at the start, 180 sold, 160 open and current at the end: all collected that could be.
    expect([g2March.openingReceivables, g2March.sales, g2March.closingReceivables, g2March.cei]).toEqual(['0.0000', '180.0000', '160.0000', '100.00']);
    expect(grouped.series[0].buckets[1].closingReceivables).toBe('800.0000');
    // Company code 1000 leaves C (2000) out: March closes with B 500 + D 160.
    const cc = (await kpis({ filter: { companyCode: '1000' } })).data.analyticsKpis;
    expect(cc.series[0].buckets[1].closingReceivables).toBe('660.0000');
  });

  it('caps an item at its amount when later payments exceed it (point in time)', async () => {
    // F at 01-31: min(100, 0 + 160) = 100 (6 days, 1–30); at 02-28: min(100, 80) = 80 (34 days, 31–60); at 03-31: 0.
    // February: roll 1–30 → 31–60 80 / 100; ADD 11 days (80 on 02-05, due 01-25); count-back 80 - 0 (28 d), 80 / 100 x 31 = 24.8 → 52.80.
    const [feb, mar] = (await kpis({ filter: { segment: 'CAP' } })).data.analyticsKpis.series[0].buckets;
    expect([feb.openingReceivables, feb.closingReceivables, feb.rollRates[1].percent, feb.add, feb.dsoCountBack]).toEqual([
      '100.0000',
      '80.0000',
      '80.00',
      '11.00',
      '52.80',
    ]);
    expect([mar.openingReceivables, mar.closingReceivables, mar.cei]).toEqual(['80.0000', '0.0000', '100.00']);
  });

  it('buckets by ISO week with the last bucket ending at filter.to', async () => {
    const { data, errors } = await kpis({ granularity: 'WEEK', filter: { from: '2026-03-04', to: '2026-03-11' } });
    expect(errors).toBeUndefined();
    const buckets = data.analyticsKpis.series[0].buckets;
    expect(buckets.map((b: any) => [b.start, b.end, b.days])).toEqual([
      ['2026-03-02', '2026-03-08', 7],
      ['2026-03-09', '2026-03-11', 3],
    ]);
    // E's 250 paid on 03-05 (8 days late) is the first week's only payment.
    expect(buckets[0].add).toBe('8.00');
  });

  it('scopes figures: a specialist their own partners, a supervisor their token’s groups, ADMIN and an unscoped supervisor all', async () => {
    const closing = async (token: string) => (await kpis({}, token)).data.analyticsKpis.series[0].buckets[1].closingReceivables;
    expect(await closing(tokens.specialist1!)).toBe('800.0000');
    expect(await closing(tokens.specialist2!)).toBe('160.0000');
    expect(await closing(tokens.supervisorG2!)).toBe('160.0000');
    expect(await closing(tokens.supervisor!)).toBe('960.0000');
    // Asking for someone else's figures gives none of theirs.
    const other = await kpis({ filter: { specialist: '2' } }, tokens.specialist1);
    expect(other.data.analyticsKpis.series[0].buckets[1].closingReceivables).toBe('0.0000');
    expect((await kpis({}, tokens.configurator)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('tells the caller which groups their figures are limited to (me.groups)', async () => {
    const groups = async (token: string) => (await gql(app.url, `{ me { role groups } }`, {}, token)).data.me;
    expect(await groups(tokens.supervisorG2!)).toEqual({ role: 'SUPERVISOR', groups: ['ALS_G2'] });
    expect(await groups(tokens.supervisor!)).toEqual({ role: 'SUPERVISOR', groups: null });
    expect(await groups(tokens.specialist1!)).toEqual({ role: 'SPECIALIST', groups: null });
    expect(await groups(tokens.admin!)).toEqual({ role: 'ADMIN', groups: null });
  });

  it('refuses hostile input with precise codes', async () => {
    const refusal = async (variables: Record<string, unknown>) => {
      const { errors } = await kpis(variables);
      return [errors?.[0]?.extensions?.code, errors?.[0]?.extensions?.reason ?? null, errors?.[0]?.extensions?.path ?? null];
    };
    expect(await refusal({ filter: { from: '2026-03-01', to: '2026-02-01' } })).toEqual(['BAD_USER_INPUT', 'PERIOD_REVERSED', 'filter.to']);
    expect(await refusal({ filter: { from: '2000-01-01', to: '2026-01-01' } })).toEqual(['BAD_USER_INPUT', 'PERIOD_TOO_LONG', 'filter.to']);
    expect(await refusal({ filter: { from: '0001-01-01', to: '0001-02-01' } })).toEqual(['BAD_USER_INPUT', 'BAD_DATE', 'filter.from']);
    expect(await refusal({ filter: { currency: 'eur' } })).toEqual(['BAD_USER_INPUT', 'BAD_CURRENCY', 'filter.currency']);
    expect(await refusal({ filter: { currency: 'E\u0000R' } })).toEqual(['BAD_USER_INPUT', null, 'filter.currency']);
    expect(await refusal({ groupBy: 'LEVEL' })).toEqual(['BAD_USER_INPUT', 'GROUP_BY_NOT_SUPPORTED', 'groupBy']);
    expect(await refusal({ ageingLimits: [30, 10] })).toEqual(['BAD_USER_INPUT', 'BAD_ARGUMENT', 'ageingLimits']);
    expect((await refusal({ filter: { segment: 'NOPE' } }))[0]).toBe('NOT_FOUND');
    expect((await refusal({ filter: { specialist: '99999999999999999999' } }))[0]).toBe('NOT_FOUND');
    expect((await refusal({ filter: { from: '2026-02-30' } }))[0]).toBe('BAD_USER_INPUT');
  });

  it('names the missing fx rates instead of failing internally', async () => {
    const { errors } = await kpis({ filter: { currency: 'USD' } });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'FX_RATE_MISSING', path: 'filter.currency' });
    expect(errors?.[0]?.extensions?.pairs).toContainEqual({ from: 'EUR', to: 'USD', on: '2025-12-01' });
  });
}

describe('analyticsKpis from the mirror', handWorked);

describe('analyticsKpis from the daily snapshots', () => {
  beforeAll(async () => {
    await refreshAnalyticsSnapshots(db, { from: '2025-12-01', to: '2026-03-31' });
    const ctx = createRequestContext(db, { tokenId: '0', name: 'test', role: 'ADMIN', specialistId: null });
    expect(await analytics.kpiSnapshotFigures(ctx, { filter: PERIOD })).toHaveLength(2);
    expect(
      await analytics.kpiSnapshotFigures(ctx, { filter: { ...PERIOD, from: '2026-03-04', to: '2026-03-11' }, granularity: AnalyticsGranularityEnum.WEEK }),
    ).toHaveLength(2);
  });
  handWorked();
});
