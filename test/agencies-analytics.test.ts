import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAgencyPayment, closeAgencySettlement } from '../packages/server/src/agencies';
import { placeItems, recallPlacement } from '../packages/server/src/agencies/placement.service';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { analyticsReport } from '../packages/server/src/cli/analytics-report';
import { createApiToken } from '../packages/server/src/auth/auth.service';
import type { Database } from '../packages/server/src/db/database';
import { agencyRowFields, type AgencyRowLike } from './support/agency-rows';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, query } from './support/worklist-fixtures';

/**
 * Issue 22's agency analytics (analyticsAgencies) on a worked example, every expected figure
 * derived below from the example's own amounts, dates and rates.
 *
 * Agencies: COLL1 (10 %, direct payments count), COLL2 (20 %, direct payments do not count).
 * FX USD->EUR: 0.9 from 2026-01-01, 0.8 from 2026-04-10, 0.85 from 2026-04-20 (after every payment: a
 * conversion at the period's end rather than each amount's own date would show).
 * Partners: P9101 (segment AA, group AA_G1 working strategy AGS, fixed specialist 901, EUR items
 * 101: 1000.00 in company code 1000 and 102: 500.00 in 2000); P9102 (AA, AA_G2, specialist 902,
 * USD item 103: 2000.00 in 1000); P9103 (segment AB, its only group AB_G, no specialist, EUR
 * item 104: 300.00 in 1000).
 * Placements: P9101 with COLL1 on 2026-03-02; P9102 with COLL1 on 2026-03-20; P9103 with COLL2 on
 * 2026-03-10, recalled on 2026-03-25, placed again with COLL1 on 2026-04-05 (230.00 open then).
 * Payments: 50.00 on 101 on 2026-02-20 (before the placement: nothing); COLL1 reports 200.00 on 101
 * (03-12); 99.99 direct on 102 (03-17); 30.00 direct on 104 (03-15, COLL2's placement); 40.00 direct
 * on 104 (03-30, between placements: nothing); COLL1 reports 60.00 on 104 (04-07) and 500.00 USD on
 * 103 (04-15, at 0.8).
 */
let db: Database;
let app: RunningApp;
let admin: string;
const ACTOR = { name: 'test', role: 'SUPERVISOR' as const };

// ---- exact arithmetic in units of 0.0001 (the API's four decimals) -----------------------------
const U = 10_000n;
const units = (amount: string): bigint => {
  const [whole, frac = ''] = amount.split('.');
  return BigInt(whole!) * U + BigInt((frac + '0000').slice(0, 4));
};
const text = (u: bigint): string => `${u / U}.${(u % U).toString().padStart(4, '0')}`;
/** An amount times a rate num/den (exact in the example). */
const at = (amount: string, num: bigint, den: bigint): bigint => (units(amount) * num) / den;
/** A payment's commission: percent of it rounded half up to the cent, as the settlement counts it. */
const commissionOf = (amount: string, percent: bigint): bigint => {
  const cents = (units(amount) * percent + 50n * 100n) / (100n * 100n); // amount x percent / 100, in cents, half up
  return cents * 100n;
};
/** a / b x 100 with two decimals, half up (positive figures). */
const rate = (a: bigint, b: bigint): string => {
  const hundredths = (a * 10_000n * 2n + b) / (b * 2n);
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
};
const days = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const avg1 = (values: number[]): string => (values.reduce((a, b) => a + b, 0) / values.length).toFixed(1);

const USD_MARCH: [bigint, bigint] = [9n, 10n];
const USD_APRIL: [bigint, bigint] = [8n, 10n];

// The figures per agency and month, derived from the example.
const P9101_PLACED = units('1000.00') + units('500.00');
const P9102_PLACED = at('2000.00', ...USD_MARCH);
const P9101_RECOVERED = units('200.00') + units('99.99');
const P9102_RECOVERED = at('500.00', ...USD_APRIL);
const P9101_COMMISSION = commissionOf('200.00', 10n) + commissionOf('99.99', 10n);
const P9102_COMMISSION = (commissionOf('500.00', 10n) * USD_APRIL[0]) / USD_APRIL[1];
const COLL1_MARCH = {
  agency: 'COLL1',
  placementMonth: '2026-03-01',
  placements: 2,
  placedAmount: text(P9101_PLACED + P9102_PLACED),
  recoveredAmount: text(P9101_RECOVERED + P9102_RECOVERED),
  recoveryRate: rate(P9101_RECOVERED + P9102_RECOVERED, P9101_PLACED + P9102_PLACED),
  daysToFirstPayment: avg1([days('2026-03-02', '2026-03-12'), days('2026-03-20', '2026-04-15')]),
  commissionDue: text(P9101_COMMISSION + P9102_COMMISSION),
};
const P9103_REPLACED = units('300.00') - units('30.00') - units('40.00');
const COLL1_APRIL = {
  agency: 'COLL1',
  placementMonth: '2026-04-01',
  placements: 1,
  placedAmount: text(P9103_REPLACED),
  recoveredAmount: text(units('60.00')),
  recoveryRate: rate(units('60.00'), P9103_REPLACED),
  daysToFirstPayment: avg1([days('2026-04-05', '2026-04-07')]),
  commissionDue: text(commissionOf('60.00', 10n)),
};
/** COLL2: the direct 30.00 recovered during its placement earns nothing while direct payments do not count. */
const coll2March = (countDirect: boolean) => ({
  agency: 'COLL2',
  placementMonth: '2026-03-01',
  placements: 1,
  placedAmount: text(units('300.00')),
  recoveredAmount: text(units('30.00')),
  recoveryRate: rate(units('30.00'), units('300.00')),
  daysToFirstPayment: avg1([days('2026-03-10', '2026-03-15')]),
  commissionDue: text(countDirect ? commissionOf('30.00', 20n) : 0n),
});

const FIELDS = 'agency placementMonth placements placedAmount recoveredAmount recoveryRate daysToFirstPayment commissionDue';
const REPORT = `query Agencies($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy, $agency: String, $first: Int) {
  analyticsAgencies(filter: $filter, groupBy: $groupBy, agency: $agency, first: $first) {
    currency groupBy totalGroups rows { agencyName group { key label } ${FIELDS} } } }`;
const PERIOD = { from: '2026-03-01', to: '2026-04-30', currency: 'EUR' };

/** The report with `filter` merged over PERIOD. */
async function report(variables: { filter?: Record<string, unknown> } & Record<string, unknown>, token = admin) {
  return gql(app.url, REPORT, { ...variables, filter: { ...PERIOD, ...variables.filter } }, token);
}
/** The rows without their group and name (the figures only). */
async function figures(variables: Record<string, unknown> = {}, token = admin) {
  const r = await report(variables, token);
  expect(r.errors).toBeUndefined();
  return r.data.analyticsAgencies.rows.map(({ group: _g, agencyName: _n, ...row }: Record<string, unknown>) => row);
}

async function directPayment(itemId: number, partnerId: number, date: string, amount: string, currency = 'EUR') {
  await query(db, `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ($1, $2, $3, $4, $5, $6)`, [
    `D-${itemId}-${date}`,
    partnerId,
    itemId,
    date,
    amount,
    currency,
  ]);
  await query(db, `UPDATE open_items SET open_amount = open_amount - $2::numeric WHERE id = $1`, [itemId, amount]);
}
const reported = (agency: string, itemId: string, paymentDate: string, amount: string, currency = 'EUR') =>
  db.dataSource.transaction((m) => applyAgencyPayment(m, { agency, itemId, paymentDate, amount, currency }, 1));
const place = (partnerId: string, agency: string, placedOn: string) =>
  db.dataSource.transaction((m) => placeItems(m, ACTOR, { partnerId, agency, itemIds: [], placedOn }));

beforeAll(async () => {
  db = await openTestDatabase();
  await query(db, `INSERT INTO company_codes (code, name, currency) VALUES ('1000', 'CC 1000', 'EUR'), ('2000', 'CC 2000', 'EUR')`);
  await query(db, `INSERT INTO strategies (key, name) VALUES ('AGS', 'Agency strategy')`);
  await insertSegment(db, 'AA', [
    { key: 'AA_G1', strategyKey: 'AGS' },
    { key: 'AA_G2', strategyKey: null },
  ]);
  await insertSegment(db, 'AB', [{ key: 'AB_G', strategyKey: null }]);
  await insertSpecialist(db, 901, 'AA_G1');
  await insertSpecialist(db, 902, 'AA_G2');
  await insertPartners(db, [
    { id: 9101, segment: 'AA', group: 'AA_G1', specialist: 901 },
    { id: 9102, segment: 'AA', group: 'AA_G2', specialist: 902, currency: 'USD' },
    { id: 9103, segment: 'AB' },
  ]);
  await insertItems(db, [
    { id: 101, partner: 9101, due: '2026-01-10', open: 1000, company: '1000' },
    { id: 102, partner: 9101, due: '2026-01-20', open: 500, company: '2000' },
    { id: 103, partner: 9102, due: '2026-01-15', open: 2000, currency: 'USD', company: '1000' },
    { id: 104, partner: 9103, due: '2026-01-05', open: 300, company: '1000' },
  ]);
  await query(
    db,
    `INSERT INTO fx_rates (rate_date, from_currency, to_currency, rate) VALUES ('2026-01-01', 'USD', 'EUR', 0.9), ('2026-04-10', 'USD', 'EUR', 0.8), ('2026-04-20', 'USD', 'EUR', 0.85)`,
  );
  await query(
    db,
    `INSERT INTO agencies (key, name, commission_percent, count_direct_payments) VALUES ('COLL1', 'First Collect', 10, true), ('COLL2', 'Second Collect', 20, false)`,
  );
  await directPayment(101, 9101, '2026-02-20', '50.00');
  await query(db, `UPDATE open_items SET open_amount = 1000 WHERE id = 101`); // the early payment was on an earlier debt: 1000 open when placed
  await place('9101', 'COLL1', '2026-03-02');
  await place('9103', 'COLL2', '2026-03-10');
  await reported('COLL1', 'I101', '2026-03-12', '200.00');
  await directPayment(104, 9103, '2026-03-15', '30.00');
  await directPayment(102, 9101, '2026-03-17', '99.99');
  await place('9102', 'COLL1', '2026-03-20');
  const [p9103] = await query(db, `SELECT id::text AS id, version FROM placements WHERE partner_id = 9103`);
  await db.dataSource.transaction((m) =>
    recallPlacement(m, ACTOR, { placementId: String(p9103!.id), reason: 'Customer called', recalledOn: '2026-03-25', version: Number(p9103!.version) }),
  );
  await directPayment(104, 9103, '2026-03-30', '40.00');
  await place('9103', 'COLL1', '2026-04-05');
  await reported('COLL1', 'I104', '2026-04-07', '60.00');
  await reported('COLL1', 'I103', '2026-04-15', '500.00', 'USD');
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`agency analytics (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('gives the worked example per agency and placement month in the reporting currency', async () => {
    const r = await report({});
    expect(r.errors).toBeUndefined();
    expect(r.data.analyticsAgencies).toMatchObject({ currency: 'EUR', groupBy: null, totalGroups: 1 });
    expect(r.data.analyticsAgencies.rows.map((row: { agencyName: string; group: unknown }) => [row.agencyName, row.group])).toEqual([
      ['First Collect', { key: null, label: null }],
      ['First Collect', { key: null, label: null }],
      ['Second Collect', { key: null, label: null }],
    ]);
    expect(await figures()).toEqual([COLL1_MARCH, COLL1_APRIL, coll2March(false)]);
  });

  it('counts commission as the settlement does: direct payments when the agency says so, frozen lines of a closed period', async () => {
    await query(db, `UPDATE agencies SET count_direct_payments = true WHERE key = 'COLL2'`);
    expect((await figures({ agency: 'COLL2' }))[0]).toEqual(coll2March(true));
    await query(db, `UPDATE agencies SET count_direct_payments = false WHERE key = 'COLL2'`);
    expect((await figures({ agency: 'COLL2' }))[0]).toEqual(coll2March(false));

    // The settlement's own totals over the whole period, converted at each line's date, are the commission due.
    const settlement = await gql(
      app.url,
      `{ agencySettlement(agency: "COLL1", from: "2026-03-01", to: "2026-04-30") { lines { paymentDate currency commission } } }`,
      {},
      admin,
    );
    const fromSettlement = settlement.data.agencySettlement.lines.reduce(
      (total: bigint, l: { paymentDate: string; currency: string; commission: string }) =>
        total + (l.currency === 'EUR' ? units(l.commission) : at(l.commission, ...(l.paymentDate >= '2026-04-10' ? USD_APRIL : USD_MARCH))),
      0n,
    );
    const rows = await figures({ agency: 'COLL1' });
    expect(rows.reduce((total: bigint, row: { commissionDue: string }) => total + units(row.commissionDue), 0n)).toBe(fromSettlement);

    // March closed at 10 %, then the percent raised to 50 %: March's payments keep their frozen commission, April's earn 50 %.
    await db.dataSource.transaction((m) => closeAgencySettlement(m, ACTOR, 'COLL1', '2026-03-01', '2026-03-31'));
    await query(db, `UPDATE agencies SET commission_percent = 50 WHERE key = 'COLL1'`);
    try {
      expect(await figures({ agency: 'COLL1' })).toEqual([
        { ...COLL1_MARCH, commissionDue: text(P9101_COMMISSION + (commissionOf('500.00', 50n) * USD_APRIL[0]) / USD_APRIL[1]) },
        { ...COLL1_APRIL, commissionDue: text(commissionOf('60.00', 50n)) },
      ]);
    } finally {
      await query(db, `UPDATE agencies SET commission_percent = 10 WHERE key = 'COLL1'`);
      await query(db, `DELETE FROM agency_settlements WHERE agency_key = 'COLL1'`);
    }
    expect(await figures({ agency: 'COLL1' })).toEqual([COLL1_MARCH, COLL1_APRIL]);
  });

  it('filters by period (placement date), company code, segment, group, strategy, specialist and agency', async () => {
    expect(await figures({ filter: { from: '2026-04-01' } })).toEqual([COLL1_APRIL]);
    // Company code 2000: item 102 of P9101 alone (first paid 03-17).
    expect(await figures({ filter: { companyCode: '2000' } })).toEqual([
      {
        agency: 'COLL1',
        placementMonth: '2026-03-01',
        placements: 1,
        placedAmount: text(units('500.00')),
        recoveredAmount: text(units('99.99')),
        recoveryRate: rate(units('99.99'), units('500.00')),
        daysToFirstPayment: avg1([days('2026-03-02', '2026-03-17')]),
        commissionDue: text(commissionOf('99.99', 10n)),
      },
    ]);
    expect(await figures({ filter: { segment: 'AB' } })).toEqual([COLL1_APRIL, coll2March(false)]);
    const p9102 = {
      agency: 'COLL1',
      placementMonth: '2026-03-01',
      placements: 1,
      placedAmount: text(P9102_PLACED),
      recoveredAmount: text(P9102_RECOVERED),
      recoveryRate: rate(P9102_RECOVERED, P9102_PLACED),
      daysToFirstPayment: avg1([days('2026-03-20', '2026-04-15')]),
      commissionDue: text(P9102_COMMISSION),
    };
    expect(await figures({ filter: { group: 'AA_G2' } })).toEqual([p9102]);
    const p9101 = {
      agency: 'COLL1',
      placementMonth: '2026-03-01',
      placements: 1,
      placedAmount: text(P9101_PLACED),
      recoveredAmount: text(P9101_RECOVERED),
      recoveryRate: rate(P9101_RECOVERED, P9101_PLACED),
      daysToFirstPayment: avg1([days('2026-03-02', '2026-03-12')]),
      commissionDue: text(P9101_COMMISSION),
    };
    expect(await figures({ filter: { strategy: 'AGS' } })).toEqual([p9101]);
    expect(await figures({ filter: { specialist: '901' } })).toEqual([p9101]);
    expect(await figures({ agency: 'COLL2' })).toEqual([coll2March(false)]);
    expect(await figures({ filter: { from: '2026-05-01', to: '2026-05-31' } })).toEqual([]);
  });

  it('groups by a dimension besides agency and month, labelled, ordered by key with none last', async () => {
    const bySpecialist = await report({ groupBy: 'SPECIALIST' });
    expect(bySpecialist.errors).toBeUndefined();
    expect(bySpecialist.data.analyticsAgencies).toMatchObject({ groupBy: 'SPECIALIST', totalGroups: 3 });
    expect(bySpecialist.data.analyticsAgencies.rows.map((r: any) => [r.agency, r.placementMonth, r.group, r.placedAmount])).toEqual([
      ['COLL1', '2026-03-01', { key: '901', label: 'Specialist 901' }, text(P9101_PLACED)],
      ['COLL1', '2026-03-01', { key: '902', label: 'Specialist 902' }, text(P9102_PLACED)],
      ['COLL1', '2026-04-01', { key: null, label: null }, text(P9103_REPLACED)],
      ['COLL2', '2026-03-01', { key: null, label: null }, text(units('300.00'))],
    ]);
    // By the items' company code: P9101's placement falls in both codes, counted in each.
    const byCode = await report({ groupBy: 'COMPANY_CODE', agency: 'COLL1', filter: { to: '2026-03-31' } });
    expect(byCode.data.analyticsAgencies.rows.map((r: any) => [r.group.key, r.placements, r.placedAmount, r.recoveredAmount, r.daysToFirstPayment])).toEqual([
      [
        '1000',
        2,
        text(units('1000.00') + P9102_PLACED),
        text(units('200.00') + P9102_RECOVERED),
        avg1([days('2026-03-02', '2026-03-12'), days('2026-03-20', '2026-04-15')]),
      ],
      ['2000', 1, text(units('500.00')), text(units('99.99')), avg1([days('2026-03-02', '2026-03-17')])],
    ]);
    // By the item currency, amounts still in the reporting currency; `first` bounds the groups.
    const byCurrency = await report({ groupBy: 'CURRENCY', agency: 'COLL1', filter: { to: '2026-03-31' }, first: 1 });
    expect(byCurrency.data.analyticsAgencies).toMatchObject({ totalGroups: 2 });
    expect(byCurrency.data.analyticsAgencies.rows.map((r: any) => [r.group.key, r.placedAmount, r.commissionDue])).toEqual([
      ['EUR', text(P9101_PLACED), text(P9101_COMMISSION)],
    ]);
    const level = await report({ groupBy: 'LEVEL' });
    expect(level.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'groupBy', reason: 'GROUP_BY_NOT_SUPPORTED' });
  });

  it('exports the API rows from the CLI (report agencies --format csv, --agency)', async () => {
    const api = await report({ groupBy: 'SPECIALIST', agency: 'COLL1' });
    const csv = await analyticsReport(db, {
      name: 'agencies',
      values: { from: PERIOD.from, to: PERIOD.to, currency: PERIOD.currency, 'group-by': 'specialist', agency: 'COLL1', format: 'csv' },
    });
    const [header, ...lines] = csv.trimEnd().split('\n');
    expect(header).toBe(
      'agency,agency_name,placement_month,group,group_name,placements,placed_amount,recovered_amount,recovery_rate,days_to_first_payment,commission_due',
    );
    const rows = api.data.analyticsAgencies.rows;
    expect(rows.length).toBeGreaterThan(1);
    expect(lines).toEqual(
      rows.map((r: AgencyRowLike) =>
        agencyRowFields(r)
          .map((v) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v)))
          .join(','),
      ),
    );
    const json = JSON.parse(await analyticsReport(db, { name: 'agencies', values: { from: PERIOD.from, to: PERIOD.to, format: 'json' } }));
    expect(json.rows.map((r: any) => r.agency)).toEqual(['COLL1', 'COLL1', 'COLL2']);
  });

  it('keeps agencyAnalytics (per item currency, unconverted) agreeing with the converted report', async () => {
    const legacy = await gql(app.url, `{ agencyAnalytics(from: "2026-03-01", to: "2026-03-31", agency: "COLL1") { currency ${FIELDS} } }`, {}, admin);
    expect(legacy.errors).toBeUndefined();
    expect(legacy.data.agencyAnalytics).toEqual([
      {
        currency: 'EUR',
        agency: 'COLL1',
        placementMonth: '2026-03-01',
        placements: 1,
        placedAmount: text(P9101_PLACED),
        recoveredAmount: text(P9101_RECOVERED),
        recoveryRate: rate(P9101_RECOVERED, P9101_PLACED),
        daysToFirstPayment: avg1([days('2026-03-02', '2026-03-12')]),
        commissionDue: text(P9101_COMMISSION),
      },
      {
        currency: 'USD',
        agency: 'COLL1',
        placementMonth: '2026-03-01',
        placements: 1,
        placedAmount: text(units('2000.00')),
        recoveredAmount: text(units('500.00')),
        recoveryRate: rate(units('500.00'), units('2000.00')),
        daysToFirstPayment: avg1([days('2026-03-20', '2026-04-15')]),
        commissionDue: text(commissionOf('500.00', 10n)),
      },
    ]);
  });

  it('scopes by role: AGENCY its own agency, SPECIALIST their partners, SUPERVISOR their groups; others refused', async () => {
    const coll1 = (await createApiToken(db, { name: 'coll1', role: 'AGENCY', agencyKey: 'COLL1' })).token;
    expect(await figures({}, coll1)).toEqual([COLL1_MARCH, COLL1_APRIL]);
    const other = await report({ agency: 'COLL2' }, coll1);
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await gql(app.url, `{ agencyAnalytics(from: "2026-03-01", to: "2026-04-30") { agency currency } }`, {}, coll1)).data.agencyAnalytics).toEqual([
      { agency: 'COLL1', currency: 'EUR' },
      { agency: 'COLL1', currency: 'USD' },
      { agency: 'COLL1', currency: 'EUR' },
    ]);

    const specialist = await createTestToken(db, 'SPECIALIST', '901');
    const own = await figures({}, specialist);
    expect(own.map((r: { placedAmount: string }) => r.placedAmount)).toEqual([text(P9101_PLACED)]);
    // Another specialist's partners stay out whatever the filter asks.
    expect(await figures({ filter: { specialist: '902' } }, specialist)).toEqual([]);

    const g2 = (await createApiToken(db, { name: 'sup-g2', role: 'SUPERVISOR', groups: ['AA_G2'] })).token;
    expect((await figures({}, g2)).map((r: { placedAmount: string }) => r.placedAmount)).toEqual([text(P9102_PLACED)]);
    const supervisor = await createTestToken(db, 'SUPERVISOR');
    expect(await figures({}, supervisor)).toEqual([COLL1_MARCH, COLL1_APRIL, coll2March(false)]);

    for (const role of ['CONFIGURATOR', 'CLIENT'] as const) {
      const denied = await report({}, await createTestToken(db, role));
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await report({}, '')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses bad input with BAD_USER_INPUT (path and reason) and unknown keys with NOT_FOUND', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ filter: { from: '2026-04-30', to: '2026-03-01' } }, 'filter.to', 'PERIOD_REVERSED'],
      [{ filter: { from: '2019-01-01' } }, 'filter.to', 'PERIOD_TOO_LONG'],
      [{ filter: { currency: 'euro' } }, 'filter.currency', 'BAD_CURRENCY'],
      [{ filter: { currency: 'XXX' } }, 'filter.currency', 'FX_RATE_MISSING'],
      [{ groupBy: 'LEVEL' }, 'groupBy', 'GROUP_BY_NOT_SUPPORTED'],
    ];
    for (const [variables, path, reason] of cases) {
      const r = await report(variables);
      expect(r.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code: 'BAD_USER_INPUT', path, reason });
    }
    // A bad date is refused by the Date scalar before the report runs.
    expect((await report({ filter: { from: '2026-02-30' } })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // A reporting currency without a rate for the USD item names the pair and its date.
    const usd = await report({ filter: { currency: 'GBP' } });
    expect(usd.errors?.[0]?.extensions?.pairs).toContainEqual({ from: 'EUR', to: 'GBP', on: '2026-03-02' });
    for (const variables of [{ agency: 'NOPE' }, { filter: { segment: 'NOPE' } }, { filter: { companyCode: '9999' } }, { filter: { specialist: '999999' } }]) {
      expect((await report(variables)).errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('NOT_FOUND');
    }
  });
});
