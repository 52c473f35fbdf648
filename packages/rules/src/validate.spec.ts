import { describe, expect, it } from 'vitest';
import { validateStrategy, assertValidStrategy, StrategyValidationError, LIMITS } from './validate';

const base = () => ({
  key: 'TELCO_POSTPAID',
  name: 'Postpaid consumer',
  currency: 'EUR',
  maxValuation: null,
  minPercent: 0,
  priorities: [
    { priority: 1, label: 'High', minPercent: 50 },
    { priority: 2, label: 'Low', minPercent: 0 },
  ],
  agingBuckets: [0, 30, 60, 90],
  rules: [
    {
      name: 'Broken promise in 90 days',
      priority: 1,
      conditions: { all: [{ fact: 'brokenPromises', params: { withinDays: 90 }, operator: 'greaterThanInclusive', value: 1 }] },
      event: { type: 'valuation', params: { points: 30, role: 'condition' } },
    },
    {
      name: 'Everything disputed or blocked',
      priority: 1,
      conditions: { all: [{ fact: 'allOverdueDisputedOrBlocked', operator: 'equal', value: true }] },
      event: { type: 'valuation', params: { points: 0, role: 'exit' } },
    },
  ],
});

const errorsOf = (doc: unknown) => {
  const r = validateStrategy(doc);
  return r.valid ? [] : r.errors;
};

describe('validateStrategy', () => {
  it('accepts the DESIGN.md example', () => {
    expect(errorsOf(base())).toEqual([]);
    expect(assertValidStrategy(base()).key).toBe('TELCO_POSTPAID');
  });

  it('names the path and suggests the fact meant', () => {
    const doc = base();
    (doc.rules[0]!.conditions.all[0] as Record<string, unknown>).fact = 'overdueAmt';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].conditions.all[0].fact', message: 'Unknown fact "overdueAmt" — did you mean "overdueAmount"?' }]);
  });

  it('rejects wrong operators, value types, params, and fact references of another type', () => {
    const doc = base();
    doc.rules[0]!.conditions.all = [
      { fact: 'country', operator: 'lessThan', value: 1 } as never,
      { fact: 'overdueAmount', params: { minDays: 3 } as never, operator: 'greaterThan', value: '100' as never },
      { fact: 'brokenPromises', params: { withinDays: -1 }, operator: 'greaterThn', value: 1 },
      { fact: 'openAmount', operator: 'greaterThan', value: { fact: 'country' } } as never,
      { fact: 'openAmount', operator: 'in', value: { fact: 'creditLimit' } } as never,
      { fact: 'openAmount', operator: 'between', value: [10, 1] } as never,
      { fact: 'companyCodes', operator: 'contains', value: 1000 } as never,
    ];
    const paths = errorsOf(doc).map((e) => e.path);
    expect(paths).toEqual([
      'rules[0].conditions.all[0].operator',
      'rules[0].conditions.all[1].params.minDays',
      'rules[0].conditions.all[1].value',
      'rules[0].conditions.all[2].params.withinDays',
      'rules[0].conditions.all[2].operator',
      'rules[0].conditions.all[3].value.fact',
      'rules[0].conditions.all[4].value',
      'rules[0].conditions.all[5].value',
      'rules[0].conditions.all[6].value',
    ]);
    expect(errorsOf(doc)[4]!.message).toContain('did you mean "greaterThan"');
  });

  it('rejects duplicate names, a missing 0-band, bad points and roles', () => {
    const doc = base() as Record<string, any>;
    doc.rules[1].name = doc.rules[0].name;
    doc.rules[1].event.params = { points: 1.5, role: 'stop' };
    doc.priorities = [{ priority: 1, label: 'High', minPercent: 50 }];
    doc.minPercent = 12.345;
    const errors = errorsOf(doc);
    expect(errors.map((e) => e.path).sort()).toEqual([
      'minPercent',
      'priorities',
      'rules[1].event.params.points',
      'rules[1].event.params.role',
      'rules[1].name',
    ]);
  });

  it('limits nesting depth and rule count, and refuses condition references and paths', () => {
    let deep: Record<string, unknown> = { fact: 'openAmount', operator: 'greaterThan', value: 0 };
    for (let i = 0; i < LIMITS.maxDepth + 1; i++) deep = { not: deep };
    const doc = base() as Record<string, any>;
    doc.rules[0].conditions = deep;
    expect(errorsOf(doc).some((e) => e.message.includes('nest at most'))).toBe(true);
    doc.rules[0].conditions = { all: [{ condition: 'shared' }, { fact: 'openAmount', path: '$.x', operator: 'equal', value: 1 }] };
    expect(errorsOf(doc).map((e) => e.path)).toEqual(['rules[0].conditions.all[0].condition', 'rules[0].conditions.all[1].path']);
    doc.rules = Array.from({ length: LIMITS.maxRules + 1 }, () => base().rules[0]);
    expect(errorsOf(doc)[0]!.message).toContain('at most 500 rules');
  });

  it('throws a StrategyValidationError carrying the errors', () => {
    expect(() => assertValidStrategy({})).toThrow(StrategyValidationError);
  });
});
