import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Daily analytics snapshots (issue 20, speed): the receivables as they stood at the end of each
 * built day and the daily sales and item payments, aggregated by the dimensions the reports filter
 * and group by, in exact numeric amounts in each currency (conversion happens when a report reads).
 *
 * - `analytics_daily_positions`: per day x company code x profit centre x segment x group x
 *   strategy x specialist x currency x days overdue (0 for not overdue, at most 122) x days since
 *   the document (at most 32; 32 where it cannot matter), the open amount at that day. Enough for
 *   ageing buckets with limits up to 90 days and for roll rates between boundaries at most 31 days
 *   apart.
 * - `analytics_daily_flows`: per day and the same dimensions, sales ('S', by document date) and
 *   item payments ('P', by payment date, with amount x days beyond terms).
 * - `analytics_snapshot_partners`: the responsibility (segment, group, strategy, specialist) each
 *   partner was counted under, so a change of responsibility can be moved between dimensions.
 * - `analytics_snapshot_state`: the built days [built_from, built_to]; days from `stale_from` on
 *   are not to be read; `responsibility_changed`: responsibility may have moved for anyone (a
 *   group, a live run switched): every partner is compared at the next refresh.
 * - `analytics_snapshot_moved`: partners whose responsibility may have moved (their segment,
 *   group or specialist changed, they came onto or left a live worklist, were reassigned), under
 *   the writing transaction's id; moved before the next read.
 *
 * Staleness is recorded in the writing transaction: statement-level triggers note the items and
 * dates each AR write touches (`analytics_snapshot_changes`, under the transaction id, no lock),
 * and at commit a deferred trigger lowers `stale_from` once. A payment that comes with the same
 * decrease of its item's open amount (the usual case) leaves the days before its date as they were,
 * so it marks from its date; an open amount changed without a matching payment changes the item's
 * whole past and marks from its document date. Statements touching more than BULK rows mark all.
 */
const BULK = 1_000_000;
const DIMENSIONS = `company_code varchar(40), profit_center varchar(40), segment varchar(40), group_key varchar(40), strategy_key varchar(60), specialist_id bigint, currency char(3) NOT NULL`;

export class AnalyticsSnapshots1796770000000 implements MigrationInterface {
  name = 'AnalyticsSnapshots1796770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analytics_daily_positions (day date NOT NULL, ${DIMENSIONS},
      overdue_days smallint NOT NULL, documented_days smallint NOT NULL, amount numeric(24,4) NOT NULL)`);
    await q.query(`CREATE INDEX idx_analytics_daily_positions_day ON analytics_daily_positions (day)`);
    await q.query(`CREATE TABLE analytics_daily_flows (day date NOT NULL, kind char(1) NOT NULL, ${DIMENSIONS},
      amount numeric(24,4) NOT NULL, weighted numeric(30,4) NOT NULL)`);
    await q.query(`CREATE INDEX idx_analytics_daily_flows_day ON analytics_daily_flows (day)`);
    await q.query(`CREATE TABLE analytics_snapshot_partners (partner_id bigint PRIMARY KEY, segment varchar(40), group_key varchar(40),
      strategy_key varchar(60), specialist_id bigint)`);
    await q.query(`CREATE TABLE analytics_snapshot_moved (partner_id bigint NOT NULL, txid bigint NOT NULL, PRIMARY KEY (partner_id, txid))`);
    await q.query(`CREATE TABLE analytics_snapshot_state (id smallint PRIMARY KEY CHECK (id = 1), built_from date, built_to date,
      stale_from date NOT NULL DEFAULT 'infinity', responsibility_changed boolean NOT NULL DEFAULT false, built_at timestamptz)`);
    await q.query(`INSERT INTO analytics_snapshot_state (id) VALUES (1)`);
    // item_id NULL: a direct mark from on_date (or, with responsibility, a moved responsibility).
    await q.query(`CREATE UNLOGGED TABLE analytics_snapshot_changes (txid bigint NOT NULL, item_id bigint, delta numeric NOT NULL DEFAULT 0,
      on_date date, responsibility boolean NOT NULL DEFAULT false)`);
    await q.query(`CREATE INDEX idx_analytics_snapshot_changes_txid ON analytics_snapshot_changes (txid)`);
    await q.query(`CREATE UNLOGGED TABLE analytics_snapshot_pending (txid bigint PRIMARY KEY)`);

    // The commit-time flush: one lowering of stale_from per transaction.
    await q.query(`CREATE FUNCTION recoup_analytics_flush() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        tx bigint := txid_current();
        first date;
        moved boolean;
      BEGIN
        DELETE FROM analytics_snapshot_pending WHERE txid = tx;
        WITH c AS (DELETE FROM analytics_snapshot_changes WHERE txid = tx RETURNING *),
          per_item AS (SELECT item_id, sum(delta) AS delta, min(on_date) AS paid_from FROM c WHERE item_id IS NOT NULL GROUP BY item_id)
        SELECT least((SELECT min(on_date) FROM c WHERE item_id IS NULL),
                     (SELECT min(CASE WHEN p.delta <> 0 THEN least(p.paid_from, i.document_date) ELSE p.paid_from END)
                        FROM per_item p LEFT JOIN open_items i ON i.id = p.item_id)),
               coalesce((SELECT bool_or(responsibility) FROM c), false)
          INTO first, moved;
        IF first IS NOT NULL THEN
          UPDATE analytics_snapshot_state SET stale_from = first WHERE id = 1 AND stale_from > first;
        END IF;
        IF moved THEN
          UPDATE analytics_snapshot_state SET responsibility_changed = true WHERE id = 1 AND NOT responsibility_changed;
        END IF;
      END $$`);
    await q.query(`CREATE FUNCTION recoup_analytics_flush_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM recoup_analytics_flush(); RETURN NULL; END $$`);
    await q.query(`CREATE CONSTRAINT TRIGGER recoup_analytics_flush AFTER INSERT ON analytics_snapshot_pending
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION recoup_analytics_flush_at_commit()`);
    await q.query(`CREATE FUNCTION recoup_analytics_pending() RETURNS void LANGUAGE sql AS $$
      INSERT INTO analytics_snapshot_pending (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING $$`);
    await q.query(`CREATE FUNCTION recoup_analytics_mark(d date, moved boolean) RETURNS void LANGUAGE sql AS $$
      INSERT INTO analytics_snapshot_changes (txid, on_date, responsibility) SELECT txid_current(), d, moved WHERE d IS NOT NULL OR moved;
      SELECT recoup_analytics_pending() WHERE d IS NOT NULL OR moved $$`);

    // open_items: a new or removed item, or one whose key columns changed, marks from its
    // document date (and from its payments' dates, for a due date moved under them); an open
    // amount change alone is noted per item, to be matched with its payments at commit.
    const keyChanged = `o.partner_id IS DISTINCT FROM n.partner_id OR o.company_code IS DISTINCT FROM n.company_code
      OR o.profit_center IS DISTINCT FROM n.profit_center OR o.document_date IS DISTINCT FROM n.document_date
      OR o.due_date IS DISTINCT FROM n.due_date OR o.amount IS DISTINCT FROM n.amount OR o.currency IS DISTINCT FROM n.currency`;
    await q.query(`CREATE FUNCTION recoup_analytics_items_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM recoup_analytics_mark((SELECT min(document_date) FROM changed), false);
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM recoup_analytics_mark((SELECT min(document_date) FROM before), false);
        ELSIF (SELECT count(*) FROM changed) > ${BULK} THEN
          PERFORM recoup_analytics_mark('-infinity', false);
        ELSE
          PERFORM recoup_analytics_mark((SELECT min(least(o.document_date, n.document_date, o.due_date, n.due_date,
              (SELECT min(y.payment_date) FROM payments y WHERE y.item_id = n.id)))
            FROM before o JOIN changed n ON n.id = o.id WHERE ${keyChanged}), false);
          INSERT INTO analytics_snapshot_changes (txid, item_id, delta)
            SELECT txid_current(), n.id, n.open_amount - o.open_amount FROM before o JOIN changed n ON n.id = o.id
             WHERE n.open_amount <> o.open_amount AND NOT (${keyChanged});
          IF FOUND THEN PERFORM recoup_analytics_pending(); END IF;
        END IF;
        RETURN NULL;
      END $$`);
    // payments on items: each notes its item, its amount (0 in another currency than the item's:
    // the point-in-time amounts leave it out) and its date; an update as its old row removed and
    // its new row added. (Each branch names only the transition tables its event has.)
    const notePayments = (rows: string) => `INSERT INTO analytics_snapshot_changes (txid, item_id, delta, on_date)
          SELECT txid_current(), y.item_id, sum(y.sign * CASE WHEN y.currency = i.currency THEN y.amount ELSE 0 END), min(y.payment_date)
            FROM (${rows}) y LEFT JOIN open_items i ON i.id = y.item_id
           WHERE y.item_id IS NOT NULL GROUP BY y.item_id`;
    const added = `SELECT item_id, amount, currency, payment_date, 1 AS sign FROM changed`;
    const removed = `SELECT item_id, amount, currency, payment_date, -1 AS sign FROM before`;
    await q.query(`CREATE FUNCTION recoup_analytics_payments_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF (SELECT count(*) FROM changed) > ${BULK} THEN PERFORM recoup_analytics_mark('-infinity', false); RETURN NULL; END IF;
          ${notePayments(added)};
        ELSIF TG_OP = 'DELETE' THEN
          IF (SELECT count(*) FROM before) > ${BULK} THEN PERFORM recoup_analytics_mark('-infinity', false); RETURN NULL; END IF;
          ${notePayments(removed)};
        ELSE
          IF (SELECT count(*) FROM changed) > ${BULK} THEN PERFORM recoup_analytics_mark('-infinity', false); RETURN NULL; END IF;
          ${notePayments(`${added} UNION ALL ${removed}`)};
        END IF;
        IF FOUND THEN PERFORM recoup_analytics_pending(); END IF;
        RETURN NULL;
      END $$`);
    // Responsibility of partners: their segment, group or specialist, or their item on a live
    // worklist (come, gone, reassigned): the partners are noted to be moved.
    const moved = (select: string) => `INSERT INTO analytics_snapshot_moved (partner_id, txid) SELECT DISTINCT x.id, txid_current() FROM (${select}) x ON CONFLICT DO NOTHING`;
    await q.query(`CREATE FUNCTION recoup_analytics_partners_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          ${moved(`SELECT n.id FROM before o JOIN changed n ON n.id = o.id WHERE o.segment IS DISTINCT FROM n.segment
            OR o.collection_group_key IS DISTINCT FROM n.collection_group_key OR o.specialist_id IS DISTINCT FROM n.specialist_id`)};
        ELSIF TG_OP = 'INSERT' THEN
          ${moved(`SELECT n.id FROM changed n WHERE EXISTS (SELECT 1 FROM open_items i WHERE i.partner_id = n.id)`)};
        ELSE
          ${moved(`SELECT o.id FROM before o WHERE EXISTS (SELECT 1 FROM open_items i WHERE i.partner_id = o.id)`)};
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION recoup_analytics_worklist_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          ${moved(`SELECT n.partner_id AS id FROM before o JOIN changed n ON n.run_id = o.run_id AND n.partner_id = o.partner_id
            WHERE o.specialist_id IS DISTINCT FROM n.specialist_id AND n.run_id IN (SELECT live_run_id FROM collection_segments)`)};
        ELSIF TG_OP = 'INSERT' THEN
          ${moved(`SELECT n.partner_id AS id FROM changed n WHERE n.run_id IN (SELECT live_run_id FROM collection_segments)`)};
        ELSE
          ${moved(`SELECT o.partner_id AS id FROM before o WHERE o.run_id IN (SELECT live_run_id FROM collection_segments)`)};
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION recoup_analytics_segments_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM recoup_analytics_mark(NULL, EXISTS (SELECT 1 FROM before o JOIN changed n ON n.key = o.key WHERE o.live_run_id IS DISTINCT FROM n.live_run_id));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION recoup_analytics_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM recoup_analytics_mark(NULL, true); RETURN NULL; END $$`);
    await q.query(`CREATE FUNCTION recoup_analytics_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM recoup_analytics_mark('-infinity', true); RETURN NULL; END $$`);

    for (const [table, fn] of [
      ['open_items', 'recoup_analytics_items_write'],
      ['payments', 'recoup_analytics_payments_write'],
      ['partners', 'recoup_analytics_partners_write'],
      ['worklist_items', 'recoup_analytics_worklist_write'],
    ] as const) {
      for (const [event, referencing] of TRANSITIONS) {
        await q.query(`CREATE TRIGGER recoup_analytics_${table}_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      }
    }
    await q.query(`CREATE TRIGGER recoup_analytics_collection_segments_update AFTER UPDATE ON collection_segments
      REFERENCING OLD TABLE AS before NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION recoup_analytics_segments_write()`);
    await q.query(`CREATE TRIGGER recoup_analytics_collection_groups_write AFTER INSERT OR UPDATE OR DELETE ON collection_groups
      FOR EACH STATEMENT EXECUTE FUNCTION recoup_analytics_moved()`);
    for (const table of TRUNCATED) {
      await q.query(`CREATE TRIGGER recoup_analytics_${table}_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION recoup_analytics_truncated()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TRUNCATED) await q.query(`DROP TRIGGER recoup_analytics_${table}_truncate ON ${table}`);
    await q.query(`DROP TRIGGER recoup_analytics_collection_groups_write ON collection_groups`);
    await q.query(`DROP TRIGGER recoup_analytics_collection_segments_update ON collection_segments`);
    for (const table of ['open_items', 'payments', 'partners', 'worklist_items']) {
      for (const [event] of TRANSITIONS) await q.query(`DROP TRIGGER recoup_analytics_${table}_${event.toLowerCase()} ON ${table}`);
    }
    for (const fn of [
      'recoup_analytics_truncated',
      'recoup_analytics_moved',
      'recoup_analytics_segments_write',
      'recoup_analytics_worklist_write',
      'recoup_analytics_partners_write',
      'recoup_analytics_payments_write',
      'recoup_analytics_items_write',
    ]) {
      await q.query(`DROP FUNCTION ${fn}()`);
    }
    await q.query(`DROP FUNCTION recoup_analytics_mark(date, boolean)`);
    await q.query(`DROP FUNCTION recoup_analytics_pending()`);
    await q.query(`DROP TRIGGER recoup_analytics_flush ON analytics_snapshot_pending`);
    await q.query(`DROP FUNCTION recoup_analytics_flush_at_commit()`);
    await q.query(`DROP FUNCTION recoup_analytics_flush()`);
    for (const table of [
      'analytics_snapshot_pending',
      'analytics_snapshot_changes',
      'analytics_snapshot_state',
      'analytics_snapshot_moved',
      'analytics_snapshot_partners',
      'analytics_daily_flows',
      'analytics_daily_positions',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}

/** The statement triggers of a written table: each event with its transition tables. */
const TRANSITIONS = [
  ['INSERT', 'NEW TABLE AS changed'],
  ['UPDATE', 'OLD TABLE AS before NEW TABLE AS changed'],
  ['DELETE', 'OLD TABLE AS before'],
] as const;

const TRUNCATED = ['open_items', 'payments', 'partners', 'worklist_items'];
