import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { createTestToken, gql } from './support/api';
import { count, openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist } from './support/worklist-fixtures';

/** Dunning over GraphQL: configuration by ADMIN/CONFIGURATOR, runs by ADMIN/SUPERVISOR, exclusions by collectors, the outbox for readers. */
let db: Database;
let app: RunningApp;
let admin: string;
let supervisor: string;
let client: string;
let spec51: string;
let spec52: string;

beforeAll(async () => {
  db = await openTestDatabase();
  await insertSegment(db, 'AS', []);
  await insertSpecialist(db, 51, null);
  await insertSpecialist(db, 52, null);
  await insertPartners(db, [{ id: 5101, segment: 'AS', specialist: 51 }]);
  await insertItems(db, [
    { id: 1, partner: 5101, due: '2026-02-01', open: 250 },
    { id: 2, partner: 5101, due: '2026-02-02', open: 10 },
  ]);
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
  supervisor = await createTestToken(db, 'SUPERVISOR');
  client = await createTestToken(db, 'CLIENT');
  spec51 = await createTestToken(db, 'SPECIALIST', '51');
  spec52 = await createTestToken(db, 'SPECIALIST', '52');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const RUN = `mutation($asOf: Date, $dry: Boolean) { runDunning(asOf: $asOf, dryRun: $dry) { runId dryRun partners notices items byLevel { level notices items } emailsSent sample { partnerId level channel body status itemIds } } }`;

describe(`dunning over GraphQL (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('configures a template and a procedure (ADMIN); refuses unknown placeholders and other roles', async () => {
    const template = `mutation($body: String!) { saveDunningTemplate(input: { key: "T1", subject: "Reminder {{level}}", body: $body }) { key } }`;
    const bad = await gql(app.url, template, { body: 'Hi {{partner.password}}' }, admin);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'body' });
    expect((await gql(app.url, template, { body: 'x' }, supervisor)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await gql(app.url, template, { body: '{{partner.name}} owes {{total}} {{currency}}:{{#each items}} {{item.externalId}}{{/each}}' }, admin)).data
        .saveDunningTemplate,
    ).toEqual({ key: 'T1' });
    const procedure = `mutation { saveDunningProcedure(input: { key: "STD", name: "Standard", currency: "EUR", graceDays: 2,
      levels: [{ level: 1, daysOverdue: 1, channel: "LETTER", templateKey: "T1", charge: "2.5" }, { level: 2, daysOverdue: 14, channel: "LETTER", templateKey: "T1", legal: true }] }) {
      key graceDays segmentKey levels { level daysOverdue charge channel legal } } }`;
    const { data, errors } = await gql(app.url, procedure, {}, admin);
    expect(errors).toBeUndefined();
    expect(data.saveDunningProcedure).toEqual({
      key: 'STD',
      graceDays: 2,
      segmentKey: null,
      levels: [
        { level: 1, daysOverdue: 1, charge: '2.5000', channel: 'LETTER', legal: false },
        { level: 2, daysOverdue: 14, charge: '0.0000', channel: 'LETTER', legal: true },
      ],
    });
  });

  it('runs dunning for ADMIN and SUPERVISOR only; a dry run writes nothing and shows the notices', async () => {
    expect((await gql(app.url, RUN, { asOf: '2026-02-10', dry: true }, spec51)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, RUN, { asOf: '2026-02-10', dry: true }, client)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const dry = await gql(app.url, RUN, { asOf: '2026-02-10', dry: true }, supervisor);
    expect(dry.errors).toBeUndefined();
    expect(dry.data.runDunning).toMatchObject({ runId: null, dryRun: true, partners: 1, notices: 1, items: 2, emailsSent: 0 });
    expect(dry.data.runDunning.sample).toEqual([
      { partnerId: '5101', level: 1, channel: 'LETTER', body: 'Partner 5101 owes 260.00 EUR: I1 I2', status: 'DRY_RUN', itemIds: ['1', '2'] },
    ]);
    expect(await count(db, 'dunning_notices')).toBe(0);
  });

  it("an item blocked by its specialist is skipped by the run; the outbox is readable by the partner's specialist", async () => {
    const exclusion = `mutation($item: ID) { setDunningExclusion(input: { partnerId: "5101", itemId: $item, kind: "BLOCK", excluded: true, reason: "checking" }) { kind itemId } }`;
    expect((await gql(app.url, exclusion, { item: '2' }, spec52)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, exclusion, { item: '2' }, spec51)).data.setDunningExclusion).toEqual([]); // an item block is the item's own flag
    const run = await gql(app.url, RUN, { asOf: '2026-02-10' }, admin);
    expect(run.data.runDunning).toMatchObject({ runId: expect.any(String), partners: 1, notices: 1, items: 1 });
    const notices = `query($p: ID) { dunningNotices(partnerId: $p) { edges { node { runId level body charge status itemIds } } pageInfo { hasNextPage } } }`;
    const read = await gql(app.url, notices, { p: '5101' }, spec51);
    expect(read.data.dunningNotices.edges.map((e: any) => e.node)).toEqual([
      { runId: run.data.runDunning.runId, level: 1, body: 'Partner 5101 owes 250.00 EUR: I1', charge: '2.5000', status: 'PENDING', itemIds: ['1'] },
    ]);
    expect((await gql(app.url, notices, {}, spec51)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, notices, { p: '5101' }, spec52)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, `{ dunningNotices { edges { node { level } } } }`, {}, client)).data.dunningNotices.edges).toHaveLength(1);
  });
});
