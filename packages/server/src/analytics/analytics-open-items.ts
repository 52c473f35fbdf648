/**
 * Open items by organisational unit at a key date (the period's last day): the AR as it stood at
 * the end of that day (DESIGN.md "Point in time"), open and overdue, by ageing bucket, in the
 * reporting currency at that date. Read from the daily snapshots when they hold the key date
 * (analytics-open-items-snapshot.ts), else from the mirror.
 */
import { agingBuckets } from '@recoup/rules';
import type { RequestContext } from '../graphql/context';
import { AnalyticsFxRateMissingError } from './analytics.errors';
import { ZERO } from './analytics.figures';
import { checkedFilter, checkedGroupBy, type Filter } from './analytics.filter';
import { groupsOf } from './analytics.groups';
import { checkedAgeingLimits, DEFAULT_AGEING_LIMITS } from './analytics-kpis';
import { openItemsSnapshotUse, readSnapshotOpenItems } from './analytics-open-items-snapshot';
import { companyCodeCondition, groupExpression, Params, rateSql, readRows, responsibilityCte } from './analytics.sql';
import { AnalyticsGroupByEnum, type AnalyticsFilter, type OpenItemsFigures, type OpenItemsReport } from './analytics.types';

const GROUPINGS = [
  AnalyticsGroupByEnum.COMPANY_CODE,
  AnalyticsGroupByEnum.SEGMENT,
  AnalyticsGroupByEnum.GROUP,
  AnalyticsGroupByEnum.SPECIALIST,
  AnalyticsGroupByEnum.STRATEGY,
  AnalyticsGroupByEnum.PROFIT_CENTER,
  AnalyticsGroupByEnum.CURRENCY,
];

export interface OpenItemsArgs {
  filter: AnalyticsFilter;
  groupBy?: AnalyticsGroupByEnum | null;
  ageingLimits?: number[] | null;
  first?: number | null;
  /** Not in the schema: MIRROR reads the mirror even where the snapshots hold the key date (to compare them). */
  source?: 'AUTO' | 'MIRROR';
}

interface Row {
  /** GROUPING: 0 a group's ageing bucket, 1 a group's total, 2 an ageing bucket of all groups, 3 all groups. */
  level: number;
  dim: string | null;
  b: number | null;
  partners: number;
  items: number;
  overdue_items: number;
  open: string | null;
  overdue: string | null;
  missing: string[] | null;
}

export async function openItemsReport(ctx: RequestContext, args: OpenItemsArgs): Promise<OpenItemsReport> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  const groupBy = checkedGroupBy(args.groupBy, GROUPINGS, 'openItems');
  const limits = checkedAgeingLimits(args.ageingLimits ?? DEFAULT_AGEING_LIMITS);
  const fromSnapshots = args.source !== 'MIRROR' && (await openItemsSnapshotUse(ctx, filter.to, limits));
  const rows = fromSnapshots ? await readSnapshotOpenItems<Row>(ctx, filter, groupBy, limits) : await readOpenItems(ctx, filter, groupBy, limits);
  const missing = [...new Set(rows.flatMap((r) => r.missing ?? []))].sort();
  if (missing.length)
    throw new AnalyticsFxRateMissingError(
      filter.currency,
      missing.map((from) => ({ from, on: filter.to })),
    );
  const labels = agingBuckets(limits).map((b) => b.label);
  const grouped = await groupsOf(
    ctx,
    groupBy,
    rows.filter((r) => r.level === 1).map((r) => r.dim),
    args.first,
    (dim) =>
      figuresOf(
        rows.filter((r) => r.level < 2 && r.dim === dim),
        labels,
      ),
  );
  return {
    currency: filter.currency,
    asOf: filter.to,
    groupBy,
    ageingBuckets: labels,
    rows: grouped.rows.map((g) => ({ group: g.group, ...g.value })),
    totals: {
      group: { key: null, label: null },
      ...figuresOf(
        rows.filter((r) => r.level >= 2).map((r) => ({ ...r, level: r.level - 2 })),
        labels,
      ),
    },
    totalGroups: grouped.total,
  };
}

/**
 * Which of the report's figures `openItemsReport` would read from the daily snapshots for these
 * arguments (the benchmark prints them): all of them or none.
 */
export async function openItemsSnapshotFigures(ctx: RequestContext, args: OpenItemsArgs): Promise<string[]> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  const limits = checkedAgeingLimits(args.ageingLimits ?? DEFAULT_AGEING_LIMITS);
  if (args.source === 'MIRROR' || !(await openItemsSnapshotUse(ctx, filter.to, limits))) return [];
  return ['amounts, items and ageing (daily positions)', 'partners (daily partners)'];
}

async function readOpenItems(ctx: RequestContext, f: Filter, groupBy: AnalyticsGroupByEnum | null, limits: number[]): Promise<Row[]> {
  const p = new Params();
  const resp = responsibilityCte(p, f, { withSpecialist: true, companyCodeBySegment: false });
  const asOf = p.add(f.to, 'date');
  const thresholds = p.add(
    limits.map((l) => l + 1),
    'int[]',
  );
  const currency = p.add(f.currency, 'text');
  // The items open at the end of D: those open now, and cleared ones with a payment of their own
  // after D (found from the payments after D, one range of the payments-by-date index, rather than
  // a probe of the payments per cleared item: on a mirror most items are long cleared).
  const sql = `WITH ${resp},
  pa AS MATERIALIZED (SELECT y.item_id, y.currency, sum(y.amount) AS paid FROM payments y
     WHERE y.item_id IS NOT NULL AND y.payment_date > ${asOf} GROUP BY y.item_id, y.currency),
  candidates AS (SELECT i.id, i.partner_id, i.company_code, i.profit_center, i.currency, i.amount, i.open_amount, i.due_date, i.document_date
      FROM open_items i WHERE i.open_amount > 0
    UNION ALL
    SELECT i.id, i.partner_id, i.company_code, i.profit_center, i.currency, i.amount, i.open_amount, i.due_date, i.document_date
      FROM pa JOIN open_items i ON i.id = pa.item_id AND i.currency = pa.currency WHERE i.open_amount <= 0),
  x AS (SELECT i.partner_id, i.currency, ${groupExpression(groupBy, { [AnalyticsGroupByEnum.CURRENCY]: 'i.currency' })} AS dim, ${asOf} - i.due_date AS days,
        least(i.amount, i.open_amount + coalesce(pa.paid, 0)) AS open_at
      FROM candidates i JOIN resp r ON r.partner_id = i.partner_id LEFT JOIN pa ON pa.item_id = i.id AND pa.currency = i.currency
     WHERE i.document_date <= ${asOf} AND ${companyCodeCondition(p, f, 'i.company_code')}),
  rates AS MATERIALIZED (SELECT c.currency, ${rateSql('c.currency', currency, asOf)} AS rate FROM (SELECT DISTINCT currency FROM x) c)
  SELECT GROUPING(x.dim, width_bucket(x.days, ${thresholds}))::int AS level, x.dim, width_bucket(x.days, ${thresholds}) AS b,
         count(DISTINCT x.partner_id)::int AS partners, count(*)::int AS items, count(*) FILTER (WHERE x.days > 0)::int AS overdue_items,
         round(sum(x.open_at * r.rate), 4)::text AS open, round(sum(x.open_at * r.rate) FILTER (WHERE x.days > 0), 4)::text AS overdue,
         array_agg(DISTINCT x.currency::text) FILTER (WHERE r.rate IS NULL) AS missing
    FROM x JOIN rates r ON r.currency = x.currency
   WHERE x.open_at > 0
   GROUP BY GROUPING SETS ((x.dim, width_bucket(x.days, ${thresholds})), (x.dim), (width_bucket(x.days, ${thresholds})), ())`;
  return readRows(ctx, sql, p.values);
}

/** A group's figures from its total row (level 1) and its bucket rows (level 0). */
function figuresOf(rows: Row[], labels: string[]): Omit<OpenItemsFigures, 'group'> {
  const total = rows.find((r) => r.level === 1);
  return {
    partners: total?.partners ?? 0,
    openItems: total?.items ?? 0,
    overdueItems: total?.overdue_items ?? 0,
    openAmount: total?.open ?? ZERO,
    overdueAmount: total?.overdue ?? ZERO,
    ageing: labels.map((bucket, b) => ({ bucket, amount: rows.find((r) => r.level === 0 && r.b === b)?.open ?? ZERO })),
  };
}
