/**
 * Promise effectiveness (DESIGN.md): the promises made in the period, each judged at the period's
 * last day by the one promise-status rule (promises/), counted and summed per outcome and group,
 * with promised vs paid amount and days late.
 */
import type { RequestContext } from '../graphql/context';
import { promiseStatusSql } from '../promises';
import { AnalyticsFxRateMissingError } from './analytics.errors';
import { decimal, percentOf, sum, ZERO } from './analytics.figures';
import { checkedFilter, checkedGroupBy, type Filter } from './analytics.filter';
import { groupsOf } from './analytics.groups';
import { companyCodeCondition, groupExpression, Params, rateSql, readRows, responsibilityCte } from './analytics.sql';
import { AnalyticsGroupByEnum, type AnalyticsFilter, type PromiseFigures, type PromiseOutcome, type PromiseReport } from './analytics.types';

const GROUPINGS = [
  AnalyticsGroupByEnum.SPECIALIST,
  AnalyticsGroupByEnum.GROUP,
  AnalyticsGroupByEnum.LEVEL,
  AnalyticsGroupByEnum.SEGMENT,
  AnalyticsGroupByEnum.STRATEGY,
  AnalyticsGroupByEnum.COMPANY_CODE,
  AnalyticsGroupByEnum.PROFIT_CENTER,
  AnalyticsGroupByEnum.CURRENCY,
];

export interface PromiseArgs {
  filter: AnalyticsFilter;
  groupBy?: AnalyticsGroupByEnum | null;
  first?: number | null;
}

interface Row {
  dim: string | null;
  status: 'OPEN' | 'KEPT' | 'PARTIALLY_KEPT' | 'BROKEN' | 'CANCELLED';
  n: number;
  promised: string;
  paid: string;
  late_days: number;
  paid_count: number;
  missing: string[] | null;
}

export async function promiseReport(ctx: RequestContext, args: PromiseArgs): Promise<PromiseReport> {
  const filter = await checkedFilter(ctx, args.filter);
  const groupBy = checkedGroupBy(args.groupBy, GROUPINGS, 'promises');
  const rows = await readPromises(ctx, filter, groupBy);
  const missing = [...new Set(rows.flatMap((r) => r.missing ?? []))].sort();
  if (missing.length)
    throw new AnalyticsFxRateMissingError(
      filter.currency,
      missing.map((from) => ({ from, on: filter.to })),
    );
  const grouped = await groupsOf(
    ctx,
    groupBy,
    rows.map((r) => r.dim),
    args.first,
    (dim) => figuresOf(rows.filter((r) => r.dim === dim)),
  );
  return { currency: filter.currency, asOf: filter.to, groupBy, rows: grouped.rows.map((g) => ({ group: g.group, ...g.value })), totalGroups: grouped.total };
}

/** Per group and status at the period's end: promises, amounts (promised, paid towards them by their deadline, at most the promise) and days late. */
async function readPromises(ctx: RequestContext, f: Filter, groupBy: AnalyticsGroupByEnum | null): Promise<Row[]> {
  const p = new Params();
  const resp = responsibilityCte(p, f, { withSpecialist: true, companyCodeBySegment: false });
  const from = p.add(f.from, 'date');
  const asOf = p.add(f.to, 'date');
  const currency = p.add(f.currency, 'text');
  const judged = promiseStatusSql(asOf, `q.created_date >= ${from}`, (parts) => [
    'q.id',
    'q.partner_id',
    'q.level',
    'q.amount',
    'q.currency',
    'q.promised_date',
    'min(it.company_code) AS company_code',
    'min(it.profit_center) AS profit_center',
    `${parts.paid} AS paid`,
    `${parts.status} AS status`,
    // The last payment counted towards the promise: how late it was kept (or partly kept).
    'max(y.payment_date) AS last_paid_on',
  ]);
  const dim = groupExpression(groupBy, { [AnalyticsGroupByEnum.LEVEL]: 'i.level', [AnalyticsGroupByEnum.CURRENCY]: 'i.currency' });
  const sql = `WITH ${resp},
  judged AS (${judged}),
  x AS (SELECT i.*, ${dim} AS dim FROM judged i JOIN resp r ON r.partner_id = i.partner_id WHERE ${companyCodeCondition(p, f, 'i.company_code')}),
  rates AS MATERIALIZED (SELECT c.currency, ${rateSql('c.currency', currency, asOf)} AS rate FROM (SELECT DISTINCT currency FROM x) c)
  SELECT x.dim, x.status, count(*)::int AS n,
         round(sum(x.amount * r.rate), 4)::text AS promised,
         round(sum(least(x.paid, x.amount) * r.rate), 4)::text AS paid,
         coalesce(sum(greatest(0, x.last_paid_on - x.promised_date)) FILTER (WHERE x.status IN ('KEPT', 'PARTIALLY_KEPT') AND x.last_paid_on IS NOT NULL), 0)::int AS late_days,
         count(*) FILTER (WHERE x.status IN ('KEPT', 'PARTIALLY_KEPT') AND x.last_paid_on IS NOT NULL)::int AS paid_count,
         array_agg(DISTINCT x.currency::text) FILTER (WHERE r.rate IS NULL) AS missing
    FROM x JOIN rates r ON r.currency = x.currency
   GROUP BY x.dim, x.status`;
  return readRows(ctx, sql, p.values, { indexLookups: true });
}

function figuresOf(rows: Row[]): Omit<PromiseFigures, 'group'> {
  const outcome = (...statuses: Row['status'][]): PromiseOutcome => {
    const of = rows.filter((r) => statuses.includes(r.status));
    return { count: of.reduce((n, r) => n + r.n, 0), amount: sum(of.map((r) => r.promised)) };
  };
  const valid = rows.filter((r) => r.status !== 'CANCELLED');
  const kept = outcome('KEPT');
  const judged = outcome('KEPT', 'PARTIALLY_KEPT', 'BROKEN');
  const lateDays = rows.reduce((n, r) => n + r.late_days, 0);
  const paidCount = rows.reduce((n, r) => n + r.paid_count, 0);
  return {
    made: outcome('OPEN', 'KEPT', 'PARTIALLY_KEPT', 'BROKEN', 'CANCELLED'),
    kept,
    partiallyKept: outcome('PARTIALLY_KEPT'),
    broken: outcome('BROKEN'),
    open: outcome('OPEN'),
    cancelled: outcome('CANCELLED'),
    promisedAmount: valid.length ? sum(valid.map((r) => r.promised)) : ZERO,
    paidAmount: valid.length ? sum(valid.map((r) => r.paid)) : ZERO,
    keptPercent: percentOf(kept.count, judged.count),
    averageDaysLate: decimal({ num: BigInt(lateDays), den: BigInt(paidCount) }),
  };
}
