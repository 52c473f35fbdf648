import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Held items out of the maintained facts (issue 22): an open item placed with a collection agency
 * or under a legal case (a row of item_holds) counts as not open for the facts, exactly as the
 * mirror path of fact-rows.ts leaves it out. The four part functions of MaintainedFacts are
 * replaced by the same SELECTs with that predicate (written out again: a migration must not
 * depend on code that changes later; the text below is MaintainedFacts' with `held` added).
 * A trigger on item_holds marks the partner (recoup_facts_mark) in the transaction that changes its
 * holds, so the facts are recomputed at its commit and stay exact.
 */
export class HeldItemFacts1796760000001 implements MigrationInterface {
  name = 'HeldItemFacts1796760000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await replaceFunctions(queryRunner, notHeld);
    // A change of an item's hold changes its partner's facts: marked like a write to a source table.
    await queryRunner.query(`CREATE FUNCTION recoup_facts_mark_item_holds() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF recoup_facts_rebuild_mode() THEN
          PERFORM recoup_facts_mark_rebuild();
        ELSE
          PERFORM recoup_facts_mark(ARRAY(SELECT DISTINCT t.partner_id FROM changed t));
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER recoup_facts_mark_item_holds_insert AFTER INSERT ON item_holds REFERENCING NEW TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION recoup_facts_mark_item_holds()`);
    await queryRunner.query(`CREATE TRIGGER recoup_facts_mark_item_holds_delete AFTER DELETE ON item_holds REFERENCING OLD TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION recoup_facts_mark_item_holds()`);
    // The facts change with the holds: caches kept at an AR revision (preview fact rows, rates) must not outlive them.
    await queryRunner.query(`CREATE TRIGGER trg_item_holds_ar_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON item_holds
      FOR EACH STATEMENT EXECUTE FUNCTION bump_ar_revision()`);
    await queryRunner.query(`SELECT recoup_rebuild_partner_facts()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_item_holds_ar_revision ON item_holds`);
    await queryRunner.query(`DROP TRIGGER recoup_facts_mark_item_holds_delete ON item_holds`);
    await queryRunner.query(`DROP TRIGGER recoup_facts_mark_item_holds_insert ON item_holds`);
    await queryRunner.query(`DROP FUNCTION recoup_facts_mark_item_holds()`);
    await replaceFunctions(queryRunner, () => '');
    await queryRunner.query(`SELECT recoup_rebuild_partner_facts()`);
  }
}

/** ` AND <the item alias> is not held`, or nothing (the functions as MaintainedFacts made them). */
type HeldFilter = (item: string) => string;
const notHeld: HeldFilter = (item) => ` AND NOT EXISTS (SELECT 1 FROM item_holds hd WHERE hd.item_id = ${item}.id)`;

async function replaceFunctions(queryRunner: QueryRunner, held: HeldFilter): Promise<void> {
  await queryRunner.query(`CREATE OR REPLACE FUNCTION recoup_partner_fact_parts(ids bigint[]) RETURNS SETOF partner_facts
      LANGUAGE sql STABLE AS $fn$${partnerParts(byIds, held)}$fn$`);
  await queryRunner.query(`CREATE OR REPLACE FUNCTION recoup_all_partner_fact_parts() RETURNS SETOF partner_facts
      LANGUAGE sql STABLE AS $fn$${partnerParts(everyone, held)}$fn$`);
  await queryRunner.query(`CREATE OR REPLACE FUNCTION recoup_currency_fact_parts(ids bigint[]) RETURNS SETOF partner_fact_currencies
      LANGUAGE sql STABLE AS $fn$${currencyParts(byIds, held)}$fn$`);
  await queryRunner.query(`CREATE OR REPLACE FUNCTION recoup_all_currency_fact_parts() RETURNS SETOF partner_fact_currencies
      LANGUAGE sql STABLE AS $fn$${currencyParts(everyone, held)}$fn$`);
}

/** The partner filter of the parts: ` AND <col> = ANY(ids)` (the by-ids functions) or nothing (everyone). */
type PartnerFilter = (col: string) => string;
const byIds: PartnerFilter = (col) => ` AND ${col} = ANY(ids)`;
const everyone: PartnerFilter = () => '';

/**
 * Every promise at D = infinity (alias s), one row per promise: its deadline (promised date + the
 * tolerance days of its item's company code, default 3), paid = the payments on its item dated from
 * its creation to the deadline, `kept` (not cancelled and paid >= amount: KEPT at every D on or
 * after the horizon), `judgeable` (neither cancelled nor kept: OPEN up to its deadline, then
 * PARTIALLY_KEPT when paid > 0, else BROKEN) and `cross_currency` (an in-window payment in another
 * currency than the promise: its status then depends on the rates, so the partner's horizon is
 * infinity). At infinity a cancelled promise is cancelled whatever its cancellation date.
 */
const promisesAtInfinity = (f: PartnerFilter) => `(SELECT s.*, NOT s.cancelled AND s.paid >= s.amount AS kept,
      NOT s.cancelled AND NOT s.paid >= s.amount AS judgeable
    FROM (SELECT q.id, q.partner_id, q.item_id, q.currency, q.created_date, q.cancelled_date, q.promised_date, q.amount, q.cancelled,
        q.promised_date + coalesce(cc.promise_tolerance_days, 3) AS deadline,
        coalesce(sum(y.amount), 0) AS paid, coalesce(bool_or(y.currency <> q.currency), false) AS cross_currency
      FROM promises q LEFT JOIN open_items it ON it.id = q.item_id LEFT JOIN company_codes cc ON cc.code = it.company_code
      LEFT JOIN payments y ON y.item_id = q.item_id AND y.payment_date >= q.created_date
        AND y.payment_date <= q.promised_date + coalesce(cc.promise_tolerance_days, 3)
      WHERE true${f('q.partner_id')}
      GROUP BY q.id, cc.promise_tolerance_days) s)`;

/** Per item with a notice history (alias l), its dunning level at infinity: the highest level dunned. */
const dunningLevels = (f: PartnerFilter) =>
  `(SELECT c.item_id, max(c.level) AS level FROM dunning_level_changes c WHERE true${f('c.partner_id')} GROUP BY c.item_id)`;

/** The disputes open at infinity (alias d): status of the latest status change, else today's. */
const openDisputes = (f: PartnerFilter) => `(SELECT d.* FROM disputes d
      LEFT JOIN (SELECT DISTINCT ON (c.dispute_id) c.dispute_id, c.status FROM dispute_status_changes c
        WHERE true${f('c.partner_id')} ORDER BY c.dispute_id, c.changed_on DESC) h ON h.dispute_id = d.id
      WHERE coalesce(h.status, d.status) IN ('OPEN', 'IN_PROCESS')${f('d.partner_id')})`;

/**
 * Per partner (alias ins), the deadlines (due date + the plan's tolerance days, ascending) of the
 * installments of plans not cancelled that are not paid in full at infinity, by installmentStatusSql's
 * cumulative rule: installment k is paid by what the plan's payments in its window leave after
 * installments 1..k-1. Each is in breach at every D after its deadline.
 */
const unpaidInstallments = (f: PartnerFilter) => `(SELECT n.partner_id, array_agg(n.deadline ORDER BY n.deadline) AS deadlines
    FROM (SELECT n.partner_id, n.due_date + n.tolerance_days AS deadline, n.amount,
        least(greatest(coalesce(sum(pp.amount), 0) - n.before, 0), n.amount) AS paid
      FROM (SELECT n.id, n.plan_id, n.partner_id, n.seq, n.due_date, n.amount, pl.tolerance_days, pl.created_date, pl.currency,
          coalesce(sum(n.amount) OVER (PARTITION BY n.plan_id ORDER BY n.seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
        FROM payment_plan_installments n JOIN payment_plans pl ON pl.id = n.plan_id
        WHERE NOT pl.cancelled${f('n.partner_id')}) n
      LEFT JOIN (SELECT pi.plan_id, y.payment_date, y.amount, y.currency FROM payment_plan_items pi JOIN payments y ON y.item_id = pi.item_id
          WHERE true${f('pi.partner_id')}
        UNION ALL SELECT y.payment_plan_id, y.payment_date, y.amount, y.currency FROM payments y
          WHERE y.payment_plan_id IS NOT NULL AND y.item_id IS NULL${f('y.partner_id')}) pp
        ON pp.plan_id = n.plan_id AND pp.currency = n.currency AND pp.payment_date >= n.created_date
          AND pp.payment_date <= n.due_date + n.tolerance_days
      GROUP BY n.id, n.partner_id, n.due_date, n.amount, n.before, n.tolerance_days) n
    WHERE NOT n.paid >= n.amount
    GROUP BY n.partner_id)`;

/**
 * partner_facts: one row per partner with any AR data. The horizon is its latest event date
 * (-infinity when it has none, e.g. only resubmissions not done), infinity when a promise's status
 * depends on the rates.
 */
function partnerParts(f: PartnerFilter, held: HeldFilter): string {
  return `
  SELECT p.id AS partner_id,
    CASE WHEN pr.cross_currency THEN 'infinity'::date
      ELSE coalesce(greatest(it.last_document, ya.last_payment, pr.last_created, pr.last_cancelled, da.last_created, da.last_changed,
        dsc.last_changed, dlc.last_dunned, ca.last_contact, ra.last_done, pl.last_created, pl.last_cancelled), '-infinity'::date) END AS horizon,
    coalesce(it.max_level, 0)::smallint AS max_dunning_level,
    coalesce(it.codes, '{}'::text[]) AS company_codes,
    ca.last_contact, ca.last_reached_contact, ya.last_payment, ra.next_resubmission,
    coalesce(pr.kept, 0)::integer AS kept_promises,
    ins.deadlines AS installment_deadlines
  FROM partners p
  LEFT JOIN (SELECT i.partner_id, max(i.document_date) AS last_document,
      max(coalesce(l.level, i.dunning_level)) FILTER (WHERE i.open_amount > 0${held('i')}) AS max_level,
      array_agg(DISTINCT i.company_code::text ORDER BY i.company_code::text) FILTER (WHERE i.open_amount > 0${held('i')}) AS codes
    FROM open_items i LEFT JOIN ${dunningLevels(f)} l ON l.item_id = i.id
    WHERE true${f('i.partner_id')} GROUP BY i.partner_id) it ON it.partner_id = p.id
  LEFT JOIN (SELECT y.partner_id, max(y.payment_date) AS last_payment FROM payments y WHERE true${f('y.partner_id')} GROUP BY y.partner_id) ya
    ON ya.partner_id = p.id
  LEFT JOIN (SELECT s.partner_id, max(s.created_date) AS last_created, max(s.cancelled_date) AS last_cancelled,
      count(*) FILTER (WHERE s.kept) AS kept, bool_or(s.cross_currency) AS cross_currency
    FROM ${promisesAtInfinity(f)} s GROUP BY s.partner_id) pr ON pr.partner_id = p.id
  LEFT JOIN (SELECT d.partner_id, max(d.created_date) AS last_created, max((d.status_changed_at AT TIME ZONE 'UTC')::date) AS last_changed
    FROM disputes d WHERE true${f('d.partner_id')} GROUP BY d.partner_id) da ON da.partner_id = p.id
  LEFT JOIN (SELECT c.partner_id, max(c.changed_on) AS last_changed FROM dispute_status_changes c WHERE true${f('c.partner_id')} GROUP BY c.partner_id) dsc
    ON dsc.partner_id = p.id
  LEFT JOIN (SELECT c.partner_id, max(c.dunned_on) AS last_dunned FROM dunning_level_changes c WHERE true${f('c.partner_id')} GROUP BY c.partner_id) dlc
    ON dlc.partner_id = p.id
  LEFT JOIN (SELECT c.partner_id, max(c.contact_date) AS last_contact, max(c.contact_date) FILTER (WHERE c.reached) AS last_reached_contact
    FROM contacts c WHERE true${f('c.partner_id')} GROUP BY c.partner_id) ca ON ca.partner_id = p.id
  LEFT JOIN (SELECT r.partner_id, min(r.resubmission_date) FILTER (WHERE NOT r.done) AS next_resubmission, max(r.done_on) AS last_done
    FROM resubmissions r WHERE true${f('r.partner_id')} GROUP BY r.partner_id) ra ON ra.partner_id = p.id
  LEFT JOIN (SELECT pl.partner_id, max(pl.created_date) AS last_created, max(pl.cancelled_date) AS last_cancelled FROM payment_plans pl
    WHERE true${f('pl.partner_id')} GROUP BY pl.partner_id) pl ON pl.partner_id = p.id
  LEFT JOIN ${unpaidInstallments(f)} ins ON ins.partner_id = p.id
  WHERE (it.partner_id IS NOT NULL OR ya.partner_id IS NOT NULL OR pr.partner_id IS NOT NULL OR da.partner_id IS NOT NULL
    OR dsc.partner_id IS NOT NULL OR dlc.partner_id IS NOT NULL OR ca.partner_id IS NOT NULL OR ra.partner_id IS NOT NULL
    OR pl.partner_id IS NOT NULL)${f('p.id')}
`;
}

/**
 * partner_fact_currencies: one row per partner and currency of an open item (o), an open dispute
 * (od) or any promise (pr), with the flagged open items (fl: an open dispute on the item, or a
 * judgeable promise on it: flagged at D while the promise is OPEN).
 */
function currencyParts(f: PartnerFilter, held: HeldFilter): string {
  return `
  WITH s AS MATERIALIZED ${promisesAtInfinity(f)},
  d AS MATERIALIZED ${openDisputes(f)}
  SELECT partner_id, currency,
    o.due_dates, o.due_amounts, o.due_counts, coalesce(o.dunned_amount, 0) AS dunned_amount, o.blocked_due_dates, o.blocked_counts,
    fl.flag_due_dates, fl.flag_amounts, fl.flag_disputed, fl.flag_blocked, fl.flag_promised_until,
    coalesce(od.disputed_amount, 0) AS disputed_amount, coalesce(od.open_disputes, 0)::integer AS open_disputes,
    pr.promise_deadlines, pr.promise_dates, pr.promise_amounts, pr.promise_paid, coalesce(pr.has_promises, false) AS has_promises
  FROM (SELECT g.partner_id, g.currency,
      array_agg(g.due_date ORDER BY g.due_date) AS due_dates,
      array_agg(g.cum_amount ORDER BY g.due_date) AS due_amounts,
      array_agg(g.cum_count ORDER BY g.due_date) AS due_counts,
      sum(g.dunned) AS dunned_amount,
      array_agg(g.due_date ORDER BY g.due_date) FILTER (WHERE g.blocked > 0) AS blocked_due_dates,
      array_agg(g.cum_blocked ORDER BY g.due_date) FILTER (WHERE g.blocked > 0) AS blocked_counts
    FROM (SELECT g.*, sum(g.amount) OVER w AS cum_amount, (sum(g.n) OVER w)::integer AS cum_count, (sum(g.blocked) OVER w)::integer AS cum_blocked
      FROM (SELECT i.partner_id, i.currency, i.due_date, sum(i.open_amount) AS amount, count(*) AS n,
          count(*) FILTER (WHERE i.dunning_block) AS blocked, sum(i.open_amount) FILTER (WHERE coalesce(l.level, i.dunning_level) >= 1) AS dunned
        FROM open_items i LEFT JOIN ${dunningLevels(f)} l ON l.item_id = i.id
        WHERE i.open_amount > 0${held('i')}${f('i.partner_id')}
        GROUP BY i.partner_id, i.currency, i.due_date) g
      WINDOW w AS (PARTITION BY g.partner_id, g.currency ORDER BY g.due_date)) g
    GROUP BY g.partner_id, g.currency) o
  FULL JOIN (SELECT d.partner_id, d.currency, sum(d.disputed_amount) AS disputed_amount, count(*) AS open_disputes
    FROM d GROUP BY d.partner_id, d.currency) od USING (partner_id, currency)
  FULL JOIN (SELECT s.partner_id, s.currency,
      array_agg(s.deadline ORDER BY s.deadline, s.id) FILTER (WHERE s.judgeable) AS promise_deadlines,
      array_agg(s.promised_date ORDER BY s.deadline, s.id) FILTER (WHERE s.judgeable) AS promise_dates,
      array_agg(s.amount ORDER BY s.deadline, s.id) FILTER (WHERE s.judgeable) AS promise_amounts,
      array_agg(s.paid > 0 ORDER BY s.deadline, s.id) FILTER (WHERE s.judgeable) AS promise_paid,
      true AS has_promises
    FROM s GROUP BY s.partner_id, s.currency) pr USING (partner_id, currency)
  LEFT JOIN (SELECT i.partner_id, i.currency,
      array_agg(i.due_date ORDER BY i.due_date, i.id) AS flag_due_dates,
      array_agg(i.open_amount ORDER BY i.due_date, i.id) AS flag_amounts,
      array_agg(x.disputed ORDER BY i.due_date, i.id) AS flag_disputed,
      array_agg(i.dunning_block ORDER BY i.due_date, i.id) AS flag_blocked,
      array_agg(x.promised_until ORDER BY i.due_date, i.id) AS flag_promised_until
    FROM (SELECT u.item_id, bool_or(u.disputed) AS disputed, max(u.promised_until) AS promised_until
      FROM (SELECT d.item_id, true AS disputed, NULL::date AS promised_until FROM d WHERE d.item_id IS NOT NULL
        UNION ALL SELECT s.item_id, false, s.deadline FROM s WHERE s.judgeable AND s.item_id IS NOT NULL) u
      GROUP BY u.item_id) x
    JOIN open_items i ON i.id = x.item_id
    WHERE i.open_amount > 0${held('i')}${f('i.partner_id')}
    GROUP BY i.partner_id, i.currency) fl USING (partner_id, currency)
`;
}
