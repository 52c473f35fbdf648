import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { importAr } from '../packages/server/src/import/ar-import.service';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';

const csv = (lines: string[]) => () => [lines.join('\n') + '\n'];

describe(`GraphQL over HTTP (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  let app: RunningApp;
  let token: string;
  beforeAll(async () => {
    db = await openTestDatabase();
    await importAr(db, {
      partners: csv([
        'partner_id,name,country,currency,risk_class,credit_limit,customer_type,segment',
        'P1,Anna,DE,EUR,A,,POSTPAID,CONSUMER',
        'P2,Ben,DE,EUR,B,,POSTPAID,CONSUMER',
        'P3,Corp,GB,GBP,,1000,CORPORATE,BUSINESS',
      ]),
      open_items: csv([
        'item_id,partner_id,company_code,document_date,due_date,amount,open_amount,currency,dunning_level,dunning_block,profit_center',
        'I1,P1,1000,2026-10-01,2026-10-15,10.10,10.10,EUR,0,false,',
        'I2,P2,1000,2026-11-01,2026-12-15,20.20,20.20,EUR,0,false,',
        'I3,P2,1000,2026-09-01,2026-09-15,5.00,0,EUR,0,false,',
        'I4,P3,2000,2026-10-01,2026-10-31,0.30,0.30,GBP,0,false,',
      ]),
    });
    app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
    token = await createTestToken(db, 'CLIENT');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
  };

  it('answers /health with the database kind', async () => {
    const response = await fetch(`${app.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: db.kind });
  });

  it('gives the AR overview per segment with exact amounts at the key date', async () => {
    const { body } = await post(
      `query($asOf: Date) { arOverview(asOf: $asOf) { asOf partners openItems overdueItems
      openAmounts { currency amount } segments { key partners openItems overdueItems openAmounts { currency amount } } } }`,
      { asOf: '2026-11-23' },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.arOverview).toEqual({
      asOf: '2026-11-23',
      partners: 3,
      openItems: 3,
      overdueItems: 2,
      openAmounts: [
        { currency: 'EUR', amount: '30.3000' },
        { currency: 'GBP', amount: '0.3000' },
      ],
      segments: [
        { key: 'BUSINESS', partners: 1, openItems: 1, overdueItems: 1, openAmounts: [{ currency: 'GBP', amount: '0.3000' }] },
        { key: 'CONSUMER', partners: 2, openItems: 2, overdueItems: 1, openAmounts: [{ currency: 'EUR', amount: '30.3000' }] },
      ],
    });
  });

  it('keeps the AR overview between calls only while the AR is unchanged', async () => {
    const overview = async () =>
      (
        await post(`{ arOverview(asOf: "2026-11-23") { openItems openAmounts { currency amount }
      segments { key name openItems } } }`)
      ).body.data.arOverview;
    const before = await overview();
    expect(await overview()).toEqual(before);
    // An AR write (the import of one more open item) shows on the next call.
    await importAr(db, {
      open_items: csv([
        'item_id,partner_id,company_code,document_date,due_date,amount,open_amount,currency,dunning_level,dunning_block,profit_center',
        'I5,P3,2000,2026-10-01,2026-10-31,1.00,1.00,GBP,0,false,',
      ]),
    });
    const after = await overview();
    expect(after.openItems).toBe(before.openItems + 1);
    expect(after.openAmounts).toEqual([
      { currency: 'EUR', amount: '30.3000' },
      { currency: 'GBP', amount: '1.3000' },
    ]);
    // Segment names are organisation data and always current.
    await db.dataSource.query(`INSERT INTO collection_segments (key, name, currency) VALUES ('BUSINESS', 'Business customers', 'EUR')
      ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name`);
    expect((await overview()).segments.find((x: any) => x.key === 'BUSINESS').name).toBe('Business customers');
    // Back to the fixture's figures for the tests below.
    await db.dataSource.query(`DELETE FROM open_items WHERE external_id = 'I5'`);
    expect(await overview()).toEqual({
      ...before,
      segments: before.segments.map((x: any) => (x.key === 'BUSINESS' ? { ...x, name: 'Business customers' } : x)),
    });
  });

  it('keeps the health query public and arOverview behind a token', async () => {
    const health = await gql(app.url, '{ health { status database } }');
    expect(health.errors).toBeUndefined();
    expect(health.data.health).toEqual({ status: 'ok', database: db.kind });
    const anonymous = await gql(app.url, '{ arOverview { partners } }');
    expect(anonymous.data).toBeUndefined();
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const signedIn = await gql(app.url, '{ arOverview(asOf: "2026-11-23") { partners } }', {}, token);
    expect(signedIn.data.arOverview.partners).toBe(3);
  });

  it('refuses a malformed date with BAD_USER_INPUT and no stack trace in production', async () => {
    const { status, body } = await post(`{ arOverview(asOf: "2026-02-30") { partners } }`);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/Date expects an ISO date/);
    expect(body.errors?.[0]?.extensions?.code).toMatch(/GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT/);
    expect(JSON.stringify(body)).not.toMatch(/stacktrace/);
  });
});
