/**
 * The daily contacts (analytics_daily_contacts, migration AnalyticsDailyContacts): the contact
 * analysis's inputs per contact day by the responsibility's dimensions and the specialist a
 * contact counts for (its author, else the partner's specialist, as analytics-contacts.ts counts).
 */
import type { EntityManager } from 'typeorm';
import { respSource, type DailyAggregate, type RespSource } from './analytics-snapshot-sql';

/** The specialist a contact c of a partner r counts for. */
const ATTRIBUTED = 'coalesce(c.author_specialist_id, r.specialist_id)';
/** Whether contact c obtained promise q (same partner): it links q, or links none and q was made that day. */
const OBTAINED = 'CASE WHEN cardinality(c.promise_ids) > 0 THEN q.id = ANY (c.promise_ids) ELSE q.created_date = c.contact_date END';

/** Adds `sign` x the contacts (kind 'C') and the promises obtained ('P', 'S') of the days `from` (null: all)..`to`. */
async function insertContacts(m: EntityManager, from: string | null, to: string, partners: string[] | null, sign: 1 | -1, source: RespSource): Promise<void> {
  const values = [null, null, null, null, from, to, partners, sign];
  const days = `($5::date IS NULL OR c.contact_date >= $5) AND c.contact_date <= $6 AND ($7::bigint[] IS NULL OR c.partner_id = ANY ($7::bigint[]))`;
  await m.query(
    `INSERT INTO analytics_daily_contacts (day, kind, segment, group_key, strategy_key, specialist_id, channel, direction, result, since, contacts, reached, promises)
     WITH ${respSource(source)}
     SELECT c.contact_date, 'C', r.segment, r.group_key, r.strategy_key, ${ATTRIBUTED}, c.channel, c.direction, c.result, NULL::date,
            $8::int * count(*), $8::int * count(*) FILTER (WHERE c.reached), 0
       FROM contacts c JOIN resp r ON r.partner_id = c.partner_id
      WHERE ${days}
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    values,
  );
  await m.query(obtainedSql(source, days), values);
}

/**
 * A promise counts once in a period however many of its contacts obtained it: each day it was
 * obtained on is a row with the day it was obtained on before (`since`), and a period counts the
 * rows whose `since` is before it (the first of its days within it). Once over all of its
 * partner's contacts ('P': read without a specialist filter or grouping) and once per specialist
 * they count for ('S'). The days before `from` are read for `since` of the promises obtained from
 * `from` on (a change marks from the first day a promise is obtained on, so the rows before it hold).
 */
function obtainedSql(source: RespSource, days: string): string {
  const dims = 'segment, group_key, strategy_key';
  return `INSERT INTO analytics_daily_contacts (day, kind, segment, group_key, strategy_key, specialist_id, channel, direction, result, since, contacts, reached, promises)
     WITH ${respSource(source)},
     in_days AS MATERIALIZED (SELECT DISTINCT q.id, q.partner_id, q.created_date
         FROM contacts c JOIN resp r ON r.partner_id = c.partner_id JOIN promises q ON q.partner_id = c.partner_id AND ${OBTAINED}
        WHERE ${days}),
     obtained AS MATERIALIZED (SELECT q.id, r.segment, r.group_key, r.strategy_key, ${ATTRIBUTED} AS specialist_id, c.contact_date AS day
         FROM in_days q JOIN contacts c ON c.partner_id = q.partner_id AND c.contact_date <= $6 AND ${OBTAINED}
         JOIN resp r ON r.partner_id = q.partner_id),
     by_partner AS (SELECT d.*, lag(d.day) OVER (PARTITION BY d.id ORDER BY d.day) AS since FROM (SELECT DISTINCT id, ${dims}, day FROM obtained) d),
     by_specialist AS (SELECT d.*, lag(d.day) OVER (PARTITION BY d.id, d.specialist_id ORDER BY d.day) AS since
         FROM (SELECT DISTINCT id, ${dims}, specialist_id, day FROM obtained) d)
     SELECT day, 'P', ${dims}, NULL::bigint, NULL::varchar, NULL::varchar, NULL::text, since, 0, 0, $8::int * count(*)
       FROM by_partner WHERE $5::date IS NULL OR day >= $5 GROUP BY day, ${dims}, since
     UNION ALL
     SELECT day, 'S', ${dims}, specialist_id, NULL::varchar, NULL::varchar, NULL::text, since, 0, 0, $8::int * count(*)
       FROM by_specialist WHERE $5::date IS NULL OR day >= $5 GROUP BY day, ${dims}, specialist_id, since`;
}

export const DAILY_CONTACTS: DailyAggregate = { table: 'analytics_daily_contacts', insert: insertContacts };
