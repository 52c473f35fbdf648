import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WorklistRunProgress1796620000000 implements MigrationInterface {
  name = 'WorklistRunProgress1796620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"worklist_runs\" ADD \"progress_phase\" text");
    await queryRunner.query("ALTER TABLE \"worklist_runs\" ADD \"partners_scored\" integer NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"worklist_runs\" ADD \"partners_total\" integer NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"worklist_runs\" ADD \"parts_done\" integer NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"worklist_runs\" ADD \"parts_total\" integer NOT NULL DEFAULT '0'");
    // Runs that ended before progress was recorded: every partner of a succeeded run was scored.
    await queryRunner.query(
      "UPDATE \"worklist_runs\" SET \"partners_total\" = \"partners_evaluated\", \"partners_scored\" = \"partners_evaluated\", \"progress_phase\" = 'done' WHERE \"status\" = 'SUCCEEDED'",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"worklist_runs\" DROP COLUMN \"parts_total\"");
    await queryRunner.query("ALTER TABLE \"worklist_runs\" DROP COLUMN \"parts_done\"");
    await queryRunner.query("ALTER TABLE \"worklist_runs\" DROP COLUMN \"partners_total\"");
    await queryRunner.query("ALTER TABLE \"worklist_runs\" DROP COLUMN \"partners_scored\"");
    await queryRunner.query("ALTER TABLE \"worklist_runs\" DROP COLUMN \"progress_phase\"");
  }
}
