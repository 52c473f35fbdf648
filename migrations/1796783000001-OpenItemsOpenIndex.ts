import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The open items, covered: open items by organisational unit at a key date reads those open now
 * (a small share of a mirror that keeps every cleared item) without touching the table.
 */
export class OpenItemsOpenIndex1796783000001 implements MigrationInterface {
  name = 'OpenItemsOpenIndex1796783000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "idx_open_items_open_partner" ON "open_items" ("partner_id") INCLUDE ("id", "company_code", "profit_center", "currency", "amount", "open_amount", "due_date", "document_date") WHERE open_amount > 0',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_open_items_open_partner"');
  }
}
