import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTS, factKey, factRowsSql, fxCheckSql, fxRatesSql, type FactKey } from '../packages/rules/src/index';
import { openTestDatabase } from './support/database';
import type { Database } from '../packages/server/src/db/database';

/**
 * The set-based fact computation (factRowsSql) on a hand-built AR mirror, executed on the
 * embedded database or on DATABASE_URL's Postgres.
 */
let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

const KEYS: FactKey[] = [
  ...FACTS.filter((f) => !f.params.length).map((f) => factKey(f.name)),
  factKey('overdueAmount'),
  factKey('overdueAmount', { minDaysOverdue: 30 }),
  factKey('overdueItemCount'),
  factKey('dueAmount'),
  factKey('dueAmount', { withinDays: 7 }),
  factKey('brokenPromises'),
  factKey('daysSinceLastContact'),
  factKey('daysSinceLastContact', { reachedOnly: true }),
];
const D = { currency: 'EUR', asOf: '2026-03-31' };
const run = async (keys: FactKey[], options: Parameters<typeof factRowsSql>[1]): Promise<Record<string, unknown>[]> => {
  const { text, values } = factRowsSql(keys, options);
  return db.dataSource.query(text, values);
};

describe('factRowsSql on the AR mirror', () => {
  it('computes the catalogue facts at key date D with FX conversion', async () => {
    const q = (text: string) => db.dataSource.query(text);
    await q(`INSERT INTO partners (id, external_id, name, country, currency, risk_class, credit_limit, customer_type, segment) VALUES
      (901, 'R1', 'One', 'DE', 'EUR', NULL, 1000, 'B2C', 'CONSUMER'), (902, 'R2', 'Two', 'CH', 'CHF', 'C', NULL, 'B2B', 'SME')`);
    await q(`INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('USD', 'EUR', '2026-03-01', 0.5), ('USD', 'EUR', '2026-04-15', 0.8)`);
    await q(`INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level, dunning_block) VALUES
      (9001, 'IA', 901, '1000', '2026-01-01', '2026-02-01', 300, 300, 'EUR', 2, false),
      (9002, 'IB', 901, '1000', '2026-03-01', '2026-03-30', 100, 100, 'USD', 0, true),
      (9003, 'IC', 901, '2000', '2026-03-01', '2026-04-05', 200, 200, 'EUR', 0, false),
      (9004, 'ID', 901, '1000', '2026-01-01', '2026-01-05', 80, 0, 'EUR', 3, false)`);
    await q(`INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status) VALUES
      ('D1', 901, 9001, '2026-03-02', 120, 'EUR', 'OPEN'), ('D2', 901, 9003, '2026-03-02', 999, 'EUR', 'CLOSED')`);
    await q(`INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency, cancelled) VALUES
      ('P1', 901, 9003, '2026-03-01', '2026-03-10', 100, 'EUR', false),
      ('P2', 901, 9001, '2026-03-01', '2026-03-20', 50, 'EUR', false),
      ('P3', 901, 9002, '2026-03-25', '2026-04-10', 10, 'USD', false),
      ('P4', 901, 9002, '2026-03-25', '2026-03-26', 10, 'USD', true)`);
    await q(`INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES
      ('Y1', 901, 9003, '2026-03-12', 40, 'EUR'), ('Y2', 902, NULL, '2026-04-02', 5, 'GBP')`);
    await q(`INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached) VALUES
      ('C1', 901, '2026-03-21', 'PHONE', 'OUT', false), ('C2', 901, '2026-03-01', 'PHONE', 'OUT', true)`);
    await q(`INSERT INTO resubmissions (partner_id, resubmission_date, reason, done) VALUES (901, '2026-03-31', 'call back', false)`);

    const rows = await run(KEYS, { ...D, partnerIds: [901, 902] });
    const num = (v: unknown) => (v === null ? null : Number(v));
    const [one, two] = rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d/.test(v) && k !== 'f_companycodes' ? num(v) : v])),
    );
    expect(one).toMatchObject({
      partner_id: 901,
      f_currency: 'EUR',
      f_country: 'DE',
      f_riskclass: null,
      f_creditlimit: 1000,
      f_creditutilization: 55,
      f_openamount: 550,
      f_openitemcount: 3,
      f_overdueamount_mindaysoverdue_1: 350,
      f_overdueamount_mindaysoverdue_30: 300,
      f_overdueitemcount_mindaysoverdue_1: 2,
      f_dueamount_withindays_0: 0,
      f_dueamount_withindays_7: 200,
      f_maxdaysoverdue: 58,
      f_disputedamount: 120,
      f_opendisputecount: 1,
      f_promisedamount: 5,
      f_brokenpromises_withindays_365: 1,
      f_keptpromiseratio: 0,
      f_amounttobecollected: 0,
      f_dayssincelastcontact_reachedonly_false: 10,
      f_dayssincelastcontact_reachedonly_true: 30,
      f_dayssincelastpayment: 19,
      f_maxdunninglevel: 2,
      f_alloverduedisputedorblocked: true,
      f_resubmissiondue: true,
      f_companycodes: ['1000', '2000'],
    });
    expect(Number(one!.f_disputedshare)).toBeCloseTo(21.818, 2);
    expect(two).toMatchObject({
      partner_id: 902,
      f_riskclass: 'C',
      f_creditlimit: null,
      f_creditutilization: null,
      f_openamount: 0,
      f_maxdaysoverdue: null,
      f_companycodes: [],
      f_alloverduedisputedorblocked: false,
      f_resubmissiondue: false,
      f_keptpromiseratio: null,
      f_dayssincelastpayment: null,
      f_disputedshare: null,
    });
    const missingAt = (asOf: string) => db.dataSource.query(fxCheckSql({ currency: 'EUR', asOf }).text, fxCheckSql({ currency: 'EUR', asOf }).values);
    // The GBP payment (04-02) came after D: nothing at D needs its rate; later it does.
    expect(await missingAt('2026-03-31')).toEqual([]);
    expect(await missingAt('2026-04-30')).toEqual([{ from_currency: 'GBP', to_currency: 'EUR' }]);
  });

  it('computes the broken promised amount and the dunned amount', async () => {
    const [one] = await run([factKey('brokenPromiseAmount'), factKey('brokenPromiseAmount', { withinDays: 5 }), factKey('dunnedAmount')], {
      ...D,
      partnerIds: [901],
    });
    // P2 (50 EUR, promised 03-20, nothing paid by 03-23) is BROKEN; P1 was partly paid. IA (300, level 2) is dunned.
    expect(Object.fromEntries(Object.entries(one!).map(([k, v]) => [k, Number(v)]))).toEqual({
      partner_id: 901,
      f_brokenpromiseamount_withindays_365: 50,
      f_brokenpromiseamount_withindays_5: 0,
      f_dunnedamount: 300,
    });
  });

  it('gives the same rows with the rates as parameters and a uniform tolerance as with the joins', async () => {
    const keys = [...KEYS, factKey('brokenPromiseAmount'), factKey('dunnedAmount')];
    const rates: Array<{ currency: string; rate: string }> = await db.dataSource.query(fxRatesSql(D).text, fxRatesSql(D).values);
    expect(rates.map((r) => r.currency)).toEqual(['EUR', 'USD']);
    const figures = { agingLimits: [0, 30] };
    const joined = await run(keys, { ...D, worklistFigures: figures });
    const given = await run(keys, { ...D, worklistFigures: figures, rates, uniformToleranceDays: 3 });
    expect(given).toEqual(joined);
    expect(joined.map((r) => r.w_fx_missing)).toEqual([false, false]);
    // Without the USD rate, partner 901's USD item is converted to nothing and flagged.
    const flagged = await run(keys, { ...D, worklistFigures: figures, rates: rates.filter((r) => r.currency !== 'USD') });
    expect(flagged.map((r) => r.w_fx_missing)).toEqual([true, false]);
    // Master data only: the key date is still a typed parameter.
    const master = await run([factKey('riskClass')], { ...D, rates });
    expect(master.map((r) => r.f_riskclass)).toEqual([null, 'C']);
    const text = factRowsSql(keys, { ...D, rates, uniformToleranceDays: 3 }).text;
    expect(text).not.toMatch(/\bfx_rates\b|company_codes|0\.5/);
  });

  it('gives each fact the same value alone as among all the others', async () => {
    const [full] = await run(KEYS, { ...D, partnerIds: [901] });
    for (const k of KEYS) {
      const [alone] = await run([k], { ...D, partnerIds: [901] });
      expect({ [k.column]: alone![k.column] }).toEqual({ [k.column]: full![k.column] });
    }
  });

  it('selects partners by segment and by id range, alone and combined', async () => {
    const all = await run(KEYS, D);
    const ids = (rows: Record<string, unknown>[]) => rows.map((r) => Number(r.partner_id));
    expect(ids(all)).toEqual([901, 902]);
    const sme = await run(KEYS, { ...D, segment: 'SME' });
    expect(sme).toEqual([all[1]]);
    expect(await run(KEYS, { ...D, segment: 'CONSUMER' })).toEqual([all[0]]);
    expect(await run(KEYS, { ...D, segment: 'NONE' })).toEqual([]);
    expect(await run(KEYS, { ...D, partnerRange: [901, 902] })).toEqual([all[0]]);
    expect(await run(KEYS, { ...D, partnerRange: ['902', '1000'] })).toEqual([all[1]]);
    expect(await run(KEYS, { ...D, partnerRange: [1, 1000], segment: 'SME', partnerIds: [901, 902] })).toEqual([all[1]]);
    expect(await run(KEYS, { ...D, partnerRange: [901, 902], segment: 'SME' })).toEqual([]);
    expect(await run(KEYS, { ...D, unordered: true })).toHaveLength(2);
  });

  it('reads only the tables the facts need and pastes no value into the SQL', () => {
    const tables = (keys: FactKey[]) => {
      const { text } = factRowsSql(keys, { ...D, segment: 'CONSUMER', partnerRange: [1, 100] });
      expect(text).not.toMatch(/CONSUMER|2026|EUR|\b100\b/);
      const all = ['open_items', 'payments', 'promises', 'disputes', 'contacts', 'resubmissions', 'dunning_level_changes', 'dispute_status_changes'];
      return all.filter((t) => new RegExp(`\\b${t}\\b`).test(text));
    };
    // Items at D read the payments dated after D (their open amount then); dunning levels and
    // dispute statuses at D read their histories.
    expect(tables([factKey('openAmount'), factKey('overdueAmount'), factKey('companyCodes')])).toEqual(['open_items', 'payments']);
    expect(tables([factKey('maxDunningLevel')])).toEqual(['open_items', 'payments', 'dunning_level_changes']);
    expect(tables([factKey('allOverdueDisputedOrBlocked')])).toEqual(['open_items', 'payments', 'disputes', 'dispute_status_changes']);
    expect(tables([factKey('amountToBeCollected')])).toEqual(['open_items', 'payments', 'promises', 'disputes', 'dispute_status_changes']);
    expect(tables([factKey('disputedAmount')])).toEqual(['disputes', 'dispute_status_changes']);
    expect(tables([factKey('daysSinceLastContact')])).toEqual(['contacts']);
    expect(tables([factKey('riskClass'), factKey('creditLimit')])).toEqual([]);
  });
});
