/**
 * Document -> a scorer over fact columns: the rules evaluated for row i of columns of fact
 * values, as a preview holds a segment's kept facts in memory (one array per fact instead of an
 * object per partner). The same outcomes as the SQL compiler (compile-sql.ts), numerics
 * included: a number is compared as its double where that is exact (doubleComparesExactly),
 * else digit by digit (compareDecimal), so a ratio such as 80.00000000000000001 is greater than
 * 80 here as in Postgres. On values a double holds exactly it is json-rules-engine's semantics
 * (compile-js.ts), which the property spec holds it to. The rule tree becomes a tree of closures:
 * nothing from the document becomes code.
 */
import { compareDecimal, doubleComparesExactly } from './decimal';
import { isAll, isAny, isFactReference, isNot, type Condition, type StrategyDocument } from './document';
import { factKey, factKeysOf, type FactKey } from './facts';
import { scoreOf, scoringPlan, type Score, type ScoringPlan } from './scoring';

/** A number fact's column: NaN where the fact has no value. */
export interface NumberColumn {
  kind: 'number';
  values: Float64Array;
  /** The exact decimal text of the rows whose value a double does not hold exactly enough to compare. */
  exact: Map<number, string>;
}

/** A string, boolean or string-list fact's column: undefined (or null) where it has no value. */
export interface ValueColumn {
  kind: 'value';
  values: ReadonlyArray<unknown>;
}

export type FactColumn = NumberColumn | ValueColumn;

/** A number column from values as Postgres sends numerics (text) or as numbers; null or undefined: no value. */
export function numberColumn(values: ReadonlyArray<string | number | null | undefined>): NumberColumn {
  const column: NumberColumn = { kind: 'number', values: new Float64Array(values.length), exact: new Map() };
  values.forEach((v, i) => {
    if (v === null || v === undefined) {
      column.values[i] = NaN;
      return;
    }
    const text = String(v);
    column.values[i] = Number(text);
    if (!doubleComparesExactly(text)) column.exact.set(i, text);
  });
  return column;
}

export interface ColumnarScorer {
  factKeys: FactKey[];
  plan: ScoringPlan;
  /** Whether rule r (by document index) fires for row i: one test per rule, for a caller that stops early (an exit fired). */
  tests: ReadonlyArray<(i: number) => boolean>;
  /** Which rules fire for row i, by document index. */
  evaluate(i: number): boolean[];
  score(i: number): Score;
}

type Test = (i: number) => boolean;

/** The scorer of `document` over `columns` (by fact column name, see factKeysOf; every column the document reads). */
export function compileColumnar(document: StrategyDocument, columns: ReadonlyMap<string, FactColumn>): ColumnarScorer {
  const factKeys = factKeysOf(document);
  const columnOf = (k: FactKey): FactColumn => {
    const column = columns.get(k.column);
    if (!column) throw new Error(`No column ${k.column} for fact ${k.key}`);
    if ((k.type === 'number') !== (column.kind === 'number')) throw new Error(`Column ${k.column} is not of fact ${k.key}'s type ${k.type}`);
    return column;
  };
  const compile = (c: Condition): Test => {
    // Same precedence and empty-list outcomes as json-rules-engine (see compile-js.ts).
    if (isAny(c)) return anyOf(c.any.map(compile));
    if (isAll(c)) return allOf(c.all.map(compile));
    if (isNot(c)) {
      const inner = compile(c.not);
      return (i) => !inner(i);
    }
    const a = columnOf(factKey(c.fact, c.params));
    const b = isFactReference(c.value) ? columnOf(factKey(c.value.fact, c.value.params)) : c.value;
    return operatorTest(c.operator, a, b);
  };
  const rules = document.rules.map((r) => compile(r.conditions));
  const plan = scoringPlan(document);
  const evaluate = (i: number) => rules.map((test) => test(i));
  return { factKeys, plan, tests: rules, evaluate, score: (i) => scoreOf(plan, evaluate(i)) };
}

function anyOf(tests: Test[]): Test {
  return tests.length ? (i) => tests.some((t) => t(i)) : () => true;
}

function allOf(tests: Test[]): Test {
  return tests.length ? (i) => tests.every((t) => t(i)) : () => true;
}

/**
 * A number of row i compared with a number b (a literal, or row i of another column): -1, 0, 1, or
 * null when either has no value. Rounding a decimal to a double never reverses an order, so two
 * different doubles answer for their decimals; only equal doubles of an inexact value need the
 * digits.
 */
function numberComparer(a: NumberColumn, b: unknown): (i: number) => -1 | 0 | 1 | null {
  const textOf = (column: NumberColumn, i: number) => column.exact.get(i) ?? String(column.values[i]);
  if (isColumn(b)) {
    if (b.kind !== 'number') return () => null;
    return (i) => {
      const x = a.values[i]!;
      const y = b.values[i]!;
      if (x !== x || y !== y) return null;
      if (x !== y) return x < y ? -1 : 1;
      if (!a.exact.has(i) && !b.exact.has(i)) return 0;
      return compareDecimal(textOf(a, i), textOf(b, i));
    };
  }
  if (typeof b !== 'number') return () => null;
  const literal = String(b);
  const literalExact = doubleComparesExactly(literal);
  return (i) => {
    const x = a.values[i]!;
    if (x !== x) return null;
    if (x !== b) return x < b ? -1 : 1;
    const text = a.exact.get(i);
    if (text === undefined && literalExact) return 0;
    return compareDecimal(text ?? String(x), literal);
  };
}

function isColumn(v: unknown): v is FactColumn {
  return typeof v === 'object' && v !== null && 'kind' in v && (v.kind === 'number' || v.kind === 'value') && 'values' in v;
}

/** Row i's value of a value column, or b itself (a literal); undefined for no value. */
const valueAt = (column: FactColumn | unknown, i: number): unknown => {
  if (!isColumn(column)) return column;
  if (column.kind === 'number') {
    const v = column.values[i]!;
    return v !== v ? undefined : v;
  }
  return column.values[i] ?? undefined;
};

/** Each operator of operators.ts on row i, exactly on numbers. */
function operatorTest(operator: string, a: FactColumn, b: unknown): Test {
  if (a.kind === 'number') return numberTest(operator, a, b);
  switch (operator) {
    case 'equal':
      return (i) => valueAt(a, i) === valueAt(b, i);
    case 'notEqual':
      return (i) => valueAt(a, i) !== valueAt(b, i);
    case 'in':
      return (i) => (b as unknown[]).indexOf(valueAt(a, i)) > -1;
    case 'notIn':
      return (i) => (b as unknown[]).indexOf(valueAt(a, i)) === -1;
    case 'contains':
      return (i) => {
        const list = valueAt(a, i);
        return Array.isArray(list) && list.indexOf(b) > -1;
      };
    case 'doesNotContain':
      return (i) => {
        const list = valueAt(a, i);
        return Array.isArray(list) && list.indexOf(b) === -1;
      };
    default:
      // A numeric operator on a non-number fact: validation refuses it; json-rules-engine would answer false.
      return () => false;
  }
}

function numberTest(operator: string, a: NumberColumn, b: unknown): Test {
  const present = (i: number) => a.values[i] === a.values[i];
  switch (operator) {
    case 'equal':
    case 'notEqual': {
      const compare = numberComparer(a, b);
      // Two facts without a value are equal (undefined === undefined), as in json-rules-engine and IS NOT DISTINCT FROM.
      const equal: Test = (i) => {
        const c = compare(i);
        return c === null ? !present(i) && valueAt(b, i) === undefined : c === 0;
      };
      return operator === 'equal' ? equal : (i) => !equal(i);
    }
    case 'in':
    case 'notIn': {
      const members = (b as unknown[]).map((m) => numberComparer(a, m));
      const isIn: Test = (i) => members.some((compare) => compare(i) === 0);
      return operator === 'in' ? isIn : (i) => !isIn(i);
    }
    case 'lessThan':
      return comparison(a, b, (c) => c < 0);
    case 'lessThanInclusive':
      return comparison(a, b, (c) => c <= 0);
    case 'greaterThan':
      return comparison(a, b, (c) => c > 0);
    case 'greaterThanInclusive':
      return comparison(a, b, (c) => c >= 0);
    case 'between': {
      const [low, high] = b as [number, number];
      const fromLow = numberComparer(a, low);
      const toHigh = numberComparer(a, high);
      return (i) => {
        const l = fromLow(i);
        const h = toHigh(i);
        return l !== null && h !== null && l >= 0 && h <= 0;
      };
    }
    default:
      // contains / doesNotContain on a number: json-rules-engine answers false (not an array).
      return () => false;
  }
}

function comparison(a: NumberColumn, b: unknown, holds: (c: -1 | 0 | 1) => boolean): Test {
  const compare = numberComparer(a, b);
  return (i) => {
    const c = compare(i);
    return c !== null && holds(c);
  };
}
