import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SUPERVISOR tokens answer for collection groups (api_token_groups): their analytics cover those groups only. */
export class SupervisorGroups1796720000000 implements MigrationInterface {
  name = 'SupervisorGroups1796720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"api_token_groups\" (\"token_id\" bigint NOT NULL, \"group_key\" character varying(40) NOT NULL, CONSTRAINT \"PK_b542b13348089d1cccc50540e5b\" PRIMARY KEY (\"token_id\", \"group_key\"))");
    await queryRunner.query("ALTER TABLE \"api_token_groups\" ADD CONSTRAINT \"FK_91e0540f04dae2538fb3ff0be3f\" FOREIGN KEY (\"token_id\") REFERENCES \"api_tokens\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"api_token_groups\" ADD CONSTRAINT \"FK_d240da18cc3c3504d67f5b9284b\" FOREIGN KEY (\"group_key\") REFERENCES \"collection_groups\"(\"key\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"api_token_groups\" DROP CONSTRAINT \"FK_d240da18cc3c3504d67f5b9284b\"");
    await queryRunner.query("ALTER TABLE \"api_token_groups\" DROP CONSTRAINT \"FK_91e0540f04dae2538fb3ff0be3f\"");
    await queryRunner.query("DROP TABLE \"api_token_groups\"");
  }
}
