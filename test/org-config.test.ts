import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { seedDemoAr } from '../packages/server/src/seed/seed.service';
import { createTestToken, gql } from './support/api';
import { count, openTestDatabase } from './support/database';

/** The organisation over GraphQL: validation at the argument, versions, audit, ADMIN writes, refused orphaning deletes. */
let db: Database;
let app: RunningApp;
let admin: string;

const ORG_TABLES = ['company_codes', 'collection_segments', 'collection_profiles', 'collection_groups', 'specialists', 'specialist_absences', 'audit_log'];

async function tableCounts(): Promise<number[]> {
  return Promise.all(ORG_TABLES.map((t) => count(db, t)));
}

beforeAll(async () => {
  db = await openTestDatabase();
  await seedDemoAr(db, { partners: 200, seed: 3, asOf: '2026-11-23' });
  app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  admin = await createTestToken(db, 'ADMIN');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const SAVE_CODE = `mutation($input: CompanyCodeInput!) { saveCompanyCode(input: $input) { code name country currency promiseToleranceDays active version } }`;
const SAVE_SEGMENT = `mutation($input: CollectionSegmentInput!) { saveCollectionSegment(input: $input) { key currency companyCodes groups partners version } }`;
const SAVE_GROUP = `mutation($input: CollectionGroupInput!) { saveCollectionGroup(input: $input) { key segment strategy active version specialistCount } }`;
const SAVE_SPECIALIST = `mutation($input: SpecialistInput!) { saveSpecialist(input: $input) { id userName group active version } }`;
const SAVE_ABSENCE = `mutation($input: SpecialistAbsenceInput!) { saveSpecialistAbsence(input: $input) { id userName startsOn endsOn substitute version } }`;

describe('company codes', () => {
  it('creates, changes with the version read, refuses a stale version, audits each change', async () => {
    const created = await gql(
      app.url,
      SAVE_CODE,
      { input: { code: 'NL01', name: 'Recoup Nederland', country: 'nl', currency: 'eur', promiseToleranceDays: 5 } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.saveCompanyCode).toEqual({
      code: 'NL01',
      name: 'Recoup Nederland',
      country: 'NL',
      currency: 'EUR',
      promiseToleranceDays: 5,
      active: true,
      version: 1,
    });
    const again = await gql(app.url, SAVE_CODE, { input: { code: 'NL01', name: 'Twice' } }, admin);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', version: 1 });

    const changed = await gql(
      app.url,
      SAVE_CODE,
      { input: { code: 'NL01', name: 'Recoup NL B.V.', currency: 'EUR', country: 'NL', promiseToleranceDays: 7, version: 1 } },
      admin,
    );
    expect(changed.data.saveCompanyCode).toMatchObject({ name: 'Recoup NL B.V.', promiseToleranceDays: 7, version: 2 });
    const stale = await gql(app.url, SAVE_CODE, { input: { code: 'NL01', name: 'Lost update', version: 1 } }, admin);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', version: 2 });
    expect((await gql(app.url, `{ companyCode(code: "NL01") { name version } }`, {}, admin)).data.companyCode).toEqual({ name: 'Recoup NL B.V.', version: 2 });

    const audit = await gql(app.url, `{ auditLog(entityType: "COMPANY_CODE", entityId: "NL01") { edges { node { action details } } } }`, {}, admin);
    const actions = audit.data.auditLog.edges.map((e: any) => e.node.action);
    expect(actions).toEqual(['UPDATE', 'CREATE']);
    expect(audit.data.auditLog.edges[0].node.details.changes.promise_tolerance_days).toEqual({ from: 5, to: 7 });
  });

  it('names the argument of each broken rule and writes nothing', async () => {
    const before = await tableCounts();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ code: 'X'.repeat(41), name: 'Too long' }, 'input.code'],
      [{ code: 'has space', name: 'Space' }, 'input.code'],
      [{ code: 'OK1', name: '   ' }, 'input.name'],
      [{ code: 'OK1', name: 'Bad currency', currency: 'EURO' }, 'input.currency'],
      [{ code: 'OK1', name: 'Bad country', country: 'DEU' }, 'input.country'],
      [{ code: 'OK1', name: 'Bad tolerance', promiseToleranceDays: -1 }, 'input.promiseToleranceDays'],
    ];
    for (const [input, path] of cases) {
      const { errors } = await gql(app.url, SAVE_CODE, { input }, admin);
      expect(errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', path });
    }
    expect(await tableCounts()).toEqual(before);
  });

  it('is written by ADMIN only and read by every role', async () => {
    for (const role of ['CONFIGURATOR', 'SUPERVISOR', 'CLIENT'] as const) {
      const token = await createTestToken(db, role);
      const { errors } = await gql(app.url, SAVE_CODE, { input: { code: 'NOPE', name: 'No' } }, token);
      expect(errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      const read = await gql(app.url, `{ companyCodes { code } }`, {}, token);
      expect(read.data.companyCodes.length, role).toBeGreaterThan(0);
    }
    expect(await count(db, `company_codes WHERE code = 'NOPE'`)).toBe(0);
  });

  it('refuses deleting a company code items refer to, naming them; deactivating retires it', async () => {
    const [{ code, version }] = await db.dataSource.query(
      `SELECT c.code, c.version FROM company_codes c WHERE EXISTS (SELECT 1 FROM open_items i WHERE i.company_code = c.code) LIMIT 1`,
    );
    const refused = await gql(
      app.url,
      `mutation($code: String!, $version: Int!) { deleteCompanyCode(code: $code, version: $version) }`,
      { code, version },
      admin,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/open items/);
    expect(refused.errors?.[0]?.message).toMatch(/deactivate/);
    const retired = await gql(app.url, SAVE_CODE, { input: { code, name: 'Retired', active: false, version } }, admin);
    expect(retired.data.saveCompanyCode).toMatchObject({ active: false, version: version + 1 });
    const free = await gql(app.url, SAVE_CODE, { input: { code: 'FREE', name: 'Unused' } }, admin);
    const deleted = await gql(app.url, `mutation { deleteCompanyCode(code: "FREE", version: ${free.data.saveCompanyCode.version}) }`, {}, admin);
    expect(deleted.data?.deleteCompanyCode).toBe(true);
    expect(await count(db, `company_codes WHERE code = 'FREE'`)).toBe(0);
  });
});

describe('segments, profiles and groups', () => {
  it('refuses references to keys that do not exist, naming the argument', async () => {
    const missingCode = await gql(app.url, SAVE_SEGMENT, { input: { key: 'SME', name: 'SME', currency: 'EUR', companyCodes: ['NL01', 'NOWHERE'] } }, admin);
    expect(missingCode.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'input.companyCodes' });
    expect(missingCode.errors?.[0]?.message).toMatch(/NOWHERE/);
    const twice = await gql(app.url, SAVE_SEGMENT, { input: { key: 'SME', name: 'SME', currency: 'EUR', companyCodes: ['NL01', 'NL01'] } }, admin);
    expect(twice.errors?.[0]?.extensions).toMatchObject({ path: 'input.companyCodes' });
    const noSegment = await gql(app.url, SAVE_GROUP, { input: { key: 'SME_TEAM', name: 'SME team', segment: 'SME' } }, admin);
    expect(noSegment.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'input.segment' });
    const segment = await gql(app.url, SAVE_SEGMENT, { input: { key: 'SME', name: 'SME', currency: 'EUR', companyCodes: ['NL01'] } }, admin);
    expect(segment.data.saveCollectionSegment).toEqual({ key: 'SME', currency: 'EUR', companyCodes: ['NL01'], groups: [], partners: 0, version: 1 });
    const noStrategy = await gql(app.url, SAVE_GROUP, { input: { key: 'SME_TEAM', name: 'SME team', segment: 'SME', strategy: 'NO_SUCH_STRATEGY' } }, admin);
    expect(noStrategy.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'input.strategy' });
    const group = await gql(app.url, SAVE_GROUP, { input: { key: 'SME_TEAM', name: 'SME team', segment: 'SME' } }, admin);
    expect(group.data.saveCollectionGroup).toEqual({ key: 'SME_TEAM', segment: 'SME', strategy: null, active: true, version: 1, specialistCount: 0 });
  });

  it('refuses deleting a segment a group works, then lets it go once nothing refers to it', async () => {
    const refused = await gql(app.url, `mutation { deleteCollectionSegment(key: "SME", version: 1) }`, {}, admin);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/1 collection groups/);
    expect(refused.errors?.[0]?.extensions?.referencedBy).toEqual([{ kind: 'collection groups', count: 1 }]);
    expect((await gql(app.url, `mutation { deleteCollectionGroup(key: "SME_TEAM", version: 1) }`, {}, admin)).data?.deleteCollectionGroup).toBe(true);
    expect((await gql(app.url, `mutation { deleteCollectionSegment(key: "SME", version: 1) }`, {}, admin)).data?.deleteCollectionSegment).toBe(true);
  });

  it("keeps a profile's segment list as given and reports its change in the audit", async () => {
    const [a, b] = (await db.dataSource.query(`SELECT key FROM collection_segments ORDER BY key LIMIT 2`)).map((r: any) => r.key);
    const save = `mutation($input: CollectionProfileInput!) { saveCollectionProfile(input: $input) { key segments version } }`;
    expect((await gql(app.url, save, { input: { key: 'P1', name: 'One', segments: [a] } }, admin)).data.saveCollectionProfile).toEqual({
      key: 'P1',
      segments: [a],
      version: 1,
    });
    const same = await gql(app.url, save, { input: { key: 'P1', name: 'One', segments: [a], version: 1 } }, admin);
    expect(same.data.saveCollectionProfile.version).toBe(1); // nothing changed: no new version
    const both = await gql(app.url, save, { input: { key: 'P1', name: 'One', segments: [b, a], version: 1 } }, admin);
    expect(both.data.saveCollectionProfile).toEqual({ key: 'P1', segments: [a, b].sort(), version: 2 });
  });
});

describe('specialists and absences', () => {
  let group: string;

  beforeAll(async () => {
    [{ key: group }] = await db.dataSource.query(`SELECT key FROM collection_groups ORDER BY key LIMIT 1`);
    for (const userName of ['ann.org', 'bob.org', 'cid.org']) {
      const { errors } = await gql(app.url, SAVE_SPECIALIST, { input: { userName, name: userName, email: `${userName}@example.com`, group } }, admin);
      expect(errors).toBeUndefined();
    }
  });

  it('records an absence with a substitute of the same group, refusing chains, overlaps and strangers', async () => {
    const ok = await gql(app.url, SAVE_ABSENCE, { input: { userName: 'ann.org', startsOn: '2026-12-01', endsOn: '2026-12-10', substitute: 'bob.org' } }, admin);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.saveSpecialistAbsence).toMatchObject({
      userName: 'ann.org',
      startsOn: '2026-12-01',
      endsOn: '2026-12-10',
      substitute: 'bob.org',
      version: 1,
    });

    const before = await tableCounts();
    const refusals: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ userName: 'ann.org', startsOn: '2026-12-05', endsOn: '2026-12-12' }, 'input.startsOn', /already absent/],
      [{ userName: 'bob.org', startsOn: '2026-12-08', endsOn: '2026-12-09' }, 'input.startsOn', /stands in for ann.org/],
      [{ userName: 'cid.org', startsOn: '2026-12-02', endsOn: '2026-12-03', substitute: 'ann.org' }, 'input.substitute', /absent/],
      [{ userName: 'cid.org', startsOn: '2026-12-20', endsOn: '2026-12-19' }, 'input.endsOn', /would end \(2026-12-19\) before it starts/],
      [{ userName: 'cid.org', startsOn: '2026-12-20', endsOn: '2026-12-21', substitute: 'cid.org' }, 'input.substitute', /themselves/],
      [{ userName: 'cid.org', startsOn: '2026-12-20', endsOn: '2026-12-21', substitute: 'nobody' }, 'input.substitute', /does not exist/],
    ];
    for (const [input, path, message] of refusals) {
      const { errors } = await gql(app.url, SAVE_ABSENCE, { input }, admin);
      expect(errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', path });
      expect(errors?.[0]?.message).toMatch(message);
    }
    const [{ key: otherGroup }] = await db.dataSource.query(`SELECT key FROM collection_groups WHERE key <> $1 ORDER BY key LIMIT 1`, [group]);
    await gql(app.url, SAVE_SPECIALIST, { input: { userName: 'dan.org', name: 'Dan', group: otherGroup } }, admin);
    const stranger = await gql(
      app.url,
      SAVE_ABSENCE,
      { input: { userName: 'cid.org', startsOn: '2026-12-20', endsOn: '2026-12-21', substitute: 'dan.org' } },
      admin,
    );
    expect(stranger.errors?.[0]?.message).toMatch(/works in group/);
    expect((await tableCounts()).map((n, i) => (ORG_TABLES[i] === 'specialists' || ORG_TABLES[i] === 'audit_log' ? 0 : n))).toEqual(
      before.map((n, i) => (ORG_TABLES[i] === 'specialists' || ORG_TABLES[i] === 'audit_log' ? 0 : n)),
    );
  });

  it('pages absences and specialists, and refuses deleting a specialist who stands in', async () => {
    const page = await gql(
      app.url,
      `{ specialistAbsences(userName: "ann.org", from: "2026-12-05", to: "2026-12-06") { edges { node { userName substitute substituteName } } } }`,
      {},
      admin,
    );
    expect(page.data.specialistAbsences.edges.map((e: any) => e.node)).toEqual([{ userName: 'ann.org', substitute: 'bob.org', substituteName: 'bob.org' }]);
    const first = await gql(
      app.url,
      `query($g: String) { specialistList(group: $g, first: 2) { edges { node { userName } } pageInfo { hasNextPage endCursor } } }`,
      { g: group },
      admin,
    );
    const next = await gql(
      app.url,
      `query($g: String, $after: String) { specialistList(group: $g, first: 500, after: $after) { edges { node { userName } } } }`,
      { g: group, after: first.data.specialistList.pageInfo.endCursor },
      admin,
    );
    const all: Array<{ user_name: string }> = await db.dataSource.query(`SELECT user_name FROM specialists WHERE group_key = $1 ORDER BY user_name`, [group]);
    expect([...first.data.specialistList.edges, ...next.data.specialistList.edges].map((e: any) => e.node.userName)).toEqual(all.map((r) => r.user_name));
    const bob = await gql(app.url, `{ specialist(userName: "bob.org") { version } }`, {}, admin);
    const refused = await gql(app.url, `mutation { deleteSpecialist(userName: "bob.org", version: ${bob.data.specialist.version}) }`, {}, admin);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/absences/);
  });

  it('assigns a partner a fixed specialist of its own group only', async () => {
    const [partner] = await db.dataSource.query(
      `SELECT p.id::text AS id, p.collection_group_key AS g FROM partners p WHERE p.collection_group_key = $1 LIMIT 1`,
      [group],
    );
    const assign = `mutation($input: PartnerAssignmentInput!) { assignPartner(input: $input) { partnerId collectionGroup specialist } }`;
    const ok = await gql(app.url, assign, { input: { partnerId: partner.id, collectionGroup: group, specialist: 'cid.org' } }, admin);
    expect(ok.data.assignPartner).toEqual({ partnerId: partner.id, collectionGroup: group, specialist: 'cid.org' });
    const wrong = await gql(app.url, assign, { input: { partnerId: partner.id, collectionGroup: group, specialist: 'dan.org' } }, admin);
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', path: 'input.specialist' });
    const huge = await gql(app.url, assign, { input: { partnerId: '9223372036854775808', collectionGroup: group } }, admin);
    expect(huge.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const [{ specialist }] = await db.dataSource.query(
      `SELECT s.user_name AS specialist FROM partners p JOIN specialists s ON s.id = p.specialist_id WHERE p.id = $1`,
      [partner.id],
    );
    expect(specialist).toBe('cid.org');
  });
});

describe('group daily capacity', () => {
  const READ = `query($key: String!) { collectionGroup(key: $key) { key segment strategy dailyCapacity version } }`;
  const SAVE = `mutation($input: CollectionGroupInput!) { saveCollectionGroup(input: $input) { key dailyCapacity version } }`;

  it('is set, kept when left out, cleared by null, and refused outside 1..100000 naming input.dailyCapacity', async () => {
    const [row] = await db.dataSource.query(`SELECT key FROM collection_groups ORDER BY key LIMIT 1`);
    const read = async () => (await gql(app.url, READ, { key: row.key }, admin)).data.collectionGroup;
    const before = await read();
    expect(before.dailyCapacity).toBeNull();
    const base = { key: before.key, name: 'Capacity team', segment: before.segment, strategy: before.strategy };
    const set = await gql(app.url, SAVE, { input: { ...base, dailyCapacity: 40, version: before.version } }, admin);
    expect(set.data.saveCollectionGroup).toEqual({ key: before.key, dailyCapacity: 40, version: before.version + 1 });
    const kept = await gql(app.url, SAVE, { input: { ...base, name: 'Capacity team 2', version: before.version + 1 } }, admin);
    expect(kept.data.saveCollectionGroup).toEqual({ key: before.key, dailyCapacity: 40, version: before.version + 2 });
    for (const bad of [0, -3, 100_001]) {
      const refused = await gql(app.url, SAVE, { input: { ...base, dailyCapacity: bad, version: before.version + 2 } }, admin);
      expect(refused.errors?.[0]?.extensions, String(bad)).toMatchObject({ code: 'BAD_USER_INPUT', path: 'input.dailyCapacity' });
    }
    expect((await read()).dailyCapacity).toBe(40);
    const cleared = await gql(app.url, SAVE, { input: { ...base, dailyCapacity: null, version: before.version + 2 } }, admin);
    expect(cleared.data.saveCollectionGroup).toEqual({ key: before.key, dailyCapacity: null, version: before.version + 3 });
    const [audit] = await db.dataSource.query(
      `SELECT details FROM audit_log WHERE entity_type = 'GROUP' AND entity_id = $1 AND details::text LIKE '%daily_capacity%' ORDER BY id LIMIT 1`,
      [before.key],
    );
    expect(audit).toBeDefined();
  });
});
