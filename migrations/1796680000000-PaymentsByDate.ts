import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentsByDate1796680000000 implements MigrationInterface {
  name = 'PaymentsByDate1796680000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE INDEX \"idx_payments_item_payment_date\" ON \"payments\"  (\"payment_date\") WHERE item_id IS NOT NULL");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"idx_payments_item_payment_date\"");
  }
}
