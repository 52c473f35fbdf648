import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The promise report's daily aggregate (issue 20, speed; analytics-snapshot-promises.ts), kept by
 * the analytics snapshots' refresh beside the flows: per day a promise's judgement becomes final
 * (`day`: the day after its deadline, or its cancellation if later) x the day it was made x its
 * status, level, item's company code and profit centre, currency and the responsibility's
 * dimensions: promises, promised and paid amounts (in the promise's currency), days late and the
 * promises they count over. A promise paid in another currency is listed by id (`promise_id`).
 *
 * A report at D judges from the mirror the promises not final at D: those whose span (made to
 * promised or cancelled) meets [D - largest tolerance, D], found by the GiST index on that span.
 *
 * Staleness, in the writing transaction (recoup_analytics_mark, as the other aggregates): a row is
 * never dated before its promise's promised date + 1 + the smallest negative tolerance (EARLIEST),
 * so a promise written (made, removed, any column the report reads changed: cancelled, moved,
 * re-dated) marks from there (old and new); the promises on an item whose company code or profit
 * centre changed, or that came or went, likewise; a company code's tolerance changed, the promises
 * of its items. Payments on items mark from their date already (AnalyticsSnapshots): a payment
 * counts only for promises whose deadline is on or after it, dated later. The judging run's
 * updates (judged status) mark nothing. Fx rates change no row: promises paid in another currency
 * are judged when read.
 */
const EARLIEST = (q: string) => `${q}.promised_date + 1 + least(0, (SELECT min(promise_tolerance_days) FROM company_codes))`;
const SPAN = `daterange(least(created_date, promised_date), greatest(created_date, promised_date, CASE WHEN cancelled THEN cancelled_date END), '[]')`;

export class AnalyticsDailyPromises1796795000000 implements MigrationInterface {
  name = 'AnalyticsDailyPromises1796795000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analytics_daily_promises (day date NOT NULL, made_on date NOT NULL, status varchar(14), level smallint NOT NULL,
      company_code varchar(40), profit_center varchar(40), segment varchar(40), group_key varchar(40), strategy_key varchar(60), specialist_id bigint,
      currency char(3) NOT NULL, promise_id bigint, n integer NOT NULL, promised numeric(24,4) NOT NULL, paid numeric(24,4) NOT NULL,
      late_days integer NOT NULL, paid_count integer NOT NULL)`);
    await q.query(`CREATE INDEX idx_analytics_daily_promises_day ON analytics_daily_promises (day)`);
    // The few promises paid in another currency, read apart from the rest of a period's rows.
    await q.query(`CREATE INDEX idx_analytics_daily_promises_foreign ON analytics_daily_promises (made_on) WHERE promise_id IS NOT NULL`);
    await q.query(`CREATE INDEX idx_promises_span ON promises USING gist ((${SPAN}))`);
    // Snapshots built before hold no promises: the next refresh rebuilds them (reports read the mirror meanwhile).
    await q.query(`UPDATE analytics_snapshot_state SET stale_from = '-infinity' WHERE id = 1 AND built_to IS NOT NULL`);

    const changed = `o.partner_id IS DISTINCT FROM n.partner_id OR o.item_id IS DISTINCT FROM n.item_id OR o.created_date IS DISTINCT FROM n.created_date
      OR o.promised_date IS DISTINCT FROM n.promised_date OR o.amount IS DISTINCT FROM n.amount OR o.currency IS DISTINCT FROM n.currency
      OR o.cancelled IS DISTINCT FROM n.cancelled OR o.cancelled_date IS DISTINCT FROM n.cancelled_date OR o.level IS DISTINCT FROM n.level`;
    await q.query(`CREATE FUNCTION recoup_analytics_judged_promises_write() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM recoup_analytics_mark((SELECT min(${EARLIEST('n')}) FROM changed n), false);
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM recoup_analytics_mark((SELECT min(${EARLIEST('o')}) FROM before o), false);
        ELSE
          PERFORM recoup_analytics_mark((SELECT min(least(${EARLIEST('o')}, ${EARLIEST('n')})) FROM before o JOIN changed n ON n.id = o.id WHERE ${changed}), false);
        END IF;
        RETURN NULL;
      END $$`);
    const promisesOn = (items: string) =>
      `PERFORM recoup_analytics_mark((SELECT min(${EARLIEST('q')}) FROM promises q WHERE q.item_id IN (${items})), false)`;
    await q.query(`CREATE FUNCTION recoup_analytics_promised_items_write() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${promisesOn('SELECT id FROM changed')};
        ELSIF TG_OP = 'DELETE' THEN
          ${promisesOn('SELECT id FROM before')};
        ELSE
          ${promisesOn(`SELECT o.id FROM before o JOIN changed n ON n.id = o.id
            WHERE o.company_code IS DISTINCT FROM n.company_code OR o.profit_center IS DISTINCT FROM n.profit_center`)};
        END IF;
        RETURN NULL;
      END $$`);
    // A company code's tolerance moves (an update: the codes whose tolerance or key differ before and after) the deadline of the promises on its items (3 without the code).
    const promisesOfCodes = (codes: string) =>
      `PERFORM recoup_analytics_mark((SELECT min(${EARLIEST('q')}) FROM promises q JOIN open_items i ON i.id = q.item_id WHERE i.company_code IN (${codes})), false)`;
    await q.query(`CREATE FUNCTION recoup_analytics_company_codes_write() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${promisesOfCodes('SELECT code FROM changed WHERE promise_tolerance_days <> 3')};
        ELSIF TG_OP = 'DELETE' THEN
          ${promisesOfCodes('SELECT code FROM before WHERE promise_tolerance_days <> 3')};
        ELSE
          ${promisesOfCodes(`SELECT code FROM (SELECT code, promise_tolerance_days FROM before EXCEPT SELECT code, promise_tolerance_days FROM changed) r
            UNION SELECT code FROM (SELECT code, promise_tolerance_days FROM changed EXCEPT SELECT code, promise_tolerance_days FROM before) a`)};
        END IF;
        RETURN NULL;
      END $$`);
    for (const [table, fn, name] of TRIGGERS) {
      for (const [event, referencing] of TRANSITIONS) {
        await q.query(
          `CREATE TRIGGER recoup_analytics_${name}_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
        );
      }
    }
    await q.query(`CREATE TRIGGER recoup_analytics_company_codes_truncate AFTER TRUNCATE ON company_codes FOR EACH STATEMENT EXECUTE FUNCTION recoup_analytics_truncated()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER recoup_analytics_company_codes_truncate ON company_codes`);
    for (const [table, fn, name] of TRIGGERS) {
      for (const [event] of TRANSITIONS) await q.query(`DROP TRIGGER recoup_analytics_${name}_${event.toLowerCase()} ON ${table}`);
      await q.query(`DROP FUNCTION ${fn}()`);
    }
    await q.query(`DROP INDEX idx_promises_span`);
    await q.query(`DROP TABLE analytics_daily_promises`);
  }
}

/** Table, function, trigger name (promises and open_items have other analytics triggers already). */
const TRIGGERS = [
  ['promises', 'recoup_analytics_judged_promises_write', 'judged_promises'],
  ['open_items', 'recoup_analytics_promised_items_write', 'promised_items'],
  ['company_codes', 'recoup_analytics_company_codes_write', 'company_codes'],
] as const;

/** The statement triggers of a written table: each event with its transition tables. */
const TRANSITIONS = [
  ['INSERT', 'NEW TABLE AS changed'],
  ['UPDATE', 'OLD TABLE AS before NEW TABLE AS changed'],
  ['DELETE', 'OLD TABLE AS before'],
] as const;
