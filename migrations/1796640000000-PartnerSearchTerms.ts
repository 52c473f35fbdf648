import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner search by the start of a word: the lower-cased words of every partner's name and its
 * e-mail addresses, each with the partner's sort name, in one btree (term, sort_name, partner_id).
 * A search reads its first page in name order from the index instead of gathering every
 * trigram match and sorting it: at 1M partners a common surname matched ~10k partners and took
 * 170-420 ms that way. Statement-level triggers with transition tables keep the terms exact in
 * the writing statement's own transaction (imports, COPY included, and every API write), set-based.
 * The external id keeps its trigram index (any part of an id, e.g. its last digits). A partner
 * has at most 25 terms (the first 24 words of its name and its e-mail), which bounds how many
 * index rows a search reads for one page (partner-search.service.ts).
 */
export class PartnerSearchTerms1796640000000 implements MigrationInterface {
  name = 'PartnerSearchTerms1796640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "partner_search_terms" ("term" text NOT NULL, "sort_name" text NOT NULL, "partner_id" bigint NOT NULL)`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION recoup_refresh_search_terms(ids bigint[]) RETURNS void LANGUAGE sql AS $$
      DELETE FROM partner_search_terms WHERE partner_id = ANY(ids);
      INSERT INTO partner_search_terms (term, sort_name, partner_id)
      SELECT x.term, lower(p.name), p.id
        FROM partners p
        CROSS JOIN LATERAL (
          SELECT left(w, 200) FROM regexp_split_to_table(lower(p.name), '\\s+') WITH ORDINALITY AS n(w, i) WHERE w <> '' AND i <= 24
          UNION SELECT left(lower(a.email), 200) FROM correspondence_addresses a WHERE a.partner_id = p.id AND a.email <> ''
        ) x(term)
       WHERE p.id = ANY(ids)
       -- in index order: the btree takes sorted keys far faster than random ones
       ORDER BY 1, 2, 3;
    $$`);
    // One trigger function per table and event (transition tables are named per trigger). A
    // partner update refreshes only the partners whose name changed: imports and assignments
    // update many partners and must not pay for terms that stay the same.
    const triggers: Array<[table: string, event: string, referencing: string, ids: string]> = [
      ['partners', 'INSERT', 'NEW TABLE AS changed', 'SELECT c.id FROM changed c'],
      ['partners', 'UPDATE', 'OLD TABLE AS before NEW TABLE AS changed', 'SELECT c.id FROM changed c JOIN before b ON b.id = c.id WHERE b.name IS DISTINCT FROM c.name'],
      ['partners', 'DELETE', 'OLD TABLE AS changed', 'SELECT c.id FROM changed c'],
      ['correspondence_addresses', 'INSERT', 'NEW TABLE AS changed', 'SELECT c.partner_id FROM changed c'],
      ['correspondence_addresses', 'UPDATE', 'OLD TABLE AS before NEW TABLE AS changed', 'SELECT c.partner_id FROM changed c UNION SELECT b.partner_id FROM before b'],
      ['correspondence_addresses', 'DELETE', 'OLD TABLE AS changed', 'SELECT c.partner_id FROM changed c'],
    ];
    for (const [table, event, referencing, ids] of triggers) {
      const fn = `recoup_search_terms_${table}_${event.toLowerCase()}`;
      await queryRunner.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM recoup_refresh_search_terms(ARRAY(${ids}));
          RETURN NULL;
        END $$`);
      await queryRunner.query(`CREATE TRIGGER ${fn} AFTER ${event} ON "${table}" REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
    }
    await queryRunner.query(`SELECT recoup_refresh_search_terms(ARRAY(SELECT id FROM partners))`);
    await queryRunner.query(`CREATE INDEX "idx_partner_search_terms" ON "partner_search_terms" ("term" text_pattern_ops, "sort_name", "partner_id")`);
    await queryRunner.query(`CREATE INDEX "idx_partner_search_terms_partner" ON "partner_search_terms" ("partner_id")`);
    await queryRunner.query(`ANALYZE "partner_search_terms"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['partners', 'correspondence_addresses']) {
      for (const event of ['insert', 'update', 'delete']) {
        await queryRunner.query(`DROP TRIGGER recoup_search_terms_${table}_${event} ON "${table}"`);
        await queryRunner.query(`DROP FUNCTION recoup_search_terms_${table}_${event}()`);
      }
    }
    await queryRunner.query(`DROP FUNCTION recoup_refresh_search_terms(bigint[])`);
    await queryRunner.query(`DROP TABLE "partner_search_terms"`);
  }
}
