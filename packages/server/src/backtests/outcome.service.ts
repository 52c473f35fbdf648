/**
 * Outcomes of listed partners over (D, D + h] (DESIGN.md "Outcomes and analytics"), read from the
 * AR mirror by the point-in-time rule (DESIGN.md "Point in time"): an item is open at a date T when
 * document_date <= D and least(amount, open_amount + its same-currency payments dated after T) > 0.
 *
 * One set-based statement serves every key date at once: the (key date, partner) pairs are
 * unnested and joined to their items and the items' payments, so history is scanned once however
 * many key dates and lists are measured. Collected payments are converted into the strategy
 * currency with the latest rate on or before D (not the payment date): the comparison between
 * strategies then carries no FX noise from inside the window.
 */
import { factKey, factRowsSql } from '@recoup/rules';
import type { Database } from '../db/database';
import { DomainError } from '../graphql/errors';
import { promiseStatusSql } from '../promises';
import type { ListedPartner, OutcomeWindow, PartnerOutcome } from './outcome-figures';

/** The server's Database, or anything with `query(text, values)` (an EntityManager, a QueryRunner). */
export type Queryable = Database | { query(text: string, values?: unknown[]): Promise<unknown[]> };

export interface OutcomeList {
  asOf: string;
  partners: ListedPartner[];
}

interface OutcomeRow {
  d: string;
  partner_id: string;
  collected: string;
  cured: boolean | null;
  rolled: boolean;
  promises_broken: number;
  missing_currency: string | null;
}

function queryOf(db: Queryable): (text: string, values: unknown[]) => Promise<unknown[]> {
  return 'dataSource' in db ? (text, values) => db.dataSource.query(text, values) : (text, values) => db.query(text, values);
}

/** One set-based read (no statement per partner) of one list's outcomes. */
export async function measurePartnerOutcomes(db: Queryable, partners: ListedPartner[], window: OutcomeWindow): Promise<PartnerOutcome[]> {
  const [rows] = await measureOutcomes(db, [{ asOf: window.asOf, partners }], window);
  return rows!;
}

/**
 * Several lists' outcomes (any key dates, lists may share partners) in one read of the history;
 * the result is aligned with `lists`, each list's rows in its partners' order.
 */
export async function measureOutcomes(db: Queryable, lists: OutcomeList[], options: Omit<OutcomeWindow, 'asOf'>): Promise<PartnerOutcome[][]> {
  const query = queryOf(db);
  const pairs = new Map<string, [string, string]>();
  for (const l of lists) for (const p of l.partners) pairs.set(`${l.asOf}:${p.partnerId}`, [l.asOf, p.partnerId]);
  if (!pairs.size) return lists.map(() => []);
  const dates = [...pairs.values()].map(([d]) => d);
  const ids = [...pairs.values()].map(([, id]) => id);
  const rows = (await query(outcomeSql(), [dates, ids, options.horizonDays, options.currency])) as OutcomeRow[];
  const missing = rows.find((r) => r.missing_currency !== null);
  if (missing) {
    throw new DomainError('BAD_USER_INPUT', `No FX rate on or before ${missing.d} for ${missing.missing_currency}->${options.currency}`, {
      pairs: [{ from: missing.missing_currency, to: options.currency }],
    });
  }
  const measured = new Map(rows.map((r) => [`${r.d}:${r.partner_id}`, r]));
  const toBeCollected = await amountsToBeCollected(query, lists, options.currency);
  return lists.map((l) =>
    l.partners.map((p) => {
      const r = measured.get(`${l.asOf}:${p.partnerId}`)!;
      return {
        ...p,
        asOf: l.asOf,
        toBeCollected: p.toBeCollected ?? toBeCollected.get(`${l.asOf}:${p.partnerId}`) ?? '0.0000',
        collected: r.collected,
        cured: r.cured,
        rolled: r.rolled,
        promisesBroken: r.promises_broken,
      };
    }),
  );
}

/**
 * Per (key date, partner): collected in the window on items open at D, cured, rolled, broken
 * promises, and a currency of a window payment without a rate (the caller fails naming it).
 * $1 key dates, $2 partner ids (pairwise), $3 h, $4 strategy currency.
 */
function outcomeSql(): string {
  // Promise status at D + h per key date k (a lateral per key date, not per partner).
  const end = '(k.d + $3::integer)';
  const broken = promiseStatusSql(end, 'q.partner_id IN (SELECT l2.pid FROM l l2 WHERE l2.d = k.d)', (parts) => [
    'q.partner_id',
    `q.promised_date + ${parts.toleranceDays} AS deadline`,
    `${parts.status} AS status`,
  ]);
  return `WITH l AS (SELECT k.d, k.pid FROM unnest($1::date[], $2::bigint[]) AS k(d, pid)),
  fx AS (SELECT k.d, $4::text AS cur, 1::numeric AS rate FROM (SELECT DISTINCT d FROM l) k
    UNION ALL SELECT k.d, r.from_currency::text, r.rate FROM (SELECT DISTINCT d FROM l) k
      CROSS JOIN LATERAL (SELECT DISTINCT ON (f.from_currency) f.from_currency, f.rate FROM fx_rates f
        WHERE f.to_currency = $4::text AND f.from_currency <> $4::text AND f.rate_date <= k.d
        ORDER BY f.from_currency, f.rate_date DESC) r),
  it AS (SELECT l.d, l.pid, i.id, i.amount, i.open_amount, i.currency, i.due_date
    FROM l JOIN open_items i ON i.partner_id = l.pid AND i.document_date <= l.d),
  py AS (SELECT it.d, it.id,
      sum(y.amount) FILTER (WHERE y.currency = it.currency) AS after_d,
      sum(y.amount) FILTER (WHERE y.currency = it.currency AND y.payment_date > it.d + $3::integer) AS after_h,
      sum(y.amount * fx.rate) FILTER (WHERE y.payment_date <= it.d + $3::integer) AS in_window,
      min(y.currency::text) FILTER (WHERE y.payment_date <= it.d + $3::integer AND fx.rate IS NULL) AS missing_currency
    FROM it JOIN payments y ON y.item_id = it.id AND y.payment_date > it.d
    LEFT JOIN fx ON fx.d = it.d AND fx.cur = y.currency::text
    GROUP BY it.d, it.id),
  st AS (SELECT it.d, it.pid, it.d - it.due_date AS days_overdue,
      least(it.amount, it.open_amount + coalesce(py.after_d, 0)) AS open_d,
      least(it.amount, it.open_amount + coalesce(py.after_h, 0)) AS open_h,
      coalesce(py.in_window, 0) AS in_window, py.missing_currency
    FROM it LEFT JOIN py ON py.d = it.d AND py.id = it.id),
  sa AS (SELECT st.d, st.pid,
      sum(st.in_window) FILTER (WHERE st.open_d > 0) AS collected,
      bool_and(st.open_h <= 0) FILTER (WHERE st.open_d > 0 AND st.days_overdue >= 1) AS cured,
      bool_or(st.open_d > 0 AND st.days_overdue BETWEEN 1 AND 89 AND st.days_overdue + $3::integer >= 90 AND st.open_h > 0) AS rolled,
      min(st.missing_currency) FILTER (WHERE st.open_d > 0) AS missing_currency
    FROM st GROUP BY st.d, st.pid),
  pb AS (SELECT k.d, b.partner_id AS pid, count(*)::integer AS n FROM (SELECT DISTINCT d FROM l) k
    CROSS JOIN LATERAL (${broken}) b
    WHERE b.status = 'BROKEN' AND b.deadline > k.d AND b.deadline <= ${end}
    GROUP BY k.d, b.partner_id)
SELECT to_char(l.d, 'YYYY-MM-DD') AS d, l.pid::text AS partner_id,
    round(coalesce(sa.collected, 0), 4)::text AS collected, sa.cured, coalesce(sa.rolled, false) AS rolled,
    coalesce(pb.n, 0) AS promises_broken, sa.missing_currency
  FROM l LEFT JOIN sa ON sa.d = l.d AND sa.pid = l.pid LEFT JOIN pb ON pb.d = l.d AND pb.pid = l.pid`;
}

/** amountToBeCollected at D for the listed partners that do not carry it: the fact's own SQL, one statement per key date. */
async function amountsToBeCollected(
  query: (text: string, values: unknown[]) => Promise<unknown[]>,
  lists: OutcomeList[],
  currency: string,
): Promise<Map<string, string>> {
  const wanted = new Map<string, Set<string>>();
  for (const l of lists) {
    for (const p of l.partners) {
      if (p.toBeCollected !== undefined) continue;
      const ids = wanted.get(l.asOf) ?? new Set<string>();
      ids.add(p.partnerId);
      wanted.set(l.asOf, ids);
    }
  }
  const key = factKey('amountToBeCollected');
  const out = new Map<string, string>();
  for (const [asOf, ids] of wanted) {
    const sql = factRowsSql([key], { currency, asOf, partnerIds: [...ids] });
    const rows = (await query(
      `SELECT f.partner_id::text AS id, round(coalesce(f.${key.column}, 0), 4)::text AS amount FROM (${sql.text}) f`,
      sql.values,
    )) as Array<{
      id: string;
      amount: string;
    }>;
    for (const r of rows) out.set(`${asOf}:${r.id}`, r.amount);
  }
  return out;
}
