import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTS, factKey, factRowsSql, type FactKey } from '../packages/rules/src/index';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { createTestToken, gql } from './support/api';
import { addDays, arAtDate, clearAr, factsOf, normalise, oracleFactValue, sqlFactValue, writeAr, readAr, type Ar, type FactValue } from './support/ar-at-date';
import { openTestDatabase } from './support/database';
import { rng } from './support/random-history';
import { rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * The point-in-time path end to end on the demo AR (a few hundred partners) with added history
 * (dunning notices, dispute status changes and closure dates, promises cancelled with a date,
 * resubmissions done on a date, payment plans): previewWorklist at a past key date D on today's
 * mirror gives exactly the worklist the same strategy gives on a second database holding only the
 * AR as it stood at the end of D (arAtDate: items documented by D with their open amount then,
 * payments, promises, contacts dated by D, disputes with their status at D, dunning levels at D,
 * resubmissions and cancellations as at D, the item holds in force at D: placements and legal
 * cases after D not yet, recalled ones back); and at D = today the facts are those of the mirror's
 * current state (the holds in force today left out).
 */
const TODAY = '2026-11-23';
const D = '2026-10-12';
const PARTNERS = Number(process.env.PIT_DEMO_PARTNERS ?? 300);

const STRATEGY = strategyDocument({
  key: 'PIT_E2E',
  name: 'Point in time end to end',
  priorities: [
    { priority: 1, label: 'High', minPercent: 55 },
    { priority: 2, label: 'Mid', minPercent: 25 },
    { priority: 3, label: 'Low', minPercent: 0 },
  ],
  agingBuckets: [0, 30, 60, 90],
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
    rule('Over limit', 5, 'condition', when('creditUtilization', 'greaterThan', 80)),
    rule('Kept', -5, 'condition', when('keptPromiseRatio', 'greaterThan', 0.5)),
    rule('All disputed', 0, 'exit', when('allOverdueDisputedOrBlocked', 'equal', true)),
  ],
});

const PREVIEW = `query($strategy: JSON!, $asOf: Date!, $after: String) {
  previewWorklist(strategy: $strategy, asOf: $asOf) {
    asOf segments partnersEvaluated partners excluded amountToBeCollected
    byPriority { priority count amountToBeCollected }
    items(first: 500, after: $after) {
      edges { node { partner { externalId name } valuation percent priority firedRules { name points }
        amounts { open overdue toBeCollected disputed promised } specialist { name } } }
      pageInfo { hasNextPage endCursor } } } }`;

let mirror: Database;
let atD: Database;
let apps: RunningApp[] = [];
let history: Ar;

beforeAll(async () => {
  [mirror, atD] = await Promise.all([openTestDatabase(), openTestDatabase()]);
  // The same demo AR and organisation in both; then today's mirror gets history, the other the AR at D.
  for (const db of [mirror, atD]) await seedDemoAr(db, { partners: PARTNERS, seed: 7, asOf: TODAY });
  history = withHistory(await readAr(mirror));
  await clearAr(mirror);
  await writeAr(mirror, history);
  await clearAr(atD);
  await writeAr(atD, arAtDate(history, D));
  apps = [await startApp(mirror, 0, { production: true, studioDir: '/nonexistent' }), await startApp(atD, 0, { production: true, studioDir: '/nonexistent' })];
}, 600_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await mirror?.close();
  await atD?.close();
});

/**
 * History consistent with today's rows, added to the demo AR: notices raising each dunned item
 * level by level up to today's level (some items keep no history), status changes ending in
 * today's status (or only a closure date), promises cancelled on a date, resubmissions done on a
 * date, payment plans, item holds. Many of these dates fall after D.
 */
function withHistory(ar: Ar): Ar {
  const r = rng(18);
  const day = (from: string, to: string) => {
    const span = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
    return span <= 0 ? from : addDays(from, r.int(0, span));
  };
  // Only where the demo has no history of its own.
  const dunned = new Set(ar.dunningChanges.map((c) => c.itemId));
  const changed = new Set(ar.disputeChanges.map((c) => c.disputeId));
  for (const item of ar.items) {
    if (item.dunningLevel === 0 || dunned.has(item.id) || !r.chance(0.75)) continue;
    let on = day(item.documentDate, TODAY);
    for (let level = 1; level <= item.dunningLevel; level++) {
      ar.dunningChanges.push({ itemId: item.id, partnerId: item.partnerId, dunnedOn: on, level });
      if (on >= TODAY) break;
      on = day(addDays(on, 1), TODAY);
    }
    // A run of notices cut short by today: the last one carries today's level.
    ar.dunningChanges[ar.dunningChanges.length - 1]!.level = item.dunningLevel;
  }
  for (const x of ar.disputes) {
    if (changed.has(x.id)) continue;
    const closed = !['OPEN', 'IN_PROCESS'].includes(x.status);
    if (r.chance(0.6)) {
      const first = day(x.createdDate, TODAY);
      if (first < TODAY && r.chance(0.5)) ar.disputeChanges.push({ disputeId: x.id, partnerId: x.partnerId, changedOn: first, status: 'IN_PROCESS' });
      const last = first < TODAY ? day(addDays(first, 1), TODAY) : first;
      ar.disputeChanges.push({ disputeId: x.id, partnerId: x.partnerId, changedOn: last, status: x.status });
      x.statusChangedAt = `${last}T10:00:00Z`;
    } else if (closed && r.chance(0.7)) x.statusChangedAt = `${day(x.createdDate, TODAY)}T21:30:00Z`;
  }
  for (const q of ar.promises) {
    if (q.cancelled) q.cancelledDate = r.chance(0.7) ? day(q.createdDate, TODAY) : null;
    else if (r.chance(0.15)) Object.assign(q, { cancelled: true, cancelledDate: day(q.createdDate, TODAY) });
  }
  let next = 9_000_000;
  for (const p of ar.partners) {
    if (r.chance(0.25)) {
      const done = r.chance(0.6);
      ar.resubmissions.push({
        id: String(++next),
        partnerId: p.id,
        resubmissionDate: day('2026-09-01', TODAY),
        done,
        doneOn: done ? day('2026-09-01', TODAY) : null,
      });
    }
    const items = ar.items.filter((i) => i.partnerId === p.id && i.currency === p.currency && i.documentDate <= '2026-09-01');
    if (items.length && r.chance(0.1)) {
      const planId = String(++next);
      const createdDate = day('2026-08-01', '2026-09-15');
      const cancelled = r.chance(0.3);
      ar.plans.push({
        id: planId,
        partnerId: p.id,
        currency: p.currency,
        createdDate,
        toleranceDays: 3,
        cancelled,
        cancelledDate: cancelled ? day(createdDate, TODAY) : null,
        installments: [0, 1, 2].map((k) => ({ id: String(++next), seq: k + 1, dueDate: addDays(createdDate, 15 + 30 * k), amount: '25.5' })),
        itemIds: items.slice(0, 2).map((i) => i.id),
      });
      ar.payments.push({
        id: String(++next),
        partnerId: p.id,
        itemId: null,
        paymentDate: day(createdDate, TODAY),
        amount: '30',
        currency: p.currency,
        paymentPlanId: planId,
      });
    }
  }
  // Holds of all a partner's items around D: placed after D (in force today), placed and recalled by D, placed
  // before D and recalled (or the case closed) after it, in force since before D.
  const holds = (ar.holds ??= []);
  for (const p of ar.partners) {
    if (!r.chance(0.15)) continue;
    const shape = r.int(0, 3);
    const startedOn = shape === 0 ? day(addDays(D, 1), TODAY) : day('2026-08-01', D);
    const endedOn = shape === 1 ? day(startedOn, D) : shape === 2 ? day(addDays(D, 1), TODAY) : null;
    const kind = r.pick(['PLACEMENT', 'LEGAL'] as const);
    const holderId = String(++next);
    for (const item of ar.items) if (item.partnerId === p.id) holds.push({ itemId: item.id, partnerId: p.id, kind, holderId, startedOn, endedOn });
  }
  return ar;
}

interface PreviewPage {
  previewWorklist: Record<string, unknown> & {
    items: { edges: Array<{ node: unknown }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
}

/** Every page of previewWorklist at `asOf`: the figures and all items in worklist order. */
async function preview(app: RunningApp, db: Database, asOf: string): Promise<{ partners: number; items: unknown[] }> {
  const token = await createTestToken(db, 'CONFIGURATOR');
  const items: unknown[] = [];
  let after: string | null = null;
  let first: Record<string, unknown> | undefined;
  do {
    const response: { data?: PreviewPage; errors?: unknown } = await gql<PreviewPage>(app.url, PREVIEW, { strategy: STRATEGY, asOf, after }, token);
    expect(response.errors).toBeUndefined();
    const { items: page, ...figures } = response.data!.previewWorklist;
    first ??= figures;
    items.push(...page.edges.map((e) => e.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return { ...first, partners: Number(first.partners), items };
}

const KEYS: FactKey[] = [
  ...FACTS.filter((f) => !f.params.length).map((f) => factKey(f.name)),
  ...[1, 30].flatMap((m) => [factKey('overdueAmount', { minDaysOverdue: m }), factKey('overdueItemCount', { minDaysOverdue: m })]),
  ...[0, 14].map((w) => factKey('dueAmount', { withinDays: w })),
  ...[365, 30].flatMap((w) => [factKey('brokenPromises', { withinDays: w }), factKey('brokenPromiseAmount', { withinDays: w })]),
  factKey('daysSinceLastContact'),
  factKey('daysSinceLastContact', { reachedOnly: true }),
];

describe(`point in time on the demo AR (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('previews at a past D exactly the worklist of a database holding only the AR as it stood at the end of D', async () => {
    const past = await preview(apps[0]!, mirror, D);
    const rebuilt = await preview(apps[1]!, atD, D);
    expect(past).toEqual(rebuilt);
    // A real list, and one that differs from today's (the history matters).
    expect(past.partners).toBeGreaterThan(PARTNERS / 10);
    const now = await preview(apps[0]!, mirror, TODAY);
    expect(now.items).not.toEqual(past.items);
    // Partners placed (or taken to court) after D are on the list at D and off it today.
    const heldAfterD = [...new Set(history.holds!.filter((h) => h.startedOn > D).map((h) => h.partnerId))];
    const names: Array<{ external_id: string }> = await mirror.dataSource.query(`SELECT external_id FROM partners WHERE id = ANY($1::bigint[])`, [heldAfterD]);
    const listed = (page: { items: unknown[] }) => new Set(page.items.map((i) => (i as { partner: { externalId: string } }).partner.externalId));
    expect(names.filter((n) => listed(past).has(n.external_id)).length).toBeGreaterThan(0);
    expect(names.filter((n) => listed(now).has(n.external_id))).toEqual([]);
  }, 600_000);

  it('gives at D = today, through the point-in-time path, the facts of the mirror as it is today', async () => {
    const ar = await readAr(mirror);
    expect(ar.dunningChanges.length).toBeGreaterThan(50);
    expect(ar.disputeChanges.length).toBeGreaterThan(10);
    const oracle = factsOf(ar, TODAY, 'EUR', KEYS, [0, 30, 60, 90]);
    const sql = factRowsSql(KEYS, { currency: 'EUR', asOf: TODAY, worklistFigures: { agingLimits: [0, 30, 60, 90] } });
    const rows: Array<Record<string, unknown>> = await mirror.dataSource.query(sql.text, sql.values);
    expect(rows).toHaveLength(ar.partners.length);
    const mismatches: string[] = [];
    for (const row of rows) {
      const want = oracle.get(String(row.partner_id))!;
      for (const k of KEYS) {
        const got: FactValue = sqlFactValue(k, row[k.column]);
        const expected = oracleFactValue(k, want.facts.get(k.column)!);
        const same =
          ['creditUtilization', 'disputedShare', 'keptPromiseRatio'].includes(k.fact) && got !== null && expected !== null
            ? Math.abs(Number(got) - Number(expected)) <= 1e-9 * Math.max(1, Math.abs(Number(expected)))
            : JSON.stringify(got) === JSON.stringify(expected);
        if (!same) mismatches.push(`partner ${row.partner_id} ${k.key}: sql ${JSON.stringify(got)}, today's state ${JSON.stringify(expected)}`);
      }
      const aging = (row.w_aging as string[]).map((x) => normalise(String(x)));
      if (JSON.stringify(aging) !== JSON.stringify(want.aging)) mismatches.push(`partner ${row.partner_id} aging ${aging} vs ${want.aging}`);
      if (row.w_last_payment_date !== want.lastPaymentDate) mismatches.push(`partner ${row.partner_id} last payment`);
      if (row.w_resubmission_date !== want.resubmissionDate) mismatches.push(`partner ${row.partner_id} resubmission`);
    }
    expect(mismatches).toEqual([]);
  }, 600_000);
});
