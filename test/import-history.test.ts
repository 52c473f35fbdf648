import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { ImportError } from '../packages/server/src/import/ar-import.errors';
import { directorySources, importAr } from '../packages/server/src/import/ar-import.service';
import { count, openTestDatabase } from './support/database';

const PARTNERS = `partner_id,name,country,currency,risk_class,credit_limit,customer_type,segment
P1,Anna Schmidt,DE,EUR,B,,POSTPAID,CONSUMER
P2,Acme Ltd,GB,GBP,,,CORPORATE,BUSINESS
`;
const ITEMS = `item_id,partner_id,company_code,document_date,due_date,amount,open_amount,currency,dunning_level,dunning_block,profit_center
I1,P1,1000,2026-08-01,2026-08-15,120.50,120.50,EUR,2,false,
I2,P2,2000,2026-08-01,2026-08-31,900.00,900.00,GBP,1,false,
`;
const DISPUTES = `dispute_id,partner_id,item_id,created_date,disputed_amount,currency,status,reason
D1,P2,I2,2026-09-05,500.00,GBP,RESOLVED,PRICE
D2,P1,,2026-09-10,20.00,EUR,IN_PROCESS,
`;
const DISPUTE_HISTORY = `dispute_id,changed_on,status
D1,2026-09-07,in_process
D1,2026-10-01,RESOLVED
D2,2026-09-12,IN_PROCESS
`;
const DUNNING_HISTORY = `item_id,dunned_on,level
I1,2026-08-19,1
I1,2026-09-06,2
I2,2026-09-10,1
`;

const GOOD = {
  'partners.csv': PARTNERS,
  'open_items.csv': ITEMS,
  'disputes.csv': DISPUTES,
  'dispute_history.csv': DISPUTE_HISTORY,
  'dunning_history.csv': DUNNING_HISTORY,
};

async function importFiles(db: Database, files: Record<string, string>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'recoup-import-history-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return importAr(db, directorySources(dir));
}

async function disputeHistory(db: Database) {
  return db.dataSource.query(
    `SELECT d.external_id AS dispute, h.changed_on::text AS changed_on, h.status, p.external_id AS partner
       FROM dispute_status_changes h JOIN disputes d ON d.id = h.dispute_id JOIN partners p ON p.id = h.partner_id
      ORDER BY 1, 2`,
  );
}

async function dunningHistory(db: Database) {
  return db.dataSource.query(
    `SELECT i.external_id AS item, h.dunned_on::text AS dunned_on, h.level, p.external_id AS partner
       FROM dunning_level_changes h JOIN open_items i ON i.id = h.item_id JOIN partners p ON p.id = h.partner_id
      ORDER BY 1, 2`,
  );
}

describe(`history import: dispute_history.csv and dunning_history.csv (${process.env.DATABASE_URL ? 'postgres' : 'embedded'})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.dataSource.query(
      `TRUNCATE partners, open_items, disputes, dispute_status_changes, dunning_level_changes, collection_segments, company_codes CASCADE`,
    );
  });

  it('loads the dated history with the partner of its dispute or item', async () => {
    const result = await importFiles(db, GOOD);
    expect(result.tables.map((t) => [t.table, t.rows, t.inserted])).toEqual([
      ['partners', 2, 2],
      ['open_items', 2, 2],
      ['disputes', 2, 2],
      ['dispute_history', 3, 3],
      ['dunning_history', 3, 3],
    ]);
    expect(await disputeHistory(db)).toEqual([
      { dispute: 'D1', changed_on: '2026-09-07', status: 'IN_PROCESS', partner: 'P2' },
      { dispute: 'D1', changed_on: '2026-10-01', status: 'RESOLVED', partner: 'P2' },
      { dispute: 'D2', changed_on: '2026-09-12', status: 'IN_PROCESS', partner: 'P1' },
    ]);
    expect(await dunningHistory(db)).toEqual([
      { item: 'I1', dunned_on: '2026-08-19', level: 1, partner: 'P1' },
      { item: 'I1', dunned_on: '2026-09-06', level: 2, partner: 'P1' },
      { item: 'I2', dunned_on: '2026-09-10', level: 1, partner: 'P2' },
    ]);
  });

  it('upserts by (dispute, changed_on) and (item, dunned_on) on a re-import, referring to rows already in the mirror', async () => {
    await importFiles(db, GOOD);
    // Only the history files: their disputes and items are in the database, not in this import.
    const result = await importFiles(db, {
      'dispute_history.csv': `dispute_id,changed_on,status\nD1,2026-10-01,REJECTED\nD1,2026-09-07,IN_PROCESS\nD2,2026-10-20,CLOSED\n`,
      'dunning_history.csv': `item_id,dunned_on,level\nI1,2026-09-06,3\nI2,2026-10-10,2\n`,
    });
    expect(result.tables.map((t) => [t.table, t.inserted, t.updated, t.unchanged])).toEqual([
      ['dispute_history', 1, 1, 1],
      ['dunning_history', 1, 1, 0],
    ]);
    expect(await disputeHistory(db)).toEqual([
      { dispute: 'D1', changed_on: '2026-09-07', status: 'IN_PROCESS', partner: 'P2' },
      { dispute: 'D1', changed_on: '2026-10-01', status: 'REJECTED', partner: 'P2' },
      { dispute: 'D2', changed_on: '2026-09-12', status: 'IN_PROCESS', partner: 'P1' },
      { dispute: 'D2', changed_on: '2026-10-20', status: 'CLOSED', partner: 'P1' },
    ]);
    expect(await dunningHistory(db)).toEqual([
      { item: 'I1', dunned_on: '2026-08-19', level: 1, partner: 'P1' },
      { item: 'I1', dunned_on: '2026-09-06', level: 3, partner: 'P1' },
      { item: 'I2', dunned_on: '2026-09-10', level: 1, partner: 'P2' },
      { item: 'I2', dunned_on: '2026-10-10', level: 2, partner: 'P2' },
    ]);
  });

  const BAD: Array<[string, Record<string, string>, { file: string; line: number; column: string; message: RegExp }]> = [
    [
      'an unknown dispute',
      { ...GOOD, 'dispute_history.csv': DISPUTE_HISTORY + 'D9,2026-09-12,OPEN\n' },
      { file: 'dispute_history.csv', line: 5, column: 'dispute_id', message: /dispute "D9" is neither in disputes.csv nor in the mirror/ },
    ],
    [
      'an unknown item',
      { ...GOOD, 'dunning_history.csv': DUNNING_HISTORY.replace('I2,2026-09-10', 'I7,2026-09-10') },
      { file: 'dunning_history.csv', line: 4, column: 'item_id', message: /item "I7" is neither in open_items.csv nor in the mirror/ },
    ],
    [
      'a status that is not a dispute status',
      { ...GOOD, 'dispute_history.csv': DISPUTE_HISTORY.replace('RESOLVED', 'SETTLED') },
      { file: 'dispute_history.csv', line: 3, column: 'status', message: /not one of OPEN, IN_PROCESS/ },
    ],
    [
      'a bad date',
      { ...GOOD, 'dunning_history.csv': DUNNING_HISTORY.replace('2026-09-06', '2026-09-31') },
      { file: 'dunning_history.csv', line: 3, column: 'dunned_on', message: /date/ },
    ],
    [
      'a bad change date',
      { ...GOOD, 'dispute_history.csv': DISPUTE_HISTORY.replace('2026-09-12', '12.09.2026') },
      { file: 'dispute_history.csv', line: 4, column: 'changed_on', message: /date/ },
    ],
    [
      'a level above 9',
      { ...GOOD, 'dunning_history.csv': DUNNING_HISTORY + 'I2,2026-10-10,10\n' },
      { file: 'dunning_history.csv', line: 5, column: 'level', message: /not a dunning level/ },
    ],
    [
      'the same dispute and day twice',
      { ...GOOD, 'dispute_history.csv': DISPUTE_HISTORY + 'D1,2026-09-07,OPEN\n' },
      { file: 'dispute_history.csv', line: 5, column: 'dispute_id', message: /appears again \(first on line 2\)/ },
    ],
  ];

  it.each(BAD)('refuses %s with file, line and column, writing nothing', async (_name, files, expected) => {
    await importFiles(db, GOOD);
    const before = {
      disputes: await disputeHistory(db),
      dunning: await dunningHistory(db),
      partners: await count(db, 'partners'),
      items: await count(db, 'open_items'),
    };
    // The bad file rides with a change elsewhere in the same import, which must not be written either.
    const error = await importFiles(db, {
      ...files,
      'partners.csv': PARTNERS.replace('Anna Schmidt', 'Anna Schmitt') + 'P3,New One,DE,EUR,,,POSTPAID,CONSUMER\n',
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportError);
    const e = error as ImportError;
    expect({ file: e.file, line: e.line, column: e.column }).toEqual({ file: expected.file, line: expected.line, column: expected.column });
    expect(e.message).toMatch(expected.message);
    expect({
      disputes: await disputeHistory(db),
      dunning: await dunningHistory(db),
      partners: await count(db, 'partners'),
      items: await count(db, 'open_items'),
    }).toEqual(before);
    const [{ name }] = await db.dataSource.query(`SELECT name FROM partners WHERE external_id = 'P1'`);
    expect(name).toBe('Anna Schmidt');
  });
});
