/**
 * The KPI report's two reads from the daily snapshots (analytics-snapshots.ts) instead of the
 * mirror: the same rows, summed from per-day aggregates instead of items and payments. Used when
 * the snapshots cover the report's days (`kpiSnapshotUse`).
 */
import type { RequestContext } from '../graphql/context';
import type { Filter, TimeBucket } from './analytics.filter';
import { Params, rateSql, readRows } from './analytics.sql';
import { covers, holdsPositions, readableSnapshotState, SNAPSHOT_MAX_AGEING_LIMIT } from './analytics-snapshots';
import { AnalyticsGroupByEnum } from './analytics.types';

/** Which of the KPI report's figures can come from the snapshots: all of them, or none (then all from the mirror). */
export async function kpiSnapshotUse(ctx: RequestContext, boundaries: string[], units: TimeBucket[], limits: number[]): Promise<boolean> {
  if (limits.at(-1)! > SNAPSHOT_MAX_AGEING_LIMIT) return false;
  const state = await readableSnapshotState(ctx.db);
  return (
    covers(state, boundaries[0]!, boundaries.at(-1)!, true) && holdsPositions(state, boundaries) && covers(state, units[0]!.start, units.at(-1)!.end, false)
  );
}

/** A snapshot row's column for the grouping (NULL: one group). */
export function snapshotGroupExpression(groupBy: AnalyticsGroupByEnum | null): string {
  switch (groupBy) {
    case null:
      return 'NULL::text';
    case AnalyticsGroupByEnum.SEGMENT:
      return 's.segment::text';
    case AnalyticsGroupByEnum.GROUP:
      return 's.group_key::text';
    case AnalyticsGroupByEnum.STRATEGY:
      return 's.strategy_key::text';
    case AnalyticsGroupByEnum.SPECIALIST:
      return 's.specialist_id::text';
    case AnalyticsGroupByEnum.COMPANY_CODE:
      return 's.company_code::text';
    case AnalyticsGroupByEnum.PROFIT_CENTER:
      return 's.profit_center::text';
    case AnalyticsGroupByEnum.LEVEL:
      throw new Error('LEVEL groups promises only');
    case AnalyticsGroupByEnum.CURRENCY:
      return 's.currency::text';
  }
}

/** The filter and the caller's scope on snapshot rows s, as responsibilityCte and companyCodeCondition apply them to partners and items. */
export function snapshotConditions(p: Params, f: Filter): string {
  const code = p.add(f.companyCode, 'text');
  const segment = p.add(f.segment, 'text');
  const group = p.add(f.group, 'text');
  const strategy = p.add(f.strategy, 'text');
  const groups = p.add(f.scope.groupKeys, 'text[]');
  const chosen = p.add(f.specialistId, 'bigint');
  const own = p.add(f.scope.specialistId, 'bigint');
  return [
    `(${code} IS NULL OR s.company_code = ${code})`,
    `(${segment} IS NULL OR s.segment = ${segment})`,
    `(${group} IS NULL OR s.group_key = ${group})`,
    `(${strategy} IS NULL OR s.strategy_key = ${strategy})`,
    `(${groups} IS NULL OR s.group_key = ANY (${groups}))`,
    `(${chosen} IS NULL OR s.specialist_id = ${chosen})`,
    `(${own} IS NULL OR s.specialist_id = ${own})`,
  ].join(' AND ');
}

/**
 * Held and rolled amounts at the boundaries from the positions of those days. A boundary's
 * amount in days overdue o was in o - gap at the boundary before (gap: the days between them, at
 * most 31); it was documented by then when its days since the document are at least the gap.
 */
export async function readSnapshotPositions<T>(
  ctx: RequestContext,
  f: Filter,
  groupBy: AnalyticsGroupByEnum | null,
  boundaries: string[],
  limits: number[],
): Promise<T[]> {
  const p = new Params();
  const dates = p.add(boundaries, 'date[]');
  const thresholds = p.add(
    limits.map((l) => l + 1),
    'int[]',
  );
  const currency = p.add(f.currency, 'text');
  const sql = `WITH dates AS (SELECT t.d::date AS d, (t.k - 1)::int AS k FROM unnest(${dates}) WITH ORDINALITY AS t(d, k)),
  gaps AS (SELECT k, d, d - lag(d) OVER (ORDER BY k) AS gap FROM dates),
  at_k AS (SELECT g.k, g.gap, s.currency, ${snapshotGroupExpression(groupBy)} AS dim, s.overdue_days, s.documented_days, sum(s.amount) AS amount
      FROM analytics_daily_positions s JOIN gaps g ON g.d = s.day
     WHERE ${snapshotConditions(p, f)}
     GROUP BY 1, 2, 3, 4, 5, 6
    -- A partner moved out of a dimension leaves rows that net to zero there.
    HAVING sum(s.amount) <> 0),
  marked AS (SELECT a.k, a.currency, a.dim, a.amount, width_bucket(a.overdue_days, ${thresholds}) AS b,
        CASE WHEN a.documented_days >= a.gap THEN width_bucket(a.overdue_days - a.gap, ${thresholds}) END AS b_start
      FROM at_k a),
  figures AS (SELECT 'held' AS kind, k, currency, dim, b, sum(amount) AS amount FROM marked GROUP BY 2, 3, 4, 5
    UNION ALL SELECT 'rolled', k, currency, dim, b_start, sum(amount) FROM marked WHERE b = b_start + 1 GROUP BY 2, 3, 4, 5),
  rates AS MATERIALIZED (SELECT dt.k, dt.d, c.currency, ${rateSql('c.currency', currency, 'dt.d')} AS rate
      FROM dates dt CROSS JOIN (SELECT DISTINCT currency FROM figures) c)
  SELECT x.kind, x.k, x.dim, x.b, round(sum(x.amount * r.rate), 4)::text AS amount,
         array_agg(DISTINCT x.currency::text) FILTER (WHERE r.rate IS NULL AND x.amount <> 0) AS missing, max(r.d)::text AS on_date
    FROM figures x JOIN rates r ON r.k = x.k AND r.currency = x.currency
   GROUP BY x.kind, x.k, x.dim, x.b`;
  return readRows(ctx, sql, p.values);
}

/** Sales per unit from the look-back on and item payments per bucket, from the daily flows. */
export async function readSnapshotFlows<T>(
  ctx: RequestContext,
  f: Filter,
  groupBy: AnalyticsGroupByEnum | null,
  units: TimeBucket[],
  periodStart: string,
): Promise<T[]> {
  const p = new Params();
  const salesFrom = p.add(units[0]!.start, 'date');
  const last = p.add(units.at(-1)!.end, 'date');
  const paidFrom = p.add(periodStart, 'date');
  const starts = p.add(
    units.map((u) => u.start),
    'date[]',
  );
  const currency = p.add(f.currency, 'text');
  const sql = `WITH flows AS (SELECT CASE s.kind WHEN 'S' THEN 'sales' ELSE 'paid' END AS kind, s.currency, s.day AS d, ${snapshotGroupExpression(groupBy)} AS dim,
        sum(s.amount) AS amount, sum(s.weighted) AS weighted
      FROM analytics_daily_flows s
     WHERE s.day BETWEEN ${salesFrom} AND ${last} AND (s.kind = 'S' OR s.day >= ${paidFrom}) AND ${snapshotConditions(p, f)}
     GROUP BY 1, 2, 3, 4
    HAVING sum(s.amount) <> 0 OR sum(s.weighted) <> 0),
  rates AS MATERIALIZED (SELECT c.currency, c.d, ${rateSql('c.currency', currency, 'c.d')} AS rate FROM (SELECT DISTINCT currency, d FROM flows) c)
  SELECT x.kind, width_bucket(x.d, ${starts}) AS u, x.dim, round(sum(x.amount * r.rate), 4)::text AS amount,
         round(sum(x.weighted * r.rate), 4)::text AS weighted,
         array_agg(DISTINCT x.currency::text || ' ' || x.d::text) FILTER (WHERE r.rate IS NULL) AS missing
    FROM flows x JOIN rates r ON r.currency = x.currency AND r.d = x.d
   GROUP BY 1, 2, 3`;
  return readRows(ctx, sql, p.values);
}
