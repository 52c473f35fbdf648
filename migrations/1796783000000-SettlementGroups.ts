import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A commission settlement closed by a SUPERVISOR covers their collection groups only (NULL: the department). */
export class SettlementGroups1796783000000 implements MigrationInterface {
  name = 'SettlementGroups1796783000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "commission_settlements" ADD "group_keys" text array');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "commission_settlements" DROP COLUMN "group_keys"');
  }
}
