import { FACTS, factKey, type FactKey } from '../../packages/rules/src/index';

/**
 * Every fact of the catalogue, those with params in several variants (negative and zero
 * thresholds, windows of 0 days): what the point-in-time and maintained-facts properties compare.
 */
export const EVERY_FACT_KEY: FactKey[] = [
  ...FACTS.filter((f) => !f.params.length).map((f) => factKey(f.name)),
  ...[1, 30, 0, -5].flatMap((m) => [factKey('overdueAmount', { minDaysOverdue: m }), factKey('overdueItemCount', { minDaysOverdue: m })]),
  ...[0, 7, 30].map((w) => factKey('dueAmount', { withinDays: w })),
  ...[365, 10, 0].flatMap((w) => [factKey('brokenPromises', { withinDays: w }), factKey('brokenPromiseAmount', { withinDays: w })]),
  factKey('daysSinceLastContact'),
  factKey('daysSinceLastContact', { reachedOnly: true }),
];

/** The ageing limits of those properties' worklist figures. */
export const EVERY_FACT_AGING = [0, 30, 60];
