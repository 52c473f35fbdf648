import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The nightly cycle as configuration (cycle_steps, seeded with a default night in UTC: import,
 * judging, dunning, worklist generation waiting for import and judging, correspondence after
 * dunning) and one row per step and cycle date (cycle_step_runs).
 */
export class NightlyCycle1796750000001 implements MigrationInterface {
  name = 'NightlyCycle1796750000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"cycle_steps\" (\"step\" character varying(32) NOT NULL, \"cron\" character varying(100) NOT NULL, \"time_zone\" character varying(64) NOT NULL, \"depends_on\" character varying(32) array NOT NULL DEFAULT '{}', \"enabled\" boolean NOT NULL DEFAULT true, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_b2408b51d1f4517672747390c5c\" PRIMARY KEY (\"step\"))");
    await queryRunner.query("CREATE TABLE \"cycle_step_runs\" (\"cycle_date\" date NOT NULL, \"step\" character varying(32) NOT NULL, \"state\" character varying(16) NOT NULL, \"job_id\" uuid, \"due_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"queued_at\" TIMESTAMP WITH TIME ZONE, \"finished_at\" TIMESTAMP WITH TIME ZONE, \"error\" text, CONSTRAINT \"chk_cycle_step_runs_state\" CHECK (state IN ('WAITING', 'QUEUED', 'DONE', 'FAILED')), CONSTRAINT \"PK_27709db88a40320f75a1755a460\" PRIMARY KEY (\"cycle_date\", \"step\"))");
    await queryRunner.query("CREATE INDEX \"idx_cycle_step_runs_state\" ON \"cycle_step_runs\"  (\"state\") ");
    await queryRunner.query(`INSERT INTO cycle_steps (step, cron, time_zone, depends_on) VALUES
      ('IMPORT', '0 1 * * *', 'UTC', '{}'),
      ('JUDGE', '30 1 * * *', 'UTC', '{IMPORT}'),
      ('DUNNING', '0 2 * * *', 'UTC', '{IMPORT,JUDGE}'),
      ('WORKLISTS', '0 3 * * *', 'UTC', '{IMPORT,JUDGE}'),
      ('CORRESPONDENCE', '0 6 * * *', 'UTC', '{DUNNING}')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"idx_cycle_step_runs_state\"");
    await queryRunner.query("DROP TABLE \"cycle_step_runs\"");
    await queryRunner.query("DROP TABLE \"cycle_steps\"");
  }
}
