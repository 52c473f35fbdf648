/**
 * KPIs over time (DESIGN.md "Outcomes and analytics"): receivables at each bucket boundary as the
 * AR stood then (point in time), sales and item payments in each bucket, and from them DSO
 * (average and count-back), ADD, CEI and roll rates per ageing bucket, in the reporting currency.
 */
import { agingBuckets } from '@recoup/rules';
import type { RequestContext } from '../graphql/context';
import { AnalyticsFxRateMissingError, AnalyticsInputError } from './analytics.errors';
import { decimal, ratioOf, sum, unitsOf, ZERO } from './analytics.figures';
import { addDays, checkedFilter, checkedGroupBy, timeBuckets, unitsBefore, type Filter, type TimeBucket } from './analytics.filter';
import { groupsOf, type Grouped } from './analytics.groups';
import { kpiSnapshotUse, readSnapshotFlows, readSnapshotPositions } from './analytics-kpis-snapshot';
import { companyCodeCondition, groupExpression, Params, rateSql, readRows, responsibilityCte } from './analytics.sql';
import { AnalyticsGranularityEnum, AnalyticsGroupByEnum, type AnalyticsFilter, type KpiBucket, type KpiReport, type RollRate } from './analytics.types';

const GROUPINGS = [
  AnalyticsGroupByEnum.COMPANY_CODE,
  AnalyticsGroupByEnum.SEGMENT,
  AnalyticsGroupByEnum.GROUP,
  AnalyticsGroupByEnum.SPECIALIST,
  AnalyticsGroupByEnum.STRATEGY,
  AnalyticsGroupByEnum.PROFIT_CENTER,
];
/** How far count-back DSO looks for sales before the bucket. */
const COUNT_BACK_UNITS: Record<AnalyticsGranularityEnum, number> = { MONTH: 24, WEEK: 104 };
export const DEFAULT_AGEING_LIMITS = [0, 30, 60, 90];

export interface KpiArgs {
  filter: AnalyticsFilter;
  granularity?: AnalyticsGranularityEnum | null;
  groupBy?: AnalyticsGroupByEnum | null;
  ageingLimits?: number[] | null;
  first?: number | null;
  /** Not in the schema: MIRROR reads the mirror even where the snapshots are current (to compare them). */
  source?: 'AUTO' | 'MIRROR';
}

interface PositionRow {
  kind: 'held' | 'rolled';
  k: number;
  dim: string | null;
  b: number;
  amount: string;
  missing: string[] | null;
  on_date: string;
}

interface FlowRow {
  kind: 'sales' | 'paid';
  u: number;
  dim: string | null;
  amount: string;
  weighted: string;
  missing: string[] | null;
}

export async function kpiReport(ctx: RequestContext, args: KpiArgs): Promise<KpiReport> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  const groupBy = checkedGroupBy(args.groupBy, GROUPINGS, 'kpis');
  const granularity = args.granularity ?? AnalyticsGranularityEnum.MONTH;
  const limits = checkedAgeingLimits(args.ageingLimits ?? DEFAULT_AGEING_LIMITS);
  const buckets = timeBuckets(filter.from, filter.to, granularity);
  const lookback = unitsBefore(buckets[0]!.start, COUNT_BACK_UNITS[granularity], granularity);
  const boundaries = [addDays(buckets[0]!.start, -1), ...buckets.map((b) => b.end)];
  const units = [...lookback, ...buckets];
  const fromSnapshots = args.source !== 'MIRROR' && (await kpiSnapshotUse(ctx, boundaries, units, limits));
  const positions = fromSnapshots
    ? await readSnapshotPositions<PositionRow>(ctx, filter, groupBy, boundaries, limits)
    : await readPositions(ctx, filter, groupBy, boundaries, limits);
  const flows = fromSnapshots
    ? await readSnapshotFlows<FlowRow>(ctx, filter, groupBy, units, buckets[0]!.start)
    : await readFlows(ctx, filter, groupBy, units, buckets[0]!.start);
  throwOnMissingRates(filter.currency, positions, flows);
  const labels = agingBuckets(limits).map((b) => b.label);
  const dims = new Set<string | null>([...positions.map((r) => r.dim), ...flows.map((r) => r.dim)]);
  if (groupBy === null) dims.add(null);
  const grouped: Grouped<KpiBucket[]> = await groupsOf(ctx, groupBy, [...dims], args.first, (dim) =>
    seriesOf(
      positions.filter((r) => r.dim === dim),
      flows.filter((r) => r.dim === dim),
      [...lookback, ...buckets],
      lookback.length,
      labels,
    ),
  );
  return {
    currency: filter.currency,
    granularity,
    groupBy,
    ageingBuckets: labels,
    series: grouped.rows.map((g) => ({ group: g.group, buckets: g.value })),
    totalGroups: grouped.total,
  };
}

/**
 * Which of the report's figures `kpiReport` would read from the daily snapshots for these
 * arguments (the benchmark prints them): all of them or none.
 */
export async function kpiSnapshotFigures(ctx: RequestContext, args: KpiArgs): Promise<string[]> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  const granularity = args.granularity ?? AnalyticsGranularityEnum.MONTH;
  const limits = checkedAgeingLimits(args.ageingLimits ?? DEFAULT_AGEING_LIMITS);
  const buckets = timeBuckets(filter.from, filter.to, granularity);
  const lookback = unitsBefore(buckets[0]!.start, COUNT_BACK_UNITS[granularity], granularity);
  const boundaries = [addDays(buckets[0]!.start, -1), ...buckets.map((b) => b.end)];
  if (args.source === 'MIRROR' || !(await kpiSnapshotUse(ctx, boundaries, [...lookback, ...buckets], limits))) return [];
  return ['receivables, ageing and roll rates (daily positions)', 'sales and payments: DSO, ADD, CEI (daily flows)'];
}

export function checkedAgeingLimits(limits: number[]): number[] {
  const ok = limits.length >= 1 && limits.length <= 12 && limits.every((l, i) => Number.isInteger(l) && l >= 0 && l <= 3650 && (i === 0 || l > limits[i - 1]!));
  if (!ok)
    throw new AnalyticsInputError('BAD_ARGUMENT', 'ageingLimits must be 1-12 increasing whole days from 0 to 3650, e.g. [0, 30, 60, 90]', 'ageingLimits');
  return limits;
}

/**
 * Open amounts at each boundary date d_k (k = 0: the day before the first bucket) by ageing
 * bucket ("held"), and per bucket the open amount at its end of the items that moved from
 * ageing bucket b at its start to b + 1 at its end ("rolled"), converted at the date.
 *
 * An item's open amount at D is its open amount today plus its payments dated after D (at most
 * its amount: DESIGN.md "Point in time"). Both parts are summed per document date, due date,
 * currency and group before they meet the boundaries (a payment carries m, the number of
 * boundaries it is after), so the work grows with those combinations, not with items x dates.
 * The ageing bucket depends on the due date alone, and an amount open at the end was open at the
 * start, so roll rates need no item either. Items whose payments would lift them above their
 * amount (the cap binds) are computed one by one.
 */
async function readPositions(
  ctx: RequestContext,
  f: Filter,
  groupBy: AnalyticsGroupByEnum | null,
  boundaries: string[],
  limits: number[],
): Promise<PositionRow[]> {
  const p = new Params();
  const resp = responsibilityCte(p, f, { withSpecialist: true, companyCodeBySegment: false });
  const dates = p.add(boundaries, 'date[]');
  const first = p.add(boundaries[0], 'date');
  const last = p.add(boundaries.at(-1), 'date');
  const always = p.add(boundaries.length, 'int');
  // width_bucket counts the thresholds <= days overdue: with limit + 1 as threshold, bucket b holds days in (l(b-1), l(b)].
  const thresholds = p.add(
    limits.map((l) => l + 1),
    'int[]',
  );
  const currency = p.add(f.currency, 'text');
  const sql = `WITH ${resp},
  dates AS (SELECT t.d::date AS d, (t.k - 1)::int AS k FROM unnest(${dates}) WITH ORDINALITY AS t(d, k)),
  items AS MATERIALIZED (SELECT i.id, i.currency, i.amount, i.open_amount, i.document_date, i.due_date, ${groupExpression(groupBy)} AS dim
      FROM open_items i JOIN resp r ON r.partner_id = i.partner_id
     WHERE i.document_date <= ${last} AND ${companyCodeCondition(p, f, 'i.company_code')}),
  -- Each payment after d_0 with its item; m: how many boundaries it is after (it was still to pay at boundaries k < m).
  paid AS MATERIALIZED (SELECT i.id, i.document_date, i.due_date, i.currency, i.dim, i.amount AS item_amount, i.open_amount,
        width_bucket(y.payment_date - 1, ${dates}) AS m, y.amount
      FROM payments y JOIN items i ON i.id = y.item_id AND i.currency = y.currency
     WHERE y.payment_date > ${first}),
  capped AS (SELECT y.id FROM paid y GROUP BY y.id HAVING min(y.open_amount) + sum(y.amount) > min(y.item_amount)),
  pieces AS (SELECT i.document_date, i.due_date, i.currency, i.dim, ${always} AS m, sum(i.open_amount) AS amount
      FROM items i WHERE i.open_amount <> 0 AND i.id NOT IN (SELECT id FROM capped) GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT y.document_date, y.due_date, y.currency, y.dim, y.m, sum(y.amount)
      FROM paid y WHERE y.id NOT IN (SELECT id FROM capped) GROUP BY 1, 2, 3, 4, 5),
  exact AS (SELECT dt.k, i.document_date, i.due_date, i.currency, i.dim,
        least(i.amount, i.open_amount + coalesce(sum(y.amount) FILTER (WHERE y.m > dt.k), 0)) AS amount
      FROM items i JOIN capped c ON c.id = i.id JOIN dates dt ON i.document_date <= dt.d LEFT JOIN paid y ON y.id = i.id
     GROUP BY dt.k, i.id, i.document_date, i.due_date, i.currency, i.dim, i.amount, i.open_amount),
  at_k AS (SELECT dt.k, x.document_date, x.due_date, x.currency, x.dim, sum(x.amount) AS amount
      FROM pieces x JOIN dates dt ON x.document_date <= dt.d AND dt.k < x.m GROUP BY 1, 2, 3, 4, 5
    UNION ALL SELECT * FROM exact),
  -- b: the ageing bucket at d_k; b_start: at the bucket's start d_(k-1), for amounts documented by then.
  marked AS (SELECT a.k, a.currency, a.dim, a.amount, width_bucket(dt.d - a.due_date, ${thresholds}) AS b,
        CASE WHEN a.document_date <= prev.d THEN width_bucket(prev.d - a.due_date, ${thresholds}) END AS b_start
      FROM at_k a JOIN dates dt ON dt.k = a.k LEFT JOIN dates prev ON prev.k = a.k - 1),
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

/**
 * Sales (document amounts) per unit, from the count-back look-back on, and item payments per
 * bucket with their amount x days beyond terms; each converted at its own date.
 */
async function readFlows(ctx: RequestContext, f: Filter, groupBy: AnalyticsGroupByEnum | null, units: TimeBucket[], periodStart: string): Promise<FlowRow[]> {
  const p = new Params();
  const resp = responsibilityCte(p, f, { withSpecialist: true, companyCodeBySegment: false });
  const salesFrom = p.add(units[0]!.start, 'date');
  const last = p.add(units.at(-1)!.end, 'date');
  const paidFrom = p.add(periodStart, 'date');
  const starts = p.add(
    units.map((u) => u.start),
    'date[]',
  );
  const currency = p.add(f.currency, 'text');
  const dim = groupExpression(groupBy);
  const sql = `WITH ${resp},
  sales AS (SELECT i.currency, i.document_date AS d, ${dim} AS dim, sum(i.amount) AS amount, 0::numeric AS weighted
      FROM open_items i JOIN resp r ON r.partner_id = i.partner_id
     WHERE i.document_date BETWEEN ${salesFrom} AND ${last} AND ${companyCodeCondition(p, f, 'i.company_code')} GROUP BY 1, 2, 3),
  paid AS (SELECT y.currency, y.payment_date AS d, ${dim} AS dim, sum(y.amount) AS amount,
        sum(y.amount * greatest(0, y.payment_date - i.due_date)) AS weighted
      FROM payments y JOIN open_items i ON i.id = y.item_id JOIN resp r ON r.partner_id = i.partner_id
     WHERE y.item_id IS NOT NULL AND y.payment_date BETWEEN ${paidFrom} AND ${last} AND ${companyCodeCondition(p, f, 'i.company_code')}
     GROUP BY 1, 2, 3),
  flows AS (SELECT 'sales' AS kind, * FROM sales UNION ALL SELECT 'paid' AS kind, * FROM paid),
  rates AS MATERIALIZED (SELECT c.currency, c.d, ${rateSql('c.currency', currency, 'c.d')} AS rate FROM (SELECT DISTINCT currency, d FROM flows) c)
  SELECT x.kind, width_bucket(x.d, ${starts}) AS u, x.dim, round(sum(x.amount * r.rate), 4)::text AS amount,
         round(sum(x.weighted * r.rate), 4)::text AS weighted,
         array_agg(DISTINCT x.currency::text || ' ' || x.d::text) FILTER (WHERE r.rate IS NULL) AS missing
    FROM flows x JOIN rates r ON r.currency = x.currency AND r.d = x.d
   GROUP BY 1, 2, 3`;
  return readRows(ctx, sql, p.values);
}

function throwOnMissingRates(currency: string, positions: PositionRow[], flows: FlowRow[]): void {
  const missing = new Map<string, string>();
  const note = (from: string, on: string) => {
    if (!missing.has(from) || missing.get(from)! > on) missing.set(from, on);
  };
  for (const r of positions) for (const from of r.missing ?? []) note(from, r.on_date);
  for (const r of flows) {
    for (const pair of r.missing ?? []) {
      const [from, on] = pair.split(' ');
      note(from!, on!);
    }
  }
  if (missing.size) {
    const pairs = [...missing].map(([from, on]) => ({ from, on })).sort((a, b) => a.on.localeCompare(b.on) || a.from.localeCompare(b.from));
    throw new AnalyticsFxRateMissingError(currency, pairs);
  }
}

/** One group's buckets from its rows; `units` are the look-back units then the buckets (flows' u is 1-based in it). */
function seriesOf(positions: PositionRow[], flows: FlowRow[], units: TimeBucket[], lookback: number, labels: string[]): KpiBucket[] {
  const held = (k: number, b: number) => positions.find((r) => r.kind === 'held' && r.k === k && r.b === b)?.amount ?? ZERO;
  const rolled = (k: number, b: number) => positions.find((r) => r.kind === 'rolled' && r.k === k && r.b === b)?.amount ?? ZERO;
  const heldAt = (k: number) => sum(labels.map((_, b) => held(k, b)));
  const flow = (kind: FlowRow['kind'], index: number) => flows.find((r) => r.kind === kind && r.u === index + 1);
  const sales = units.map((_, index) => flow('sales', index)?.amount ?? ZERO);
  return units.slice(lookback).map((bucket, j) => {
    const k = j + 1;
    const index = lookback + j;
    const opening = heldAt(k - 1);
    const closing = heldAt(k);
    const closingCurrent = held(k, 0);
    const paid = flow('paid', index);
    return {
      start: bucket.start,
      end: bucket.end,
      days: bucket.days,
      openingReceivables: opening,
      sales: sales[index]!,
      closingReceivables: closing,
      closingCurrent,
      dsoAverage: decimal({ num: unitsOf(closing) * BigInt(bucket.days), den: unitsOf(sales[index]) }),
      dsoCountBack: countBackDso(closing, sales.slice(0, index + 1), units.slice(0, index + 1)),
      add: paid ? ratioOf(paid.weighted, paid.amount) : null,
      cei: ratioOf(sum([opening, sales[index], negate(closing)]), sum([opening, sales[index], negate(closingCurrent)]), 100n),
      ageing: labels.map((label, b) => ({ bucket: label, amount: held(k, b) })),
      rollRates: labels.slice(0, -1).map((from, b): RollRate => ({
        from,
        to: labels[b + 1]!,
        startAmount: held(k - 1, b),
        rolledAmount: rolled(k, b),
        percent: ratioOf(rolled(k, b), held(k - 1, b), 100n),
      })),
    };
  });
}

/**
 * Count-back DSO: the receivables are absorbed by the latest unit's sales, then the one before…;
 * each unit fully absorbed counts its days, the last its share. Null when the units run out.
 */
function countBackDso(receivables: string, sales: string[], units: TimeBucket[]): string | null {
  let rest = unitsOf(receivables);
  if (rest <= 0n) return '0.00';
  let days = 0n;
  for (let i = units.length - 1; i >= 0; i--) {
    const s = unitsOf(sales[i]);
    const unitDays = BigInt(units[i]!.days);
    if (s > 0n && rest <= s) return decimal({ num: days * s + rest * unitDays, den: s });
    rest -= s > 0n ? s : 0n;
    days += unitDays;
  }
  return null;
}

function negate(amount: string | undefined): string {
  const a = amount ?? ZERO;
  return a.startsWith('-') ? a.slice(1) : `-${a}`;
}
