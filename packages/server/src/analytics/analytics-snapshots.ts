/**
 * Daily analytics snapshots (migration AnalyticsSnapshots): the receivables at the end of each
 * built day and the daily sales and item payments, by company code, profit centre, segment,
 * group, strategy, specialist and currency, exact. `refreshAnalyticsSnapshots` builds and keeps
 * them current (the nightly cycle and `pnpm recoup analytics snapshot` call it); the AR writes
 * mark what they make stale in their own transaction (triggers); `snapshotCoverage` tells a report
 * whether the days it needs can be read from them.
 */
import type { EntityManager } from 'typeorm';
import type { Database } from '../db/database';
import { rootLogger } from '../observability';
import { AnalyticsInputError } from './analytics.errors';
import { addDays } from './analytics.days';
import { Params, responsibilityCte } from './analytics.sql';
import { refreshPaymentCredits, type CreditRefresh } from './analytics-payment-credits';
import { DAILY_AGGREGATES } from './analytics-snapshot-aggregates';
import { EVERYONE, respSource, type RespSource } from './analytics-snapshot-sql';

/** Days overdue and days since the document are kept exactly up to these; beyond, they are equal for every report that reads them. */
export const SNAPSHOT_MAX_OVERDUE = 122;
export const SNAPSHOT_MAX_DOCUMENTED = 32;
/** Ageing limits a snapshot serves: the largest plus the longest gap between boundaries (31) must stay below SNAPSHOT_MAX_OVERDUE. */
export const SNAPSHOT_MAX_AGEING_LIMIT = SNAPSHOT_MAX_OVERDUE - 32;
/**
 * The days positions are kept for: every month end and every Sunday (the boundaries of monthly and
 * weekly reports) and each of the RECENT_POSITION_DAYS days up to the last built one (a report
 * ending on a recent day). Other days are read from the mirror. Flows are kept for every day.
 */
export const RECENT_POSITION_DAYS = 35;
/** The tables kept for the position days (insertPositions fills both): the open amounts and the partners with open items. */
const POSITION_TABLES = ['analytics_daily_positions', 'analytics_daily_partners'];
/** Moving more partners' responsibility than this share of the partners rebuilds everything instead. */
const MOVE_SHARE = 0.2;
/** At most this many partners noted as moved are moved before a report reads; more wait for the refresh (the report reads the mirror). */
export const MOVE_ON_READ = 1000;
/** A default backfill: the 13 months before the last day (12 months of boundaries plus the one before). */
const DEFAULT_MONTHS = 13;

export interface SnapshotState {
  builtFrom: string | null;
  builtTo: string | null;
  staleFrom: string;
  /** The kept worklist figures' own: stale from the earlier of this and staleFrom (migration AnalyticsWorklistRuns). */
  worklistsStaleFrom: string;
  responsibilityChanged: boolean;
  /** Partners noted as moved and not yet moved (counted up to MOVE_ON_READ + 1). */
  movedPartners: number;
}

export interface SnapshotRefresh {
  from: string;
  to: string;
  /** FULL: everything rebuilt; INCREMENTAL: stale and new days rebuilt, moved partners moved; NONE: already current. */
  mode: 'FULL' | 'INCREMENTAL' | 'NONE';
  /** Days (re)built: flows for each, positions for those of them that are position days. */
  days: number;
  /** Of those, the days whose positions were (re)built (isPositionDay). */
  positionDays: number;
  /** Partners whose responsibility moved between dimensions. */
  movedPartners: number;
  /** The commission credits (analytics-payment-credits.ts): built, noted partners recomputed, or nothing to do. */
  credits: CreditRefresh;
  ms: number;
}

export async function snapshotState(db: Database | EntityManager): Promise<SnapshotState> {
  // A Database has a kind; an EntityManager (a transaction's) queries in its transaction.
  const q = 'kind' in db ? db.dataSource : db;
  const [row] = await q.query(`SELECT built_from::text AS built_from, built_to::text AS built_to, stale_from::text AS stale_from,
      worklists_stale_from::text AS worklists_stale_from, responsibility_changed, (SELECT count(DISTINCT partner_id) FROM (SELECT partner_id FROM analytics_snapshot_moved LIMIT ${MOVE_ON_READ + 1}) x)::int AS moved
      FROM analytics_snapshot_state WHERE id = 1`);
  return {
    builtFrom: row.built_from,
    builtTo: row.built_to,
    staleFrom: row.stale_from,
    worklistsStaleFrom: row.worklists_stale_from,
    responsibilityChanged: row.responsibility_changed,
    movedPartners: row.moved,
  };
}

/**
 * Whether the days `from`..`to` can be read from the snapshots: built, not stale, and nobody's
 * responsibility moved since. `positions`: the positions must exist for the days (flows exist for
 * every day up to the last built).
 */
export function covers(state: SnapshotState, from: string, to: string, positions: boolean): boolean {
  if (state.builtTo === null || state.builtFrom === null || state.responsibilityChanged || state.movedPartners > 0) return false;
  if (to > state.builtTo || !isBefore(to, state.staleFrom)) return false;
  return !positions || from >= state.builtFrom;
}

/** Whether positions are kept for `day` while the snapshots are built up to `builtTo`. */
export function isPositionDay(day: string, builtTo: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  const monthEnd = new Date(d.getTime() + 86_400_000).getUTCDate() === 1;
  return monthEnd || d.getUTCDay() === 0 || (day <= builtTo && day > addDays(builtTo, -RECENT_POSITION_DAYS));
}

/** The position days from `from` to `to` (see isPositionDay), ascending. */
export function positionDays(from: string, to: string, builtTo: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) if (isPositionDay(day, builtTo)) days.push(day);
  return days;
}

/** Whether the snapshots hold positions for every one of `days` (a report's boundaries). */
export function holdsPositions(state: SnapshotState, days: string[]): boolean {
  return state.builtTo !== null && days.every((day) => isPositionDay(day, state.builtTo!));
}

/** The state as the kept worklist figures are read: stale from the earlier of both days. */
export function worklistsState(state: SnapshotState): SnapshotState {
  return { ...state, staleFrom: earlierStale(state.staleFrom, state.worklistsStaleFrom) };
}

/** The earlier of two stale days ('infinity': none, '-infinity': all). */
function earlierStale(a: string, b: string): string {
  if (a === '-infinity' || b === '-infinity') return '-infinity';
  if (a === 'infinity') return b;
  if (b === 'infinity') return a;
  return minDay(a, b);
}

function isBefore(day: string, staleFrom: string): boolean {
  if (staleFrom === 'infinity') return true;
  if (staleFrom === '-infinity') return false;
  return day < staleFrom;
}

/**
 * Builds or brings the snapshots current up to `to` (default today, UTC), from `from` (default:
 * the days already built, else 13 months before `to`), in one transaction that holds the state row:
 * AR writers committing meanwhile wait for it and then mark what they changed.
 *  - nothing built, an earlier `from`, or everything stale: a full rebuild;
 *  - else the partners whose responsibility moved are moved between dimensions on the days still
 *    current (their contributions recomputed from the mirror, which for those days is what the
 *    snapshots hold), and the days from the first stale one to `to` are rebuilt.
 * The function the nightly cycle calls (analytics/index.ts).
 */
export async function refreshAnalyticsSnapshots(db: Database, options: { from?: string; to?: string; full?: boolean } = {}): Promise<SnapshotRefresh> {
  const started = performance.now();
  const to = options.to ?? new Date().toISOString().slice(0, 10);
  checkDay(to, 'to');
  if (options.from !== undefined) checkDay(options.from, 'from');
  const result = await db.dataSource.transaction(async (m) => {
    if (db.kind === 'postgres') await m.query(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`);
    await m.query(`SELECT 1 FROM analytics_snapshot_state WHERE id = 1 FOR UPDATE`);
    const state = await snapshotState(m);
    const noted = await notedMoves(m);
    const from = options.from ?? state.builtFrom ?? monthsBefore(to, DEFAULT_MONTHS);
    if (from > to) throw new AnalyticsInputError('PERIOD_REVERSED', `from (${from}) is after to (${to})`, 'from');
    const full =
      options.full === true ||
      state.builtFrom === null ||
      state.builtTo === null ||
      from < state.builtFrom ||
      state.staleFrom === '-infinity' ||
      (state.staleFrom !== 'infinity' && state.staleFrom <= from);
    if (full) return { from, to, mode: 'FULL' as const, ...(await rebuildAll(m, from, to)), ...(await forget(m, noted)) };
    // Incremental: days before the first stale one are current; the rest up to the later of `to`
    // and the last built day is rebuilt (never fewer days than were built).
    const firstStale = state.staleFrom === 'infinity' ? addDays(state.builtTo!, 1) : minDay(state.staleFrom, addDays(state.builtTo!, 1));
    const end = maxDay(to, state.builtTo!);
    if (from > state.builtFrom!) for (const table of POSITION_TABLES) await m.query(`DELETE FROM ${table} WHERE day < $1`, [from]);
    let moved = 0;
    if (state.responsibilityChanged || noted.partners.length) {
      moved = await moveResponsibility(m, from, addDays(firstStale, -1), state.builtTo!, state.responsibilityChanged ? null : noted.partners);
      if (moved < 0) return { from, to: end, mode: 'FULL' as const, ...(await rebuildAll(m, from, end)), ...(await forget(m, noted)) };
    }
    await forget(m, noted);
    // The worklist figures' own stale days (before the others' or alone) are rebuilt with them.
    const ownFrom = earlierStale(firstStale, state.worklistsStaleFrom);
    const built = ownFrom <= end ? await rebuildDays(m, firstStale, maxDay(firstStale, from), end, ownFrom) : { days: 0, positionDays: 0 };
    await setBuilt(m, from, end);
    const mode = built.days === 0 && moved === 0 && ownFrom > end ? ('NONE' as const) : ('INCREMENTAL' as const);
    return { from, to: end, mode, ...built, movedPartners: moved };
  });
  const credits = await refreshPaymentCredits(db);
  const ms = performance.now() - started;
  rootLogger().info({ ...result, credits, ms: Math.round(ms) }, 'analytics snapshots refreshed');
  return { ...result, credits, ms };
}

interface NotedMoves {
  /** Distinct partners. */
  partners: string[];
  /** The notes as read: partner and transaction, row by row. */
  notes: { partnerIds: string[]; txids: string[] };
}

/** The partners noted as moved, as read now (notes written later stay for the next time). */
async function notedMoves(m: EntityManager): Promise<NotedMoves> {
  const rows: Array<{ partner_id: string; txid: string }> = await m.query(
    `SELECT partner_id::text AS partner_id, txid::text AS txid FROM analytics_snapshot_moved`,
  );
  return { partners: [...new Set(rows.map((r) => r.partner_id))], notes: { partnerIds: rows.map((r) => r.partner_id), txids: rows.map((r) => r.txid) } };
}

/** Deletes the notes read: a note of the same partner by a transaction that committed since stays. */
async function forget(m: EntityManager, noted: NotedMoves): Promise<object> {
  if (noted.notes.txids.length === 0) return {};
  await m.query(
    `DELETE FROM analytics_snapshot_moved s USING unnest($1::bigint[], $2::bigint[]) AS n(partner_id, txid) WHERE s.partner_id = n.partner_id AND s.txid = n.txid`,
    [noted.notes.partnerIds, noted.notes.txids],
  );
  return {};
}

/** The snapshots' state as a report reads them: partners noted as moved (a reassignment, a partner off the live list) are moved first. */
export async function readableSnapshotState(db: Database): Promise<SnapshotState> {
  const state = await snapshotState(db);
  if (state.movedPartners > 0 && state.movedPartners <= MOVE_ON_READ && (await moveNotedPartners(db))) return snapshotState(db);
  return state;
}

/**
 * Whether analytics_snapshot_partners holds today's responsibility of every partner (built, no
 * change that can move anyone, no partner noted as moved), after moving the noted partners (at
 * most MOVE_ON_READ) when nothing holds the snapshots. Reports then read it instead of computing it.
 */
export async function storedResponsibilityCurrent(db: Database): Promise<boolean> {
  const state = await readableSnapshotState(db);
  return state.builtTo !== null && !state.responsibilityChanged && state.movedPartners === 0;
}

/**
 * Before a report reads: moves the partners noted as moved (at most MOVE_ON_READ) on the current
 * days, if no refresh holds the snapshots. True when nothing is left to move.
 */
export async function moveNotedPartners(db: Database): Promise<boolean> {
  return db.dataSource.transaction(async (m) => {
    if (db.kind === 'postgres') await m.query(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`);
    const [locked] = await m.query(`SELECT 1 AS ok FROM analytics_snapshot_state WHERE id = 1 FOR UPDATE SKIP LOCKED`);
    if (!locked) return false;
    const state = await snapshotState(m);
    if (state.builtFrom === null || state.builtTo === null || state.responsibilityChanged || state.staleFrom === '-infinity') return false;
    const noted = await notedMoves(m);
    if (noted.partners.length === 0) return true;
    if (noted.partners.length > MOVE_ON_READ) return false;
    const lastCurrent = state.staleFrom === 'infinity' || state.staleFrom > state.builtTo ? state.builtTo : addDays(state.staleFrom, -1);
    if ((await moveResponsibility(m, state.builtFrom, lastCurrent, state.builtTo, noted.partners)) < 0) return false;
    await forget(m, noted);
    return true;
  });
}

async function rebuildAll(m: EntityManager, from: string, to: string): Promise<{ days: number; positionDays: number; movedPartners: number }> {
  for (const table of POSITION_TABLES) await m.query(`DELETE FROM ${table}`);
  for (const aggregate of DAILY_AGGREGATES) await m.query(`DELETE FROM ${aggregate.table}`);
  await m.query(`DELETE FROM analytics_snapshot_partners`);
  await m.query(
    `INSERT INTO analytics_snapshot_partners (partner_id, segment, group_key, strategy_key, specialist_id)
     WITH ${responsibilityCte(new Params(), EVERYONE, { withSpecialist: false, companyCodeBySegment: false })}
     SELECT partner_id, segment, group_key, strategy_key, specialist_id FROM resp`,
    // responsibilityCte's parameters are all NULL for everyone.
    [null, null, null, null],
  );
  const days = positionDays(from, to, to);
  await insertPositions(m, days, null, 1, 'stored');
  for (const aggregate of DAILY_AGGREGATES) await aggregate.insert(m, null, to, null, 1, 'stored');
  await setBuilt(m, from, to);
  return { days: daysFrom(from, to), positionDays: days.length, movedPartners: 0 };
}

/**
 * Rebuilds the flows from `flowsFrom` and the positions from `positionsFrom` to `to` (the
 * responsibility as stored, `to` the new last built day); an aggregate with its own staleness from
 * `ownFrom` ('-infinity': all of it) when that is earlier. (Days after `to` are never built.)
 */
async function rebuildDays(
  m: EntityManager,
  flowsFrom: string,
  positionsFrom: string,
  to: string,
  ownFrom: string,
): Promise<{ days: number; positionDays: number }> {
  for (const table of POSITION_TABLES) await m.query(`DELETE FROM ${table} WHERE day >= $1`, [positionsFrom]);
  const days = positionDays(positionsFrom, to, to);
  await insertPositions(m, days, null, 1, 'stored');
  for (const aggregate of DAILY_AGGREGATES) {
    const start = aggregate.ownStaleness ? ownFrom : flowsFrom;
    if (start > to) continue;
    await m.query(`DELETE FROM ${aggregate.table} WHERE day >= $1`, [start]);
    await aggregate.insert(m, start === '-infinity' ? null : start, to, null, 1, 'stored');
  }
  return { days: positionsFrom <= to ? daysFrom(positionsFrom, to) : 0, positionDays: days.length };
}

/** Records the days built and drops the positions of days no longer kept (recent days the last built day moved past). */
async function setBuilt(m: EntityManager, from: string, to: string): Promise<void> {
  await m.query(
    `UPDATE analytics_snapshot_state SET built_from = $1, built_to = $2, stale_from = 'infinity', worklists_stale_from = 'infinity', responsibility_changed = false,
       built_at = now() WHERE id = 1`,
    [from, to],
  );
  for (const table of POSITION_TABLES)
    await m.query(`DELETE FROM ${table} WHERE day <= $1 AND NOT (day = ANY ($2::date[]))`, [
      addDays(to, -RECENT_POSITION_DAYS),
      positionDays(from, addDays(to, -RECENT_POSITION_DAYS), to),
    ]);
}

/**
 * The partners (of `candidates`, null: all) whose responsibility differs from the stored one:
 * their contributions on the current days `from`..`to` are taken out under the stored dimensions
 * and put back under today's. Returns how many moved, or -1 when too many did (the caller
 * rebuilds everything).
 */
async function moveResponsibility(m: EntityManager, from: string, to: string, builtTo: string, candidates: string[] | null): Promise<number> {
  const rows: Array<{ partner_id: string }> = await m.query(
    `WITH ${responsibilityCte(new Params(), EVERYONE, { withSpecialist: false, companyCodeBySegment: false })},
     r AS (SELECT * FROM resp WHERE $5::bigint[] IS NULL OR partner_id = ANY ($5::bigint[])),
     s AS (SELECT * FROM analytics_snapshot_partners WHERE $5::bigint[] IS NULL OR partner_id = ANY ($5::bigint[]))
     SELECT coalesce(r.partner_id, s.partner_id)::text AS partner_id
       FROM r FULL JOIN s ON s.partner_id = r.partner_id
      WHERE r.partner_id IS NULL OR s.partner_id IS NULL OR r.segment IS DISTINCT FROM s.segment OR r.group_key IS DISTINCT FROM s.group_key
         OR r.strategy_key IS DISTINCT FROM s.strategy_key OR r.specialist_id IS DISTINCT FROM s.specialist_id`,
    [null, null, null, null, candidates],
  );
  const ids = rows.map((r) => r.partner_id);
  if (ids.length === 0) return 0;
  const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM partners`);
  if (ids.length > Math.max(1000, MOVE_SHARE * n)) return -1;
  const days = positionDays(from, to, builtTo);
  await insertPositions(m, days, ids, -1, 'stored');
  await insertPositions(m, days, ids, 1, 'current');
  // The daily aggregates exist for every day up to the last built one; those after `to` are rebuilt next.
  for (const aggregate of DAILY_AGGREGATES) {
    await aggregate.insert(m, null, to, ids, -1, 'stored');
    await aggregate.insert(m, null, to, ids, 1, 'current');
  }
  await m.query(`DELETE FROM analytics_snapshot_partners WHERE partner_id = ANY ($1::bigint[])`, [ids]);
  await m.query(
    `INSERT INTO analytics_snapshot_partners (partner_id, segment, group_key, strategy_key, specialist_id)
     WITH ${responsibilityCte(new Params(), EVERYONE, { withSpecialist: false, companyCodeBySegment: false })}
     SELECT partner_id, segment, group_key, strategy_key, specialist_id FROM resp WHERE partner_id = ANY ($5::bigint[])`,
    [null, null, null, null, ids],
  );
  return ids.length;
}

/**
 * Adds `sign` x the open amounts at the end of each of `days` (ascending; DESIGN.md "Point in
 * time": today's open amount plus the item's payments in its currency dated after the day, at
 * most its amount), of every partner or of `partners`, by dimension, days overdue and days since
 * the document (with the items of a positive amount and their amount, the open items report's),
 * and the partners with such items (analytics_daily_partners); the days within BATCH_DAYS of each
 * other in one statement.
 */
async function insertPositions(m: EntityManager, days: string[], partners: string[] | null, sign: 1 | -1, source: RespSource): Promise<void> {
  // Batches also for a few partners: their payments meet fewer days each (2x faster for 200 of 100k).
  for (let i = 0; i < days.length;) {
    const batch = [days[i]!];
    while (++i < days.length && days[i]! < addDays(batch[0]!, BATCH_DAYS)) batch.push(days[i]!);
    await m.query(positionsSql(source), [null, null, null, null, batch[0], batch.at(-1), partners, sign, batch]);
  }
}

const BATCH_DAYS = 31;

/**
 * The positions of the days $9 (from $5 to $6): the items that can be open on one of them (open
 * today, or paid after $5) once per day from their document date to their last payment (an item
 * open today: to the last day), each with its payments after $6 summed once and those within the
 * days added to the days before them (so the work grows with the open items per day, not with all
 * items times days). An item with no payment after the day is at its open amount, as the KPI
 * report counts it. The item-days x feed both tables (one pass over the mirror): the positions,
 * and the distinct partners per responsibility and grain (see the migration OpenItemsSnapshots).
 */
function positionsSql(source: RespSource): string {
  return `WITH ${respSource(source)},
     days AS (SELECT d FROM unnest($9::date[]) AS g(d)),
     paid_after_start AS MATERIALIZED (SELECT y.item_id, y.currency, y.payment_date, y.amount FROM payments y
         WHERE y.item_id IS NOT NULL AND y.payment_date > $5
           AND ($7::bigint[] IS NULL OR y.item_id IN (SELECT o.id FROM open_items o WHERE o.partner_id = ANY ($7::bigint[])))),
     -- Open today, or cleared and paid after $5: two parts, so that the second is a semi-join (an IN
     -- under an OR stays a subplan, which rescans the payments per item once they outgrow work_mem).
     items AS MATERIALIZED (SELECT i.id, i.partner_id, i.company_code, i.profit_center, i.currency, i.amount, i.open_amount, i.document_date, i.due_date
        FROM open_items i
        WHERE i.document_date <= $6 AND i.open_amount <> 0 AND ($7::bigint[] IS NULL OR i.partner_id = ANY ($7::bigint[]))
      UNION ALL
      SELECT i.id, i.partner_id, i.company_code, i.profit_center, i.currency, i.amount, i.open_amount, i.document_date, i.due_date
        FROM open_items i
        WHERE i.document_date <= $6 AND i.open_amount = 0 AND i.id IN (SELECT y.item_id FROM payments y WHERE y.payment_date > $5)
          AND ($7::bigint[] IS NULL OR i.partner_id = ANY ($7::bigint[]))),
     later AS MATERIALIZED (SELECT y.item_id, y.payment_date, y.amount FROM paid_after_start y JOIN items i ON i.id = y.item_id AND i.currency = y.currency),
     paid_later AS (SELECT item_id, sum(amount) FILTER (WHERE payment_date > $6) AS paid, max(payment_date) AS last_paid FROM later GROUP BY item_id),
     within AS (SELECT dd.d, l.item_id, sum(l.amount) AS paid FROM later l JOIN days dd ON l.payment_date > dd.d
         WHERE l.payment_date <= $6 GROUP BY 1, 2),
     candidates AS (SELECT i.*, e.paid AS paid_after_end, e.last_paid FROM items i LEFT JOIN paid_later e ON e.item_id = i.id
         WHERE i.open_amount <> 0 OR e.item_id IS NOT NULL),
     x AS MATERIALIZED (SELECT dd.d, c.partner_id, c.company_code, c.profit_center, c.currency, c.document_date, c.due_date,
           r.segment, r.group_key, r.strategy_key, r.specialist_id,
           CASE WHEN c.paid_after_end IS NULL AND w.paid IS NULL THEN c.open_amount
                ELSE least(c.amount, c.open_amount + coalesce(c.paid_after_end, 0) + coalesce(w.paid, 0)) END AS open_at
         FROM candidates c JOIN days dd ON c.document_date <= dd.d AND (c.open_amount <> 0 OR dd.d < c.last_paid)
         LEFT JOIN within w ON w.d = dd.d AND w.item_id = c.id
         JOIN resp r ON r.partner_id = c.partner_id),
     positions AS (INSERT INTO analytics_daily_positions (day, company_code, profit_center, segment, group_key, strategy_key, specialist_id, currency,
        overdue_days, documented_days, amount, positive_items, positive_amount)
     SELECT x.d, x.company_code, x.profit_center, x.segment, x.group_key, x.strategy_key, x.specialist_id, x.currency,
            greatest(0, least(${SNAPSHOT_MAX_OVERDUE}, x.d - x.due_date)),
            CASE WHEN x.d - x.due_date BETWEEN 1 AND ${SNAPSHOT_MAX_OVERDUE - 1} THEN least(${SNAPSHOT_MAX_DOCUMENTED}, x.d - x.document_date) ELSE ${SNAPSHOT_MAX_DOCUMENTED} END,
            $8::int * sum(x.open_at), $8::int * count(*) FILTER (WHERE x.open_at > 0), $8::int * coalesce(sum(x.open_at) FILTER (WHERE x.open_at > 0), 0)
       FROM x
      WHERE x.open_at <> 0
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
     -- The partners with a positive open item, distinct per day, responsibility and each grain of item dimensions.
     held AS (SELECT DISTINCT x.d, x.partner_id, x.company_code, x.profit_center, x.currency, x.segment, x.group_key, x.strategy_key, x.specialist_id
        FROM x WHERE x.open_at > 0)
     INSERT INTO analytics_daily_partners (day, grain, company_code, profit_center, currency, segment, group_key, strategy_key, specialist_id, partners)
     SELECT h.d, 7 - GROUPING(h.company_code, h.profit_center, h.currency), h.company_code, h.profit_center, h.currency,
            h.segment, h.group_key, h.strategy_key, h.specialist_id, $8::int * count(DISTINCT h.partner_id)
       FROM held h
      GROUP BY h.d, h.segment, h.group_key, h.strategy_key, h.specialist_id,
            GROUPING SETS ((), (h.company_code), (h.profit_center), (h.currency), (h.company_code, h.profit_center), (h.company_code, h.currency))`;
}

function checkDay(day: string, field: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || day < '1900-01-01') {
    throw new AnalyticsInputError('BAD_DATE', `${field} must be a date from 1900-01-01 (YYYY-MM-DD)`, field);
  }
}

function monthsBefore(day: string, months: number): string {
  const d = new Date(`${day.slice(0, 8)}01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return addDays(d.toISOString().slice(0, 10), -1);
}

const minDay = (a: string, b: string) => (a < b ? a : b);
const maxDay = (a: string, b: string) => (a > b ? a : b);
const daysFrom = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
