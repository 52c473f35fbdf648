import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The nightly cycle's analytics step: the daily snapshots brought current up to the cycle date at
 * 04:00 UTC, once the night's import, judging and live worklists are done (the reports read them).
 */
export class AnalyticsCycleStep1796781000000 implements MigrationInterface {
  name = 'AnalyticsCycleStep1796781000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO cycle_steps (step, cron, time_zone, depends_on) VALUES ('ANALYTICS', '0 4 * * *', 'UTC', '{IMPORT,JUDGE,WORKLISTS}') ON CONFLICT (step) DO NOTHING`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM cycle_step_runs WHERE step = 'ANALYTICS'`);
    await queryRunner.query(`UPDATE cycle_steps SET depends_on = array_remove(depends_on, 'ANALYTICS')`);
    await queryRunner.query(`DELETE FROM cycle_steps WHERE step = 'ANALYTICS'`);
  }
}
