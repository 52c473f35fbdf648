import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ENGINE_SCHEMA, engineConstructionSql } from '../packages/server/src/jobs/job-engine-schema';

/**
 * The job engine's own schema (pg-boss, schema `pgboss`), created by the engine's construction
 * plan so that workers start with `migrate: false` and never change the schema themselves; in the
 * migration's transaction like every other. A pg-boss upgrade that changes its schema version
 * gets a migration of ours running `PgBoss.getMigrationPlans('pgboss', from)`.
 */
export class JobEngine1796750000000 implements MigrationInterface {
  name = 'JobEngine1796750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(engineConstructionSql());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA ${ENGINE_SCHEMA} CASCADE`);
  }
}
