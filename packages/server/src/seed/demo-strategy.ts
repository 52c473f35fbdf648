import type { StrategyDocument } from '@recoup/rules';

/** The demo's collection strategy: what a telecom's consultant might start from. */
export const DEMO_STRATEGY: StrategyDocument = {
  key: 'TELCO_STANDARD',
  name: 'Telecom standard collections',
  currency: 'EUR',
  maxValuation: null,
  minPercent: 10,
  priorities: [
    { priority: 1, label: 'Very high', minPercent: 70 },
    { priority: 2, label: 'High', minPercent: 45 },
    { priority: 3, label: 'Medium', minPercent: 25 },
    { priority: 4, label: 'Low', minPercent: 0 },
  ],
  agingBuckets: [0, 30, 60, 90],
  rules: [
    // As the new-strategy skeleton's exit (strategies/strategy.service NOTHING_TO_COLLECT): a partner whose overdue
    // items are all promised, disputed or cleared has nothing to chase, whatever points its history would earn.
    rule('Nothing to collect', 0, 'exit', {
      all: [
        { fact: 'amountToBeCollected', operator: 'lessThanInclusive', value: 0 },
        { fact: 'resubmissionDue', operator: 'equal', value: false },
      ],
    }),
    rule('Everything disputed or blocked', 0, 'exit', { all: [{ fact: 'allOverdueDisputedOrBlocked', operator: 'equal', value: true }] }),
    rule('Broken promise in 90 days', 30, 'condition', {
      all: [{ fact: 'brokenPromises', params: { withinDays: 90 }, operator: 'greaterThanInclusive', value: 1 }],
    }),
    rule('Oldest item over 90 days', 25, 'condition', { all: [{ fact: 'maxDaysOverdue', operator: 'greaterThan', value: 90 }] }),
    rule('Oldest item over 30 days', 15, 'condition', { all: [{ fact: 'maxDaysOverdue', operator: 'greaterThan', value: 30 }] }),
    rule('Over 1,000 to collect', 20, 'condition', { all: [{ fact: 'amountToBeCollected', operator: 'greaterThanInclusive', value: 1000 }] }),
    rule('Over 100 to collect', 10, 'condition', { all: [{ fact: 'amountToBeCollected', operator: 'greaterThanInclusive', value: 100 }] }),
    rule('Dunning level 2 or more', 10, 'condition', { all: [{ fact: 'maxDunningLevel', operator: 'greaterThanInclusive', value: 2 }] }),
    rule('High risk class', 15, 'condition', { all: [{ fact: 'riskClass', operator: 'in', value: ['D', 'E'] }] }),
    rule('Credit limit exceeded', 10, 'condition', { all: [{ fact: 'creditUtilization', operator: 'greaterThan', value: 100 }] }),
    rule('Not reached for 30 days', 5, 'condition', {
      all: [
        { fact: 'overdueAmount', operator: 'greaterThan', value: 0 },
        { not: { fact: 'daysSinceLastContact', params: { reachedOnly: true }, operator: 'lessThanInclusive', value: 30 } },
      ],
    }),
    rule('Promise to pay open', -20, 'condition', { all: [{ fact: 'promisedAmount', operator: 'greaterThan', value: 0 }] }),
    rule('Resubmission due', 10, 'condition', { all: [{ fact: 'resubmissionDue', operator: 'equal', value: true }] }),
  ],
};

function rule(name: string, points: number, role: 'condition' | 'exit', conditions: unknown): StrategyDocument['rules'][number] {
  return { name, priority: 1, conditions, event: { type: 'valuation', params: { points, role } } } as StrategyDocument['rules'][number];
}
