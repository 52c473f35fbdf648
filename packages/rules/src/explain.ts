/**
 * Why a partner scored as it did, told by json-rules-engine itself (the reference semantics):
 * every rule, fired or not, with each condition's fact value, threshold and outcome. For the
 * customer 360 and the studio's preview.
 */
import type { RuleResult } from 'json-rules-engine';
import type { RuleRole, StrategyDocument } from './document';
import { factKey } from './facts';
import type { FactRow } from './compile-js';
import { createEngine, firedFlags, runEngine, type DocumentEngine } from './engine';
import { scoreOf, type Score } from './scoring';

export interface ConditionExplanation {
  kind: 'all' | 'any' | 'not' | 'fact';
  /** Outcome; null when json-rules-engine short-circuited and never evaluated it. */
  result: boolean | null;
  fact?: string;
  /** Params with defaults applied. */
  params?: Record<string, number | boolean>;
  operator?: string;
  /** The threshold as written: a literal, or `{ fact, params }` for a fact-to-fact comparison. */
  value?: unknown;
  /** The fact's value for this partner (undefined = no value). */
  factValue?: unknown;
  /** The compared value after resolving a fact reference. */
  valueResult?: unknown;
  conditions?: ConditionExplanation[];
}

export interface RuleExplanation {
  index: number;
  name: string;
  role: RuleRole;
  points: number;
  fired: boolean;
  conditions: ConditionExplanation;
}

export interface Explanation {
  score: Score;
  rules: RuleExplanation[];
}

type Node = Record<string, unknown>;

function describe(node: Node, row: FactRow): ConditionExplanation {
  const result = typeof node.result === 'boolean' ? node.result : null;
  for (const kind of ['any', 'all', 'not'] as const) {
    if (!Object.prototype.hasOwnProperty.call(node, kind)) continue;
    const sub = node[kind];
    const children = (Array.isArray(sub) ? sub : [sub]).map((c) => describe(c as Node, row));
    return { kind, result, conditions: children };
  }
  const key = factKey(node.fact as string, node.params as Record<string, unknown> | undefined);
  const value = node.value;
  const ref =
    value !== null && typeof value === 'object' && !Array.isArray(value) && 'fact' in value
      ? factKey((value as Node).fact as string, (value as Node).params as Record<string, unknown> | undefined)
      : undefined;
  return {
    kind: 'fact',
    result,
    fact: key.fact,
    params: key.params,
    operator: node.operator as string,
    value,
    factValue: row[key.column] ?? undefined,
    valueResult: ref ? (row[ref.column] ?? undefined) : value,
  };
}

export async function explain(document: StrategyDocument, row: FactRow, engine?: DocumentEngine): Promise<Explanation> {
  const de = engine ?? createEngine(document);
  const result = await runEngine(de, row);
  const byName = new Map<string, RuleResult>();
  for (const r of [...result.results, ...result.failureResults] as RuleResult[]) byName.set(r.name, r);
  const rules = document.rules.map((rule, index): RuleExplanation => {
    const r = byName.get(rule.name)!;
    return {
      index,
      name: rule.name,
      role: rule.event.params.role,
      points: rule.event.params.points,
      fired: r.result,
      // json-rules-engine records no result on the root condition; the rule's result is it.
      conditions: { ...describe(r.conditions as unknown as Node, row), result: r.result },
    };
  });
  return { score: scoreOf(de.plan, firedFlags(de, result)), rules };
}
