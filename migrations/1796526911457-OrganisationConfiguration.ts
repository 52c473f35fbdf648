import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisation as configuration: a version per object (optimistic concurrency), `active` for
 * company codes and groups, company code keys of 1-40 characters like every other key (widened
 * in place: a varchar's length grows without a rewrite), and the coordinator backend of a run.
 */
export class OrganisationConfiguration1796526911457 implements MigrationInterface {
  name = 'OrganisationConfiguration1796526911457';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"company_codes\" ADD \"active\" boolean NOT NULL DEFAULT true");
    await queryRunner.query("ALTER TABLE \"company_codes\" ADD \"version\" integer NOT NULL DEFAULT '1'");
    await queryRunner.query("ALTER TABLE \"collection_segments\" ADD \"version\" integer NOT NULL DEFAULT '1'");
    await queryRunner.query("ALTER TABLE \"collection_profiles\" ADD \"version\" integer NOT NULL DEFAULT '1'");
    await queryRunner.query("ALTER TABLE \"collection_groups\" ADD \"active\" boolean NOT NULL DEFAULT true");
    await queryRunner.query("ALTER TABLE \"collection_groups\" ADD \"version\" integer NOT NULL DEFAULT '1'");
    await queryRunner.query("ALTER TABLE \"specialists\" ADD \"version\" integer NOT NULL DEFAULT '1'");
    await queryRunner.query("ALTER TABLE \"specialist_absences\" ADD \"version\" integer NOT NULL DEFAULT '1'");
    await queryRunner.query("ALTER TABLE \"worklist_runs\" ADD \"coordinator_pid\" integer");
    await queryRunner.query("ALTER TABLE \"collection_segment_company_codes\" DROP CONSTRAINT \"FK_15744f1befe5708efe4d7f2514b\"");
    await queryRunner.query("ALTER TABLE \"company_codes\" ALTER COLUMN \"code\" TYPE character varying(40)");
    await queryRunner.query("ALTER TABLE \"open_items\" ALTER COLUMN \"company_code\" TYPE character varying(40)");
    await queryRunner.query("ALTER TABLE \"collection_segment_company_codes\" ALTER COLUMN \"company_code\" TYPE character varying(40)");
    await queryRunner.query("ALTER TABLE \"collection_segment_company_codes\" ADD CONSTRAINT \"FK_15744f1befe5708efe4d7f2514b\" FOREIGN KEY (\"company_code\") REFERENCES \"company_codes\"(\"code\") ON DELETE CASCADE ON UPDATE CASCADE");
    await queryRunner.query("ALTER TABLE \"specialist_absences\" ADD CONSTRAINT \"chk_specialist_absences_dates\" CHECK (ends_on >= starts_on)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"specialist_absences\" DROP CONSTRAINT \"chk_specialist_absences_dates\"");
    await queryRunner.query("ALTER TABLE \"collection_segment_company_codes\" DROP CONSTRAINT \"FK_15744f1befe5708efe4d7f2514b\"");
    await queryRunner.query("ALTER TABLE \"collection_segment_company_codes\" ALTER COLUMN \"company_code\" TYPE character varying(10)");
    await queryRunner.query("ALTER TABLE \"open_items\" ALTER COLUMN \"company_code\" TYPE character varying(10)");
    await queryRunner.query("ALTER TABLE \"company_codes\" ALTER COLUMN \"code\" TYPE character varying(10)");
    await queryRunner.query("ALTER TABLE \"collection_segment_company_codes\" ADD CONSTRAINT \"FK_15744f1befe5708efe4d7f2514b\" FOREIGN KEY (\"company_code\") REFERENCES \"company_codes\"(\"code\") ON DELETE CASCADE ON UPDATE CASCADE");
    await queryRunner.query("ALTER TABLE \"worklist_runs\" DROP COLUMN \"coordinator_pid\"");
    await queryRunner.query("ALTER TABLE \"specialist_absences\" DROP COLUMN \"version\"");
    await queryRunner.query("ALTER TABLE \"specialists\" DROP COLUMN \"version\"");
    await queryRunner.query("ALTER TABLE \"collection_groups\" DROP COLUMN \"version\"");
    await queryRunner.query("ALTER TABLE \"collection_groups\" DROP COLUMN \"active\"");
    await queryRunner.query("ALTER TABLE \"collection_profiles\" DROP COLUMN \"version\"");
    await queryRunner.query("ALTER TABLE \"collection_segments\" DROP COLUMN \"version\"");
    await queryRunner.query("ALTER TABLE \"company_codes\" DROP COLUMN \"version\"");
    await queryRunner.query("ALTER TABLE \"company_codes\" DROP COLUMN \"active\"");
  }
}
