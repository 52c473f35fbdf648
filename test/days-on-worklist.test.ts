import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factKey, factRowsSql } from '../packages/rules/src/index';
import type { Database } from '../packages/server/src/db/database';
import { placeItems } from '../packages/server/src/agencies/placement.service';
import { runWorklists } from '../packages/server/src/worklists/worklist-run.service';
import { arAtDate, daysOnWorklist, factsOf, readAr, type ArLiveRun } from './support/ar-at-date';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertStrategy, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * The fact daysOnWorklist (issue 22): days since the start of the partner's current continuous stay
 * on its segment's live worklist, point in time. Four live runs of segment DW, a risk class X
 * excluding a partner from the run made while it is set (an exit rule):
 *   R1 2026-01-10: 7201 7202 7203    R2 2026-01-20: 7201 7203 (7202 X)
 *   R3 2026-02-01: 7201 7202 (7203 X)  R4 2026-02-15: 7201 7202 7203
 * 7204 is in another segment without runs. Worked by hand (D - start of the stay covering the
 * latest run at or before D, 0 when not on it):
 *   D 2026-01-05: no run yet: 0 0 0;  D 2026-01-15 (R1): 5 5 5;  D 2026-01-25 (R2): 15 0 15;
 *   D 2026-02-10 (R3): 31 9 0;  D 2026-03-01 (R4): 50 28 14.
 */
let db: Database;
const STRATEGY = strategyDocument({
  key: 'DW',
  rules: [rule('Anything open', 10, 'condition', when('openAmount', 'greaterThan', 0)), rule('Risk X', 0, 'exit', when('riskClass', 'equal', 'X'))],
});
const RUNS: Array<[string, number[]]> = [
  ['2026-01-10', []],
  ['2026-01-20', [7202]],
  ['2026-02-01', [7203]],
  ['2026-02-15', []],
];
const EXPECTED: Array<[string, number[]]> = [
  ['2026-01-05', [0, 0, 0, 0]],
  ['2026-01-15', [5, 5, 5, 0]],
  ['2026-01-25', [15, 0, 15, 0]],
  ['2026-02-10', [31, 9, 0, 0]],
  ['2026-03-01', [50, 28, 14, 0]],
];
const PARTNERS = [7201, 7202, 7203, 7204];
/** Each live run's partners as dealt, read right after the run (the next run drops its items). */
const dealt: ArLiveRun[] = [];

async function factAt(d: string, source?: 'maintained'): Promise<number[]> {
  const key = factKey('daysOnWorklist');
  const sql = factRowsSql([key], { currency: 'EUR', asOf: d, partnerIds: PARTNERS, ...(source ? { source, latePartnerIds: 'lookup' as const } : {}) });
  const rows: Array<Record<string, unknown>> = await db.dataSource.query(sql.text, sql.values);
  return PARTNERS.map((id) => Number(rows.find((r) => String(r.partner_id) === String(id))![key.column]));
}

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'DW', STRATEGY);
  await insertSegment(db, 'DW', [{ key: 'DWG', strategyKey: 'DW' }]);
  await insertSegment(db, 'DX', []);
  await insertPartners(db, [
    { id: 7201, segment: 'DW' },
    { id: 7202, segment: 'DW' },
    { id: 7203, segment: 'DW' },
    { id: 7204, segment: 'DX' },
  ]);
  await insertItems(
    db,
    PARTNERS.map((p, i) => ({ id: 70 + i, partner: p, due: '2025-12-01', open: 100 + i })),
  );
  for (const [asOf, excluded] of RUNS) {
    await db.dataSource.query(`UPDATE partners SET risk_class = CASE WHEN id = ANY($1::bigint[]) THEN 'X' END WHERE segment = 'DW'`, [excluded]);
    await runWorklists(db, { asOf, mode: 'LIVE' });
    const [run] = await db.dataSource.query(
      `SELECT r.id::text AS id, r.as_of::text AS "asOf", coalesce((SELECT json_agg(w.partner_id::text ORDER BY w.partner_id) FROM worklist_items w WHERE w.run_id = r.id), '[]') AS "partnerIds"
         FROM collection_segments s JOIN worklist_runs r ON r.id = s.live_run_id WHERE s.key = 'DW'`,
    );
    dealt.push({ ...run, segment: 'DW' });
  }
}, 180_000);

afterAll(async () => {
  await db?.close();
});

describe(`fact daysOnWorklist (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('deals the runs as the fixture says (so the hand-worked values below are about these runs)', () => {
    expect(dealt.map((r) => [r.asOf, r.partnerIds])).toEqual([
      ['2026-01-10', ['7201', '7202', '7203']],
      ['2026-01-20', ['7201', '7203']],
      ['2026-02-01', ['7201', '7202']],
      ['2026-02-15', ['7201', '7202', '7203']],
    ]);
  });

  it.each(EXPECTED)('at %s is the hand-worked value on the run path and the maintained path', async (d, expected) => {
    expect(await factAt(d)).toEqual(expected);
    expect(await factAt(d, 'maintained')).toEqual(expected);
  });

  it('agrees with the oracle, literally over the runs as dealt and over the history the database keeps', async () => {
    const ar = await readAr(db);
    // The history read back lists each run's partners as they were dealt.
    expect(ar.liveRuns!.filter((r) => r.segment === 'DW').map((r) => r.partnerIds)).toEqual(dealt.map((r) => r.partnerIds));
    for (const [d, expected] of EXPECTED) {
      const partners = ar.partners.filter((p) => PARTNERS.includes(Number(p.id)));
      expect(partners.map((p) => daysOnWorklist(dealt, p, d))).toEqual(expected);
      const facts = factsOf(arAtDate(ar, d), d, 'EUR', [factKey('daysOnWorklist')], []);
      expect(PARTNERS.map((id) => Number(facts.get(String(id))!.facts.get(factKey('daysOnWorklist').column)))).toEqual(expected);
    }
  });

  it('keeps history when the live list changes after the run: a placement takes 7201 off the list, not out of the runs it was dealt', async () => {
    await db.dataSource.query(`INSERT INTO agencies (key, name, commission_percent) VALUES ('DWA', 'Agency', 10)`);
    await db.dataSource.transaction((m) => placeItems(m, { name: 'test', role: 'SUPERVISOR' }, { partnerId: '7201', agency: 'DWA', placedOn: '2026-02-20' }));
    expect(
      await db.dataSource.query(
        `SELECT count(*)::int AS n FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id WHERE w.partner_id = 7201`,
      ),
    ).toEqual([{ n: 0 }]);
    expect(await factAt('2026-03-01')).toEqual([50, 28, 14, 0]);
    // The next run does not list 7201 (nothing in-house): its stay ends there.
    await runWorklists(db, { asOf: '2026-03-02', mode: 'LIVE' });
    expect(await factAt('2026-03-05')).toEqual([0, 32, 18, 0]);
    expect(await factAt('2026-03-01')).toEqual([50, 28, 14, 0]);
  });
});
