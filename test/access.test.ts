import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { ROLES, type AuthUser, type Role } from '../packages/server/src/graphql/roles';
import type { Database } from '../packages/server/src/db/database';
import { accessOf, assertOperationAllowed, OPERATION_ACCESS, PUBLIC } from '../packages/server/src/graphql/access';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';

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

  it('answers NOT_FOUND, never an internal error, for ids out of bigint range or malformed', async () => {
    for (const id of ['99999999999999999999', '9223372036854775808', '-1', '1e3', ' 1', '0x10', '007']) {
      const response = await gql(app.url, `query ($id: ID!) { customer(partnerId: $id) { partner { id } } }`, { id }, tokens.ADMIN);
      expect(response.errors?.[0]?.extensions?.code, JSON.stringify(id)).toBe('NOT_FOUND');
    }
  });
});
