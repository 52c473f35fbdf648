import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertPartners, insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * partnerSearch over HTTP: name anywhere and external id anywhere (any case), e-mail by prefix
 * only, LIKE wildcards taken literally, keyset pages, a SPECIALIST limited to their own partners,
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
  it('finds a name by any part, in any case, ordered by name', async () => {
    expect(namesOf(await search('orbit'))).toEqual(['Nordic Orbital Freight', 'Orbit Consulting GmbH', 'Orbit Fixed Services', 'ORBIT HOLDINGS']);
    expect(namesOf(await search('CONSULT'))).toEqual(['Orbit Consulting GmbH']);
    expect(namesOf(await search('  media '))).toEqual(['Helix Media']);
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
    expect((await search('%')).edges.map((e) => e.node.id)).toEqual(['7004']);
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

  it('is served by the trigram and e-mail prefix indexes', async () => {
    const runner = db.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // Six rows make a scan cheapest; forbid it to see that the search predicates can use the indexes at all.
      await runner.query('SET LOCAL enable_seqscan = off');
      const plan = (await runner.query(
        `EXPLAIN SELECT p.id FROM partners p WHERE lower(p.name) LIKE '%' || lower($1) || '%' OR lower(p.external_id) LIKE '%' || lower($1) || '%'
          UNION SELECT a.partner_id FROM correspondence_addresses a WHERE lower(a.email) LIKE lower($1) || '%'`,
        ['orbit'],
      )) as Array<Record<string, string>>;
      const text = plan.map((r) => Object.values(r)[0]).join('\n');
      expect(text).toContain('idx_partners_search_trgm');
      expect(text).toContain('idx_correspondence_addresses_email_prefix');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
