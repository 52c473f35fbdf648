/**
 * Promise effectiveness (DESIGN.md): the promises made in the period, each judged at the period's
 * last day by the one promise-status rule (promises/), counted and summed per outcome and group,
 * with promised vs paid amount and days late. The promises judged for good by then are read from
 * the daily promises of the analytics snapshots (analytics-snapshot-promises.ts) when they cover
 * the period, else (or with `source` MIRROR) every promise is judged from the mirror.
 */
import type { RequestContext } from '../graphql/context';
import { promiseStatusSql } from '../promises';
import { AnalyticsFxRateMissingError } from './analytics.errors';
import { decimal, percentOf, sum, ZERO } from './analytics.figures';
import { checkedFilter, checkedGroupBy, type Filter } from './analytics.filter';
import { groupsOf } from './analytics.groups';
import { companyCodeCondition, groupExpression, Params, rateSql, readRows, responsibilityCte, specialistCondition } from './analytics.sql';
import { MAX_TOLERANCE_SQL, PROMISE_SPAN_SQL } from './analytics-snapshot-promises';
import { covers, readableSnapshotState } from './analytics-snapshots';
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
  /** Not in the schema: MIRROR reads the mirror even where the snapshots are current (to compare them). */
  source?: 'AUTO' | 'MIRROR';
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
  const filter = await checkedFilter(ctx, args.filter, args.source);
  const groupBy = checkedGroupBy(args.groupBy, GROUPINGS, 'promises');
  const fromSnapshots = args.source !== 'MIRROR' && (await snapshotsCover(ctx, filter));
  const rows = await readPromises(ctx, filter, groupBy, fromSnapshots);
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

/** Which figures `promiseReport` would read from the daily snapshots for these arguments (the benchmark prints them): all or none. */
export async function promiseSnapshotFigures(ctx: RequestContext, args: PromiseArgs): Promise<string[]> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  if (args.source === 'MIRROR' || !(await snapshotsCover(ctx, filter))) return [];
  return ['promises judged final by the period end (daily promises; those still open, cancelled later or paid in another currency judged from the mirror)'];
}

/** Whether the snapshots cover the period's days, after moving the partners noted as moved. */
async function snapshotsCover(ctx: RequestContext, f: Filter): Promise<boolean> {
  return covers(await readableSnapshotState(ctx.db), f.from, f.to, false);
}

/**
 * Per group and status at the period's end: promises, amounts (promised, paid towards them by
 * their deadline, at most the promise) and days late. From the mirror, every promise made in the
 * period judged at its end; `fromSnapshots`: the daily promises of those judged for good by then
 * (analytics-snapshot-promises.ts), and from the mirror only the others (`pending`).
 */
async function readPromises(ctx: RequestContext, f: Filter, groupBy: AnalyticsGroupByEnum | null, fromSnapshots: boolean): Promise<Row[]> {
  const p = new Params();
  const from = p.add(f.from, 'date');
  const asOf = p.add(f.to, 'date');
  const currency = p.add(f.currency, 'text');
  const kept = fromSnapshots ? keptCtes(p, f, groupBy, from, asOf) : null;
  // With the snapshots, the responsibility of the pending promises' partners only (lookups, not every partner).
  const partnerCondition = kept ? `${f.storedResponsibility ? 's.partner_id' : 'p.id'} IN (SELECT partner_id FROM pending)` : undefined;
  const resp = responsibilityCte(p, f, { withSpecialist: true, companyCodeBySegment: false, partnerCondition });
  const judged = promiseStatusSql(asOf, kept ? `q.created_date >= ${from} AND q.id IN (SELECT id FROM pending)` : `q.created_date >= ${from}`, (parts) => [
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
    // Not judged for good at D: its deadline or its cancellation is not past.
    `(q.promised_date + ${parts.toleranceDays} >= ${asOf} OR ${cancelledAfter('q', asOf)}) AS unsettled`,
  ]);
  const dim = groupExpression(groupBy, { [AnalyticsGroupByEnum.LEVEL]: 'i.level', [AnalyticsGroupByEnum.CURRENCY]: 'i.currency' });
  // The mirror's promises (with the snapshots: the unsettled ones and those paid in another currency).
  const own = kept ? ' AND (i.unsettled OR i.id IN (SELECT promise_id FROM foreign_paid))' : '';
  const late = `x.status IN ('KEPT', 'PARTIALLY_KEPT') AND x.last_paid_on IS NOT NULL`;
  const sql = `WITH ${kept ? `${kept},\n  ` : ''}${resp},
  judged AS (${judged}),
  x AS (SELECT i.*, ${dim} AS dim FROM judged i JOIN resp r ON r.partner_id = i.partner_id WHERE ${companyCodeCondition(p, f, 'i.company_code')}${own}),
  counted AS (SELECT x.dim, x.status, x.currency, 1 AS n, x.amount AS promised, least(x.paid, x.amount) AS paid,
        CASE WHEN ${late} THEN greatest(0, x.last_paid_on - x.promised_date) ELSE 0 END AS late_days, CASE WHEN ${late} THEN 1 ELSE 0 END AS paid_count
      FROM x${kept ? '\n    UNION ALL SELECT * FROM kept' : ''}),
  rates AS MATERIALIZED (SELECT c.currency, ${rateSql('c.currency', currency, asOf)} AS rate FROM (SELECT DISTINCT currency FROM counted) c)
  SELECT x.dim, x.status, sum(x.n)::int AS n,
         round(sum(x.promised * r.rate), 4)::text AS promised,
         round(sum(x.paid * r.rate), 4)::text AS paid,
         sum(x.late_days)::int AS late_days,
         sum(x.paid_count)::int AS paid_count,
         array_agg(DISTINCT x.currency::text) FILTER (WHERE r.rate IS NULL) AS missing
    FROM counted x JOIN rates r ON r.currency = x.currency
   GROUP BY x.dim, x.status`;
  return readRows(ctx, sql, p.values, { indexLookups: true });
}

/** Promise q counts as cancelled at D only from a later day: its judgement is not final at D. */
const cancelledAfter = (q: string, asOf: string) => `(${q}.cancelled AND ${q}.cancelled_date > ${asOf})`;

/**
 * The CTEs reading the daily promises for a report at D (`asOf`): `kept`, the rows of the
 * promises made in the period and judged for good by D, per group, status and currency (rows a
 * moved partner left net to zero: dropped); `foreign_paid`, those among them paid in another
 * currency (to judge at D); `pending`, the candidates the mirror judges: these, and the promises
 * whose span meets D's tolerance window (an index lookup; `unsettled` then tells them exactly).
 */
function keptCtes(p: Params, f: Filter, groupBy: AnalyticsGroupByEnum | null, from: string, asOf: string): string {
  const dim = groupBy === null ? 'NULL::text' : SNAPSHOT_GROUP[groupBy]!;
  const days = `s.made_on BETWEEN ${from} AND ${asOf} AND s.day <= ${asOf}`;
  return `kept AS (SELECT ${dim} AS dim, s.status, s.currency, sum(s.n) AS n, sum(s.promised) AS promised, sum(s.paid) AS paid,
        sum(s.late_days) AS late_days, sum(s.paid_count) AS paid_count
      FROM analytics_daily_promises s
     WHERE ${days} AND s.promise_id IS NULL AND ${snapshotConditions(p, f)}
     GROUP BY 1, 2, 3 HAVING sum(s.n) <> 0),
  foreign_paid AS (SELECT s.promise_id FROM analytics_daily_promises s WHERE ${days} AND s.promise_id IS NOT NULL GROUP BY s.promise_id HAVING sum(s.n) > 0),
  pending AS (SELECT q.id, q.partner_id FROM promises q
     WHERE ${PROMISE_SPAN_SQL('q')} && daterange(${asOf} - ${MAX_TOLERANCE_SQL}, ${asOf}, '[]') AND q.created_date BETWEEN ${from} AND ${asOf}
    UNION SELECT q.id, q.partner_id FROM promises q WHERE q.id IN (SELECT promise_id FROM foreign_paid))`;
}

/** A daily promises row's column for each grouping. */
const SNAPSHOT_GROUP: Partial<Record<AnalyticsGroupByEnum, string>> = {
  [AnalyticsGroupByEnum.SPECIALIST]: 's.specialist_id::text',
  [AnalyticsGroupByEnum.GROUP]: 's.group_key::text',
  [AnalyticsGroupByEnum.LEVEL]: 's.level::text',
  [AnalyticsGroupByEnum.SEGMENT]: 's.segment::text',
  [AnalyticsGroupByEnum.STRATEGY]: 's.strategy_key::text',
  [AnalyticsGroupByEnum.COMPANY_CODE]: 's.company_code::text',
  [AnalyticsGroupByEnum.PROFIT_CENTER]: 's.profit_center::text',
  [AnalyticsGroupByEnum.CURRENCY]: 's.currency::text',
};

/** The filter and the caller's scope on daily promises rows s, as responsibilityCte (with the specialist) and the item's company code apply them. */
function snapshotConditions(p: Params, f: Filter): string {
  const segment = p.add(f.segment, 'text');
  const group = p.add(f.group, 'text');
  const strategy = p.add(f.strategy, 'text');
  const groups = p.add(f.scope.groupKeys, 'text[]');
  return [
    `(${segment} IS NULL OR s.segment = ${segment})`,
    `(${group} IS NULL OR s.group_key = ${group})`,
    `(${strategy} IS NULL OR s.strategy_key = ${strategy})`,
    `(${groups} IS NULL OR s.group_key = ANY (${groups}))`,
    specialistCondition(p, f, 's.specialist_id'),
    companyCodeCondition(p, f, 's.company_code'),
  ].join(' AND ');
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
