import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { importAr } from '../packages/server/src/import';
import { runWorklist } from '../packages/server/src/worklists';
import {
  ANONYMOUS_OPERATION,
  configuredFormat,
  configuredLevel,
  prettyLine,
  createLogger,
  MAX_OPERATION_LABELS,
  operationLabel,
  OTHER_OPERATION,
  replaceRootLogger,
  UNRESOLVED_OPERATION,
} from '../packages/server/src/observability';
import { createTestToken } from './support/api';
import { openTestDatabase } from './support/database';
import { insertItems, insertPartners, insertSegment, insertSpecialist, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * /metrics in Prometheus' text format with the API's figures, the request id on the log lines
 * of a request, and exactly one error line (with stack) for an unexpected error.
 */
const csv = (lines: string[]) => () => [lines.join('\n') + '\n'];

// ---- a parser of the text exposition format (0.0.4), strict enough to fail on a malformed line ----

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)|NaN|[+-]Inf)';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

interface Exposition {
  /** Sample values by `name{labels}` exactly as written. */
  samples: Map<string, number>;
  types: Map<string, string>;
  malformed: string[];
}

function parseExposition(text: string): Exposition {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const malformed: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    const sample = SAMPLE.exec(line);
    if (help) helps.add(help[1]!);
    else if (type) types.set(type[1]!, type[2]!);
    else if (sample) {
      const family = familyOf(sample[1]!, types);
      // Every sample belongs to a family declared (HELP and TYPE) before it.
      if (!family || !helps.has(family)) malformed.push(`undeclared: ${line}`);
      samples.set(line.slice(0, line.lastIndexOf(' ')), Number(sample[3]!.replace('Inf', 'Infinity')));
    } else if (!line.startsWith('#')) malformed.push(line);
  }
  return { samples, types, malformed };
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return types.get(base) === 'histogram' || types.get(base) === 'summary' ? base : undefined;
}

// ---- the app under test, its log lines captured ---------------------------------------------------

describe(`observability (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  let app: RunningApp;
  let admin: string;
  const lines: Array<Record<string, any>> = [];
  let restoreLogger: () => void;

  beforeAll(async () => {
    restoreLogger = replaceRootLogger(createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } }));
    db = await openTestDatabase();
    app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
    admin = await createTestToken(db, 'ADMIN');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    restoreLogger?.();
  });

  const post = async (query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, ...headers },
      body: JSON.stringify({ query }),
    });
    return { response, body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
  };
  const scrape = async (): Promise<Exposition> => {
    const response = await fetch(`${app.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(await response.text());
  };

  it('serves /metrics in the text format, with the API, pool, process and import families', async () => {
    await importAr(db, {
      partners: csv(['partner_id,name,country,currency,risk_class,credit_limit,customer_type,segment', 'P1,Anna,DE,EUR,A,,POSTPAID,CONSUMER']),
    });
    const metrics = await scrape();
    expect(metrics.malformed).toEqual([]);
    expect(metrics.samples.size).toBeGreaterThan(50);
    expect(metrics.types.get('recoup_graphql_request_duration_seconds')).toBe('histogram');
    expect(metrics.types.get('recoup_graphql_requests_total')).toBe('counter');
    expect(metrics.types.get('recoup_api_errors_total')).toBe('counter');
    expect(metrics.types.get('recoup_worklist_run_duration_seconds')).toBe('histogram');
    expect(metrics.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(metrics.samples.get('recoup_db_pool_connections{pool="main",state="total"}')).toBeGreaterThanOrEqual(1);
    expect(metrics.samples.has('recoup_db_pool_connections{pool="main",state="waiting"}')).toBe(true);
    if (db.kind === 'postgres') expect(metrics.samples.has('recoup_db_pool_connections{pool="reads",state="idle"}')).toBe(true);
    expect(metrics.samples.get('recoup_import_rows_total{table="partners",outcome="inserted"}')).toBeGreaterThanOrEqual(1);
  });

  it('times worklist runs and counts their partners', async () => {
    await query(db, `INSERT INTO strategies (key, name) VALUES ('OBS_STRATEGY', 'Observed')`);
    await insertSegment(db, 'OBS', [{ key: 'OBS_G', strategyKey: null }]);
    await insertSpecialist(db, 951, 'OBS_G');
    await insertPartners(db, [
      { id: 9501, segment: 'OBS' },
      { id: 9502, segment: 'OBS' },
    ]);
    await insertItems(db, [
      { id: 95011, partner: 9501, due: '2026-03-01', open: 500 },
      { id: 95021, partner: 9502, due: '2026-03-01', open: 50 },
    ]);
    const document = strategyDocument({
      key: 'OBS_STRATEGY',
      name: 'Observed',
      rules: [rule('Over 100 to collect', 60, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 100))],
    });
    const before = await scrape();
    const run = await runWorklist(db, { segment: 'OBS', asOf: '2026-03-31', mode: 'PREVIEW', document });
    const after = await scrape();
    expect(run.partnersEvaluated).toBe(2);
    const count = 'recoup_worklist_run_duration_seconds_count{mode="PREVIEW"}';
    const partners = 'recoup_worklist_partners_evaluated_total{mode="PREVIEW"}';
    expect(after.samples.get(count)).toBe((before.samples.get(count) ?? 0) + 1);
    expect(after.samples.get(partners)).toBe((before.samples.get(partners) ?? 0) + 2);
    expect(after.samples.get('recoup_worklist_run_partners_per_second{mode="PREVIEW"}')).toBeCloseTo(2 / (run.milliseconds / 1000), 3);
  });

  it('detects a malformed exposition (the parser can fail)', () => {
    expect(parseExposition('# HELP a x\n# TYPE a counter\na{b="c"} 1\n').malformed).toEqual([]);
    expect(parseExposition('# HELP a x\n# TYPE a counter\na{b=c} 1\n').malformed).toHaveLength(1);
    expect(parseExposition('b 1\n').malformed).toEqual(['undeclared: b 1']);
    expect(parseExposition('# HELP a x\n# TYPE a counter\na 1 2 3\n').malformed).toHaveLength(1);
  });

  it.skipIf(spawnSync('promtool', ['--version']).error)('passes promtool check metrics', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it('counts and times requests per operation name', async () => {
    const before = await scrape();
    const key = 'recoup_graphql_requests_total{operation="WhoAmI"}';
    const { body } = await post('query WhoAmI { me { role } }');
    expect(body.data?.me.role).toBe('ADMIN');
    await post('query WhoAmI { me { role } }');
    await post('{ me { role } }');
    const after = await scrape();
    expect(after.samples.get(key)).toBe((before.samples.get(key) ?? 0) + 2);
    expect(after.samples.get('recoup_graphql_request_duration_seconds_count{operation="WhoAmI"}')).toBe(
      (before.samples.get('recoup_graphql_request_duration_seconds_count{operation="WhoAmI"}') ?? 0) + 2,
    );
    expect(after.samples.get('recoup_graphql_request_duration_seconds_bucket{le="+Inf",operation="WhoAmI"}')).toBe(after.samples.get(key));
    const anonymous = `recoup_graphql_requests_total{operation="${ANONYMOUS_OPERATION}"}`;
    expect(after.samples.get(anonymous)).toBe((before.samples.get(anonymous) ?? 0) + 1);
  });

  it('counts errors by code, and logs no error line for a client mistake', async () => {
    const before = await scrape();
    const logged = lines.length;
    const { body } = await post('query TooMany { dueResubmissions(limit: 5000) { id } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const after = await scrape();
    const key = 'recoup_api_errors_total{code="BAD_USER_INPUT"}';
    expect(after.samples.get(key)).toBe((before.samples.get(key) ?? 0) + 1);
    expect(lines.slice(logged).filter((l) => l.level === 'error')).toEqual([]);
  });

  it('counts a malformed body as BAD_REQUEST of an unresolved operation', async () => {
    const before = await scrape();
    const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    const after = await scrape();
    const code = 'recoup_api_errors_total{code="BAD_REQUEST"}';
    const unresolved = `recoup_graphql_requests_total{operation="${UNRESOLVED_OPERATION}"}`;
    expect(after.samples.get(code)).toBe((before.samples.get(code) ?? 0) + 1);
    expect(after.samples.get(unresolved)).toBe((before.samples.get(unresolved) ?? 0) + 1);
  });

  it('logs an unexpected error once, at error level, with the request id and the stack', async () => {
    const logged = lines.length;
    await db.dataSource.query('ALTER TABLE strategies RENAME TO strategies_away');
    let broken;
    try {
      broken = await post('query Broken { strategies(first: 1) { pageInfo { hasNextPage } } }', { 'x-request-id': 'req-broken-1' });
    } finally {
      await db.dataSource.query('ALTER TABLE strategies_away RENAME TO strategies');
    }
    expect(broken.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(broken.body.errors?.[0]?.message).toBe('Internal server error');
    const errors = lines.slice(logged).filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ requestId: 'req-broken-1', msg: 'unexpected error', path: 'strategies', service: 'recoup' });
    expect(errors[0]!.err.message).toMatch(/strategies/);
    expect(errors[0]!.err.stack).toMatch(/\n\s+at /);
    // The statement's parameter values stay out of the log (QueryFailedError carries them).
    expect(errors[0]!.err).not.toHaveProperty('parameters');
    const metrics = await scrape();
    expect(metrics.samples.get('recoup_api_errors_total{code="INTERNAL_SERVER_ERROR"}')).toBeGreaterThanOrEqual(1);
  });

  it('echoes a sane x-request-id, replaces anything else with a fresh id', async () => {
    const sane = await post('{ me { role } }', { 'x-request-id': 'abc-123.def_4' });
    expect(sane.response.headers.get('x-request-id')).toBe('abc-123.def_4');
    for (const hostile of ['has spaces in it', 'x'.repeat(65), 'quote"d', '%C3%BC', 'a/b']) {
      const replaced = await post('{ me { role } }', { 'x-request-id': hostile });
      expect(replaced.response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const none = await post('{ me { role } }');
    const health = await fetch(`${app.url}/health`);
    expect(none.response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(health.headers.get('x-request-id')).not.toBe(none.response.headers.get('x-request-id'));
  });

  it('asks for the bearer token when RECOUP_METRICS_TOKEN is set', async () => {
    process.env.RECOUP_METRICS_TOKEN = 's3cret';
    const guarded = await startApp(db, 0, { production: true, studioDir: '/nonexistent' }).finally(() => delete process.env.RECOUP_METRICS_TOKEN);
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const ok = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer s3cret' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/^# TYPE recoup_graphql_requests_total counter$/m);
      // The app started without the variable stays open.
      expect((await fetch(`${app.url}/metrics`)).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('carries the request id on every line logged during the request', async () => {
    const logged = lines.length;
    await post('query Strategies { strategies(first: 1) { pageInfo { hasNextPage } } }', { 'x-request-id': 'req-ok-2' });
    // A successful request logs nothing at info; at debug it logs its end, with the id.
    const debug: Array<Record<string, any>> = [];
    const restore = replaceRootLogger(createLogger({ level: 'debug', destination: { write: (line: string) => void debug.push(JSON.parse(line)) } }));
    try {
      await post('query WhoAmI { me { role } }', { 'x-request-id': 'req-debug-3' });
    } finally {
      restore();
    }
    expect(lines.slice(logged)).toEqual([]);
    expect(debug).toEqual([expect.objectContaining({ level: 'debug', requestId: 'req-debug-3', msg: 'request finished', operation: 'WhoAmI', status: 200 })]);
  });
});

describe('configuration', () => {
  it('takes LOG_LEVEL, else is silent under tests and at info otherwise', () => {
    expect(configuredLevel({ LOG_LEVEL: 'DEBUG', VITEST: 'true' })).toBe('debug');
    expect(configuredLevel({ VITEST: 'true' })).toBe('silent');
    expect(configuredLevel({ NODE_ENV: 'test' })).toBe('silent');
    expect(configuredLevel({ NODE_ENV: 'production' })).toBe('info');
    expect(() => configuredLevel({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
  });

  it('takes LOG_FORMAT, else pretty on a terminal and JSON elsewhere; a pretty line carries the request id and the stack', () => {
    expect(configuredFormat({}, true)).toBe('pretty');
    expect(configuredFormat({}, false)).toBe('json');
    expect(configuredFormat({ LOG_FORMAT: 'JSON' }, true)).toBe('json');
    expect(() => configuredFormat({ LOG_FORMAT: 'xml' }, true)).toThrow(/LOG_FORMAT must be json or pretty/);
    const line = JSON.stringify({
      level: 'error',
      time: '2026-12-06T16:52:58.177Z',
      service: 'recoup',
      requestId: 'r-1',
      msg: 'unexpected error',
      path: 'strategies',
      err: { stack: 'Error: x\n    at f' },
    });
    expect(prettyLine(line)).toBe('16:52:58 ERROR [r-1] unexpected error {"path":"strategies"}\nError: x\n    at f\n');
  });

  it('keeps the operation label bounded', () => {
    expect(operationLabel(undefined)).toBe(ANONYMOUS_OPERATION);
    expect(operationLabel('Fine_Name1')).toBe('Fine_Name1');
    expect(operationLabel('not a graphql name')).toBe(OTHER_OPERATION);
    for (let n = 0; n < MAX_OPERATION_LABELS + 10; n++) operationLabel(`Generated${n}`);
    expect(operationLabel('OneTooMany')).toBe(OTHER_OPERATION);
    // Names seen before the cap keep their label.
    expect(operationLabel('Fine_Name1')).toBe('Fine_Name1');
  });
});
