import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../packages/server/src/db/database';
import { ImportError } from '../packages/server/src/import/ar-import.errors';
import { directorySources, importAr } from '../packages/server/src/import/ar-import.service';
import { exportOrganisation } from '../packages/server/src/import/org-export';
import { count, openTestDatabase } from './support/database';
import { insertStrategy, strategyDocument } from './support/worklist-fixtures';

const COMPANY_CODES = `company_code,name,country,currency,promise_tolerance_days,active
1000,"Recoup GmbH, Berlin",de,EUR,3,true
2000,Recoup Ltd,GB,gbp,5,
3000,Old Co,,,0,false
`;
const SEGMENTS = `segment,name,currency,company_codes
CONSUMER,Consumer,EUR,1000
BUSINESS,Business | B2B,EUR,2000|1000
`;
const PROFILES = `profile,name,segments
DEFAULT,Default profile,CONSUMER|BUSINESS
EMPTY,Nothing yet,
`;
const GROUPS = `group,name,segment,strategy,active,daily_capacity
C_TEAM,"Consumer ""A"" team",CONSUMER,COLL,true,25
B_TEAM,Business team,BUSINESS,COLL,true,
B_OLD,Old business team,BUSINESS,,false,
`;
const SPECIALISTS = `user_name,name,email,group,active
ana,Ana Ruiz,ana@recoup.example,C_TEAM,true
ben,Ben Ode,,C_TEAM,
cem,"Cem
Two Lines",,B_TEAM,true
dora,Dora Old,,B_TEAM,false
eve,Eve Free,,,true
`;
const ABSENCES = `user_name,starts_on,ends_on,substitute
ana,2026-11-01,2026-11-30,ben
cem,2026-12-01,2026-12-05,
`;
const PARTNERS = `partner_id,name,country,currency,risk_class,credit_limit,customer_type,segment
P1,"Müller, Anna",DE,EUR,B,5000.00,POSTPAID,CONSUMER
P2,Acme Ltd,GB,GBP,,,CORPORATE,BUSINESS
P3,Other Co,DE,EUR,,,B2B,BUSINESS
`;
const ASSIGNED = `partner_id,name,country,currency,risk_class,credit_limit,customer_type,segment,profile,collection_group,specialist
P1,"Müller, Anna",DE,EUR,B,5000.00,POSTPAID,CONSUMER,DEFAULT,,ana
P2,Acme Ltd,GB,GBP,,,CORPORATE,BUSINESS,DEFAULT,B_TEAM,cem
P3,Other Co,DE,EUR,,,B2B,BUSINESS,,B_TEAM,
`;
const ITEMS = `item_id,partner_id,company_code,document_date,due_date,amount,open_amount,currency,dunning_level,dunning_block,profit_center
I1,P1,1000,2026-09-01,2026-09-15,120.50,120.50,EUR,1,false,
I2,P2,2000,2026-08-01,2026-08-31,15000.00,15000.00,GBP,2,true,
`;

const ORG = {
  'company_codes.csv': COMPANY_CODES,
  'collection_segments.csv': SEGMENTS,
  'collection_profiles.csv': PROFILES,
  'collection_groups.csv': GROUPS,
  'specialists.csv': SPECIALISTS,
  'specialist_absences.csv': ABSENCES,
};
const ALL = { ...ORG, 'partners.csv': ASSIGNED, 'open_items.csv': ITEMS };

async function writeDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recoup-org-import-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

const importFiles = async (db: Database, files: Record<string, string>) => importAr(db, directorySources(await writeDir(files)));

const ORG_TABLES = [
  'company_codes',
  'collection_segments',
  'collection_segment_company_codes',
  'collection_profiles',
  'collection_profile_segments',
  'collection_groups',
  'specialists',
  'specialist_absences',
  'partners',
  'open_items',
  'audit_log',
];

/** Row counts of every organisation table (and what else an import writes), and the partners' assignments. */
async function snapshot(db: Database): Promise<Record<string, unknown>> {
  const counts: Record<string, unknown> = {};
  for (const t of ORG_TABLES) counts[t] = await count(db, t);
  counts.assignments = await assignments(db);
  counts.versions = await db.dataSource.query(
    `SELECT 'g' AS t, key, version FROM collection_groups UNION ALL SELECT 's', user_name, version FROM specialists ORDER BY 1, 2`,
  );
  return counts;
}

const assignments = (db: Database) =>
  db.dataSource.query(
    `SELECT p.external_id, p.profile_key, p.collection_group_key, s.user_name FROM partners p LEFT JOIN specialists s ON s.id = p.specialist_id ORDER BY 1`,
  );

async function importError(db: Database, files: Record<string, string>): Promise<ImportError> {
  const error = await importFiles(db, files).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

const kind = process.env.DATABASE_URL ? 'postgres' : 'embedded';

describe(`organisation CSV import (${kind})`, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
    await insertStrategy(db, 'COLL', strategyDocument({ key: 'COLL', rules: [] }));
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.dataSource.query(
      `TRUNCATE partners, open_items, specialist_absences, specialists, collection_groups, collection_profile_segments, collection_profiles,
                collection_segment_company_codes, collection_segments, company_codes, audit_log CASCADE`,
    );
  });

  it('loads the organisation files before the AR, in one transaction, and counts rows like the AR tables', async () => {
    const result = await importFiles(db, ALL);
    expect(result.tables.map((t) => [t.file, t.rows, t.inserted, t.updated, t.unchanged])).toEqual([
      ['company_codes.csv', 3, 3, 0, 0],
      ['collection_segments.csv', 2, 2, 0, 0],
      ['collection_profiles.csv', 2, 2, 0, 0],
      ['collection_groups.csv', 3, 3, 0, 0],
      ['specialists.csv', 5, 5, 0, 0],
      ['specialist_absences.csv', 2, 2, 0, 0],
      ['partners.csv', 3, 3, 0, 0],
      ['open_items.csv', 2, 2, 0, 0],
    ]);
    expect(result.tables.find((t) => t.table === 'partners')!.method).toBe('staged');
    expect(await db.dataSource.query(`SELECT code, name, country, currency, promise_tolerance_days, active FROM company_codes ORDER BY code`)).toEqual([
      { code: '1000', name: 'Recoup GmbH, Berlin', country: 'DE', currency: 'EUR', promise_tolerance_days: 3, active: true },
      { code: '2000', name: 'Recoup Ltd', country: 'GB', currency: 'GBP', promise_tolerance_days: 5, active: true },
      { code: '3000', name: 'Old Co', country: null, currency: null, promise_tolerance_days: 0, active: false },
    ]);
    expect(await db.dataSource.query(`SELECT segment_key, company_code FROM collection_segment_company_codes ORDER BY 1, 2`)).toEqual([
      { segment_key: 'BUSINESS', company_code: '1000' },
      { segment_key: 'BUSINESS', company_code: '2000' },
      { segment_key: 'CONSUMER', company_code: '1000' },
    ]);
    expect(await db.dataSource.query(`SELECT key, name, segment_key, strategy_key, active FROM collection_groups ORDER BY key`)).toEqual([
      { key: 'B_OLD', name: 'Old business team', segment_key: 'BUSINESS', strategy_key: null, active: false },
      { key: 'B_TEAM', name: 'Business team', segment_key: 'BUSINESS', strategy_key: 'COLL', active: true },
      { key: 'C_TEAM', name: 'Consumer "A" team', segment_key: 'CONSUMER', strategy_key: 'COLL', active: true },
    ]);
    expect(await db.dataSource.query(`SELECT user_name, name, email, group_key, active FROM specialists ORDER BY id`)).toEqual([
      { user_name: 'ana', name: 'Ana Ruiz', email: 'ana@recoup.example', group_key: 'C_TEAM', active: true },
      { user_name: 'ben', name: 'Ben Ode', email: null, group_key: 'C_TEAM', active: true },
      { user_name: 'cem', name: 'Cem\nTwo Lines', email: null, group_key: 'B_TEAM', active: true },
      { user_name: 'dora', name: 'Dora Old', email: null, group_key: 'B_TEAM', active: false },
      { user_name: 'eve', name: 'Eve Free', email: null, group_key: null, active: true },
    ]);
    expect(
      await db.dataSource.query(
        `SELECT s.user_name, a.starts_on::text AS starts_on, a.ends_on::text AS ends_on, sub.user_name AS substitute
           FROM specialist_absences a JOIN specialists s ON s.id = a.specialist_id LEFT JOIN specialists sub ON sub.id = a.substitute_id ORDER BY 1`,
      ),
    ).toEqual([
      { user_name: 'ana', starts_on: '2026-11-01', ends_on: '2026-11-30', substitute: 'ben' },
      { user_name: 'cem', starts_on: '2026-12-01', ends_on: '2026-12-05', substitute: null },
    ]);
    expect(await assignments(db)).toEqual([
      { external_id: 'P1', profile_key: 'DEFAULT', collection_group_key: null, user_name: 'ana' },
      { external_id: 'P2', profile_key: 'DEFAULT', collection_group_key: 'B_TEAM', user_name: 'cem' },
      { external_id: 'P3', profile_key: null, collection_group_key: 'B_TEAM', user_name: null },
    ]);
    // Every created object is audited, naming the import.
    const audit = await db.dataSource.query(`SELECT entity_type, count(*)::int AS n, min(actor_name) AS actor FROM audit_log GROUP BY 1 ORDER BY 1`);
    expect(audit).toEqual([
      { entity_type: 'ABSENCE', n: 2, actor: 'csv-import' },
      { entity_type: 'COMPANY_CODE', n: 3, actor: 'csv-import' },
      { entity_type: 'GROUP', n: 3, actor: 'csv-import' },
      { entity_type: 'PROFILE', n: 2, actor: 'csv-import' },
      { entity_type: 'SEGMENT', n: 2, actor: 'csv-import' },
      { entity_type: 'SPECIALIST', n: 5, actor: 'csv-import' },
    ]);
  });

  it('re-importing upserts by key: only real changes are written, versioned and audited', async () => {
    await importFiles(db, ALL);
    const audited = await count(db, 'audit_log');
    const again = await importFiles(db, ORG);
    expect(again.tables.every((t) => t.inserted === 0 && t.updated === 0 && t.unchanged === t.rows)).toBe(true);
    expect(await count(db, 'audit_log')).toBe(audited);
    const changed = await importFiles(db, {
      'collection_groups.csv': GROUPS.replace('Business team,BUSINESS,COLL', 'Business team,BUSINESS,'),
      'specialists.csv': SPECIALISTS + 'finn,Finn New,,B_TEAM,true\n',
    });
    expect(changed.tables.map((t) => [t.file, t.inserted, t.updated, t.unchanged])).toEqual([
      ['collection_groups.csv', 0, 1, 2],
      ['specialists.csv', 1, 0, 5],
    ]);
    expect(await db.dataSource.query(`SELECT strategy_key, version FROM collection_groups WHERE key = 'B_TEAM'`)).toEqual([{ strategy_key: null, version: 2 }]);
    expect(await count(db, 'audit_log')).toBe(audited + 2);
  });

  it('a partners.csv without the assignment columns keeps the assignments; with them, an empty cell clears one', async () => {
    await importFiles(db, ALL);
    const before = await assignments(db);
    const plain = await importFiles(db, { 'partners.csv': PARTNERS.replace('Acme Ltd', 'Acme Limited') });
    expect(plain.tables[0]).toMatchObject({ rows: 3, updated: 1, unchanged: 2 });
    expect(await assignments(db)).toEqual(before);
    // Only some of the optional columns: the others stay; the specialist is checked against the stored group.
    const some = await importFiles(db, {
      'partners.csv': `partner_id,name,country,currency,risk_class,credit_limit,customer_type,segment,specialist
P1,"Müller, Anna",DE,EUR,B,5000.00,POSTPAID,CONSUMER,ben
P2,Acme Limited,GB,GBP,,,CORPORATE,BUSINESS,
P3,Other Co,DE,EUR,,,B2B,BUSINESS,cem
`,
    });
    expect(some.tables[0]).toMatchObject({ rows: 3, updated: 3, unchanged: 0 });
    expect(await assignments(db)).toEqual([
      { external_id: 'P1', profile_key: 'DEFAULT', collection_group_key: null, user_name: 'ben' },
      { external_id: 'P2', profile_key: 'DEFAULT', collection_group_key: 'B_TEAM', user_name: null },
      { external_id: 'P3', profile_key: null, collection_group_key: 'B_TEAM', user_name: 'cem' },
    ]);
  });

  it('imports a directory with organisation files only', async () => {
    const result = await importFiles(db, { 'company_codes.csv': COMPANY_CODES, 'collection_segments.csv': SEGMENTS });
    expect(result.tables.map((t) => [t.table, t.inserted])).toEqual([
      ['company_codes', 3],
      ['collection_segments', 2],
    ]);
    expect(await count(db, 'collection_segment_company_codes')).toBe(3);
  });

  const PARTNER_LINE_2 = 'P1,"Müller, Anna",DE,EUR,B,5000.00,POSTPAID,CONSUMER,DEFAULT,,ana';
  it.each([
    [
      'an unknown profile',
      PARTNER_LINE_2.replace('DEFAULT,,ana', 'GOLD,,ana'),
      'profile',
      /profile "GOLD" is neither in collection_profiles.csv nor in the database/,
    ],
    ['an unknown group', PARTNER_LINE_2.replace('DEFAULT,,ana', 'DEFAULT,NOPE,ana'), 'collection_group', /collection group "NOPE" is neither/],
    ['an inactive group', PARTNER_LINE_2.replace('CONSUMER,DEFAULT,,ana', 'BUSINESS,DEFAULT,B_OLD,'), 'collection_group', /"B_OLD" is inactive/],
    [
      'a group of another segment',
      PARTNER_LINE_2.replace('DEFAULT,,ana', 'DEFAULT,B_TEAM,'),
      'collection_group',
      /"B_TEAM" works segment BUSINESS, not the partner's segment CONSUMER/,
    ],
    ['an unknown specialist', PARTNER_LINE_2.replace(',ana', ',zed'), 'specialist', /specialist "zed" is neither in specialists.csv nor in the database/],
    ['an inactive specialist', PARTNER_LINE_2.replace('CONSUMER,DEFAULT,,ana', 'BUSINESS,DEFAULT,B_TEAM,dora'), 'specialist', /"dora" is inactive/],
    [
      "a specialist of another group than the segment's only one",
      PARTNER_LINE_2.replace(',ana', ',cem'),
      'specialist',
      /"cem" works in group B_TEAM, not in the partner's group C_TEAM/,
    ],
    ['a specialist without a group', PARTNER_LINE_2.replace(',ana', ',eve'), 'specialist', /"eve" works in group \(none\)/],
  ])('refuses a partner assignment with %s (file, line, column; nothing written)', async (_label, line, column, message) => {
    await importFiles(db, { ...ORG, 'partners.csv': PARTNERS });
    await db.dataSource.query(`UPDATE partners SET specialist_id = (SELECT id FROM specialists WHERE user_name = 'ben')`);
    const before = await snapshot(db);
    const file = ASSIGNED.replace(PARTNER_LINE_2, line) + 'P4,Fourth,DE,EUR,,,B2B,BUSINESS,,,\n';
    const error = await importError(db, { 'partners.csv': file });
    expect({ file: error.file, line: error.line, column: error.column }).toEqual({ file: 'partners.csv', line: 2, column });
    expect(error.message).toMatch(message);
    expect(await snapshot(db)).toEqual(before);
  });

  it('names the first bad line of a long partners file, also for a fresh load into an empty table', async () => {
    await importFiles(db, ORG);
    const rows = Array.from(
      { length: 2000 },
      (_, i) => `Q${String(i).padStart(5, '0')},Partner ${i},DE,EUR,,,B2B,BUSINESS,DEFAULT,B_TEAM,${i % 2 ? 'cem' : ''}`,
    );
    rows[1500] = rows[1500]!.replace(/,$/, ',ana');
    rows[1700] = rows[1700]!.replace('DEFAULT', 'GOLD');
    const header = ASSIGNED.split('\n')[0];
    const before = await snapshot(db);
    const error = await importError(db, { 'partners.csv': [header, ...rows].join('\n') + '\n' });
    expect({ line: error.line, column: error.column }).toEqual({ line: 1502, column: 'specialist' });
    expect(await snapshot(db)).toEqual(before);
    rows[1500] = rows[1500].replace(/,ana$/, ',');
    rows[1700] = rows[1700].replace('GOLD', 'DEFAULT');
    const good = await importFiles(db, { 'partners.csv': [header, ...rows].join('\n') + '\n' });
    expect(good.tables[0]).toMatchObject({ rows: 2000, inserted: 2000, method: 'staged' });
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM partners WHERE specialist_id IS NOT NULL`)).toEqual([{ n: 1000 }]);
  });

  it('refuses a header naming an assignment column twice', async () => {
    await importFiles(db, ORG);
    const error = await importError(db, { 'partners.csv': ASSIGNED.replace('profile,collection_group', 'specialist,collection_group') });
    expect({ file: error.file, line: error.line, column: error.column }).toEqual({ file: 'partners.csv', line: 1, column: 'specialist' });
  });

  it('reads the optional daily_capacity: a number, empty for none; a file without the column leaves it alone', async () => {
    await importFiles(db, ORG);
    const capacities = () => db.dataSource.query(`SELECT key, daily_capacity FROM collection_groups ORDER BY key`);
    expect(await capacities()).toEqual([
      { key: 'B_OLD', daily_capacity: null },
      { key: 'B_TEAM', daily_capacity: null },
      { key: 'C_TEAM', daily_capacity: 25 },
    ]);
    const withoutColumn = GROUPS.replace(',daily_capacity\n', '\n')
      .replace(/,(25)?\n/g, '\n')
      .replace('Business team', 'Business team 2');
    await importFiles(db, { 'collection_groups.csv': withoutColumn });
    expect((await capacities()).map((r: { daily_capacity: number | null }) => r.daily_capacity)).toEqual([null, null, 25]);
    await importFiles(db, { 'collection_groups.csv': GROUPS.replace('COLL,true,25', 'COLL,true,') });
    expect((await capacities()).map((r: { daily_capacity: number | null }) => r.daily_capacity)).toEqual([null, null, null]);
  });

  describe('hostile organisation rows: file, line, column, and nothing written', () => {
    it.each([
      [
        'a group naming a missing segment',
        { 'collection_groups.csv': GROUPS + 'X_TEAM,X,NOWHERE,,true,\n' },
        ['collection_groups.csv', 5, 'segment'],
        /NOWHERE/,
      ],
      [
        'a group with a daily capacity of 0',
        { 'collection_groups.csv': GROUPS.replace('COLL,true,25', 'COLL,true,0') },
        ['collection_groups.csv', 2, 'daily_capacity'],
        /daily_capacity must be a whole number of partners from 1 to 100000/,
      ],
      [
        'a group naming a missing strategy',
        { 'collection_groups.csv': GROUPS.replace('CONSUMER,COLL', 'CONSUMER,GHOST') },
        ['collection_groups.csv', 2, 'strategy'],
        /GHOST/,
      ],
      [
        'an absence naming an unknown substitute',
        { 'specialist_absences.csv': ABSENCES.replace('cem,2026-12-01,2026-12-05,', 'cem,2026-12-01,2026-12-05,nobody') },
        ['specialist_absences.csv', 3, 'substitute'],
        /specialist nobody, who does not exist/,
      ],
      [
        'an absence naming a substitute of another group',
        { 'specialist_absences.csv': ABSENCES.replace('2026-11-30,ben', '2026-11-30,cem') },
        ['specialist_absences.csv', 2, 'substitute'],
        /works in group B_TEAM, not in ana's group C_TEAM/,
      ],
      [
        'a key of 41 characters',
        { 'company_codes.csv': COMPANY_CODES + `${'K'.repeat(41)},Long,,,,\n` },
        ['company_codes.csv', 5, 'company_code'],
        /1-40 characters/,
      ],
      [
        'a key with a space',
        { 'collection_segments.csv': SEGMENTS + 'NEW SEG,New,EUR,\n' },
        ['collection_segments.csv', 4, 'segment'],
        /^collection_segments.csv line 4, column segment: segment must be/,
      ],
      [
        'a list naming an unknown key',
        { 'collection_profiles.csv': PROFILES + 'P2,Two,CONSUMER|MISSING\n' },
        ['collection_profiles.csv', 4, 'segments'],
        /MISSING/,
      ],
      ['a NUL character in a cell', { 'specialists.csv': SPECIALISTS.replace('Ben Ode', 'Ben\u0000Ode') }, ['specialists.csv', 3, 'name'], /NUL/],
      [
        'a key twice in one file',
        { 'specialists.csv': SPECIALISTS + 'ben,Ben Again,,C_TEAM,true\n' },
        ['specialists.csv', 8, 'user_name'],
        /"ben" appears again \(first on line 3\)/,
      ],
      [
        'an absence twice in one file',
        { 'specialist_absences.csv': ABSENCES + 'ana,2026-11-01,2026-11-02,\n' },
        ['specialist_absences.csv', 4, 'starts_on'],
        /appears again \(first on line 2\)/,
      ],
      [
        'a tolerance beyond a year',
        { 'company_codes.csv': COMPANY_CODES.replace('Ltd,GB,gbp,5', 'Ltd,GB,gbp,400') },
        ['company_codes.csv', 3, 'promise_tolerance_days'],
        /0 to 365/,
      ],
    ] as const)('%s', async (_label, override, [file, line, column], message) => {
      await importFiles(db, ALL);
      const before = await snapshot(db);
      const error = await importError(db, { ...ALL, 'partners.csv': ASSIGNED.replace('P3,Other Co', 'P3,Other Company'), ...override });
      expect({ file: error.file, line: error.line, column: error.column }).toEqual({ file, line, column });
      expect(error.message).toMatch(message);
      expect(await snapshot(db)).toEqual(before);
    });

    it('a bad row on a first import leaves every table empty', async () => {
      const error = await importError(db, { ...ALL, 'specialists.csv': SPECIALISTS.replace('cem,', 'c m,') });
      expect({ file: error.file, line: error.line, column: error.column }).toEqual({ file: 'specialists.csv', line: 4, column: 'user_name' });
      for (const table of ORG_TABLES) expect(await count(db, table), table).toBe(0);
    });
  });

  it('exports what it imports: the same files again after a round trip through an empty database', async () => {
    await importFiles(db, ALL);
    const exported = await mkdtemp(path.join(tmpdir(), 'recoup-org-export-'));
    const files = await exportOrganisation(db, exported);
    expect(files.map((f) => [f.file, f.rows])).toEqual([
      ['company_codes.csv', 3],
      ['collection_segments.csv', 2],
      ['collection_profiles.csv', 2],
      ['collection_groups.csv', 3],
      ['specialists.csv', 5],
      ['specialist_absences.csv', 2],
      ['agencies.csv', 0],
      ['partners.csv', 3],
    ]);
    const read = async (dir: string) =>
      Object.fromEntries(await Promise.all((await readdir(dir)).sort().map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as const)));
    const first = await read(exported);
    expect(first['collection_segments.csv']).toBe('segment,name,currency,company_codes\nBUSINESS,Business | B2B,EUR,1000|2000\nCONSUMER,Consumer,EUR,1000\n');
    expect(first['collection_groups.csv']).toContain('group,name,segment,strategy,active,daily_capacity\n');
    expect(first['collection_groups.csv']).toContain('C_TEAM,"Consumer ""A"" team",CONSUMER,COLL,true,25\n');
    expect(first['collection_groups.csv']).toContain('B_TEAM,Business team,BUSINESS,COLL,true,\n');
    expect(first['specialists.csv']).toContain('cem,"Cem\nTwo Lines",,B_TEAM,true\n');
    expect(first['partners.csv']).toBe(
      'partner_id,name,country,currency,risk_class,credit_limit,customer_type,segment,profile,collection_group,specialist\n' +
        'P1,"Müller, Anna",DE,EUR,B,5000.0000,POSTPAID,CONSUMER,DEFAULT,,ana\n' +
        'P2,Acme Ltd,GB,GBP,,,CORPORATE,BUSINESS,DEFAULT,B_TEAM,cem\n' +
        'P3,Other Co,DE,EUR,,,B2B,BUSINESS,,B_TEAM,\n',
    );

    const empty = await openTestDatabase();
    try {
      await insertStrategy(empty, 'COLL', strategyDocument({ key: 'COLL', rules: [] }));
      await importAr(empty, directorySources(exported));
      const again = await mkdtemp(path.join(tmpdir(), 'recoup-org-export-'));
      await exportOrganisation(empty, again);
      expect(await read(again)).toEqual(first);
    } finally {
      await empty.close();
    }
  });
});
