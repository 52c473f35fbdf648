import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * partnerSearch over HTTP: the start of any word of the name (every word of the text), the
 * external id anywhere (any case), e-mail by prefix only, LIKE wildcards taken literally, keyset pages, a SPECIALIST limited to their own partners,
 * and the plan served by the migration's indexes.
 */
const SEARCH = `query S($text: String!, $first: Int, $after: String) {
  partnerSearch(text: $text, first: $first, after: $after) { edges { cursor node { id externalId name segment email } } pageInfo { hasNextPage endCursor } }
}`;

let db: Database;
let app: RunningApp;
let admin: string;
let specialist: string;

const names: Record<number, string> = {
  7001: 'Orbit Consulting GmbH',
  7002: 'Nordic Orbital Freight',
  7003: 'Helix Media',
  7004: 'Summit 100% Foods',
  7005: 'ORBIT HOLDINGS',
  7006: 'Vertex Partners',
};

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(
    db,
    'PS',
    strategyDocument({ key: 'PS', name: 'PS', rules: [rule('Any', 10, 'condition', when('amountToBeCollected', 'greaterThan', 0))] }),
  );
  await insertSegment(db, 'PS', [{ key: 'PS_G', strategyKey: 'PS' }]);
  await insertSpecialist(db, 971, 'PS_G');
  await insertPartners(db, [...Object.keys(names).map((id) => ({ id: Number(id), segment: 'PS' })), { id: 7007, segment: 'PS', specialist: 971 }]);
  for (const [id, name] of Object.entries(names)) await query(db, `UPDATE partners SET name = $2 WHERE id = $1`, [id, name]);
  await query(db, `UPDATE partners SET name = 'Orbit Fixed Services', external_id = 'EXT-ORB-7007' WHERE id = 7007`);
  await query(db, `INSERT INTO correspondence_addresses (partner_id, email) VALUES (7003, 'Ana.Moreau@helix.example'), (7006, 'billing@orbit-vertex.example')`);
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
  specialist = await createTestToken(db, 'SPECIALIST', '971');
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

async function search(text: string, token = admin, first?: number, after?: string) {
  const res = await gql(app.url, SEARCH, { text, first, after }, token);
  expect(res.errors).toBeUndefined();
  return res.data.partnerSearch as {
    edges: Array<{ cursor: string; node: { id: string; externalId: string; name: string; email: string | null } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
const namesOf = (page: Awaited<ReturnType<typeof search>>) => page.edges.map((e) => e.node.name);

describe('partnerSearch', () => {
  it('finds a name by the start of any of its words, in any case, ordered by name', async () => {
    expect(namesOf(await search('orbit'))).toEqual(['Nordic Orbital Freight', 'Orbit Consulting GmbH', 'Orbit Fixed Services', 'ORBIT HOLDINGS']);
    expect(namesOf(await search('CONSULT'))).toEqual(['Orbit Consulting GmbH']);
    expect(namesOf(await search('  media '))).toEqual(['Helix Media']);
    // Every word of the text starts a word of the name, in any order; the middle of a word is not a start.
    expect(namesOf(await search('consult orb'))).toEqual(['Orbit Consulting GmbH']);
    expect(namesOf(await search('orbit nordic freight'))).toEqual(['Nordic Orbital Freight']);
    expect(namesOf(await search('rbit'))).toEqual([]);
    expect(namesOf(await search('orbit media'))).toEqual([]);
  });

  it('finds an external id by any part and an e-mail by its start only', async () => {
    expect((await search('ext-orb')).edges.map((e) => e.node.id)).toEqual(['7007']);
    expect((await search('p7003')).edges.map((e) => e.node.externalId)).toEqual(['P7003']);
    const byMail = await search('ana.mo');
    expect(byMail.edges.map((e) => [e.node.id, e.node.email])).toEqual([['7003', 'Ana.Moreau@helix.example']]);
    // "orbit-vertex" is inside billing@…'s address, not at its start: 7006 is not found through it.
    expect((await search('orbit-vertex')).edges).toEqual([]);
    expect((await search('billing@')).edges.map((e) => e.node.id)).toEqual(['7006']);
  });

  it('takes % and _ literally', async () => {
    expect(namesOf(await search('100%'))).toEqual(['Summit 100% Foods']);
    expect(namesOf(await search('100'))).toEqual(['Summit 100% Foods']);
    expect((await search('%')).edges).toEqual([]);
    expect((await search('_')).edges).toEqual([]);
  });

  it('pages by cursor without repeating or skipping a partner', async () => {
    const one = await search('orbit', admin, 3);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = await search('orbit', admin, 3, one.pageInfo.endCursor!);
    expect(two.pageInfo.hasNextPage).toBe(false);
    expect([...namesOf(one), ...namesOf(two)]).toEqual(['Nordic Orbital Freight', 'Orbit Consulting GmbH', 'Orbit Fixed Services', 'ORBIT HOLDINGS']);
  });

  it('lets a SPECIALIST find only their own partners', async () => {
    expect((await search('orbit', specialist)).edges.map((e) => e.node.id)).toEqual(['7007']);
    expect((await search('helix', specialist)).edges).toEqual([]);
  });

  it('refuses empty text, over-long text and a cursor of another list', async () => {
    for (const variables of [
      { text: '   ' },
      { text: 'x'.repeat(101) },
      { text: 'orbit', after: Buffer.from('["SPECIALISTS","a","1"]').toString('base64url') },
    ]) {
      const res = await gql(app.url, SEARCH, variables, admin);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('is served by the term index (words, e-mails) and the trigram index (external ids)', async () => {
    const runner = db.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // Seven rows make a scan cheapest; forbid it to see that the search predicates can use the indexes at all.
      await runner.query('SET LOCAL enable_seqscan = off');
      const plan = (await runner.query(
        `EXPLAIN SELECT t.partner_id FROM partner_search_terms t WHERE t.term LIKE lower($1) || '%'
          UNION SELECT p.id FROM partners p WHERE lower(p.external_id) LIKE '%' || lower($1) || '%'`,
        ['orbit'],
      )) as Array<Record<string, string>>;
      const text = plan.map((r) => Object.values(r)[0]).join('\n');
      expect(text).toContain('idx_partner_search_terms');
      expect(text).toContain('idx_partners_search_trgm');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('keeps the terms exact through renames and changed or removed addresses, in the writing transaction', async () => {
    await query(db, `UPDATE partners SET name = 'Quasar Logistics' WHERE id = 7006`);
    expect(namesOf(await search('quasar'))).toEqual(['Quasar Logistics']);
    expect(namesOf(await search('vertex'))).toEqual([]);
    // Its e-mail now sorts under the new name.
    expect(namesOf(await search('billing@'))).toEqual(['Quasar Logistics']);
    await query(db, `UPDATE correspondence_addresses SET email = 'ar@quasar.example' WHERE partner_id = 7006`);
    expect((await search('billing@')).edges).toEqual([]);
    expect(namesOf(await search('ar@quas'))).toEqual(['Quasar Logistics']);
    await query(db, `DELETE FROM correspondence_addresses WHERE partner_id = 7006`);
    expect((await search('ar@quas')).edges).toEqual([]);
    // A write rolled back leaves no term behind.
    const runner = db.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`UPDATE partners SET name = 'Zebulon Rolled Back' WHERE id = 7006`);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect((await search('zebulon')).edges).toEqual([]);
    await query(db, `UPDATE partners SET name = 'Vertex Partners' WHERE id = 7006`);
    await query(db, `INSERT INTO correspondence_addresses (partner_id, email) VALUES (7006, 'billing@orbit-vertex.example')`);
    // The stored terms equal the terms recomputed from the partners and addresses.
    const [row] = (await query(
      db,
      `WITH fresh AS (
         SELECT DISTINCT x.term, lower(p.name) AS sort_name, p.id AS partner_id FROM partners p
          CROSS JOIN LATERAL (SELECT w FROM regexp_split_to_table(lower(p.name), '\\s+') WITH ORDINALITY AS n(w, i) WHERE i <= 24
                              UNION ALL SELECT lower(a.email) FROM correspondence_addresses a WHERE a.partner_id = p.id) x(term)
          WHERE x.term <> '')
       SELECT count(*)::integer AS differ FROM ((SELECT * FROM fresh EXCEPT SELECT * FROM partner_search_terms)
                                                UNION ALL (SELECT * FROM partner_search_terms EXCEPT SELECT * FROM fresh)) d`,
    )) as Array<{ differ: number }>;
    expect(row?.differ).toBe(0);
  });
});
