/**
 * Commission credits kept current (migration AnalyticsPaymentCredits): each payment with the
 * latest crediting event on or before its day (a contact with an author, or a promise obtained by
 * one), which decides the commission for every N. Partners written since are noted; their rows
 * are recomputed before a report reads (up to MOVE_ON_READ partners) or by the nightly refresh,
 * which also builds the whole table when it is not built. The per-day sums and each partner's
 * credited days (migration AnalyticsCreditDays) are kept with them, by the same partners in the
 * same transaction, under each partner's responsibility (migration AnalyticsCreditDims: a partner
 * whose responsibility moves is noted too, and its rows move with the recompute).
 */
import type { EntityManager } from 'typeorm';
import type { Database } from '../db/database';
import { Params, responsibilityCte } from './analytics.sql';
import { EVERYONE } from './analytics-snapshot-sql';

/** At most this many noted partners are recomputed before a report reads; more wait for the refresh. */
const RECOMPUTE_ON_READ = 1000;

export interface CreditRefresh {
  mode: 'FULL' | 'PARTNERS' | 'NONE';
  /** Partners recomputed (PARTNERS), or null for a full build. */
  partners: number | null;
}

/**
 * The latest crediting event of each payment of `$1` partners (NULL: all), on or before the
 * payment's day; ties on the day go to the later contact (the order the report's DISTINCT ON uses).
 */
const CREDITS_SQL = `INSERT INTO analytics_payment_credits (payment_id, partner_id, payment_date, amount, currency, event_date, specialist_id)
  WITH events AS (SELECT c.partner_id, c.contact_date AS d, c.author_specialist_id AS specialist_id, c.id AS seq FROM contacts c
       WHERE c.author_specialist_id IS NOT NULL AND ($1::bigint[] IS NULL OR c.partner_id = ANY ($1::bigint[]))
      UNION ALL
      SELECT q.partner_id, q.created_date, c.author_specialist_id, c.id FROM contacts c JOIN promises q ON q.id = ANY (c.promise_ids)
       WHERE c.author_specialist_id IS NOT NULL AND ($1::bigint[] IS NULL OR q.partner_id = ANY ($1::bigint[])))
  SELECT DISTINCT ON (y.id) y.id, y.partner_id, y.payment_date, y.amount, y.currency, e.d, e.specialist_id
    FROM payments y JOIN events e ON e.partner_id = y.partner_id AND e.d <= y.payment_date
   WHERE $1::bigint[] IS NULL OR y.partner_id = ANY ($1::bigint[])
   ORDER BY y.id, e.d DESC, e.seq DESC`;

/** Credits at most this many days after their event; a larger gap credits no one for any N (withinDays <= 365). */
const MAX_GAP = 365;

/**
 * Adds `$2` x the credits of `$1` partners (NULL: all) to the per-day sums
 * (analytics_credit_days, migration AnalyticsCreditDays) under the responsibility kept with the
 * partners' credited days: added after those are written (the responsibility read once, so both
 * tables hold the same), taken out before they are deleted (under the responsibility the sums were
 * added with, whatever the partner's is now). Only the partners with credited days count: those
 * that exist, as the report's join with the partners counts them.
 */
function daysSql(sign: 1 | -1): string {
  return `INSERT INTO analytics_credit_days AS d (day, specialist_id, gap, currency, segment, group_key, strategy_key, payments, amount)
  SELECT k.payment_date, k.specialist_id, k.payment_date - k.event_date, k.currency, r.segment, r.group_key, r.strategy_key, ${sign} * count(*), ${sign} * sum(k.amount)
    FROM analytics_payment_credits k
    JOIN (SELECT DISTINCT partner_id, segment, group_key, strategy_key FROM analytics_credit_partner_days
           WHERE $1::bigint[] IS NULL OR partner_id = ANY ($1::bigint[])) r ON r.partner_id = k.partner_id
   WHERE k.payment_date - k.event_date <= ${MAX_GAP} AND ($1::bigint[] IS NULL OR k.partner_id = ANY ($1::bigint[]))
   GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (gap, day, specialist_id, currency, segment, group_key, strategy_key) DO UPDATE SET payments = d.payments + excluded.payments, amount = d.amount + excluded.amount`;
}

/**
 * Each partner's credited days per specialist with the smallest gap that day (what the distinct
 * partner count reads), with the partner's responsibility now as the reports compute it
 * (responsibilityCte: segment, group, the group's strategy), which the filters and group scopes
 * read instead of joining the partners. `$5`: the partners (NULL: all).
 */
const PARTNER_DAYS_SQL = `INSERT INTO analytics_credit_partner_days (partner_id, specialist_id, day, gap, segment, group_key, strategy_key)
  WITH ${responsibilityCte(new Params(), EVERYONE, {
    withSpecialist: false,
    companyCodeBySegment: false,
    partnerCondition: '($5::bigint[] IS NULL OR p.id = ANY ($5::bigint[]))',
  })}
  SELECT k.partner_id, k.specialist_id, k.payment_date, min(k.payment_date - k.event_date), r.segment, r.group_key, r.strategy_key
    FROM analytics_payment_credits k JOIN resp r ON r.partner_id = k.partner_id
   WHERE k.payment_date - k.event_date <= ${MAX_GAP} AND ($5::bigint[] IS NULL OR k.partner_id = ANY ($5::bigint[]))
   GROUP BY k.partner_id, k.specialist_id, k.payment_date, r.segment, r.group_key, r.strategy_key`;

/** PARTNER_DAYS_SQL's values: responsibilityCte's (all NULL for everyone), then the partners. */
const partnerDaysValues = (partners: string[] | null) => [null, null, null, null, partners];

/**
 * Brings the credits current: a full build when the table is not built, else the noted partners'
 * rows recomputed (`limit`: none when more are noted; null: any number). Returns null when it did
 * nothing because another transaction holds the state (`wait` false) or too many are noted.
 */
async function bringCurrent(m: EntityManager, options: { wait: boolean; limit: number | null }): Promise<CreditRefresh | null> {
  const [state] = await m.query(`SELECT built FROM analytics_credit_state WHERE id = 1 FOR UPDATE${options.wait ? '' : ' SKIP LOCKED'}`);
  if (!state) return null;
  const notes: Array<{ partner_id: string; txid: string }> = await m.query(
    `SELECT partner_id::text AS partner_id, txid::text AS txid FROM analytics_credit_dirty${options.limit === null ? '' : ` LIMIT ${options.limit + 1}`}`,
  );
  if (!state.built) {
    if (options.limit !== null) return null;
    await m.query(`DELETE FROM analytics_payment_credits`);
    await m.query(`DELETE FROM analytics_credit_days`);
    await m.query(`DELETE FROM analytics_credit_partner_days`);
    await m.query(CREDITS_SQL, [null]);
    await m.query(PARTNER_DAYS_SQL, partnerDaysValues(null));
    await m.query(daysSql(1), [null]);
    await forget(m, notes);
    await m.query(`UPDATE analytics_credit_state SET built = true, built_at = now() WHERE id = 1`);
    return { mode: 'FULL', partners: null };
  }
  const partners = [...new Set(notes.map((n) => n.partner_id))];
  if (partners.length === 0) return { mode: 'NONE', partners: 0 };
  if (options.limit !== null && notes.length > options.limit) return null;
  // Their sums taken out, their credits recomputed, and put back: the per-day sums stay exact by partner.
  await m.query(daysSql(-1), [partners]);
  await m.query(`DELETE FROM analytics_payment_credits WHERE partner_id = ANY ($1::bigint[])`, [partners]);
  await m.query(`DELETE FROM analytics_credit_partner_days WHERE partner_id = ANY ($1::bigint[])`, [partners]);
  await m.query(CREDITS_SQL, [partners]);
  await m.query(PARTNER_DAYS_SQL, partnerDaysValues(partners));
  await m.query(daysSql(1), [partners]);
  await m.query(`DELETE FROM analytics_credit_days WHERE payments = 0`);
  await forget(m, notes);
  return { mode: 'PARTNERS', partners: partners.length };
}

/** Deletes the notes read: a note of the same partner by a transaction that committed since stays. */
async function forget(m: EntityManager, notes: Array<{ partner_id: string; txid: string }>): Promise<void> {
  if (notes.length === 0) return;
  await m.query(
    `DELETE FROM analytics_credit_dirty d USING unnest($1::bigint[], $2::bigint[]) AS n(partner_id, txid) WHERE d.partner_id = n.partner_id AND d.txid = n.txid`,
    [notes.map((n) => n.partner_id), notes.map((n) => n.txid)],
  );
}

/** How a refresh of the credits reads in a log line or a job's result. */
export function describeCredits(r: CreditRefresh): string {
  if (r.mode === 'FULL') return 'commission credits built';
  return r.mode === 'NONE' ? 'commission credits current' : `commission credits of ${r.partners} partners recomputed`;
}

/** The nightly refresh: builds the table or recomputes every noted partner. */
export async function refreshPaymentCredits(db: Database): Promise<CreditRefresh> {
  return db.dataSource.transaction(async (m) => {
    if (db.kind === 'postgres') await m.query(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`);
    return (await bringCurrent(m, { wait: true, limit: null }))!;
  });
}

/**
 * Before the commission report reads: whether the credits are exact now (built, the few noted
 * partners recomputed first). False: the report reads the mirror.
 */
export async function paymentCreditsCurrent(db: Database): Promise<boolean> {
  const [state] = await db.dataSource.query(`SELECT built, EXISTS (SELECT 1 FROM analytics_credit_dirty) AS noted FROM analytics_credit_state WHERE id = 1`);
  if (!state?.built) return false;
  if (!state.noted) return true;
  const done = await db.dataSource.transaction((m) => bringCurrent(m, { wait: false, limit: RECOMPUTE_ON_READ }));
  return done !== null;
}
