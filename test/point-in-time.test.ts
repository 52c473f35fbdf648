import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factRowsSql, fxCheckSql, fxRatesSql, type FactKey } from '../packages/rules/src/index';
import type { Database } from '../packages/server/src/db/database';
import { scoredRowsSql } from '../packages/server/src/worklists/worklist-run.sql';
import {
  clearAr,
  disputeStatusAt,
  dunningLevelAt,
  heldAt,
  normalise,
  openAmountAt,
  oracleFactsAt,
  oracleFactValue,
  sqlFactValue,
  writeAr,
  type Ar,
  type FactValue,
} from './support/ar-at-date';
import { openTestDatabase } from './support/database';
import { EVERY_FACT_AGING, EVERY_FACT_KEY } from './support/fact-keys';
import { randomHistory, withEventsAfter, type History } from './support/random-history';
import { rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * Point-in-time facts (DESIGN.md "Point in time"): on random small histories and a random key
 * date D, every fact of the catalogue through the SQL path (factRowsSql, as runs, previews and
 * the customer 360 use it) equals the oracle (test/support/ar-at-date.ts: the AR as it stood at
 * the end of D, facts by the catalogue's definitions, items held at D by a placement or a legal
 * case left out); and events dated after D (recalls, placements too) change no fact and no score at D. PIT_RUNS sets the number of examples (default 40).
 */
const RUNS = Number(process.env.PIT_RUNS ?? 40);
const TIMEOUT = 600_000;
const AGING = EVERY_FACT_AGING;
const KEYS = EVERY_FACT_KEY;

const STRATEGY = strategyDocument({
  key: 'PIT',
  name: 'Point in time',
  priorities: [
    { priority: 1, label: 'High', minPercent: 60 },
    { priority: 2, label: 'Mid', minPercent: 25 },
    { priority: 3, label: 'Low', minPercent: 0 },
  ],
  rules: [
    rule('To collect', 20, 'condition', when('amountToBeCollected', 'greaterThan', 100)),
    rule('Old', 15, 'condition', when('maxDaysOverdue', 'greaterThanInclusive', 30)),
    rule('Dunned', 10, 'condition', when('maxDunningLevel', 'greaterThanInclusive', 2)),
    rule('Disputed', -10, 'condition', when('openDisputeCount', 'greaterThanInclusive', 1)),
    rule('Broken', 15, 'condition', when('brokenPromises', 'greaterThanInclusive', 1, { withinDays: 90 })),
    rule('Promised', -5, 'condition', when('promisedAmount', 'greaterThan', 0)),
    rule('Silent', 10, 'condition', when('daysSinceLastContact', 'greaterThan', 20)),
    rule('No payment', 10, 'condition', when('daysSinceLastPayment', 'greaterThan', 30)),
    rule('Plan broken', 10, 'condition', when('paymentPlanBroken', 'equal', true)),
    rule('Resubmission', 5, 'condition', when('resubmissionDue', 'equal', true)),
    rule('Dunned amount', 5, 'condition', when('dunnedAmount', 'greaterThan', 0)),
    rule('Kept', -5, 'condition', when('keptPromiseRatio', 'greaterThan', 0.5)),
    rule('All disputed', 0, 'exit', when('allOverdueDisputedOrBlocked', 'equal', true)),
  ],
});

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

async function load(ar: Ar): Promise<void> {
  await clearAr(db, { partners: true });
  await writeAr(db, ar, { partners: true });
}

type Row = Record<string, unknown>;
const RATIOS = new Set(['creditUtilization', 'disputedShare', 'keptPromiseRatio']);

async function sqlRows(h: History, given: boolean): Promise<Row[]> {
  const base = { currency: h.currency, asOf: h.asOf };
  const rates = given ? await db.dataSource.query(fxRatesSql(base).text, fxRatesSql(base).values) : undefined;
  const sql = factRowsSql(KEYS, { ...base, partnerIds: h.ar.partners.map((p) => p.id), worklistFigures: { agingLimits: AGING }, rates });
  return db.dataSource.query(sql.text, sql.values);
}

/** Where the SQL row and the oracle differ, as readable lines (empty: they agree). */
function differences(h: History, rows: Row[]): string[] {
  const oracle = oracleFactsAt(h.ar, h.asOf, h.currency, KEYS, AGING);
  const out: string[] = [];
  expect(rows.map((r) => String(r.partner_id))).toEqual(h.ar.partners.map((p) => p.id));
  for (const row of rows) {
    const want = oracle.get(String(row.partner_id))!;
    for (const k of KEYS) {
      const got = sqlFactValue(k, row[k.column]);
      const expected = oracleFactValue(k, want.facts.get(k.column)!);
      if (!sameValue(k, got, expected)) out.push(`partner ${row.partner_id} ${k.key}: sql ${JSON.stringify(got)}, oracle ${JSON.stringify(expected)}`);
    }
    const figures = {
      aging: (row.w_aging as string[]).map((x) => normalise(String(x))),
      lastPayment: row.w_last_payment_date,
      resubmission: row.w_resubmission_date,
      fxMissing: row.w_fx_missing,
    };
    const expected = { aging: want.aging, lastPayment: want.lastPaymentDate, resubmission: want.resubmissionDate, fxMissing: false };
    if (JSON.stringify(figures) !== JSON.stringify(expected))
      out.push(`partner ${row.partner_id} figures: sql ${JSON.stringify(figures)}, oracle ${JSON.stringify(expected)}`);
  }
  return out;
}

/** Exact for money, counts, days, codes and flags; ratios (floats allowed) to 1e-9 relative. */
function sameValue(k: FactKey, a: FactValue, b: FactValue): boolean {
  if (RATIOS.has(k.fact) && a !== null && b !== null) return Math.abs(Number(a) - Number(b)) <= 1e-9 * Math.max(1, Math.abs(Number(b)));
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Histories of randomHistory that together exercise every rule coverage() counts (found by a search over seeds 1..300). */
const COVERING_SEEDS = [63, 5];

/** How often a history exercises each point-in-time rule at its D (so the property is not vacuous). */
function coverage(h: History, seen: Map<string, number>): void {
  const { ar, asOf: d } = h;
  const count = (key: string, n: number) => seen.set(key, (seen.get(key) ?? 0) + n);
  const open = (x: string) => Number(x) > 0;
  count('item cleared today, open at D', ar.items.filter((i) => i.documentDate <= d && !open(i.openAmount) && open(openAmountAt(i, ar.payments, d))).length);
  count('item open today, documented after D', ar.items.filter((i) => i.documentDate > d && open(i.openAmount)).length);
  count(
    'open amount at D above today',
    ar.items.filter((i) => i.documentDate <= d && open(i.openAmount) && openAmountAt(i, ar.payments, d) !== i.openAmount).length,
  );
  count('dunning level at D not today', ar.items.filter((i) => i.documentDate <= d && dunningLevelAt(i, ar.dunningChanges, d) !== i.dunningLevel).length);
  const openStatus = (s: string) => s === 'OPEN' || s === 'IN_PROCESS';
  const disputes = ar.disputes.filter((x) => x.createdDate <= d);
  count('dispute open at D, closed today', disputes.filter((x) => openStatus(disputeStatusAt(x, ar.disputeChanges, d)) && !openStatus(x.status)).length);
  count('dispute closed at D, open today', disputes.filter((x) => !openStatus(disputeStatusAt(x, ar.disputeChanges, d)) && openStatus(x.status)).length);
  count('promise cancelled after D', ar.promises.filter((q) => q.createdDate <= d && q.cancelled && q.cancelledDate !== null && q.cancelledDate > d).length);
  count('resubmission done after D', ar.resubmissions.filter((x) => x.resubmissionDate <= d && x.done && x.doneOn !== null && x.doneOn > d).length);
  const holds = (ar.holds ?? []).filter((x) => ar.items.some((i) => i.id === x.itemId && i.documentDate <= d && open(openAmountAt(i, ar.payments, d))));
  count('open item held at D', holds.filter((x) => heldAt(x, d)).length);
  count('open item placed after D', holds.filter((x) => x.startedOn > d).length);
  count('open item released on or before D', holds.filter((x) => x.endedOn !== null && x.endedOn <= d).length);
  count('open item held from D', holds.filter((x) => x.startedOn === d).length);
  count('open item released on D', holds.filter((x) => x.endedOn === d).length);
}

describe('facts at a key date D', () => {
  it(
    'equal the oracle over the AR as it stood at the end of D, for every fact, by joins and with the rates given',
    async () => {
      const seen = new Map<string, number>();
      const check = async (seed: number) => {
        const h = randomHistory(seed);
        coverage(h, seen);
        await load(h.ar);
        for (const given of [false, true]) {
          const diff = differences(h, await sqlRows(h, given));
          expect(diff, `seed ${seed}, D ${h.asOf}, ${h.currency}, rates ${given ? 'given' : 'joined'}`).toEqual([]);
        }
      };
      // Two histories that between them exercise every rule (some rules are in only 8-15% of the
      // histories: 40 random runs missed one about 1 in 100), then the random ones.
      for (const seed of COVERING_SEEDS) await check(seed);
      await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), check), { numRuns: RUNS });
      // Every rule was exercised (counts over all examples).
      expect(seen.size).toBe(13);
      expect([...seen].filter(([, n]) => n === 0)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'do not change, nor do the scores, when events dated after D are added',
    async () => {
      const atD = async (h: History) => {
        const facts = await sqlRows(h, false);
        const scored = scoredRowsSql({ ...STRATEGY, currency: h.currency }, { asOf: h.asOf, partnerIds: h.ar.partners.map((p) => p.id) });
        const scores: Row[] = await db.dataSource.query(
          `SELECT partner_id, valuation, percent, priority, fired, exits, excluded, on_list FROM (${scored.text}) s ORDER BY partner_id`,
          scored.values,
        );
        const missing = await db.dataSource.query(fxCheckSql(h).text, fxCheckSql(h).values);
        return { facts, scores, missing };
      };
      let changed = 0;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed, eventsSeed) => {
          const h = randomHistory(seed);
          await load(h.ar);
          const before = await atD(h);
          const later = withEventsAfter(h, eventsSeed);
          await load(later);
          const after = await atD({ ...h, ar: later });
          // The events are there: the facts at the mirror's today differ (a check that the property can fail).
          if (JSON.stringify(later) !== JSON.stringify(h.ar)) changed++;
          expect(after, `seed ${seed}, events ${eventsSeed}, D ${h.asOf}`).toEqual(before);
          expect(before.missing).toEqual([]);
        }),
        { numRuns: RUNS },
      );
      expect(changed).toBeGreaterThan(RUNS / 2);
    },
    TIMEOUT,
  );
});
