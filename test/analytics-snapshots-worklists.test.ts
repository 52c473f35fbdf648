import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analytics, refreshAnalyticsSnapshots } from '../packages/server/src/analytics';
import { createApiToken } from '../packages/server/src/auth';
import type { Database } from '../packages/server/src/db/database';
import { createRequestContext } from '../packages/server/src/graphql/context';
import type { Role } from '../packages/server/src/graphql/roles';
import { AnalyticsGroupByEnum } from '../packages/server/src/analytics/analytics.types';
import { openTestDatabase } from './support/database';
import { periodCases, type ComparisonCase } from './support/snapshot-comparison';
import { generator, insertSnapshotOrganisation } from './support/seeded';
import { insertPartners, insertSpecialist, query } from './support/worklist-fixtures';

/**
 * The worklist report from the kept figures per run (analytics_worklist_runs): over a random history
 * of several LIVE runs per segment (one in USD, some superseded, a preview and a failed run that do
 * not count) with contacts, promises, disputes and resubmissions around their key dates, the report
 * read from the kept figures equals the one read from the mirror for every grouping, filter, period,
 * reporting currency and role; after each kind of write (work in and outside the 7-day windows,
 * items completed and reassigned, partners moving, a new run, items dropped) it is never read stale
 * (the write marks the right days in its own transaction), and equal again after a refresh.
 */
const AS_OF = '2026-06-30';
const GROUPINGS = [null, AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.GROUP, AnalyticsGroupByEnum.SEGMENT, AnalyticsGroupByEnum.STRATEGY];
const SEED = Number(process.env.SNAPSHOT_SEED ?? 20_261_207);
const PARTNERS = 36;
/** Segment, key date, currency of the run's own (null: the segment's), mode and status. */
const RUNS: Array<[string, string, string | null, 'LIVE' | 'PREVIEW', 'SUCCEEDED' | 'FAILED']> = [
  ['SA', '2026-02-02', null, 'LIVE', 'SUCCEEDED'],
  ['SA', '2026-02-09', 'EUR', 'LIVE', 'SUCCEEDED'],
  ['SB', '2026-02-16', null, 'LIVE', 'SUCCEEDED'],
  ['SA', '2026-03-02', null, 'LIVE', 'SUCCEEDED'],
  ['SA', '2026-03-09', null, 'PREVIEW', 'SUCCEEDED'],
  ['SB', '2026-04-13', 'USD', 'LIVE', 'SUCCEEDED'],
  ['SA', '2026-04-20', null, 'LIVE', 'FAILED'],
  ['SA', '2026-05-04', null, 'LIVE', 'SUCCEEDED'],
  ['SB', '2026-06-01', null, 'LIVE', 'SUCCEEDED'],
];

let db: Database;
let supervisorTokenId: string;
let random: () => number;
let nextWork = 1;

const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const day = (from: string, offset: number) => new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const partnersOf = async (segment: string) => (await query(db, `SELECT id::int AS id FROM partners WHERE segment = $1`, [segment])).map((r) => r.id as number);

beforeAll(async () => {
  random = generator(SEED);
  db = await openTestDatabase();
  await insertSnapshotOrganisation(db);
  await query(db, `INSERT INTO collection_segment_company_codes (segment_key, company_code) VALUES ('SA', '1000'), ('SA', '2000'), ('SB', '2000')`);
  await query(
    db,
    `INSERT INTO fx_rates (from_currency, to_currency, rate_date, rate) VALUES ('USD', 'EUR', '2026-01-01', 0.9), ('USD', 'EUR', '2026-04-10', 0.8123),
    ('EUR', 'USD', '2026-01-01', 1.1), ('EUR', 'USD', '2026-03-01', 1.2345)`,
  );
  await insertSpecialist(db, 4, null);
  await insertPartners(
    db,
    Array.from({ length: PARTNERS }, (_, n) => {
      const segment = n % 3 === 2 ? 'SB' : 'SA';
      return { id: n + 1, segment, group: segment === 'SA' ? pick(['SA_G1', 'SA_G2', null]) : null, specialist: pick([1, 2, 3, null]) };
    }),
  );
  for (const [segment, asOf, currency, mode, status] of RUNS) await insertRun(segment, asOf, currency, mode, status);
  for (let partner = 1; partner <= PARTNERS; partner++) for (let k = between(1, 4); k > 0; k--) await insertWork(partner, day('2026-01-25', between(0, 150)));
  // Around the key dates: before, within and just after the windows.
  for (const run of await countedRuns()) {
    for (const item of await query(db, `SELECT partner_id::int AS id FROM worklist_items WHERE run_id = $1`, [run.id])) {
      if (random() < 0.6) await insertWork(item.id as number, day(run.as_of, between(-2, 8)));
    }
  }
  const created = await createApiToken(db, { name: 'sup-g2', role: 'SUPERVISOR', groups: ['SA_G2', 'SB_G'] });
  supervisorTokenId = String(created.record.id);
});

afterAll(async () => {
  await db?.close();
});

/**
 * A run as the worklist jobs write it: its row RUNNING, its items in a table of its own attached as
 * its partition (no item trigger fires), then SUCCEEDED (or FAILED) and, LIVE, the segment's live run.
 */
async function insertRun(segment: string, asOf: string, currency: string | null, mode: string, status: string): Promise<string> {
  const [run] = await query(db, `INSERT INTO worklist_runs (segment_key, as_of, mode, currency) VALUES ($1, $2, $3, $4) RETURNING id::text AS id`, [
    segment,
    asOf,
    mode,
    currency,
  ]);
  const id = run!.id as string;
  const table = `worklist_items_run_${BigInt(id)}`;
  await query(db, `CREATE TABLE ${table} (LIKE worklist_items INCLUDING DEFAULTS, CHECK (run_id = ${BigInt(id)}))`);
  for (const partner of (await partnersOf(segment)).filter(() => random() < 0.75)) {
    await query(
      db,
      `INSERT INTO ${table} (run_id, partner_id, specialist_id, specialist_origin, valuation, percent, priority, fired, amount_open, amount_overdue, amount_due,
         amount_to_be_collected, amount_promised, amount_disputed, amount_broken, amount_dunned, aging, completed_at)
       VALUES ($1, $2, $3, $4, 50, 50, $5, B'1', 0, 0, 0, $6, 0, 0, 0, 0, '{}', $7)`,
      [
        id,
        partner,
        pick([1, 2, 3, 4, null]),
        pick(['FIXED', 'GROUP', 'TEMPORARY', null]),
        between(1, 3),
        (between(1, 900_000) / 1000).toFixed(4),
        random() < 0.3 ? `${asOf}T12:00:00Z` : null,
      ],
    );
  }
  await db.dataSource.transaction(async (m) => {
    await m.query(`ALTER TABLE worklist_items ATTACH PARTITION ${table} FOR VALUES IN (${BigInt(id)})`);
    await m.query(`UPDATE worklist_runs SET status = $2, finished_at = now() WHERE id = $1`, [id, status]);
    if (mode === 'LIVE' && status === 'SUCCEEDED') await m.query(`UPDATE collection_segments SET live_run_id = $1 WHERE key = $2`, [id, segment]);
  });
  return id;
}

/** One piece of work of a random kind on `date`. */
async function insertWork(partner: number, date: string, kind = pick(['contact', 'contact', 'promise', 'dispute', 'resubmission'] as const)): Promise<void> {
  const n = nextWork++;
  if (kind === 'contact')
    await query(
      db,
      `INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached) VALUES ($1, $2, $3, 'PHONE', 'OUTBOUND', true)`,
      [`K${n}`, partner, date],
    );
  else if (kind === 'promise')
    await query(db, `INSERT INTO promises (external_id, partner_id, created_date, promised_date, amount, currency) VALUES ($1, $2, $3, $4, 100, 'EUR')`, [
      `Q${n}`,
      partner,
      date,
      day(date, 14),
    ]);
  else if (kind === 'dispute')
    await query(db, `INSERT INTO disputes (external_id, partner_id, created_date, disputed_amount, currency, status) VALUES ($1, $2, $3, 50, 'EUR', 'OPEN')`, [
      `D${n}`,
      partner,
      date,
    ]);
  else
    await query(db, `INSERT INTO resubmissions (partner_id, resubmission_date, reason, created_at) VALUES ($1, $2, 'call back', $3)`, [
      partner,
      day(date, 10),
      `${date}T${pick(['00:30', '12:00', '23:30'])}:00Z`,
    ]);
}

function ctxOf(role: Role, specialistId: string | null = null) {
  const tokenId = role === 'SUPERVISOR' ? supervisorTokenId : '0';
  return createRequestContext(db, { tokenId, name: 'test', role, specialistId });
}

type Args = Parameters<typeof analytics.worklistReport>[1];

/** Every combination the comparison covers: groupings, periods, filters, reporting currencies, roles. */
function cases(): Array<ComparisonCase<Args>> {
  const periods = [
    { from: '2026-01-01', to: AS_OF },
    { from: '2026-02-09', to: '2026-04-13' },
    { from: '2026-03-02', to: '2026-03-02' },
    { from: '2025-10-01', to: '2026-02-28' },
  ];
  return periodCases<Args>({
    periods,
    groupings: GROUPINGS,
    filterPeriod: periods[0]!,
    filters: [
      { segment: 'SA' },
      { group: 'SA_G1' },
      { group: 'SB_G' },
      { strategy: 'S1' },
      { specialist: '2' },
      { specialist: '4' },
      { companyCode: '2000' },
      { companyCode: '1000' },
      { currency: 'USD' },
    ],
    filterGroupings: [null, AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.GROUP],
    roleGroupings: [null, AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.SEGMENT],
  });
}

/**
 * For each case: the report from the kept figures equals the mirror's. `required`: they must be
 * read (else only where the snapshots say they cover it, as right after a write). Returns how many
 * cases read them.
 */
async function expectKeptEqualMirror(required: boolean): Promise<number> {
  let kept = 0;
  for (const c of cases()) {
    const ctx = ctxOf(c.role, c.specialistId);
    const used = (await analytics.worklistSnapshotFigures(ctx, c.args)).length === 1;
    if (required) expect(used, c.label).toBe(true);
    const fromMirror = await analytics.worklistReport(ctx, { ...c.args, source: 'MIRROR' });
    if (used) {
      kept++;
      expect(await analytics.worklistReport(ctx, c.args), c.label).toEqual(fromMirror);
    }
  }
  return kept;
}

const state = () => analytics.snapshotState(db);
const refresh = () => refreshAnalyticsSnapshots(db, { to: AS_OF });
const countedRuns = async () =>
  (await query(
    db,
    `SELECT id::text AS id, segment_key, as_of::text AS as_of FROM worklist_runs WHERE mode = 'LIVE' AND status = 'SUCCEEDED' AND items_dropped_at IS NULL ORDER BY as_of`,
  )) as Array<{
    id: string;
    segment_key: string;
    as_of: string;
  }>;

/**
 * After a write: never read stale before the refresh (and the kept figures marked from
 * `staleFrom`, if given), and equal (and read) after it.
 */
async function afterWrite(staleFrom?: string): Promise<void> {
  await expectKeptEqualMirror(false);
  if (staleFrom !== undefined) expect((await state()).worklistsStaleFrom).toBe(staleFrom);
  await refresh();
  await expectKeptEqualMirror(true);
}

describe('worklist report from the kept figures per run', () => {
  it('is read from the mirror before the snapshots are built', async () => {
    expect(await analytics.worklistSnapshotFigures(ctxOf('ADMIN'), cases()[0]!.args)).toEqual([]);
  });

  it('gives the mirror figures for every grouping, period, filter, currency and role', async () => {
    expect((await refresh()).mode).toBe('FULL');
    await expectKeptEqualMirror(true);
    // Something to compare: several runs, work within the windows, the scope really applied to the kept rows.
    const all = await analytics.worklistReport(ctxOf('ADMIN'), cases()[0]!.args);
    expect(all.rows.length).toBe(7);
    expect(all.rows.some((r) => r.within[2]!.worked > r.within[0]!.worked && r.within[0]!.worked > 0)).toBe(true);
    expect(all.rows.every((r) => r.within.every((w) => w.contacted + w.promised + w.disputed + w.resubmitted >= w.worked))).toBe(true);
    const own = await analytics.worklistReport(ctxOf('SPECIALIST', '1'), cases()[0]!.args);
    expect(own.rows.reduce((n, r) => n + r.partners, 0)).toBeLessThan(all.rows.reduce((n, r) => n + r.partners, 0));
    // A period ending today is covered once its runs are (the last run is keyed before the last built day).
    expect(await analytics.worklistSnapshotFigures(ctxOf('ADMIN'), { filter: { from: '2026-05-01', to: '2026-12-31', currency: 'EUR' } })).toHaveLength(1);
  });

  it('work marks the kept figures of the runs keyed up to 6 days before its date; work outside every window changes nothing read', async () => {
    const [run] = (await countedRuns()).filter((r) => r.as_of === '2026-03-02');
    // A partner of the run not worked within its window: each write below changes the run's figures.
    const [worked] = await query(
      db,
      `SELECT w.partner_id::int AS id FROM worklist_items w WHERE w.run_id = $1
          AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.partner_id = w.partner_id AND c.contact_date BETWEEN '2026-03-02' AND '2026-03-08')
          AND NOT EXISTS (SELECT 1 FROM promises q WHERE q.partner_id = w.partner_id AND q.created_date BETWEEN '2026-03-02' AND '2026-03-08')
          AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.partner_id = w.partner_id AND d.created_date BETWEEN '2026-03-02' AND '2026-03-08')
          AND NOT EXISTS (SELECT 1 FROM resubmissions r WHERE r.partner_id = w.partner_id AND r.created_at::date BETWEEN '2026-03-02' AND '2026-03-08')
        ORDER BY 1 LIMIT 1`,
      [run!.id],
    );
    const partner = worked!.id as number;
    const figures = async () =>
      (await analytics.worklistReport(ctxOf('ADMIN'), { filter: { from: '2026-03-02', to: '2026-03-02', currency: 'EUR' }, source: 'MIRROR' })).rows;
    for (const kind of ['contact', 'promise', 'dispute', 'resubmission'] as const) {
      const before = await figures();
      await insertWork(partner, '2026-03-08', kind);
      expect(await figures(), kind).not.toEqual(before);
      // The other aggregates are marked as they were (a contact, promise or dispute from its day).
      expect((await state()).staleFrom, kind).toBe(kind === 'resubmission' ? 'infinity' : '2026-03-08');
      await afterWrite(kind === 'resubmission' ? '2026-03-01' : '2026-03-02');
    }
    // Day 8 after the key date: outside the window (the run stays as it was; the marks are from 03-04).
    await insertWork(partner, '2026-03-10', 'contact');
    await afterWrite('2026-03-04');
    // Moved to another day and removed.
    await query(db, `UPDATE contacts SET contact_date = '2026-02-03' WHERE id = (SELECT max(id) FROM contacts WHERE partner_id = $1)`, [partner]);
    await afterWrite('2026-01-28');
    await query(db, `DELETE FROM promises WHERE partner_id = $1 AND created_date = '2026-03-08'`, [partner]);
    await afterWrite('2026-03-02');
  });

  it('an item completed or reassigned marks from its run’s key date', async () => {
    const [run] = (await countedRuns()).filter((r) => r.as_of === '2026-02-09');
    await query(
      db,
      `UPDATE worklist_items SET completed_at = coalesce(completed_at, now()) WHERE run_id = $1 AND partner_id IN (SELECT partner_id FROM worklist_items WHERE run_id = $1 AND completed_at IS NULL LIMIT 2)`,
      [run!.id],
    );
    await afterWrite('2026-02-09');
    const [live] = (await countedRuns()).filter((r) => r.as_of === '2026-05-04');
    await query(db, `UPDATE worklist_items SET specialist_id = 4, specialist_origin = 'TEMPORARY' WHERE run_id = $1 AND specialist_id = 1`, [live!.id]);
    await afterWrite('2026-05-04');
    // Other columns (the valuation) mark nothing.
    await query(db, `UPDATE worklist_items SET valuation = valuation + 1 WHERE run_id = $1`, [live!.id]);
    expect(await state()).toMatchObject({ staleFrom: 'infinity', worklistsStaleFrom: 'infinity' });
  });

  it('moves partners whose group or specialist changed before a report reads', async () => {
    const before = await state();
    await query(db, `UPDATE partners SET collection_group_key = CASE WHEN collection_group_key = 'SA_G2' THEN 'SA_G1' ELSE 'SA_G2' END WHERE id IN (1, 4, 7)`);
    await query(db, `UPDATE partners SET segment = 'SB', collection_group_key = NULL WHERE id = 10`);
    await query(db, `UPDATE partners SET specialist_id = 4 WHERE id IN (2, 5)`);
    expect(await state()).toMatchObject({ responsibilityChanged: false, movedPartners: 6 });
    expect(await expectKeptEqualMirror(true)).toBe(cases().length);
    expect(await state()).toEqual({ ...before, movedPartners: 0 });
  });

  it('a new LIVE run marks from its key date; a preview or failed run marks nothing', async () => {
    await insertRun('SA', '2026-06-08', null, 'PREVIEW', 'SUCCEEDED');
    await insertRun('SA', '2026-06-08', null, 'LIVE', 'FAILED');
    expect(await state()).toMatchObject({ staleFrom: 'infinity', worklistsStaleFrom: 'infinity' });
    await insertRun('SA', '2026-06-15', null, 'LIVE', 'SUCCEEDED');
    expect((await state()).worklistsStaleFrom).toBe('2026-06-15');
    await insertWork(1, '2026-06-16', 'contact');
    await afterWrite();
    expect((await analytics.worklistReport(ctxOf('ADMIN'), cases()[0]!.args)).rows).toHaveLength(8);
  });

  it('a run’s items dropped mark from its key date', async () => {
    const [superseded] = (await countedRuns()).filter((r) => r.as_of === '2026-02-02');
    await db.dataSource.transaction(async (m) => {
      await m.query(`DROP TABLE IF EXISTS worklist_items_run_${BigInt(superseded!.id)}`);
      await m.query(`UPDATE worklist_runs SET items_dropped_at = now(), document = NULL WHERE id = $1`, [superseded!.id]);
    });
    await afterWrite('2026-02-02');
    expect((await analytics.worklistReport(ctxOf('ADMIN'), cases()[0]!.args)).rows).toHaveLength(7);
  });

  it('stays equal to the mirror after random writes of every kind and an incremental refresh', async () => {
    for (let round = 0; round < 2; round++) {
      const runs = await countedRuns();
      for (let k = 0; k < 12; k++) {
        const run = pick(runs);
        // Drawn by the seeded generator (ORDER BY random() would not replay from the seed).
        const items = await query(db, `SELECT partner_id::int AS id FROM worklist_items WHERE run_id = $1 ORDER BY partner_id`, [run.id]);
        const partner = items.length ? (pick(items).id as number) : between(1, PARTNERS);
        const roll = random();
        if (roll < 0.5) await insertWork(partner, day(run.as_of, between(-3, 9)));
        else if (roll < 0.6) await query(db, `UPDATE contacts SET contact_date = contact_date + $2::int WHERE partner_id = $1`, [partner, between(-5, 5)]);
        else if (roll < 0.7)
          await query(db, `UPDATE worklist_items SET completed_at = CASE WHEN completed_at IS NULL THEN now() END WHERE run_id = $1 AND partner_id = $2`, [
            run.id,
            partner,
          ]);
        else if (roll < 0.8)
          await query(
            db,
            `UPDATE worklist_items SET specialist_id = $3, specialist_origin = 'TEMPORARY', priority = $4 WHERE run_id = $1 AND partner_id = $2`,
            [run.id, partner, pick([1, 2, 3, 4]), between(1, 3)],
          );
        else if (roll < 0.9) await query(db, `UPDATE partners SET specialist_id = $2 WHERE id = $1`, [partner, pick([1, 2, 3, null])]);
        else await query(db, `DELETE FROM disputes WHERE partner_id = $1`, [partner]);
      }
      await expectKeptEqualMirror(false);
      expect((await refresh()).mode).toBe('INCREMENTAL');
      await expectKeptEqualMirror(true);
    }
  });

  it('are rebuilt at a refresh after a TRUNCATE', async () => {
    await query(db, `TRUNCATE resubmissions`);
    expect((await state()).staleFrom).toBe('-infinity');
    expect((await refresh()).mode).toBe('FULL');
    await expectKeptEqualMirror(true);
  });
});
