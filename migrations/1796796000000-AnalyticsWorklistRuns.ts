import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worklist report's kept figures (issue 20, speed; analytics-snapshot-worklists.ts):
 * `analytics_worklist_runs`, per counted run (LIVE, SUCCEEDED, items not dropped) x band
 * (priority) x the item's specialist x the partner's segment, group and strategy (as the other
 * daily aggregates key them): partners, amount to be collected in the run's currency, completed,
 * reassigned, and per kind of work (any, contact, promise, dispute, resubmission) the partners
 * first worked within 1, 3 and 7 days. Its `day` is the run's key date, so the snapshots' refresh
 * keeps it as one of its daily aggregates (rebuilt from the first stale day, partners moved).
 *
 * Staleness, in the writing transaction, of these figures only (`worklists_stale_from` of
 * analytics_snapshot_state, lowered at commit by the same flush as `stale_from`: changes noted with
 * `worklists`; the other aggregates' days stay current):
 * - work dated d (a contact, promise or dispute by its date, a resubmission by the day it was
 *   created) counts for the runs keyed d-6..d: written, removed or moved it marks from d-6 (a
 *   resubmission from d-7: its day is its timestamp's in the writer's time zone);
 * - an item of a LIVE run written (come, gone, completed, reassigned, re-banded, re-valued) marks
 *   from its run's key date; items attached as a run's partition fire nothing, the run's success
 *   marks for them;
 * - a run coming into or out of the counted ones (a LIVE run succeeding, its items dropped) or a
 *   counted run re-keyed marks from its key date (old and new);
 * - a segment's currency changed, from the first counted run of it without its own currency.
 * A TRUNCATE of resubmissions or worklist_runs marks everything. Snapshots built before hold no
 * worklists: marked stale from the start (rebuilt at the next refresh).
 */
const COUNTED = (r: string) => `(${r}.mode = 'LIVE' AND ${r}.status = 'SUCCEEDED' AND ${r}.items_dropped_at IS NULL)`;
const WORK_DAYS = 6;

export class AnalyticsWorklistRuns1796796000000 implements MigrationInterface {
  name = 'AnalyticsWorklistRuns1796796000000';

  async up(q: QueryRunner): Promise<void> {
    const counters = ['worked', 'contacted', 'promised', 'disputed', 'resubmitted']
      .flatMap((kind) => [1, 3, 7].map((n) => `${kind}_${n} integer NOT NULL`))
      .join(', ');
    await q.query(`CREATE TABLE analytics_worklist_runs (day date NOT NULL, run_id bigint NOT NULL, run_segment varchar(40) NOT NULL, currency char(3) NOT NULL,
      priority smallint NOT NULL, specialist_id bigint, segment varchar(40), group_key varchar(40), strategy_key varchar(60),
      partners integer NOT NULL, amount numeric(24,4) NOT NULL, completed integer NOT NULL, reassigned integer NOT NULL, ${counters})`);
    await q.query(`CREATE INDEX idx_analytics_worklist_runs_day ON analytics_worklist_runs (day)`);
    await q.query(`UPDATE analytics_snapshot_state SET stale_from = '-infinity' WHERE id = 1 AND built_to IS NOT NULL`);
    await q.query(`ALTER TABLE analytics_snapshot_state ADD COLUMN worklists_stale_from date NOT NULL DEFAULT 'infinity'`);
    await q.query(`ALTER TABLE analytics_snapshot_changes ADD COLUMN worklists boolean NOT NULL DEFAULT false`);
    await q.query(flush(true));
    await q.query(`CREATE FUNCTION recoup_analytics_mark_worklists(d date) RETURNS void LANGUAGE sql AS $$
      INSERT INTO analytics_snapshot_changes (txid, on_date, worklists) SELECT txid_current(), d, true WHERE d IS NOT NULL;
      SELECT recoup_analytics_pending() WHERE d IS NOT NULL $$`);

    // Work: from WORK_DAYS before its (old and new) date. (A change of other columns marks nothing.)
    for (const [table, day, slack] of WORK) {
      const moved = `o.partner_id IS DISTINCT FROM n.partner_id OR o.${day} IS DISTINCT FROM n.${day}`;
      await q.query(`CREATE FUNCTION recoup_analytics_${table}_work() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            PERFORM recoup_analytics_mark_worklists((SELECT min((${day})::date) - ${WORK_DAYS + slack} FROM changed));
          ELSIF TG_OP = 'DELETE' THEN
            PERFORM recoup_analytics_mark_worklists((SELECT min((${day})::date) - ${WORK_DAYS + slack} FROM before));
          ELSE
            PERFORM recoup_analytics_mark_worklists((SELECT min(least((o.${day})::date, (n.${day})::date)) - ${WORK_DAYS + slack}
              FROM before o JOIN changed n ON n.id = o.id WHERE ${moved}));
          END IF;
          RETURN NULL;
        END $$`);
    }

    // Items of LIVE runs: from their run's key date.
    const itemChanged = `o.specialist_id IS DISTINCT FROM n.specialist_id OR o.specialist_origin IS DISTINCT FROM n.specialist_origin
      OR o.priority IS DISTINCT FROM n.priority OR o.amount_to_be_collected IS DISTINCT FROM n.amount_to_be_collected
      OR (o.completed_at IS NULL) <> (n.completed_at IS NULL)`;
    const runsOf = (runIds: string) => `PERFORM recoup_analytics_mark_worklists((SELECT min(r.as_of) FROM worklist_runs r WHERE r.mode = 'LIVE' AND r.id IN (${runIds})))`;
    await q.query(`CREATE FUNCTION recoup_analytics_worked_items_write() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${runsOf('SELECT run_id FROM changed')};
        ELSIF TG_OP = 'DELETE' THEN
          ${runsOf('SELECT run_id FROM before')};
        ELSE
          ${runsOf(`SELECT n.run_id FROM before o JOIN changed n ON n.run_id = o.run_id AND n.partner_id = o.partner_id WHERE ${itemChanged}`)};
        END IF;
        RETURN NULL;
      END $$`);

    // Runs: counted or no longer, or re-keyed while counted (progress updates mark nothing).
    const runChanged = `(${COUNTED('o')} OR ${COUNTED('n')}) AND (${COUNTED('o')} <> ${COUNTED('n')} OR o.as_of IS DISTINCT FROM n.as_of
      OR o.segment_key IS DISTINCT FROM n.segment_key OR o.currency IS DISTINCT FROM n.currency)`;
    await q.query(`CREATE FUNCTION recoup_analytics_worklist_runs_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM recoup_analytics_mark_worklists((SELECT min(n.as_of) FROM changed n WHERE ${COUNTED('n')}));
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM recoup_analytics_mark_worklists((SELECT min(o.as_of) FROM before o WHERE ${COUNTED('o')}));
        ELSE
          PERFORM recoup_analytics_mark_worklists((SELECT min(least(o.as_of, n.as_of)) FROM before o JOIN changed n ON n.id = o.id WHERE ${runChanged}));
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION recoup_analytics_run_currency_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM recoup_analytics_mark_worklists((SELECT min(r.as_of) FROM worklist_runs r WHERE r.currency IS NULL AND ${COUNTED('r')}
            AND r.segment_key IN (SELECT n.key FROM before o JOIN changed n ON n.key = o.key WHERE o.currency IS DISTINCT FROM n.currency)));
        RETURN NULL;
      END $$`);

    for (const [table, fn] of TRIGGERS) {
      for (const [event, referencing] of TRANSITIONS) {
        await q.query(`CREATE TRIGGER ${triggerName(table, event)} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      }
    }
    await q.query(`CREATE TRIGGER recoup_analytics_segments_currency AFTER UPDATE ON collection_segments
      REFERENCING OLD TABLE AS before NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION recoup_analytics_run_currency_write()`);
    for (const table of TRUNCATED) {
      await q.query(`CREATE TRIGGER recoup_analytics_${table}_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION recoup_analytics_truncated()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TRUNCATED) await q.query(`DROP TRIGGER recoup_analytics_${table}_truncate ON ${table}`);
    await q.query(`DROP TRIGGER recoup_analytics_segments_currency ON collection_segments`);
    for (const [table, fn] of TRIGGERS) {
      for (const [event] of TRANSITIONS) await q.query(`DROP TRIGGER ${triggerName(table, event)} ON ${table}`);
      await q.query(`DROP FUNCTION ${fn}()`);
    }
    await q.query(`DROP FUNCTION recoup_analytics_run_currency_write()`);
    await q.query(`DROP FUNCTION recoup_analytics_mark_worklists(date)`);
    await q.query(flush(false));
    await q.query(`ALTER TABLE analytics_snapshot_changes DROP COLUMN worklists`);
    await q.query(`ALTER TABLE analytics_snapshot_state DROP COLUMN worklists_stale_from`);
    await q.query(`DROP TABLE analytics_worklist_runs`);
  }
}

/**
 * The commit-time flush (migration AnalyticsSnapshots), `worklists`: with the worklist figures'
 * own staleness (their changes lower worklists_stale_from only), else as it was.
 */
const flush = (worklists: boolean) => `CREATE OR REPLACE FUNCTION recoup_analytics_flush() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        tx bigint := txid_current();
        first date;
        moved boolean;
        ${worklists ? 'worklists_first date;' : ''}
      BEGIN
        DELETE FROM analytics_snapshot_pending WHERE txid = tx;
        WITH c AS (DELETE FROM analytics_snapshot_changes WHERE txid = tx RETURNING *),
          per_item AS (SELECT item_id, sum(delta) AS delta, min(on_date) AS paid_from FROM c WHERE item_id IS NOT NULL GROUP BY item_id)
        SELECT least((SELECT min(on_date) FROM c WHERE item_id IS NULL${worklists ? ' AND NOT worklists' : ''}),
                     (SELECT min(CASE WHEN p.delta <> 0 THEN least(p.paid_from, i.document_date) ELSE p.paid_from END)
                        FROM per_item p LEFT JOIN open_items i ON i.id = p.item_id)),
               coalesce((SELECT bool_or(responsibility) FROM c), false)
               ${worklists ? ', (SELECT min(on_date) FROM c WHERE worklists)' : ''}
          INTO first, moved${worklists ? ', worklists_first' : ''};
        IF first IS NOT NULL THEN
          UPDATE analytics_snapshot_state SET stale_from = first WHERE id = 1 AND stale_from > first;
        END IF;
        ${
          worklists
            ? `IF worklists_first IS NOT NULL THEN
          UPDATE analytics_snapshot_state SET worklists_stale_from = worklists_first WHERE id = 1 AND worklists_stale_from > worklists_first;
        END IF;`
            : ''
        }
        IF moved THEN
          UPDATE analytics_snapshot_state SET responsibility_changed = true WHERE id = 1 AND NOT responsibility_changed;
        END IF;
      END $$`;

/** The tables of work, each with its date column and the days of slack beyond the window. */
const WORK = [
  ['contacts', 'contact_date', 0],
  ['promises', 'created_date', 0],
  ['disputes', 'created_date', 0],
  ['resubmissions', 'created_at', 1],
] as const;

const TRIGGERS = [
  ...WORK.map(([table]) => [table, `recoup_analytics_${table}_work`] as const),
  ['worklist_items', 'recoup_analytics_worked_items_write'],
  ['worklist_runs', 'recoup_analytics_worklist_runs_write'],
] as const;

/** The tables with analytics triggers already keep their names; these get their own. */
const triggerName = (table: string, event: string) =>
  table === 'worklist_items' ? `recoup_analytics_worked_items_${event.toLowerCase()}` : `recoup_analytics_${table}_work_${event.toLowerCase()}`;

/** The statement triggers of a written table: each event with its transition tables. */
const TRANSITIONS = [
  ['INSERT', 'NEW TABLE AS changed'],
  ['UPDATE', 'OLD TABLE AS before NEW TABLE AS changed'],
  ['DELETE', 'OLD TABLE AS before'],
] as const;

/** contacts, promises, disputes and worklist_items mark everything at a TRUNCATE already. */
const TRUNCATED = ['resubmissions', 'worklist_runs'];
