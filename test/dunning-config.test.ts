import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist } from './support/worklist-fixtures';

/**
 * Dunning configuration as the studio's editors use it: saveDunningProcedure refusals name their
 * field in words (the database unchanged), a template previewed by the run's renderer for a real
 * partner, and the paged list of dunning runs.
 */
let db: Database;
let app: RunningApp;
let configurator: string;
let supervisor: string;
let specialist: string;

const SAVE = `mutation($input: DunningProcedureInput!) { saveDunningProcedure(input: $input) { key levels { level daysOverdue charge } } }`;
const PREVIEW = `query($body: String!, $subject: String, $partnerId: ID, $level: Int, $asOf: Date) {
  dunningTemplatePreview(body: $body, subject: $subject, partnerId: $partnerId, level: $level, asOf: $asOf) { partnerId partnerName level subject body itemCount } }`;
const RUNS = `query($first: Int, $after: String) { dunningRuns(first: $first, after: $after) { edges { node { id asOf partners notices items createdBy } } pageInfo { hasNextPage endCursor } } }`;
const level = (n: number, days: number, extra: Record<string, unknown> = {}) => ({
  level: n,
  daysOverdue: days,
  channel: 'LETTER',
  templateKey: 'T1',
  ...extra,
});
const procedure = (extra: Record<string, unknown> = {}) => ({ key: 'STD', name: 'Standard', currency: 'EUR', levels: [level(1, 1), level(2, 15)], ...extra });

beforeAll(async () => {
  db = await openTestDatabase();
  await insertSegment(db, 'DC', []);
  await insertSpecialist(db, 71, null);
  await insertPartners(db, [
    { id: 7101, segment: 'DC' },
    { id: 7102, segment: 'DC' },
  ]);
  await insertItems(db, [
    { id: 71011, partner: 7101, due: '2026-02-01', open: 250 },
    { id: 71012, partner: 7101, due: '2026-02-10', open: 10.5 },
    { id: 71013, partner: 7101, due: '2026-01-15', open: 99, currency: 'USD' },
    { id: 71021, partner: 7102, due: '2026-02-20', open: 40 },
  ]);
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  configurator = await createTestToken(db, 'CONFIGURATOR');
  supervisor = await createTestToken(db, 'SUPERVISOR');
  specialist = await createTestToken(db, 'SPECIALIST', '71');
  const t = await gql(app.url, `mutation { saveDunningTemplate(input: { key: "T1", body: "x" }) { key } }`, {}, configurator);
  expect(t.errors).toBeUndefined();
  const saved = await gql(app.url, SAVE, { input: procedure({ levels: [level(1, 1, { charge: '1.5' }), level(2, 15, { charge: '3' })] }) }, configurator);
  expect(saved.errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const levelsInDb = (): Promise<Array<Record<string, unknown>>> =>
  db.dataSource.query(`SELECT procedure_key, level, days_overdue, charge::text AS charge FROM dunning_levels ORDER BY 1, 2`);

describe(`dunning configuration over GraphQL (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('refuses a wrong procedure with BAD_USER_INPUT naming the field, in words, and changes nothing', async () => {
    const before = await levelsInDb();
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [procedure({ levels: [level(1, 10), level(2, 10)] }), 'levels[1].daysOverdue', /Level 2 must come later than level 1: more than 10 days overdue/],
      [procedure({ levels: [level(2, 30), level(1, 40)] }), 'levels[0].daysOverdue', /Level 2 must come later than level 1: more than 40 days overdue/],
      [procedure({ levels: [level(1, 1, { charge: '-2' })] }), 'levels[0].charge', /0 or more/],
      [procedure({ levels: [level(1, 1, { charge: '12345678901234567890' })] }), 'levels[0].charge', /0 or more/],
      [procedure({ levels: [level(1, 1), level(2, 9, { templateKey: 'NOPE' })] }), 'levels[1].templateKey', /There is no template NOPE/],
      [procedure({ levels: [level(1, 1), level(3, 9)] }), 'levels[1].level', /without gaps/],
      [procedure({ levels: [] }), 'levels', /at least one level/],
      [procedure({ levels: Array.from({ length: 21 }, (_, i) => level(i + 1, i)) }), 'levels', /at most 20 levels/],
      [procedure({ levels: Array.from({ length: 10_000 }, (_, i) => level(i + 1, i)) }), 'levels', /at most 20 levels/],
      [procedure({ segmentKey: 'NOPE' }), 'segmentKey', /There is no segment NOPE/],
      [procedure({ key: 'OTHER' }), 'segmentKey', /STD is already the default/],
      [procedure({ name: '  ' }), 'name', /name/],
      [procedure({ currency: 'euro' }), 'currency', /three-letter ISO code/],
      [procedure({ graceDays: 400 }), 'graceDays', /0 to 365/],
      [procedure({ key: 'bad key' }), 'key', /capital letters/],
    ];
    for (const [input, path, message] of cases) {
      const { errors } = await gql(app.url, SAVE, { input }, configurator);
      expect(errors?.[0]?.extensions, path).toMatchObject({ code: 'BAD_USER_INPUT', path });
      expect(errors?.[0]?.message, path).toMatch(message);
    }
    expect(await levelsInDb()).toEqual(before);
    // One procedure per segment.
    expect((await gql(app.url, SAVE, { input: procedure({ key: 'DC1', segmentKey: 'DC' }) }, configurator)).errors).toBeUndefined();
    const second = await gql(app.url, SAVE, { input: procedure({ key: 'DC2', segmentKey: 'DC' }) }, configurator);
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'segmentKey' });
    expect(second.errors?.[0]?.message).toBe('Procedure DC1 already applies to segment DC');
    expect((await levelsInDb()).filter((l) => l.procedure_key === 'DC2')).toEqual([]);
    await db.dataSource.query(`DELETE FROM dunning_procedures WHERE key = 'DC1'`);
    expect((await gql(app.url, SAVE, { input: procedure({ key: 'DC1' }) }, supervisor)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('previews a template, saved or not, as the run renders it for a real partner', async () => {
    const body =
      'Dear {{partner.name}} ({{partner.externalId}}): {{total}} {{currency}}, charge {{charge}} {{chargeCurrency}}.{{#each items}} {{item.externalId}} {{item.daysOverdue}}d{{/each}}';
    const sample = await gql(app.url, PREVIEW, { body, subject: 'Level {{level}}', level: 2, asOf: '2026-03-01' }, configurator);
    expect(sample.errors).toBeUndefined();
    // The lowest partner id with an overdue item; its items in the currency of the oldest (USD), the level's charge.
    expect(sample.data.dunningTemplatePreview).toEqual({
      partnerId: '7101',
      partnerName: 'Partner 7101',
      level: 2,
      subject: 'Level 2',
      body: 'Dear Partner 7101 (P7101): 99.00 USD, charge 3.00 EUR. I71013 45d',
      itemCount: 1,
    });
    const given = await gql(app.url, PREVIEW, { body, partnerId: '7102', asOf: '2026-03-01' }, supervisor);
    expect(given.data.dunningTemplatePreview.body).toBe('Dear Partner 7102 (P7102): 40.00 EUR, charge 1.50 EUR. I71021 9d');
    // Nothing overdue at that date: nothing to show.
    expect((await gql(app.url, PREVIEW, { body, asOf: '2025-12-01' }, configurator)).data).toEqual({ dunningTemplatePreview: null });
    for (const [variables, code, path] of [
      [{ body: 'Hi {{partner.password}}' }, 'BAD_USER_INPUT', 'body'],
      [{ body: 'x', subject: '{{#each items}}' }, 'BAD_USER_INPUT', 'subject'],
      [{ body: 'x', level: 0 }, 'BAD_USER_INPUT', 'level'],
      [{ body: 'x', partnerId: '99999999999999999999' }, 'NOT_FOUND', undefined],
      [{ body: 'x', partnerId: '424242' }, 'NOT_FOUND', undefined],
    ] as const) {
      const { errors } = await gql(app.url, PREVIEW, variables, configurator);
      expect(errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe(code);
      if (path) expect(errors?.[0]?.extensions?.path).toBe(path);
    }
    expect((await gql(app.url, PREVIEW, { body: 'x' }, specialist)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lists the dunning runs newest first, a page at a time', async () => {
    for (const asOf of ['2026-02-05', '2026-03-01']) {
      const r = await gql(app.url, `mutation($asOf: Date) { runDunning(asOf: $asOf) { runId } }`, { asOf }, supervisor);
      expect(r.errors).toBeUndefined();
    }
    const expected = await db.dataSource.query(`SELECT id::text AS id, as_of, partners, notices, items FROM dunning_runs ORDER BY id DESC`);
    expect(expected).toHaveLength(2);
    const first = await gql(app.url, RUNS, { first: 1 }, supervisor);
    expect(first.data.dunningRuns.pageInfo.hasNextPage).toBe(true);
    const second = await gql(app.url, RUNS, { first: 1, after: first.data.dunningRuns.pageInfo.endCursor }, configurator);
    expect(second.data.dunningRuns.pageInfo.hasNextPage).toBe(false);
    const nodes = [...first.data.dunningRuns.edges, ...second.data.dunningRuns.edges].map((e: any) => e.node);
    expect(nodes.map((n) => n.id)).toEqual(expected.map((e: any) => e.id));
    expect(nodes[0]).toMatchObject({ asOf: '2026-03-01', partners: expected[0].partners, notices: expected[0].notices, items: expected[0].items });
    expect(nodes[0].createdBy).toMatch(/^test-supervisor/);
    expect((await gql(app.url, RUNS, { first: 101 }, supervisor)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gql(app.url, RUNS, {}, specialist)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
