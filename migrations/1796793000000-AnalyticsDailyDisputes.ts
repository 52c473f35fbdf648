import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispute report's daily aggregate (issue 20, speed): `analytics_daily_disputes`, kept by the
 * analytics snapshots' refresh like `analytics_daily_flows` (migration AnalyticsSnapshots), from
 * the earliest day on, so the disputes open at a day's end are the running sum of its rows.
 *
 * Per day x the responsibility's dimensions x the dispute's item's company code and profit centre
 * x currency:
 * - kind 'O': disputes created that day (count, disputed amount);
 * - kind 'C': disputes closed (RESOLVED, REJECTED or CLOSED, as the report dates it), by
 *   resolution, root cause and closing day `closed_on` (count, amount, days from created to
 *   closed). Dated `greatest(created, closed_on)`: a closing recorded before the dispute's creation
 *   never counts it as open, so it is subtracted from the running sum when it was opened.
 *
 * Staleness in the writing transaction, as the other aggregates (recoup_analytics_mark): a row of
 * a dispute is never dated before its creation, so a new, removed or re-keyed dispute marks from
 * its created date; a change of status (the dispute's or its dated history's) marks from the
 * earlier of its closing days before and after (where its 'C' row was and goes); a change of an
 * item's company code or profit centre from the created date of its disputes.
 */
const CLOSED = `('RESOLVED', 'REJECTED', 'CLOSED')`;
const DIMENSIONS = `company_code varchar(40), profit_center varchar(40), segment varchar(40), group_key varchar(40), strategy_key varchar(60), specialist_id bigint, currency char(3) NOT NULL`;

/**
 * The day of the 'C' row of dispute `d` whose latest dated status change is `h` (NULL: none;
 * then the dispute's own status and its time): NULL when it is not closed.
 */
const closingDay = (d: string, h: string) => `CASE WHEN ${h}.dispute_id IS NOT NULL THEN CASE WHEN ${h}.status IN ${CLOSED} THEN greatest(${d}.created_date, ${h}.changed_on) END
      WHEN ${d}.status IN ${CLOSED} THEN greatest(${d}.created_date, coalesce(${d}.status_changed_at::date, ${d}.created_date)) END`;
const latestOf = (rows: string) => `SELECT DISTINCT ON (dispute_id) dispute_id, changed_on, status FROM (${rows}) x ORDER BY dispute_id, changed_on DESC`;

export class AnalyticsDailyDisputes1796793000000 implements MigrationInterface {
  name = 'AnalyticsDailyDisputes1796793000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analytics_daily_disputes (day date NOT NULL, kind char(1) NOT NULL, ${DIMENSIONS},
      resolution varchar(14), root_cause varchar(40), closed_on date, n integer NOT NULL, amount numeric(24,4) NOT NULL, days integer NOT NULL)`);
    await q.query(`CREATE INDEX idx_analytics_daily_disputes_day ON analytics_daily_disputes (day)`);
    // Snapshots built before hold no disputes: rebuilt whole by the next refresh (read from the mirror until then).
    await q.query(`UPDATE analytics_snapshot_state SET stale_from = '-infinity' WHERE id = 1 AND built_to IS NOT NULL`);

    // disputes: the history is not written by the statement, so it dates the closings before and after alike.
    const keyChanged = `o.partner_id IS DISTINCT FROM n.partner_id OR o.item_id IS DISTINCT FROM n.item_id OR o.created_date IS DISTINCT FROM n.created_date
      OR o.disputed_amount IS DISTINCT FROM n.disputed_amount OR o.currency IS DISTINCT FROM n.currency`;
    const closingChanged = `o.status IS DISTINCT FROM n.status OR o.status_changed_at IS DISTINCT FROM n.status_changed_at
      OR o.resolution IS DISTINCT FROM n.resolution OR o.root_cause IS DISTINCT FROM n.root_cause`;
    await q.query(`CREATE FUNCTION recoup_analytics_disputes_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM recoup_analytics_mark((SELECT min(created_date) FROM changed), false);
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM recoup_analytics_mark((SELECT min(created_date) FROM before), false);
        ELSE
          PERFORM recoup_analytics_mark((SELECT min(CASE WHEN ${keyChanged} THEN least(o.created_date, n.created_date)
                ELSE least(${closingDay('o', 'h')}, ${closingDay('n', 'h')}) END)
              FROM before o JOIN changed n ON n.id = o.id
              LEFT JOIN (${latestOf(`SELECT c.dispute_id, c.changed_on, c.status FROM dispute_status_changes c
                WHERE c.dispute_id IN (SELECT n.id FROM before o JOIN changed n ON n.id = o.id WHERE NOT (${keyChanged}) AND (${closingChanged}))`)}) h ON h.dispute_id = n.id
             WHERE ${keyChanged} OR ${closingChanged}), false);
        END IF;
        RETURN NULL;
      END $$`);

    // dispute_status_changes: each dispute written (an update: whose rows differ), closed as its
    // history stood before (today's rows but those the statement wrote, and those it replaced or
    // removed) and after. (Each branch names only the transition tables its event has.)
    const statusMark = (written: string | null, removed: string | null, touched: string) => {
      const kept = `SELECT c.dispute_id, c.changed_on, c.status FROM dispute_status_changes c WHERE c.dispute_id IN (SELECT dispute_id FROM touched)`;
      const before = [
        written === null ? kept : `${kept} AND NOT EXISTS (SELECT 1 FROM ${written} w WHERE w.dispute_id = c.dispute_id AND w.changed_on = c.changed_on)`,
        ...(removed === null ? [] : [`SELECT dispute_id, changed_on, status FROM ${removed}`]),
      ].join(' UNION ALL ');
      return `PERFORM recoup_analytics_mark((WITH touched AS (${touched}),
          old_latest AS (${latestOf(before)}), new_latest AS (${latestOf(kept)})
        SELECT min(least(${closingDay('d', 'o')}, ${closingDay('d', 'n')}))
          FROM disputes d LEFT JOIN old_latest o ON o.dispute_id = d.id LEFT JOIN new_latest n ON n.dispute_id = d.id
         WHERE d.id IN (SELECT dispute_id FROM touched)), false)`;
    };
    await q.query(`CREATE FUNCTION recoup_analytics_dispute_history_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${statusMark('changed', null, 'SELECT dispute_id FROM changed')};
        ELSIF TG_OP = 'DELETE' THEN
          ${statusMark(null, 'before', 'SELECT dispute_id FROM before')};
        ELSE
          ${statusMark('changed', 'before', `SELECT dispute_id FROM (SELECT dispute_id, changed_on, status FROM changed EXCEPT SELECT dispute_id, changed_on, status FROM before) w
            UNION SELECT dispute_id FROM (SELECT dispute_id, changed_on, status FROM before EXCEPT SELECT dispute_id, changed_on, status FROM changed) r`)};
        END IF;
        RETURN NULL;
      END $$`);

    // open_items: the company code and profit centre of the disputes on an item (none: NULL).
    const disputesOn = (items: string) => `PERFORM recoup_analytics_mark((SELECT min(d.created_date) FROM disputes d WHERE d.item_id IN (${items})), false)`;
    await q.query(`CREATE FUNCTION recoup_analytics_disputed_items_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${disputesOn('SELECT id FROM changed')};
        ELSIF TG_OP = 'DELETE' THEN
          ${disputesOn('SELECT id FROM before')};
        ELSE
          ${disputesOn(`SELECT o.id FROM before o JOIN changed n ON n.id = o.id
            WHERE o.company_code IS DISTINCT FROM n.company_code OR o.profit_center IS DISTINCT FROM n.profit_center`)};
        END IF;
        RETURN NULL;
      END $$`);

    for (const [table, fn] of TRIGGERS) {
      for (const [event, referencing] of TRANSITIONS) {
        await q.query(`CREATE TRIGGER ${triggerName(table, event)} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      }
    }
    for (const table of TRUNCATED) {
      await q.query(`CREATE TRIGGER recoup_analytics_${table}_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION recoup_analytics_truncated()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TRUNCATED) await q.query(`DROP TRIGGER recoup_analytics_${table}_truncate ON ${table}`);
    for (const [table, fn] of TRIGGERS) {
      for (const [event] of TRANSITIONS) await q.query(`DROP TRIGGER ${triggerName(table, event)} ON ${table}`);
      await q.query(`DROP FUNCTION ${fn}()`);
    }
    await q.query(`DROP TABLE analytics_daily_disputes`);
  }
}

const TRIGGERS = [
  ['disputes', 'recoup_analytics_disputes_write'],
  ['dispute_status_changes', 'recoup_analytics_dispute_history_write'],
  ['open_items', 'recoup_analytics_disputed_items_write'],
] as const;

/** open_items has the snapshots' own triggers already (recoup_analytics_open_items_*). */
const triggerName = (table: string, event: string) =>
  table === 'open_items' ? `recoup_analytics_disputed_items_${event.toLowerCase()}` : `recoup_analytics_${table}_${event.toLowerCase()}`;

/** The statement triggers of a written table: each event with its transition tables. */
const TRANSITIONS = [
  ['INSERT', 'NEW TABLE AS changed'],
  ['UPDATE', 'OLD TABLE AS before NEW TABLE AS changed'],
  ['DELETE', 'OLD TABLE AS before'],
] as const;

const TRUNCATED = ['disputes', 'dispute_status_changes'];
