import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { ROLES, type AuthUser, type Role } from '../packages/server/src/graphql/roles';
import type { Database } from '../packages/server/src/db/database';
import { accessOf, assertOperationAllowed, OPERATION_ACCESS, PUBLIC } from '../packages/server/src/graphql/access';
import { refusalStatus } from '../packages/server/src/graphql/errors';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertPartners, insertSegment, insertSpecialist } from './support/worklist-fixtures';

/**
 * Access is declared once per operation (packages/server/src/graphql/access.ts) and enforced
 * before anything runs. Adding an operation without a declaration fails the first test.
 */
const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../schema.graphql');
const schema = buildSchema(readFileSync(schemaFile, 'utf8'));
const rootFields = (type: 'Query' | 'Mutation') => Object.keys((schema.getType(type) as GraphQLObjectType).getFields());
const user = (role: Role): AuthUser => ({ tokenId: '1', name: `a ${role}`, role, specialistId: role === 'SPECIALIST' ? '1' : null });
const codeOf = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'THREW';
  }
};

describe('the access table', () => {
  it('declares every query and mutation of schema.graphql, and nothing the schema lacks', () => {
    for (const type of ['Query', 'Mutation'] as const) {
      const inSchema = rootFields(type);
      expect(inSchema.length).toBeGreaterThan(10);
      const undeclared = inSchema.filter((field) => accessOf(type, field) === undefined);
      expect(undeclared, `${type} operations without a declared access in graphql/access.ts`).toEqual([]);
      expect(
        Object.keys(OPERATION_ACCESS[type]).filter((field) => !inSchema.includes(field)),
        `declared ${type} operations missing from the schema`,
      ).toEqual([]);
    }
  });

  it('opens only health to anonymous callers and no mutation to CLIENT tokens', () => {
    const publicOnes = [...rootFields('Query').map((f) => ['Query', f] as const), ...rootFields('Mutation').map((f) => ['Mutation', f] as const)].filter(
      ([type, field]) => accessOf(type, field) === PUBLIC,
    );
    expect(publicOnes).toEqual([['Query', 'health']]);
    for (const field of rootFields('Mutation')) expect(codeOf(() => assertOperationAllowed(user('CLIENT'), 'Mutation', [field]))).toBe('FORBIDDEN');
  });

  it('refuses what is not declared, and each role exactly where the table says', () => {
    expect(codeOf(() => assertOperationAllowed(user('ADMIN'), 'Query', ['notDeclaredAnywhere']))).toBe('FORBIDDEN');
    expect(codeOf(() => assertOperationAllowed(null, 'Query', ['strategies']))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => assertOperationAllowed(null, 'Query', ['health']))).toBeNull();
    for (const role of ROLES) {
      for (const type of ['Query', 'Mutation'] as const) {
        for (const field of rootFields(type)) {
          const access = accessOf(type, field)!;
          const allowed = access === PUBLIC || (access.includes(role) && !(role === 'CLIENT' && type === 'Mutation'));
          expect(
            codeOf(() => assertOperationAllowed(user(role), type, [field])),
            `${role} ${type}.${field}`,
          ).toBe(allowed ? null : 'FORBIDDEN');
        }
      }
    }
  });
});

describe('enforcement over HTTP', () => {
  let db: Database;
  let app: RunningApp;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    db = await openTestDatabase();
    app = await startApp(db, 0);
    for (const role of ['ADMIN', 'CONFIGURATOR', 'SUPERVISOR', 'CLIENT'] as const) tokens[role] = await createTestToken(db, role);
    // Partner 501 is specialist 2's: specialist 1's token is refused it by the resolver's row scoping.
    await insertSegment(db, 'ACC', [{ key: 'ACC_G', strategyKey: null }]);
    await insertSpecialist(db, 1, 'ACC_G');
    await insertSpecialist(db, 2, 'ACC_G');
    await insertPartners(db, [{ id: 501, segment: 'ACC', specialist: 2 }]);
    tokens.SPECIALIST = await createTestToken(db, 'SPECIALIST', '1');
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('refuses the whole operation before it runs when one root field is not allowed, aliases and fragments included', async () => {
    const sneaky = `query { ok: me { role } ...F } fragment F on Query { hidden: auditLog(first: 1) { edges { cursor } } }`;
    const refused = await gql(app.url, sneaky, {}, tokens.CLIENT);
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const allowed = await gql<{ ok: { role: string } }>(app.url, sneaky, {}, tokens.SUPERVISOR);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data?.ok.role).toBe('SUPERVISOR');
  });

  it('lets a CONFIGURATOR write strategies but not run dunning, and nobody without a token past health', async () => {
    const create = `mutation { createStrategy(input: { key: "ACCESS_T", name: "Access" }) { id } }`;
    expect((await gql(app.url, create, {}, tokens.SUPERVISOR)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, create, {}, tokens.CONFIGURATOR)).errors).toBeUndefined();
    expect((await gql(app.url, `mutation { runDunning(dryRun: true) { asOf } }`, {}, tokens.CONFIGURATOR)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(app.url, `{ health { status } me { role } }`)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await gql<{ health: { status: string } }>(app.url, `{ health { status } }`)).data?.health.status).toBeTruthy();
  });

  /** POSTs as the studio's Apollo Client does (it prefers application/graphql-response+json); the status, content type and body. */
  async function post(query: string, token?: string): Promise<{ status: number; type: string | null; body: any }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json,application/json;q=0.9' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
  }

  it('answers FORBIDDEN with HTTP 403 whether the access table or a resolver refuses, and UNAUTHENTICATED with 401', async () => {
    const byResolver = await post(`{ customer(partnerId: "501") { partner { id } } }`, tokens.SPECIALIST);
    expect(byResolver.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
    const byTable = await post(`mutation { createStrategy(input: { key: "NOPE", name: "No" }) { id } }`, tokens.CLIENT);
    expect(byTable.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect([byResolver.status, byTable.status]).toEqual([403, 403]);
    // The studio reads a refusal's errors from the body (a GraphQL response type, not a bare server error).
    expect(byResolver.type).toMatch(/^application\/graphql-response\+json/);
    // A refused field beside an allowed one: the errors decide, still 403.
    const partly = await post(`{ me { role } customer(partnerId: "501") { partner { id } } }`, tokens.SPECIALIST);
    expect(partly.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect(partly.status).toBe(403);
    // Not every error a refusal: the status stays the GraphQL one.
    expect(
      refusalStatus([
        { message: 'a', extensions: { code: 'FORBIDDEN' } },
        { message: 'b', extensions: { code: 'NOT_FOUND' } },
      ]),
    ).toBeUndefined();
    const notFound = await post(`{ customer(partnerId: "999999") { partner { id } } }`, tokens.SPECIALIST);
    expect([notFound.status, notFound.body.errors[0].extensions.code]).toEqual([200, 'NOT_FOUND']);
    const noToken = await post(`{ me { role } }`);
    const badToken = await post(`{ me { role } }`, 'rcp_unknown');
    expect([noToken.status, badToken.status]).toEqual([401, 401]);
    expect([noToken.body.errors[0].extensions.code, badToken.body.errors[0].extensions.code]).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
  });

  it('answers NOT_FOUND, never an internal error, for ids out of bigint range or malformed', async () => {
    for (const id of ['99999999999999999999', '9223372036854775808', '-1', '1e3', ' 1', '0x10', '007']) {
      const response = await gql(app.url, `query ($id: ID!) { customer(partnerId: $id) { partner { id } } }`, { id }, tokens.ADMIN);
      expect(response.errors?.[0]?.extensions?.code, JSON.stringify(id)).toBe('NOT_FOUND');
    }
  });
});
