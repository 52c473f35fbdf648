import type { PriorityBand, StrategyDocument, StrategyRule } from '@recoup/rules';

export interface RuleSummary {
  name: string;
  points: number;
  role: string;
  priority: number | null;
}

export interface RuleChange {
  name: string;
  /** Which parts differ: points, role, priority, conditions, eventType. */
  changes: string[];
  before: RuleSummary;
  after: RuleSummary;
}

export interface PointsChange {
  name: string;
  before: number;
  after: number;
}

export interface BandChange {
  priority: number;
  before: PriorityBand | null;
  after: PriorityBand | null;
}

export interface SettingChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface DocumentDiff {
  identical: boolean;
  rulesAdded: RuleSummary[];
  rulesRemoved: RuleSummary[];
  rulesChanged: RuleChange[];
  pointsChanged: PointsChange[];
  bandsAdded: BandChange[];
  bandsRemoved: BandChange[];
  bandsChanged: BandChange[];
  settingsChanged: SettingChange[];
}

/** JSON with sorted keys: two condition trees are the same when they mean the same, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function summary(rule: StrategyRule): RuleSummary {
  return { name: rule.name, points: rule.event.params.points, role: rule.event.params.role, priority: rule.priority ?? null };
}

const SETTINGS = ['key', 'name', 'description', 'currency', 'maxValuation', 'minPercent', 'agingBuckets'] as const;

/**
 * What changed from `a` to `b`, structured for a client to show (not text): rules matched by
 * name (unique within a document), bands by priority number, and the scalar settings.
 */
export function diffDocuments(a: StrategyDocument, b: StrategyDocument): DocumentDiff {
  const before = new Map(a.rules.map((r) => [r.name, r]));
  const after = new Map(b.rules.map((r) => [r.name, r]));
  const rulesAdded = b.rules.filter((r) => !before.has(r.name)).map(summary);
  const rulesRemoved = a.rules.filter((r) => !after.has(r.name)).map(summary);
  const rulesChanged: RuleChange[] = [];
  for (const rule of b.rules) {
    const old = before.get(rule.name);
    if (!old) continue;
    const changes: string[] = [];
    if (old.event.params.points !== rule.event.params.points) changes.push('points');
    if (old.event.params.role !== rule.event.params.role) changes.push('role');
    if (old.event.type !== rule.event.type) changes.push('eventType');
    if ((old.priority ?? null) !== (rule.priority ?? null)) changes.push('priority');
    if (canonicalJson(old.conditions) !== canonicalJson(rule.conditions)) changes.push('conditions');
    if (changes.length) rulesChanged.push({ name: rule.name, changes, before: summary(old), after: summary(rule) });
  }
  const pointsChanged = rulesChanged.filter((c) => c.changes.includes('points')).map((c) => ({ name: c.name, before: c.before.points, after: c.after.points }));

  const bandsBefore = new Map(a.priorities.map((p) => [p.priority, p]));
  const bandsAfter = new Map(b.priorities.map((p) => [p.priority, p]));
  const bandsAdded = b.priorities.filter((p) => !bandsBefore.has(p.priority)).map((p) => ({ priority: p.priority, before: null, after: p }));
  const bandsRemoved = a.priorities.filter((p) => !bandsAfter.has(p.priority)).map((p) => ({ priority: p.priority, before: p, after: null }));
  const bandsChanged = b.priorities
    .filter((p) => bandsBefore.has(p.priority) && canonicalJson(bandsBefore.get(p.priority)) !== canonicalJson(p))
    .map((p) => ({ priority: p.priority, before: bandsBefore.get(p.priority)!, after: p }));

  const settingsChanged: SettingChange[] = SETTINGS.filter((f) => canonicalJson(a[f]) !== canonicalJson(b[f])).map((field) => ({
    field,
    before: a[field] ?? null,
    after: b[field] ?? null,
  }));
  // Rule order decides json-rules-engine's evaluation order only when priorities tie; report it as a setting.
  const orderA = a.rules.map((r) => r.name).filter((n) => after.has(n));
  const orderB = b.rules.map((r) => r.name).filter((n) => before.has(n));
  if (canonicalJson(orderA) !== canonicalJson(orderB)) settingsChanged.push({ field: 'ruleOrder', before: orderA, after: orderB });

  const identical =
    !rulesAdded.length &&
    !rulesRemoved.length &&
    !rulesChanged.length &&
    !bandsAdded.length &&
    !bandsRemoved.length &&
    !bandsChanged.length &&
    !settingsChanged.length;
  return { identical, rulesAdded, rulesRemoved, rulesChanged, pointsChanged, bandsAdded, bandsRemoved, bandsChanged, settingsChanged };
}

/** A short summary of a diff for the audit log's details. */
export function diffSummary(diff: DocumentDiff): Record<string, unknown> {
  return {
    rulesAdded: diff.rulesAdded.map((r) => r.name),
    rulesRemoved: diff.rulesRemoved.map((r) => r.name),
    rulesChanged: diff.rulesChanged.map((r) => ({ name: r.name, changes: r.changes })),
    bandsChanged: [...diff.bandsAdded, ...diff.bandsRemoved, ...diff.bandsChanged].map((b) => b.priority),
    settingsChanged: diff.settingsChanged.map((s) => s.field),
  };
}
