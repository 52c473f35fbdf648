import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentArb, factRowArb, UNIVERSE } from '../packages/rules/src/arbitraries';
import { assertValidStrategy, compileJs, compileSql, createEngine, engineScore, factColumnsSql, scoreOfSqlRow, type Score, type SqlScoreRow, type StrategyRule } from '../packages/rules/src/index';
import { openTestDatabase } from './support/database';
import type { Database } from '../packages/server/src/db/database';

/**
 * The compiled SQL agrees with json-rules-engine (and the JS scorer) on random documents and
 * fact rows, executed on the embedded database or on DATABASE_URL's Postgres.
 */
const TABLE = 'rules_fact_rows';
const COLUMNS = factColumnsSql(UNIVERSE);

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
  await db.dataSource.query(`CREATE TABLE ${TABLE} (partner_id bigint PRIMARY KEY, ${COLUMNS.map((c) => `"${c.column}" ${c.type}`).join(', ')})`);
});

afterAll(async () => {
  await db?.close();
});

async function loadRows(rows: Record<string, unknown>[]): Promise<void> {
  await db.dataSource.query(`DELETE FROM ${TABLE}`);
  const values: unknown[] = [];
  const tuples = rows.map((row, i) => {
    values.push(i + 1);
    const slots = [`$${values.length}`];
    for (const c of COLUMNS) {
      const v = row[c.column];
      values.push(v === undefined ? null : typeof v === 'number' ? String(v) : v);
      slots.push(`$${values.length}`);
    }
    return `(${slots.join(', ')})`;
  });
  await db.dataSource.query(`INSERT INTO ${TABLE} (partner_id, ${COLUMNS.map((c) => `"${c.column}"`).join(', ')}) VALUES ${tuples.join(', ')}`, values);
}

describe('compiled SQL vs json-rules-engine', () => {
  it('agrees on fired rules, exits, valuation, percent, priority and minPercent', async () => {
    let cases = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(factRowArb, { minLength: 1, maxLength: 25 }),
      fc.array(documentArb, { minLength: 1, maxLength: 3 }),
      async (rows, docs) => {
        await loadRows(rows);
        for (const doc of docs) {
          const js = compileJs(doc);
          const engine = createEngine(doc);
          const expected: Score[] = [];
          for (const row of rows) expected.push(await engineScore(engine, row)); // one run at a time
          // the packed single-bigint query (these documents fit) and the layered one
          for (const encoding of ['auto', 'layered'] as const) {
            const compiled = compileSql(doc, { factsRelation: TABLE, encoding });
            const { text, values } = compiled;
            const result: SqlScoreRow[] = await db.dataSource.query(`${text} ORDER BY partner_id`, values);
            expect(result).toHaveLength(rows.length);
            for (let i = 0; i < rows.length; i++) {
              expect(result[i].fired).toMatch(/^[01]*$/);
              expect(scoreOfSqlRow(compiled, result[i]), JSON.stringify({ encoding, doc, row: rows[i], text })).toEqual(expected[i]);
              cases++;
            }
          }
          for (let i = 0; i < rows.length; i++) expect(js.score(rows[i])).toEqual(expected[i]);
        }
      },
    ), { numRuns: Number(process.env.RULES_SQL_RUNS ?? 250) });
    expect(cases).toBeGreaterThan(1000);
  });

  it('agrees on documents too wide to pack into one bigint (many rules, large points)', async () => {
    const rule = (i: number, points: number, role: 'condition' | 'exit' = 'condition'): StrategyRule => ({
      name: `rule ${i}`, conditions: { all: [{ fact: 'openAmount', operator: 'greaterThan', value: i * 10 }] },
      event: { type: 'valuation', params: { points, role } },
    });
    const base = { key: 'WIDE', name: 'Wide', currency: 'EUR', maxValuation: null, minPercent: 12.34, agingBuckets: [0],
      priorities: [{ priority: 1, label: 'a', minPercent: 66.67 }, { priority: 2, label: 'b', minPercent: 33.33 }, { priority: 3, label: 'c', minPercent: 0 }] };
    const docs = [
      // 130 condition rules (three bit words) and 2 exits: layered
      { ...base, rules: [...Array.from({ length: 130 }, (_, i) => rule(i, i % 3 ? 7 : -3)), rule(131, 0, 'exit'), rule(132, 0, 'exit')] },
      // large points: layered
      { ...base, rules: Array.from({ length: 40 }, (_, i) => rule(i, i % 4 ? 1_000_000 : -999_999)) },
      // 55 rules with small points: packed
      { ...base, rules: [...Array.from({ length: 54 }, (_, i) => rule(i, (i % 5) - 1)), rule(60, 0, 'exit')] },
    ].map((d) => assertValidStrategy(d));
    const rows = Array.from({ length: 60 }, (_, i) => (i === 0 ? {} : { f_openamount: (i * 97) % 1400 - 5 }));
    await loadRows(rows);
    for (const [d, doc] of docs.entries()) {
      const engine = createEngine(doc);
      const compiled = compileSql(doc, { factsRelation: TABLE });
      expect(compiled.text.includes('OFFSET 0) c OFFSET 0) v'), `document ${d}`).toBe(d < 2);
      const result: SqlScoreRow[] = await db.dataSource.query(`${compiled.text} ORDER BY partner_id`, compiled.values);
      for (let i = 0; i < rows.length; i++) expect(scoreOfSqlRow(compiled, result[i]), `document ${d} row ${i}`).toEqual(await engineScore(engine, rows[i]));
    }
  });

  it('never pastes a literal into the SQL text', () => {
    fc.assert(fc.property(documentArb, (doc) => {
      const { text } = compileSql(doc, { factsRelation: TABLE });
      expect(text).not.toMatch(/'/);
      expect(text).not.toMatch(/\bR\d+\b/); // rule names travel as parameters
    }), { numRuns: 200 });
  });
});

describe('factRowsSql on the AR mirror (first cut)', () => {
  it('computes the catalogue facts at key date D with FX conversion', async () => {
    const { factKey, factRowsSql, fxCheckSql, FACTS } = await import('../packages/rules/src/index');
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

    const keys = [
      ...FACTS.filter((f) => !f.params.length).map((f) => factKey(f.name)),
      factKey('overdueAmount'), factKey('overdueAmount', { minDaysOverdue: 30 }), factKey('overdueItemCount'),
      factKey('dueAmount'), factKey('dueAmount', { withinDays: 7 }), factKey('brokenPromises'),
      factKey('daysSinceLastContact'), factKey('daysSinceLastContact', { reachedOnly: true }),
    ];
    const { text, values } = factRowsSql(keys, { currency: 'EUR', asOf: '2026-03-31', partnerIds: [901, 902] });
    const rows: Record<string, unknown>[] = await db.dataSource.query(text, values);
    const num = (v: unknown) => (v === null ? null : Number(v));
    const [one, two] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d/.test(v) && k !== 'f_companycodes' ? num(v) : v])));
    expect(one).toMatchObject({
      partner_id: 901, f_currency: 'EUR', f_country: 'DE', f_riskclass: null, f_creditlimit: 1000, f_creditutilization: 55,
      f_openamount: 550, f_openitemcount: 3, f_overdueamount_mindaysoverdue_1: 350, f_overdueamount_mindaysoverdue_30: 300,
      f_overdueitemcount_mindaysoverdue_1: 2, f_dueamount_withindays_0: 0, f_dueamount_withindays_7: 200,
      f_maxdaysoverdue: 58, f_disputedamount: 120, f_opendisputecount: 1, f_promisedamount: 5, f_brokenpromises_withindays_365: 1,
      f_keptpromiseratio: 0, f_amounttobecollected: 0, f_dayssincelastcontact_reachedonly_false: 10,
      f_dayssincelastcontact_reachedonly_true: 30, f_dayssincelastpayment: 19, f_maxdunninglevel: 2,
      f_alloverduedisputedorblocked: true, f_resubmissiondue: true, f_companycodes: ['1000', '2000'],
    });
    expect(Number(one.f_disputedshare)).toBeCloseTo(21.818, 2);
    expect(two).toMatchObject({
      partner_id: 902, f_riskclass: 'C', f_creditlimit: null, f_creditutilization: null, f_openamount: 0, f_maxdaysoverdue: null,
      f_companycodes: [], f_alloverduedisputedorblocked: false, f_resubmissiondue: false, f_keptpromiseratio: null,
      f_dayssincelastpayment: null, f_disputedshare: null,
    });
    const missing = await db.dataSource.query(fxCheckSql({ currency: 'EUR', asOf: '2026-03-31' }).text, fxCheckSql({ currency: 'EUR', asOf: '2026-03-31' }).values);
    expect(missing).toEqual([{ from_currency: 'GBP', to_currency: 'EUR' }]);
  });
});
