/** The strategy document as the studio edits it (DESIGN.md, Strategy documents), and pure helpers. */

export interface FactRef {
  fact: string;
  params?: Record<string, unknown>;
}
export interface FactCondition {
  fact: string;
  operator: string;
  value: unknown;
  params?: Record<string, unknown>;
  [extra: string]: unknown;
}
export type Condition = FactCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export interface Rule {
  name: string;
  priority?: number;
  description?: string;
  conditions: Condition;
  event: { type: string; params: { points: number; role: 'condition' | 'exit' | string } };
  [extra: string]: unknown;
}

export interface PriorityBand {
  priority: number;
  label: string;
  minPercent: number;
}

export interface StrategyDoc {
  key: string;
  name: string;
  currency: string;
  maxValuation?: number | null;
  minPercent?: number;
  priorities: PriorityBand[];
  agingBuckets?: number[];
  rules: Rule[];
  [extra: string]: unknown;
}

/**
 * A strategy document as it comes from the API (the `JSON` scalar). The server validated it when
 * it was saved; the studio edits it as a StrategyDoc and has validateStrategy check every edit.
 */
export function asStrategyDoc(json: unknown): StrategyDoc {
  return json as StrategyDoc;
}

export type GroupKind = 'all' | 'any' | 'not';

export function groupKind(c: unknown): GroupKind | null {
  if (!c || typeof c !== 'object' || Array.isArray(c)) return null;
  if ('all' in c) return 'all';
  if ('any' in c) return 'any';
  if ('not' in c) return 'not';
  return null;
}

export function isFactRef(v: unknown): v is FactRef {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'fact' in v;
}

export const points = (r: Rule): number => {
  const p = r?.event?.params?.points;
  return typeof p === 'number' && Number.isFinite(p) ? p : 0;
};
export const isExit = (r: Rule): boolean => r?.event?.params?.role === 'exit';

/** The document's max valuation: the given value, else the sum of positive points of condition rules. */
export function maxValuation(doc: StrategyDoc): number {
  if (typeof doc.maxValuation === 'number' && doc.maxValuation > 0) return doc.maxValuation;
  return (doc.rules ?? []).filter((r) => !isExit(r)).reduce((n, r) => n + Math.max(0, points(r)), 0);
}

/** Immutable update at a path of keys/indexes. */
export function setIn<T>(root: T, path: (string | number)[], value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const base: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  base[head as any] = setIn(base?.[head as any], rest, value);
  return base;
}

export function getIn(root: unknown, path: (string | number)[]): unknown {
  let cur: any = root;
  for (const k of path) cur = cur?.[k as any];
  return cur;
}

/** `rules[3].conditions.all[1].value` for a path of keys/indexes. */
export function jsonPath(path: (string | number)[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

export function removeAt<T>(list: T[], i: number): T[] {
  return list.filter((_, j) => j !== i);
}

export function moveItem<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const copy = [...list];
  const [it] = copy.splice(from, 1);
  copy.splice(to, 0, it!);
  return copy;
}

/** Bands sorted from the highest threshold (priority 1) down. */
export function sortedBands(bands: PriorityBand[]): PriorityBand[] {
  return [...(bands ?? [])].sort((a, b) => b.minPercent - a.minPercent);
}

export function uniqueName(base: string, rules: Rule[]): string {
  const names = new Set(rules.map((r) => r.name));
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base} (${i})`)) return `${base} (${i})`;
}

/** Errors that belong exactly to a node path (not to a deeper node). */
export function errorsAt(errors: { path: string; message: string }[], path: string, deep = false) {
  return errors.filter(
    (e) =>
      e.path === path ||
      (e.path.startsWith(path) && /^[.[]/.test(e.path.slice(path.length)) && (deep || !/^\.(all|any)\[|^\.not(\.|$)/.test(e.path.slice(path.length)))),
  );
}
