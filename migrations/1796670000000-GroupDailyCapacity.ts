import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GroupDailyCapacity1796670000000 implements MigrationInterface {
  name = 'GroupDailyCapacity1796670000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Partners a group works in a day: the k of a backtest's capture at capacity (null: a fallback from its specialists).
    await queryRunner.query("ALTER TABLE \"collection_groups\" ADD \"daily_capacity\" integer");
    await queryRunner.query("ALTER TABLE \"collection_groups\" ADD CONSTRAINT \"chk_collection_groups_daily_capacity\" CHECK (daily_capacity IS NULL OR daily_capacity > 0)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"collection_groups\" DROP CONSTRAINT \"chk_collection_groups_daily_capacity\"");
    await queryRunner.query("ALTER TABLE \"collection_groups\" DROP COLUMN \"daily_capacity\"");
  }
}
