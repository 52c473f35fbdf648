/**
 * Basic rules in the SAP Collections Management sense: named, parameterised templates that
 * expand into plain json-rules-engine conditions, so a document never depends on them.
 */
import type { BooleanCondition, Condition, FactCondition, StrategyRule } from './document';

export interface TemplateParamDef {
  name: string;
  label: string;
  type: 'integer' | 'number' | 'string[]';
  default: number | string[];
  min?: number;
}

export interface BasicRuleTemplate {
  id: string;
  label: string;
  description: string;
  params: TemplateParamDef[];
  expand(params: Record<string, unknown>): BooleanCondition;
}

type P = Record<string, unknown>;
const all = (...c: Condition[]): BooleanCondition => ({ all: c });
const cond = (fact: string, operator: string, value: unknown, params?: P): FactCondition =>
  params ? { fact, params, operator, value: value as FactCondition['value'] } : { fact, operator, value: value as FactCondition['value'] };
const int = (name: string, label: string, def: number, min = 0): TemplateParamDef => ({ name, label, type: 'integer', default: def, min });
const amount = (name: string, label: string, def: number): TemplateParamDef => ({ name, label, type: 'number', default: def, min: 0 });
const list = (name: string, label: string): TemplateParamDef => ({ name, label, type: 'string[]', default: [] });
const attribute = (id: string, fact: string, label: string): BasicRuleTemplate => ({
  id,
  label: `${label} is one of`,
  description: `The partner's ${label.toLowerCase()} is one of the given values.`,
  params: [list('values', label)],
  expand: (p) => all(cond(fact, 'in', p.values)),
});

export const BASIC_RULES: readonly BasicRuleTemplate[] = [
  {
    id: 'brokenPromises',
    label: 'Broken promises',
    description: 'At least `count` promises to pay broken in the last `days` days.',
    params: [int('days', 'Days', 90, 0), int('count', 'Number of promises', 1, 1)],
    expand: (p) => all(cond('brokenPromises', 'greaterThanInclusive', p.count, { withinDays: p.days })),
  },
  {
    id: 'openPromises',
    label: 'Open promises',
    description: 'An amount promised to pay is still open (promise not yet due).',
    params: [],
    expand: () => all(cond('promisedAmount', 'greaterThan', 0)),
  },
  {
    id: 'overdueTotal',
    label: 'Overdue total',
    description: 'Items at least `days` days overdue add up to at least `amount`.',
    params: [int('days', 'Days overdue', 1, -3650), amount('amount', 'Minimum amount', 0.01)],
    expand: (p) => all(cond('overdueAmount', 'greaterThanInclusive', p.amount, { minDaysOverdue: p.days })),
  },
  {
    id: 'oldestItemOverdue',
    label: 'Days overdue of the oldest item',
    description: 'The oldest open item is at least `days` days overdue.',
    params: [int('days', 'Days', 30)],
    expand: (p) => all(cond('maxDaysOverdue', 'greaterThanInclusive', p.days)),
  },
  {
    id: 'dueSoon',
    label: 'Items falling due (preventive collection)',
    description: 'Items falling due within `days` days add up to at least `amount`.',
    params: [int('days', 'Days', 7), amount('amount', 'Minimum amount', 0.01)],
    expand: (p) => all(cond('dueAmount', 'greaterThanInclusive', p.amount, { withinDays: p.days })),
  },
  {
    id: 'amountToBeCollected',
    label: 'Amount to be collected',
    description: 'Overdue, undisputed, unpromised amount of at least `amount`.',
    params: [amount('amount', 'Minimum amount', 100)],
    expand: (p) => all(cond('amountToBeCollected', 'greaterThanInclusive', p.amount)),
  },
  {
    id: 'creditUtilization',
    label: 'Credit limit utilisation',
    description: 'Open amount is at least `percent` % of the credit limit.',
    params: [amount('percent', 'Percent', 100)],
    expand: (p) => all(cond('creditUtilization', 'greaterThanInclusive', p.percent)),
  },
  attribute('riskClass', 'riskClass', 'Risk class'),
  {
    id: 'resubmissionDue',
    label: 'Resubmission due',
    description: 'A resubmission is due on or before the key date.',
    params: [],
    expand: () => all(cond('resubmissionDue', 'equal', true)),
  },
  // `not (days <= n)` is also true for a partner never contacted (undefined fact), which is the point.
  {
    id: 'noContact',
    label: 'No contact',
    description: 'No contact in the last `days` days (or never).',
    params: [int('days', 'Days', 30)],
    expand: (p) => all({ not: cond('daysSinceLastContact', 'lessThanInclusive', p.days) }),
  },
  {
    id: 'noSuccessfulContact',
    label: 'No successful contact',
    description: 'Customer not reached in the last `days` days (or never).',
    params: [int('days', 'Days', 30)],
    expand: (p) => all({ not: cond('daysSinceLastContact', 'lessThanInclusive', p.days, { reachedOnly: true }) }),
  },
  {
    id: 'noPayment',
    label: 'Days since last payment',
    description: 'No payment in the last `days` days (or never).',
    params: [int('days', 'Days', 60)],
    expand: (p) => all({ not: cond('daysSinceLastPayment', 'lessThanInclusive', p.days) }),
  },
  {
    id: 'dunningLevel',
    label: 'Dunning level',
    description: 'The highest dunning level of the open items is at least `level`.',
    params: [int('level', 'Dunning level', 2)],
    expand: (p) => all(cond('maxDunningLevel', 'greaterThanInclusive', p.level)),
  },
  {
    id: 'disputedAmount',
    label: 'Disputed amount',
    description: 'Open disputes add up to at least `amount`.',
    params: [amount('amount', 'Minimum amount', 0.01)],
    expand: (p) => all(cond('disputedAmount', 'greaterThanInclusive', p.amount)),
  },
  {
    id: 'disputedShare',
    label: 'Disputed share',
    description: 'Open disputes are at least `percent` % of the open amount.',
    params: [amount('percent', 'Percent', 50)],
    expand: (p) => all(cond('disputedShare', 'greaterThanInclusive', p.percent)),
  },
  {
    id: 'allOverdueDisputedOrBlocked',
    label: 'All overdue items disputed or blocked',
    description: 'Every overdue item has an open dispute or a dunning block (typically an exit rule).',
    params: [],
    expand: () => all(cond('allOverdueDisputedOrBlocked', 'equal', true)),
  },
  attribute('customerType', 'customerType', 'Customer type'),
  attribute('segment', 'segment', 'Segment'),
  attribute('country', 'country', 'Country'),
];

const BY_ID = new Map(BASIC_RULES.map((t) => [t.id, t]));

export function basicRule(id: string): BasicRuleTemplate | undefined {
  return BY_ID.get(id);
}

/** Conditions of a basic rule with `params` over its defaults. */
export function expandBasicRule(id: string, params: Record<string, unknown> = {}): BooleanCondition {
  const t = BY_ID.get(id);
  if (!t) throw new Error(`Unknown basic rule ${id}`);
  const full: P = {};
  for (const p of t.params) full[p.name] = params[p.name] ?? p.default;
  return t.expand(full);
}

/** A complete strategy rule from a basic rule. */
export function ruleFromBasicRule(
  id: string,
  options: { name: string; points: number; role?: 'condition' | 'exit'; params?: Record<string, unknown> },
): StrategyRule {
  return {
    name: options.name,
    conditions: expandBasicRule(id, options.params),
    event: { type: 'valuation', params: { points: options.points, role: options.role ?? 'condition' } },
  };
}
