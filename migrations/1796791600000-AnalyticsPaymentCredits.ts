import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Commission credits kept current (issue 20, speed). A payment is credited to the specialist of
 * the latest contact they made, or promise obtained by one of their contacts, on the paying
 * partner within N days before it (analytics-commission.ts). The latest such event on or before
 * the payment's day, whatever its distance, decides for every N: the payment is credited when that
 * event is at most N days old, and to no one otherwise. So one row per payment with its latest
 * event (`analytics_payment_credits`: payments without any event have none) serves every N, and
 * the report reads the period's payments from it instead of joining payments with contacts.
 *
 * Kept exact by partner: a write to contacts, promises or payments notes its partners
 * (`analytics_credit_dirty`, with the writing transaction, like analytics_snapshot_moved); their
 * rows are recomputed before a report reads (a few) or by the nightly refresh (all). A statement
 * writing more than BULK rows, or a TRUNCATE, marks the whole table unbuilt instead (the report
 * reads the mirror until the refresh rebuilds it).
 */
const BULK = 10_000;
const TRANSITIONS = [
  ['INSERT', 'NEW TABLE AS changed'],
  ['UPDATE', 'OLD TABLE AS before NEW TABLE AS changed'],
  ['DELETE', 'OLD TABLE AS before'],
] as const;
const TABLES = ['contacts', 'promises', 'payments'] as const;

/** The partners a statement's rows touch: their own, and for a contact the partners of the promises it links. */
function partnersOf(table: (typeof TABLES)[number], rows: string): string {
  if (table !== 'contacts') return `SELECT partner_id FROM ${rows}`;
  return `SELECT partner_id FROM ${rows} UNION SELECT q.partner_id FROM ${rows} c JOIN promises q ON q.id = ANY (c.promise_ids)`;
}

/** jit off: the planner's estimates for transition tables are far too high, and compiling cost more than running. */
function noteFunction(table: (typeof TABLES)[number]): string {
  const note = (rows: string) => `IF (SELECT count(*) FROM ${rows}) > ${BULK} THEN
            UPDATE analytics_credit_state SET built = false WHERE id = 1 AND built;
          ELSE
            INSERT INTO analytics_credit_dirty (partner_id, txid) SELECT DISTINCT x.partner_id, txid_current() FROM (${partnersOf(table, rows)}) x
              WHERE x.partner_id IS NOT NULL ON CONFLICT DO NOTHING;
          END IF;`;
  return `CREATE FUNCTION recoup_credit_${table}_write() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${note('changed')}
        ELSIF TG_OP = 'DELETE' THEN
          ${note('before')}
        ELSE
          ${note('before')}
          ${note('changed')}
        END IF;
        RETURN NULL;
      END $$`;
}

export class AnalyticsPaymentCredits1796791600000 implements MigrationInterface {
  name = 'AnalyticsPaymentCredits1796791600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analytics_payment_credits (payment_id bigint NOT NULL, partner_id bigint NOT NULL, payment_date date NOT NULL,
      amount numeric(19,4) NOT NULL, currency char(3) NOT NULL, event_date date NOT NULL, specialist_id bigint NOT NULL,
      PRIMARY KEY (partner_id, payment_id))`);
    await q.query(`CREATE INDEX idx_analytics_payment_credits_date ON analytics_payment_credits (payment_date)`);
    await q.query(`CREATE TABLE analytics_credit_dirty (partner_id bigint NOT NULL, txid bigint NOT NULL, PRIMARY KEY (partner_id, txid))`);
    await q.query(`CREATE TABLE analytics_credit_state (id smallint PRIMARY KEY CHECK (id = 1), built boolean NOT NULL DEFAULT false, built_at timestamptz)`);
    await q.query(`INSERT INTO analytics_credit_state (id) VALUES (1)`);
    await q.query(`CREATE FUNCTION recoup_credit_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE analytics_credit_state SET built = false WHERE id = 1 AND built; RETURN NULL; END $$`);
    for (const table of TABLES) {
      await q.query(noteFunction(table));
      for (const [event, referencing] of TRANSITIONS) {
        await q.query(
          `CREATE TRIGGER recoup_credit_${table}_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION recoup_credit_${table}_write()`,
        );
      }
      await q.query(`CREATE TRIGGER recoup_credit_${table}_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION recoup_credit_truncated()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`DROP TRIGGER recoup_credit_${table}_truncate ON ${table}`);
      for (const [event] of TRANSITIONS) await q.query(`DROP TRIGGER recoup_credit_${table}_${event.toLowerCase()} ON ${table}`);
      await q.query(`DROP FUNCTION recoup_credit_${table}_write()`);
    }
    await q.query(`DROP FUNCTION recoup_credit_truncated()`);
    await q.query(`DROP TABLE analytics_credit_state`);
    await q.query(`DROP TABLE analytics_credit_dirty`);
    await q.query(`DROP TABLE analytics_payment_credits`);
  }
}
