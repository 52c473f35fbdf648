import type { MigrationInterface, QueryRunner } from 'typeorm';

// The history the facts at a key date read: a write to it changes facts, so it bumps the AR
// revision like the other AR tables (ArRevision), and a kept preview's facts go stale.
const HISTORY_TABLES = ['dispute_status_changes', 'dunning_level_changes'];

export class PaymentsByDate1796680000000 implements MigrationInterface {
  name = 'PaymentsByDate1796680000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE INDEX \"idx_payments_item_payment_date\" ON \"payments\"  (\"payment_date\") WHERE item_id IS NOT NULL");
    for (const table of HISTORY_TABLES) {
      await queryRunner.query(`CREATE TRIGGER trg_${table}_ar_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION bump_ar_revision()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of HISTORY_TABLES) await queryRunner.query(`DROP TRIGGER trg_${table}_ar_revision ON ${table}`);
    await queryRunner.query("DROP INDEX \"public\".\"idx_payments_item_payment_date\"");
  }
}
