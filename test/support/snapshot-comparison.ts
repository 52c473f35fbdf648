import { expect } from 'vitest';
import type { Role } from '../../packages/server/src/graphql/roles';
import type { AnalyticsGroupByEnum } from '../../packages/server/src/analytics/analytics.types';

/** One report call a kept-versus-mirror comparison makes: who calls, with what. */
export interface ComparisonCase<Args> {
  label: string;
  role: Role;
  specialistId: string | null;
  args: Args;
}

type Period = { from: string; to: string };
type Grouping = AnalyticsGroupByEnum | null;
type Filter = Period & { currency: string };

/**
 * The cases the snapshot tests of the period reports cover, in one shape: an ADMIN for each period
 * and grouping; each filter (over `filterPeriod`) with each of `filterGroupings`; SPECIALIST 1 and
 * the SUPERVISOR of the test organisation's groups with each of `roleGroupings`; then `extra`.
 */
export function periodCases<Args extends { filter: Filter; groupBy?: Grouping }>(o: {
  periods: Period[];
  groupings: Grouping[];
  filterPeriod: Period;
  filters: Array<Record<string, string>>;
  filterGroupings: Grouping[];
  roleGroupings: Grouping[];
  extra?: Array<ComparisonCase<Args>>;
}): Array<ComparisonCase<Args>> {
  const admin = (label: string, args: { filter: Filter; groupBy: Grouping }): ComparisonCase<Args> => ({
    label,
    role: 'ADMIN',
    specialistId: null,
    args: args as Args,
  });
  const out: Array<ComparisonCase<Args>> = [];
  for (const period of o.periods) {
    for (const groupBy of o.groupings) out.push(admin(`${period.from}..${period.to} by ${groupBy}`, { filter: { ...period, currency: 'EUR' }, groupBy }));
  }
  const period = { ...o.filterPeriod, currency: 'EUR' };
  for (const filter of o.filters) {
    for (const groupBy of o.filterGroupings) out.push(admin(`filter ${JSON.stringify(filter)} by ${groupBy}`, { filter: { ...period, ...filter }, groupBy }));
  }
  for (const groupBy of o.roleGroupings) {
    out.push({ label: `SPECIALIST 1 by ${groupBy}`, role: 'SPECIALIST', specialistId: '1', args: { filter: period, groupBy } as Args });
    out.push({ label: `SUPERVISOR of SA_G2, SB_G by ${groupBy}`, role: 'SUPERVISOR', specialistId: null, args: { filter: period, groupBy } as Args });
  }
  return [...out, ...(o.extra ?? [])];
}

/**
 * For each case: the report reads what the snapshots keep (`figures` names `figureCount` of them)
 * and equals the same report read from the mirror.
 */
export async function expectKeptEqualsMirror<Ctx, Args extends object, Report>(
  cases: Array<ComparisonCase<Args>>,
  o: {
    ctxOf: (role: Role, specialistId: string | null) => Ctx;
    report: (ctx: Ctx, args: Args & { source?: 'MIRROR' }) => Promise<Report>;
    figures: (ctx: Ctx, args: Args) => Promise<string[]>;
    figureCount?: number;
  },
): Promise<void> {
  for (const c of cases) {
    const ctx = o.ctxOf(c.role, c.specialistId);
    expect(await o.figures(ctx, c.args), c.label).toHaveLength(o.figureCount ?? 1);
    const kept = await o.report(ctx, c.args);
    const mirror = await o.report(ctx, { ...c.args, source: 'MIRROR' });
    expect(kept, c.label).toEqual(mirror);
  }
}
