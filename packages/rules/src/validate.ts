/**
 * Validation of strategy documents on every write (DESIGN.md). Errors name the JSON path
 * and say what is wrong in a consultant's words, with a suggestion for near-miss names.
 */
import type { StrategyDocument } from './document';
import { FACTS, factDef, type FactDef, type FactType } from './facts';
import { OPERATORS, operatorDef, operatorsFor, type OperatorDef } from './operators';

export interface ValidationError {
  path: string;
  message: string;
}

export type ValidationResult = { valid: true; document: StrategyDocument; errors: [] } | { valid: false; errors: ValidationError[] };

export const LIMITS = {
  maxRules: 500,
  /** Levels of all/any/not nesting, the rule's root condition counting as 1. */
  maxDepth: 16,
  maxConditionsPerRule: 200,
  maxListLength: 1000,
  maxStringLength: 200,
  maxPoints: 1_000_000,
  maxValuation: 1_000_000_000,
  maxBands: 20,
  maxAgingBuckets: 20,
} as const;

export class StrategyValidationError extends Error {
  constructor(readonly errors: ValidationError[]) {
    super(
      `Invalid strategy document: ${errors
        .slice(0, 5)
        .map((e) => `${e.path || '(document)'}: ${e.message}`)
        .join('; ')}`,
    );
    this.name = 'StrategyValidationError';
  }
}

export function assertValidStrategy(input: unknown): StrategyDocument {
  const result = validateStrategy(input);
  if (!result.valid) throw new StrategyValidationError(result.errors);
  return result.document;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
/** Percentages carry at most two decimals so that every evaluator compares them exactly. */
const isPercent = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 100 && Math.abs(v * 100 - Math.round(v * 100)) < 1e-9;
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

export function validateStrategy(input: unknown): ValidationResult {
  const errors: ValidationError[] = [];
  const err = (path: string, message: string) => {
    if (errors.length < 200) errors.push({ path, message });
  };
  if (!isObject(input)) {
    err('', 'The strategy must be a JSON object.');
    return { valid: false, errors };
  }
  const doc = input;
  unknownKeys(doc, '', ['key', 'name', 'description', 'currency', 'maxValuation', 'minPercent', 'priorities', 'agingBuckets', 'rules'], err);

  if (typeof doc.key !== 'string' || !/^[A-Za-z0-9_.-]{1,60}$/.test(doc.key)) err('key', 'The key is required: 1 to 60 letters, digits, "_", "." or "-".');
  checkText(doc.name, 'name', err, true);
  if (doc.description !== undefined) checkText(doc.description, 'description', err, false, 2000);
  if (typeof doc.currency !== 'string' || !/^[A-Z]{3}$/.test(doc.currency)) err('currency', 'The currency must be a three-letter ISO code such as "EUR".');
  if (doc.maxValuation !== null && (!isInt(doc.maxValuation) || doc.maxValuation < 1 || doc.maxValuation > LIMITS.maxValuation))
    err('maxValuation', `maxValuation must be null (the sum of positive points) or a whole number from 1 to ${LIMITS.maxValuation}.`);
  if (!isPercent(doc.minPercent)) err('minPercent', 'minPercent must be a number from 0 to 100 with at most two decimals.');

  checkBands(doc.priorities, err);
  checkAgingBuckets(doc.agingBuckets, err);

  if (!Array.isArray(doc.rules)) err('rules', 'rules must be a list of rules.');
  else if (doc.rules.length > LIMITS.maxRules) err('rules', `A strategy has at most ${LIMITS.maxRules} rules (this one has ${doc.rules.length}).`);
  else {
    const names = new Map<string, number>();
    doc.rules.forEach((rule, i) => {
      const path = `rules[${i}]`;
      checkRule(rule, path, err);
      if (isObject(rule) && typeof rule.name === 'string') {
        const first = names.get(rule.name);
        if (first !== undefined) err(`${path}.name`, `The rule name "${rule.name}" is already used by rules[${first}]; names must be unique.`);
        else names.set(rule.name, i);
      }
    });
  }
  return errors.length ? { valid: false, errors } : { valid: true, document: input as unknown as StrategyDocument, errors: [] };
}

type Err = (path: string, message: string) => void;

function unknownKeys(o: Json, path: string, allowed: readonly string[], err: Err): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      const hint = suggest(k, allowed);
      err(join(path, k), `Unknown property "${k}"${didYouMean(hint)}`);
    }
  }
}

function checkText(v: unknown, path: string, err: Err, required: boolean, max: number = LIMITS.maxStringLength): void {
  if (v === undefined && !required) return;
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) err(path, `${path.split('.').pop()} must be a non-empty text of at most ${max} characters.`);
}

function checkBands(bands: unknown, err: Err): void {
  if (!Array.isArray(bands) || bands.length === 0) {
    err('priorities', 'priorities must list at least one band, including one with minPercent 0.');
    return;
  }
  if (bands.length > LIMITS.maxBands) err('priorities', `At most ${LIMITS.maxBands} priority bands.`);
  const priorities = new Set<number>();
  const percents = new Set<number>();
  bands.forEach((b, i) => {
    const path = `priorities[${i}]`;
    if (!isObject(b)) return err(path, 'A priority band is an object { priority, label, minPercent }.');
    unknownKeys(b, path, ['priority', 'label', 'minPercent'], err);
    if (!isInt(b.priority) || b.priority < 1 || b.priority > 99) err(`${path}.priority`, 'priority must be a whole number from 1 to 99.');
    else if (priorities.has(b.priority)) err(`${path}.priority`, `Priority ${b.priority} is used by two bands.`);
    else priorities.add(b.priority);
    checkText(b.label, `${path}.label`, err, true);
    if (!isPercent(b.minPercent)) err(`${path}.minPercent`, 'minPercent must be a number from 0 to 100 with at most two decimals.');
    else if (percents.has(b.minPercent)) err(`${path}.minPercent`, `Two bands start at ${b.minPercent} %.`);
    else percents.add(b.minPercent);
  });
  if (!bands.some((b) => isObject(b) && b.minPercent === 0)) err('priorities', 'A band with minPercent 0 is required, so that every partner gets a priority.');
}

function checkAgingBuckets(buckets: unknown, err: Err): void {
  if (!Array.isArray(buckets)) return err('agingBuckets', 'agingBuckets must be a list of day limits such as [0, 30, 60, 90].');
  if (buckets.length > LIMITS.maxAgingBuckets) err('agingBuckets', `At most ${LIMITS.maxAgingBuckets} ageing buckets.`);
  buckets.forEach((d, i) => {
    if (!isInt(d) || d < 0 || d > 3650) err(`agingBuckets[${i}]`, 'An ageing bucket limit is a whole number of days from 0 to 3650.');
    else if (i > 0 && isInt(buckets[i - 1]) && d <= (buckets[i - 1] as number)) err(`agingBuckets[${i}]`, 'Ageing bucket limits must be in increasing order.');
  });
}

function checkRule(rule: unknown, path: string, err: Err): void {
  if (!isObject(rule)) return err(path, 'A rule is an object { name, conditions, event }.');
  unknownKeys(rule, path, ['name', 'priority', 'conditions', 'event', 'description'], err);
  checkText(rule.name, `${path}.name`, err, true);
  if (rule.description !== undefined) checkText(rule.description, `${path}.description`, err, false, 2000);
  if (rule.priority !== undefined && (!isInt(rule.priority) || rule.priority < 1))
    err(`${path}.priority`, 'A rule priority is a whole number of 1 or more (it only orders evaluation).');
  const event = rule.event;
  if (!isObject(event)) err(`${path}.event`, 'The rule needs an event { "type": "valuation", "params": { "points", "role" } }.');
  else {
    unknownKeys(event, `${path}.event`, ['type', 'params'], err);
    if (typeof event.type !== 'string' || event.type === '') err(`${path}.event.type`, 'The event needs a type, e.g. "valuation".');
    const params = event.params;
    if (!isObject(params)) err(`${path}.event.params`, 'The event needs params { "points": number, "role": "condition" | "exit" }.');
    else {
      unknownKeys(params, `${path}.event.params`, ['points', 'role'], err);
      if (!isInt(params.points) || Math.abs(params.points) > LIMITS.maxPoints)
        err(`${path}.event.params.points`, `points must be a whole number from -${LIMITS.maxPoints} to ${LIMITS.maxPoints}.`);
      if (params.role !== 'condition' && params.role !== 'exit')
        err(`${path}.event.params.role`, 'role must be "condition" (adds points) or "exit" (takes the partner off the worklist).');
    }
  }
  const conditions = rule.conditions;
  const cpath = `${path}.conditions`;
  if (!isObject(conditions)) return err(cpath, 'conditions must be an object with "all", "any" or "not" at its root.');
  if (!has(conditions, 'all') && !has(conditions, 'any') && !has(conditions, 'not')) return err(cpath, 'The root of conditions must be "all", "any" or "not".');
  const counter = { n: 0 };
  checkCondition(conditions, cpath, 1, counter, err);
  if (counter.n > LIMITS.maxConditionsPerRule) err(cpath, `A rule has at most ${LIMITS.maxConditionsPerRule} conditions (this one has ${counter.n}).`);
}

function checkCondition(c: unknown, path: string, depth: number, counter: { n: number }, err: Err): void {
  if (!isObject(c)) return err(path, 'A condition is an object: { "fact", "operator", "value" } or { "all" | "any" | "not": ... }.');
  counter.n++;
  const kinds = ['all', 'any', 'not', 'fact', 'condition'].filter((k) => has(c, k));
  if (kinds.length !== 1) {
    return err(
      path,
      kinds.length === 0
        ? 'A condition needs "fact" (with "operator" and "value") or one of "all", "any", "not".'
        : `A condition has exactly one of ${kinds.map((k) => `"${k}"`).join(', ')}.`,
    );
  }
  const kind = kinds[0];
  if (c.priority !== undefined && (!isInt(c.priority) || c.priority < 1)) err(`${path}.priority`, 'A condition priority is a whole number of 1 or more.');
  if (c.name !== undefined && typeof c.name !== 'string') err(`${path}.name`, 'A condition name is a text.');
  if (kind === 'condition') return err(`${path}.condition`, 'Shared condition references are not supported; write the condition out.');
  if (kind === 'all' || kind === 'any' || kind === 'not') {
    unknownKeys(c, path, [kind, 'priority', 'name'], err);
    if (depth > LIMITS.maxDepth) return err(path, `Conditions may nest at most ${LIMITS.maxDepth} levels deep.`);
    const sub = c[kind];
    if (kind === 'not') {
      if (!isObject(sub)) return err(`${path}.not`, '"not" takes one condition (an object, not a list).');
      return checkCondition(sub, `${path}.not`, depth + 1, counter, err);
    }
    if (!Array.isArray(sub)) return err(`${path}.${kind}`, `"${kind}" takes a list of conditions.`);
    sub.forEach((s, i) => checkCondition(s, `${path}.${kind}[${i}]`, depth + 1, counter, err));
    return;
  }
  checkFactCondition(c, path, err);
}

function checkFactCondition(c: Json, path: string, err: Err): void {
  unknownKeys(c, path, ['fact', 'operator', 'value', 'params', 'priority', 'name'], err);
  if (has(c, 'path')) return; // already reported as unknown: JSON paths into facts are not supported
  const def = checkFactName(c.fact, `${path}.fact`, err);
  if (def) checkParams(def, c.params, `${path}.params`, err);
  if (typeof c.operator !== 'string') return err(`${path}.operator`, 'The condition needs an operator, e.g. "greaterThanInclusive".');
  const op = operatorDef(c.operator);
  if (!op) {
    const hint = suggest(
      c.operator,
      OPERATORS.map((o) => o.name),
    );
    return err(`${path}.operator`, `Unknown operator "${c.operator}"${didYouMean(hint)}`);
  }
  if (!def) return;
  if (!op.factTypes.includes(def.type)) {
    return err(
      `${path}.operator`,
      `"${op.name}" cannot be used with ${def.name} (a ${typeName(def.type)}); use ${operatorsFor(def.type)
        .map((o) => `"${o.name}"`)
        .join(', ')}.`,
    );
  }
  if (!has(c, 'value')) return err(`${path}.value`, 'The condition needs a value.');
  checkValue(c.value, def, op, `${path}.value`, err);
}

function checkFactName(fact: unknown, path: string, err: Err): FactDef | undefined {
  if (typeof fact !== 'string') {
    err(path, 'fact must be the name of a fact, e.g. "overdueAmount".');
    return undefined;
  }
  const def = factDef(fact);
  if (!def) {
    const hint = suggest(
      fact,
      FACTS.map((f) => f.name),
    );
    err(path, `Unknown fact "${fact}"${didYouMean(hint)}`);
  }
  return def;
}

function checkParams(def: FactDef, params: unknown, path: string, err: Err): void {
  if (params === undefined) return;
  if (!isObject(params)) return err(path, 'params must be an object, e.g. { "withinDays": 90 }.');
  for (const [k, v] of Object.entries(params)) {
    const p = def.params.find((x) => x.name === k);
    if (!p) {
      const names = def.params.map((x) => x.name);
      const hint = suggest(k, names);
      err(
        join(path, k),
        names.length ? `${def.name} has no parameter "${k}" (it takes ${names.join(', ')})${didYouMean(hint)}` : `${def.name} takes no parameters.`,
      );
      continue;
    }
    if (p.type === 'boolean' && typeof v !== 'boolean') err(join(path, k), `${k} must be true or false.`);
    if (p.type === 'integer' && (!isInt(v) || (p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max)))
      err(join(path, k), `${k} must be a whole number from ${p.min} to ${p.max}.`);
  }
}

function checkValue(value: unknown, def: FactDef, op: OperatorDef, path: string, err: Err): void {
  if (isObject(value) && has(value, 'fact')) {
    if (!op.factReference) return err(path, `"${op.name}" compares with fixed values, not with another fact.`);
    unknownKeys(value, path, ['fact', 'params'], err);
    const ref = checkFactName(value.fact, `${path}.fact`, err);
    if (!ref) return;
    checkParams(ref, value.params, `${path}.params`, err);
    if (ref.type !== def.type) err(`${path}.fact`, `${def.name} (a ${typeName(def.type)}) cannot be compared with ${ref.name} (a ${typeName(ref.type)}).`);
    return;
  }
  const element: FactType = def.type === 'string[]' ? 'string' : def.type;
  const scalarOk = (v: unknown) =>
    element === 'number'
      ? typeof v === 'number' && Number.isFinite(v)
      : element === 'string'
        ? typeof v === 'string' && v.length <= LIMITS.maxStringLength
        : typeof v === 'boolean';
  switch (op.value) {
    case 'scalar':
    case 'element':
      if (!scalarOk(value)) err(path, `${def.name} is compared with ${article(element)}, e.g. ${example(element)}.`);
      return;
    case 'list':
      if (!Array.isArray(value)) return err(path, `"${op.name}" takes a list of values, e.g. [${example(element)}].`);
      if (value.length > LIMITS.maxListLength) return err(path, `A list has at most ${LIMITS.maxListLength} values.`);
      value.forEach((v, i) => {
        if (!scalarOk(v)) err(`${path}[${i}]`, `Each value must be ${article(element)}.`);
      });
      return;
    case 'range':
      if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v)))
        return err(path, `"${op.name}" takes [low, high], two numbers.`);
      if (value[0] > value[1]) err(path, 'The low end of the range is above the high end.');
      return;
  }
}

const didYouMean = (hint: string | undefined) => (hint ? ` — did you mean "${hint}"?` : '.');
const typeName = (t: FactType) => (t === 'string[]' ? 'list of texts' : t === 'string' ? 'text' : t === 'boolean' ? 'yes/no flag' : 'number');
const article = (t: FactType) => (t === 'number' ? 'a number' : t === 'string' ? 'a text' : 'true or false');
const example = (t: FactType) => (t === 'number' ? '30' : t === 'string' ? '"A"' : 'true');

/** The closest candidate by edit distance (case-insensitive), if close enough to be a typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = c.toLowerCase().startsWith(w) && w.length >= 4 ? 1 : levenshtein(w, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
