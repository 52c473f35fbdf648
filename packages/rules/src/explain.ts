/**
 * Why a partner scored as it did: every rule, fired or not, with each condition's fact value,
 * threshold and outcome. For the customer 360 and the studio's preview.
 *  - `explain`: told by json-rules-engine itself (the reference semantics, the oracle);
 *  - `explainSync`: the same explanation without the engine: its evaluation order (priority sets,
 *    short-circuits between them) replayed in plain code, several times cheaper per partner (no
 *    promises, no clone of the rules per run). explain.spec holds it equal to `explain`.
 */
import type { RuleResult } from 'json-rules-engine';
import { isAll, isAny, isFactReference, isNot, type Condition, type FactCondition, type RuleRole, type StrategyDocument } from './document';
import { factKey } from './facts';
import type { FactRow } from './compile-js';
import { createEngine, firedFlags, runEngine, type DocumentEngine } from './engine';
import { operatorDef } from './operators';
import { scoreOf, scoringPlan, type Score, type ScoringPlan } from './scoring';

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

/** `explain`'s answer, computed without json-rules-engine (synchronously). */
export function explainSync(document: StrategyDocument, row: FactRow): Explanation {
  const fired: boolean[] = [];
  const rules = document.rules.map((rule, index): RuleExplanation => {
    const root = explainRoot(rule.conditions, row);
    fired.push(root.result === true);
    return { index, name: rule.name, role: rule.event.params.role, points: rule.event.params.points, fired: root.result === true, conditions: root };
  });
  return { score: scoreOf(planOf(document), fired), rules };
}

const plans = new WeakMap<StrategyDocument, ScoringPlan>();
function planOf(document: StrategyDocument): ScoringPlan {
  let plan = plans.get(document);
  if (!plan) plans.set(document, (plan = scoringPlan(document)));
  return plan;
}

/** A rule's root: its list run as json-rules-engine runs it, the root's result the rule's. */
function explainRoot(root: Condition, row: FactRow): ConditionExplanation {
  if (isNot(root)) {
    const [child] = runList([root.not], 'not', row);
    return { kind: 'not', result: child!.result !== true, conditions: [child!] };
  }
  const kind = isAny(root) ? 'any' : 'all';
  const list = isAny(root) ? root.any : isAll(root) ? root.all : [];
  const conditions = runList(list, kind, row);
  return { kind, result: listResult(conditions, kind), conditions };
}

function listResult(conditions: ConditionExplanation[], kind: 'all' | 'any'): boolean {
  if (conditions.length === 0) return true;
  return kind === 'any' ? conditions.some((c) => c.result === true) : conditions.every((c) => c.result === true);
}

/**
 * json-rules-engine's prioritizeAndRun: an empty list is true, a single condition is evaluated
 * alone, else the conditions go in sets by priority (highest first), each set evaluated whole,
 * and the sets after the one that decides an all (false) or an any (true) are never evaluated
 * (result null). Returns the conditions' explanations in document order.
 */
function runList(list: Condition[], kind: 'all' | 'any' | 'not', row: FactRow): ConditionExplanation[] {
  if (list.length <= 1) return list.map((c) => evaluated(c, row));
  const out = new Array<ConditionExplanation>(list.length);
  const priorities = [...new Set(list.map(priorityOf))].sort((a, b) => b - a);
  let decided = false;
  for (const priority of priorities) {
    const members = list.flatMap((c, i) => (priorityOf(c) === priority ? [i] : []));
    for (const i of members) out[i] = decided ? skipped(list[i]!, row) : evaluated(list[i]!, row);
    if (decided) continue;
    const results = members.map((i) => out[i]!.result === true);
    decided = kind === 'any' ? results.some(Boolean) : !results.every(Boolean);
  }
  return out;
}

/** A condition's priority as json-rules-engine reads it (a fact condition without one: its fact's, 1 here). */
function priorityOf(c: Condition): number {
  return Math.trunc(Number(c.priority)) || 1;
}

function evaluated(c: Condition, row: FactRow): ConditionExplanation {
  if (isAny(c) || isAll(c)) {
    const kind = isAny(c) ? 'any' : 'all';
    const conditions = runList(isAny(c) ? c.any : (c as { all: Condition[] }).all, kind, row);
    return { kind, result: listResult(conditions, kind), conditions };
  }
  if (isNot(c)) {
    const [child] = runList([c.not], 'not', row);
    return { kind: 'not', result: child!.result !== true, conditions: [child!] };
  }
  const leaf = describeLeaf(c, row);
  return { ...leaf, result: operatorFn(c.operator)(leaf.factValue, leaf.valueResult) };
}

/** A condition never evaluated (a set after the deciding one), its children too. */
function skipped(c: Condition, row: FactRow): ConditionExplanation {
  if (isAny(c)) return { kind: 'any', result: null, conditions: c.any.map((s) => skipped(s, row)) };
  if (isAll(c)) return { kind: 'all', result: null, conditions: c.all.map((s) => skipped(s, row)) };
  if (isNot(c)) return { kind: 'not', result: null, conditions: [skipped(c.not, row)] };
  return describeLeaf(c, row);
}

function describeLeaf(c: FactCondition, row: FactRow): ConditionExplanation {
  const key = factKey(c.fact, c.params);
  const ref = isFactReference(c.value) ? factKey(c.value.fact, c.value.params) : undefined;
  return {
    kind: 'fact',
    result: null,
    fact: key.fact,
    params: key.params,
    operator: c.operator,
    value: c.value,
    factValue: row[key.column] ?? undefined,
    valueResult: ref ? (row[ref.column] ?? undefined) : c.value,
  };
}

/** Each operator's test as a function, made once from the registry's JS (the compiled scorer's own). */
const operatorFns = new Map<string, (a: unknown, b: unknown) => boolean>();
function operatorFn(name: string): (a: unknown, b: unknown) => boolean {
  let fn = operatorFns.get(name);
  if (!fn) operatorFns.set(name, (fn = new Function('a', 'b', `return ${operatorDef(name)!.js('a', 'b')};`) as (a: unknown, b: unknown) => boolean));
  return fn;
}
