import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ArRevision1795460000000 implements MigrationInterface {
  name = 'ArRevision1795460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"ar_revision\" (\"id\" smallint NOT NULL, \"revision\" bigint NOT NULL, CONSTRAINT \"PK_ar_revision\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("INSERT INTO \"ar_revision\" (\"id\", \"revision\") VALUES (1, 0)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE \"ar_revision\"");
  }
}
