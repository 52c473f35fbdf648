import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { nulPathInRequest } from '../packages/server/src/graphql/input-guard';
import { parse } from 'graphql';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { query } from './support/worklist-fixtures';

/**
 * Input a client may send on purpose (issue 16, "Hostile input"): NUL characters, ids out of
 * range, introspection without a token or in bulk. Each is refused with the client's error code
 * before anything runs, and the database is left as it was.
 */
let db: Database;
let app: RunningApp;
let admin: string;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await startApp(db, 0);
  admin = await createTestToken(db, 'ADMIN');
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const strategies = async () => ((await query(db, `SELECT count(*)::integer AS n FROM strategies`)) as [{ n: number }])[0].n;

describe('NUL characters', () => {
  it('are refused in a variable, naming where, and nothing is written', async () => {
    const before = await strategies();
    const response = await gql(
      app.url,
      `mutation ($input: CreateStrategyInput!) { createStrategy(input: $input) { id } }`,
      { input: { key: 'NUL_TEST', name: 'Bad\u0000name' } },
      admin,
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'input.name' });
    expect(await strategies()).toBe(before);
  });

  it('are refused when written into the operation itself, in lists and objects too', async () => {
    const literal = await gql(app.url, `{ customer(externalId: "C-1\\u0000") { partner { id } } }`, {}, admin);
    expect(literal.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'externalId' });
    const nested = await gql(app.url, `{ validateStrategy(document: { rules: [{ name: "x\\u0000" }] }) { __typename } }`, {}, admin);
    expect(nested.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'document.rules[0].name' });
  });

  it('are found wherever they hide, and only there', () => {
    const doc = parse(`query ($a: String) { facts { name } }`);
    expect(nulPathInRequest(doc, { a: 'fine', b: { c: ['ok', 'no\u0000'] } })).toBe('b.c[1]');
    expect(nulPathInRequest(doc, { a: 'fine', b: { c: ['ok', 'yes'] } })).toBeNull();
    expect(nulPathInRequest(parse(`{ fact(name: "overdueAmount") { name } }`), {})).toBeNull();
  });
});

describe('ids', () => {
  it('at or beyond 2^63, negative or not numeric are NOT_FOUND, never an internal error', async () => {
    for (const id of ['9223372036854775808', '99999999999999999999999', '-5', 'abc', '']) {
      for (const operation of [
        `query ($id: ID!) { promise(id: $id) { id } }`,
        `query ($id: ID!) { strategyVersion(id: $id) { id } }`,
        `query ($id: ID!) { paymentPlan(id: $id) { id } }`,
        `query ($id: ID!) { worklistItem(partnerId: $id) { partnerId } }`,
      ]) {
        const response = await gql(app.url, operation, { id }, admin);
        expect(response.errors?.[0]?.extensions?.code, `${operation} ${JSON.stringify(id)}`).toBe('NOT_FOUND');
      }
    }
  });
});

describe('validation errors', () => {
  it('name the argument the client sent', async () => {
    const tooMany = await gql(app.url, `{ dueResubmissions(limit: 5000) { id } }`, {}, admin);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'limit' });
    expect(tooMany.errors?.[0]?.message).toMatch(/^limit /);
  });
});

describe('expensive operations', () => {
  it('cannot be multiplied by aliases: three previews in one request are refused before any runs', async () => {
    const preview = (alias: string) => `${alias}: previewWorklist(strategy: $s, asOf: "2026-03-31") { partnersEvaluated }`;
    const three = await gql(app.url, `query ($s: JSON!) { ${['a', 'b', 'c'].map(preview).join(' ')} }`, { s: {} }, admin);
    expect(three.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(three.errors?.[0]?.message).toMatch(/complexity/);
  });
});

describe('introspection', () => {
  it('needs a token like every other operation, but __typename alone does not reveal the schema', async () => {
    const anonymous = await gql(app.url, `{ __schema { queryType { name } } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await gql(app.url, `{ __type(name: "Query") { name } }`)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const signedIn = await gql<{ __schema: { queryType: { name: string } } }>(app.url, `{ __schema { queryType { name } } }`, {}, admin);
    expect(signedIn.data?.__schema.queryType.name).toBe('Query');
  });

  it('in bulk is refused before it runs, and the server stays responsive', async () => {
    const aliases = Array.from({ length: 1500 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ');
    const started = performance.now();
    const bulk = await gql(app.url, `{ ${aliases} }`, {}, admin);
    const elapsed = performance.now() - started;
    expect(bulk.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bulk.errors?.[0]?.message).toMatch(/complexity/);
    expect(elapsed).toBeLessThan(5_000);
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
    const one = await gql(app.url, `{ __schema { types { name } } }`, {}, admin);
    expect(one.errors).toBeUndefined();
  });
});
