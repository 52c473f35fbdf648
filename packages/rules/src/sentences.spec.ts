import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentArb, factRowArb } from './arbitraries';
import type { Condition, StrategyDocument } from './document';
import { explain, type ConditionExplanation } from './explain';
import { factKey } from './facts';
import { OPERATORS } from './operators';
import { conditionInWords, factValueInWords, ruleInWords, type ConditionSentence, type WordsOptions } from './sentences';

const EN: WordsOptions = { currency: 'EUR', locale: 'en-US' };

function documentOf(conditions: StrategyDocument['rules'][number]['conditions']): StrategyDocument {
  return {
    key: 'W',
    name: 'Words',
    currency: 'EUR',
    maxValuation: null,
    minPercent: 0,
    priorities: [{ priority: 1, label: 'P1', minPercent: 0 }],
    agingBuckets: [0, 30],
    rules: [{ name: 'R', conditions, event: { type: 'valuation', params: { points: 10, role: 'condition' } } }],
  };
}

/** A fact row from `{ factKey: value }`, e.g. `{ 'daysSinceLastContact{"reachedOnly":true}': 46 }`. */
function rowOf(values: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const name = key.replace(/\{.*$/, '');
    const params = key.length > name.length ? (JSON.parse(key.slice(name.length)) as Record<string, unknown>) : undefined;
    row[factKey(name, params).column] = value;
  }
  return row;
}

/** The rule in words next to json-rules-engine's verdict on the same facts. */
async function said(condition: Condition, values: Record<string, unknown>, options = EN): Promise<{ fired: boolean; words: ConditionSentence }> {
  const { rules } = await explain(documentOf({ all: [condition] }), rowOf(values));
  const [rule] = rules;
  return { fired: rule!.fired, words: ruleInWords(rule!.conditions, options) };
}

/** Intl puts a no-break space between a currency code and the figure. */
const spaces = (s: string) => s.replace(/\u00a0|\u202f/g, ' ');

async function expectSaid(condition: Condition, values: Record<string, unknown>, text: string, holds: boolean, options = EN): Promise<ConditionSentence> {
  const { fired, words } = await said(condition, values, options);
  expect(fired).toBe(holds); // json-rules-engine's outcome
  expect(words.holds).toBe(fired); // the sentence claims exactly that
  expect(spaces(words.text)).toBe(text);
  return words;
}

describe('rules in words, one operator at a time, held against json-rules-engine', () => {
  it('greaterThan on the oldest item: "over"', async () => {
    await expectSaid(
      { fact: 'maxDaysOverdue', operator: 'greaterThan', value: 90 },
      { maxDaysOverdue: 138 },
      'Oldest item over 90 days overdue: 138 days',
      true,
    );
    await expectSaid(
      { fact: 'maxDaysOverdue', operator: 'greaterThan', value: 90 },
      { maxDaysOverdue: 90 },
      'Oldest item over 90 days overdue: 90 days',
      false,
    );
    await expectSaid({ fact: 'maxDaysOverdue', operator: 'greaterThan', value: 90 }, {}, 'Oldest item over 90 days overdue: no open item', false);
  });

  it('greaterThanInclusive on money, in the strategy currency and the locale, never a raw float', async () => {
    const c: Condition = { fact: 'overdueAmount', params: { minDaysOverdue: 30 }, operator: 'greaterThanInclusive', value: 10000 };
    await expectSaid(
      c,
      { 'overdueAmount{"minDaysOverdue":30}': 144929.1208341048 },
      'Overdue amount (items 30+ days overdue) is at least EUR 10,000.00: EUR 144,929.12',
      true,
    );
    await expectSaid(
      c,
      { 'overdueAmount{"minDaysOverdue":30}': 9999.995 },
      'Overdue amount (items 30+ days overdue) is at least EUR 10,000.00: EUR 10,000.00',
      false,
    );
    const de = await said(c, { 'overdueAmount{"minDaysOverdue":30}': 144929.1208341048 }, { currency: 'CHF', locale: 'de-DE' });
    expect(spaces(de.words.text)).toBe('Overdue amount (items 30+ days overdue) is at least 10.000,00 CHF: 144.929,12 CHF');
  });

  it('lessThan and lessThanInclusive on days since the last contact', async () => {
    await expectSaid(
      { fact: 'daysSinceLastContact', operator: 'lessThan', value: 7 },
      { 'daysSinceLastContact{"reachedOnly":false}': 3 },
      'Contacted less than 7 days ago: last contacted 3 days ago',
      true,
    );
    await expectSaid(
      { fact: 'daysSinceLastContact', params: { reachedOnly: true }, operator: 'lessThanInclusive', value: 30 },
      { 'daysSinceLastContact{"reachedOnly":true}': 30 },
      'Contacted (reached) in the last 30 days: last reached 30 days ago',
      true,
    );
    await expectSaid({ fact: 'daysSinceLastContact', operator: 'lessThanInclusive', value: 30 }, {}, 'Contacted in the last 30 days: never contacted', false);
  });

  it('greaterThan and greaterThanInclusive on days since the last payment', async () => {
    await expectSaid(
      { fact: 'daysSinceLastPayment', operator: 'greaterThan', value: 60 },
      { daysSinceLastPayment: 61 },
      'Last paid more than 60 days ago: last paid 61 days ago',
      true,
    );
    await expectSaid(
      { fact: 'daysSinceLastPayment', operator: 'greaterThanInclusive', value: 60 },
      {},
      'Last paid at least 60 days ago: no payment yet',
      false,
    );
  });

  it('equal and notEqual on codes and flags', async () => {
    await expectSaid({ fact: 'country', operator: 'equal', value: 'DE' }, { country: 'FR' }, 'Country equals DE: FR', false);
    await expectSaid({ fact: 'customerType', operator: 'notEqual', value: 'B2C' }, { customerType: 'B2B' }, 'Customer type does not equal B2C: B2B', true);
    await expectSaid({ fact: 'resubmissionDue', operator: 'equal', value: true }, { resubmissionDue: true }, 'Resubmission due: yes', true);
    await expectSaid({ fact: 'paymentPlanBroken', operator: 'notEqual', value: true }, { paymentPlanBroken: true }, 'Payment plan not broken: yes', false);
  });

  it('in and notIn, with an undefined fact (notIn holds, in does not)', async () => {
    await expectSaid({ fact: 'riskClass', operator: 'in', value: ['A', 'B'] }, { riskClass: 'B' }, 'Risk class is one of A, B: B', true);
    await expectSaid({ fact: 'riskClass', operator: 'in', value: ['A', 'B'] }, {}, 'Risk class is one of A, B: none', false);
    await expectSaid({ fact: 'riskClass', operator: 'notIn', value: ['A', 'B'] }, {}, 'Risk class is none of A, B: none', true);
  });

  it('contains and doesNotContain on company codes', async () => {
    await expectSaid(
      { fact: 'companyCodes', operator: 'contains', value: '1000' },
      { companyCodes: ['1000', '2000'] },
      'Company codes contains 1000: 1000, 2000',
      true,
    );
    await expectSaid(
      { fact: 'companyCodes', operator: 'doesNotContain', value: '1000' },
      { companyCodes: ['1000'] },
      'Company codes does not contain 1000: 1000',
      false,
    );
    await expectSaid(
      { fact: 'companyCodes', operator: 'doesNotContain', value: '3000' },
      { companyCodes: [] },
      'Company codes does not contain 3000: none',
      true,
    );
  });

  it('between on a percentage and a ratio', async () => {
    await expectSaid(
      { fact: 'disputedShare', operator: 'between', value: [10, 50] },
      { disputedShare: 33.333 },
      'Disputed share is between 10% and 50%: 33.3%',
      true,
    );
    await expectSaid({ fact: 'keptPromiseRatio', operator: 'lessThan', value: 0.5 }, {}, 'Kept promise ratio is less than 50%: no promise judged yet', false);
  });

  it('a fact compared with another fact names both values', async () => {
    await expectSaid(
      { fact: 'promisedAmount', operator: 'greaterThanInclusive', value: { fact: 'overdueAmount' } },
      { promisedAmount: 500, 'overdueAmount{"minDaysOverdue":1}': 1234.5 },
      'Promised amount is at least overdue amount: EUR 500.00 against EUR 1,234.50',
      false,
    );
  });

  it('every operator of the registry has words for its negation and its own outcome', () => {
    for (const op of OPERATORS) {
      expect(op.negatedLabel, op.name).not.toBe(op.label);
      expect(typeof op.holds, op.name).toBe('function');
    }
  });
});

describe('not, any and all in words', () => {
  it('not folds into the sentence instead of stating the opposite', async () => {
    const words = await expectSaid(
      { not: { fact: 'daysSinceLastContact', params: { reachedOnly: true }, operator: 'lessThanInclusive', value: 30 } },
      { 'daysSinceLastContact{"reachedOnly":true}': 46 },
      'Not contacted (reached) in the last 30 days: last reached 46 days ago',
      true,
    );
    expect(words.children).toEqual([]);
    await expectSaid(
      { not: { fact: 'daysSinceLastContact', params: { reachedOnly: true }, operator: 'lessThanInclusive', value: 30 } },
      {},
      'Not contacted (reached) in the last 30 days: never reached',
      true,
    );
    await expectSaid(
      { not: { fact: 'maxDaysOverdue', operator: 'greaterThan', value: 90 } },
      { maxDaysOverdue: 138 },
      'Oldest item not over 90 days overdue: 138 days',
      false,
    );
    await expectSaid(
      { not: { fact: 'overdueAmount', operator: 'lessThan', value: 100 } },
      { 'overdueAmount{"minDaysOverdue":1}': 50 },
      'Overdue amount is not less than EUR 100.00: EUR 50.00',
      false,
    );
    await expectSaid({ not: { not: { fact: 'country', operator: 'equal', value: 'DE' } } }, { country: 'DE' }, 'Country equals DE: DE', true);
  });

  it('not any reads "None of these holds", with each condition in words', async () => {
    const words = await expectSaid(
      {
        not: {
          any: [
            { fact: 'openDisputeCount', operator: 'greaterThan', value: 0 },
            { fact: 'resubmissionDue', operator: 'equal', value: true },
          ],
        },
      },
      { openDisputeCount: 2, resubmissionDue: false },
      'None of these holds',
      false,
    );
    expect(words.children.map((c) => [c.text, c.holds])).toEqual([
      ['Open disputes is greater than 0: 2', true],
      ['Resubmission due: no', false],
    ]);
  });

  it('nested all / any / not keep each level and its outcome', async () => {
    const words = await expectSaid(
      {
        any: [
          {
            all: [
              { fact: 'maxDaysOverdue', operator: 'greaterThanInclusive', value: 30 },
              {
                not: {
                  all: [
                    { fact: 'country', operator: 'equal', value: 'DE' },
                    { fact: 'openItemCount', operator: 'greaterThan', value: 3 },
                  ],
                },
              },
            ],
          },
          { fact: 'brokenPromises', operator: 'greaterThanInclusive', value: 1 },
        ],
      },
      { maxDaysOverdue: 45, country: 'DE', openItemCount: 5, 'brokenPromises{"withinDays":365}': 0 },
      'At least one of these holds',
      false,
    );
    const [all, broken] = words.children;
    expect(all!.text).toBe('All of these hold');
    expect(all!.holds).toBe(false);
    expect(all!.children.map((c) => [c.text, c.holds])).toEqual([
      ['Oldest item at least 30 days overdue: 45 days', true],
      ['Not all of these hold', false],
    ]);
    expect(all!.children[1]!.children.map((c) => c.holds)).toEqual([true, true]);
    expect([broken!.text, broken!.holds]).toEqual(['Broken promises (in the last 365 days) is at least 1: 0', false]);
  });
});

describe('rules in words on random documents and facts', () => {
  /** Every node json-rules-engine evaluated, with its outcome. */
  function evaluated(node: ConditionExplanation, out: ConditionExplanation[] = []): ConditionExplanation[] {
    if (node.result !== null) out.push(node);
    for (const c of node.conditions ?? []) evaluated(c, out);
    return out;
  }

  function texts(s: ConditionSentence): string[] {
    return [s.text, ...s.children.flatMap(texts)];
  }

  it('say a condition holds exactly when json-rules-engine says it is true, at every level', async () => {
    let nodes = 0;
    await fc.assert(
      fc.asyncProperty(
        documentArb,
        fc.array(factRowArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('en-US', 'de-DE', 'fr-CH'),
        async (doc, rows, locale) => {
          const options = { currency: doc.currency, locale };
          for (const row of rows) {
            const { rules } = await explain(doc, row);
            for (const rule of rules) {
              const words = ruleInWords(rule.conditions, options);
              expect(words.holds).toBe(rule.fired);
              // no raw float: at most two decimals after the locale's decimal mark
              const rawFloat = locale === 'en-US' ? /\d\.\d{3}/ : /\d,\d{3}/;
              for (const text of texts(words)) {
                expect(text).not.toMatch(/undefined|NaN|\[object/);
                expect(text).not.toMatch(rawFloat);
              }
              for (const node of evaluated(rule.conditions)) {
                expect(conditionInWords(node, options).holds).toBe(node.result);
                nodes++;
              }
            }
          }
        },
      ),
      { numRuns: 250 },
    );
    expect(nodes).toBeGreaterThan(1000);
  });
});

describe('fact values in words', () => {
  it('names the fact with its params and formats the value in its unit', () => {
    expect(factValueInWords('daysSinceLastContact{"reachedOnly":true}', 46, EN)).toEqual({ label: 'Days since last contact (reached)', value: '46 days' });
    expect(factValueInWords('daysSinceLastContact{"reachedOnly":true}', null, EN)).toEqual({
      label: 'Days since last contact (reached)',
      value: 'never reached',
    });
    const money = factValueInWords('overdueAmount{"minDaysOverdue":90}', 144929.1208341048, EN);
    expect([money.label, spaces(money.value)]).toEqual(['Overdue amount (items 90+ days overdue)', 'EUR 144,929.12']);
    expect(factValueInWords('allOverdueDisputedOrBlocked', false, EN)).toEqual({ label: 'All overdue items disputed or blocked', value: 'no' });
  });
});
