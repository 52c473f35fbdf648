/**
 * The strategy document (DESIGN.md, "Strategy documents"). Each entry of `rules` is a
 * literal json-rules-engine rule; Recoup's own data (points, role) rides in `event.params`.
 */

export type RuleRole = 'condition' | 'exit';

export interface PriorityBand {
  priority: number;
  label: string;
  minPercent: number;
}

/** `value: { fact, params }` compares one fact with another (json-rules-engine's fact reference). */
export interface FactReference {
  fact: string;
  params?: Record<string, unknown>;
}

export type Scalar = number | string | boolean;
export type ConditionValue = Scalar | Scalar[] | FactReference;

export interface FactCondition {
  fact: string;
  operator: string;
  value: ConditionValue;
  params?: Record<string, unknown>;
  /** json-rules-engine evaluation order only; never changes a result. */
  priority?: number;
  name?: string;
}

export interface AllCondition {
  all: Condition[];
  priority?: number;
  name?: string;
}
export interface AnyCondition {
  any: Condition[];
  priority?: number;
  name?: string;
}
export interface NotCondition {
  not: Condition;
  priority?: number;
  name?: string;
}

export type BooleanCondition = AllCondition | AnyCondition | NotCondition;
export type Condition = BooleanCondition | FactCondition;

export interface RuleEventParams {
  points: number;
  role: RuleRole;
}

export interface StrategyRule {
  name: string;
  /** json-rules-engine rule priority: evaluation order only. */
  priority?: number;
  conditions: BooleanCondition;
  event: { type: string; params: RuleEventParams };
}

export interface StrategyDocument {
  key: string;
  name: string;
  description?: string;
  /** ISO 4217 code; every money fact is converted into it. */
  currency: string;
  /** null = the sum of the positive points of the condition rules. */
  maxValuation: number | null;
  minPercent: number;
  priorities: PriorityBand[];
  agingBuckets: number[];
  rules: StrategyRule[];
}

export function isAll(c: Condition): c is AllCondition {
  return Object.prototype.hasOwnProperty.call(c, 'all');
}
export function isAny(c: Condition): c is AnyCondition {
  return Object.prototype.hasOwnProperty.call(c, 'any');
}
export function isNot(c: Condition): c is NotCondition {
  return Object.prototype.hasOwnProperty.call(c, 'not');
}
export function isFactCondition(c: Condition): c is FactCondition {
  return !isAll(c) && !isAny(c) && !isNot(c);
}
export function isFactReference(v: unknown): v is FactReference {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, 'fact');
}

/** Calls `visit` on every fact condition of a tree, with its JSON path. */
export function walkFactConditions(condition: Condition, path: string, visit: (c: FactCondition, path: string) => void): void {
  // Same precedence as json-rules-engine's Condition.booleanOperator: any, then all, then not.
  if (isAny(condition)) condition.any.forEach((c, i) => walkFactConditions(c, `${path}.any[${i}]`, visit));
  else if (isAll(condition)) condition.all.forEach((c, i) => walkFactConditions(c, `${path}.all[${i}]`, visit));
  else if (isNot(condition)) walkFactConditions(condition.not, `${path}.not`, visit);
  else visit(condition, path);
}
