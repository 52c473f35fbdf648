import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { scanCsv } from '../packages/server/src/import/csv-reader';
import { runWorklist } from '../packages/server/src/worklists/worklist-run.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';
import { insertSegment, insertSpecialist, insertStrategy, query, rule, strategyDocument, when } from './support/worklist-fixtures';

/**
 * GET /exports/worklist.csv: the CSV holds exactly the rows the `worklist` query pages through for
 * the same segment, run, filter and order (over several export pages, several runs, each role's
 * reach), with the query's refusals before the first byte and precise answers to hostile input.
 */
const D = '2026-03-31';
const DOCUMENT = strategyDocument({
  key: 'EXP_WL',
  name: 'Export worklist',
  priorities: [
    { priority: 1, label: 'High', minPercent: 60 },
    { priority: 2, label: 'Mid', minPercent: 30 },
    { priority: 3, label: 'Low', minPercent: 0 },
  ],
  agingBuckets: [0, 30],
  rules: [
    rule('Over 100 to collect', 50, 'condition', when('amountToBeCollected', 'greaterThanInclusive', 100)),
    rule('Over 30 days', 30, 'condition', when('maxDaysOverdue', 'greaterThan', 30)),
  ],
});
/** More than two export pages (500 items each) on the big segment. */
const BIG = 1_130;
const SMALL = 40;

const LIST = `query($segment: String, $runId: ID, $filter: WorklistFilter, $orderBy: WorklistOrder, $direction: SortDirection, $after: String) {
  worklist(segment: $segment, runId: $runId, filter: $filter, orderBy: $orderBy, direction: $direction, first: 500, after: $after) {
    edges { node { runId partnerId partner { externalId name } priority valuation percent currency
      amounts { open overdue due toBeCollected disputed promised broken dunned } maxDunningLevel lastPaymentDate resubmissionDate
      specialist { id name } specialistOrigin revaluatedAt completedAt } }
    pageInfo { hasNextPage endCursor } } }`;

let db: Database;
let app: RunningApp;
let admin: string;
let client: string;
let spec901: string;
let bigRun: string;

/** Names a CSV must quote (comma, quote, line break) and one a spreadsheet would run as a formula. */
const nameOf = (id: number): string => (id % 97 === 0 ? `Müller, "Quote" GmbH\nline ${id}` : id === 10_005 ? '=HYPERLINK("http://evil","x")' : `Partner ${id}`);

beforeAll(async () => {
  db = await openTestDatabase();
  await insertStrategy(db, 'EXP_WL', DOCUMENT);
  await insertSegment(db, 'EXP', [{ key: 'EXP_G', strategyKey: 'EXP_WL' }]);
  await insertSegment(db, 'EXP2', [{ key: 'EXP2_G', strategyKey: 'EXP_WL' }]);
  await insertSpecialist(db, 901, 'EXP_G');
  await insertSpecialist(db, 902, 'EXP_G');
  await insertSpecialist(db, 903, 'EXP2_G');
  await seedPartners(10_001, BIG, 'EXP');
  await seedPartners(20_001, SMALL, 'EXP2');
  bigRun = (await runWorklist(db, { segment: 'EXP', asOf: D, mode: 'LIVE' })).runId;
  await runWorklist(db, { segment: 'EXP2', asOf: D, mode: 'LIVE' });
  // Some completed items, for the completed filter.
  await query(db, `UPDATE worklist_items SET completed_at = '2026-03-31T10:11:12.345Z' WHERE run_id = $1 AND partner_id % 7 = 0`, [bigRun]);
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  [admin, client, spec901] = await Promise.all([createTestToken(db, 'ADMIN'), createTestToken(db, 'CLIENT'), createTestToken(db, 'SPECIALIST', '901')]);
}, 180_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

/** Partners from `first` on, each with two open items: amounts with four decimals, some old enough to be 58 days overdue. */
async function seedPartners(first: number, n: number, segment: string): Promise<void> {
  const ids = Array.from({ length: n }, (_, i) => first + i);
  await query(
    db,
    `INSERT INTO partners (id, external_id, name, country, currency, customer_type, segment)
     SELECT id, 'P' || id, name, 'DE', 'EUR', 'B2C', $3 FROM unnest($1::bigint[], $2::text[]) AS t(id, name)`,
    [ids, ids.map(nameOf), segment],
  );
  await query(
    db,
    `INSERT INTO open_items (id, external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level, dunning_block)
     SELECT p * 10 + k, 'I' || (p * 10 + k), p, '1000', '2025-01-01', CASE WHEN p % 3 = 0 THEN date '2026-02-01' ELSE date '2026-03-20' END,
            a, a, 'EUR', (p % 3)::smallint, false
       FROM unnest($1::bigint[]) AS p, generate_series(1, 2) AS k, LATERAL (SELECT ((p % 211) * 1.7 + k * 0.0123)::numeric(18,4) AS a) x`,
    [ids],
  );
}

interface Csv {
  status: number;
  headers: Headers;
  header: string[];
  rows: string[][];
}

async function exportCsv(params: Record<string, string>, token?: string): Promise<Csv> {
  const response = await fetch(`${app.url}/exports/worklist.csv?${new URLSearchParams(params)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  const records: string[][] = [];
  if (response.status === 200) await scanCsv([text], (_line, cells) => records.push([...cells]));
  return { status: response.status, headers: response.headers, header: records[0] ?? [], rows: records.slice(1) };
}

async function exportError(params: Record<string, string>, token?: string): Promise<{ status: number; code: unknown; message: string; path: unknown }> {
  const response = await fetch(`${app.url}/exports/worklist.csv?${new URLSearchParams(params)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string; path?: string } }> };
  return { status: response.status, code: body.errors[0]!.extensions.code, message: body.errors[0]!.message, path: body.errors[0]!.extensions.path };
}

/** Every page of the `worklist` query, as the CSV's rows would be: the same columns, null as the empty cell. */
async function graphqlRows(variables: Record<string, unknown>, token: string): Promise<string[][]> {
  const rows: string[][] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const { data, errors }: { data?: any; errors?: unknown } = await gql(app.url, LIST, { ...variables, after }, token);
    expect(errors).toBeUndefined();
    for (const { node: n } of data.worklist.edges) {
      const formulaSafe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
      rows.push(
        [
          n.runId,
          n.partnerId,
          formulaSafe(n.partner.externalId),
          formulaSafe(n.partner.name),
          n.priority,
          n.valuation,
          n.percent,
          n.currency,
          ...Object.values(n.amounts),
          n.maxDunningLevel,
          n.lastPaymentDate,
          n.resubmissionDate,
          n.specialist?.id,
          n.specialist ? formulaSafe(n.specialist.name) : null,
          n.specialistOrigin,
          n.revaluatedAt,
          n.completedAt,
        ].map((v) => (v === null || v === undefined ? '' : String(v))),
      );
    }
    if (!data.worklist.pageInfo.hasNextPage) return rows;
    after = data.worklist.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

/** The export's parameters for GraphQL variables (filter as JSON). */
const paramsOf = (v: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(v).map(([k, value]) => [k, typeof value === 'string' ? value : JSON.stringify(value)]));

describe(`worklist CSV export (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  it('answers a CSV download with a header row of the query’s field paths', async () => {
    const csv = await exportCsv({ segment: 'EXP' }, admin);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="worklist-EXP.csv"');
    expect(csv.header).toEqual([
      'runId',
      'partnerId',
      'partner.externalId',
      'partner.name',
      'priority',
      'valuation',
      'percent',
      'currency',
      'amounts.open',
      'amounts.overdue',
      'amounts.due',
      'amounts.toBeCollected',
      'amounts.disputed',
      'amounts.promised',
      'amounts.broken',
      'amounts.dunned',
      'maxDunningLevel',
      'lastPaymentDate',
      'resubmissionDate',
      'specialist.id',
      'specialist.name',
      'specialistOrigin',
      'revaluatedAt',
      'completedAt',
    ]);
    const [stored] = await query(db, `SELECT count(*)::int AS n FROM worklist_items WHERE run_id = $1`, [bigRun]);
    expect(csv.rows).toHaveLength(stored!.n as number);
    expect(stored!.n).toBeGreaterThan(1000);
  });

  it.each([
    ['the segment in worklist order', { segment: 'EXP' }],
    ['every live run merged, by amount overdue', { orderBy: 'AMOUNT_OVERDUE' }],
    ['a run by id, filtered by priorities and a minimum amount', { runId: 'BIG', filter: { priorities: [1, 2], minAmountToBeCollected: '100.5' } }],
    ['open items of one specialist by partner', { segment: 'EXP', filter: { specialistId: '902', completed: false }, orderBy: 'PARTNER' }],
    ['completed items by amount to be collected', { filter: { completed: true }, orderBy: 'AMOUNT_TO_BE_COLLECTED' }],
    ['a filter nothing matches', { segment: 'EXP', filter: { minValuation: 1000 } }],
    [
      'by partner name, descending, with a days-overdue range',
      { segment: 'EXP', filter: { minDaysOverdue: 1, maxDaysOverdue: 400 }, orderBy: 'PARTNER_NAME', direction: 'DESC' },
    ],
  ] as Array<[string, Record<string, unknown>]>)('holds the rows of every page of the worklist query: %s', async (_label, given) => {
    const variables: Record<string, unknown> = { ...given, ...(given.runId ? { runId: bigRun } : {}) };
    const expected = await graphqlRows(variables, admin);
    const csv = await exportCsv(paramsOf(variables), admin);
    expect(csv.status).toBe(200);
    expect(csv.rows).toEqual(expected);
  });

  it('writes amounts exactly with a dot, dates and timestamps ISO, and quotes what CSV must quote', async () => {
    const csv = await exportCsv({ segment: 'EXP', orderBy: 'PARTNER' }, admin);
    const col = (name: string) => csv.header.indexOf(name);
    const stored = await query(
      db,
      `SELECT partner_id::text AS id, amount_open::text AS open, completed_at FROM worklist_items WHERE run_id = $1 ORDER BY partner_id`,
      [bigRun],
    );
    expect(csv.rows.map((r) => [r[col('partnerId')], r[col('amounts.open')]])).toEqual(stored.map((s) => [s.id, s.open]));
    expect(csv.rows.every((r) => /^\d+\.\d{4}$/.test(r[col('amounts.open')]!))).toBe(true);
    const completed = csv.rows.find((r) => r[col('partnerId')] === '10010')!;
    expect(completed[col('completedAt')]).toBe('2026-03-31T10:11:12.345Z');
    const quoted = csv.rows.find((r) => r[col('partnerId')] === '10088')!;
    expect(quoted[col('partner.name')]).toBe('Müller, "Quote" GmbH\nline 10088');
    // A formula from the source system reaches a spreadsheet as text.
    expect(csv.rows.find((r) => r[col('partnerId')] === '10005')![col('partner.name')]).toBe(`'=HYPERLINK("http://evil","x")`);
  });

  it('gives a SPECIALIST their own items only, as the query does, and a CLIENT what the query gives it', async () => {
    const own = await exportCsv({ segment: 'EXP' }, spec901);
    expect(own.rows).toEqual(await graphqlRows({ segment: 'EXP' }, spec901));
    const [stored] = await query(db, `SELECT count(*)::int AS n FROM worklist_items WHERE run_id = $1 AND specialist_id = 901`, [bigRun]);
    expect(own.rows).toHaveLength(stored!.n as number);
    expect(new Set(own.rows.map((r) => r[19]))).toEqual(new Set(['901']));
    const asClient = await exportCsv({ orderBy: 'PARTNER' }, client);
    expect(asClient.status).toBe(200);
    expect(asClient.rows).toEqual(await graphqlRows({ orderBy: 'PARTNER' }, client));
  });

  it('refuses as the query does: 401 without or with a bad token, 403 beyond a SPECIALIST’s reach, 404 for an unknown segment or run', async () => {
    expect(await exportError({ segment: 'EXP' })).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await exportError({ segment: 'EXP' }, 'not-a-token')).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await exportError({ filter: JSON.stringify({ specialistId: '902' }) }, spec901)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await exportError({ filter: JSON.stringify({ unassigned: true }) }, spec901)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await exportError({ segment: 'NOPE' }, admin)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await exportError({ runId: '999999' }, admin)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await exportError({ runId: bigRun, segment: 'EXP2' }, admin)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it.each([
    ['malformed JSON', { filter: '{"priorities": [1,' }, 'filter'],
    ['a filter that is not an object', { filter: '[1,2]' }, 'filter'],
    ['an unknown filter field', { filter: '{"colour":"red"}' }, 'filter'],
    ['a NUL in the segment', { segment: 'EXP\u0000' }, 'segment'],
    ['a NUL inside the filter', { filter: '{"group":"EXP_G\\u0000"}' }, 'filter.group'],
    ['an Int beyond 32 bits', { filter: '{"minValuation":1e30}' }, 'filter'],
    ['a JSON number beyond a double', { filter: '{"minAmountToBeCollected":1e400}' }, 'filter'],
    ['a priority beyond smallint', { filter: '{"priorities":[40000]}' }, 'filter.priorities'],
    ['an unknown order', { orderBy: 'RANDOM' }, 'orderBy'],
    ['an unknown parameter', { first: '10' }, 'query'],
    ['a malformed specialist id', { filter: '{"specialistId":"abc"}' }, 'filter.specialistId'],
    ['a specialist id beyond bigint', { filter: JSON.stringify({ specialistId: '9'.repeat(30) }) }, 'filter.specialistId'],
  ])('answers 400 BAD_USER_INPUT for %s, naming the parameter', async (_label, params, path) => {
    expect(await exportError(params, admin)).toMatchObject({ status: 400, code: 'BAD_USER_INPUT', path });
  });

  it('refuses a 400-digit minimum amount as the query does, naming the field', async () => {
    const huge = { segment: 'EXP', filter: { minAmountToBeCollected: '9'.repeat(400) } };
    const refused = await exportError(paramsOf(huge), admin);
    expect(refused).toMatchObject({ status: 400, code: 'BAD_USER_INPUT', path: 'filter.minAmountToBeCollected' });
    const { errors }: { errors?: any[] } = await gql(app.url, LIST, huge, admin);
    expect(errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', path: 'filter.minAmountToBeCollected' } });
  });

  it('refuses a parameter given twice, and takes a 1,000-element priorities list as the query does', async () => {
    const response = await fetch(`${app.url}/exports/worklist.csv?segment=EXP&segment=EXP2`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'segment' });
    const long = { segment: 'EXP', filter: { priorities: Array.from({ length: 1_000 }, (_, i) => (i % 3) + 1) } };
    expect((await exportCsv(paramsOf(long), admin)).rows).toEqual(await graphqlRows(long, admin));
  });

  it('stops reading when the client goes away, and keeps serving', async () => {
    const controller = new AbortController();
    const response = await fetch(`${app.url}/exports/worklist.csv?segment=EXP`, { headers: { authorization: `Bearer ${admin}` }, signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    const again = await exportCsv({ segment: 'EXP2' }, admin);
    expect(again.status).toBe(200);
    expect(again.rows).toHaveLength(SMALL);
  });
});
