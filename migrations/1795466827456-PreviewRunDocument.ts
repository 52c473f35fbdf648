import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PreviewRunDocument1795466827456 implements MigrationInterface {
  name = 'PreviewRunDocument1795466827456';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"worklist_runs\" ADD \"document\" jsonb");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"worklist_runs\" DROP COLUMN \"document\"");
  }
}
