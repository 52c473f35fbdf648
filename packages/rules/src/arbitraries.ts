/**
 * fast-check arbitraries for strategy documents and fact rows, shared by the property specs,
 * the SQL test and the benchmark. Values come from small pools so that equality, list
 * membership, boundaries and fact-to-fact comparisons actually hit. Not part of the public API.
 */
import fc from 'fast-check';
import type { Condition, FactCondition, PriorityBand, StrategyDocument, StrategyRule } from './document';
import { FACTS, factKey, type FactDef, type FactKey } from './facts';
import { operatorsFor, type OperatorDef } from './operators';

const NUMBERS = [-5, -1, 0, 0.5, 1, 2, 3, 7.25, 10, 30, 90, 100, 1000.5];
const STRINGS = ['', 'A', 'B', 'DE', 'FR', 'EUR'];
const CODES = ['1000', '2000', '3000'];
const PARAM_CHOICES: Record<string, (number | boolean | undefined)[]> = {
  minDaysOverdue: [undefined, 1, 30, -5],
  withinDays: [undefined, 0, 90, 365],
  reachedOnly: [undefined, false, true],
};

/** Every fact key the arbitraries can produce: the columns of a universal fact row. */
export const UNIVERSE: FactKey[] = (() => {
  const keys = new Map<string, FactKey>();
  for (const def of FACTS) {
    const combos: Record<string, unknown>[] = [{}];
    for (const p of def.params) {
      const next: Record<string, unknown>[] = [];
      for (const combo of combos) for (const v of PARAM_CHOICES[p.name]!) next.push(v === undefined ? combo : { ...combo, [p.name]: v });
      combos.splice(0, combos.length, ...next);
    }
    for (const c of combos) {
      const k = factKey(def.name, c);
      keys.set(k.key, k);
    }
  }
  return [...keys.values()];
})();

const paramsArb = (def: FactDef): fc.Arbitrary<Record<string, unknown> | undefined> => {
  if (!def.params.length) return fc.constant(undefined);
  return fc.tuple(...def.params.map((p) => fc.constantFrom(...PARAM_CHOICES[p.name]!))).map((vals) => {
    const out: Record<string, unknown> = {};
    def.params.forEach((p, i) => {
      if (vals[i] !== undefined) out[p.name] = vals[i];
    });
    return Object.keys(out).length ? out : undefined;
  });
};

const scalarArb = (type: string): fc.Arbitrary<number | string | boolean> =>
  type === 'number' ? fc.constantFrom(...NUMBERS) : type === 'string' ? fc.constantFrom(...STRINGS) : fc.boolean();

const valueArb = (def: FactDef, op: OperatorDef): fc.Arbitrary<unknown> => {
  const literal = (() => {
    switch (op.value) {
      case 'scalar':
        return scalarArb(def.type);
      case 'element':
        return fc.constantFrom(...CODES, 'X');
      case 'list':
        return fc.array(scalarArb(def.type), { maxLength: 4 });
      case 'range':
        return fc.tuple(fc.constantFrom(...NUMBERS), fc.constantFrom(...NUMBERS)).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
    }
  })() as fc.Arbitrary<unknown>;
  if (!op.factReference) return literal;
  const sameType = FACTS.filter((f) => f.type === def.type);
  const reference = fc.constantFrom(...sameType).chain((ref) => paramsArb(ref).map((params) => (params ? { fact: ref.name, params } : { fact: ref.name })));
  return fc.oneof({ arbitrary: literal, weight: 3 }, { arbitrary: reference, weight: 1 });
};

export const factConditionArb: fc.Arbitrary<FactCondition> = fc.constantFrom(...FACTS).chain((def) =>
  fc.constantFrom(...operatorsFor(def.type)).chain((op) =>
    fc
      .record({ params: paramsArb(def), value: valueArb(def, op), priority: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) })
      .map(({ params, value, priority }) => {
        const c: FactCondition = { fact: def.name, operator: op.name, value: value as FactCondition['value'] };
        if (params) c.params = params;
        if (priority !== undefined) c.priority = priority;
        return c;
      }),
  ),
);

export function conditionArb(maxDepth: number): fc.Arbitrary<Condition> {
  const { node } = fc.letrec<{ node: Condition; bool: Condition }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, factConditionArb, tie('bool')),
    bool: fc.oneof(
      fc.array(tie('node'), { maxLength: 3 }).map((all) => ({ all })),
      fc.array(tie('node'), { maxLength: 3 }).map((any) => ({ any })),
      tie('node').map((not) => ({ not })),
    ),
  }));
  return node.filter((c) => depthOf(c) <= maxDepth);
}

function depthOf(c: Condition): number {
  if ('all' in c) return 1 + Math.max(0, ...c.all.map(depthOf));
  if ('any' in c) return 1 + Math.max(0, ...c.any.map(depthOf));
  if ('not' in c) return 1 + depthOf(c.not);
  return 0;
}

const rootArb: fc.Arbitrary<StrategyRule['conditions']> = fc.oneof(
  fc.array(conditionArb(4), { maxLength: 4 }).map((all) => ({ all })),
  fc.array(conditionArb(4), { maxLength: 4 }).map((any) => ({ any })),
  conditionArb(4).map((not) => ({ not })),
);

const PERCENTS = [12.5, 20, 25, 33.33, 50, 66.67, 80, 99.99, 100];

export const documentArb: fc.Arbitrary<StrategyDocument> = fc
  .record({
    rules: fc.array(
      fc.record({
        conditions: rootArb,
        points: fc.integer({ min: -20, max: 50 }),
        exit: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))), // ~1 in 4 is an exit rule
        priority: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      }),
      { maxLength: 8 },
    ),
    maxValuation: fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }),
    minPercent: fc.constantFrom(0, 0, 10, 33.33, 50),
    bandPercents: fc.uniqueArray(fc.constantFrom(...PERCENTS), { maxLength: 4 }),
  })
  .map(({ rules, maxValuation, minPercent, bandPercents }) => {
    const priorities: PriorityBand[] = [...bandPercents, 0].sort((a, b) => b - a).map((m, i) => ({ priority: i + 1, label: `P${i + 1}`, minPercent: m }));
    return {
      key: 'PROP',
      name: 'Property test',
      currency: 'EUR',
      maxValuation,
      minPercent,
      priorities,
      agingBuckets: [0, 30, 60, 90],
      rules: rules.map((r, i): StrategyRule => ({
        name: `R${i}`,
        ...(r.priority !== undefined ? { priority: r.priority } : {}),
        conditions: r.conditions,
        event: { type: 'valuation', params: { points: r.points, role: r.exit ? 'exit' : 'condition' } },
      })),
    };
  });

const factValueArb = (k: FactKey): fc.Arbitrary<unknown> => {
  const value = k.type === 'string[]' ? fc.subarray(CODES) : scalarArb(k.type);
  return fc.oneof({ arbitrary: value, weight: 4 }, { arbitrary: fc.constant(undefined), weight: 1 });
};

/** A fact row over the universe of columns (missing keys and undefined values both mean undefined). */
export const factRowArb: fc.Arbitrary<Record<string, unknown>> = fc.record(Object.fromEntries(UNIVERSE.map((k) => [k.column, factValueArb(k)])));
