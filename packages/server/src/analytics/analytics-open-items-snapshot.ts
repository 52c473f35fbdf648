/**
 * The open items report's read from the daily snapshots (analytics-snapshots.ts) instead of the
 * mirror: at a key date that is a position day, the same rows summed from the positions (amounts
 * and items of a positive open amount, by days overdue) and the partners per day (distinct within
 * the grain the grouping and the company code filter need). Used when `openItemsSnapshotUse`.
 */
import type { RequestContext } from '../graphql/context';
import type { Filter } from './analytics.filter';
import { snapshotConditions, snapshotGroupExpression } from './analytics-kpis-snapshot';
import { Params, rateSql, readRows } from './analytics.sql';
import { covers, holdsPositions, readableSnapshotState, SNAPSHOT_MAX_OVERDUE } from './analytics-snapshots';
import { AnalyticsGroupByEnum } from './analytics.types';

/**
 * Whether the report at `keyDate` can be read from the snapshots: positions held for that day,
 * current, and ageing limits whose last bucket holds every capped day overdue (a single day needs
 * no room for roll rates, unlike the KPIs).
 */
export async function openItemsSnapshotUse(ctx: RequestContext, keyDate: string, limits: number[]): Promise<boolean> {
  if (limits.at(-1)! >= SNAPSHOT_MAX_OVERDUE) return false;
  const state = await readableSnapshotState(ctx.db);
  return covers(state, keyDate, keyDate, true) && holdsPositions(state, [keyDate]);
}

/** The item dimensions partners are kept distinct by in analytics_daily_partners (its `grain`). */
const GRAIN = { companyCode: 4, profitCenter: 2, currency: 1 };

/** The grain of a group's partners: the grouping's item dimension and the company code filter's. */
function grainOf(f: Filter, groupBy: AnalyticsGroupByEnum | null): number {
  const filtered = f.companyCode !== null ? GRAIN.companyCode : 0;
  switch (groupBy) {
    case AnalyticsGroupByEnum.COMPANY_CODE:
      return GRAIN.companyCode;
    case AnalyticsGroupByEnum.PROFIT_CENTER:
      return filtered | GRAIN.profitCenter;
    case AnalyticsGroupByEnum.CURRENCY:
      return filtered | GRAIN.currency;
    default:
      return filtered;
  }
}

/**
 * The report's rows (see readOpenItems) at the key date: amounts and items per group and ageing
 * bucket from the positions, converted at the key date, with the partners of each group and of
 * all (level 3) from the partner counts.
 */
export async function readSnapshotOpenItems<T>(ctx: RequestContext, f: Filter, groupBy: AnalyticsGroupByEnum | null, limits: number[]): Promise<T[]> {
  const p = new Params();
  const asOf = p.add(f.to, 'date');
  const thresholds = p.add(
    limits.map((l) => l + 1),
    'int[]',
  );
  const currency = p.add(f.currency, 'text');
  const dim = snapshotGroupExpression(groupBy);
  const sql = `WITH pos AS (SELECT ${dim} AS dim, s.currency, width_bucket(s.overdue_days, ${thresholds}) AS b, s.overdue_days > 0 AS overdue,
        sum(s.positive_items) AS items, sum(s.positive_amount) AS amount
      FROM analytics_daily_positions s
     WHERE s.day = ${asOf} AND ${snapshotConditions(p, f)}
     GROUP BY 1, 2, 3, 4
    -- Rows of credits only, or of a partner moved out of a dimension (netting to zero there), hold no open item.
    HAVING sum(s.positive_items) <> 0),
  rates AS MATERIALIZED (SELECT c.currency, ${rateSql('c.currency', currency, asOf)} AS rate FROM (SELECT DISTINCT currency FROM pos) c),
  figures AS (SELECT GROUPING(x.dim, x.b)::int AS level, x.dim, x.b, sum(x.items)::int AS items, coalesce(sum(x.items) FILTER (WHERE x.overdue), 0)::int AS overdue_items,
        round(sum(x.amount * r.rate), 4)::text AS open, round(sum(x.amount * r.rate) FILTER (WHERE x.overdue), 4)::text AS overdue,
        array_agg(DISTINCT x.currency::text) FILTER (WHERE r.rate IS NULL) AS missing
      FROM pos x JOIN rates r ON r.currency = x.currency
     GROUP BY GROUPING SETS ((x.dim, x.b), (x.dim), (x.b), ())),
  counted AS (SELECT 1 AS level, ${dim} AS dim, sum(s.partners) AS partners FROM analytics_daily_partners s
       WHERE s.day = ${asOf} AND s.grain = ${p.add(grainOf(f, groupBy), 'int')} AND ${snapshotConditions(p, f)} GROUP BY 2
    UNION ALL
    SELECT 3, NULL, sum(s.partners) FROM analytics_daily_partners s
       WHERE s.day = ${asOf} AND s.grain = ${p.add(grainOf(f, null), 'int')} AND ${snapshotConditions(p, f)})
  SELECT f.level, f.dim, f.b, coalesce(c.partners, 0)::int AS partners, f.items, f.overdue_items, f.open, f.overdue, f.missing
    FROM figures f LEFT JOIN counted c ON c.level = f.level AND c.dim IS NOT DISTINCT FROM f.dim`;
  return readRows(ctx, sql, p.values);
}
