/**
 * A preview scored and dealt in memory (worklist-preview-memory, the default) writes exactly the
 * items and figures of the same preview scored and dealt by the database (previewScoring
 * 'database', the one-statement SQL path held to the live run elsewhere): on a synthetic AR
 * whose organisation has what the deal must get right (several groups in a segment, a retired
 * group whose partners go to the default group, fixed specialists present, absent with a
 * substitute and absent without one, a dealt specialist absent with and without a substitute,
 * many equal amounts), for the demo strategy and for random documents (fast-check) over the
 * whole fact universe.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentArb } from '../packages/rules/src/arbitraries';
import type { StrategyDocument } from '../packages/rules/src/index';
import type { Database } from '../packages/server/src/db/database';
import { rebuildFacts } from '../packages/server/src/facts';
import { DEMO_STRATEGY } from '../packages/server/src/seed/demo-strategy';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { clearFactCache } from '../packages/server/src/worklists/worklist-fact-cache';
import { runWorklists } from '../packages/server/src/worklists/worklist-run.service';
import type { PreviewScoring } from '../packages/server/src/worklists/worklist-batch';
import { deferredWrites, itemsWritten } from '../packages/server/src/worklists/worklist-deferred-items';
import { itemsPage } from '../packages/server/src/worklists/worklist-read.service';
import { openTestDatabase } from './support/database';

const AS_OF = '2026-03-31';
const SEGMENTS = ['CONSUMER', 'BUSINESS'];
let db: Database;

const q = <T = any>(text: string, values: unknown[] = []): Promise<T[]> => db.dataSource.query<T[]>(text, values);

beforeAll(async () => {
  db = await openTestDatabase();
  await seedDemoAr(db, { partners: 2500, seed: 7, asOf: AS_OF });
  await shapeOrganisation();
}, 240_000);

afterAll(async () => {
  await deferredWrites();
  await clearFactCache(db);
  await db.close();
});

/** What the deal must get right, on top of the demo organisation. */
async function shapeOrganisation(): Promise<void> {
  // A second group in CONSUMER with two specialists, and a retired group whose partners fall to the default group.
  await q(
    `INSERT INTO collection_groups (key, name, segment_key, strategy_key) SELECT 'CONS_B', 'Consumer B', 'CONSUMER', strategy_key FROM collection_groups WHERE segment_key = 'CONSUMER' LIMIT 1`,
  );
  await q(
    `INSERT INTO collection_groups (key, name, segment_key, strategy_key, active) SELECT 'CONS_OLD', 'Consumer old', 'CONSUMER', strategy_key, false FROM collection_groups WHERE segment_key = 'CONSUMER' LIMIT 1`,
  );
  await q(
    `INSERT INTO specialists (user_name, name, email, group_key) VALUES ('b1', 'B One', 'b1@x.test', 'CONS_B'), ('b2', 'B Two', 'b2@x.test', 'CONS_B'), ('b3', 'B Three', 'b3@x.test', 'CONS_B')`,
  );
  const consumer = await q<{ id: string }>(`SELECT id::text AS id FROM partners WHERE segment = 'CONSUMER' ORDER BY id`);
  const third = Math.floor(consumer.length / 3);
  await q(
    `UPDATE partners SET collection_group_key = 'CONS_B' WHERE segment = 'CONSUMER' AND id IN (SELECT id FROM partners WHERE segment = 'CONSUMER' ORDER BY id LIMIT $1)`,
    [third],
  );
  await q(`UPDATE partners SET collection_group_key = 'CONS_OLD' WHERE id IN (SELECT id FROM partners WHERE segment = 'CONSUMER' ORDER BY id DESC LIMIT 60)`);
  // Absences at the key date: b1 with b2 standing in; one specialist of each demo group without a substitute.
  const b = await q<{ id: string; user_name: string }>(`SELECT id::text AS id, user_name FROM specialists WHERE group_key = 'CONS_B' ORDER BY user_name`);
  await q(`INSERT INTO specialist_absences (specialist_id, starts_on, ends_on, substitute_id) VALUES ($1, '2026-03-01', '2026-04-30', $2)`, [
    b[0]!.id,
    b[1]!.id,
  ]);
  const firsts = await q<{ id: string }>(`SELECT min(id)::text AS id FROM specialists WHERE group_key <> 'CONS_B' GROUP BY group_key`);
  for (const s of firsts) await q(`INSERT INTO specialist_absences (specialist_id, starts_on, ends_on) VALUES ($1, '2026-03-20', '2026-04-05')`, [s.id]);
  // Fixed specialists: present, absent with a substitute (b1), absent without one.
  const fixed = [b[2]!.id, b[0]!.id, firsts[0]!.id];
  for (const [i, id] of fixed.entries()) {
    await q(`UPDATE partners SET specialist_id = $1 WHERE id IN (SELECT id FROM partners WHERE segment = 'CONSUMER' ORDER BY id OFFSET $2 LIMIT 25)`, [
      id,
      100 + i * 40,
    ]);
  }
  // Equal amounts: the deal's order falls to the partner id.
  await q(`UPDATE open_items SET amount = 100, open_amount = 100 WHERE partner_id IN (SELECT id FROM partners ORDER BY id LIMIT 300) AND open_amount > 0`);
  await rebuildFacts(db);
}

interface Outcome {
  items: Array<Record<string, unknown>>;
  figures: Array<Record<string, unknown>>;
  phases: string[];
}

async function preview(document: StrategyDocument, scoring: PreviewScoring | undefined, deferItems = false): Promise<Outcome & { firstPage: unknown[] }> {
  // A deferred preview's rest is written once the first page was read, as after an answer.
  let answered!: () => void;
  const itemsAfter = new Promise<void>((resolve) => (answered = resolve));
  const results = await runWorklists(db, { segments: SEGMENTS, asOf: AS_OF, mode: 'PREVIEW', document, previewScoring: scoring, deferItems, itemsAfter });
  const runIds = results.map((r) => r.runId);
  // The first page as the studio reads it: for a deferred preview, before the rest of its items are written.
  const page = await itemsPage(db, runIds, { first: 8 });
  const firstPage = page.edges.map((e) => [e.node.partnerId, e.node.row.specialist_id, e.node.priority, e.node.valuation, e.cursor]);
  if (deferItems) {
    const [state] = await q<{ writing: number }>(`SELECT count(*)::integer AS writing FROM worklist_runs WHERE id = ANY($1::bigint[]) AND status = 'RUNNING'`, [
      runIds,
    ]);
    writingSeen += state!.writing;
  }
  answered();
  await itemsWritten(db, runIds);
  const items = await q(
    `SELECT r.segment_key, i.partner_id::text, i.specialist_id::text, i.specialist_origin, i.valuation, i.percent::text, i.priority, i.fired::text,
        i.amount_open::text, i.amount_overdue::text, i.amount_due::text, i.amount_to_be_collected::text, i.amount_promised::text, i.amount_disputed::text,
        i.amount_broken::text, i.amount_dunned::text, i.aging::text, i.max_dunning_level, i.max_days_overdue, i.last_payment_date::text, i.resubmission_date::text, i.arm
       FROM worklist_items i JOIN worklist_runs r ON r.id = i.run_id WHERE i.run_id = ANY($1::bigint[]) ORDER BY r.segment_key, i.partner_id`,
    [runIds],
  );
  const figures = results.map((r) => ({
    segment: r.segment,
    partnersOnList: r.partnersOnList,
    partnersExcluded: r.partnersExcluded,
    byPriority: r.stats.byPriority,
    bySpecialist: r.stats.bySpecialist,
    amountToBeCollected: r.stats.amountToBeCollected,
  }));
  const statuses = await q<{ status: string }>(`SELECT DISTINCT status FROM worklist_runs WHERE id = ANY($1::bigint[])`, [runIds]);
  expect(statuses.map((s) => s.status)).toEqual(['SUCCEEDED']);
  return { items, figures, firstPage, phases: Object.keys(results[0]!.stats.timings ?? {}) };
}

/** Deferred previews seen still writing their items when their first page was read. */
let writingSeen = 0;

async function expectSameOutcome(document: StrategyDocument): Promise<number> {
  const inDatabase = await preview(document, 'database');
  const inMemory = await preview(document, 'memory');
  // Each path really ran: the memory path writes items from its deal, the database one scores and deals itself.
  expect(inDatabase.phases).toContain('scoring and distribution');
  expect(inMemory.phases).toContain('items');
  expect(inMemory.phases).not.toContain('scoring and distribution');
  expect(inMemory.figures).toEqual(inDatabase.figures);
  expect(inMemory.items).toEqual(inDatabase.items);
  expect(inMemory.firstPage).toEqual(inDatabase.firstPage);
  // Deferred: the figures computed in memory, the first page from the top rows, then the same items.
  const deferred = await preview(document, 'memory', true);
  expect(deferred.figures).toEqual(inDatabase.figures);
  expect(deferred.firstPage).toEqual(inDatabase.firstPage);
  expect(deferred.items).toEqual(inDatabase.items);
  return inDatabase.items.length;
}

describe('a preview scored and dealt in memory', () => {
  it('writes the items and figures of the database path for the demo strategy, every deal case included', async () => {
    const listed = await expectSameOutcome({ ...DEMO_STRATEGY, minPercent: 0 });
    expect(listed).toBeGreaterThan(500);
    // The organisation's cases are on the list: substitutes, fixed specialists, the default group's partners.
    const origins = await q<{ origin: string | null; n: number }>(
      `SELECT specialist_origin AS origin, count(*)::integer AS n FROM worklist_items i JOIN worklist_runs r ON r.id = i.run_id
        WHERE r.mode = 'PREVIEW' AND r.id = (SELECT max(id) FROM worklist_runs WHERE segment_key = 'CONSUMER') GROUP BY 1`,
    );
    const byOrigin = Object.fromEntries(origins.map((o) => [o.origin ?? 'none', o.n]));
    expect(byOrigin.FIXED).toBeGreaterThan(0);
    expect(byOrigin.SUBSTITUTE).toBeGreaterThan(0);
    expect(byOrigin.STANDARD).toBeGreaterThan(0);
  }, 120_000);

  it('scores a points edit and a one-rule edit from the outcomes it remembers as the database does', async () => {
    const base: StrategyDocument = { ...DEMO_STRATEGY, minPercent: 0 };
    const points = {
      ...base,
      rules: base.rules.map((r, i) => ({ ...r, event: { ...r.event, params: { ...r.event.params, points: r.event.params.points + (i % 3) * 7 } } })),
    };
    expect(await expectSameOutcome(points)).toBeGreaterThan(100);
    const first = points.rules[0]!;
    const oneRule = { ...points, rules: [{ ...first, conditions: { not: first.conditions } }, ...points.rules.slice(1)] };
    expect(await expectSameOutcome(oneRule)).toBeGreaterThan(100);
    // By default a preview never waits for the rows to be read: the database scores until they are in memory.
    const phases: string[][] = [];
    for (let i = 0; i < 40 && !phases.at(-1)?.includes('items'); i++) {
      phases.push((await preview(points, undefined)).phases);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(phases.at(-1)).toContain('items');
  }, 120_000);

  it('leaves a kept table with more rows than memory may hold to the database', async () => {
    const document = { ...DEMO_STRATEGY, minPercent: 0 };
    await clearFactCache(db);
    process.env.RECOUP_PREVIEW_MEMORY_ROWS = '10';
    try {
      expect((await preview(document, 'memory')).phases).toContain('scoring and distribution');
    } finally {
      delete process.env.RECOUP_PREVIEW_MEMORY_ROWS;
      await clearFactCache(db);
    }
    expect((await preview(document, 'memory')).phases).toContain('items');
  }, 120_000);

  it("writes a deferred preview's rest at once when a read needs every item before the answer is sent", async () => {
    const never = new Promise<void>(() => undefined);
    // Facts kept first: only a preview scored in memory defers its items.
    await runWorklists(db, { segments: SEGMENTS, asOf: AS_OF, mode: 'PREVIEW', document: DEMO_STRATEGY, previewScoring: 'database' });
    const results = await runWorklists(db, {
      segments: SEGMENTS,
      asOf: AS_OF,
      mode: 'PREVIEW',
      document: { ...DEMO_STRATEGY, minPercent: 0 },
      deferItems: true,
      itemsAfter: never,
      previewScoring: 'memory',
    });
    const runIds = results.map((r) => r.runId);
    const [before] = await q<{ n: number }>(`SELECT count(*)::integer AS n FROM worklist_items WHERE run_id = ANY($1::bigint[])`, [runIds]);
    const listed = results.reduce((n, r) => n + r.partnersOnList, 0);
    expect(before!.n).toBeLessThan(listed);
    // A filtered page is not the top rows' first page: it waits for every item, starting the write.
    const page = await itemsPage(db, runIds, { first: 500, filter: { priorities: [1, 2, 3] } });
    expect(await page.count()).toBe(results.reduce((n, r) => n + r.stats.byPriority.filter((b) => b.priority <= 3).reduce((m, b) => m + b.count, 0), 0));
    const [after] = await q<{ n: number }>(`SELECT count(*)::integer AS n FROM worklist_items WHERE run_id = ANY($1::bigint[])`, [runIds]);
    expect(after!.n).toBe(listed);
  }, 120_000);

  it('writes the items and figures of the database path for random documents', async () => {
    const documents = fc.sample(documentArb, { numRuns: 12, seed: 4242 });
    let nonEmpty = 0;
    for (const document of documents) if ((await expectSameOutcome(document)) > 0) nonEmpty++;
    // Not every random document lists someone; enough do for the comparison to mean something.
    expect(nonEmpty).toBeGreaterThan(3);
    // Some deferred previews were read while their items were still being written.
    expect(writingSeen).toBeGreaterThan(0);
  }, 300_000);
});
