/**
 * The kept worklist figures (analytics_worklist_runs, migration AnalyticsWorklistRuns): the
 * worklist report's inputs per counted run (its key date the `day`) by band, the item's specialist
 * and the partner's responsibility, with the run's currency: what was on the list and how soon it
 * was worked, as analytics-worklists.ts counts them from the mirror.
 */
import type { EntityManager } from 'typeorm';
import { respSource, type DailyAggregate, type RespSource } from './analytics-snapshot-sql';

/** Days from the key date within which work counts (day 1 is the key date), as the report's. */
export const WORKED_WITHIN_DAYS = [1, 3, 7] as const;
export const WORK_KINDS = ['worked', 'contacted', 'promised', 'disputed', 'resubmitted'] as const;
const HORIZON = Math.max(...WORKED_WITHIN_DAYS);

/** The within-N counters, in the table's order: worked_1, worked_3, worked_7, contacted_1, ... */
const WITHIN = WORK_KINDS.flatMap((kind) => WORKED_WITHIN_DAYS.map((n) => ({ kind, n, column: `${kind}_${n}` })));
export const WITHIN_COLUMNS = WITHIN.map((c) => c.column);

/**
 * Adds `sign` x the figures of the counted runs keyed `from` (null: any day)..`to`, of the
 * partners `partners` (null: all), counted under `source`. The work is read for the items'
 * partners from the first key date to the last one's horizon.
 */
async function insertWorklists(m: EntityManager, from: string | null, to: string, partners: string[] | null, sign: 1 | -1, source: RespSource): Promise<void> {
  const partnerIs = (column: string) => `($7::bigint[] IS NULL OR ${column} = ANY ($7::bigint[]))`;
  const counters = WITHIN.map((c) => `$8::int * count(*) FILTER (WHERE x.${c.kind} < ${c.n})`);
  await m.query(
    `INSERT INTO analytics_worklist_runs (day, run_id, run_segment, currency, priority, specialist_id, segment, group_key, strategy_key,
        partners, amount, completed, reassigned, ${WITHIN_COLUMNS.join(', ')})
     WITH ${respSource(source)},
     runs AS MATERIALIZED (SELECT r.id, r.segment_key, r.as_of, coalesce(r.currency, s.currency) AS currency
         FROM worklist_runs r JOIN collection_segments s ON s.key = r.segment_key
        WHERE r.mode = 'LIVE' AND r.status = 'SUCCEEDED' AND r.items_dropped_at IS NULL AND ($5::date IS NULL OR r.as_of >= $5) AND r.as_of <= $6),
     wi AS MATERIALIZED (SELECT w.run_id, w.partner_id, w.priority, w.amount_to_be_collected AS amount, w.completed_at IS NOT NULL AS completed,
           w.specialist_origin = 'TEMPORARY' AS reassigned, w.specialist_id, ru.segment_key, ru.as_of, ru.currency, r.segment, r.group_key, r.strategy_key
         FROM worklist_items w JOIN runs ru ON ru.id = w.run_id JOIN resp r ON r.partner_id = w.partner_id
        WHERE ${partnerIs('w.partner_id')}),
     span AS (SELECT min(as_of) AS lo, max(as_of) + ${HORIZON - 1} AS hi FROM wi),
     acts AS (SELECT partner_id, contact_date AS d, 'contacted' AS kind FROM contacts, span WHERE contact_date BETWEEN lo AND hi AND ${partnerIs('partner_id')}
         UNION ALL SELECT partner_id, created_date, 'promised' FROM promises, span WHERE created_date BETWEEN lo AND hi AND ${partnerIs('partner_id')}
         UNION ALL SELECT partner_id, created_date, 'disputed' FROM disputes, span WHERE created_date BETWEEN lo AND hi AND ${partnerIs('partner_id')}
         UNION ALL SELECT partner_id, created_at::date, 'resubmitted' FROM resubmissions, span
           WHERE created_at::date BETWEEN lo AND hi AND ${partnerIs('partner_id')}),
     ${firstWorkCtes(HORIZON)}
     SELECT x.as_of, x.run_id, x.segment_key, x.currency, x.priority, x.specialist_id, x.segment, x.group_key, x.strategy_key,
            $8::int * count(*), $8::int * sum(x.amount), $8::int * count(*) FILTER (WHERE x.completed), $8::int * count(*) FILTER (WHERE x.reassigned),
            ${counters.join(', ')}
       FROM x
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    [null, null, null, null, from, to, partners, sign],
  );
}

export const WORKLIST_RUNS: DailyAggregate = { table: 'analytics_worklist_runs', ownStaleness: true, insert: insertWorklists };

/**
 * The CTEs `firsts` and `x` over `wi` (run items with run_id, partner_id, as_of) and `acts`
 * (partner_id, day d, kind): each item with the days from its run's key date to each kind of
 * work first done within the horizon (0: on the key date), as the report and the kept figures
 * count it alike.
 */
export function firstWorkCtes(horizon: string | number): string {
  return `-- Days from the key date to each kind of work first done (0: on the key date).
     firsts AS (SELECT wi.run_id, wi.partner_id,
           min(a.d - wi.as_of) FILTER (WHERE a.kind = 'contacted') AS contacted, min(a.d - wi.as_of) FILTER (WHERE a.kind = 'promised') AS promised,
           min(a.d - wi.as_of) FILTER (WHERE a.kind = 'disputed') AS disputed, min(a.d - wi.as_of) FILTER (WHERE a.kind = 'resubmitted') AS resubmitted,
           min(a.d - wi.as_of) AS worked
         FROM wi JOIN acts a ON a.partner_id = wi.partner_id AND a.d >= wi.as_of AND a.d < wi.as_of + ${horizon}
        GROUP BY wi.run_id, wi.partner_id),
     x AS (SELECT wi.*, f.contacted, f.promised, f.disputed, f.resubmitted, f.worked FROM wi LEFT JOIN firsts f ON f.run_id = wi.run_id AND f.partner_id = wi.partner_id)`;
}
