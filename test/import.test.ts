import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { ImportError } from '../packages/server/src/import/ar-import.errors';
import { directorySources, importAr } from '../packages/server/src/import/ar-import.service';
import { count, openTestDatabase } from './support/database';

const PARTNERS = `partner_id,name,country,currency,risk_class,credit_limit,customer_type,segment,ignored_extra
P1,"Müller, Anna",DE,EUR,B,5000.00,POSTPAID,CONSUMER,x
P2,Acme Ltd,GB,GBP,,,CORPORATE,BUSINESS,y
`;
const ITEMS = `item_id,partner_id,company_code,document_date,due_date,amount,open_amount,currency,dunning_level,dunning_block,profit_center
I1,P1,1000,2026-09-01,2026-09-15,120.50,120.50,EUR,1,false,PC-MOBILE
I2,P1,1000,2026-10-01,2026-10-15,99.99,40.01,EUR,,,
I3,P2,2000,2026-08-01,2026-08-31,15000.0001,15000.0001,GBP,2,true,PC-FIXED
`;
const PAYMENTS = `payment_id,partner_id,item_id,payment_date,amount,currency
Y1,P1,I2,2026-10-20,59.98,EUR
Y2,P2,,2026-09-10,100.00,GBP
`;
const PROMISES = `promise_id,partner_id,item_id,created_date,promised_date,amount,currency,cancelled
R1,P1,I1,2026-10-01,2026-10-10,120.50,EUR,false
`;
const DISPUTES = `dispute_id,partner_id,item_id,created_date,disputed_amount,currency,status,reason
D1,P2,I3,2026-09-05,500.00,GBP,in_process,PRICE
`;
const CONTACTS = `contact_id,partner_id,contact_date,channel,direction,reached,result
C1,P1,2026-10-02,PHONE,OUTBOUND,true,PROMISE_GIVEN
`;
const FX = `rate_date,from_currency,to_currency,rate
2026-10-01,GBP,EUR,1.1700000000
2026-10-01,EUR,GBP,0.8547
`;

async function writeDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recoup-import-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

const GOOD = {
  'partners.csv': PARTNERS,
  'open_items.csv': ITEMS,
  'payments.csv': PAYMENTS,
  'promises.csv': PROMISES,
  'disputes.csv': DISPUTES,
  'contacts.csv': CONTACTS,
  'fx_rates.csv': FX,
};

async function importFiles(db: Database, files: Record<string, string>) {
  return importAr(db, directorySources(await writeDir(files)));
}

async function expectImportError(
  db: Database,
  files: Record<string, string>,
  expected: { file: string; line: number | null; column: string | null; message: RegExp },
) {
  const error = await importFiles(db, files).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  const e = error as ImportError;
  expect({ file: e.file, line: e.line, column: e.column }).toEqual({ file: expected.file, line: expected.line, column: expected.column });
  expect(e.message).toMatch(expected.message);
}

const TABLES = ['partners', 'open_items', 'payments', 'promises', 'disputes', 'contacts', 'fx_rates', 'collection_segments', 'company_codes'];

async function snapshot(db: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of TABLES) counts[t] = await count(db, t);
  const [items] = await db.dataSource.query(`SELECT coalesce(sum(open_amount), 0)::text AS open FROM open_items`);
  counts.open_amount_cents = Math.round(Number(items.open) * 100);
  return counts;
}

describe(`AR import (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.dataSource.query(`TRUNCATE partners, open_items, payments, promises, disputes, contacts, fx_rates, collection_segments, company_codes CASCADE`);
  });

  it('loads good files with exact amounts and resolved references', async () => {
    const result = await importFiles(db, GOOD);
    expect(result.tables.map((t) => [t.table, t.rows, t.inserted])).toEqual([
      ['partners', 2, 2],
      ['open_items', 3, 3],
      ['payments', 2, 2],
      ['promises', 1, 1],
      ['disputes', 1, 1],
      ['contacts', 1, 1],
      ['fx_rates', 2, 2],
    ]);
    const [p1] = await db.dataSource.query(`SELECT * FROM partners WHERE external_id = 'P1'`);
    expect(p1).toMatchObject({ name: 'Müller, Anna', country: 'DE', currency: 'EUR', risk_class: 'B', credit_limit: '5000.0000', segment: 'CONSUMER' });
    const [p2] = await db.dataSource.query(`SELECT risk_class, credit_limit FROM partners WHERE external_id = 'P2'`);
    expect(p2).toEqual({ risk_class: null, credit_limit: null });
    const items = await db.dataSource.query(
      `SELECT i.external_id, p.external_id AS partner, i.due_date::text AS due, i.amount, i.open_amount, i.dunning_level, i.dunning_block, i.profit_center
         FROM open_items i JOIN partners p ON p.id = i.partner_id ORDER BY i.external_id`,
    );
    expect(items).toEqual([
      {
        external_id: 'I1',
        partner: 'P1',
        due: '2026-09-15',
        amount: '120.5000',
        open_amount: '120.5000',
        dunning_level: 1,
        dunning_block: false,
        profit_center: 'PC-MOBILE',
      },
      {
        external_id: 'I2',
        partner: 'P1',
        due: '2026-10-15',
        amount: '99.9900',
        open_amount: '40.0100',
        dunning_level: 0,
        dunning_block: false,
        profit_center: null,
      },
      {
        external_id: 'I3',
        partner: 'P2',
        due: '2026-08-31',
        amount: '15000.0001',
        open_amount: '15000.0001',
        dunning_level: 2,
        dunning_block: true,
        profit_center: 'PC-FIXED',
      },
    ]);
    const payments = await db.dataSource.query(
      `SELECT y.external_id, i.external_id AS item FROM payments y LEFT JOIN open_items i ON i.id = y.item_id ORDER BY y.external_id`,
    );
    expect(payments).toEqual([
      { external_id: 'Y1', item: 'I2' },
      { external_id: 'Y2', item: null },
    ]);
    const [dispute] = await db.dataSource.query(`SELECT status, disputed_amount FROM disputes`);
    expect(dispute).toEqual({ status: 'IN_PROCESS', disputed_amount: '500.0000' });
    const [rate] = await db.dataSource.query(`SELECT rate FROM fx_rates WHERE from_currency = 'EUR'`);
    expect(rate.rate).toBe('0.8547000000');
    // Segments and company codes named by the data are registered.
    expect((await db.dataSource.query(`SELECT key FROM collection_segments ORDER BY key`)).map((r: { key: string }) => r.key)).toEqual([
      'BUSINESS',
      'CONSUMER',
    ]);
    expect((await db.dataSource.query(`SELECT code FROM company_codes ORDER BY code`)).map((r: { code: string }) => r.code)).toEqual(['1000', '2000']);
  });

  it('re-importing upserts by id: changed rows update, new rows insert, the rest stay', async () => {
    await importFiles(db, GOOD);
    const [before] = await db.dataSource.query(`SELECT id FROM open_items WHERE external_id = 'I2'`);
    const changedItems = ITEMS.replace('99.99,40.01,EUR', '99.99,0.00,EUR') + 'I4,P2,2000,2026-10-01,2026-10-31,10.00,10.00,GBP,0,false,\n';
    const result = await importFiles(db, { ...GOOD, 'open_items.csv': changedItems });
    const items = result.tables.find((t) => t.table === 'open_items')!;
    expect(items).toMatchObject({ rows: 4, inserted: 1, updated: 1, unchanged: 2 });
    expect(result.tables.find((t) => t.table === 'partners')).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    const [after] = await db.dataSource.query(`SELECT id, open_amount FROM open_items WHERE external_id = 'I2'`);
    expect(after).toEqual({ id: before.id, open_amount: '0.0000' });
    expect(await count(db, 'open_items')).toBe(4);
  });

  it('a bad cell names file, line and column, and nothing is written', async () => {
    await importFiles(db, GOOD);
    const before = await snapshot(db);
    const badItems = ITEMS.replace('I3,P2,2000,2026-08-01,2026-08-31', 'I3,P2,2000,2026-08-01,2026-02-30');
    const newPartner = PARTNERS + 'P3,New Co,FR,EUR,A,,B2B,BUSINESS,z\n';
    await expectImportError(
      db,
      { ...GOOD, 'partners.csv': newPartner, 'open_items.csv': badItems },
      {
        file: 'open_items.csv',
        line: 4,
        column: 'due_date',
        message: /"2026-02-30" is not a valid ISO date/,
      },
    );
    expect(await snapshot(db)).toEqual(before);
  });

  it.each([
    [
      'an amount with a comma',
      { 'open_items.csv': ITEMS.replace('120.50,120.50', '120,50,120.50') },
      { file: 'open_items.csv', line: 2, column: null, message: /has 12 cells where the header has 11/ },
    ],
    [
      'a negative promise',
      { 'promises.csv': PROMISES.replace('120.50,EUR', '-1.00,EUR') },
      { file: 'promises.csv', line: 2, column: 'amount', message: /must not be negative/ },
    ],
    [
      'an unknown dispute status',
      { 'disputes.csv': DISPUTES.replace('in_process', 'PENDING') },
      { file: 'disputes.csv', line: 2, column: 'status', message: /not one of OPEN, IN_PROCESS/ },
    ],
    [
      'a bad currency',
      { 'payments.csv': PAYMENTS.replace('100.00,GBP', '100.00,POUND') },
      { file: 'payments.csv', line: 3, column: 'currency', message: /ISO 4217/ },
    ],
    ['a missing required cell', { 'partners.csv': PARTNERS.replace('Acme Ltd', '') }, { file: 'partners.csv', line: 3, column: 'name', message: /required/ }],
    [
      'a missing header column',
      { 'contacts.csv': CONTACTS.replace(',reached', '') },
      { file: 'contacts.csv', line: 1, column: 'reached', message: /no column reached/ },
    ],
    [
      'an unknown partner',
      { 'contacts.csv': CONTACTS + 'C2,P9,2026-10-03,EMAIL,OUTBOUND,false,\n' },
      { file: 'contacts.csv', line: 3, column: 'partner_id', message: /partner "P9"/ },
    ],
    [
      'an item of another partner',
      { 'payments.csv': PAYMENTS + 'Y3,P2,I1,2026-10-21,1.00,EUR\n' },
      { file: 'payments.csv', line: 4, column: 'item_id', message: /belongs to another partner/ },
    ],
    [
      'an unknown item',
      { 'promises.csv': PROMISES + 'R2,P1,I99,2026-10-01,2026-10-10,1.00,EUR,false\n' },
      { file: 'promises.csv', line: 3, column: 'item_id', message: /item "I99" is neither/ },
    ],
    [
      'a duplicate id',
      { 'open_items.csv': ITEMS + 'I2,P1,1000,2026-10-01,2026-10-15,1.00,1.00,EUR,0,false,\n' },
      { file: 'open_items.csv', line: 5, column: 'item_id', message: /"I2" appears again \(first on line 3\)/ },
    ],
    [
      'a negative open amount',
      { 'open_items.csv': ITEMS.replace('99.99,40.01', '99.99,-40.01') },
      { file: 'open_items.csv', line: 3, column: 'open_amount', message: /negative/ },
    ],
    [
      'an open amount above the amount',
      { 'open_items.csv': ITEMS.replace('99.99,40.01', '99.99,140.01') },
      { file: 'open_items.csv', line: 3, column: 'open_amount', message: /above the amount/ },
    ],
    [
      'a header naming a column twice',
      { 'partners.csv': PARTNERS.replace('risk_class,credit_limit', 'risk_class,name') },
      { file: 'partners.csv', line: 1, column: 'name', message: /twice/ },
    ],
    [
      'a NUL character in a cell',
      { 'partners.csv': PARTNERS.replace('Acme Ltd', 'Acme\u0000Ltd') },
      { file: 'partners.csv', line: 3, column: 'name', message: /NUL/ },
    ],
    [
      'a quoted cell never closed',
      { 'partners.csv': PARTNERS + 'P3,"Open quote,FR,EUR,A,,B2B,BUSINESS,z\n' },
      { file: 'partners.csv', line: 4, column: null, message: /never closed/ },
    ],
  ])('refuses %s with its place, writing nothing', async (_label, override, expected) => {
    const before = await snapshot(db);
    await expectImportError(db, { ...GOOD, ...override }, expected);
    expect(await snapshot(db)).toEqual(before);
  });

  it('reads quoted cells with commas, doubled quotes and line breaks, CRLF and a BOM', async () => {
    const partners =
      '\uFEFFpartner_id,name,country,currency,risk_class,credit_limit,customer_type,segment\r\n' +
      'P1,"Smith ""Jr"", John",US,USD,,,POSTPAID,CONSUMER\r\n' +
      'P2,"Two\r\nLines",GB,GBP,C,10,B2B,BUSINESS\r\n';
    await importFiles(db, { 'partners.csv': partners });
    const rows = await db.dataSource.query(`SELECT external_id, name FROM partners ORDER BY external_id`);
    expect(rows).toEqual([
      { external_id: 'P1', name: 'Smith "Jr", John' },
      // A line break inside a quoted cell is kept; CRLF files store it as \n.
      { external_id: 'P2', name: 'Two\nLines' },
    ]);
  });

  const postgres = Boolean(process.env.DATABASE_URL);

  /** Every imported row by natural keys (generated ids differ between loads). */
  async function dump(db: Database): Promise<Record<string, unknown[]>> {
    const q = (sql: string) => db.dataSource.query(sql).then((rows: Array<{ r: unknown }>) => rows.map((row) => row.r));
    return {
      partners: await q(`SELECT to_jsonb(p) - 'id' AS r FROM partners p ORDER BY external_id`),
      open_items: await q(
        `SELECT to_jsonb(i) - 'id' - 'partner_id' || jsonb_build_object('partner', p.external_id) AS r FROM open_items i JOIN partners p ON p.id = i.partner_id ORDER BY i.external_id`,
      ),
      payments: await q(
        `SELECT to_jsonb(y) - 'id' - 'partner_id' - 'item_id' || jsonb_build_object('item', i.external_id) AS r FROM payments y LEFT JOIN open_items i ON i.id = y.item_id ORDER BY y.external_id`,
      ),
      contacts: await q(
        `SELECT to_jsonb(c) - 'id' - 'partner_id' || jsonb_build_object('partner', p.external_id) AS r FROM contacts c JOIN partners p ON p.id = c.partner_id ORDER BY c.external_id`,
      ),
      fx_rates: await q(`SELECT to_jsonb(f) AS r FROM fx_rates f ORDER BY from_currency, to_currency, rate_date`),
      company_codes: await q(`SELECT to_jsonb(c) AS r FROM company_codes c ORDER BY code`),
      collection_segments: await q(`SELECT to_jsonb(s) AS r FROM collection_segments s ORDER BY key`),
    };
  }

  const schemaOf = (db: Database) =>
    db.dataSource.query(
      `SELECT c.relname AS table, i.relname AS index, pg_get_indexdef(x.indexrelid) AS def, k.conname, k.contype
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
         LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid
        WHERE c.relname IN ('partners', 'open_items', 'contacts', 'fx_rates') ORDER BY 1, 2`,
    );

  it('copies a file straight into an empty table on Postgres: same rows as the staged path, indexes rebuilt', async () => {
    const schema = await schemaOf(db);
    expect(schema.length).toBeGreaterThanOrEqual(8);
    const direct = await importFiles(db, GOOD);
    const directTables = ['partners', 'open_items', 'contacts', 'fx_rates'];
    expect(direct.tables.map((t) => [t.table, t.method])).toEqual(
      direct.tables.map((t) => [t.table, postgres && directTables.includes(t.table) ? 'direct' : 'staged']),
    );
    expect(direct.tables.map((t) => [t.table, t.rows, t.inserted, t.updated, t.unchanged])).toEqual([
      ['partners', 2, 2, 0, 0],
      ['open_items', 3, 3, 0, 0],
      ['payments', 2, 2, 0, 0],
      ['promises', 1, 1, 0, 0],
      ['disputes', 1, 1, 0, 0],
      ['contacts', 1, 1, 0, 0],
      ['fx_rates', 2, 2, 0, 0],
    ]);
    expect(await schemaOf(db)).toEqual(schema);
    const loaded = await dump(db);
    expect(loaded.open_items).toHaveLength(3);

    await db.dataSource.query(`TRUNCATE partners, open_items, payments, promises, disputes, contacts, fx_rates, collection_segments, company_codes CASCADE`);
    const staged = await importAr(db, directorySources(await writeDir(GOOD)), { direct: false });
    expect(staged.tables.every((t) => t.method === 'staged')).toBe(true);
    expect(await dump(db)).toEqual(loaded);
    // The unique constraint is back: a second row with the same id is refused by the database itself.
    await expect(
      db.dataSource.query(`INSERT INTO open_items (external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency)
        SELECT 'I1', partner_id, company_code, document_date, due_date, amount, open_amount, currency FROM open_items LIMIT 1`),
    ).rejects.toThrow(/duplicate key/);
  });

  it('a fresh load that fails part-way (a duplicate id, a row deep in the file) leaves the tables and their indexes as they were', async () => {
    const schema = await schemaOf(db);
    const before = await snapshot(db);
    const many = Array.from({ length: 3000 }, (_, i) => `I${String(i).padStart(5, '0')},P${1 + (i % 2)},1000,2026-09-01,2026-09-15,1.00,1.00,EUR,0,false,`);
    const duplicated = [ITEMS.split('\n')[0], ...many, many[1234]!.replace(',1.00,1.00,', ',2.00,2.00,')].join('\n') + '\n';
    await expectImportError(
      db,
      { 'partners.csv': PARTNERS, 'open_items.csv': duplicated },
      {
        file: 'open_items.csv',
        line: 3002,
        column: 'item_id',
        message: /"I01234" appears again \(first on line 1236\)/,
      },
    );
    const badDate = [ITEMS.split('\n')[0], ...many.slice(0, 2999), many[2999]!.replace('2026-09-15', '2026-09-31')].join('\n') + '\n';
    await expectImportError(
      db,
      { 'partners.csv': PARTNERS, 'open_items.csv': badDate },
      {
        file: 'open_items.csv',
        line: 3001,
        column: 'due_date',
        message: /"2026-09-31" is not a valid ISO date/,
      },
    );
    expect(await snapshot(db)).toEqual(before);
    expect(await schemaOf(db)).toEqual(schema);
    const result = await importFiles(db, { 'partners.csv': PARTNERS, 'open_items.csv': [ITEMS.split('\n')[0], ...many].join('\n') + '\n' });
    expect(result.tables.map((t) => [t.table, t.inserted])).toEqual([
      ['partners', 2],
      ['open_items', 3000],
    ]);
  });

  it('re-importing finds an unknown partner, a repeated id out of order and new company codes', async () => {
    await importFiles(db, GOOD);
    const before = await snapshot(db);
    await expectImportError(
      db,
      { 'open_items.csv': ITEMS + 'I5,P9,1000,2026-10-01,2026-10-15,1.00,1.00,EUR,0,false,\n' },
      {
        file: 'open_items.csv',
        line: 5,
        column: 'partner_id',
        message: /partner "P9" is neither in partners.csv nor in the mirror/,
      },
    );
    await expectImportError(
      db,
      { 'open_items.csv': ITEMS + 'I0,P1,1000,2026-10-01,2026-10-15,1.00,1.00,EUR,0,false,\nI1,P1,1000,2026-10-01,2026-10-15,1.00,1.00,EUR,0,false,\n' },
      {
        file: 'open_items.csv',
        line: 6,
        column: 'item_id',
        message: /"I1" appears again \(first on line 2\)/,
      },
    );
    expect(await snapshot(db)).toEqual(before);
    const result = await importFiles(db, { 'open_items.csv': ITEMS + 'I0,P1,3000,2026-10-01,2026-10-15,1.00,1.00,USD,0,false,\n' });
    expect(result.tables[0]).toMatchObject({ method: 'staged', rows: 4, inserted: 1, updated: 0, unchanged: 3 });
    expect(await db.dataSource.query(`SELECT code, currency FROM company_codes ORDER BY code`)).toEqual([
      { code: '1000', currency: 'EUR' },
      { code: '2000', currency: 'GBP' },
      { code: '3000', currency: 'USD' },
    ]);
  });

  it('says so when a directory holds none of the contract files', async () => {
    const dir = await writeDir({ 'other.csv': 'a,b\n' });
    expect(() => directorySources(dir)).toThrow(/no file of the import contract/);
  });
});
