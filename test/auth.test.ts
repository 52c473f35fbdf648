import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { getIntrospectionQuery } from '../packages/server/node_modules/graphql/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import { createApiToken, revokeApiToken } from '../packages/server/src/auth/auth.service';
import { ROLES, type Role } from '../packages/server/src/graphql/roles';
import type { Database } from '../packages/server/src/db/database';
import { formatError } from '../packages/server/src/graphql/errors';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertSegment, insertSpecialist } from './support/worklist-fixtures';

const run = promisify(execFile);

const CREATE = `mutation($key: String!) { createStrategy(input: { key: $key, name: "Auth test" }) { id version status } }`;

describe(`auth, roles and request limits (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  let app: RunningApp;
  const tokens = {} as Record<Role, string>;
  beforeAll(async () => {
    db = await openTestDatabase();
    await insertSegment(db, 'SEG', [{ key: 'TEAM', strategyKey: null }]);
    await insertSpecialist(db, 7, 'TEAM');
    app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
    for (const role of ROLES) tokens[role] = await createTestToken(db, role, role === 'SPECIALIST' ? '7' : null);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('stores only the sha256 of a token, and records its last use', async () => {
    const { token, record } = await createApiToken(db, { name: 'hash-check', role: 'SUPERVISOR' });
    expect(token).toMatch(/^rcp_[A-Za-z0-9_-]{43}$/);
    const [row] = await db.dataSource.query(`SELECT * FROM api_tokens WHERE id = $1`, [record.id]);
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    expect(row.last_used_at).toBeNull();
    const result = await gql(app.url, '{ facts { name } }', {}, token);
    expect(result.errors).toBeUndefined();
    const [used] = await db.dataSource.query(`SELECT last_used_at FROM api_tokens WHERE id = $1`, [record.id]);
    expect(used.last_used_at).not.toBeNull();
  });

  it('refuses a query without a token with UNAUTHENTICATED (HTTP 401), but keeps health public', async () => {
    const response = await post(JSON.stringify({ query: '{ facts { name } }' }));
    expect(response.status).toBe(401);
    const body = (await response.json()) as any;
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const health = await gql(app.url, '{ health { status } }');
    expect(health.data.health.status).toBe('ok');
    // A public field does not open the rest of the operation.
    const mixed = await gql(app.url, '{ health { status } operators { name } }');
    expect(mixed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const mutation = await gql(app.url, CREATE, { key: 'ANON' });
    expect(mutation.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await db.dataSource.query(`SELECT 1 FROM strategies WHERE key = 'ANON'`)).toHaveLength(0);
  });

  it('refuses unknown, malformed and revoked tokens with UNAUTHENTICATED', async () => {
    for (const authorization of ['Bearer rcp_not-a-token', 'Basic dXNlcjpwYXNz', 'Bearer']) {
      const response = await post(JSON.stringify({ query: '{ health { status } }' }), { authorization });
      expect(response.status).toBe(401);
      const body = (await response.json()) as any;
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(body)).not.toMatch(/stacktrace|Context creation/);
    }
    const { token, record } = await createApiToken(db, { name: 'to-revoke', role: 'ADMIN' });
    expect((await gql(app.url, '{ operators { name } }', {}, token)).errors).toBeUndefined();
    await revokeApiToken(db, record.id);
    const revoked = await gql(app.url, '{ operators { name } }', {}, token);
    expect(revoked.data).toBeUndefined();
    expect(revoked.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("lets every role of the company read (not an agency's), and refuses mutations to CLIENT, SPECIALIST and SUPERVISOR with FORBIDDEN", async () => {
    const read = (role: Role) => gql(app.url, '{ facts { name } strategies { edges { node { key } } } }', {}, tokens[role]);
    for (const role of ROLES.filter((r) => r !== 'AGENCY')) {
      const result = await read(role);
      expect(result.errors, role).toBeUndefined();
      expect(result.data.facts.length).toBeGreaterThan(20);
    }
    // An AGENCY token is an outsider: it reads only what is placed with its agency (issue 22).
    expect((await read('AGENCY')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const role of ['CLIENT', 'SPECIALIST', 'SUPERVISOR'] as const) {
      const result = await gql(app.url, CREATE, { key: `NO_${role}` }, tokens[role]);
      expect(result.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      expect(result.data?.createStrategy ?? null).toBeNull();
    }
    expect(await db.dataSource.query(`SELECT key FROM strategies WHERE key LIKE 'NO\\_%'`)).toEqual([]);
    for (const role of ['ADMIN', 'CONFIGURATOR'] as const) {
      const result = await gql(app.url, CREATE, { key: `BY_${role}` }, tokens[role]);
      expect(result.errors, role).toBeUndefined();
      expect(result.data.createStrategy).toMatchObject({ version: 1, status: 'DRAFT' });
    }
  });

  it('limits the audit log to ADMIN, CONFIGURATOR and SUPERVISOR', async () => {
    const q = '{ auditLog(first: 5) { edges { node { action actorName actorRole } } } }';
    for (const role of ['CLIENT', 'SPECIALIST'] as const) {
      expect((await gql(app.url, q, {}, tokens[role])).errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
    }
    const supervisor = await gql(app.url, q, {}, tokens.SUPERVISOR);
    expect(supervisor.errors).toBeUndefined();
    expect(supervisor.data.auditLog.edges.map((e: any) => e.node.actorRole).sort()).toEqual(['ADMIN', 'CONFIGURATOR']);
  });

  it('checks token input: a SPECIALIST token needs an existing specialist, others none', async () => {
    await expect(createApiToken(db, { name: 's', role: 'SPECIALIST' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(createApiToken(db, { name: 's', role: 'SPECIALIST', specialistId: '999' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(createApiToken(db, { name: 'a', role: 'ADMIN', specialistId: '7' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(createApiToken(db, { name: 'x', role: 'ROOT' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(createApiToken(db, { name: ' ', role: 'ADMIN' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('creates, lists and revokes tokens from the CLI, printing the secret once', async () => {
    const env = { ...process.env, DATABASE_URL: db.url };
    const cli = (...args: string[]) => run('npx', ['tsx', 'packages/server/src/cli.ts', ...args], { env, cwd: process.cwd() });
    const created = await cli('token', 'create', '--name', 'cli-made', '--role', 'CONFIGURATOR');
    const token = created.stdout.trim();
    expect(token).toMatch(/^rcp_\S{43}$/);
    const [row] = await db.dataSource.query(`SELECT id, role, token_hash FROM api_tokens WHERE name = 'cli-made'`);
    expect(row.role).toBe('CONFIGURATOR');
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect((await gql(app.url, '{ operators { name } }', {}, token)).errors).toBeUndefined();
    const listed = await cli('token', 'list');
    expect(listed.stdout).toContain('cli-made');
    expect(listed.stdout).not.toContain(token);
    await cli('token', 'revoke', String(row.id));
    expect((await gql(app.url, '{ operators { name } }', {}, token)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await expect(cli('token', 'create', '--name', 'x', '--role', 'SPECIALIST')).rejects.toMatchObject({ code: 1 });
  }, 60_000);

  it('refuses an operation deeper than the limit, and allows the introspection query to a signed-in caller', async () => {
    const nested = (levels: number) => {
      let selection = 'key';
      for (let i = 0; i < levels; i++) selection = `versions { strategy { ${selection} } }`;
      return `{ strategies { edges { node { ${selection} } } } }`;
    };
    // strategies > edges > node > key is 4 levels; each versions > strategy adds 2.
    expect((await gql(app.url, nested(4), {}, tokens.ADMIN)).errors).toBeUndefined();
    const deep = await gql(app.url, nested(5), {}, tokens.ADMIN);
    expect(deep.data).toBeUndefined();
    expect(deep.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', depth: 14, maxDepth: 12 });
    expect(deep.errors?.[0]?.message).toBe('Query depth 14 exceeds the limit of 12');
    // Introspection is an operation like any other: a token first (issue 16), then the whole schema.
    expect((await gql(app.url, getIntrospectionQuery())).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const introspection = await gql(app.url, getIntrospectionQuery(), {}, tokens.ADMIN);
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data.__schema.queryType.name).toBe('Query');
  });

  it('refuses an operation costlier than the limit, counting page sizes from variables', async () => {
    const small = await startApp(db, 0, { production: true, studioDir: '/nonexistent', queryLimits: { maxComplexity: 100 } });
    try {
      const q = 'query($n: Int!) { auditLog(first: $n) { edges { cursor node { id at action actorName details } } } }';
      expect((await gql(small.url, q, { n: 5 }, tokens.ADMIN)).errors).toBeUndefined();
      const costly = await gql(small.url, q, { n: 100 }, tokens.ADMIN);
      expect(costly.data).toBeUndefined();
      expect(costly.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', maxComplexity: 100 });
    } finally {
      await small.close();
    }
  });

  it('refuses a request body over the size limit with 413 and a JSON error, without a stack', async () => {
    const big = JSON.stringify({ query: '{ health { status } }', variables: { pad: 'x'.repeat(1024 * 1024 + 10) } });
    const response = await post(big, { authorization: `Bearer ${tokens.ADMIN}` });
    expect(response.status).toBe(413);
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.js/);
    const justUnder = JSON.stringify({ query: '{ health { status } }', variables: { pad: 'x'.repeat(1000 * 1000) } });
    expect((await post(justUnder, { authorization: `Bearer ${tokens.ADMIN}` })).status).toBe(200);
    const malformed = await post('{"query": ', { authorization: `Bearer ${tokens.ADMIN}` });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(await malformed.json())).not.toMatch(/stack|node_modules/);
  });

  it('hides internals of unexpected errors in production, keeps them in development', () => {
    const formatted = { message: 'relation "x" does not exist', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: at db.js:1'] } };
    expect(formatError(formatted, new Error('relation "x" does not exist'), true)).toEqual({
      message: 'Internal server error',
      path: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(formatError(formatted, new Error('boom'), false)).toBe(formatted);
    const validation = { message: 'bad', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['at x'] } };
    expect(formatError(validation, new Error('bad'), true).extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
