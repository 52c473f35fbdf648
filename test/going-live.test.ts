/**
 * Acceptance (issue 16): a company goes live on its own data. On a fresh database: a generated AR
 * with several company codes and currencies plus organisation CSVs (3 segments, 4 groups, 12
 * specialists of whom 2 are absent on the key date with substitutes, 1% of the partners with a
 * fixed specialist), a strategy created and activated over GraphQL, the worklists generated as
 * `pnpm recoup worklist generate --as-of DATE` does; then the assignment invariants. The org
 * export of that database, imported with the same AR into an empty one, gives the same worklist
 * and exports to the same bytes. The committed sample (samples/going-live) goes the README's way.
 */
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../packages/server/src/app';
import type { Database } from '../packages/server/src/db/database';
import { directorySources, importAr } from '../packages/server/src/import/ar-import.service';
import { exportOrganisation } from '../packages/server/src/import/org-export';
import { writeDemoArCsv } from '../packages/server/src/seed/seed.service';
import { runWorklists } from '../packages/server/src/worklists';
import { goingLiveOrganisation } from '../scripts/going-live-org';
import { createTestToken, gql } from './support/api';
import { openTestDatabase } from './support/database';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = path.join(repo, 'samples/going-live');
const AS_OF = '2026-11-23';
const PARTNERS = 3000;
const kind = process.env.DATABASE_URL ? 'postgres' : 'embedded';

/** A fresh database with the API on it and an ADMIN token. */
interface Site {
  db: Database;
  app: RunningApp;
  admin: string;
}

async function openSite(): Promise<Site> {
  const db = await openTestDatabase();
  const app = await startApp(db, 0, { production: true, studioDir: '/nonexistent' });
  return { db, app, admin: await createTestToken(db, 'ADMIN') };
}

async function closeSite(site: Site | undefined): Promise<void> {
  await site?.app.close();
  await site?.db.close();
}

/** Creates the sample's strategy with the README's request body, then activates it, over GraphQL. */
async function createAndActivateStrategy(site: Site): Promise<void> {
  const body = JSON.parse(await readFile(path.join(SAMPLE, 'create-strategy.json'), 'utf8'));
  const created = await gql(site.app.url, body.query, body.variables, site.admin);
  expect(created.errors).toBeUndefined();
  expect(created.data.createStrategy).toMatchObject({ version: 1, status: 'DRAFT', strategy: { key: 'GOING_LIVE' } });
  const activated = await gql(
    site.app.url,
    'mutation($id: ID!) { activateStrategyVersion(versionId: $id) { version { status } } }',
    { id: created.data.createStrategy.id },
    site.admin,
  );
  expect(activated.errors).toBeUndefined();
  expect(activated.data.activateStrategyVersion.version.status).toBe('ACTIVE');
}

/** What `pnpm recoup worklist generate --as-of AS_OF` runs: every segment, live. */
const generate = (db: Database) => runWorklists(db, { asOf: AS_OF, mode: 'LIVE' });

interface LiveItem {
  partner: string;
  segment: string;
  /** The partner's group: its own, else its segment's only active group. */
  group: string | null;
  fixed: string | null;
  specialist: string | null;
  origin: string | null;
  priority: number;
  valuation: number;
  percent: string;
}

/** Every item of the segments' live runs, by natural keys (user names, external ids). */
async function liveItems(db: Database): Promise<LiveItem[]> {
  return db.dataSource.query(
    `SELECT p.external_id AS partner, p.segment,
            coalesce(p.collection_group_key, (SELECT min(g.key) FROM collection_groups g WHERE g.segment_key = p.segment AND g.active HAVING count(*) = 1)) AS "group",
            f.user_name AS fixed, s.user_name AS specialist, w.specialist_origin AS origin, w.priority, w.valuation, w.percent::text AS percent
       FROM collection_segments seg
       JOIN worklist_items w ON w.run_id = seg.live_run_id
       JOIN partners p ON p.id = w.partner_id
       LEFT JOIN specialists s ON s.id = w.specialist_id
       LEFT JOIN specialists f ON f.id = p.specialist_id
      ORDER BY p.external_id`,
  );
}

interface Org {
  /** user name -> group, active */
  specialists: Map<string, { group: string | null; active: boolean }>;
  /** user name of a specialist absent on the key date -> their substitute (null: none) */
  absent: Map<string, string | null>;
}

async function orgOf(db: Database): Promise<Org> {
  const specialists: Array<{ user_name: string; group_key: string | null; active: boolean }> = await db.dataSource.query(
    `SELECT user_name, group_key, active FROM specialists`,
  );
  const absent: Array<{ user_name: string; substitute: string | null }> = await db.dataSource.query(
    `SELECT s.user_name, sub.user_name AS substitute FROM specialist_absences a
       JOIN specialists s ON s.id = a.specialist_id LEFT JOIN specialists sub ON sub.id = a.substitute_id
      WHERE $1::date BETWEEN a.starts_on AND a.ends_on`,
    [AS_OF],
  );
  return {
    specialists: new Map(specialists.map((s) => [s.user_name, { group: s.group_key, active: s.active }])),
    absent: new Map(absent.map((a) => [a.user_name, a.substitute])),
  };
}

/** How many partners each checked rule saw (so a test can tell the invariants were exercised). */
interface Checked {
  items: number;
  fixedPresent: number;
  fixedAbsent: number;
  dealt: number;
  bands: number;
}

/**
 * The assignment invariants (DESIGN.md "Organisation files" and the deal in worklist-run.sql.ts):
 * every item's specialist is an active member of the partner's group; a fixed specialist gets
 * their partners unless absent on the key date, then their substitute does; no absent specialist
 * gets anything; among the dealt partners, counts per seat differ by at most one per band within
 * a group, where a group's seats are its active members, not absent or absent with a substitute
 * (who serves the absent one's seat).
 */
function checkAssignments(items: LiveItem[], org: Org): Checked {
  const member = (user: string | null) => (user === null ? undefined : org.specialists.get(user));
  const checked: Checked = { items: items.length, fixedPresent: 0, fixedAbsent: 0, dealt: 0, bands: 0 };
  for (const item of items) {
    expect(item.specialist, item.partner).not.toBeNull();
    expect(member(item.specialist), item.partner).toEqual({ group: item.group, active: true });
    expect(org.absent.has(item.specialist!), `${item.partner} went to absent ${item.specialist}`).toBe(false);
    if (item.fixed === null) continue;
    if (org.absent.has(item.fixed)) {
      expect([item.partner, item.specialist, item.origin]).toEqual([item.partner, org.absent.get(item.fixed), 'SUBSTITUTE']);
      checked.fixedAbsent++;
    } else {
      expect([item.partner, item.specialist, item.origin]).toEqual([item.partner, item.fixed, 'FIXED']);
      checked.fixedPresent++;
    }
  }
  const seatOf = seatsOfSubstitutes(org);
  const counts = new Map<string, Map<string, number>>();
  for (const item of items.filter((i) => i.fixed === null)) {
    expect(['STANDARD', 'SUBSTITUTE'], item.partner).toContain(item.origin);
    const seat = item.origin === 'SUBSTITUTE' ? seatOf.get(item.specialist!)! : item.specialist!;
    const band = `${item.group} priority ${item.priority}`;
    const seats = counts.get(band) ?? new Map(groupSeats(org, item.group!).map((s) => [s, 0]));
    expect(seats.has(seat), `${item.partner}: ${seat} is no seat of ${item.group}`).toBe(true);
    seats.set(seat, seats.get(seat)! + 1);
    counts.set(band, seats);
    checked.dealt++;
  }
  for (const [band, seats] of counts) {
    const n = [...seats.values()];
    expect(Math.max(...n) - Math.min(...n), `${band}: ${JSON.stringify(Object.fromEntries(seats))}`).toBeLessThanOrEqual(1);
  }
  checked.bands = counts.size;
  return checked;
}

/** A group's seats: its active members, unless absent without a substitute. */
const groupSeats = (org: Org, group: string): string[] =>
  [...org.specialists].filter(([user, s]) => s.group === group && s.active && (!org.absent.has(user) || org.absent.get(user) !== null)).map(([user]) => user);

/** substitute -> the absent specialist whose seat they serve (each substitute stands in for one here). */
function seatsOfSubstitutes(org: Org): Map<string, string> {
  const seats = new Map<string, string>();
  for (const [absent, substitute] of org.absent) {
    if (substitute === null) continue;
    expect(seats.has(substitute), `${substitute} stands in for two`).toBe(false);
    seats.set(substitute, absent);
  }
  return seats;
}

const readDir = async (dir: string): Promise<Record<string, string>> =>
  Object.fromEntries(await Promise.all((await readdir(dir)).sort().map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as const)));

describe(`going live on a company's own data (${kind})`, () => {
  let first: Site;
  let second: Site | undefined;
  let arDir: string;
  let importDir: string;

  beforeAll(async () => {
    arDir = await mkdtemp(path.join(tmpdir(), 'recoup-going-live-ar-'));
    await writeDemoArCsv(arDir, { partners: PARTNERS, seed: 7, asOf: AS_OF });
    importDir = await mkdtemp(path.join(tmpdir(), 'recoup-going-live-'));
    for (const file of await readdir(arDir)) await copyFile(path.join(arDir, file), path.join(importDir, file));
    const ar = { partners: await readFile(path.join(arDir, 'partners.csv'), 'utf8'), openItems: await readFile(path.join(arDir, 'open_items.csv'), 'utf8') };
    for (const [file, text] of Object.entries(await goingLiveOrganisation(ar, { asOf: AS_OF, strategy: 'GOING_LIVE' }))) {
      await writeFile(path.join(importDir, file), text);
    }
    first = await openSite();
  }, 120_000);
  afterAll(async () => {
    await closeSite(first);
    await closeSite(second);
  });

  let firstItems: LiveItem[];

  it('imports the AR and the organisation, activates a strategy over GraphQL and generates assigned worklists', async () => {
    await createAndActivateStrategy(first);
    const result = await importAr(first.db, directorySources(importDir));
    const rows = Object.fromEntries(result.tables.map((t) => [t.table, t.inserted]));
    expect(rows).toMatchObject({ company_codes: 11, collection_segments: 3, collection_groups: 4, specialists: 12, partners: PARTNERS });
    const [org] = await first.db.dataSource.query(
      `SELECT (SELECT count(DISTINCT currency)::int FROM open_items) AS currencies,
              (SELECT count(DISTINCT company_code)::int FROM open_items) AS company_codes,
              (SELECT count(*)::int FROM specialist_absences WHERE $1::date BETWEEN starts_on AND ends_on AND substitute_id IS NOT NULL) AS absent,
              (SELECT count(*)::int FROM partners WHERE specialist_id IS NOT NULL) AS fixed`,
      [AS_OF],
    );
    expect(org.currencies).toBeGreaterThan(3);
    expect(org.company_codes).toBe(11);
    expect(org.absent).toBe(2);
    expect(org.fixed / PARTNERS).toBeCloseTo(0.01, 2);

    const runs = await generate(first.db);
    expect(runs.map((r) => r.segment).sort()).toEqual(['BUSINESS', 'CONSUMER', 'WHOLESALE']);
    firstItems = await liveItems(first.db);
    const checked = checkAssignments(firstItems, await orgOf(first.db));
    expect(checked.items).toBe(runs.reduce((n, r) => n + r.partnersOnList, 0));
    expect(checked.items).toBeGreaterThan(PARTNERS / 2);
    expect(checked.fixedPresent).toBeGreaterThan(10);
    expect(checked.fixedAbsent).toBeGreaterThan(0);
    expect(checked.bands).toBeGreaterThanOrEqual(4 * 2);
    // Every seat of every group has work, the two absent ones' through their substitutes.
    expect(new Set(firstItems.map((i) => i.specialist)).size).toBe(10);
    expect(new Set(firstItems.filter((i) => i.origin === 'SUBSTITUTE' && i.fixed === null).map((i) => i.specialist)).size).toBe(2);
  }, 300_000);

  it('exports the organisation; imported with the same AR into an empty database it gives the same worklist and the same files', async () => {
    expect(firstItems).toBeDefined();
    const exported = await mkdtemp(path.join(tmpdir(), 'recoup-going-live-export-'));
    const files = await exportOrganisation(first.db, exported);
    expect(files.map((f) => f.rows)).toEqual([11, 3, 2, 4, 12, 4, 0, PARTNERS]); // agencies.csv: none

    // The exported partners.csv (AR columns and assignments) stands in for the AR's own.
    const again = await mkdtemp(path.join(tmpdir(), 'recoup-going-live-again-'));
    for (const file of await readdir(arDir)) if (file !== 'partners.csv') await copyFile(path.join(arDir, file), path.join(again, file));
    for (const file of await readdir(exported)) await copyFile(path.join(exported, file), path.join(again, file));
    second = await openSite();
    await createAndActivateStrategy(second);
    await importAr(second.db, directorySources(again));
    await generate(second.db);
    const secondItems = await liveItems(second.db);
    expect(secondItems.length).toBe(firstItems.length);
    expect(secondItems).toEqual(firstItems);

    const reexported = await mkdtemp(path.join(tmpdir(), 'recoup-going-live-export-'));
    await exportOrganisation(second.db, reexported);
    expect(await readDir(reexported)).toEqual(await readDir(exported));
  }, 300_000);
});

describe(`the going-live sample, the README's way (${kind})`, () => {
  let site: Site;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(() => closeSite(site));

  it('imports samples/going-live after the strategy exists and generates assigned worklists', async () => {
    await createAndActivateStrategy(site);
    const result = await importAr(site.db, directorySources(SAMPLE));
    expect(result.tables.map((t) => t.file)).toEqual([
      'company_codes.csv',
      'collection_segments.csv',
      'collection_profiles.csv',
      'collection_groups.csv',
      'specialists.csv',
      'specialist_absences.csv',
      'partners.csv',
      'open_items.csv',
      'payments.csv',
      'promises.csv',
      'disputes.csv',
      'contacts.csv',
      'fx_rates.csv',
    ]);
    expect(result.tables.every((t) => t.inserted === t.rows)).toBe(true);
    await generate(site.db);
    const items = await liveItems(site.db);
    const checked = checkAssignments(items, await orgOf(site.db));
    expect(checked.items).toBeGreaterThan(100);
    expect(checked.fixedPresent + checked.fixedAbsent).toBeGreaterThan(0);
    expect(new Set(items.map((i) => i.specialist)).size).toBeGreaterThanOrEqual(8);
  }, 120_000);
});
