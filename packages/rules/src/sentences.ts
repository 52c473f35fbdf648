/**
 * Rules in words: a condition tree as explain.ts reports it (json-rules-engine's account, with
 * every fact value) told as sentences from the fact and operator registries, e.g. "Oldest item
 * over 90 days overdue: 138 days". Each sentence says whether its claim holds, computed from the
 * fact values with the registry's `holds` (so also where json-rules-engine short-circuited);
 * `not` is folded into the words ("Not contacted (reached) in the last 30 days"), never dropped.
 * Pure (no json-rules-engine at runtime): the studio builds the sentences in the user's locale.
 */
import { factDef, type FactDef } from './facts';
import { operatorDef, type OperatorDef } from './operators';

/** The shape of explain.ts's `ConditionExplanation` (also as it arrives as JSON over GraphQL). */
export interface ExplainedCondition {
  kind: 'all' | 'any' | 'not' | 'fact';
  fact?: string;
  params?: Record<string, number | boolean>;
  operator?: string;
  value?: unknown;
  factValue?: unknown;
  valueResult?: unknown;
  conditions?: ExplainedCondition[];
}

export interface WordsOptions {
  /** The strategy currency: every money fact is in it. */
  currency: string;
  /** BCP 47 locale(s) for numbers and amounts; the runtime's default when absent. */
  locale?: string | string[];
}

export interface ConditionSentence {
  /** What the condition asks, e.g. "Oldest item over 90 days overdue". */
  claim: string;
  /** What the partner's facts were, e.g. "138 days"; absent on all/any groups. */
  actual?: string;
  /** The sentence: claim and actual, e.g. "Oldest item over 90 days overdue: 138 days". */
  text: string;
  /** Whether the claim holds for the partner. */
  holds: boolean;
  /** The conditions of an all/any group, each in words. */
  children: ConditionSentence[];
}

/** A rule's conditions in words; a root all/any of one condition reads as that condition. */
export function ruleInWords(conditions: unknown, options: WordsOptions): ConditionSentence {
  const root = conditions as ExplainedCondition;
  const only = (root.kind === 'all' || root.kind === 'any') && root.conditions?.length === 1 ? root.conditions[0] : undefined;
  return conditionInWords(only ?? root, options);
}

/** One condition (a fact comparison or an all/any/not group) in words; `negated` when under an odd number of `not`. */
export function conditionInWords(node: ExplainedCondition, options: WordsOptions, negated = false): ConditionSentence {
  return describeNode(node, new Formats(options), negated);
}

/** A fact value the rules read, by its key (`daysSinceLastContact{"reachedOnly":true}`): its label with params in words and the value in its unit. */
export function factValueInWords(key: string, value: unknown, options: WordsOptions): { label: string; value: string } {
  const name = key.replace(/\{.*$/, '');
  const def = factDef(name);
  const f = new Formats(options);
  if (!def) return { label: key, value: f.plain(value) };
  let params: Record<string, unknown> = {};
  try {
    params = key.length > name.length ? (JSON.parse(key.slice(name.length)) as Record<string, unknown>) : {};
  } catch {
    // a key not made by factKey: the label alone
  }
  const never = (value === null || value === undefined) && DAYS_WORDS[def.name] ? daysActual(def.name, undefined, params, f) : undefined;
  return { label: subjectOf(def, params, f), value: never ?? f.value(def, value) };
}

function describeNode(node: ExplainedCondition, f: Formats, negated: boolean): ConditionSentence {
  if (node.kind === 'not') {
    const [child] = node.conditions ?? [];
    // json-rules-engine's `not` inverts its one condition: the negation moves into its words.
    return child ? describeNode(child, f, !negated) : groupInWords({ kind: 'all', conditions: [] }, f, !negated);
  }
  if (node.kind === 'all' || node.kind === 'any') return groupInWords(node, f, negated);
  return factInWords(node, f, negated);
}

// ---- groups -------------------------------------------------------------------------------

const GROUP_CLAIMS = {
  all: { holds: 'All of these hold', negated: 'Not all of these hold' },
  any: { holds: 'At least one of these holds', negated: 'None of these holds' },
} as const;

function groupInWords(node: ExplainedCondition, f: Formats, negated: boolean): ConditionSentence {
  const kind = node.kind === 'any' ? 'any' : 'all';
  const children = (node.conditions ?? []).map((c) => describeNode(c, f, false));
  // json-rules-engine: an empty all or any is true.
  const outcome = children.length === 0 || (kind === 'all' ? children.every((c) => c.holds) : children.some((c) => c.holds));
  const claim =
    children.length === 0
      ? negated
        ? 'Never holds (no condition, negated)'
        : 'Always holds (no condition)'
      : GROUP_CLAIMS[kind][negated ? 'negated' : 'holds'];
  return { claim, text: claim, holds: negated ? !outcome : outcome, children };
}

// ---- fact comparisons ---------------------------------------------------------------------

function factInWords(node: ExplainedCondition, f: Formats, negated: boolean): ConditionSentence {
  const def = node.fact ? factDef(node.fact) : undefined;
  const op = node.operator ? operatorDef(node.operator) : undefined;
  const a = node.factValue ?? undefined;
  const b = node.valueResult ?? undefined;
  const outcome = op ? op.holds(a, b) : false;
  const holds = negated ? !outcome : outcome;
  if (!def || !op) {
    const claim = `${negated ? 'Not: ' : ''}${node.fact ?? '?'} ${node.operator ?? '?'} ${JSON.stringify(node.value)}`;
    return sentence(claim, f.plain(a), holds);
  }
  const params = node.params ?? {};
  const reference = isReference(node.value) ? node.value : undefined;
  const special = reference ? undefined : DAYS_WORDS[def.name]?.(op.name, negated, node.value, params, f);
  if (special) return sentence(special, daysActual(def.name, a, params, f), holds);
  if (def.type === 'boolean' && !reference && typeof node.value === 'boolean') return sentence(flagClaim(def, op, node.value, negated), f.value(def, a), holds);
  const verb = negated ? op.negatedLabel : op.label;
  if (reference) {
    const refDef = factDef(reference.fact);
    const refSubject = refDef ? subjectOf(refDef, canonical(refDef, reference.params), f) : reference.fact;
    const claim = `${subjectOf(def, params, f)} ${verb} ${lowerFirst(refSubject)}`;
    return sentence(claim, `${f.value(def, a)} against ${refDef ? f.value(refDef, b) : f.plain(b)}`, holds);
  }
  return sentence(`${subjectOf(def, params, f)} ${verb} ${thresholdOf(def, op, node.value, f)}`, f.value(def, a), holds);
}

function sentence(claim: string, actual: string, holds: boolean): ConditionSentence {
  return { claim, actual, text: `${claim}: ${actual}`, holds, children: [] };
}

function isReference(value: unknown): value is { fact: string; params?: Record<string, unknown> } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { fact?: unknown }).fact === 'string';
}

function canonical(def: FactDef, params: Record<string, unknown> | undefined): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const p of def.params) out[p.name] = (params?.[p.name] as number | boolean | undefined) ?? p.default;
  return out;
}

/** A flag compared with true or false: "Resubmission due", or "No resubmission due". */
function flagClaim(def: FactDef, op: OperatorDef, value: boolean, negated: boolean): string {
  const positive = (op.name === 'notEqual' ? !value : value) !== negated;
  return positive ? def.label : (def.falseLabel ?? `Not ${lowerFirst(def.label)}`);
}

function thresholdOf(def: FactDef, op: OperatorDef, value: unknown, f: Formats): string {
  if (op.value === 'range' && Array.isArray(value)) return `${f.value(def, value[0])} and ${f.value(def, value[1])}`;
  if (op.value === 'list' && Array.isArray(value)) return value.length ? value.map((v) => f.value(def, v)).join(', ') : '(an empty list)';
  if (op.value === 'element') return f.plain(value);
  return f.value(def, value);
}

/** The fact's label with what its params select, e.g. "Overdue amount (items 30+ days overdue)". */
function subjectOf(def: FactDef, params: Record<string, unknown>, f: Formats): string {
  const parts: string[] = [];
  const minDays = params.minDaysOverdue;
  if (typeof minDays === 'number' && minDays !== 1)
    parts.push(
      minDays > 0
        ? `items ${f.number(minDays)}+ days overdue`
        : minDays === 0
          ? 'items due today or before'
          : `items due in the next ${f.number(-minDays)} days or before`,
    );
  const within = params.withinDays;
  if (typeof within === 'number')
    parts.push(def.name === 'dueAmount' ? (within === 0 ? 'due today' : `due in the next ${f.days(within)}`) : `in the last ${f.days(within)}`);
  if (params.reachedOnly === true) parts.push('reached');
  return parts.length ? `${def.label} (${parts.join(', ')})` : def.label;
}

// ---- days facts, told the way people say them ---------------------------------------------

const DAYS_PHRASE: Record<string, string> = {
  greaterThan: 'more than',
  greaterThanInclusive: 'at least',
  lessThan: 'less than',
  lessThanInclusive: 'at most',
  equal: 'exactly',
  notEqual: 'not exactly',
};

type DaysWords = (op: string, negated: boolean, value: unknown, params: Record<string, unknown>, f: Formats) => string | undefined;

/** The comparison "over 90" / "between 30 and 60", or undefined for operators told generically. */
function daysComparison(op: string, value: unknown, f: Formats, over = 'more than'): string | undefined {
  if (op === 'between' && Array.isArray(value)) return `between ${f.number(value[0] as number)} and ${f.number(value[1] as number)}`;
  if (typeof value !== 'number' || !DAYS_PHRASE[op]) return undefined;
  return `${op === 'greaterThan' ? over : DAYS_PHRASE[op]} ${f.number(value)}`;
}

/** "Contacted (reached) in the last 30 days", "Last paid more than 60 days ago", and their negations. */
function sinceWords(verb: string, recent: string): DaysWords {
  return (op, negated, value, params, f) => {
    const reached = params.reachedOnly === true ? ' (reached)' : '';
    if (typeof value === 'number' && (op === 'lessThanInclusive' || op === 'lessThan')) {
      const window = op === 'lessThanInclusive' ? `in the last ${f.days(value)}` : `less than ${f.days(value)} ago`;
      return `${negated ? `Not ${recent}` : upperFirst(recent)}${reached} ${window}`;
    }
    const comparison = daysComparison(op, value, f);
    if (!comparison) return undefined;
    return `${negated ? 'Not last' : 'Last'} ${verb}${reached} ${comparison} days ago`;
  };
}

const DAYS_WORDS: Record<string, DaysWords> = {
  maxDaysOverdue: (op, negated, value, _params, f) => {
    const comparison = daysComparison(op, value, f, 'over');
    return comparison && `Oldest item ${negated ? 'not ' : ''}${comparison} days overdue`;
  },
  daysSinceLastContact: sinceWords('contacted', 'contacted'),
  daysSinceLastPayment: sinceWords('paid', 'paid'),
};

function daysActual(fact: string, value: unknown, params: Record<string, unknown>, f: Formats): string {
  const days = typeof value === 'number' ? value : undefined;
  if (fact === 'maxDaysOverdue') {
    if (days === undefined) return 'no open item';
    return days < 0 ? `not yet due (due in ${f.days(-days)})` : f.days(days);
  }
  const verb = fact === 'daysSinceLastPayment' ? 'paid' : params.reachedOnly === true ? 'reached' : 'contacted';
  if (days === undefined) return fact === 'daysSinceLastPayment' ? 'no payment yet' : `never ${verb}`;
  return days === 0 ? `last ${verb} today` : `last ${verb} ${f.days(days)} ago`;
}

// ---- values -------------------------------------------------------------------------------

/** What an undefined fact means, by fact. */
const NO_VALUE: Record<string, string> = {
  riskClass: 'none',
  creditLimit: 'no credit limit',
  creditUtilization: 'no credit limit',
  maxDaysOverdue: 'no open item',
  disputedShare: 'nothing open',
  keptPromiseRatio: 'no promise judged yet',
  daysSinceLastContact: 'never contacted',
  daysSinceLastPayment: 'no payment yet',
};

/** Number formats of one locale and currency, made once per sentence tree. */
class Formats {
  private readonly numbers: Intl.NumberFormat;
  private readonly percents: Intl.NumberFormat;
  private readonly money: Intl.NumberFormat | undefined;

  constructor(private readonly options: WordsOptions) {
    this.numbers = new Intl.NumberFormat(options.locale, { maximumFractionDigits: 2 });
    this.percents = new Intl.NumberFormat(options.locale, { style: 'percent', maximumFractionDigits: 1 });
    try {
      this.money = new Intl.NumberFormat(options.locale, { style: 'currency', currency: options.currency, currencyDisplay: 'code' });
    } catch {
      this.money = undefined; // not an ISO 4217 code: the figure with the code after it
    }
  }

  number(n: number): string {
    return this.numbers.format(n);
  }

  days(n: number): string {
    return `${this.number(n)} ${n === 1 ? 'day' : 'days'}`;
  }

  /** A fact value (or threshold) in the fact's unit. */
  value(def: FactDef, v: unknown): string {
    if (v === undefined || v === null) return NO_VALUE[def.name] ?? 'no value';
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (Array.isArray(v)) return v.length ? v.map((x) => this.plain(x)).join(', ') : 'none';
    if (typeof v !== 'number') return this.plain(v);
    switch (def.unit) {
      case 'money':
        return this.money ? this.money.format(v) : `${this.number(v)} ${this.options.currency}`;
      case 'days':
        return this.days(v);
      case 'percent':
        return this.percents.format(v / 100);
      case 'ratio':
        return this.percents.format(v);
      case 'level':
        return `level ${this.number(v)}`;
      default:
        return this.number(v);
    }
  }

  /** A value without a unit: numbers in the locale, empty text quoted. */
  plain(v: unknown): string {
    if (v === undefined || v === null) return 'no value';
    if (typeof v === 'number') return this.number(v);
    if (typeof v === 'string') return v === '' ? '""' : v;
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    return JSON.stringify(v);
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
