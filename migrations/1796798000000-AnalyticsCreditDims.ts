import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The kept commission credits per responsibility (issue 20, speed; analytics-payment-credits.ts).
 * The per-day sums (`analytics_credit_days`) gain the partners' segment, group and the group's
 * strategy as key columns, and each partner's credited days (`analytics_credit_partner_days`) the
 * same three columns, so the commission report reads them under every filter and a SUPERVISOR's
 * groups (the company code by the segments covering it) instead of joining each credit with the
 * partners' responsibility. The distinct partners read their own columns rather than joining
 * analytics_snapshot_partners: those are exact whenever the credits are (kept in the same
 * transaction), need no second staleness check, and keep the count index-only.
 *
 * Kept exact when a partner moves: a partner whose segment or group changes, a partner written
 * with credits, and the partners a collection group's change moves (its own partners and those of
 * its segments, whose default group may change) are noted in analytics_credit_dirty, so their rows
 * are taken out under the responsibility they were added with and put back under today's. A
 * statement moving more than BULK such partners marks the credits unbuilt instead (the report
 * reads the mirror until the nightly refresh rebuilds them). A partner's specialist does not
 * change commission (credited to the contact's author), so it notes nothing.
 */
const BULK = 10_000;
const TRANSITIONS = [
  ['INSERT', 'NEW TABLE AS changed'],
  ['UPDATE', 'OLD TABLE AS before NEW TABLE AS changed'],
  ['DELETE', 'OLD TABLE AS before'],
] as const;

/** Notes the partners `select` returns (column id), or unbuilds the credits when there are more than BULK. */
const note = (select: string) => `IF (SELECT count(*) FROM (${select} LIMIT ${BULK + 1}) x) > ${BULK} THEN
            UPDATE analytics_credit_state SET built = false WHERE id = 1 AND built;
          ELSE
            INSERT INTO analytics_credit_dirty (partner_id, txid) SELECT DISTINCT x.id, txid_current() FROM (${select}) x ON CONFLICT DO NOTHING;
          END IF;`;

/** Partners with kept credits (only their rows can move). */
const credited = (alias: string) => `EXISTS (SELECT 1 FROM analytics_payment_credits k WHERE k.partner_id = ${alias}.id)`;

const PARTNERS_WRITE = `CREATE FUNCTION recoup_credit_partners_write() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          ${note(`SELECT n.id FROM before o JOIN changed n ON n.id = o.id
            WHERE (o.segment IS DISTINCT FROM n.segment OR o.collection_group_key IS DISTINCT FROM n.collection_group_key) AND ${credited('n')}`)}
        ELSIF TG_OP = 'INSERT' THEN
          ${note(`SELECT n.id FROM changed n WHERE ${credited('n')}`)}
        ELSE
          ${note(`SELECT o.id FROM before o WHERE ${credited('o')}`)}
        END IF;
        RETURN NULL;
      END $$`;

/** The partners of groups `keys` and of segments `segments` (their default group may change) with credits. */
const partnersOfGroups = (rows: string) => `SELECT p.id FROM partners p
            WHERE (p.collection_group_key IN (SELECT g.key FROM (${rows}) g) OR p.segment IN (SELECT g.segment_key FROM (${rows}) g)) AND ${credited('p')}`;

const GROUPS_WRITE = `CREATE FUNCTION recoup_credit_collection_groups_write() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          ${note(
            partnersOfGroups(`SELECT o.key, o.segment_key FROM before o LEFT JOIN changed n ON n.key = o.key
              WHERE n.key IS NULL OR n.segment_key IS DISTINCT FROM o.segment_key OR n.strategy_key IS DISTINCT FROM o.strategy_key
             UNION SELECT n.key, n.segment_key FROM changed n LEFT JOIN before o ON o.key = n.key
              WHERE o.key IS NULL OR n.segment_key IS DISTINCT FROM o.segment_key OR n.strategy_key IS DISTINCT FROM o.strategy_key`),
          )}
        ELSIF TG_OP = 'INSERT' THEN
          ${note(partnersOfGroups('SELECT key, segment_key FROM changed'))}
        ELSE
          ${note(partnersOfGroups('SELECT key, segment_key FROM before'))}
        END IF;
        RETURN NULL;
      END $$`;

export class AnalyticsCreditDims1796798000000 implements MigrationInterface {
  name = 'AnalyticsCreditDims1796798000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analytics_credit_days`);
    // The responsibility in the key (group and strategy may be NULL: one key per NULL, not one row per insert).
    await q.query(`CREATE TABLE analytics_credit_days (day date NOT NULL, specialist_id bigint NOT NULL, gap smallint NOT NULL, currency char(3) NOT NULL,
      segment varchar(40) NOT NULL, group_key varchar(40), strategy_key varchar(60), payments integer NOT NULL, amount numeric(19,4) NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX uq_analytics_credit_days ON analytics_credit_days (gap, day, specialist_id, currency, segment, group_key, strategy_key)
      INCLUDE (payments, amount) NULLS NOT DISTINCT`);
    await q.query(`CREATE INDEX idx_analytics_credit_days_zero ON analytics_credit_days (day) WHERE payments = 0`);
    await q.query(`ALTER TABLE analytics_credit_partner_days ADD COLUMN segment varchar(40), ADD COLUMN group_key varchar(40), ADD COLUMN strategy_key varchar(60)`);
    await q.query(`DROP INDEX idx_analytics_credit_partner_days_gap`);
    await q.query(`CREATE INDEX idx_analytics_credit_partner_days_gap ON analytics_credit_partner_days (gap, day, specialist_id, partner_id)
      INCLUDE (segment, group_key, strategy_key)`);
    // Filled from the credits as they stand with today's responsibility (as responsibilityCte computes it): the partner days first, the sums under theirs.
    await q.query(`DELETE FROM analytics_credit_partner_days`);
    await q.query(`INSERT INTO analytics_credit_partner_days (partner_id, specialist_id, day, gap, segment, group_key, strategy_key)
      WITH only_group AS (SELECT segment_key, min(key) AS key FROM collection_groups GROUP BY segment_key HAVING count(*) = 1)
      SELECT k.partner_id, k.specialist_id, k.payment_date, min(k.payment_date - k.event_date), p.segment, g.key, g.strategy_key
        FROM analytics_payment_credits k JOIN partners p ON p.id = k.partner_id
        LEFT JOIN only_group og ON og.segment_key = p.segment LEFT JOIN collection_groups g ON g.key = coalesce(p.collection_group_key, og.key)
       WHERE k.payment_date - k.event_date <= 365 GROUP BY k.partner_id, k.specialist_id, k.payment_date, p.segment, g.key, g.strategy_key`);
    await q.query(`ALTER TABLE analytics_credit_partner_days ALTER COLUMN segment SET NOT NULL`);
    await q.query(`INSERT INTO analytics_credit_days (day, specialist_id, gap, currency, segment, group_key, strategy_key, payments, amount)
      SELECT k.payment_date, k.specialist_id, k.payment_date - k.event_date, k.currency, r.segment, r.group_key, r.strategy_key, count(*), sum(k.amount)
        FROM analytics_payment_credits k JOIN (SELECT DISTINCT partner_id, segment, group_key, strategy_key FROM analytics_credit_partner_days) r ON r.partner_id = k.partner_id
       WHERE k.payment_date - k.event_date <= 365 GROUP BY 1, 2, 3, 4, 5, 6, 7`);
    await q.query(PARTNERS_WRITE);
    await q.query(GROUPS_WRITE);
    for (const table of ['partners', 'collection_groups']) {
      for (const [event, referencing] of TRANSITIONS) {
        await q.query(
          `CREATE TRIGGER recoup_credit_${table}_${event.toLowerCase()} AFTER ${event} ON ${table} REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION recoup_credit_${table}_write()`,
        );
      }
    }
    // A TRUNCATE of the groups sets no partner's group (FK), of the partners removes their credits' partner: rebuilt.
    for (const table of ['partners', 'collection_groups']) {
      await q.query(`CREATE TRIGGER recoup_credit_${table}_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION recoup_credit_truncated()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['partners', 'collection_groups']) {
      await q.query(`DROP TRIGGER recoup_credit_${table}_truncate ON ${table}`);
      for (const [event] of TRANSITIONS) await q.query(`DROP TRIGGER recoup_credit_${table}_${event.toLowerCase()} ON ${table}`);
      await q.query(`DROP FUNCTION recoup_credit_${table}_write()`);
    }
    await q.query(`DROP INDEX idx_analytics_credit_partner_days_gap`);
    await q.query(`ALTER TABLE analytics_credit_partner_days DROP COLUMN segment, DROP COLUMN group_key, DROP COLUMN strategy_key`);
    await q.query(`CREATE INDEX idx_analytics_credit_partner_days_gap ON analytics_credit_partner_days (gap, day, specialist_id, partner_id)`);
    await q.query(`DROP TABLE analytics_credit_days`);
    await q.query(`CREATE TABLE analytics_credit_days (day date NOT NULL, specialist_id bigint NOT NULL, gap smallint NOT NULL, currency char(3) NOT NULL,
      payments integer NOT NULL, amount numeric(19,4) NOT NULL, PRIMARY KEY (gap, day, specialist_id, currency) INCLUDE (payments, amount))`);
    await q.query(`CREATE INDEX idx_analytics_credit_days_zero ON analytics_credit_days (day) WHERE payments = 0`);
    await q.query(`INSERT INTO analytics_credit_days (day, specialist_id, gap, currency, payments, amount)
      SELECT k.payment_date, k.specialist_id, k.payment_date - k.event_date, k.currency, count(*), sum(k.amount)
        FROM analytics_payment_credits k JOIN partners p ON p.id = k.partner_id WHERE k.payment_date - k.event_date <= 365 GROUP BY 1, 2, 3, 4`);
  }
}
