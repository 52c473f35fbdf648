import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentArb, factRowArb, UNIVERSE } from '../packages/rules/src/arbitraries';
import {
  assertValidStrategy,
  compileColumnar,
  compileJs,
  compileSql,
  numberColumn,
  createEngine,
  engineScore,
  factColumnsSql,
  scoreOfSqlRow,
  type FactColumn,
  type Score,
  type SqlScoreRow,
  type StrategyRule,
} from '../packages/rules/src/index';
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
  // Hundreds of documents against the database: minutes on a loaded two-core machine, not a hang.
  it('agrees on fired rules, exits, valuation, percent, priority and minPercent', { timeout: 180_000 }, async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(factRowArb, { minLength: 1, maxLength: 25 }), fc.array(documentArb, { minLength: 1, maxLength: 3 }), async (rows, docs) => {
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
              expect(result[i]!.fired).toMatch(/^[01]*$/);
              expect(scoreOfSqlRow(compiled, result[i]!), JSON.stringify({ encoding, doc, row: rows[i], text })).toEqual(expected[i]);
              cases++;
            }
          }
          for (let i = 0; i < rows.length; i++) expect(js.score(rows[i]!)).toEqual(expected[i]);
        }
      }),
      { numRuns: Number(process.env.RULES_SQL_RUNS ?? 250) },
    );
    expect(cases).toBeGreaterThan(1000);
  });

  it('agrees on documents too wide to pack into one bigint (many rules, large points)', async () => {
    const rule = (i: number, points: number, role: 'condition' | 'exit' = 'condition'): StrategyRule => ({
      name: `rule ${i}`,
      conditions: { all: [{ fact: 'openAmount', operator: 'greaterThan', value: i * 10 }] },
      event: { type: 'valuation', params: { points, role } },
    });
    const base = {
      key: 'WIDE',
      name: 'Wide',
      currency: 'EUR',
      maxValuation: null,
      minPercent: 12.34,
      agingBuckets: [0],
      priorities: [
        { priority: 1, label: 'a', minPercent: 66.67 },
        { priority: 2, label: 'b', minPercent: 33.33 },
        { priority: 3, label: 'c', minPercent: 0 },
      ],
    };
    const docs = [
      // 130 condition rules (three bit words) and 2 exits: layered
      { ...base, rules: [...Array.from({ length: 130 }, (_, i) => rule(i, i % 3 ? 7 : -3)), rule(131, 0, 'exit'), rule(132, 0, 'exit')] },
      // large points: layered
      { ...base, rules: Array.from({ length: 40 }, (_, i) => rule(i, i % 4 ? 1_000_000 : -999_999)) },
      // 55 rules with small points: packed
      { ...base, rules: [...Array.from({ length: 54 }, (_, i) => rule(i, (i % 5) - 1)), rule(60, 0, 'exit')] },
    ].map((d) => assertValidStrategy(d));
    const rows = Array.from({ length: 60 }, (_, i) => (i === 0 ? {} : { f_openamount: ((i * 97) % 1400) - 5 }));
    await loadRows(rows);
    for (const [d, doc] of docs.entries()) {
      const engine = createEngine(doc);
      const compiled = compileSql(doc, { factsRelation: TABLE });
      expect(compiled.text.includes('OFFSET 0) c OFFSET 0) v'), `document ${d}`).toBe(d < 2);
      const result: SqlScoreRow[] = await db.dataSource.query(`${compiled.text} ORDER BY partner_id`, compiled.values);
      for (let i = 0; i < rows.length; i++) expect(scoreOfSqlRow(compiled, result[i]!), `document ${d} row ${i}`).toEqual(await engineScore(engine, rows[i]!));
    }
  });

  it('the columnar scorer agrees with the SQL on numerics a double cannot tell apart', { timeout: 180_000 }, async () => {
    // Each number of a row moved by 1e-20 up or down, or written with trailing zeros: beyond a
    // double's digits, so only an exact comparison keeps the SQL's (Postgres numeric) outcome.
    const nudged = (v: number, how: number) => {
      const [whole, fraction = ''] = String(v).split('.');
      if (String(v).includes('e')) return String(v);
      const digits = `${fraction.padEnd(20, '0')}`;
      if (how === 0) return `${whole}.${digits}`;
      // v + 1e-20 (away from zero for positive v, towards it for negative) or v - 1e-20, exactly.
      const sign = v < 0 ? -1 : 1;
      const scaled = BigInt(`${whole!.replace('-', '')}${digits}`) * BigInt(sign) + BigInt(how);
      const abs = (scaled < 0n ? -scaled : scaled).toString().padStart(21, '0');
      return `${scaled < 0n ? '-' : ''}${abs.slice(0, -20)}.${abs.slice(-20)}`;
    };
    const numberColumns = new Set(COLUMNS.filter((c) => c.type === 'numeric').map((c) => c.column));
    const rowArb = fc.tuple(factRowArb, fc.array(fc.constantFrom(-1, 0, 1), { minLength: 64, maxLength: 64 })).map(([row, moves]) => {
      let k = 0;
      return Object.fromEntries(
        Object.entries(row).map(([column, v]) => [column, typeof v === 'number' && numberColumns.has(column) ? nudged(v, moves[k++ % 64]!) : v]),
      );
    });
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 20 }), documentArb, async (rows, doc) => {
        await loadRows(rows);
        const compiled = compileSql(doc, { factsRelation: TABLE });
        const result: SqlScoreRow[] = await db.dataSource.query(`${compiled.text} ORDER BY partner_id`, compiled.values);
        const columns = new Map(
          UNIVERSE.map((k): [string, FactColumn] => {
            const values = rows.map((r) => r[k.column] ?? undefined);
            return [k.column, k.type === 'number' ? numberColumn(values as Array<string | undefined>) : { kind: 'value', values }];
          }),
        );
        const columnar = compileColumnar(doc, columns);
        for (let i = 0; i < rows.length; i++) {
          expect(columnar.score(i), JSON.stringify({ doc, row: rows[i] })).toEqual(scoreOfSqlRow(compiled, result[i]!));
          cases++;
        }
      }),
      { numRuns: Number(process.env.RULES_SQL_RUNS ?? 250) },
    );
    expect(cases).toBeGreaterThan(1000);
  });

  it('never pastes a literal into the SQL text', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const { text } = compileSql(doc, { factsRelation: TABLE });
        expect(text).not.toMatch(/'/);
        expect(text).not.toMatch(/\bR\d+\b/); // rule names travel as parameters
      }),
      { numRuns: 200 },
    );
  });
});
