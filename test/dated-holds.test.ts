import type { EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factKey, factRowsSql } from '../packages/rules/src/index';
import { placeItems, recallPlacement } from '../packages/server/src/agencies/placement.service';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { backtestStrategies } from '../packages/server/src/backtests/backtest.service';
import type { Database } from '../packages/server/src/db/database';
import { runDunning, saveProcedure, saveTemplate } from '../packages/server/src/dunning/dunning.service';
import { verifyFacts } from '../packages/server/src/facts/facts.service';
import { changeLegalCase, openLegalCase } from '../packages/server/src/legal/legal.service';
import { runWorklists } from '../packages/server/src/worklists/worklist-run.service';
import { MIGRATIONS } from '../migrations';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertStrategy, itemsOf, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * Dated item holds (issue 22 follow-up, DESIGN.md "Point in time"): a hold is in force at the end
 * of D when started_on <= D and (ended_on IS NULL or ended_on > D). One item per partner, its open
 * amount a power of two so that a sum names the partners in it. Key date D = 2026-03-31, today
 * (the live run, dunning) 2026-05-31:
 *   9301 (100)  placed 2026-04-15 (after D), in force             at D: in    today: out
 *   9302 (200)  placed 2026-03-01, recalled 2026-03-20            at D: in    today: in
 *   9303 (400)  placed 2026-03-10, in force                       at D: out   today: out
 *   9304 (800)  legal case 2026-03-05, closed 2026-04-20          at D: out   today: in
 *   9305 (1600) placed 2026-03-15, recalled on D                  at D: in    today: in
 *   9306 (3200) placed on D, recalled 2026-04-10                  at D: out   today: in
 *   9307 (6400) never held                                        at D: in    today: in
 */
const D = '2026-03-31';
const TODAY = '2026-05-31';
const ACTOR = { name: 'holds-test', role: 'SUPERVISOR' as const };
const PARTNERS = [9301, 9302, 9303, 9304, 9305, 9306, 9307];
const AMOUNT: Record<number, number> = { 9301: 100, 9302: 200, 9303: 400, 9304: 800, 9305: 1600, 9306: 3200, 9307: 6400 };
const IN_AT_D = [9301, 9302, 9305, 9307];
const IN_TODAY = [9302, 9304, 9305, 9306, 9307];
const STRATEGY = strategyDocument({ key: 'HS', rules: [rule('Anything open', 10, 'condition', when('openAmount', 'greaterThan', 0))] });
const PREVIEW = `query($s: JSON!, $asOf: Date!) { previewWorklist(strategy: $s, asOf: $asOf) { items(first: 20) { edges { node { partner { externalId } amounts { open } } } } } }`;

let db: Database;
let app: RunningApp;
let admin: string;
const sum = (ids: number[]) => ids.reduce((s, id) => s + AMOUNT[id]!, 0);

/** Each partner's openAmount at D by factRowsSql, from the mirror or the maintained parts (late partners by the mirror). */
async function openAt(d: string, source: 'mirror' | 'maintained'): Promise<Record<number, number>> {
  const key = factKey('openAmount');
  const sql = factRowsSql([key], {
    currency: 'EUR',
    asOf: d,
    partnerIds: PARTNERS,
    ...(source === 'maintained' ? { source, latePartnerIds: 'lookup' as const } : {}),
  });
  const rows: Array<Record<string, unknown>> = await db.dataSource.query(sql.text, sql.values);
  return Object.fromEntries(rows.map((r) => [Number(r.partner_id), Number(r[key.column])]));
}
const onList = (amounts: Record<number, number>) => PARTNERS.filter((id) => amounts[id]! > 0);

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'HS', STRATEGY);
  await insertSegment(db, 'HS', [{ key: 'HSG', strategyKey: 'HS' }]);
  await insertPartners(
    db,
    PARTNERS.map((id) => ({ id, segment: 'HS' })),
  );
  await insertItems(
    db,
    PARTNERS.map((id) => ({ id: id - 9000, partner: id, due: '2026-01-10', open: AMOUNT[id]! })),
  );
  await db.dataSource.query(`INSERT INTO agencies (key, name, commission_percent) VALUES ('HA', 'Holds Agency', 10)`);
  const tx = <T>(work: (m: EntityManager) => Promise<T>) => db.dataSource.transaction(work);
  const place = (partnerId: number, placedOn: string) => tx((m) => placeItems(m, ACTOR, { partnerId: String(partnerId), agency: 'HA', placedOn }));
  const recall = (placementId: string, recalledOn: string) =>
    tx((m) => recallPlacement(m, ACTOR, { placementId, reason: 'back in house', recalledOn, version: 1 }));
  await place(9301, '2026-04-15');
  await recall(await place(9302, '2026-03-01'), '2026-03-20');
  await place(9303, '2026-03-10');
  const caseId = await tx((m) => openLegalCase(m, ACTOR, { partnerId: '9304', itemIds: [], openedOn: '2026-03-05' }));
  await tx((m) => changeLegalCase(m, ACTOR, { caseId, status: 'CLOSED', changedOn: '2026-04-20', outcome: 'SETTLED', version: 1 }));
  await recall(await place(9305, '2026-03-15'), D);
  await recall(await place(9306, D), '2026-04-10');
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`dated item holds (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('keeps every hold with its dates, and the maintained facts exact after holds started and ended', async () => {
    expect(
      await db.dataSource.query(
        `SELECT partner_id::int AS partner, kind, started_on::text AS started, ended_on::text AS ended FROM item_holds ORDER BY partner_id, started_on`,
      ),
    ).toEqual([
      { partner: 9301, kind: 'PLACEMENT', started: '2026-04-15', ended: null },
      { partner: 9302, kind: 'PLACEMENT', started: '2026-03-01', ended: '2026-03-20' },
      { partner: 9303, kind: 'PLACEMENT', started: '2026-03-10', ended: null },
      { partner: 9304, kind: 'LEGAL', started: '2026-03-05', ended: '2026-04-20' },
      { partner: 9305, kind: 'PLACEMENT', started: '2026-03-15', ended: D },
      { partner: 9306, kind: 'PLACEMENT', started: D, ended: '2026-04-10' },
    ]);
    expect((await verifyFacts(db)).differenceCount).toBe(0);
  });

  it('leaves out at a past D the items held at D: placed after D still in, recalled on or before D back, held at D out (both fact paths)', async () => {
    for (const source of ['mirror', 'maintained'] as const) {
      expect(onList(await openAt(D, source)), source).toEqual(IN_AT_D);
      // The edges of 9301's placement: in the day before, held from its day on.
      expect((await openAt('2026-04-14', source))[9301], source).toBe(100);
      expect((await openAt('2026-04-15', source))[9301], source).toBe(0);
      // 9304's case: held from its opening, back on its closing day.
      expect((await openAt('2026-03-04', source))[9304], source).toBe(800);
      expect((await openAt('2026-04-19', source))[9304], source).toBe(0);
      expect((await openAt('2026-04-20', source))[9304], source).toBe(800);
    }
  });

  it('previews at D the partners not held at D', async () => {
    const preview = await gql(app.url, PREVIEW, { s: STRATEGY, asOf: D }, admin);
    expect(preview.errors).toBeUndefined();
    const listed = preview.data.previewWorklist.items.edges.map((e: any) => e.node.partner.externalId).sort();
    expect(listed).toEqual(IN_AT_D.map((id) => `P${id}`));
  });

  it('backtests at D over the partners not held at D', async () => {
    const result = await backtestStrategies(
      db,
      { strategies: [{ label: 'HS', document: STRATEGY }], segment: 'HS', keyDates: [D], horizonDays: 30, resamples: 100 },
      { today: TODAY },
    );
    const atD = result.strategies[0]!.keyDates[0]!;
    expect(atD.asOf).toBe(D);
    expect(atD.list.partners).toBe(IN_AT_D.length);
    expect(Number(atD.list.toBeCollected)).toBe(sum(IN_AT_D));
  });

  it('runs the live worklist today without the holds in force today, as both fact paths give it', async () => {
    const [run] = await runWorklists(db, { asOf: TODAY, mode: 'LIVE' });
    const listed = (await itemsOf(db, run!.runId)).map((r) => Number(r.partner_id)).sort();
    expect(listed).toEqual(IN_TODAY);
    // Today's state: exactly the partners without a hold in force (ended_on NULL).
    const inForce: Array<{ id: number }> = await db.dataSource.query(`SELECT DISTINCT partner_id::int AS id FROM item_holds WHERE ended_on IS NULL`);
    expect(listed).toEqual(PARTNERS.filter((id) => !inForce.some((h) => h.id === id)));
    expect(await openAt(TODAY, 'maintained')).toEqual(await openAt(TODAY, 'mirror'));
  });

  it('duns today the items not held today', async () => {
    await saveTemplate(db, { key: 'HT', body: 'Dear {{partner.name}}' });
    await saveProcedure(db, {
      key: 'HSP',
      name: 'Holds',
      graceDays: 0,
      currency: 'EUR',
      levels: [{ level: 1, daysOverdue: 1, channel: 'LETTER', templateKey: 'HT' }],
    });
    const dunning = await runDunning(db, { asOf: TODAY, dryRun: true, sampleSize: 20 });
    expect(dunning.items).toBe(IN_TODAY.length);
    expect(dunning.sample.map((s) => Number(s.partnerId)).sort()).toEqual(IN_TODAY);
  });

  it('keeps an item’s holds one after another: no hold starts before the previous one ended, no recall before a start', async () => {
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'OK',
        (e: { code?: string }) => e.code,
      );
    // 9302 was recalled on 2026-03-20: placing it again from 2026-03-19 would overlap.
    expect(await codeOf(db.dataSource.transaction((m) => placeItems(m, ACTOR, { partnerId: '9302', agency: 'HA', placedOn: '2026-03-19' })))).toBe(
      'BAD_USER_INPUT',
    );
    expect(await codeOf(db.dataSource.transaction((m) => openLegalCase(m, ACTOR, { partnerId: '9306', itemIds: [], openedOn: '2026-04-09' })))).toBe(
      'BAD_USER_INPUT',
    );
    // 9303's placement started on 2026-03-10: a recall dated before it is refused, the database as it was.
    const [placement] = await db.dataSource.query(`SELECT id::text AS id, version FROM placements WHERE partner_id = 9303`);
    expect(
      await codeOf(
        db.dataSource.transaction((m) =>
          recallPlacement(m, ACTOR, { placementId: placement.id, reason: 'x', recalledOn: '2026-03-09', version: placement.version }),
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM item_holds`)).toEqual([{ n: 6 }]);
    // From the end of the last hold on, a new one is fine; ending it (an update of the hold) moves the AR revision (caches keyed by it go).
    const again = await db.dataSource.transaction((m) => placeItems(m, ACTOR, { partnerId: '9302', agency: 'HA', placedOn: '2026-03-20' }));
    const revision = async () => BigInt((await db.dataSource.query(`SELECT revision::text AS r FROM ar_revision WHERE id = 1`))[0].r);
    const before = await revision();
    await db.dataSource.transaction((m) => recallPlacement(m, ACTOR, { placementId: again, reason: 'again', recalledOn: '2026-04-01', version: 1 }));
    expect(await revision()).toBeGreaterThan(before);
    expect((await openAt('2026-03-31', 'maintained'))[9302]).toBe(0);
    expect((await openAt('2026-04-01', 'maintained'))[9302]).toBe(200);
    expect((await verifyFacts(db)).differenceCount).toBe(0);
  });
});

describe(`the migration to dated holds (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let old: Database;
  beforeAll(async () => {
    old = await openTestDatabase();
  }, 120_000);
  afterAll(() => old?.close());

  it('dates the holds in force by their placement (the item’s own date) or case, and writes back the ended ones', async () => {
    const mine = MIGRATIONS.findIndex((m) => m.name === 'DatedItemHolds1796791000000');
    expect(mine).toBeGreaterThan(0);
    for (let i = MIGRATIONS.length - 1; i >= mine; i--) await old.dataSource.undoLastMigration();
    const q = (sql: string) => old.dataSource.query(sql);
    await q(
      `INSERT INTO partners (id, external_id, name, country, currency, customer_type, segment) VALUES (1, 'P1', 'One', 'DE', 'EUR', 'B2C', 'S'), (2, 'P2', 'Two', 'DE', 'EUR', 'B2C', 'S')`,
    );
    await q(`INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level, dunning_block)
      SELECT n, 'I' || n, CASE WHEN n < 5 THEN 1 ELSE 2 END, '1000', '2026-01-01', '2026-01-31', 10, 10, 'EUR', 0, false FROM generate_series(1, 6) n`);
    await q(`INSERT INTO agencies (key, name, commission_percent) VALUES ('A', 'A', 5)`);
    // Placement 1 (partner 1): items 1 and 2 placed on 03-01, item 3 added on 03-10; all in force.
    // Placement 2 (partner 1, recalled 02-20): item 4 placed on 02-01. Legal case 1 (partner 2, open since 03-05): item 5;
    // legal case 2 (partner 2, 01-10 to 02-10): item 6.
    await q(`INSERT INTO placements (id, partner_id, agency_key, status, placed_on, placed_by, recalled_on, recall_reason) VALUES
      (1, 1, 'A', 'PLACED', '2026-03-01', 't', NULL, NULL), (2, 1, 'A', 'RECALLED', '2026-02-01', 't', '2026-02-20', 'r')`);
    await q(
      `INSERT INTO placement_items (placement_id, item_id, partner_id, placed_amount, currency) VALUES (1, 1, 1, 10, 'EUR'), (1, 2, 1, 10, 'EUR'), (1, 3, 1, 10, 'EUR'), (2, 4, 1, 10, 'EUR')`,
    );
    await q(`INSERT INTO placement_events (agency_key, placement_id, partner_id, item_id, kind, event_date, amount, currency) VALUES
      ('A', 1, 1, 1, 'PLACED', '2026-03-01', 10, 'EUR'), ('A', 1, 1, 2, 'PLACED', '2026-03-01', 10, 'EUR'), ('A', 1, 1, 3, 'PLACED', '2026-03-10', 10, 'EUR'),
      ('A', 2, 1, 4, 'PLACED', '2026-02-01', 10, 'EUR'), ('A', 2, 1, 4, 'RECALLED', '2026-02-20', 10, 'EUR')`);
    await q(`INSERT INTO legal_cases (id, partner_id, status, opened_on, closed_on, outcome) VALUES
      (1, 2, 'FILED', '2026-03-05', NULL, NULL), (2, 2, 'CLOSED', '2026-01-10', '2026-02-10', 'PAID')`);
    await q(`INSERT INTO legal_case_items (case_id, item_id, amount, currency) VALUES (1, 5, 10, 'EUR'), (2, 6, 10, 'EUR')`);
    await q(
      `INSERT INTO item_holds (item_id, partner_id, kind, holder_id) VALUES (1, 1, 'PLACEMENT', 1), (2, 1, 'PLACEMENT', 1), (3, 1, 'PLACEMENT', 1), (5, 2, 'LEGAL', 1)`,
    );
    await old.dataSource.runMigrations();
    expect(
      await q(
        `SELECT item_id::int AS item, kind, holder_id::int AS holder, started_on::text AS started, ended_on::text AS ended FROM item_holds ORDER BY item_id`,
      ),
    ).toEqual([
      { item: 1, kind: 'PLACEMENT', holder: 1, started: '2026-03-01', ended: null },
      { item: 2, kind: 'PLACEMENT', holder: 1, started: '2026-03-01', ended: null },
      { item: 3, kind: 'PLACEMENT', holder: 1, started: '2026-03-10', ended: null },
      { item: 4, kind: 'PLACEMENT', holder: 2, started: '2026-02-01', ended: '2026-02-20' },
      { item: 5, kind: 'LEGAL', holder: 1, started: '2026-03-05', ended: null },
      { item: 6, kind: 'LEGAL', holder: 2, started: '2026-01-10', ended: '2026-02-10' },
    ]);
    // The maintained facts were rebuilt with the dated holds and are exact.
    expect((await verifyFacts(old)).differenceCount).toBe(0);
  });
});
