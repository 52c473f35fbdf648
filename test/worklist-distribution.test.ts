import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { runWorklist, type WorklistRunResult } from '../packages/server/src/worklists/worklist-run.service';
import { openTestDatabase } from './support/database';
import {
  insertItems,
  insertPartners,
  insertSegment,
  insertSpecialist,
  insertStrategy,
  itemsOf,
  query,
  rule,
  strategyDocument,
  when,
  type ItemRow,
  type PartnerRow,
  type Row,
} from './support/worklist-fixtures';

/**
 * Distribution of a run's worklist to specialists: fixed specialists, the deal among a group's
 * available specialists, absences with and without substitute, inactive specialists.
 */
const D = '2026-03-31';
const SEGMENT = 'DIST';

// Band 1: 1000 or more to collect (60 + 40 = 100 %); band 2: anything else (40 % or 0 %).
const DOCUMENT = strategyDocument({
  key: 'DIST_STRATEGY',
  name: 'Distribution',
  minPercent: 0,
  priorities: [
    { priority: 1, label: 'High', minPercent: 100 },
    { priority: 2, label: 'Low', minPercent: 0 },
  ],
  rules: [
    rule('Over 1000 to collect', 60, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 1000)),
    rule('Anything to collect', 40, 'condition', when('amountToBeCollected', 'greaterThan', 0)),
  ],
});

// Group DIST_A (the segment's default group: smallest key) and its specialists.
const A1 = 601; // available
const A2 = 602; // absences before and after D only: available
const A3 = 603; // absent over D (absence ends on D) with substitute B1
const A4 = 604; // absent from D on (absence starts on D), no substitute: gets nothing
const A5 = 605; // inactive: gets nothing
const B1 = 611;
const B2 = 612;
const C1 = 621; // the only specialist of DIST_C, inactive

const partners: PartnerRow[] = [];
const items: ItemRow[] = [];
const atbc = new Map<number, number>();
const add = (id: number, amount: number, group: string | null, specialist: number | null = null) => {
  partners.push({ id, segment: SEGMENT, group, specialist });
  items.push({ id: id * 10, partner: id, due: '2026-03-01', open: amount });
  atbc.set(id, amount);
};
// Fixed specialists.
add(2001, 5000, 'DIST_A', A1); // FIXED A1
add(2002, 300, 'DIST_A', A3); // A3 absent -> SUBSTITUTE B1
add(2003, 50, 'DIST_A', A4); // A4 absent without substitute -> dealt in DIST_A
add(2004, 60, null, A5); // A5 inactive -> dealt in the default group DIST_A
add(2005, 20, 'DIST_B', B2); // FIXED B2
// Dealt in DIST_A: 7 in band 1 (1000..4000), 8 in band 2 (100..800) besides 2003 and 2004.
for (let i = 0; i < 7; i++) add(2101 + i, 1000 + 500 * i, i % 2 ? 'DIST_A' : null);
for (let i = 0; i < 8; i++) add(2201 + i, 100 * (i + 1), i % 2 ? null : 'DIST_A');
// Dealt in DIST_B: 5 in band 2.
for (let i = 0; i < 5; i++) add(2301 + i, 10 * (i + 1), 'DIST_B');
// DIST_C has no available specialist.
add(2401, 70, 'DIST_C');

const FIXED = new Set([2001, 2002, 2005]);
const groupOf = (id: number) => {
  const p = partners.find((x) => x.id === id)!;
  return p.group ?? 'DIST_A';
};

let db: Database;
let result: WorklistRunResult;
let listed: Row[];

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'DIST_STRATEGY', DOCUMENT);
  await insertSegment(db, SEGMENT, [
    { key: 'DIST_B', strategyKey: 'DIST_STRATEGY' },
    { key: 'DIST_A', strategyKey: 'DIST_STRATEGY' },
    { key: 'DIST_C', strategyKey: 'DIST_STRATEGY' },
  ]);
  for (const id of [A1, A2, A3, A4]) await insertSpecialist(db, id, 'DIST_A');
  await insertSpecialist(db, A5, 'DIST_A', false);
  for (const id of [B1, B2]) await insertSpecialist(db, id, 'DIST_B');
  await insertSpecialist(db, C1, 'DIST_C', false);
  await query(
    db,
    `INSERT INTO specialist_absences (specialist_id, starts_on, ends_on, substitute_id) VALUES
    (${A2}, '2026-01-01', '2026-01-31', NULL), (${A2}, '2026-04-01', '2026-04-30', NULL),
    (${A3}, '2026-03-20', '2026-03-31', ${B1}), (${A4}, '2026-03-31', '2026-04-30', NULL)`,
  );
  await insertPartners(db, partners);
  await insertItems(db, items);
  result = await runWorklist(db, { segment: SEGMENT, asOf: D, mode: 'LIVE' });
  listed = await itemsOf(db, result.runId);

  // DIST2: 631 is absent with an INACTIVE substitute 632; DIST3: 641 is absent with a substitute
  // 642 who is absent himself (no substitute of his own). 633 and 643 are available.
  await insertSegment(db, 'DIST2', [{ key: 'DIST2_G', strategyKey: 'DIST_STRATEGY' }]);
  await insertSegment(db, 'DIST3', [{ key: 'DIST3_G', strategyKey: 'DIST_STRATEGY' }]);
  await insertSpecialist(db, 631, 'DIST2_G');
  await insertSpecialist(db, 632, 'DIST2_G', false);
  await insertSpecialist(db, 633, 'DIST2_G');
  for (const id of [641, 642, 643]) await insertSpecialist(db, id, 'DIST3_G');
  await query(
    db,
    `INSERT INTO specialist_absences (specialist_id, starts_on, ends_on, substitute_id) VALUES
    (631, '2026-03-01', '2026-04-30', 632), (641, '2026-03-01', '2026-04-30', 642), (642, '2026-03-01', '2026-04-30', NULL)`,
  );
  await insertPartners(db, [
    { id: 2501, segment: 'DIST2', specialist: 631 },
    ...[2502, 2503, 2504, 2505].map((id) => ({ id, segment: 'DIST2' })),
    { id: 2601, segment: 'DIST3', specialist: 641 },
    ...[2602, 2603, 2604, 2605].map((id) => ({ id, segment: 'DIST3' })),
  ]);
  await insertItems(
    db,
    [2501, 2502, 2503, 2504, 2505, 2601, 2602, 2603, 2604, 2605].map((id) => ({ id: id * 10, partner: id, due: '2026-03-01', open: id - 2400 })),
  );
}, 120_000);

afterAll(async () => {
  await db?.close();
});

const bandOf = (amount: number) => (amount >= 1000 ? 1 : 2);

describe(`worklist distribution (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('puts every partner on the list once, in its band', () => {
    expect(result.partnersOnList).toBe(partners.length);
    expect(listed.map((r) => r.partner_id).sort()).toEqual(partners.map((p) => p.id).sort());
    for (const r of listed) expect(r.priority, `partner ${r.partner_id}`).toBe(bandOf(atbc.get(Number(r.partner_id))!));
  });

  it("gives a partner its fixed specialist, or that specialist's substitute while absent", () => {
    const by = new Map(listed.map((r) => [Number(r.partner_id), r]));
    expect(by.get(2001)).toMatchObject({ specialist_id: A1, specialist_origin: 'FIXED' });
    expect(by.get(2002)).toMatchObject({ specialist_id: B1, specialist_origin: 'SUBSTITUTE' });
    expect(by.get(2005)).toMatchObject({ specialist_id: B2, specialist_origin: 'FIXED' });
    // Fixed specialist absent without substitute, or inactive: the partner is dealt in its group instead.
    for (const id of [2003, 2004]) {
      const r = by.get(id)!;
      expect([A1, A2, B1], `partner ${id}`).toContain(r.specialist_id);
      expect(r.specialist_origin, `partner ${id}`).toBe(r.specialist_id === B1 ? 'SUBSTITUTE' : 'STANDARD');
    }
  });

  it('never gives anything to an inactive specialist or one absent without substitute, nor to the absent one itself', () => {
    const receivers = new Set(listed.map((r) => r.specialist_id));
    for (const id of [A3, A4, A5, C1]) expect(receivers.has(id), `specialist ${id}`).toBe(false);
  });

  it("deals a group's partners to its available specialists: counts differ by at most one per band, amounts balanced", () => {
    // DIST_A deals to A1, A2 and A3's seat (taken by the substitute B1); DIST_B to B1 and B2.
    const expectedReceivers: Record<string, number[]> = { DIST_A: [A1, A2, B1], DIST_B: [B1, B2] };
    for (const [group, receivers] of Object.entries(expectedReceivers)) {
      for (const band of [1, 2]) {
        const dealt = listed.filter((r) => !FIXED.has(Number(r.partner_id)) && groupOf(Number(r.partner_id)) === group && r.priority === band);
        if (!dealt.length) continue;
        const count = new Map(receivers.map((s) => [s, 0]));
        const amount = new Map(receivers.map((s) => [s, 0]));
        for (const r of dealt) {
          const s = Number(r.specialist_id);
          expect(receivers, `partner ${r.partner_id} of ${group}`).toContain(s);
          count.set(s, count.get(s)! + 1);
          amount.set(s, amount.get(s)! + Number(r.amount_to_be_collected));
        }
        const counts = [...count.values()];
        expect(Math.max(...counts) - Math.min(...counts), `${group} band ${band} counts ${counts}`).toBeLessThanOrEqual(1);
        // Dealing items sorted by amount (snake or round robin) keeps any two specialists' totals
        // within the largest single amount of the band: per round the first seat's item bounds the
        // spread, and the rounds' spreads telescope to the first item.
        const largest = Math.max(...dealt.map((r) => Number(r.amount_to_be_collected)));
        const amounts = [...amount.values()];
        expect(Math.max(...amounts) - Math.min(...amounts), `${group} band ${band} amounts ${amounts}`).toBeLessThanOrEqual(largest);
      }
    }
    // Concretely: DIST_A band 1 (7 partners over 3 seats) 3/2/2, band 2 (10 partners) 4/3/3.
    const sizes = (band: number) =>
      [A1, A2, B1]
        .map(
          (s) =>
            listed.filter((r) => !FIXED.has(Number(r.partner_id)) && groupOf(Number(r.partner_id)) === 'DIST_A' && r.priority === band && r.specialist_id === s)
              .length,
        )
        .sort();
    expect(sizes(1)).toEqual([2, 2, 3]);
    expect(sizes(2)).toEqual([3, 3, 4]);
  });

  it("marks the items dealt to an absent specialist's seat SUBSTITUTE, the others STANDARD", () => {
    for (const r of listed.filter((x) => !FIXED.has(Number(x.partner_id)))) {
      const group = groupOf(Number(r.partner_id));
      if (group === 'DIST_A') {
        expect(r.specialist_origin, `partner ${r.partner_id}`).toBe(r.specialist_id === B1 ? 'SUBSTITUTE' : 'STANDARD');
      } else if (group === 'DIST_B') {
        expect(r.specialist_origin, `partner ${r.partner_id}`).toBe('STANDARD');
      }
    }
    // A3's seat was dealt something in DIST_A (7 + 10 partners over 3 seats).
    expect(
      listed.filter((r) => groupOf(Number(r.partner_id)) === 'DIST_A' && r.specialist_origin === 'SUBSTITUTE' && !FIXED.has(Number(r.partner_id))).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('leaves a partner of a group without an available specialist on the list, unassigned', () => {
    const c = listed.find((r) => r.partner_id === 2401)!;
    expect(c).toMatchObject({ priority: 2, specialist_id: null, specialist_origin: null });
  });

  it('reports the same per-specialist statistics as the items', () => {
    const counts = new Map<string, number>();
    for (const r of listed) counts.set(String(r.specialist_id), (counts.get(String(r.specialist_id)) ?? 0) + 1);
    const stats = new Map(result.stats.bySpecialist.map((s) => [String(s.specialistId), s.count]));
    expect(stats).toEqual(counts);
  });

  it('follows the absences of the key date: the day after A3 is back, A4 still away', async () => {
    const next = await runWorklist(db, { segment: SEGMENT, asOf: '2026-04-01', mode: 'PREVIEW' });
    const rows = await itemsOf(db, next.runId);
    const by = new Map(rows.map((r) => [Number(r.partner_id), r]));
    // A3 is back: its fixed partner is its own again; A2 is away from 2026-04-01 without substitute.
    expect(by.get(2002)).toMatchObject({ specialist_id: A3, specialist_origin: 'FIXED' });
    const receivers = new Set(rows.map((r) => r.specialist_id));
    expect(receivers.has(A2)).toBe(false);
    expect(receivers.has(A4)).toBe(false);
    expect(rows.filter((r) => r.specialist_origin === 'SUBSTITUTE')).toEqual([]);
    const aDealt = rows.filter((r) => !FIXED.has(Number(r.partner_id)) && groupOf(Number(r.partner_id)) === 'DIST_A');
    expect(new Set(aDealt.map((r) => r.specialist_id))).toEqual(new Set([A1, A3]));
  });

  // A substitute stands in only while active: an inactive one gets neither the fixed partner
  // nor the dealt seat of the absent specialist.
  it('gives nothing to an inactive substitute', async () => {
    const run = await runWorklist(db, { segment: 'DIST2', asOf: D, mode: 'PREVIEW' });
    const rows = await itemsOf(db, run.runId);
    expect(rows.map((r) => r.partner_id).sort()).toEqual([2501, 2502, 2503, 2504, 2505]);
    expect(rows.filter((r) => r.specialist_id === 632).map((r) => r.partner_id)).toEqual([]);
  });

  // Nor does a substitute who is absent himself (substitutes do not chain).
  it('gives nothing to a substitute who is absent himself', async () => {
    const run = await runWorklist(db, { segment: 'DIST3', asOf: D, mode: 'PREVIEW' });
    const rows = await itemsOf(db, run.runId);
    expect(rows.map((r) => r.partner_id).sort()).toEqual([2601, 2602, 2603, 2604, 2605]);
    expect(rows.filter((r) => r.specialist_id === 642).map((r) => r.partner_id)).toEqual([]);
  });
});
