import { describe, expect, it } from 'vitest';
import { compileJs } from './compile-js';
import { compileSql } from './compile-sql';
import type { StrategyDocument } from './document';
import { createEngine, engineScore } from './engine';
import { explain } from './explain';
import { columnName, factKeysOf, FACTS } from './facts';
import { lintStrategy } from './lint';
import { OPERATORS } from './operators';
import { BASIC_RULES, expandBasicRule, ruleFromBasicRule } from './templates';
import { validateStrategy } from './validate';

const doc = (rules: StrategyDocument['rules'], extra: Partial<StrategyDocument> = {}): StrategyDocument => ({
  key: 'T',
  name: 't',
  currency: 'EUR',
  maxValuation: null,
  minPercent: 0,
  agingBuckets: [],
  priorities: [
    { priority: 1, label: 'High', minPercent: 50 },
    { priority: 2, label: 'Low', minPercent: 0 },
  ],
  rules,
  ...extra,
});

describe('fact keys and columns', () => {
  it('applies defaults, dedupes and names columns safely', () => {
    const d = doc([
      {
        name: 'a',
        conditions: {
          all: [
            { fact: 'overdueAmount', operator: 'greaterThan', value: 0 },
            { fact: 'overdueAmount', params: { minDaysOverdue: 1 }, operator: 'greaterThan', value: { fact: 'overdueAmount', params: { minDaysOverdue: -5 } } },
            { fact: 'daysSinceLastContact', params: { reachedOnly: true }, operator: 'greaterThan', value: 3 },
          ],
        },
        event: { type: 'v', params: { points: 1, role: 'condition' } },
      },
    ]);
    expect(factKeysOf(d).map((k) => [k.key, k.column])).toEqual([
      ['overdueAmount{"minDaysOverdue":1}', 'f_overdueamount_mindaysoverdue_1'],
      ['overdueAmount{"minDaysOverdue":-5}', 'f_overdueamount_mindaysoverdue_m5'],
      ['daysSinceLastContact{"reachedOnly":true}', 'f_dayssincelastcontact_reachedonly_true'],
    ]);
    const long = columnName('a'.repeat(80), { x: 1 });
    expect(long).toMatch(/^[a-z0-9_]{1,63}$/);
    expect(long).not.toBe(columnName('a'.repeat(79), { x: 1 }));
  });

  it('describes every fact and operator for the forms', () => {
    for (const f of FACTS) expect(f.description.length).toBeGreaterThan(5);
    expect(OPERATORS.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        'equal',
        'notEqual',
        'lessThan',
        'lessThanInclusive',
        'greaterThan',
        'greaterThanInclusive',
        'in',
        'notIn',
        'contains',
        'doesNotContain',
        'between',
      ]),
    );
  });
});

describe('basic rules', () => {
  it('expand into valid conditions with their defaults', () => {
    const rules = BASIC_RULES.map((t, i) => ruleFromBasicRule(t.id, { name: `${t.id} ${i}`, points: 10 }));
    const r = validateStrategy(doc(rules));
    expect(r.errors).toEqual([]);
    expect(expandBasicRule('brokenPromises', { days: 30 })).toEqual({
      all: [{ fact: 'brokenPromises', params: { withinDays: 30 }, operator: 'greaterThanInclusive', value: 1 }],
    });
  });

  it('"no successful contact" holds for a partner never reached', async () => {
    const d = doc([ruleFromBasicRule('noSuccessfulContact', { name: 'n', points: 5, params: { days: 30 } })]);
    const js = compileJs(d);
    expect(js.score({}).fired).toEqual(['n']);
    expect(js.score({ f_dayssincelastcontact_reachedonly_true: 10 }).fired).toEqual([]);
    expect(await engineScore(createEngine(d), {})).toEqual(js.score({}));
  });
});

describe('scoring', () => {
  it('rounds percent half up, compares bands exactly and clamps', () => {
    const rules: StrategyDocument['rules'] = [
      {
        name: 'one',
        conditions: { all: [{ fact: 'resubmissionDue', operator: 'equal', value: true }] },
        event: { type: 'v', params: { points: 1, role: 'condition' } },
      },
      {
        name: 'minus',
        conditions: { all: [{ fact: 'resubmissionDue', operator: 'equal', value: false }] },
        event: { type: 'v', params: { points: -5, role: 'condition' } },
      },
    ];
    const js = compileJs(
      doc(rules, {
        maxValuation: 32,
        minPercent: 3.13,
        priorities: [
          { priority: 1, label: 'a', minPercent: 3.12 },
          { priority: 2, label: 'b', minPercent: 0 },
        ],
      }),
    );
    expect(js.score({ f_resubmissiondue: true })).toMatchObject({ valuation: 1, percent: 3.13, priority: 1, passesMinPercent: false });
    expect(js.score({ f_resubmissiondue: false })).toMatchObject({ valuation: -5, percent: 0, priority: 2 });
  });
});

describe('compileSql', () => {
  it('parameterises every literal and refuses unsafe relation names', () => {
    const d = doc([
      {
        name: "O'Brien rule",
        conditions: { all: [{ fact: 'country', operator: 'in', value: ["X'); DROP TABLE x; --"] }] },
        event: { type: 'v', params: { points: 3, role: 'condition' } },
      },
    ]);
    const { text, values } = compileSql(d, { factsRelation: 'facts' });
    expect(text).not.toContain('DROP');
    expect(text).not.toContain('Brien');
    expect(values).toContainEqual(["X'); DROP TABLE x; --"]);
    expect(() => compileSql(d, { factsRelation: 'facts; drop table x' })).toThrow();
  });
});

describe('explain', () => {
  it('gives every rule with fact values and thresholds', async () => {
    const d = doc([
      {
        name: 'big',
        conditions: {
          all: [
            { fact: 'openAmount', operator: 'greaterThan', value: 100 },
            { fact: 'riskClass', operator: 'in', value: ['C'] },
          ],
        },
        event: { type: 'v', params: { points: 10, role: 'condition' } },
      },
      {
        name: 'vs',
        conditions: { any: [{ fact: 'overdueAmount', operator: 'greaterThan', value: { fact: 'promisedAmount' } }] },
        event: { type: 'v', params: { points: 5, role: 'condition' } },
      },
    ]);
    const e = await explain(d, { f_openamount: 150, f_riskclass: 'C', f_overdueamount_mindaysoverdue_1: 10, f_promisedamount: 20 });
    expect(e.score).toMatchObject({ fired: ['big'], valuation: 10, percent: 66.67, priority: 1 });
    expect(e.rules[0]).toMatchObject({ name: 'big', fired: true, conditions: { kind: 'all', result: true } });
    expect(e.rules[0]!.conditions.conditions![0]).toMatchObject({ fact: 'openAmount', operator: 'greaterThan', value: 100, factValue: 150, result: true });
    expect(e.rules[1]!.conditions.conditions![0]).toMatchObject({
      fact: 'overdueAmount',
      params: { minDaysOverdue: 1 },
      factValue: 10,
      valueResult: 20,
      result: false,
    });
  });
});

describe('lint', () => {
  it('finds empty any, shadowing exits, unreachable bands and rules dead on data', () => {
    const d = doc(
      [
        {
          name: 'c',
          conditions: { all: [{ fact: 'openAmount', operator: 'greaterThan', value: 100 }] },
          event: { type: 'v', params: { points: 10, role: 'condition' } },
        },
        { name: 'x', conditions: { any: [] }, event: { type: 'v', params: { points: 0, role: 'exit' } } },
      ],
      { maxValuation: 40 },
    );
    const codes = lintStrategy(d, [{ f_openamount: 1 }, { f_openamount: 2 }]).map((f) => `${f.code} ${f.path}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'EMPTY_ANY rules[1].conditions.any',
        'EXIT_SHADOWS_ALL rules[1]',
        'UNREACHABLE_BAND priorities[0]',
        'NEVER_FIRES_ON_DATA rules[0]',
        'EXIT_EXCLUDES_ALL_ON_DATA rules',
      ]),
    );
  });
});
