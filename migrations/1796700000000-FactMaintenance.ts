import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Maintained facts kept exact (issue 19): every write to a table the facts read marks its
 * partners, and the facts of the marked partners are recomputed once, at the commit of the
 * writing transaction, from the mirror (the by-ids functions of MaintainedFacts). So an import, an
 * event or a bulk load leaves the facts exact when it commits, and a rollback leaves them as before.
 *
 * - Marks: statement-level AFTER triggers with transition tables put the touched partners into
 *   `partner_facts_dirty` under the writing transaction's id (concurrent writers never wait on
 *   each other's marks), and once per transaction a row into `partner_facts_pending`, whose
 *   deferred constraint trigger runs `recoup_flush_partner_facts()` at commit. An update marks
 *   only rows whose fact columns changed (judging promises rewrites every promise's judged status).
 * - Bulk loads: `SET LOCAL recoup.facts = 'rebuild'` (or a TRUNCATE of a source, or one statement
 *   touching more partners than the flush would recompute one by one) marks the transaction for
 *   one full rebuild instead of per-partner marks.
 * - Flush: more than FULL_REBUILD_SHARE of the partners (and at least FULL_REBUILD_MIN) marked:
 *   full rebuild. Else placeholder rows, the partners' rows locked in partner order (concurrent
 *   flushes of a partner take turns), then fresh statements (READ COMMITTED: they see what a
 *   concurrent writer committed meanwhile) recompute the partners' rows.
 * - company_codes: a promise tolerance that changes (added or removed: 3, the default, before or
 *   after) marks the partners with promises on items of that code.
 */

/** A table the facts read, and the columns of it they read: an update of other columns marks nothing. */
interface Source {
  table: string;
  /** Its key, to pair old and new rows of an update; null: every old and new row marks. */
  key: string | null;
  columns: string[];
}

const SOURCES: Source[] = [
  {
    table: 'open_items',
    key: 'id',
    columns: ['partner_id', 'company_code', 'document_date', 'due_date', 'open_amount', 'currency', 'dunning_level', 'dunning_block'],
  },
  { table: 'payments', key: 'id', columns: ['partner_id', 'item_id', 'payment_plan_id', 'payment_date', 'amount', 'currency'] },
  {
    table: 'promises',
    key: 'id',
    columns: ['partner_id', 'item_id', 'created_date', 'promised_date', 'amount', 'currency', 'cancelled', 'cancelled_date'],
  },
  { table: 'disputes', key: 'id', columns: ['partner_id', 'item_id', 'created_date', 'disputed_amount', 'currency', 'status', 'status_changed_at'] },
  { table: 'contacts', key: 'id', columns: ['partner_id', 'contact_date', 'reached'] },
  { table: 'resubmissions', key: 'id', columns: ['partner_id', 'resubmission_date', 'done', 'done_on'] },
  { table: 'payment_plans', key: 'id', columns: ['partner_id', 'currency', 'created_date', 'tolerance_days', 'cancelled', 'cancelled_date'] },
  { table: 'payment_plan_installments', key: 'id', columns: ['partner_id', 'plan_id', 'seq', 'due_date', 'amount'] },
  { table: 'payment_plan_items', key: null, columns: [] },
  { table: 'dispute_status_changes', key: null, columns: [] },
  { table: 'dunning_level_changes', key: null, columns: [] },
];

const PARTNER_FACT_COLUMNS = [
  'partner_id',
  'horizon',
  'max_dunning_level',
  'company_codes',
  'last_contact',
  'last_reached_contact',
  'last_payment',
  'next_resubmission',
  'kept_promises',
  'installment_deadlines',
];
const CURRENCY_FACT_COLUMNS = [
  'partner_id',
  'currency',
  'due_dates',
  'due_amounts',
  'due_counts',
  'dunned_amount',
  'blocked_due_dates',
  'blocked_counts',
  'flag_due_dates',
  'flag_amounts',
  'flag_disputed',
  'flag_blocked',
  'flag_promised_until',
  'disputed_amount',
  'open_disputes',
  'promise_deadlines',
  'promise_dates',
  'promise_amounts',
  'promise_paid',
  'has_promises',
];

/**
 * A full rebuild instead of per-partner recomputation above this share of the partners. Measured
 * at 1M partners / 5M items (2 cores): per partner 3-4 s for 10k, 14.5 s for 50k, 25 s for 100k;
 * a rebuild 75-115 s, and it locks the facts against every reader until commit. So per partner
 * up to a fifth.
 */
const FULL_REBUILD_SHARE = 0.2;
/** ... and never below this many partners (small databases: a rebuild's lock is not worth saving a few ms). */
const FULL_REBUILD_MIN = 1000;

const EVENTS = ['insert', 'update', 'delete'] as const;
type Event = (typeof EVENTS)[number];

/** The partner ids a statement touched, over its transition tables `changed` (and `before` for updates). */
function touchedSql(source: Source, event: Event): string {
  if (event !== 'update') return 'SELECT c.partner_id FROM changed c';
  if (!source.key) return 'SELECT b.partner_id FROM before b UNION ALL SELECT c.partner_id FROM changed c';
  const row = (alias: string) => `(${source.columns.map((c) => `${alias}.${c}`).join(', ')})`;
  return `SELECT unnest(ARRAY[b.partner_id, c.partner_id]) FROM before b JOIN changed c ON c.${source.key} = b.${source.key}
           WHERE ${row('b')} IS DISTINCT FROM ${row('c')}`;
}

const markFunction = (table: string, event: Event) => `recoup_facts_mark_${table}_${event}`;

export class FactMaintenance1796700000000 implements MigrationInterface {
  name = 'FactMaintenance1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Rows live only inside their transaction (the flush deletes them): unlogged, nothing to recover.
    await queryRunner.query(`CREATE UNLOGGED TABLE partner_facts_dirty (txid bigint NOT NULL, partner_id bigint NOT NULL, PRIMARY KEY (txid, partner_id))`);
    await queryRunner.query(`CREATE UNLOGGED TABLE partner_facts_pending (txid bigint PRIMARY KEY, rebuild boolean NOT NULL)`);

    // Memory as the import's (its hash aggregates over millions of rows spill less).
    await queryRunner.query(`CREATE FUNCTION recoup_rebuild_partner_facts() RETURNS bigint LANGUAGE plpgsql SET work_mem = '64MB' AS $$
      DECLARE
        partners bigint;
      BEGIN
        TRUNCATE partner_facts, partner_fact_currencies;
        INSERT INTO partner_facts (${PARTNER_FACT_COLUMNS.join(', ')})
          SELECT ${PARTNER_FACT_COLUMNS.join(', ')} FROM recoup_all_partner_fact_parts();
        GET DIAGNOSTICS partners = ROW_COUNT;
        INSERT INTO partner_fact_currencies (${CURRENCY_FACT_COLUMNS.join(', ')})
          SELECT ${CURRENCY_FACT_COLUMNS.join(', ')} FROM recoup_all_currency_fact_parts();
        -- Runs ask the horizon index right after a bulk load.
        ANALYZE partner_facts;
        ANALYZE partner_fact_currencies;
        RETURN partners;
      END $$`);

    const updates = PARTNER_FACT_COLUMNS.filter((c) => c !== 'partner_id').map((c) => `${c} = x.${c}`);
    // Partners' statistics estimate (kept by the import's ANALYZE and autovacuum): no count per flush.
    await queryRunner.query(`CREATE FUNCTION recoup_facts_rebuild_threshold() RETURNS double precision LANGUAGE sql STABLE AS $$
      SELECT greatest(${FULL_REBUILD_MIN}, ${FULL_REBUILD_SHARE} * (SELECT reltuples FROM pg_class WHERE oid = 'partners'::regclass))
    $$`);
    // Generic plans: a custom plan sees how many ids there are and, for thousands, scans whole
    // tables where looking each partner up in the partner_id indexes is 2-4x cheaper (10k of 1M
    // partners: 3-4 s instead of 6.5-12.5 s).
    await queryRunner.query(`CREATE FUNCTION recoup_refresh_partner_facts(ids bigint[]) RETURNS void LANGUAGE plpgsql
      SET plan_cache_mode = force_generic_plan AS $$
      DECLARE
        locked bigint;
      BEGIN
        -- Every partner gets a row to lock (a placeholder until recomputed); a row that a
        -- concurrent flush deleted while we waited for it is inserted and locked again.
        LOOP
          INSERT INTO partner_facts (partner_id, horizon) SELECT id, 'infinity' FROM unnest(ids) id ORDER BY id ON CONFLICT DO NOTHING;
          SELECT count(*) INTO locked FROM (SELECT 1 FROM partner_facts WHERE partner_id = ANY(ids) ORDER BY partner_id FOR UPDATE) l;
          EXIT WHEN locked = cardinality(ids);
        END LOOP;
        -- New statements, new snapshots: what a concurrent writer of these partners committed is seen.
        DELETE FROM partner_fact_currencies WHERE partner_id = ANY(ids);
        INSERT INTO partner_fact_currencies (${CURRENCY_FACT_COLUMNS.join(', ')})
          SELECT ${CURRENCY_FACT_COLUMNS.join(', ')} FROM recoup_currency_fact_parts(ids);
        WITH x AS (SELECT * FROM recoup_partner_fact_parts(ids)),
          kept AS (UPDATE partner_facts f SET ${updates.join(', ')} FROM x WHERE f.partner_id = x.partner_id RETURNING f.partner_id)
        DELETE FROM partner_facts f WHERE f.partner_id = ANY(ids) AND NOT EXISTS (SELECT 1 FROM kept k WHERE k.partner_id = f.partner_id);
      END $$`);

    // The flush of this transaction's marks (at commit, or called directly by a transaction that
    // reads the facts after writing the mirror; later writes mark again).
    await queryRunner.query(`CREATE FUNCTION recoup_flush_partner_facts() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        tx bigint := txid_current();
        full_rebuild boolean;
        ids bigint[];
      BEGIN
        DELETE FROM partner_facts_pending WHERE txid = tx RETURNING rebuild INTO full_rebuild;
        IF NOT FOUND THEN
          RETURN;
        END IF;
        WITH d AS (DELETE FROM partner_facts_dirty WHERE txid = tx RETURNING partner_id)
        SELECT array_agg(partner_id ORDER BY partner_id) INTO ids FROM d;
        IF full_rebuild OR cardinality(ids) > recoup_facts_rebuild_threshold() THEN
          PERFORM recoup_rebuild_partner_facts();
        ELSIF ids IS NOT NULL THEN
          PERFORM recoup_refresh_partner_facts(ids);
        END IF;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION recoup_flush_partner_facts_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM recoup_flush_partner_facts();
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE CONSTRAINT TRIGGER recoup_flush_partner_facts AFTER INSERT ON partner_facts_pending
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION recoup_flush_partner_facts_at_commit()`);

    // Marks. In rebuild mode (a bulk load said so) a statement only makes sure the transaction rebuilds.
    await queryRunner.query(`CREATE FUNCTION recoup_facts_mark_rebuild() RETURNS void LANGUAGE sql AS $$
      INSERT INTO partner_facts_pending (txid, rebuild) VALUES (txid_current(), true)
      ON CONFLICT (txid) DO UPDATE SET rebuild = true WHERE NOT partner_facts_pending.rebuild
    $$`);
    await queryRunner.query(`CREATE FUNCTION recoup_facts_rebuild_mode() RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT coalesce(current_setting('recoup.facts', true), '') = 'rebuild'
    $$`);
    // ids: distinct, never NULL (partner_id is NOT NULL everywhere).
    await queryRunner.query(`CREATE FUNCTION recoup_facts_mark(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        tx bigint := txid_current();
      BEGIN
        -- A statement touching more partners than a flush recomputes one by one: a rebuild, not marks.
        IF cardinality(ids) > recoup_facts_rebuild_threshold() THEN
          PERFORM recoup_facts_mark_rebuild();
          RETURN;
        END IF;
        INSERT INTO partner_facts_dirty (txid, partner_id) SELECT tx, id FROM unnest(ids) id ON CONFLICT DO NOTHING;
        -- Rows marked before have their pending row already.
        IF FOUND THEN
          INSERT INTO partner_facts_pending (txid, rebuild) VALUES (tx, false) ON CONFLICT (txid) DO NOTHING;
        END IF;
      END $$`);
    for (const source of SOURCES) {
      for (const event of EVENTS) {
        const fn = markFunction(source.table, event);
        const referencing = event === 'update' ? 'OLD TABLE AS before NEW TABLE AS changed' : event === 'insert' ? 'NEW TABLE AS changed' : 'OLD TABLE AS changed';
        await queryRunner.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF recoup_facts_rebuild_mode() THEN
              PERFORM recoup_facts_mark_rebuild();
            ELSE
              PERFORM recoup_facts_mark(ARRAY(SELECT DISTINCT t.id FROM (${touchedSql(source, event)}) t(id)));
            END IF;
            RETURN NULL;
          END $$`);
        await queryRunner.query(`CREATE TRIGGER ${fn} AFTER ${event.toUpperCase()} ON ${source.table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      }
    }
    await queryRunner.query(`CREATE FUNCTION recoup_facts_mark_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM recoup_facts_mark_rebuild();
        RETURN NULL;
      END $$`);
    for (const table of [...SOURCES.map((s) => s.table), 'company_codes']) {
      await queryRunner.query(`CREATE TRIGGER recoup_facts_mark_${table}_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION recoup_facts_mark_truncate()`);
    }

    // A company code's promise tolerance (3 without a row) decides which promises are kept.
    await queryRunner.query(`CREATE FUNCTION recoup_facts_mark_company_code() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        codes text[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          codes := ARRAY[NEW.code];
        ELSIF TG_OP = 'DELETE' THEN
          codes := ARRAY[OLD.code];
        ELSE
          codes := ARRAY[OLD.code, NEW.code];
        END IF;
        IF recoup_facts_rebuild_mode() THEN
          PERFORM recoup_facts_mark_rebuild();
        ELSE
          PERFORM recoup_facts_mark(ARRAY(SELECT DISTINCT q.partner_id FROM promises q JOIN open_items i ON i.id = q.item_id WHERE i.company_code = ANY(codes)));
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER recoup_facts_mark_company_codes_insert AFTER INSERT ON company_codes FOR EACH ROW
      WHEN (NEW.promise_tolerance_days IS DISTINCT FROM 3) EXECUTE FUNCTION recoup_facts_mark_company_code()`);
    await queryRunner.query(`CREATE TRIGGER recoup_facts_mark_company_codes_update AFTER UPDATE OF code, promise_tolerance_days ON company_codes FOR EACH ROW
      WHEN (OLD.promise_tolerance_days IS DISTINCT FROM NEW.promise_tolerance_days
        OR (OLD.code IS DISTINCT FROM NEW.code AND (OLD.promise_tolerance_days IS DISTINCT FROM 3 OR NEW.promise_tolerance_days IS DISTINCT FROM 3)))
      EXECUTE FUNCTION recoup_facts_mark_company_code()`);
    await queryRunner.query(`CREATE TRIGGER recoup_facts_mark_company_codes_delete AFTER DELETE ON company_codes FOR EACH ROW
      WHEN (OLD.promise_tolerance_days IS DISTINCT FROM 3) EXECUTE FUNCTION recoup_facts_mark_company_code()`);

    // An upgraded database starts with its facts current.
    await queryRunner.query(`SELECT recoup_rebuild_partner_facts()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER recoup_facts_mark_company_codes_${event} ON company_codes`);
    await queryRunner.query(`DROP FUNCTION recoup_facts_mark_company_code()`);
    for (const table of [...SOURCES.map((s) => s.table), 'company_codes']) await queryRunner.query(`DROP TRIGGER recoup_facts_mark_${table}_truncate ON ${table}`);
    await queryRunner.query(`DROP FUNCTION recoup_facts_mark_truncate()`);
    for (const source of SOURCES) {
      for (const event of EVENTS) {
        await queryRunner.query(`DROP TRIGGER ${markFunction(source.table, event)} ON ${source.table}`);
        await queryRunner.query(`DROP FUNCTION ${markFunction(source.table, event)}()`);
      }
    }
    await queryRunner.query(`DROP FUNCTION recoup_facts_mark(bigint[])`);
    await queryRunner.query(`DROP FUNCTION recoup_facts_rebuild_mode()`);
    await queryRunner.query(`DROP FUNCTION recoup_facts_mark_rebuild()`);
    await queryRunner.query(`DROP TABLE partner_facts_pending`);
    await queryRunner.query(`DROP FUNCTION recoup_flush_partner_facts_at_commit()`);
    await queryRunner.query(`DROP FUNCTION recoup_flush_partner_facts()`);
    await queryRunner.query(`DROP FUNCTION recoup_refresh_partner_facts(bigint[])`);
    await queryRunner.query(`DROP FUNCTION recoup_facts_rebuild_threshold()`);
    await queryRunner.query(`DROP FUNCTION recoup_rebuild_partner_facts()`);
    await queryRunner.query(`DROP TABLE partner_facts_dirty`);
  }
}
