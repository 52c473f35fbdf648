import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Maintained facts (issue 19): per partner, the date-independent parts of every fact, from which
 * the facts at any key date on or after the partner's horizon derive exactly (fact-rows-maintained.ts).
 * The parts are computed by SQL functions defined here, from the mirror at D = infinity.
 */
export class MaintainedFacts1796690000000 implements MigrationInterface {
  name = 'MaintainedFacts1796690000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE partner_facts (
      partner_id bigint PRIMARY KEY,
      horizon date NOT NULL,
      max_dunning_level smallint NOT NULL DEFAULT 0,
      company_codes text[] NOT NULL DEFAULT '{}',
      last_contact date,
      last_reached_contact date,
      last_payment date,
      next_resubmission date,
      kept_promises integer NOT NULL DEFAULT 0,
      installment_deadlines date[]
    )`);
    await queryRunner.query(`CREATE INDEX idx_partner_facts_horizon ON partner_facts (horizon)`);
    await queryRunner.query(`CREATE TABLE partner_fact_currencies (
      partner_id bigint NOT NULL,
      currency char(3) NOT NULL,
      due_dates date[],
      due_amounts numeric[],
      due_counts integer[],
      dunned_amount numeric NOT NULL DEFAULT 0,
      blocked_due_dates date[],
      blocked_counts integer[],
      flag_due_dates date[],
      flag_amounts numeric[],
      flag_disputed boolean[],
      flag_blocked boolean[],
      flag_promised_until date[],
      disputed_amount numeric NOT NULL DEFAULT 0,
      open_disputes integer NOT NULL DEFAULT 0,
      promise_deadlines date[],
      promise_dates date[],
      promise_amounts numeric[],
      promise_paid boolean[],
      has_promises boolean NOT NULL DEFAULT false,
      PRIMARY KEY (partner_id, currency)
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE partner_fact_currencies`);
    await queryRunner.query(`DROP TABLE partner_facts`);
  }
}
