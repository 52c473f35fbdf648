import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PointInTimeHistory1796650000000 implements MigrationInterface {
  name = 'PointInTimeHistory1796650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"dispute_status_changes\" (\"dispute_id\" bigint NOT NULL, \"changed_on\" date NOT NULL, \"partner_id\" bigint NOT NULL, \"status\" character varying(12) NOT NULL, CONSTRAINT \"chk_dispute_status_changes_status\" CHECK (status IN ('OPEN', 'IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED')), CONSTRAINT \"PK_c23e055e4242242d369e96f2aee\" PRIMARY KEY (\"dispute_id\", \"changed_on\"))");
    await queryRunner.query("CREATE INDEX \"idx_dispute_status_changes_partner\" ON \"dispute_status_changes\"  (\"partner_id\") ");
    await queryRunner.query("CREATE TABLE \"dunning_level_changes\" (\"item_id\" bigint NOT NULL, \"dunned_on\" date NOT NULL, \"partner_id\" bigint NOT NULL, \"level\" smallint NOT NULL, CONSTRAINT \"PK_de806976c027241d220c5d1ad35\" PRIMARY KEY (\"item_id\", \"dunned_on\"))");
    await queryRunner.query("CREATE INDEX \"idx_dunning_level_changes_partner\" ON \"dunning_level_changes\"  (\"partner_id\") ");
    await queryRunner.query("ALTER TABLE \"resubmissions\" ADD \"done_on\" date");
    // Resubmissions done before this column: their business date is the day they were marked done.
    await queryRunner.query("UPDATE \"resubmissions\" SET \"done_on\" = \"done_at\"::date WHERE \"done\" AND \"done_at\" IS NOT NULL");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"resubmissions\" DROP COLUMN \"done_on\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_dunning_level_changes_partner\"");
    await queryRunner.query("DROP TABLE \"dunning_level_changes\"");
    await queryRunner.query("DROP INDEX \"public\".\"idx_dispute_status_changes_partner\"");
    await queryRunner.query("DROP TABLE \"dispute_status_changes\"");
  }
}
