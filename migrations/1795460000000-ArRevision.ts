import type { MigrationInterface, QueryRunner } from 'typeorm';

const AR_TABLES = ['partners', 'open_items', 'payments', 'promises', 'disputes', 'contacts', 'resubmissions', 'fx_rates', 'company_codes'];

export class ArRevision1795460000000 implements MigrationInterface {
  name = 'ArRevision1795460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"ar_revision\" (\"id\" smallint NOT NULL, \"revision\" bigint NOT NULL, CONSTRAINT \"PK_ar_revision\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("INSERT INTO \"ar_revision\" (\"id\", \"revision\") VALUES (1, 0)");
    // Every statement that writes the AR mirror bumps the revision in its own transaction, whoever
    // wrote it (import, the API, a script), so a reader can trust an unchanged revision. Statement-
    // level: one update per statement, nothing per row.
    await queryRunner.query(`CREATE FUNCTION bump_ar_revision() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE ar_revision SET revision = revision + 1 WHERE id = 1; RETURN NULL; END $$`);
    for (const table of AR_TABLES) {
      await queryRunner.query(`CREATE TRIGGER trg_${table}_ar_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION bump_ar_revision()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of AR_TABLES) await queryRunner.query(`DROP TRIGGER trg_${table}_ar_revision ON ${table}`);
    await queryRunner.query("DROP FUNCTION bump_ar_revision()");
    await queryRunner.query("DROP TABLE \"ar_revision\"");
  }
}
