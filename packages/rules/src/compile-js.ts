/**
 * Document -> JS scorer. The rule tree becomes one generated function over a fact row;
 * every literal lives in a constants array (never pasted into code) and fact columns are
 * registry-made identifiers, so nothing from the document reaches the source text as code.
 */
import { isAll, isAny, isFactReference, isNot, type Condition, type StrategyDocument } from './document';
import { factKey, factKeysOf, type FactKey } from './facts';
import { operatorDef } from './operators';
import { scoreOf, scoringPlan, type Score, type ScoringPlan } from './scoring';

/** One partner's facts: column name (see `factKeysOf`) -> value; missing or null = undefined. */
export type FactRow = Record<string, unknown>;

export interface JsScorer {
  factKeys: FactKey[];
  plan: ScoringPlan;
  /** Which rules fire, by document index. */
  evaluate(row: FactRow): boolean[];
  score(row: FactRow): Score;
  /** The generated source, for debugging. */
  source: string;
}

export function compileJs(document: StrategyDocument): JsScorer {
  const factKeys = factKeysOf(document);
  const varOf = new Map(factKeys.map((k, i) => [k.column, `v${i}`]));
  const constants: unknown[] = [];
  const constant = (v: unknown) => `K[${constants.push(v) - 1}]`;

  const expr = (c: Condition): string => {
    // Same precedence as json-rules-engine: any, all, not. Empty all is true; so is empty any
    // (json-rules-engine 7.3 resolves an empty list to true whatever the operator).
    if (isAny(c)) return c.any.length ? `(${c.any.map(expr).join(' || ')})` : 'true';
    if (isAll(c)) return c.all.length ? `(${c.all.map(expr).join(' && ')})` : 'true';
    if (isNot(c)) return `!${expr(c.not)}`;
    const op = operatorDef(c.operator)!;
    const a = varOf.get(factKey(c.fact, c.params).column)!;
    const b = isFactReference(c.value) ? varOf.get(factKey(c.value.fact, c.value.params).column)! : constant(c.value);
    return op.js(a, b);
  };

  const lines = factKeys.map((k, i) => `const v${i} = r[${JSON.stringify(k.column)}] ?? undefined;`);
  lines.push(`return [${document.rules.map((r) => expr(r.conditions)).join(',\n  ')}];`);
  const source = lines.join('\n');
  const evaluate = new Function('K', `return function evaluate(r) {\n${source}\n};`)(constants) as (row: FactRow) => boolean[];
  const plan = scoringPlan(document);
  return { factKeys, plan, evaluate, score: (row) => scoreOf(plan, evaluate(row)), source };
}
