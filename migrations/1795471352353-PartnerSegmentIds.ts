import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnerSegmentIds1795471352353 implements MigrationInterface {
  name = 'PartnerSegmentIds1795471352353';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"IDX_afd06aa41afdfde39fece1ca38\"");
    await queryRunner.query("CREATE INDEX \"idx_partners_segment_id\" ON \"partners\"  (\"segment\", \"id\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"idx_partners_segment_id\"");
    await queryRunner.query("CREATE INDEX \"IDX_afd06aa41afdfde39fece1ca38\" ON \"partners\" USING btree (\"segment\") ");
  }
}
