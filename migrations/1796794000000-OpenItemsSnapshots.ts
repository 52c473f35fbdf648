import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The open items report from the daily analytics snapshots (issue 20, speed): what it needs
 * beyond the open amounts the positions keep, on the same position days.
 *
 * - `analytics_daily_positions` gains `positive_items` and `positive_amount`: of each row, the
 *   items open with a positive amount and their amount (the report leaves credits out; `amount`
 *   nets them, as the KPIs count them). Overdue items are those of the rows with overdue_days > 0.
 * - `analytics_daily_partners`: per position day x segment x group x strategy x specialist, the
 *   partners with a positive open item, distinct within the item dimensions of `grain` (a sum:
 *   4 company code, 2 profit centre, 1 currency; the others NULL): 0 (any item), 4, 2, 1, 6 and 5,
 *   the groupings and the company code filter the report combines. A partner counts once in each
 *   (its responsibility is one row), so groups and totals sum exactly.
 *
 * Snapshots built before lack both: they are marked stale from the start (the reports read the
 * mirror until the next refresh rebuilds them).
 */
export class OpenItemsSnapshots1796794000000 implements MigrationInterface {
  name = 'OpenItemsSnapshots1796794000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analytics_daily_positions ADD COLUMN positive_items integer NOT NULL DEFAULT 0,
      ADD COLUMN positive_amount numeric(24,4) NOT NULL DEFAULT 0`);
    await q.query(`CREATE TABLE analytics_daily_partners (day date NOT NULL, grain smallint NOT NULL, company_code varchar(40), profit_center varchar(40),
      currency char(3), segment varchar(40), group_key varchar(40), strategy_key varchar(60), specialist_id bigint, partners integer NOT NULL)`);
    await q.query(`CREATE INDEX idx_analytics_daily_partners_day ON analytics_daily_partners (day, grain)`);
    await q.query(`UPDATE analytics_snapshot_state SET stale_from = '-infinity' WHERE id = 1 AND built_to IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analytics_daily_partners`);
    await q.query(`ALTER TABLE analytics_daily_positions DROP COLUMN positive_items, DROP COLUMN positive_amount`);
    await q.query(`UPDATE analytics_snapshot_state SET stale_from = '-infinity' WHERE id = 1 AND built_to IS NOT NULL`);
  }
}
