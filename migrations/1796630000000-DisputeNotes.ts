import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DisputeNotes1796630000000 implements MigrationInterface {
  name = 'DisputeNotes1796630000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The processing notes apart from the reason the dispute was opened with (which the studio used to overwrite).
    await queryRunner.query("ALTER TABLE \"disputes\" ADD \"notes\" text");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"disputes\" DROP COLUMN \"notes\"");
  }
}
