/** A report's groups: ordered by key (nobody last), bounded by `first`, each labelled with its name. */
import type { RequestContext } from '../graphql/context';
import { pageSize } from '../graphql/paging';
import { AnalyticsGroupByEnum, type AnalyticsGroup } from './analytics.types';

export interface Grouped<T> {
  rows: Array<{ group: AnalyticsGroup; value: T }>;
  total: number;
}

const NAMES: Partial<Record<AnalyticsGroupByEnum, string>> = {
  [AnalyticsGroupByEnum.SEGMENT]: `SELECT key::text AS key, name FROM collection_segments WHERE key = ANY ($1::text[])`,
  [AnalyticsGroupByEnum.GROUP]: `SELECT key::text AS key, name FROM collection_groups WHERE key = ANY ($1::text[])`,
  [AnalyticsGroupByEnum.SPECIALIST]: `SELECT id::text AS key, name FROM specialists WHERE id::text = ANY ($1::text[])`,
  [AnalyticsGroupByEnum.STRATEGY]: `SELECT key::text AS key, name FROM strategies WHERE key = ANY ($1::text[])`,
};

/** Maximum groups a report returns (`first`); the total says how many there were. */
export const MAX_GROUPS = 500;

export async function groupsOf<T>(
  ctx: RequestContext,
  groupBy: AnalyticsGroupByEnum | null,
  keys: Array<string | null>,
  first: number | null | undefined,
  valueOf: (key: string | null) => T,
): Promise<Grouped<T>> {
  const size = pageSize(first, 100, MAX_GROUPS);
  const ordered = [...new Set(keys)].sort(byKey(groupBy));
  const kept = ordered.slice(0, size);
  const names = new Map<string, string>();
  const sql = groupBy ? NAMES[groupBy] : undefined;
  if (sql && kept.length) {
    const rows: Array<{ key: string; name: string }> = await ctx.db.dataSource.query(sql, [kept.filter((k) => k !== null)]);
    for (const r of rows) names.set(r.key, r.name);
  }
  return {
    total: ordered.length,
    rows: kept.map((key) => ({ group: { key, label: key === null ? null : (names.get(key) ?? key) }, value: valueOf(key) })),
  };
}

/** Keys in order, nobody last; numbers (specialist ids, levels) numerically. */
function byKey(groupBy: AnalyticsGroupByEnum | null): (a: string | null, b: string | null) => number {
  const numeric = groupBy === AnalyticsGroupByEnum.SPECIALIST || groupBy === AnalyticsGroupByEnum.LEVEL;
  return (a, b) => {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    return numeric ? Number(a) - Number(b) : a < b ? -1 : 1;
  };
}
