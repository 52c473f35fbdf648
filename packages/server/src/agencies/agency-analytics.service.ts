/**
 * Analytics per agency (issue 22): per agency, placement month and currency, the placements made,
 * the amount placed, the amount recovered on the placed items during their placement (whoever
 * received it), the recovery rate, the average days from placement to its first payment, and the
 * commission due (as the settlement counts it). Exact money: sums and rounding in numeric.
 */
import { ownAgency } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError } from '../graphql/errors';
import { isIsoDate } from '../graphql/scalars';

export interface AgencyFigures {
  agency: string;
  placementMonth: string;
  currency: string;
  placements: number;
  placedAmount: string;
  recoveredAmount: string;
  /** recovered / placed x 100, two decimals. */
  recoveryRate: string;
  /** Average over the placements with a payment; null when none was paid. */
  daysToFirstPayment: string | null;
  commissionDue: string;
}

const FIGURES_SQL = `WITH pi AS (
    SELECT pl.id, pl.agency_key, date_trunc('month', pl.placed_on)::date AS month, pl.placed_on, pl.recalled_on, x.item_id, x.currency, x.placed_amount
      FROM placements pl JOIN placement_items x ON x.placement_id = pl.id
     WHERE pl.placed_on BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR pl.agency_key = $3)),
  pay AS (
    SELECT pi.id AS placement_id, pi.item_id, y.amount, y.payment_date, ap.payment_id IS NOT NULL AS via_agency
      FROM pi JOIN payments y ON y.item_id = pi.item_id AND y.currency = pi.currency
        AND y.payment_date >= pi.placed_on AND (pi.recalled_on IS NULL OR y.payment_date <= pi.recalled_on)
      LEFT JOIN agency_payments ap ON ap.payment_id = y.id AND ap.placement_id = pi.id),
  per_placement AS (
    SELECT pi.id, pi.agency_key, pi.month, pi.currency, pi.placed_on, sum(pi.placed_amount) AS placed,
        coalesce((SELECT sum(p.amount) FROM pay p WHERE p.placement_id = pi.id), 0) AS recovered,
        (SELECT min(p.payment_date) FROM pay p WHERE p.placement_id = pi.id) AS first_payment,
        coalesce((SELECT sum(round(p.amount * a.commission_percent / 100, 2)) FROM pay p
          WHERE p.placement_id = pi.id AND (p.via_agency OR a.count_direct_payments)), 0) AS commission
      FROM pi JOIN agencies a ON a.key = pi.agency_key
     GROUP BY pi.id, pi.agency_key, pi.month, pi.currency, pi.placed_on, a.commission_percent, a.count_direct_payments)
SELECT agency_key AS agency, month::text AS "placementMonth", currency::text AS currency, count(*)::integer AS placements,
    sum(placed)::numeric(19,4)::text AS "placedAmount", sum(recovered)::numeric(19,4)::text AS "recoveredAmount",
    round(sum(recovered) * 100 / nullif(sum(placed), 0), 2)::text AS "recoveryRate",
    round(avg(first_payment - placed_on) FILTER (WHERE first_payment IS NOT NULL), 1)::text AS "daysToFirstPayment",
    sum(commission)::numeric(19,4)::text AS "commissionDue"
  FROM per_placement GROUP BY agency_key, month, currency ORDER BY agency_key, month, currency`;

/** The figures of placements made from..to (of one agency; an AGENCY caller: its own only). */
export async function agencyFigures(ctx: RequestContext, args: { from: string; to: string; agency?: string | null }): Promise<AgencyFigures[]> {
  if (!isIsoDate(args.from)) throw new BadUserInputError('from must be a date (YYYY-MM-DD)', 'from');
  if (!isIsoDate(args.to)) throw new BadUserInputError('to must be a date (YYYY-MM-DD)', 'to');
  if (args.to < args.from) throw new BadUserInputError('to is before from', 'to');
  const own = ownAgency(ctx);
  if (own !== null && args.agency != null && args.agency !== own) return [];
  const rows: AgencyFigures[] = await ctx.db.dataSource.query(FIGURES_SQL, [args.from, args.to, own ?? args.agency ?? null]);
  return rows.map((r) => ({ ...r, recoveryRate: r.recoveryRate ?? '0.00' }));
}
