/**
 * The daily flows (analytics_daily_flows): sales and item payments per day by the
 * responsibility's dimensions, the KPI report's DSO, ADD and CEI inputs.
 */
import type { EntityManager } from 'typeorm';
import { respSource, type DailyAggregate, type RespSource } from './analytics-snapshot-sql';

/**
 * Adds `sign` x the sales (document amounts by document date) and item payments (by payment date,
 * with amount x days beyond terms) of the days `from` (null: all)..`to`.
 */
async function insertFlows(m: EntityManager, from: string | null, to: string, partners: string[] | null, sign: 1 | -1, source: RespSource): Promise<void> {
  const dims = `i.company_code, i.profit_center, r.segment, r.group_key, r.strategy_key, r.specialist_id`;
  await m.query(
    `INSERT INTO analytics_daily_flows (day, kind, company_code, profit_center, segment, group_key, strategy_key, specialist_id, currency, amount, weighted)
     WITH ${respSource(source)}
     SELECT i.document_date, 'S', ${dims}, i.currency, $8::int * sum(i.amount), 0
       FROM open_items i JOIN resp r ON r.partner_id = i.partner_id
      WHERE ($5::date IS NULL OR i.document_date >= $5) AND i.document_date <= $6 AND ($7::bigint[] IS NULL OR i.partner_id = ANY ($7::bigint[]))
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
     UNION ALL
     SELECT y.payment_date, 'P', ${dims}, y.currency, $8::int * sum(y.amount), $8::int * sum(y.amount * greatest(0, y.payment_date - i.due_date))
       FROM payments y JOIN open_items i ON i.id = y.item_id JOIN resp r ON r.partner_id = i.partner_id
      WHERE y.item_id IS NOT NULL AND ($5::date IS NULL OR y.payment_date >= $5) AND y.payment_date <= $6
        AND ($7::bigint[] IS NULL OR i.partner_id = ANY ($7::bigint[]))
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    [null, null, null, null, from, to, partners, sign],
  );
}

export const DAILY_FLOWS: DailyAggregate = { table: 'analytics_daily_flows', insert: insertFlows };
