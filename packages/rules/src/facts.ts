/**
 * The fact catalogue (DESIGN.md, "Facts"): what each fact means, its type, unit and
 * params, and how a (fact, params) pair maps to a column of a per-partner fact row.
 * The studio and the API build their forms from this metadata.
 */
import { isFactReference, walkFactConditions, type StrategyDocument } from './document';

export type FactType = 'number' | 'string' | 'boolean' | 'string[]';
export type FactUnit = 'money' | 'count' | 'days' | 'percent' | 'ratio' | 'code' | 'flag' | 'codes' | 'level';

export interface FactParamDef {
  name: string;
  type: 'integer' | 'boolean';
  default: number | boolean;
  min?: number;
  max?: number;
  description: string;
}

export interface FactDef {
  name: string;
  label: string;
  /** A flag's label when it is false ("No resubmission due"); default "Not " + label. */
  falseLabel?: string;
  type: FactType;
  unit: FactUnit;
  description: string;
  /** True when the fact can be undefined (SQL NULL) for a partner. */
  optional: boolean;
  params: FactParamDef[];
  /** How it is computed from the AR mirror at key date D (money converted to the strategy currency). */
  computation: string;
}

const withinDays = (def: number, description: string): FactParamDef => ({
  name: 'withinDays',
  type: 'integer',
  default: def,
  min: 0,
  max: 3650,
  description,
});

/** The core catalogue. Meanings are fixed by DESIGN.md; `companyCodes`, `disputedShare`, `brokenPromiseAmount`, `dunnedAmount`, `brokenInstallments`, `paymentPlanBroken`, `legalCaseOpen` and `daysOnWorklist` are additions. */
export const FACTS: readonly FactDef[] = [
  {
    name: 'currency',
    label: 'Partner currency',
    type: 'string',
    unit: 'code',
    optional: false,
    params: [],
    description: 'Currency of the partner master record (ISO 4217).',
    computation: 'partners.currency',
  },
  {
    name: 'country',
    label: 'Country',
    type: 'string',
    unit: 'code',
    optional: false,
    params: [],
    description: 'Country of the partner (ISO 3166 alpha-2).',
    computation: 'partners.country',
  },
  {
    name: 'customerType',
    label: 'Customer type',
    type: 'string',
    unit: 'code',
    optional: false,
    params: [],
    description: 'Customer type of the partner master record.',
    computation: 'partners.customer_type',
  },
  {
    name: 'riskClass',
    label: 'Risk class',
    type: 'string',
    unit: 'code',
    optional: true,
    params: [],
    description: 'Risk class of the partner; undefined when none is set.',
    computation: 'partners.risk_class',
  },
  {
    name: 'segment',
    label: 'Segment',
    type: 'string',
    unit: 'code',
    optional: false,
    params: [],
    description: 'Collection segment of the partner.',
    computation: 'partners.segment',
  },
  {
    name: 'creditLimit',
    label: 'Credit limit',
    type: 'number',
    unit: 'money',
    optional: true,
    params: [],
    description: 'Credit limit of the partner; undefined if none.',
    computation: 'partners.credit_limit converted from the partner currency',
  },
  {
    name: 'creditUtilization',
    label: 'Credit limit utilisation',
    type: 'number',
    unit: 'percent',
    optional: true,
    params: [],
    description: 'Open amount / credit limit x 100; undefined without a positive credit limit.',
    computation: 'openAmount / creditLimit * 100 when creditLimit > 0',
  },
  {
    name: 'openAmount',
    label: 'Open amount',
    type: 'number',
    unit: 'money',
    optional: false,
    params: [],
    description: 'Sum of the open amounts of open items (0 when none).',
    computation:
      'sum(open amount at D) over the items open at D (documented by D; open amount at D = open_amount + item payments after D), converted per item currency',
  },
  {
    name: 'openItemCount',
    label: 'Open items',
    type: 'number',
    unit: 'count',
    optional: false,
    params: [],
    description: 'Number of open items.',
    computation: 'count(items open at D)',
  },
  {
    name: 'overdueAmount',
    label: 'Overdue amount',
    type: 'number',
    unit: 'money',
    optional: false,
    params: [{ name: 'minDaysOverdue', type: 'integer', default: 1, min: -3650, max: 3650, description: 'Count items at least this many days overdue.' }],
    description: 'Open amount of items at least minDaysOverdue days overdue.',
    computation: 'sum(open_amount) where D - due_date >= minDaysOverdue',
  },
  {
    name: 'overdueItemCount',
    label: 'Overdue items',
    type: 'number',
    unit: 'count',
    optional: false,
    params: [{ name: 'minDaysOverdue', type: 'integer', default: 1, min: -3650, max: 3650, description: 'Count items at least this many days overdue.' }],
    description: 'Number of open items at least minDaysOverdue days overdue.',
    computation: 'count(*) where D - due_date >= minDaysOverdue',
  },
  {
    name: 'dueAmount',
    label: 'Amount falling due',
    type: 'number',
    unit: 'money',
    optional: false,
    params: [withinDays(0, 'Items due from D up to D + withinDays.')],
    description: 'Open amount of items due between D and D + withinDays (preventive collection).',
    computation: 'sum(open_amount) where 0 >= D - due_date >= -withinDays',
  },
  {
    name: 'maxDaysOverdue',
    label: 'Days overdue (oldest item)',
    type: 'number',
    unit: 'days',
    optional: true,
    params: [],
    description: 'Days overdue of the oldest open item; undefined when there is no open item.',
    computation: 'max(D - due_date) over open items',
  },
  {
    name: 'disputedAmount',
    label: 'Disputed amount',
    type: 'number',
    unit: 'money',
    optional: false,
    params: [],
    description: 'Sum of disputes with status OPEN or IN_PROCESS.',
    computation: "sum(disputes.disputed_amount) where created by D and status at D in ('OPEN','IN_PROCESS')",
  },
  {
    name: 'disputedShare',
    label: 'Disputed share',
    type: 'number',
    unit: 'percent',
    optional: true,
    params: [],
    description: 'Disputed amount / open amount x 100; undefined when nothing is open.',
    computation: 'disputedAmount / openAmount * 100 when openAmount > 0',
  },
  {
    name: 'openDisputeCount',
    label: 'Open disputes',
    type: 'number',
    unit: 'count',
    optional: false,
    params: [],
    description: 'Number of disputes with status OPEN or IN_PROCESS.',
    computation: "count(disputes) where created by D and status at D in ('OPEN','IN_PROCESS')",
  },
  {
    name: 'promisedAmount',
    label: 'Promised amount',
    type: 'number',
    unit: 'money',
    optional: false,
    params: [],
    description: 'Sum of promises to pay with status OPEN at D.',
    computation: 'sum(promises.amount) where status at D = OPEN',
  },
  {
    name: 'brokenPromises',
    label: 'Broken promises',
    type: 'number',
    unit: 'count',
    optional: false,
    params: [withinDays(365, 'Promised date within the last withinDays days.')],
    description: 'Promises BROKEN at D with a promised date in [D - withinDays, D].',
    computation: 'count(promises) where status at D = BROKEN and promised_date between D - withinDays and D',
  },
  {
    name: 'brokenPromiseAmount',
    label: 'Broken promised amount',
    type: 'number',
    unit: 'money',
    optional: false,
    params: [withinDays(365, 'Promised date within the last withinDays days.')],
    description: 'Amount of the promises BROKEN at D with a promised date in [D - withinDays, D] (0 when none).',
    computation: 'sum(promises.amount) where status at D = BROKEN and promised_date between D - withinDays and D',
  },
  {
    name: 'keptPromiseRatio',
    label: 'Kept promise ratio',
    type: 'number',
    unit: 'ratio',
    optional: true,
    params: [],
    description: 'KEPT / (KEPT + PARTIALLY_KEPT + BROKEN), from 0 to 1; undefined when no promise has been judged.',
    computation: 'count(KEPT) / count(KEPT, PARTIALLY_KEPT, BROKEN)',
  },
  {
    name: 'amountToBeCollected',
    label: 'Amount to be collected',
    type: 'number',
    unit: 'money',
    optional: false,
    params: [],
    description: 'Overdue open items with no open dispute and no OPEN promise on the item.',
    computation: 'sum(open_amount) of overdue items without an open dispute or OPEN promise',
  },
  {
    name: 'daysSinceLastContact',
    label: 'Days since last contact',
    type: 'number',
    unit: 'days',
    optional: true,
    params: [{ name: 'reachedOnly', type: 'boolean', default: false, description: 'Only contacts where the customer was reached.' }],
    description: 'D - latest contact date on or before D; undefined when none.',
    computation: 'D - max(contacts.contact_date) where contact_date <= D [and reached]',
  },
  {
    name: 'daysSinceLastPayment',
    label: 'Days since last payment',
    type: 'number',
    unit: 'days',
    optional: true,
    params: [],
    description: 'D - latest payment date on or before D; undefined when none.',
    computation: 'D - max(payments.payment_date) where payment_date <= D',
  },
  {
    name: 'maxDunningLevel',
    label: 'Dunning level',
    type: 'number',
    unit: 'level',
    optional: false,
    params: [],
    description: 'Highest dunning level over open items (0 when none).',
    computation: "max(dunning level at D) over the items open at D (highest notice by D; today's level without notice history)",
  },
  {
    name: 'dunnedAmount',
    label: 'Dunned amount',
    type: 'number',
    unit: 'money',
    optional: false,
    params: [],
    description: 'Open amount of the open items with a dunning level of 1 or more (0 when none).',
    computation: 'sum(open amount at D) where dunning level at D >= 1',
  },
  {
    name: 'allOverdueDisputedOrBlocked',
    label: 'All overdue items disputed or blocked',
    falseLabel: 'Not every overdue item disputed or blocked',
    type: 'boolean',
    unit: 'flag',
    optional: false,
    params: [],
    description: 'At least one overdue item, and each has an open dispute or a dunning block.',
    computation: 'bool_and(open dispute or dunning_block) over overdue items, false when none',
  },
  {
    name: 'resubmissionDue',
    label: 'Resubmission due',
    falseLabel: 'No resubmission due',
    type: 'boolean',
    unit: 'flag',
    optional: false,
    params: [],
    description: 'An undone resubmission dated on or before D.',
    computation: 'exists(resubmissions where date <= D and not done by D)',
  },
  {
    name: 'brokenInstallments',
    label: 'Installments in breach',
    type: 'number',
    unit: 'count',
    optional: false,
    params: [],
    description:
      "Installments of the partner's payment plans not paid in full by their due date + tolerance at D (status BROKEN or PARTIALLY_KEPT; 0 when none).",
    computation: "count(payment_plan_installments) where status at D in ('BROKEN','PARTIALLY_KEPT'), judged cumulatively on the plan's payments",
  },
  {
    name: 'paymentPlanBroken',
    label: 'Payment plan broken',
    falseLabel: 'Payment plan not broken',
    type: 'boolean',
    unit: 'flag',
    optional: false,
    params: [],
    description: 'A payment plan of the partner is in breach at D: one of its installments is BROKEN or PARTIALLY_KEPT (cancelled plans never are).',
    computation: 'brokenInstallments > 0',
  },
  {
    name: 'companyCodes',
    label: 'Company codes',
    type: 'string[]',
    unit: 'codes',
    optional: false,
    params: [],
    description: 'Distinct company codes of the open items, sorted (empty when none).',
    computation: 'array_agg(distinct company_code order by company_code) over open items',
  },
  {
    name: 'legalCaseOpen',
    label: 'Legal case open',
    falseLabel: 'No legal case open',
    type: 'boolean',
    unit: 'flag',
    optional: false,
    params: [],
    description: 'A legal case on the partner is open at D: opened on or before D and not closed by D (issue 22).',
    computation: 'exists(legal_cases where opened_on <= D and (closed_on is null or closed_on > D))',
  },
  {
    name: 'daysOnWorklist',
    label: 'Days on the worklist',
    type: 'number',
    unit: 'days',
    optional: false,
    params: [],
    description:
      "Days from D back to the start of the partner's current continuous stay on its segment's live worklist: D minus the key date of the earliest live run such that the partner was on every live run of the segment from that run up to the latest live run at or before D; 0 when the partner is not on that latest run (or there is none). Membership is each run's as dealt; history starts when it was first recorded (issue 22).",
    computation:
      'D - worklist_stays.start_as_of of the stay in the partner segment with start_as_of <= D < coalesce(end_as_of, infinity); 0 when none (stays: migration WorklistStays)',
  },
];

const BY_NAME = new Map(FACTS.map((f) => [f.name, f]));

export function factDef(name: string): FactDef | undefined {
  return BY_NAME.get(name);
}

export type CanonicalParams = Record<string, number | boolean>;

/** Params with defaults applied and keys in declaration order; assumes they were validated. */
export function canonicalParams(def: FactDef, params: Record<string, unknown> | undefined): CanonicalParams {
  const out: CanonicalParams = {};
  for (const p of def.params) {
    const v = params?.[p.name];
    out[p.name] = v === undefined ? p.default : (v as number | boolean);
  }
  return out;
}

export interface FactKey {
  fact: string;
  params: CanonicalParams;
  /** `overdueAmount{"minDaysOverdue":30}`, or the bare name for a fact without params. */
  key: string;
  column: string;
  type: FactType;
}

const SQL_TYPES: Record<FactType, string> = { number: 'numeric', string: 'text', boolean: 'boolean', 'string[]': 'text[]' };

export function sqlTypeOf(type: FactType): string {
  return SQL_TYPES[type];
}

export function factKey(fact: string, params?: Record<string, unknown>): FactKey {
  const def = BY_NAME.get(fact);
  if (!def) throw new Error(`Unknown fact ${fact}`);
  const canonical = canonicalParams(def, params);
  const key = def.params.length ? `${fact}${JSON.stringify(canonical)}` : fact;
  return { fact, params: canonical, key, column: columnName(fact, canonical), type: def.type };
}

/** A stable, safe SQL identifier for a fact key: lowercase [a-z0-9_], at most 63 characters. */
export function columnName(fact: string, params: CanonicalParams): string {
  let name = `f_${fact}`;
  for (const [k, v] of Object.entries(params)) name += `_${k}_${typeof v === 'number' && v < 0 ? `m${-v}` : String(v)}`;
  name = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (name.length <= 63) return name;
  return `${name.slice(0, 54)}_${fnv1a(name)}`;
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The distinct (fact, params) pairs a (validated) document reads, in first-use order. */
export function factKeysOf(document: StrategyDocument): FactKey[] {
  const seen = new Map<string, FactKey>();
  const add = (fact: string, params?: Record<string, unknown>) => {
    const k = factKey(fact, params);
    if (!seen.has(k.key)) seen.set(k.key, k);
  };
  for (const rule of document.rules) {
    walkFactConditions(rule.conditions, '', (c) => {
      add(c.fact, c.params);
      if (isFactReference(c.value)) add(c.value.fact, c.value.params);
    });
  }
  return [...seen.values()];
}
