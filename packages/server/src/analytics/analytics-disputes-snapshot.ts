/**
 * The dispute report's events from the daily snapshots (analytics_daily_disputes) instead of the
 * mirror: the same events, summed per currency and day before they are converted. Used when the
 * snapshots cover the report's days (`disputeSnapshotUse`); they hold every day up to the last
 * built one, so the disputes open at a bucket's end are those opened minus those closed up to it.
 */
import type { RequestContext } from '../graphql/context';
import { addDays, type Filter, type TimeBucket } from './analytics.filter';
import type { Params } from './analytics.sql';
import { AnalyticsGroupByEnum } from './analytics.types';
import { snapshotConditions, snapshotGroupExpression } from './analytics-kpis-snapshot';
import { covers, readableSnapshotState } from './analytics-snapshots';

/** Whether the report's days can be read from the snapshots (partners noted as moved are moved first). */
export async function disputeSnapshotUse(ctx: RequestContext, buckets: TimeBucket[]): Promise<boolean> {
  return covers(await readableSnapshotState(ctx.db), buckets[0]!.start, buckets.at(-1)!.end, false);
}

/**
 * The `events` CTE (with the CTEs it reads) as the mirror's: kind opened / resolved / open, its
 * date d, currency, count n, amount, days to resolve, resolution, root cause and group dim; one
 * event per currency, date and group (and resolution and root cause) instead of per dispute.
 * Amounts net to zero where a partner moved out of a group: only events with a count are kept.
 */
export function snapshotDisputeEvents(p: Params, f: Filter, groupBy: AnalyticsGroupByEnum | null, buckets: TimeBucket[]): string {
  const first = p.add(buckets[0]!.start, 'date');
  const last = p.add(buckets.at(-1)!.end, 'date');
  const ends = p.add(
    buckets.map((b) => b.end),
    'date[]',
  );
  // width_bucket over the days after the ends: how many ends are before a day (+ 1: the first bucket whose end it is up to).
  const afterEnds = p.add(
    buckets.map((b) => addDays(b.end, 1)),
    'date[]',
  );
  const dim = groupBy === AnalyticsGroupByEnum.CURRENCY ? 's.currency::text' : snapshotGroupExpression(groupBy);
  return `daily AS MATERIALIZED (SELECT s.kind, s.day, s.closed_on, s.currency, ${dim} AS dim, s.resolution, s.root_cause, s.n, s.amount, s.days
      FROM analytics_daily_disputes s WHERE s.day <= ${last} AND ${snapshotConditions(p, f)}),
  net AS (SELECT currency, dim, width_bucket(day, ${afterEnds}) + 1 AS k, sum(CASE kind WHEN 'O' THEN n ELSE -n END) AS n,
        sum(CASE kind WHEN 'O' THEN amount ELSE -amount END) AS amount
      FROM daily GROUP BY 1, 2, 3),
  events AS (
    SELECT 'opened' AS kind, day AS d, currency, sum(n)::int AS n, sum(amount) AS amount, NULL::int AS days, NULL::text AS resolution, NULL::text AS root_cause, dim
      FROM daily WHERE kind = 'O' AND day >= ${first} GROUP BY day, currency, dim HAVING sum(n) <> 0
    UNION ALL
    SELECT 'resolved', closed_on, currency, sum(n)::int, sum(amount), sum(days)::int, coalesce(resolution, 'NONE'), coalesce(root_cause, 'NONE'), dim
      FROM daily WHERE kind = 'C' AND closed_on >= ${first} GROUP BY closed_on, currency, dim, resolution, root_cause HAVING sum(n) <> 0
    UNION ALL
    SELECT 'open', e.d, x.currency, sum(x.n)::int, sum(x.amount), NULL, NULL, NULL, x.dim
      FROM net x JOIN unnest(${ends}) WITH ORDINALITY AS e(d, k) ON x.k <= e.k GROUP BY e.d, x.currency, x.dim HAVING sum(x.n) <> 0)`;
}
