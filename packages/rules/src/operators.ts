/**
 * The operator registry: json-rules-engine's built-in operators plus Recoup's extras, each
 * with a JS and an SQL implementation that reproduce json-rules-engine's behaviour exactly,
 * including on undefined facts (SQL NULL). Extras are registered on every Engine we create
 * (engine.ts) so documents stay portable to plain json-rules-engine. Pure metadata without
 * json-rules-engine at runtime, so the studio can import it to put rules into words.
 */
import type { FactType } from './facts';

/**
 * The shape of `value`: a scalar of the fact's type, a list of such scalars, a [low, high]
 * range of numbers, or one element of an array fact.
 */
export type ValueShape = 'scalar' | 'list' | 'range' | 'element';

export interface OperatorDef {
  name: string;
  label: string;
  builtin: boolean;
  factTypes: readonly FactType[];
  value: ValueShape;
  /** Whether `value` may be `{ "fact": ... }` (the right-hand side is another fact of the same type). */
  factReference: boolean;
  description: string;
  /** The label under `not`, true exactly when `label` is false (so undefined facts too). */
  negatedLabel: string;
  /** The outcome itself, for putting a condition into words; `a` is the fact value (undefined when missing), `b` the value. */
  holds(a: unknown, b: unknown): boolean;
  /** JS boolean expression; `a` is the fact value (undefined when missing), `b` the value. */
  js(a: string, b: string): string;
  /** SQL boolean expression that is never NULL; `a` is the fact column, `b` the value (a typed parameter or column). */
  sql(a: string, b: string): string;
}

const NUM: readonly FactType[] = ['number'];
const SCALARS: readonly FactType[] = ['number', 'string', 'boolean'];

// json-rules-engine guards numeric operators with parseFloat(fact) !== NaN; on our typed facts
// (number or undefined) that is exactly `typeof a === 'number'`. SQL NULL comparisons fold to false.
const numeric = (name: string, label: string, op: '<' | '<=' | '>' | '>=', compare: (a: number, b: number) => boolean): OperatorDef => ({
  name,
  label,
  negatedLabel: label.replace(/^is /, 'is not '),
  holds: (a, b) => typeof a === 'number' && compare(a, b as number),
  builtin: true,
  factTypes: NUM,
  value: 'scalar',
  factReference: true,
  description: `Fact ${op} value; false when the fact (or the compared fact) is undefined.`,
  js: (a, b) => `(typeof ${a} === 'number' && ${a} ${op} ${b})`,
  sql: (a, b) => `coalesce(${a} ${op} ${b}, false)`,
});

export const OPERATORS: readonly OperatorDef[] = [
  {
    name: 'equal',
    label: 'equals',
    negatedLabel: 'does not equal',
    holds: (a, b) => a === b,
    builtin: true,
    factTypes: SCALARS,
    value: 'scalar',
    factReference: true,
    description: 'Strict equality (===); two undefined facts are equal.',
    js: (a, b) => `(${a} === ${b})`,
    sql: (a, b) => `(${a} IS NOT DISTINCT FROM ${b})`,
  },
  {
    name: 'notEqual',
    label: 'does not equal',
    negatedLabel: 'equals',
    holds: (a, b) => a !== b,
    builtin: true,
    factTypes: SCALARS,
    value: 'scalar',
    factReference: true,
    description: 'Strict inequality (!==); true when the fact is undefined.',
    js: (a, b) => `(${a} !== ${b})`,
    sql: (a, b) => `(${a} IS DISTINCT FROM ${b})`,
  },
  {
    name: 'in',
    label: 'is one of',
    negatedLabel: 'is none of',
    holds: (a, b) => (b as unknown[]).indexOf(a) > -1,
    builtin: true,
    factTypes: ['number', 'string'],
    value: 'list',
    factReference: false,
    description: 'The fact is one of the listed values; false when undefined.',
    js: (a, b) => `(${b}.indexOf(${a}) > -1)`,
    sql: (a, b) => `coalesce(${a} = ANY(${b}), false)`,
  },
  {
    name: 'notIn',
    label: 'is none of',
    negatedLabel: 'is one of',
    holds: (a, b) => (b as unknown[]).indexOf(a) === -1,
    builtin: true,
    factTypes: ['number', 'string'],
    value: 'list',
    factReference: false,
    description: 'The fact is none of the listed values; true when undefined.',
    js: (a, b) => `(${b}.indexOf(${a}) === -1)`,
    sql: (a, b) => `NOT coalesce(${a} = ANY(${b}), false)`,
  },
  {
    name: 'contains',
    label: 'contains',
    negatedLabel: 'does not contain',
    holds: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
    builtin: true,
    factTypes: ['string[]'],
    value: 'element',
    factReference: false,
    description: 'The list fact contains the value; false when undefined.',
    js: (a, b) => `(Array.isArray(${a}) && ${a}.indexOf(${b}) > -1)`,
    sql: (a, b) => `coalesce(${b} = ANY(${a}), false)`,
  },
  // json-rules-engine checks Array.isArray first, so an undefined list fact makes doesNotContain false too.
  {
    name: 'doesNotContain',
    label: 'does not contain',
    negatedLabel: 'contains (or has no value)',
    holds: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
    builtin: true,
    factTypes: ['string[]'],
    value: 'element',
    factReference: false,
    description: 'The list fact does not contain the value; false when undefined.',
    js: (a, b) => `(Array.isArray(${a}) && ${a}.indexOf(${b}) === -1)`,
    sql: (a, b) => `(${a} IS NOT NULL AND NOT coalesce(${b} = ANY(${a}), false))`,
  },
  numeric('lessThan', 'is less than', '<', (a, b) => a < b),
  numeric('lessThanInclusive', 'is at most', '<=', (a, b) => a <= b),
  numeric('greaterThan', 'is greater than', '>', (a, b) => a > b),
  numeric('greaterThanInclusive', 'is at least', '>=', (a, b) => a >= b),
  {
    name: 'between',
    label: 'is between',
    negatedLabel: 'is not between',
    holds: (a, b) => typeof a === 'number' && a >= (b as number[])[0]! && a <= (b as number[])[1]!,
    builtin: false,
    factTypes: NUM,
    value: 'range',
    factReference: false,
    description: 'low <= fact <= high, value [low, high]; false when undefined.',
    js: (a, b) => `(typeof ${a} === 'number' && ${a} >= ${b}[0] && ${a} <= ${b}[1])`,
    sql: (a, b) => `coalesce(${a} >= (${b})[1] AND ${a} <= (${b})[2], false)`,
  },
];

const BY_NAME = new Map(OPERATORS.map((o) => [o.name, o]));

export function operatorDef(name: string): OperatorDef | undefined {
  return BY_NAME.get(name);
}

export function operatorsFor(type: FactType): OperatorDef[] {
  return OPERATORS.filter((o) => o.factTypes.includes(type));
}
