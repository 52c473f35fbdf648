import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The contact analysis's daily aggregate (issue 20, speed; analytics-snapshot-contacts.ts), kept
 * by the daily analytics snapshots beside the flows: per contact day and the dimensions the report
 * filters and groups by (the partner's segment, group and strategy; the specialist a contact
 * counts for: its author, else the partner's specialist).
 *
 * - kind 'C': contacts and reached ones by channel, direction and result.
 * - kind 'P' and 'S': promises obtained, each promise once per day it was obtained on (a contact
 *   that day links it, or links none and it was made that day), over all of its partner's
 *   contacts ('P', specialist_id NULL) or per specialist the contacts count for ('S'); `since`:
 *   the promise's day obtained before (in 'S', by the same specialist). A period counts a promise
 *   once on the first of its days within it: the row whose `since` is before the period.
 *
 * Staleness: a contact written marks the days from its (old and new) date; a promise written
 * (made, removed, moved to another partner or day) marks from the first day it was obtained on,
 * in the writing transaction (statement triggers, as AnalyticsSnapshots does for payments). A
 * TRUNCATE marks everything, as does this migration where snapshots were built. Promise updates of other columns (judging, cancelling) mark nothing.
 */
export class AnalyticsDailyContacts1796792000000 implements MigrationInterface {
  name = 'AnalyticsDailyContacts1796792000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analytics_daily_contacts (day date NOT NULL, kind char(1) NOT NULL, segment varchar(40), group_key varchar(40),
      strategy_key varchar(60), specialist_id bigint, channel varchar(20), direction varchar(10), result text, since date,
      contacts integer NOT NULL, reached integer NOT NULL, promises integer NOT NULL)`);
    await q.query(`CREATE INDEX idx_analytics_daily_contacts_day ON analytics_daily_contacts (day)`);
    // Snapshots built before hold no contacts: the next refresh rebuilds them (reports read the mirror meanwhile).
    await q.query(`UPDATE analytics_snapshot_state SET stale_from = '-infinity' WHERE id = 1 AND built_to IS NOT NULL`);

    // Both functions run without JIT: a join of transition tables is estimated at their rows
    // squared, and compiling such a plan took longer than running it (60 of 80 ms for a statement
    // updating 5,500 promises).
    // A contact counts on its date; a change of what the report reads of it marks from both dates.
    const contactChanged = `o.partner_id IS DISTINCT FROM n.partner_id OR o.contact_date IS DISTINCT FROM n.contact_date
      OR o.channel IS DISTINCT FROM n.channel OR o.direction IS DISTINCT FROM n.direction OR o.reached IS DISTINCT FROM n.reached
      OR o.result IS DISTINCT FROM n.result OR o.author_specialist_id IS DISTINCT FROM n.author_specialist_id
      OR o.promise_ids IS DISTINCT FROM n.promise_ids`;
    await q.query(`CREATE FUNCTION recoup_analytics_contacts_write() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM recoup_analytics_mark((SELECT min(contact_date) FROM changed), false);
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM recoup_analytics_mark((SELECT min(contact_date) FROM before), false);
        ELSE
          PERFORM recoup_analytics_mark((SELECT min(least(o.contact_date, n.contact_date)) FROM before o JOIN changed n ON n.id = o.id
            WHERE ${contactChanged}), false);
        END IF;
        RETURN NULL;
      END $$`);
    // A promise is obtained on its creation day (by a contact linking nothing) and on the days of
    // its partner's contacts linking it: the first of those days is where its rows change. (A join,
    // not a lookup per promise: planned by the rows written, an index probe for a few, a hash join
    // for an import's many, 10x faster there.)
    const firstObtained = (rows: string) => `(WITH x AS (${rows}) SELECT least((SELECT min(created_date) FROM x),
        (SELECT min(c.contact_date) FROM x JOIN contacts c ON c.partner_id = x.partner_id AND x.id = ANY (c.promise_ids))))`;
    await q.query(`CREATE FUNCTION recoup_analytics_promises_write() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM recoup_analytics_mark(${firstObtained('SELECT id, partner_id, created_date FROM changed')}, false);
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM recoup_analytics_mark(${firstObtained('SELECT id, partner_id, created_date FROM before')}, false);
        ELSE
          PERFORM recoup_analytics_mark(${firstObtained(`SELECT y.id, y.partner_id, y.created_date
            FROM before o JOIN changed n ON n.id = o.id CROSS JOIN LATERAL (VALUES (o.id, o.partner_id, o.created_date), (n.id, n.partner_id, n.created_date)) y(id, partner_id, created_date)
           WHERE o.partner_id IS DISTINCT FROM n.partner_id OR o.created_date IS DISTINCT FROM n.created_date`)}, false);
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      for (const [event, referencing] of TRANSITIONS) {
        await q.query(
          `CREATE TRIGGER recoup_analytics_${table}_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION recoup_analytics_${table}_write()`,
        );
      }
      await q.query(`CREATE TRIGGER recoup_analytics_${table}_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION recoup_analytics_truncated()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`DROP TRIGGER recoup_analytics_${table}_truncate ON ${table}`);
      for (const [event] of TRANSITIONS) await q.query(`DROP TRIGGER recoup_analytics_${table}_${event.toLowerCase()} ON ${table}`);
      await q.query(`DROP FUNCTION recoup_analytics_${table}_write()`);
    }
    await q.query(`DROP TABLE analytics_daily_contacts`);
  }
}

const TABLES = ['contacts', 'promises'] as const;

/** The statement triggers of a written table: each event with its transition tables. */
const TRANSITIONS = [
  ['INSERT', 'NEW TABLE AS changed'],
  ['UPDATE', 'OLD TABLE AS before NEW TABLE AS changed'],
  ['DELETE', 'OLD TABLE AS before'],
] as const;
