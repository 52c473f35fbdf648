/**
 * The daily disputes (analytics_daily_disputes, migration AnalyticsDailyDisputes): disputes opened
 * and closed per day by the responsibility's dimensions and their item's company code and profit
 * centre, the dispute report's inputs. Closed as the report dates it (analytics-disputes.ts): on
 * the date of the latest status change when that is a closing one; without history, on the date
 * the dispute's status last changed.
 */
import type { EntityManager } from 'typeorm';
import { respSource, type DailyAggregate, type RespSource } from './analytics-snapshot-sql';

export const CLOSED_STATUSES = `('RESOLVED', 'REJECTED', 'CLOSED')`;

/**
 * Adds `sign` x the disputes created (kind 'O', by created date) and closed (kind 'C', by the
 * later of created and closing date, with the closing date, resolution, root cause and days to
 * close) of the days `from` (null: all)..`to`.
 */
async function insertDisputes(m: EntityManager, from: string | null, to: string, partners: string[] | null, sign: 1 | -1, source: RespSource): Promise<void> {
  await m.query(
    `INSERT INTO analytics_daily_disputes (day, kind, company_code, profit_center, segment, group_key, strategy_key, specialist_id, currency,
        resolution, root_cause, closed_on, n, amount, days)
     WITH ${respSource(source)},
     ds AS MATERIALIZED (SELECT d.id, d.partner_id, d.item_id, d.currency, d.disputed_amount, d.created_date, d.resolution, d.root_cause, d.status, d.status_changed_at
        FROM disputes d WHERE d.created_date <= $6 AND ($7::bigint[] IS NULL OR d.partner_id = ANY ($7::bigint[]))),
     latest AS (SELECT DISTINCT ON (c.dispute_id) c.dispute_id, c.changed_on, c.status FROM dispute_status_changes c
        WHERE c.dispute_id IN (SELECT id FROM ds) ORDER BY c.dispute_id, c.changed_on DESC),
     closed AS (SELECT ds.*, CASE WHEN h.dispute_id IS NOT NULL THEN CASE WHEN h.status IN ${CLOSED_STATUSES} THEN h.changed_on END
             WHEN ds.status IN ${CLOSED_STATUSES} THEN coalesce(ds.status_changed_at::date, ds.created_date) END AS closed_on
        FROM ds LEFT JOIN latest h ON h.dispute_id = ds.id),
     events AS (SELECT created_date AS day, 'O' AS kind, partner_id, item_id, currency, NULL::text AS resolution, NULL::text AS root_cause,
          NULL::date AS closed_on, disputed_amount, 0 AS days
        FROM closed
      UNION ALL
      SELECT greatest(created_date, closed_on), 'C', partner_id, item_id, currency, resolution, root_cause, closed_on, disputed_amount, closed_on - created_date
        FROM closed WHERE closed_on IS NOT NULL)
     SELECT x.day, x.kind, i.company_code, i.profit_center, r.segment, r.group_key, r.strategy_key, r.specialist_id, x.currency,
            x.resolution, x.root_cause, x.closed_on, $8::int * count(*)::int, $8::int * sum(x.disputed_amount), $8::int * sum(x.days)::int
       FROM events x JOIN resp r ON r.partner_id = x.partner_id LEFT JOIN open_items i ON i.id = x.item_id
      WHERE ($5::date IS NULL OR x.day >= $5) AND x.day <= $6
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12`,
    [null, null, null, null, from, to, partners, sign],
  );
}

export const DAILY_DISPUTES: DailyAggregate = { table: 'analytics_daily_disputes', insert: insertDisputes };
