import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The commission credits summed per day (issue 20, speed; analytics-payment-credits.ts). The
 * commission report without a responsibility filter or a group scope (an ADMIN's, a specialist's,
 * the common case) reads these instead of a row per payment:
 *
 * - `analytics_credit_days`: per payment day, credited specialist, gap (payment day - event day,
 *   0..365: a larger gap credits no one for any N) and currency, the payments and their amount.
 *   A report sums the rows of its days with gap <= N and converts each day's currency once.
 * - `analytics_credit_partner_days`: per partner, specialist and payment day the smallest gap, the
 *   narrow rows the distinct partner count reads (not additive over days).
 *
 * Both are kept with the credits, in the same transaction and by the same partners (the noted ones
 * recomputed, or everything on a full build), so they are exactly as current as the credits and
 * need no triggers of their own. Only partners that exist are counted (the report joins partners).
 * This migration fills both from the credits as they stand, so the report reads them at once.
 */
export class AnalyticsCreditDays1796797000000 implements MigrationInterface {
  name = 'AnalyticsCreditDays1796797000000';

  async up(q: QueryRunner): Promise<void> {
    // Keyed by gap first: a report reads the rows of gap <= N in its days, an index-only range (N = 14: a quarter of the rows).
    await q.query(`CREATE TABLE analytics_credit_days (day date NOT NULL, specialist_id bigint NOT NULL, gap smallint NOT NULL, currency char(3) NOT NULL,
      payments integer NOT NULL, amount numeric(19,4) NOT NULL, PRIMARY KEY (gap, day, specialist_id, currency) INCLUDE (payments, amount))`);
    await q.query(`CREATE TABLE analytics_credit_partner_days (partner_id bigint NOT NULL, specialist_id bigint NOT NULL, day date NOT NULL, gap smallint NOT NULL,
      PRIMARY KEY (partner_id, specialist_id, day))`);
    // Zero sums (every payment of a key recomputed away) are deleted after each recompute: found by this index, not a scan.
    await q.query(`CREATE INDEX idx_analytics_credit_days_zero ON analytics_credit_days (day) WHERE payments = 0`);
    // Likewise the partners' days (N = 14: a third of the rows).
    await q.query(`CREATE INDEX idx_analytics_credit_partner_days_gap ON analytics_credit_partner_days (gap, day, specialist_id, partner_id)`);
    // Filled from the credits as they are (built or not): the partners noted since are recomputed with them, their sums taken out first.
    await q.query(`INSERT INTO analytics_credit_days (day, specialist_id, gap, currency, payments, amount)
      SELECT k.payment_date, k.specialist_id, k.payment_date - k.event_date, k.currency, count(*), sum(k.amount)
        FROM analytics_payment_credits k JOIN partners p ON p.id = k.partner_id WHERE k.payment_date - k.event_date <= 365 GROUP BY 1, 2, 3, 4`);
    await q.query(`INSERT INTO analytics_credit_partner_days (partner_id, specialist_id, day, gap)
      SELECT k.partner_id, k.specialist_id, k.payment_date, min(k.payment_date - k.event_date)
        FROM analytics_payment_credits k JOIN partners p ON p.id = k.partner_id WHERE k.payment_date - k.event_date <= 365 GROUP BY 1, 2, 3`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analytics_credit_partner_days`);
    await q.query(`DROP TABLE analytics_credit_days`);
  }
}
