/**
 * Dispute analysis per month or week: opened, resolved (with days to resolve), and the disputed
 * amount still open at each bucket's end; resolved ones by resolution and root cause. A dispute
 * is closed (RESOLVED, REJECTED or CLOSED) on the date of its latest status change when that is
 * a closing one; without history, on the date its status last changed (DESIGN.md "Point in time").
 * Read from the daily snapshots (analytics_daily_disputes) when they cover the period, else from
 * the mirror: the same figures.
 */
import type { RequestContext } from '../graphql/context';
import { AnalyticsFxRateMissingError } from './analytics.errors';
import { decimal, sum, ZERO } from './analytics.figures';
import { checkedFilter, checkedGroupBy, timeBuckets, type Filter, type TimeBucket } from './analytics.filter';
import { groupsOf } from './analytics.groups';
import { companyCodeCondition, groupExpression, Params, rateSql, readRows, responsibilityCte } from './analytics.sql';
import { disputeSnapshotUse, snapshotDisputeEvents } from './analytics-disputes-snapshot';
import { CLOSED_STATUSES } from './analytics-snapshot-disputes';
import {
  AnalyticsGranularityEnum,
  AnalyticsGroupByEnum,
  type AnalyticsFilter,
  type DisputeBreakdown,
  type DisputeBucket,
  type DisputeReport,
  type DisputeSeries,
} from './analytics.types';

const GROUPINGS = [
  AnalyticsGroupByEnum.SEGMENT,
  AnalyticsGroupByEnum.GROUP,
  AnalyticsGroupByEnum.SPECIALIST,
  AnalyticsGroupByEnum.STRATEGY,
  AnalyticsGroupByEnum.COMPANY_CODE,
  AnalyticsGroupByEnum.PROFIT_CENTER,
  AnalyticsGroupByEnum.CURRENCY,
];
const CLOSED = CLOSED_STATUSES;

export interface DisputeArgs {
  filter: AnalyticsFilter;
  granularity?: AnalyticsGranularityEnum | null;
  groupBy?: AnalyticsGroupByEnum | null;
  first?: number | null;
  /** Not in the schema: MIRROR reads the mirror even where the snapshots are current (to compare them). */
  source?: 'AUTO' | 'MIRROR';
}

interface Row {
  /** by: bucket (u set), resolution or root cause (key set). */
  by: 'bucket' | 'resolution' | 'root_cause';
  kind: 'opened' | 'resolved' | 'open';
  u: number | null;
  key: string | null;
  dim: string | null;
  n: number;
  amount: string;
  days: number | null;
  missing: string[] | null;
}

export async function disputeReport(ctx: RequestContext, args: DisputeArgs): Promise<DisputeReport> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  const groupBy = checkedGroupBy(args.groupBy, GROUPINGS, 'disputes');
  const granularity = args.granularity ?? AnalyticsGranularityEnum.MONTH;
  const buckets = timeBuckets(filter.from, filter.to, granularity);
  const fromSnapshots = args.source !== 'MIRROR' && (await disputeSnapshotUse(ctx, buckets));
  const rows = await readDisputes(ctx, filter, groupBy, buckets, fromSnapshots);
  const missing = new Map<string, string>();
  for (const r of rows) {
    for (const pair of r.missing ?? []) {
      const [from, on] = pair.split(' ') as [string, string];
      if (!missing.has(from) || missing.get(from)! > on) missing.set(from, on);
    }
  }
  if (missing.size)
    throw new AnalyticsFxRateMissingError(
      filter.currency,
      [...missing].sort().map(([from, on]) => ({ from, on })),
    );
  const dims = rows.map((r) => r.dim);
  if (groupBy === null) dims.push(null);
  const grouped = await groupsOf(ctx, groupBy, dims, args.first, (dim) =>
    seriesOf(
      rows.filter((r) => r.dim === dim),
      buckets,
    ),
  );
  return { currency: filter.currency, granularity, groupBy, series: grouped.rows.map((g) => ({ group: g.group, ...g.value })), totalGroups: grouped.total };
}

/**
 * Which of the report's figures `disputeReport` would read from the daily snapshots for these
 * arguments (the benchmark prints them): all of them or none.
 */
export async function disputeSnapshotFigures(ctx: RequestContext, args: DisputeArgs): Promise<string[]> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  const buckets = timeBuckets(filter.from, filter.to, args.granularity ?? AnalyticsGranularityEnum.MONTH);
  if (args.source === 'MIRROR' || !(await disputeSnapshotUse(ctx, buckets))) return [];
  return ['opened, resolved, open at the ends (daily disputes)'];
}

/**
 * Events, each dated and converted at its date: opened (created), resolved (closed, with its
 * days) and open at a bucket's end; counted per bucket, and the resolved ones per resolution and
 * root cause. From the mirror one event per dispute; from the snapshots one per day, currency
 * and group (snapshotDisputeEvents).
 */
async function readDisputes(
  ctx: RequestContext,
  f: Filter,
  groupBy: AnalyticsGroupByEnum | null,
  buckets: TimeBucket[],
  fromSnapshots: boolean,
): Promise<Row[]> {
  const p = new Params();
  const events = fromSnapshots ? snapshotDisputeEvents(p, f, groupBy, buckets) : mirrorDisputeEvents(p, f, groupBy, buckets);
  const starts = p.add(
    buckets.map((b) => b.start),
    'date[]',
  );
  const currency = p.add(f.currency, 'text');
  const sql = `WITH ${events},
  rates AS MATERIALIZED (SELECT c.currency, c.d, ${rateSql('c.currency', currency, 'c.d')} AS rate FROM (SELECT DISTINCT currency, d FROM events) c)
  SELECT CASE WHEN GROUPING(x.resolution) = 0 THEN 'resolution' WHEN GROUPING(x.root_cause) = 0 THEN 'root_cause' ELSE 'bucket' END AS by,
         x.kind, width_bucket(x.d, ${starts}) AS u, coalesce(x.resolution, x.root_cause) AS key, x.dim,
         sum(x.n)::int AS n, round(sum(x.amount * r.rate), 4)::text AS amount, sum(x.days)::int AS days,
         array_agg(DISTINCT x.currency::text || ' ' || x.d::text) FILTER (WHERE r.rate IS NULL) AS missing
    FROM events x JOIN rates r ON r.currency = x.currency AND r.d = x.d
   GROUP BY GROUPING SETS ((x.kind, x.dim, width_bucket(x.d, ${starts})), (x.kind, x.dim, x.resolution), (x.kind, x.dim, x.root_cause))`;
  const rows: Row[] = await readRows(ctx, sql, p.values);
  // The resolution and root-cause sets are about resolved disputes; their u is not grouped.
  return rows.filter((r) => r.by === 'bucket' || r.kind === 'resolved').map((r) => (r.by === 'bucket' ? r : { ...r, u: null }));
}

/** The `events` CTE from the mirror: one event per dispute (n = 1). */
function mirrorDisputeEvents(p: Params, f: Filter, groupBy: AnalyticsGroupByEnum | null, buckets: TimeBucket[]): string {
  const resp = responsibilityCte(p, f, { withSpecialist: true, companyCodeBySegment: false });
  const first = p.add(buckets[0]!.start, 'date');
  const last = p.add(buckets.at(-1)!.end, 'date');
  const ends = p.add(
    buckets.map((b) => b.end),
    'date[]',
  );
  return `${resp},
  latest AS (SELECT DISTINCT ON (c.dispute_id) c.dispute_id, c.changed_on, c.status FROM dispute_status_changes c ORDER BY c.dispute_id, c.changed_on DESC),
  ds AS MATERIALIZED (SELECT d.id, d.currency, d.disputed_amount AS amount, d.created_date, d.resolution, d.root_cause, ${groupExpression(groupBy, { [AnalyticsGroupByEnum.CURRENCY]: 'd.currency' })} AS dim,
        CASE WHEN h.dispute_id IS NOT NULL THEN CASE WHEN h.status IN ${CLOSED} THEN h.changed_on END
             WHEN d.status IN ${CLOSED} THEN coalesce(d.status_changed_at::date, d.created_date) END AS closed_on
      FROM disputes d JOIN resp r ON r.partner_id = d.partner_id
      LEFT JOIN open_items i ON i.id = d.item_id
      LEFT JOIN latest h ON h.dispute_id = d.id
     WHERE d.created_date <= ${last} AND ${companyCodeCondition(p, f, 'i.company_code')}),
  events AS (
    SELECT 'opened' AS kind, created_date AS d, currency, 1 AS n, amount, NULL::int AS days, NULL::text AS resolution, NULL::text AS root_cause, dim
      FROM ds WHERE created_date >= ${first}
    UNION ALL
    SELECT 'resolved', closed_on, currency, 1, amount, closed_on - created_date, coalesce(resolution, 'NONE'), coalesce(root_cause, 'NONE'), dim
      FROM ds WHERE closed_on BETWEEN ${first} AND ${last}
    UNION ALL
    SELECT 'open', e.d, ds.currency, 1, ds.amount, NULL, NULL, NULL, ds.dim
      FROM ds JOIN unnest(${ends}) AS e(d) ON ds.created_date <= e.d AND (ds.closed_on IS NULL OR ds.closed_on > e.d))`;
}

function seriesOf(rows: Row[], buckets: TimeBucket[]): Omit<DisputeSeries, 'group'> {
  const at = (kind: Row['kind'], u: number) => rows.find((r) => r.by === 'bucket' && r.kind === kind && r.u === u);
  const breakdown = (by: Row['by']): DisputeBreakdown[] =>
    rows
      .filter((r) => r.by === by)
      .sort((a, b) => b.n - a.n || String(a.key).localeCompare(String(b.key)))
      .map((r) => ({ key: r.key ?? 'NONE', count: r.n, amount: r.amount, averageDaysToResolve: decimal({ num: BigInt(r.days ?? 0), den: BigInt(r.n) }) }));
  const resolved = rows.filter((r) => r.by === 'bucket' && r.kind === 'resolved');
  return {
    buckets: buckets.map((bucket, index): DisputeBucket => {
      const opened = at('opened', index + 1);
      const closed = at('resolved', index + 1);
      const open = at('open', index + 1);
      return {
        start: bucket.start,
        end: bucket.end,
        opened: opened?.n ?? 0,
        openedAmount: opened?.amount ?? ZERO,
        resolved: closed?.n ?? 0,
        resolvedAmount: closed?.amount ?? ZERO,
        averageDaysToResolve: closed ? decimal({ num: BigInt(closed.days ?? 0), den: BigInt(closed.n) }) : null,
        openAtEnd: open?.n ?? 0,
        disputedAmountAtEnd: open?.amount ?? ZERO,
      };
    }),
    resolved: resolved.reduce((n, r) => n + r.n, 0),
    resolvedAmount: sum(resolved.map((r) => r.amount)),
    averageDaysToResolve: decimal({ num: BigInt(resolved.reduce((n, r) => n + (r.days ?? 0), 0)), den: BigInt(resolved.reduce((n, r) => n + r.n, 0)) }),
    byResolution: breakdown('resolution'),
    byRootCause: breakdown('root_cause'),
  };
}
