import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from './support/database';
import { backtestStrategies, type BacktestResult } from '../packages/server/src/backtests/index';
import type { Database } from '../packages/server/src/db/database';
import { seedDemoHistory } from '../packages/server/src/seed/demo-history';
import { rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * Issue 18, acceptance: on the generated history (the day-by-day simulation of seed/demo-history,
 * loaded through the import), the backtest ranks a strategy that uses ageing and broken promises
 * above a strategy whose points follow the partner's country (which the simulation's payment
 * behaviour does not depend on: a ranking without signal), with a bootstrap interval of the AUC
 * difference that excludes zero, and it reports the naive baselines for both.
 */
let db: Database;
let result: BacktestResult;
const AS_OF = '2026-11-01';
const SEGMENT = 'CONSUMER';

const nothingOverdue = rule('Nothing overdue', 0, 'exit', when('overdueAmount', 'lessThanInclusive', 0));
const overdue = rule('Overdue', 10, 'condition', when('overdueAmount', 'greaterThan', 0));

const ageing = strategyDocument({
  key: 'AGEING',
  name: 'Ageing and broken promises',
  rules: [
    nothingOverdue,
    overdue,
    rule('Over 30 days', 30, 'condition', when('maxDaysOverdue', 'greaterThan', 30)),
    rule('Over 60 days', 30, 'condition', when('maxDaysOverdue', 'greaterThan', 60)),
    rule('Broken promise', 30, 'condition', when('brokenPromises', 'greaterThanInclusive', 1)),
  ],
});

const countryPoints = strategyDocument({
  key: 'COUNTRY',
  name: 'Points by country',
  rules: [nothingOverdue, overdue, rule('German', 60, 'condition', when('country', 'equal', 'DE'))],
});

beforeAll(async () => {
  db = await openTestDatabase();
  await seedDemoHistory(db, { partners: 800, months: 6, asOf: AS_OF, seed: 18 });
  result = await backtestStrategies(db, {
    strategies: [
      { label: 'Points by country', document: countryPoints },
      { label: 'Ageing and broken promises', document: ageing },
    ],
    segment: SEGMENT,
    from: '2026-07-06',
    to: '2026-09-28',
    everyDays: 14,
    horizonDays: 30,
    resamples: 500,
  });
}, 600_000);

afterAll(async () => {
  await db?.close();
});

describe(`backtest on the generated history (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('scores both strategies on the same partners at every key date', () => {
    expect(result.keyDates).toEqual(['2026-07-06', '2026-07-20', '2026-08-03', '2026-08-17', '2026-08-31', '2026-09-14', '2026-09-28']);
    const [country, aged] = result.strategies;
    expect(country!.keyDates.map((k) => k.list.partners)).toEqual(aged!.keyDates.map((k) => k.list.partners));
    expect(aged!.pooled.list.partners).toBeGreaterThan(300);
    // The history moves: money comes in, some partners cure, some roll to 90+.
    expect(Number(aged!.pooled.list.collected)).toBeGreaterThan(0);
    expect(aged!.pooled.list.cureRate!).toBeGreaterThan(0);
    expect(aged!.pooled.list.rollRate!).toBeGreaterThan(0);
  });

  it('ranks ageing and broken promises above points by country, beyond noise (AUC interval excludes zero)', () => {
    const [country, aged] = result.strategies;
    expect(aged!.pooled.list.auc!).toBeGreaterThan(country!.pooled.list.auc!);
    const [comparison] = result.comparisons;
    expect(comparison).toMatchObject({ label: 'Ageing and broken promises', against: 'Points by country' });
    const auc = comparison!.differences.find((d) => d.figure === 'auc')!;
    expect(auc.difference).toBeCloseTo(aged!.pooled.list.auc! - country!.pooled.list.auc!, 12);
    expect(auc.low!).toBeGreaterThan(0);
    expect(auc.verdict).toBe('BETTER');
    // The same partners on both lists: the whole list's collected share cannot differ.
    expect(comparison!.differences.find((d) => d.figure === 'collectedShare')).toMatchObject({ difference: 0, verdict: 'NO_CLEAR_DIFFERENCE' });
  });

  it('reports the naive baselines on the same partners', () => {
    for (const s of result.strategies) {
      for (const baseline of [s.pooled.oldestDebtFirst, s.pooled.largestAmountFirst]) {
        expect(baseline).toMatchObject({ partners: s.pooled.list.partners, collected: s.pooled.list.collected, toBeCollected: s.pooled.list.toBeCollected });
        expect(baseline.auc).not.toBeNull();
        expect(baseline.captureAtCapacity).not.toBeNull();
      }
      expect(s.versusBaselines.map((c) => c.against)).toEqual(['Oldest debt first', 'Largest amount first']);
    }
    // Oldest debt first is itself an ageing ranking: the country points do worse than it beyond noise.
    const versusOldest = result.strategies[0]!.versusBaselines[0]!.differences.find((d) => d.figure === 'auc')!;
    expect(versusOldest.high!).toBeLessThan(0);
  });
});
