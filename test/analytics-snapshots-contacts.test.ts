import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analytics, refreshAnalyticsSnapshots } from '../packages/server/src/analytics';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { createRequestContext } from '../packages/server/src/graphql/context';
import type { Role } from '../packages/server/src/graphql/roles';
import { AnalyticsGroupByEnum } from '../packages/server/src/analytics/analytics.types';
import { openTestDatabase } from './support/database';
import { expectKeptEqualsMirror, periodCases, type ComparisonCase } from './support/snapshot-comparison';
import { generator, insertSnapshotOrganisation } from './support/seeded';
import { insertPartners, insertSegment, insertSpecialist, query } from './support/worklist-fixtures';

/**
 * The contact analysis from the daily snapshots (analytics_daily_contacts): on a random history of
 * contacts and promises (many promises obtained by several contacts, on several days, by several
 * specialists), the report read from the snapshots equals the one read from the mirror for every
 * grouping, filter, period and role, before and after random contact and promise writes (which
 * mark from the right day in their own transaction) and an incremental refresh, and after partners
 * move. A small case (segment SH) is worked out by hand.
 */
const AS_OF = '2026-06-30';
const START = '2025-12-01';
const GROUPINGS = [null, AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.GROUP, AnalyticsGroupByEnum.SEGMENT, AnalyticsGroupByEnum.STRATEGY];
const CHANNELS = ['PHONE', 'EMAIL', 'LETTER'] as const;
const RESULTS = [null, 'PROMISE', 'CALLBACK', 'REFUSED'] as const;

let db: Database;
let supervisorTokenId: string;
let random: () => number;
let nextContact = 1;
let nextPromise = 1;

const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const day = (from: string, offset: number) => new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

const SEED = Number(process.env.SNAPSHOT_SEED ?? 20_261_207);
const RANDOM_PARTNERS = 30;

beforeAll(async () => {
  random = generator(SEED);
  db = await openTestDatabase();
  await insertSnapshotOrganisation(db);
  await insertSegment(db, 'SH', [{ key: 'SH_G', strategyKey: 'S2' }]);
  await query(db, `INSERT INTO collection_segment_company_codes (segment_key, company_code) VALUES ('SA', '1000'), ('SA', '2000'), ('SB', '2000')`);
  await insertSpecialist(db, 4, null);
  const partners = Array.from({ length: RANDOM_PARTNERS }, (_, n) => {
    const segment = n % 3 === 2 ? 'SB' : 'SA';
    return { id: n + 1, segment, group: segment === 'SA' ? pick(['SA_G1', 'SA_G2', null]) : null, specialist: pick([1, 2, 3, null, null]) };
  });
  await insertPartners(db, partners);
  for (const p of partners) {
    const promises: number[] = [];
    for (let k = between(0, 4); k > 0; k--) promises.push(await insertPromise(p.id, day(START, between(0, 200))));
    for (let k = between(0, 10); k > 0; k--) await insertContact(p.id, await contactDay(p.id), linksFor(promises));
  }
  await insertHandWorkedCase();
  const created = await createApiToken(db, { name: 'sup-g2', role: 'SUPERVISOR', groups: ['SA_G2', 'SB_G'] });
  supervisorTokenId = String(created.record.id);
});

afterAll(async () => {
  await db?.close();
});

async function insertPromise(partner: number, created: string, id = nextPromise++): Promise<number> {
  await query(db, `INSERT INTO promises (id, external_id, partner_id, created_date, promised_date, amount, currency) VALUES ($1, $2, $3, $4, $5, 100, 'EUR')`, [
    id,
    `Q${id}`,
    partner,
    created,
    day(created, 14),
  ]);
  return id;
}

async function insertContact(
  partner: number,
  date: string,
  promiseIds: number[] | null,
  fields: { channel?: string; direction?: string; reached?: boolean; result?: string | null; author?: number | null } = {},
): Promise<number> {
  const id = nextContact++;
  await query(
    db,
    `INSERT INTO contacts (id, external_id, partner_id, contact_date, channel, direction, reached, result, author_specialist_id, promise_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      id,
      `K${id}`,
      partner,
      date,
      fields.channel ?? pick(CHANNELS),
      fields.direction ?? pick(['OUTBOUND', 'INBOUND']),
      fields.reached ?? random() < 0.6,
      fields.result === undefined ? pick(RESULTS) : fields.result,
      fields.author === undefined ? pick([1, 2, 3, 4, null, null]) : fields.author,
      promiseIds?.map(String) ?? null,
    ],
  );
  return id;
}

/** Often a day one of the partner's promises was made on (a contact linking none obtains it), else any day. */
async function contactDay(partner: number): Promise<string> {
  const made = await query(db, `SELECT created_date::text AS d FROM promises WHERE partner_id = $1`, [partner]);
  return made.length && random() < 0.5 ? (pick(made).d as string) : day(START, between(-20, 211));
}

/** Links: none (NULL or empty), or some of the partner's promises, now and then another partner's or one that does not exist. */
function linksFor(promises: number[]): number[] | null {
  const roll = random();
  if (roll < 0.3) return null;
  if (roll < 0.45) return [];
  if (roll < 0.5) return [between(1, nextPromise + 5)];
  if (promises.length === 0) return [];
  return [...new Set([pick(promises), pick(promises)])];
}

/**
 * Segment SH (its only group SH_G, strategy S2): partner 101 (specialist 1) and 102 (none).
 *   Q1 101 made 03-01, Q2 101 made 03-05, Q3 and Q4 102 made 03-10.
 *   K1 101 03-02 PHONE OUTBOUND reached, by 2, links Q1
 *   K2 101 03-05 PHONE OUTBOUND not reached, no author (specialist 1), links Q1
 *   K3 101 03-05 EMAIL OUTBOUND reached, by 2, links none: Q2 (made that day)
 *   K4 102 03-10 LETTER OUTBOUND not reached, by 3, links none: Q3 and Q4
 *   K5 102 04-01 PHONE INBOUND reached, by 3, links Q3
 */
async function insertHandWorkedCase(): Promise<void> {
  await insertPartners(db, [
    { id: 101, segment: 'SH', specialist: 1 },
    { id: 102, segment: 'SH', specialist: null },
  ]);
  const [q1, q2, q3] = [
    await insertPromise(101, '2026-03-01', 9001),
    await insertPromise(101, '2026-03-05', 9002),
    await insertPromise(102, '2026-03-10', 9003),
  ];
  await insertPromise(102, '2026-03-10', 9004);
  const outbound = { direction: 'OUTBOUND', result: null };
  await insertContact(101, '2026-03-02', [q1], { ...outbound, channel: 'PHONE', reached: true, author: 2 });
  await insertContact(101, '2026-03-05', [q1], { ...outbound, channel: 'PHONE', reached: false, author: null });
  await insertContact(101, '2026-03-05', null, { ...outbound, channel: 'EMAIL', reached: true, author: 2 });
  await insertContact(102, '2026-03-10', [], { ...outbound, channel: 'LETTER', reached: false, author: 3 });
  await insertContact(102, '2026-04-01', [q3], { direction: 'INBOUND', result: null, channel: 'PHONE', reached: true, author: 3 });
  void q2;
}

function ctxOf(role: Role, specialistId: string | null = null) {
  const tokenId = role === 'SUPERVISOR' ? supervisorTokenId : '0';
  return createRequestContext(db, { tokenId, name: 'test', role, specialistId });
}

type Args = Parameters<typeof analytics.contactReport>[1];

/** Every combination the comparison covers: groupings, periods, filters, roles. */
function cases(): Array<ComparisonCase<Args>> {
  const periods = [
    { from: '2026-01-01', to: AS_OF },
    { from: '2026-02-10', to: '2026-05-17' },
    { from: '2026-03-05', to: '2026-03-05' },
    { from: '2025-10-01', to: '2026-04-30' },
  ];
  return periodCases<Args>({
    periods,
    groupings: GROUPINGS,
    filterPeriod: periods[1]!,
    filters: [
      { segment: 'SA' },
      { group: 'SA_G1' },
      { strategy: 'S1' },
      { specialist: '2' },
      { specialist: '4' },
      { companyCode: '2000' },
      { companyCode: '1000' },
    ],
    filterGroupings: [null, AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.GROUP],
    roleGroupings: [null, AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.SEGMENT],
  });
}

/** For each case: the report from the snapshots (which must be used) equals the mirror's. */
async function expectSnapshotsEqualMirror(): Promise<void> {
  await expectKeptEqualsMirror(cases(), { ctxOf, report: analytics.contactReport, figures: analytics.contactSnapshotFigures });
}

const state = () => analytics.snapshotState(db);
const refresh = () => refreshAnalyticsSnapshots(db, { to: AS_OF });

/** The hand-worked case's figures, from the snapshots and from the mirror alike. */
async function handWorked(from: string, to: string, groupBy: AnalyticsGroupByEnum | null = null, specialist?: string): Promise<unknown[]> {
  const args: Args = { filter: { from, to, currency: 'EUR', segment: 'SH', ...(specialist ? { specialist } : {}) }, groupBy };
  expect(await analytics.contactSnapshotFigures(ctxOf('ADMIN'), args)).toHaveLength(1);
  const report = await analytics.contactReport(ctxOf('ADMIN'), args);
  expect(report).toEqual(await analytics.contactReport(ctxOf('ADMIN'), { ...args, source: 'MIRROR' }));
  return report.rows.map((r) => [r.group.key, r.contacts, r.reached, r.promisesObtained]);
}

describe('contact analysis from the daily snapshots', () => {
  it('is read from the mirror before the snapshots are built', async () => {
    expect(await analytics.contactSnapshotFigures(ctxOf('ADMIN'), cases()[0]!.args)).toEqual([]);
  });

  it('gives the hand-worked figures: a promise once per group however many contacts and days obtained it', async () => {
    expect((await refresh()).mode).toBe('FULL');
    // March: K1-K4, 2 reached; Q1 (K1, K2), Q2 (K3), Q3 and Q4 (K4).
    expect(await handWorked('2026-03-01', '2026-03-31')).toEqual([[null, 4, 2, 4]]);
    // Per specialist Q1 counts for 2 (K1) and 1 (K2): 1 + 2 + 2 promises, more than the 4 in all.
    expect(await handWorked('2026-03-01', '2026-03-31', AnalyticsGroupByEnum.SPECIALIST)).toEqual([
      ['1', 1, 0, 1],
      ['2', 2, 2, 2],
      ['3', 1, 0, 2],
    ]);
    // From 03-03: Q1 by K2 only (its day 03-02 is before); Q3 by K4 and K5, once.
    expect(await handWorked('2026-03-03', '2026-04-30')).toEqual([[null, 4, 2, 4]]);
    expect(await handWorked('2026-03-03', '2026-04-30', AnalyticsGroupByEnum.SPECIALIST)).toEqual([
      ['1', 1, 0, 1],
      ['2', 1, 1, 1],
      ['3', 2, 1, 2],
    ]);
    // Specialist 2 from 03-03: K3 only, Q2 only (Q1 was theirs on 03-02, before).
    expect(await handWorked('2026-03-03', '2026-03-31', null, '2')).toEqual([[null, 1, 1, 1]]);
    // From 03-11: K5 only, Q3 (obtained before too, on 03-10).
    expect(await handWorked('2026-03-11', '2026-04-30')).toEqual([[null, 1, 1, 1]]);
    expect(await handWorked('2026-03-06', '2026-04-30', AnalyticsGroupByEnum.GROUP)).toEqual([['SH_G', 2, 1, 2]]);
  });

  it('gives the mirror figures for every grouping, period, filter and role', async () => {
    await expectSnapshotsEqualMirror();
    // The scope is really applied to the snapshot rows.
    const all = await analytics.contactReport(ctxOf('ADMIN'), cases()[0]!.args);
    const own = await analytics.contactReport(ctxOf('SPECIALIST', '1'), cases()[0]!.args);
    expect(own.rows[0]!.contacts).toBeLessThan(all.rows[0]!.contacts);
    expect(all.rows[0]!.promisesObtained).toBeGreaterThan(10);
  });

  it('a contact write marks from its date, a promise write from the first day it was obtained on; other writes mark nothing', async () => {
    await query(db, `UPDATE contacts SET contact_person = 'Someone' WHERE id = 1`);
    // (Cancelling a promise marks for the promise report's daily promises: analytics-snapshots-promises.test.ts.)
    await query(db, `UPDATE promises SET judged_status = 'KEPT', judged_at = '2026-04-01' WHERE id = 9001`);
    expect((await state()).staleFrom).toBe('infinity');
    await insertContact(101, '2026-05-20', null);
    expect((await state()).staleFrom).toBe('2026-05-20');
    await query(db, `UPDATE contacts SET contact_date = '2026-04-02' WHERE partner_id = 102 AND contact_date = '2026-04-01'`);
    expect((await state()).staleFrom).toBe('2026-04-01');
    // Q1 was obtained on 03-02 (K1) though made on 03-01; moving it to another partner marks from 03-01.
    await query(db, `UPDATE promises SET partner_id = 102 WHERE id = 9001`);
    expect((await state()).staleFrom).toBe('2026-03-01');
    // A new promise some contact already links marks from that contact's day.
    await query(db, `UPDATE contacts SET promise_ids = '{9999}' WHERE id = 2`);
    await refresh();
    const [linking] = await query(db, `SELECT contact_date::text AS d FROM contacts WHERE id = 2`);
    const partnerOf2 = (await query(db, `SELECT partner_id::int AS p FROM contacts WHERE id = 2`))[0]!.p as number;
    await insertPromise(partnerOf2, AS_OF, 9999);
    expect((await state()).staleFrom).toBe(linking!.d);
    // A rolled back write marks nothing; the stale days are read from the mirror meanwhile.
    await refresh();
    await db.dataSource
      .transaction(async (m) => {
        await m.query(`DELETE FROM contacts WHERE id = 3`);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    expect((await state()).staleFrom).toBe('infinity');
    await query(db, `DELETE FROM promises WHERE id = 9002`);
    expect((await state()).staleFrom).toBe('2026-03-05');
    expect(await analytics.contactSnapshotFigures(ctxOf('ADMIN'), cases()[0]!.args)).toEqual([]);
    expect((await refresh()).mode).toBe('INCREMENTAL');
    await expectSnapshotsEqualMirror();
  });

  it('stays equal to the mirror after random contact and promise writes and an incremental refresh', async () => {
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k < 15; k++) {
        const partner = between(1, RANDOM_PARTNERS);
        const promises = (await query(db, `SELECT id::int AS id FROM promises WHERE partner_id = $1`, [partner])).map((r) => r.id as number);
        const [contact] = await query(db, `SELECT id::int AS id FROM contacts WHERE partner_id = $1 ORDER BY random() LIMIT 1`, [partner]);
        const roll = random();
        if (roll < 0.25) await insertContact(partner, await contactDay(partner), linksFor(promises));
        else if (roll < 0.35) await insertPromise(partner, day('2026-02-01', between(0, 140)));
        else if (roll < 0.45 && contact)
          await query(db, `UPDATE contacts SET contact_date = contact_date - $2::int WHERE id = $1`, [contact.id, between(-20, 40)]);
        else if (roll < 0.55 && contact)
          await query(db, `UPDATE contacts SET promise_ids = $2 WHERE id = $1`, [contact.id, linksFor(promises)?.map(String) ?? null]);
        else if (roll < 0.62 && contact)
          await query(db, `UPDATE contacts SET author_specialist_id = $2, reached = NOT reached WHERE id = $1`, [contact.id, pick([1, 2, 3, 4, null])]);
        else if (roll < 0.7 && contact) await query(db, `DELETE FROM contacts WHERE id = $1`, [contact.id]);
        else if (roll < 0.8 && promises.length)
          await query(db, `UPDATE promises SET created_date = created_date + $2::int WHERE id = $1`, [pick(promises), between(-30, 30)]);
        else if (roll < 0.88 && promises.length)
          await query(db, `UPDATE promises SET partner_id = $2 WHERE id = $1`, [pick(promises), between(1, RANDOM_PARTNERS)]);
        else if (promises.length) await query(db, `DELETE FROM promises WHERE id = $1`, [pick(promises)]);
      }
      expect((await state()).staleFrom).not.toBe('infinity');
      expect((await refresh()).mode).toBe('INCREMENTAL');
      await expectSnapshotsEqualMirror();
    }
  });

  it('moves partners whose responsibility changed before a report reads (their contacts and promises with them)', async () => {
    const before = await state();
    await query(db, `UPDATE partners SET specialist_id = CASE WHEN specialist_id = 1 THEN NULL ELSE 1 END WHERE id IN (1, 4, 102)`);
    await query(db, `UPDATE partners SET collection_group_key = CASE WHEN collection_group_key = 'SA_G2' THEN 'SA_G1' ELSE 'SA_G2' END WHERE id IN (7, 10)`);
    await query(db, `UPDATE partners SET segment = 'SB', collection_group_key = NULL WHERE id = 13`);
    expect(await state()).toMatchObject({ responsibilityChanged: false, movedPartners: 6 });
    await expectSnapshotsEqualMirror();
    expect(await state()).toEqual({ ...before, movedPartners: 0 });
  });

  it('are rebuilt at a refresh after a TRUNCATE and after a change that can move anyone', async () => {
    await query(db, `UPDATE collection_groups SET strategy_key = 'S2' WHERE key = 'SB_G'`);
    expect((await refresh()).mode).toBe('INCREMENTAL');
    await expectSnapshotsEqualMirror();
    await query(db, `TRUNCATE promises`);
    expect((await state()).staleFrom).toBe('-infinity');
    expect((await refresh()).mode).toBe('FULL');
    await expectSnapshotsEqualMirror();
    expect(await handWorked('2026-03-01', '2026-03-31')).toEqual([[null, 4, 2, 0]]);
  });
});
