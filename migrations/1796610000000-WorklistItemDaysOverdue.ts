import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Worklist items keep the days overdue of the partner's oldest open item at the key date, so a
 * list filters and sorts by it. Nullable: items of earlier runs have none (and partners on the
 * list for a due resubmission only have no open item). Added on the partitioned parent, so every
 * attached run table gets the column and new run tables (LIKE worklist_items) have it.
 */
export class WorklistItemDaysOverdue1796610000000 implements MigrationInterface {
  name = 'WorklistItemDaysOverdue1796610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "worklist_items" ADD "max_days_overdue" integer');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "worklist_items" DROP COLUMN "max_days_overdue"');
  }
}
