/**
 * The daily promises (analytics_daily_promises, migration AnalyticsDailyPromises): the promise
 * report's judgements that no longer change. Once a key date D is past a promise's deadline
 * (promised date + its item's company code's tolerance days) and past its cancellation, its status
 * at D, what was paid towards it and how late are the same at every later D, as long as it was
 * paid in its own currency only (a payment in another is converted at D's rate). Such a promise is
 * counted on the day its judgement becomes final (`day`, `finalOn`), by the day it was made and the
 * report's dimensions, in its own currency (the report converts at D's rate). One paid in another
 * currency is listed by id instead (`promise_id`, n = 1), for the report to judge it at D.
 */
import type { EntityManager } from 'typeorm';
import { respSource, type DailyAggregate, type RespSource } from './analytics-snapshot-sql';

/** The largest tolerance any promise can have (the default 3 for promises without a company code), SQL. */
export const MAX_TOLERANCE_SQL = '(SELECT greatest(3, max(promise_tolerance_days)) FROM company_codes)';

/**
 * The span of days a promise q can be made and still be judged (its creation to the later of its
 * promised date and its cancellation): a report at D judges from the mirror those whose span meets
 * [D - MAX_TOLERANCE, D]. The expression of the promises' GiST index (the migration).
 */
export const PROMISE_SPAN_SQL = (q: string) =>
  `daterange(least(${q}.created_date, ${q}.promised_date), greatest(${q}.created_date, ${q}.promised_date, CASE WHEN ${q}.cancelled THEN ${q}.cancelled_date END), '[]')`;

/** The day from which promise q's judgement is final (`deadline`: its promised date + tolerance days). */
export const finalOnSql = (q: string, deadline: string) => `greatest(${deadline} + 1, CASE WHEN ${q}.cancelled THEN ${q}.cancelled_date END)`;

/**
 * Adds `sign` x the promises whose judgement becomes final on the days `from` (null: all)..`to`:
 * judged at their final day by the one status rule (promises/, promiseStatusSql: paid = payments
 * on the item from creation to the deadline; with final day past both, the deadline and the
 * cancellation need no key date).
 */
async function insertPromises(m: EntityManager, from: string | null, to: string, partners: string[] | null, sign: 1 | -1, source: RespSource): Promise<void> {
  // Index-friendly (the GiST span) when only some days are built; every promise otherwise.
  const days = from === null ? 'true' : `${PROMISE_SPAN_SQL('q')} && daterange($5::date - ${MAX_TOLERANCE_SQL} - 1, $6::date, '[]')`;
  await m.query(
    `INSERT INTO analytics_daily_promises (day, made_on, status, level, company_code, profit_center, segment, group_key, strategy_key, specialist_id,
        currency, promise_id, n, promised, paid, late_days, paid_count)
     WITH ${respSource(source)},
     qs AS MATERIALIZED (SELECT q.id, q.partner_id, q.item_id, q.level, q.amount, q.currency, q.created_date, q.promised_date, q.cancelled,
          it.company_code, it.profit_center, q.promised_date + coalesce(cc.promise_tolerance_days, 3) AS deadline,
          ${finalOnSql('q', 'q.promised_date + coalesce(cc.promise_tolerance_days, 3)')} AS final_on
        FROM promises q LEFT JOIN open_items it ON it.id = q.item_id LEFT JOIN company_codes cc ON cc.code = it.company_code
       WHERE ${days} AND ($7::bigint[] IS NULL OR q.partner_id = ANY ($7::bigint[]))),
     judged AS (SELECT qs.id, qs.partner_id, qs.level, qs.amount, qs.currency, qs.created_date, qs.promised_date, qs.cancelled, qs.company_code,
          qs.profit_center, qs.final_on, coalesce(sum(y.amount), 0) AS paid, max(y.payment_date) AS last_paid_on,
          coalesce(bool_or(y.currency <> qs.currency), false) AS foreign_paid
        FROM qs LEFT JOIN payments y ON y.item_id = qs.item_id AND y.payment_date >= qs.created_date AND y.payment_date <= qs.deadline
       WHERE ($5::date IS NULL OR qs.final_on >= $5) AND qs.final_on <= $6
       GROUP BY qs.id, qs.partner_id, qs.level, qs.amount, qs.currency, qs.created_date, qs.promised_date, qs.cancelled, qs.company_code,
          qs.profit_center, qs.final_on),
     x AS (SELECT j.*, CASE WHEN j.cancelled THEN 'CANCELLED' WHEN j.paid >= j.amount THEN 'KEPT' WHEN j.paid > 0 THEN 'PARTIALLY_KEPT' ELSE 'BROKEN' END AS status
        FROM judged j)
     SELECT x.final_on, x.created_date, CASE WHEN x.foreign_paid THEN NULL ELSE x.status END, x.level, x.company_code, x.profit_center,
            r.segment, r.group_key, r.strategy_key, r.specialist_id, x.currency, CASE WHEN x.foreign_paid THEN x.id END,
            $8::int * count(*)::int, $8::int * coalesce(sum(x.amount) FILTER (WHERE NOT x.foreign_paid), 0),
            $8::int * coalesce(sum(least(x.paid, x.amount)) FILTER (WHERE NOT x.foreign_paid), 0),
            $8::int * coalesce(sum(greatest(0, x.last_paid_on - x.promised_date)) FILTER (WHERE ${LATE}), 0)::int,
            $8::int * count(*) FILTER (WHERE ${LATE})::int
       FROM x JOIN resp r ON r.partner_id = x.partner_id
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12`,
    [null, null, null, null, from, to, partners, sign],
  );
}

/** Whose lateness counts: kept or partly kept, with a payment (as the report counts them); none for a promise judged at D. */
const LATE = `NOT x.foreign_paid AND x.status IN ('KEPT', 'PARTIALLY_KEPT') AND x.last_paid_on IS NOT NULL`;

export const DAILY_PROMISES: DailyAggregate = { table: 'analytics_daily_promises', insert: insertPromises };
