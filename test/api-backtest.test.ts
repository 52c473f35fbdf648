import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { DEMO_STRATEGY } from '../packages/server/src/seed/demo-strategy';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { measureOutcomes, summariseOutcomes } from '../packages/server/src/backtests/index';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';

/**
 * backtestStrategies over GraphQL (issue 18) on the demo AR: the figures are those of the
 * outcomes module on the preview's list, the baselines rank the same partners, the comparison
 * of a strategy with itself is nothing, every bad argument is BAD_USER_INPUT naming its path,
 * unknown things are NOT_FOUND, and only ADMIN, CONFIGURATOR and SUPERVISOR may ask.
 */
let db: Database;
let app: RunningApp;
let admin: string;

const QUERY = `query ($input: BacktestInput!) { backtestStrategies(input: $input) {
  segment horizonDays keyDates capacity capacitySource resamples confidence
  strategies { label strategyKey version currency
    pooled { list { ...F } byBand { priority figures { ...F } } oldestDebtFirst { ...F } largestAmountFirst { ...F } }
    keyDates { asOf runId list { ...F } byBand { priority figures { partners collected } } oldestDebtFirst { ...F } largestAmountFirst { ...F } }
    versusBaselines { label against differences { figure difference low high verdict } } }
  comparisons { label against differences { figure difference low high verdict } } } }
fragment F on OutcomeFigures { partners toBeCollected collected collectedShare cureRate rollRate promisesBroken captureAtCapacity capacity auc }`;

const SEGMENT = 'BUSINESS';
const input = (over: Record<string, unknown> = {}) => ({
  strategies: [
    { label: 'Live', strategy: 'TELCO_STANDARD' },
    { label: 'Same as draft', document: DEMO_STRATEGY },
  ],
  segment: SEGMENT,
  from: '2026-08-03',
  to: '2026-08-31',
  everyDays: 14,
  horizonDays: 30,
  resamples: 200,
  ...over,
});

beforeAll(async () => {
  db = await openTestDatabase();
  await seedDemoAr(db, { partners: 300, seed: 7, asOf: '2026-11-01' });
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
}, 180_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('backtestStrategies', () => {
  let result: any;
  beforeAll(async () => {
    const { data, errors } = await gql(app.url, QUERY, { input: input() }, admin);
    expect(errors).toBeUndefined();
    result = data.backtestStrategies;
  }, 180_000);

  it('scores every key date through previews and measures them with the outcomes module', async () => {
    expect(result).toMatchObject({ segment: SEGMENT, horizonDays: 30, keyDates: ['2026-08-03', '2026-08-17', '2026-08-31'], resamples: 200, confidence: 0.95 });
    // The demo groups have no daily capacity: their active specialists x 30.
    const [{ n }] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM specialists s JOIN collection_groups g ON g.key = s.group_key WHERE g.segment_key = $1 AND g.active AND s.active`,
      [SEGMENT],
    );
    expect(result.capacity).toBe(n * 30);
    expect(result.capacitySource).toMatch(/active specialists x 30/);
    const live = result.strategies[0];
    expect(live).toMatchObject({ label: 'Live', strategyKey: 'TELCO_STANDARD', version: 1, currency: DEMO_STRATEGY.currency });
    expect(live.keyDates.map((k: any) => k.asOf)).toEqual(result.keyDates);
    expect(live.pooled.list.partners).toBe(live.keyDates.reduce((s: number, k: any) => s + k.list.partners, 0));
    expect(live.pooled.list.partners).toBeGreaterThan(0);

    // The first key date again by hand: the PREVIEW run's partners (its run row says how many) measured by the outcomes module.
    const first = live.keyDates[0];
    const [run] = await db.dataSource.query(`SELECT partners_on_list, items_dropped_at FROM worklist_runs WHERE id = $1`, [first.runId]);
    expect(run.partners_on_list).toBe(first.list.partners);
    expect(run.items_dropped_at).not.toBeNull();
    const bands = first.byBand.reduce((s: number, b: any) => s + b.figures.partners, 0);
    expect(bands).toBe(first.list.partners);
    expect(first.list.collected).toBe(
      first.byBand
        .reduce((s: bigint, b: any) => s + BigInt(b.figures.collected.replace('.', '')), 0n)
        .toString()
        .replace(/(\d{4})$/, '.$1'),
    );
    // Baselines rank the same partners: the same sums, another order.
    for (const baseline of [first.oldestDebtFirst, first.largestAmountFirst]) {
      expect(baseline).toMatchObject({
        partners: first.list.partners,
        collected: first.list.collected,
        toBeCollected: first.list.toBeCollected,
        cureRate: first.list.cureRate,
      });
    }
  });

  it('matches the outcomes module on the live strategy scored by a direct preview', async () => {
    const { data } = await gql(
      app.url,
      `query ($s: JSON!) { previewWorklist(strategy: $s, asOf: "2026-08-03", segment: "${SEGMENT}") { partners amountToBeCollected runIds } }`,
      { s: DEMO_STRATEGY },
      admin,
    );
    const preview = data.previewWorklist;
    const first = result.strategies[1].keyDates[0];
    expect(first.list.partners).toBe(preview.partners);
    expect(first.list.toBeCollected).toBe(preview.amountToBeCollected);
    const items = await db.dataSource.query(
      `SELECT partner_id::text AS "partnerId", valuation, priority, amount_to_be_collected::text AS "toBeCollected" FROM worklist_items WHERE run_id = $1`,
      [preview.runIds[0]],
    );
    const [rows] = await measureOutcomes(db, [{ asOf: '2026-08-03', partners: items }], { horizonDays: 30, currency: DEMO_STRATEGY.currency });
    const figures = summariseOutcomes(rows!, result.capacity);
    expect(first.list).toEqual(figures);
  });

  it('finds no difference between a strategy and the same document as a draft', () => {
    const [comparison] = result.comparisons;
    expect(comparison).toMatchObject({ label: 'Same as draft', against: 'Live' });
    // An undefined figure (the demo AR may leave no partner cured in a window: no AUC) stays UNKNOWN.
    for (const d of comparison.differences) {
      expect(d).toMatchObject(
        d.difference === null ? { low: null, high: null, verdict: 'UNKNOWN' } : { difference: 0, low: 0, high: 0, verdict: 'NO_CLEAR_DIFFERENCE' },
      );
    }
    expect(comparison.differences[0].difference).toBe(0);
    expect(result.strategies[1].pooled).toEqual(result.strategies[0].pooled);
  });

  it('compares each strategy with both baselines', () => {
    const live = result.strategies[0];
    expect(live.versusBaselines.map((c: any) => c.against)).toEqual(['Oldest debt first', 'Largest amount first']);
    for (const c of live.versusBaselines) {
      expect(c.differences.map((d: any) => d.figure)).toEqual(['collectedShare', 'captureAtCapacity', 'auc']);
      const capture = c.differences[1];
      if (capture.difference !== null) {
        expect(capture.low).toBeLessThanOrEqual(capture.high);
        expect(['BETTER', 'WORSE', 'NO_CLEAR_DIFFERENCE']).toContain(capture.verdict);
      }
    }
  });
});

describe('backtestStrategies refuses bad arguments, naming them', () => {
  const today = new Date().toISOString().slice(0, 10);
  it.each<[string, Record<string, unknown>, string]>([
    ['no strategy', { strategies: [] }, 'input.strategies'],
    ['five strategies', { strategies: ['a', 'b', 'c', 'd', 'e'].map((label) => ({ label, document: DEMO_STRATEGY })) }, 'input.strategies'],
    [
      'a label twice',
      {
        strategies: [
          { label: 'A', document: DEMO_STRATEGY },
          { label: 'A', document: DEMO_STRATEGY },
        ],
      },
      'input.strategies[1].label',
    ],
    ['an empty label', { strategies: [{ label: ' ', document: DEMO_STRATEGY }] }, 'input.strategies[0].label'],
    ['both a key and a document', { strategies: [{ label: 'A', strategy: 'TELCO_STANDARD', document: DEMO_STRATEGY }] }, 'input.strategies[0].document'],
    ['neither a key nor a document', { strategies: [{ label: 'A' }] }, 'input.strategies[0].strategy'],
    ['a version with a document', { strategies: [{ label: 'A', document: DEMO_STRATEGY, version: 1 }] }, 'input.strategies[0].version'],
    ['a version of 0', { strategies: [{ label: 'A', strategy: 'TELCO_STANDARD', version: 0 }] }, 'input.strategies[0].version'],
    [
      'an invalid draft',
      {
        strategies: [
          { label: 'A', strategy: 'TELCO_STANDARD' },
          { label: 'B', document: { ...DEMO_STRATEGY, rules: [{ name: 'x' }] } },
        ],
      },
      'input.strategies[1].document.rules[0].event',
    ],
    ['a horizon of 0', { horizonDays: 0 }, 'input.horizonDays'],
    ['a horizon of 366', { horizonDays: 366 }, 'input.horizonDays'],
    ['a step of 0', { everyDays: 0 }, 'input.everyDays'],
    ['to before from', { to: '2026-08-01' }, 'input.to'],
    ['too many key dates', { from: '2024-01-01', to: '2026-01-01', everyDays: 7 }, 'input.everyDays'],
    ['no key dates at all', { from: null, to: null, everyDays: null }, 'input.from'],
    ['an empty key date list', { from: null, to: null, everyDays: null, keyDates: [] }, 'input.keyDates'],
    ['key dates and a range', { keyDates: ['2026-08-03'] }, 'input.keyDates'],
    ['a range whose outcomes lie in the future', { from: '2026-08-03', to: today, everyDays: 7 }, 'input.to'],
    ['key dates whose outcomes lie in the future', { from: null, to: null, everyDays: null, keyDates: ['2026-08-03', today] }, 'input.keyDates'],
    ['resamples of 5', { resamples: 5 }, 'input.resamples'],
  ])('%s', async (_, over, path) => {
    const { errors } = await gql(app.url, QUERY, { input: input(over) }, admin);
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path });
  });

  it.each<[string, Record<string, unknown>]>([
    ['an unknown segment', { segment: 'NOWHERE' }],
    ['an unknown strategy', { strategies: [{ label: 'A', strategy: 'NO_SUCH' }] }],
    ['an unknown version', { strategies: [{ label: 'A', strategy: 'TELCO_STANDARD', version: 9 }] }],
  ])('%s is NOT_FOUND', async (_, over) => {
    const { errors } = await gql(app.url, QUERY, { input: input(over) }, admin);
    expect(errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('is for ADMIN, CONFIGURATOR and SUPERVISOR only', async () => {
    const small = { ...input(), keyDates: ['2026-08-03'], from: null, to: null, everyDays: null, strategies: [{ label: 'A', strategy: 'TELCO_STANDARD' }] };
    const q = `query ($input: BacktestInput!) { backtestStrategies(input: $input) { keyDates } }`;
    for (const role of ['CONFIGURATOR', 'SUPERVISOR'] as const) {
      const { data, errors } = await gql(app.url, q, { input: small }, await createTestToken(db, role));
      expect(errors, role).toBeUndefined();
      expect(data.backtestStrategies.keyDates).toEqual(['2026-08-03']);
    }
    const [s] = await db.dataSource.query(`SELECT id::text AS id FROM specialists ORDER BY id LIMIT 1`);
    const refused = await gql(app.url, q, { input: small }, await createTestToken(db, 'SPECIALIST', s.id));
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
