/**
 * Analytics per agency (issue 22): per agency and placement month (and a grouping), the placements
 * made, the amount placed, the amount recovered on the placed items during their placement
 * (whoever received it), the recovery rate, the average days from placement to its first payment
 * and the commission due as the settlement counts it. Built on the analytics kernel: its filter
 * (period = placement date), the caller's row scope, groupings and fx conversion. Exact money:
 * sums in numeric, ratios as rationals.
 *
 * Choices: the specialist filter and a SPECIALIST caller's scope apply to the partner's specialist
 * as the other reports attribute it (fixed, else of the partner's item on the live worklist);
 * payments count to date (a cohort of placements and what came of them so far); placed amounts
 * are converted at the placement date, payments and their commission at the payment date.
 */
import { ownAgency, rowScope } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { isIsoDate } from '../graphql/scalars';
import {
  AnalyticsFxRateMissingError,
  AnalyticsGroupByEnum,
  checkedFilter,
  checkedGroupBy,
  companyCodeCondition,
  decimal,
  groupExpression,
  groupsOf,
  Params,
  rateSql,
  ratioOf,
  readRows,
  responsibilityCte,
  type AnalyticsFilter,
  type AnalyticsGroup,
  type Filter,
} from '../analytics';

/** The groupings the agency figures take besides agency and placement month. */
export const AGENCY_GROUPINGS = [
  AnalyticsGroupByEnum.SEGMENT,
  AnalyticsGroupByEnum.GROUP,
  AnalyticsGroupByEnum.SPECIALIST,
  AnalyticsGroupByEnum.STRATEGY,
  AnalyticsGroupByEnum.COMPANY_CODE,
  AnalyticsGroupByEnum.PROFIT_CENTER,
  AnalyticsGroupByEnum.CURRENCY,
];

export interface AgencyReportArgs {
  filter: AnalyticsFilter;
  groupBy?: AnalyticsGroupByEnum | null;
  agency?: string | null;
  first?: number | null;
}

export interface AgencyReportRow {
  agency: string;
  agencyName: string;
  placementMonth: string;
  group: AnalyticsGroup;
  placements: number;
  placedAmount: string;
  recoveredAmount: string;
  recoveryRate: string | null;
  daysToFirstPayment: string | null;
  commissionDue: string;
}

export interface AgencyReport {
  currency: string;
  groupBy: AnalyticsGroupByEnum | null;
  rows: AgencyReportRow[];
  totalGroups: number;
}

/** The figures of one agency's placements of a month in one group, as SQL sums them. */
interface Row {
  agency: string;
  agency_name: string;
  month: string;
  dim: string | null;
  placements: number;
  placed: string;
  recovered: string;
  commission: string;
  /** Sum over the paid placements of the days from placement to the first payment. */
  days: string;
  paid_placements: number;
  missing: string[] | null;
}

/** The report of placements made in the filter's period, in its reporting currency. */
export async function agencyReport(ctx: RequestContext, args: AgencyReportArgs): Promise<AgencyReport> {
  const filter = await checkedFilter(ctx, args.filter);
  const groupBy = checkedGroupBy(args.groupBy, AGENCY_GROUPINGS, 'agency figures');
  const agency = await agencyInReach(ctx, args.agency ?? null);
  const rows = await readFigures(ctx, filter, groupBy, agency, true);
  const missing = rows.find((r) => r.missing?.length)?.missing;
  if (missing) {
    throw new AnalyticsFxRateMissingError(
      filter.currency,
      missing.map((m) => ({ from: m.split(' ')[0]!, on: m.split(' ')[1]! })),
    );
  }
  const grouped = await groupsOf(
    ctx,
    groupBy,
    rows.map((r) => r.dim),
    args.first,
    (dim) => rows.filter((r) => r.dim === dim),
  );
  const ordered = grouped.rows.flatMap((g) => g.value.map((r) => ({ ...figuresOf(r), group: g.group })));
  ordered.sort((a, b) =>
    a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : a.placementMonth < b.placementMonth ? -1 : a.placementMonth > b.placementMonth ? 1 : 0,
  );
  return { currency: filter.currency, groupBy, rows: ordered, totalGroups: grouped.total };
}

/** The agency asked for, checked: an AGENCY caller reaches its own only (another is NOT_FOUND to it). */
async function agencyInReach(ctx: RequestContext, agency: string | null): Promise<string | null> {
  const own = ownAgency(ctx);
  if (own !== null && agency !== null && agency !== own) throw new NotFoundError('Agency', agency);
  if (own !== null) return own;
  if (agency === null) return null;
  const [known] = await ctx.db.dataSource.query(`SELECT 1 FROM agencies WHERE key = $1`, [agency]);
  if (!known) throw new NotFoundError('Agency', agency);
  return agency;
}

function figuresOf(r: Row): Omit<AgencyReportRow, 'group'> {
  return {
    agency: r.agency,
    agencyName: r.agency_name,
    placementMonth: r.month,
    placements: r.placements,
    placedAmount: r.placed,
    recoveredAmount: r.recovered,
    recoveryRate: ratioOf(r.recovered, r.placed, 100n),
    daysToFirstPayment: decimal({ num: BigInt(r.days), den: BigInt(r.paid_placements) }, 1),
    commissionDue: r.commission,
  };
}

/**
 * Per agency, placement month and group. `convert`: amounts into the filter's currency (placed at
 * the placement date, payments at theirs); without it the rows are per item currency, unconverted,
 * and only payments in the item's currency count (the per-currency view of `agencyAnalytics`).
 * A payment counts for an agency once, on its latest placement with that agency covering the
 * payment date, and earns commission as the settlement counts it: the frozen line of a closed
 * period, else the agency's percent (rounded to the cent) when the agency reported it or direct
 * payments count.
 */
async function readFigures(ctx: RequestContext, f: Filter, groupBy: AnalyticsGroupByEnum | null, agency: string | null, convert: boolean): Promise<Row[]> {
  const p = new Params();
  const resp = responsibilityCte(p, f, { withSpecialist: true, companyCodeBySegment: false });
  const from = p.add(f.from, 'date');
  const to = p.add(f.to, 'date');
  const agencyKey = p.add(agency, 'text');
  const dim = convert ? groupExpression(groupBy, { [AnalyticsGroupByEnum.CURRENCY]: 'x.currency' }) : 'x.currency::text';
  const rate = convert ? rateSql('c.currency', p.add(f.currency, 'text'), 'c.d') : '1::numeric';
  const sql = `WITH ${resp},
  placed AS MATERIALIZED (SELECT pl.id AS placement_id, pl.agency_key, pl.placed_on, x.item_id, x.placed_amount, x.currency, ${dim} AS dim
      FROM placements pl
      JOIN resp r ON r.partner_id = pl.partner_id
      JOIN placement_items x ON x.placement_id = pl.id
      JOIN open_items i ON i.id = x.item_id
     WHERE pl.placed_on BETWEEN ${from} AND ${to} AND (${agencyKey} IS NULL OR pl.agency_key = ${agencyKey})
       AND ${companyCodeCondition(p, f, 'i.company_code')}),
  paid AS (SELECT DISTINCT ON (pl.agency_key, y.id) pl.id AS placement_id, y.item_id, y.id AS payment_id, y.amount, y.currency, y.payment_date
      FROM payments y
      JOIN placement_items x ON x.item_id = y.item_id
      JOIN placements pl ON pl.id = x.placement_id AND y.payment_date >= pl.placed_on AND (pl.recalled_on IS NULL OR y.payment_date <= pl.recalled_on)
     WHERE y.item_id IN (SELECT item_id FROM placed)${convert ? '' : ' AND y.currency = x.currency'}
     ORDER BY pl.agency_key, y.id, pl.id DESC),
  flows AS (SELECT q.agency_key, q.placement_id, q.placed_on, q.dim, false AS is_payment, q.placed_amount AS amount, 0::numeric AS commission, q.currency, q.placed_on AS d
      FROM placed q
    UNION ALL
    SELECT q.agency_key, q.placement_id, q.placed_on, q.dim, true, y.amount,
        CASE WHEN s.id IS NOT NULL THEN coalesce(l.commission, 0)
             WHEN ap.payment_id IS NOT NULL OR a.count_direct_payments THEN round(y.amount * a.commission_percent / 100, 2)
             ELSE 0 END,
        y.currency, y.payment_date
      FROM paid y
      JOIN placed q ON q.placement_id = y.placement_id AND q.item_id = y.item_id
      JOIN agencies a ON a.key = q.agency_key
      LEFT JOIN agency_payments ap ON ap.payment_id = y.payment_id AND ap.agency_key = q.agency_key
      LEFT JOIN agency_settlements s ON s.agency_key = q.agency_key AND y.payment_date BETWEEN s.period_from AND s.period_to
      LEFT JOIN agency_settlement_lines l ON l.settlement_id = s.id AND l.payment_id = y.payment_id),
  rates AS MATERIALIZED (SELECT c.currency, c.d, ${rate} AS rate FROM (SELECT DISTINCT currency, d FROM flows) c),
  per_placement AS (SELECT f.agency_key, date_trunc('month', f.placed_on)::date AS month, f.dim, f.placement_id, f.placed_on,
        sum(f.amount * r.rate) FILTER (WHERE NOT f.is_payment) AS placed,
        coalesce(sum(f.amount * r.rate) FILTER (WHERE f.is_payment), 0) AS recovered,
        coalesce(sum(f.commission * r.rate) FILTER (WHERE f.is_payment), 0) AS commission,
        min(f.d) FILTER (WHERE f.is_payment) AS first_paid
      FROM flows f JOIN rates r ON r.currency = f.currency AND r.d = f.d
     GROUP BY f.agency_key, f.dim, f.placement_id, f.placed_on)
  SELECT pp.agency_key AS agency, min(a.name) AS agency_name, pp.month::text AS month, pp.dim, count(*)::int AS placements,
         round(sum(pp.placed), 4)::text AS placed, round(sum(pp.recovered), 4)::text AS recovered, round(sum(pp.commission), 4)::text AS commission,
         coalesce(sum(pp.first_paid - pp.placed_on), 0)::text AS days, count(pp.first_paid)::int AS paid_placements,
         (SELECT array_agg(x.currency::text || ' ' || x.d::text ORDER BY x.d, x.currency) FROM rates x WHERE x.rate IS NULL) AS missing
    FROM per_placement pp JOIN agencies a ON a.key = pp.agency_key
   GROUP BY pp.agency_key, pp.month, pp.dim
   ORDER BY pp.agency_key, pp.month, pp.dim`;
  return readRows(ctx, sql, p.values, { indexLookups: true });
}

// ---- the per-currency view (agencyAnalytics) ---------------------------------------------------

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

/**
 * The figures of placements made from..to per item currency, unconverted (of one agency; an
 * AGENCY caller: its own only): the same statement as the report, grouped by currency.
 */
export async function agencyFigures(ctx: RequestContext, args: { from: string; to: string; agency?: string | null }): Promise<AgencyFigures[]> {
  if (!isIsoDate(args.from)) throw new BadUserInputError('from must be a date (YYYY-MM-DD)', 'from');
  if (!isIsoDate(args.to)) throw new BadUserInputError('to must be a date (YYYY-MM-DD)', 'to');
  if (args.to < args.from) throw new BadUserInputError('to is before from', 'to');
  const own = ownAgency(ctx);
  if (own !== null && args.agency != null && args.agency !== own) return [];
  const filter: Filter = {
    from: args.from,
    to: args.to,
    currency: '',
    companyCode: null,
    segment: null,
    group: null,
    specialistId: null,
    strategy: null,
    scope: await rowScope(ctx),
  };
  const rows = await readFigures(ctx, filter, null, own ?? args.agency ?? null, false);
  return rows.map((r) => {
    const { agencyName: _name, ...figures } = figuresOf(r);
    return { ...figures, currency: r.dim!, recoveryRate: figures.recoveryRate ?? '0.00' };
  });
}
