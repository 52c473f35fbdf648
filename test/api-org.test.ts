import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { runWorklists } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';

/** Who is asking, the specialists with their live work, and completed items on the list. */
let db: Database;
let app: RunningApp;

beforeAll(async () => {
  db = await openTestDatabase();
  await seedDemoAr(db, { partners: 300, seed: 5, asOf: '2026-11-23' });
  await runWorklists(db, { asOf: '2026-11-23', mode: 'LIVE' });
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('me, specialists and completed items', () => {
  it('tells the caller who they are', async () => {
    const admin = await createTestToken(db, 'ADMIN');
    const me = await gql(app.url, '{ me { role specialistId specialistName } }', {}, admin);
    expect(me.data.me).toEqual({ role: 'ADMIN', specialistId: null, specialistName: null });
    const [s] = await db.dataSource.query(`SELECT id::text AS id, name FROM specialists ORDER BY id LIMIT 1`);
    const spec = await createTestToken(db, 'SPECIALIST', s.id);
    const meToo = await gql(app.url, '{ me { role specialistId specialistName } }', {}, spec);
    expect(meToo.data.me).toEqual({ role: 'SPECIALIST', specialistId: s.id, specialistName: s.name });
    expect((await gql(app.url, '{ me { role } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lists specialists with their open live items now; a specialist sees only themselves', async () => {
    const admin = await createTestToken(db, 'SUPERVISOR');
    const { data } = await gql(app.url, '{ specialists { id name group openItems amountToBeCollected } }', {}, admin);
    const expected: Array<{ id: string; n: number }> = await db.dataSource.query(
      `SELECT s.id::text AS id, count(w.partner_id)::int AS n FROM specialists s
         LEFT JOIN worklist_items w ON w.specialist_id = s.id AND w.run_id IN (SELECT live_run_id FROM collection_segments) AND w.completed_at IS NULL
        GROUP BY s.id ORDER BY s.id`,
    );
    expect(data.specialists.map((s: any) => [s.id, s.openItems]).sort()).toEqual(expected.map((e) => [e.id, e.n]).sort());
    expect(data.specialists.reduce((n: number, s: any) => n + s.openItems, 0)).toBeGreaterThan(0);
    const one = data.specialists[0];
    const spec = await createTestToken(db, 'SPECIALIST', one.id);
    const own = await gql(app.url, '{ specialists { id } }', {}, spec);
    expect(own.data.specialists).toEqual([{ id: one.id }]);
  });

  it('shows when an item was completed and filters on it', async () => {
    const admin = await createTestToken(db, 'ADMIN');
    const [item] = await db.dataSource.query(
      `UPDATE worklist_items SET completed_at = '2026-11-23T10:00:00Z'
        WHERE (run_id, partner_id) = (SELECT w.run_id, w.partner_id FROM worklist_items w JOIN collection_segments s ON s.live_run_id = w.run_id ORDER BY w.partner_id LIMIT 1)
        RETURNING partner_id::text AS partner_id`,
    );
    const done = await gql(app.url, '{ worklist(filter: { completed: true }) { totalCount edges { node { partnerId completedAt } } } }', {}, admin);
    expect(done.data.worklist).toEqual({ totalCount: 1, edges: [{ node: { partnerId: item[0].partner_id, completedAt: '2026-11-23T10:00:00.000Z' } }] });
    const open = await gql(app.url, '{ worklist(filter: { completed: false }, first: 1) { totalCount } all: worklist(first: 1) { totalCount } }', {}, admin);
    expect(open.data.worklist.totalCount).toBe(open.data.all.totalCount - 1);
  });
});
