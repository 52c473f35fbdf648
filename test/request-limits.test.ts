import pg from 'pg';
import { QueryFailedError } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { StatementStoppedError } from '../packages/server/src/db/request-statements';
import { formatError } from '../packages/server/src/graphql/errors';
import { createTestToken } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * The database work of an API request stops (its statement cancelled) within 2 s of the client
 * going away, or at the request's statement timeout, which answers TIMEOUT; /health answers
 * meanwhile. A statement is made slow by a lock the test holds on a table it reads.
 *
 * Postgres only: the embedded PGlite runs each statement to its end inside the process (the
 * event loop, /health included, waits for it) and ignores statement_timeout, so nothing there can
 * stop a statement (README, "Configuration").
 */
const EMBEDDED = !process.env.DATABASE_URL;
const SEGMENT = 'LIM';
const DOCUMENT = strategyDocument({
  key: 'LIM_STRATEGY',
  name: 'Limits',
  rules: [rule('Over 100 to collect', 60, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 100))],
});
const PREVIEW = `query ($document: JSON!) { previewWorklist(asOf: "2026-03-31", segment: "${SEGMENT}", strategy: $document) { partners } }`;
const CUSTOMER = `{ customer(partnerId: "5001") { partner { id } } }`;

describe('a cancelled statement answers TIMEOUT (both databases)', () => {
  it('maps 57014 query_canceled, through TypeORM, to TIMEOUT with the reason', () => {
    const stopped = new StatementStoppedError('timeout', 250);
    const wrapped = new QueryFailedError('SELECT 1', [], stopped);
    const formatted = formatError({ message: wrapped.message }, wrapped, true);
    expect(formatted.extensions?.code).toBe('TIMEOUT');
    expect(formatted.message).toBe("The request's database statement ran longer than its statement timeout (250 ms) and was cancelled");
    const byServer = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    expect(formatError({ message: byServer.message }, new QueryFailedError('SELECT 1', [], byServer), true).extensions?.code).toBe('TIMEOUT');
  });
});

describe.skipIf(EMBEDDED)('the database work of a request (postgres)', () => {
  let db: Database;
  let app: RunningApp;
  let quick: RunningApp;
  let admin: string;
  /** Hold locks for the test and watch pg_stat_activity (not in the locker's transaction, which keeps one snapshot of it), outside the app's pools. */
  let locker: pg.Client;
  let observer: pg.Client;

  beforeAll(async () => {
    db = await openTestDatabase();
    await query(db, `INSERT INTO strategies (key, name) VALUES ('LIM_STRATEGY', 'Limits')`);
    await insertSegment(db, SEGMENT, [{ key: 'LIM_G', strategyKey: null }]);
    await insertSpecialist(db, 901, 'LIM_G');
    await insertPartners(db, [{ id: 5001, segment: SEGMENT }]);
    await insertItems(db, [{ id: 50011, partner: 5001, due: '2026-03-01', open: 500 }]);
    app = await startApp(db, 0, { studioDir: '/nonexistent' });
    quick = await startApp(db, 0, { studioDir: '/nonexistent', statementTimeoutMs: 300 });
    admin = await createTestToken(db, 'ADMIN');
    locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    observer = new pg.Client({ connectionString: db.url });
    await observer.connect();
  });

  afterAll(async () => {
    await locker?.end();
    await observer?.end();
    await quick?.close();
    await app?.close();
    await db?.close();
  });

  /** Runs `fn` while the test holds an exclusive lock on `table`: every statement reading it waits. */
  async function whileLocked<T>(table: string, fn: () => Promise<T>): Promise<T> {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    try {
      return await fn();
    } finally {
      await locker.query('ROLLBACK');
    }
  }

  /** Statements of the test database running now (the locker is idle in its transaction; this query is left out). */
  async function activeStatements(): Promise<Array<{ pid: number; query: string; wait_event_type: string | null }>> {
    const rows = await observer.query(
      `SELECT pid, query, wait_event_type FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    return rows.rows;
  }

  async function until(what: string, condition: () => Promise<boolean>, withinMs: number): Promise<number> {
    const started = performance.now();
    while (!(await condition())) {
      if (performance.now() - started > withinMs) throw new Error(`not within ${withinMs} ms: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return performance.now() - started;
  }

  function post(url: string, body: object, signal?: AbortSignal): Promise<Response> {
    return fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify(body),
      signal,
    });
  }

  async function health(url: string): Promise<{ status: number; ms: number }> {
    const started = performance.now();
    const response = await fetch(`${url}/health`);
    return { status: response.status, ms: performance.now() - started };
  }

  /** Sends the request, waits until its statement waits for the lock, aborts it; ms until none of its statements runs. */
  async function abortedWhileWaiting(body: object, table = 'open_items'): Promise<number> {
    return whileLocked(table, async () => {
      const client = new AbortController();
      const answer = post(app.url, body, client.signal).catch((error: unknown) => error);
      await until('the request waits for the lock', async () => (await activeStatements()).some((s) => s.wait_event_type === 'Lock'), 10_000);
      const during = await health(app.url);
      expect(during.status).toBe(200);
      expect(during.ms).toBeLessThan(500);
      client.abort();
      expect(await answer).toMatchObject({ name: 'AbortError' });
      const ms = await until('no statement of the request runs', async () => (await activeStatements()).length === 0, 5_000);
      console.log(`statement of an aborted request stopped ${Math.round(ms)} ms after the client went (${JSON.stringify(body).slice(0, 40)}…)`);
      return ms;
    });
  }

  it('cancels a read within 2 s of the client going away, and /health answers meanwhile', async () => {
    const reads = `{ customer(partnerId: "5001") { partner { id } openItems { edges { cursor } } } }`;
    expect(await abortedWhileWaiting({ query: reads })).toBeLessThan(2_000);
    // The API keeps answering: the pools got their connections back.
    const after = await post(app.url, { query: CUSTOMER });
    expect(((await after.json()) as any).data.customer.partner.id).toBe('5001');
  });

  it('cancels a worklist preview within 2 s of the client going away; its run is FAILED, not RUNNING', async () => {
    // A preview reads its facts from the maintained facts (migration MaintainedFacts), not the open items.
    const ms = await abortedWhileWaiting({ query: PREVIEW, variables: { document: DOCUMENT } }, 'partner_fact_currencies');
    expect(ms).toBeLessThan(2_000);
    await until('the preview run is marked FAILED', async () => (await query(db, `SELECT 1 FROM worklist_runs WHERE status = 'FAILED'`)).length > 0, 2_000);
    const runs = await query(db, `SELECT status, error FROM worklist_runs WHERE segment_key = $1`, [SEGMENT]);
    expect(runs).toEqual([{ status: 'FAILED', error: "The client went away: the request's database statement was cancelled" }]);
    expect(await query(db, `SELECT relname FROM pg_class WHERE relname LIKE 'worklist_stage_%' OR relname LIKE 'worklist_items_run_%'`)).toEqual([]);
  });

  it('answers TIMEOUT when a statement runs past the statement timeout, and stops it', async () => {
    await whileLocked('open_items', async () => {
      const started = performance.now();
      const response = await post(quick.url, { query: `{ customer(partnerId: "5001") { openItems { edges { cursor } } } }` }, AbortSignal.timeout(10_000));
      const ms = performance.now() - started;
      const body = (await response.json()) as any;
      console.log(`a statement over a 300 ms timeout answered TIMEOUT after ${Math.round(ms)} ms`);
      expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['TIMEOUT']);
      expect(body.errors[0].message).toBe("The request's database statement ran longer than its statement timeout (300 ms) and was cancelled");
      expect(ms).toBeLessThan(2_000);
      // The cancelling connection's own statement may still show as active for a moment after the answer.
      await until('no statement of the request runs', async () => (await activeStatements()).length === 0, 1_000);
    });
    // Statements within the limit run as ever.
    const fine = (await (await post(quick.url, { query: CUSTOMER })).json()) as any;
    expect(fine.data.customer.partner.id).toBe('5001');
  });

  it('leaves statements of the CLI and other work outside requests unlimited', async () => {
    let outside: Promise<unknown> | undefined;
    await whileLocked('open_items', async () => {
      outside = query(db, `SELECT count(*)::integer AS n FROM open_items`);
      await until('the statement waits for the lock', async () => (await activeStatements()).some((s) => s.wait_event_type === 'Lock'), 10_000);
      await new Promise((resolve) => setTimeout(resolve, 600)); // twice the quick app's timeout
      expect((await activeStatements()).map((s) => s.query)).toEqual(['SELECT count(*)::integer AS n FROM open_items']);
    });
    expect(await outside).toEqual([{ n: 1 }]);
  });
});
