import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner search: a trigram GIN index over the lower-cased name and external id finds "orbit"
 * anywhere in "Orbit Consulting" without a scan; a btree with text_pattern_ops on the lower-cased
 * e-mail serves prefixes (LIKE 'ana.m%') under any collation. pg_trgm ships with Postgres and PGlite.
 */
export class PartnerSearch1796600000000 implements MigrationInterface {
  name = 'PartnerSearch1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query('CREATE INDEX "idx_partners_search_trgm" ON "partners" USING gin (lower(name) gin_trgm_ops, lower(external_id) gin_trgm_ops)');
    await queryRunner.query('CREATE INDEX "idx_correspondence_addresses_email_prefix" ON "correspondence_addresses" (lower(email) text_pattern_ops)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "idx_correspondence_addresses_email_prefix"');
    await queryRunner.query('DROP INDEX "idx_partners_search_trgm"');
  }
}
