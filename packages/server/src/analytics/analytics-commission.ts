/**
 * Commission settlement: per specialist, the payments of the period on partners they worked.
 * A payment is credited to the specialist of the latest contact they made, or promise obtained by
 * one of their contacts, on that partner, dated from N days before the payment up to its day
 * (one specialist per payment). A settlement can be closed: its lines are stored as computed and
 * never change again; closing is audited, and a period overlapping a closed one is refused.
 * A SUPERVISOR approves their groups' settlement (SAP: supervisors approve commission), an ADMIN
 * the department's; only a period that has ended can be closed.
 */
import { recordAudit } from '../audit';
import { caller, rowScope } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { ConflictError } from '../graphql/errors';
import { pageSize } from '../graphql/paging';
import { AnalyticsFxRateMissingError, AnalyticsInputError } from './analytics.errors';
import { sum } from './analytics.figures';
import { addDays, checkedFilter, timeBuckets, type Filter } from './analytics.filter';
import { companyCodeBySegmentCondition, Params, rateSql, readRows, responsibilityCte, responsibilityConditions, specialistCondition } from './analytics.sql';
import { paymentCreditsCurrent } from './analytics-payment-credits';
import {
  AnalyticsGranularityEnum,
  type AnalyticsFilter,
  type ClosedCommissionSettlement,
  type CommissionBreakdown,
  type CommissionLine,
  type CommissionReport,
} from './analytics.types';
import { CommissionSettlement, CommissionSettlementLine } from './commission.entity';

export const DEFAULT_WITHIN_DAYS = 14;
const MAX_WITHIN_DAYS = 365;

export interface CommissionArgs {
  filter: AnalyticsFilter;
  withinDays?: number | null;
  /** Not in the schema: MIRROR reads the mirror even where the kept credits are current (to compare them). */
  source?: 'AUTO' | 'MIRROR';
}

interface Row {
  /** The unit's start (month or week) for a per-unit row; null for the period's line. */
  unit: string | null;
  specialist_id: string;
  name: string;
  partners: number;
  payments: number;
  amount: string;
  missing: string[] | null;
}

export function commissionRule(withinDays: number): string {
  return (
    `A payment dated in the period is credited to the specialist of the latest contact they made, or promise obtained by one of their contacts, ` +
    `on the paying partner from ${withinDays} days before the payment up to its day; one specialist per payment, amounts at the payment date's rate.`
  );
}

export async function commissionReport(ctx: RequestContext, args: CommissionArgs): Promise<CommissionReport> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  const withinDays = checkedWithinDays(args.withinDays);
  const { lines } = await computeLines(ctx, filter, withinDays, null, args.source);
  return {
    from: filter.from,
    to: filter.to,
    currency: filter.currency,
    withinDays,
    rule: commissionRule(withinDays),
    lines,
    total: sum(lines.map((l) => l.amount)),
  };
}

/** The commission of the period per month or week, each unit's lines from one pass over the payments. */
export async function commissionBreakdown(
  ctx: RequestContext,
  args: CommissionArgs & { granularity?: AnalyticsGranularityEnum | null },
): Promise<CommissionBreakdown> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  const withinDays = checkedWithinDays(args.withinDays);
  const granularity = args.granularity ?? AnalyticsGranularityEnum.MONTH;
  const { units } = await computeLines(ctx, filter, withinDays, granularity, args.source);
  const periods = timeBuckets(filter.from, filter.to, granularity).map((b) => {
    const lines = units.get(b.start) ?? [];
    return { from: b.start < filter.from ? filter.from : b.start, to: b.end, lines, total: sum(lines.map((l) => l.amount)) };
  });
  return { from: filter.from, to: filter.to, currency: filter.currency, withinDays, rule: commissionRule(withinDays), periods };
}

/**
 * Closes an ended period: the department's lines (ADMIN, or a SUPERVISOR without groups) or the
 * caller's groups' (a SUPERVISOR with groups), as computed now, stored and audited in one
 * transaction. A closed settlement overlapping both the period and the groups is a CONFLICT.
 */
export async function closeCommissionSettlement(ctx: RequestContext, args: CommissionArgs): Promise<ClosedCommissionSettlement> {
  const actor = caller(ctx);
  const { from, to, currency } = args.filter;
  const report = await commissionReport(ctx, { filter: { from, to, currency }, withinDays: args.withinDays });
  refuseUnendedPeriod(report.to);
  const groups = (await rowScope(ctx)).groupKeys;
  const saved = await ctx.db.dataSource.transaction(async (m) => {
    // One closing at a time, so two overlapping periods cannot both pass the check.
    await m.query('LOCK TABLE commission_settlements IN SHARE ROW EXCLUSIVE MODE');
    const [overlap] = await m.query(
      `SELECT id::text AS id FROM commission_settlements
        WHERE period_from <= $2::date AND period_to >= $1::date AND (group_keys IS NULL OR $3::text[] IS NULL OR group_keys && $3::text[]) LIMIT 1`,
      [report.from, report.to, groups],
    );
    if (overlap) throw new ConflictError(`Commission settlement ${overlap.id} already covers part of ${report.from}..${report.to}`, { settlement: overlap.id });
    const settlement = await m.getRepository(CommissionSettlement).save({
      groupKeys: groups,
      periodFrom: report.from,
      periodTo: report.to,
      currency: report.currency,
      withinDays: report.withinDays,
      rule: report.rule,
      total: report.total,
      closedBy: actor.name,
    });
    if (report.lines.length) {
      await m.getRepository(CommissionSettlementLine).insert(
        report.lines.map((l) => ({
          settlementId: settlement.id,
          specialistId: l.specialist.key!,
          specialistName: l.specialist.label ?? l.specialist.key!,
          partners: l.partners,
          payments: l.payments,
          amount: l.amount,
        })),
      );
    }
    await recordAudit(m, actor, {
      action: 'CLOSE',
      entityType: 'COMMISSION_SETTLEMENT',
      entityId: settlement.id,
      details: { from: report.from, to: report.to, currency: report.currency, withinDays: report.withinDays, total: report.total, groups },
    });
    return settlement;
  });
  return (await settlementsWhere(ctx, 'WHERE s.id = $1', [saved.id]))[0]!;
}

/** A month in progress cannot be frozen: payments of its remaining days would be missing for good. */
function refuseUnendedPeriod(to: string): void {
  const today = new Date().toISOString().slice(0, 10);
  if (to >= today) {
    throw new AnalyticsInputError('PERIOD_NOT_ENDED', `The period ends on ${to}: only a period that ended before today (${today}) can be closed`, 'to');
  }
}

/** Closed settlements, newest period first; a SUPERVISOR with groups sees the department's and those of their groups. */
export async function commissionSettlements(ctx: RequestContext, first?: number | null): Promise<ClosedCommissionSettlement[]> {
  const { groupKeys } = await rowScope(ctx);
  return settlementsWhere(ctx, 'WHERE s.group_keys IS NULL OR $2::text[] IS NULL OR s.group_keys && $2::text[] ORDER BY s.period_to DESC, s.id DESC LIMIT $1', [
    pageSize(first, 20, 200),
    groupKeys,
  ]);
}

async function settlementsWhere(ctx: RequestContext, tail: string, values: unknown[]): Promise<ClosedCommissionSettlement[]> {
  const rows: Array<{
    id: string;
    from: string;
    to: string;
    currency: string;
    within_days: number;
    rule: string;
    total: string;
    closed_at: Date;
    closed_by: string;
    group_keys: string[] | null;
    lines: Array<{ specialist_id: string; specialist_name: string; partners: number; payments: number; amount: string }>;
  }> = await ctx.db.dataSource.query(
    `SELECT s.id::text AS id, s.period_from::text AS from, s.period_to::text AS to, s.currency::text AS currency, s.within_days, s.rule, s.total::text AS total,
            s.closed_at, s.closed_by, s.group_keys,
            coalesce((SELECT json_agg(json_build_object('specialist_id', l.specialist_id::text, 'specialist_name', l.specialist_name, 'partners', l.partners,
                'payments', l.payments, 'amount', l.amount::text) ORDER BY l.specialist_id) FROM commission_settlement_lines l WHERE l.settlement_id = s.id), '[]') AS lines
       FROM commission_settlements s ${tail}`,
    values,
  );
  return rows.map((r) => ({
    id: r.id,
    from: r.from,
    to: r.to,
    currency: r.currency,
    withinDays: r.within_days,
    rule: r.rule,
    total: r.total,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    groups: r.group_keys,
    lines: r.lines.map((l) => ({
      specialist: { key: l.specialist_id, label: l.specialist_name },
      partners: l.partners,
      payments: l.payments,
      amount: l.amount,
    })),
  }));
}

function checkedWithinDays(withinDays: number | null | undefined): number {
  const n = withinDays ?? DEFAULT_WITHIN_DAYS;
  if (!Number.isInteger(n) || n < 0 || n > MAX_WITHIN_DAYS) {
    throw new AnalyticsInputError('BAD_ARGUMENT', `withinDays must be a whole number of days from 0 to ${MAX_WITHIN_DAYS}`, 'withinDays');
  }
  return n;
}

/**
 * Per specialist: the payments credited to them, the partners those came from and their amount;
 * with a granularity also per unit (month or week start) and specialist, in the same pass. From
 * the kept per-day credits when current (every filter and scope: the responsibility is kept in
 * their rows), else from the mirror.
 */
async function computeLines(
  ctx: RequestContext,
  f: Filter,
  withinDays: number,
  granularity: AnalyticsGranularityEnum | null,
  source: CommissionArgs['source'],
): Promise<{ lines: CommissionLine[]; units: Map<string, CommissionLine[]> }> {
  const fromCredits = source !== 'MIRROR' && (await paymentCreditsCurrent(ctx.db));
  const p = new Params();
  const sql = fromCredits ? creditDaysSql(p, f, withinDays, granularity) : creditedSql(p, f, withinDays, granularity);
  const rows: Row[] = await readRows(ctx, sql, p.values);
  const missing = rows.flatMap((r) => r.missing ?? []).sort();
  if (missing.length) {
    throw new AnalyticsFxRateMissingError(
      f.currency,
      missing.map((m) => ({ from: m.split(' ')[0]!, on: m.split(' ')[1]! })),
    );
  }
  const lineOf = (r: Row): CommissionLine => ({
    specialist: { key: r.specialist_id, label: r.name ?? r.specialist_id },
    partners: r.partners,
    payments: r.payments,
    amount: r.amount,
  });
  const units = new Map<string, CommissionLine[]>();
  for (const r of rows) if (r.unit !== null) units.set(r.unit, [...(units.get(r.unit) ?? []), lineOf(r)]);
  return { lines: rows.filter((r) => r.unit === null).map(lineOf), units };
}

/** The unit (month or week) a day column falls in, as text the way timeBuckets names it (ISO weeks start on Monday); NULL without a granularity. */
function unitOf(granularity: AnalyticsGranularityEnum | null, day: string): string {
  if (!granularity) return 'NULL::text';
  return `date_trunc('${granularity === AnalyticsGranularityEnum.WEEK ? 'week' : 'month'}', ${day}::timestamp)::date::text`;
}

/**
 * From the per-day sums of the kept credits (analytics_credit_days) the payments and amounts,
 * each day's currency converted once (the sum of amounts times the rate is the sum of the amounts
 * times it: numeric is exact); from each partner's credited days (analytics_credit_partner_days,
 * the rows of gap <= N only) the distinct partners. Both carry the partner's responsibility
 * (segment, group, strategy, as responsibilityCte computes it, moved with the partner), so the
 * filters and a SUPERVISOR's groups apply to their rows as they do to the partners'.
 */
function creditDaysSql(p: Params, f: Filter, withinDays: number, granularity: AnalyticsGranularityEnum | null): string {
  const from = p.add(f.from, 'date');
  const to = p.add(f.to, 'date');
  const within = p.add(withinDays, 'int');
  const currency = p.add(f.currency, 'text');
  const sets = (unit: string, specialist: string) => `GROUPING SETS ((${specialist})${granularity ? `, (${unit}, ${specialist})` : ''})`;
  // The gaps summed first: the rates join and the grouping then see a row per day, specialist and currency.
  return `WITH x AS (SELECT d.day, d.specialist_id, d.currency, sum(d.payments) AS payments, sum(d.amount) AS amount, ${unitOf(granularity, 'd.day')} AS unit
      FROM analytics_credit_days d
     WHERE d.day BETWEEN ${from} AND ${to} AND d.gap <= ${within} AND ${specialistCondition(p, f, 'd.specialist_id')}
       AND ${keptResponsibility(p, f, 'd')}
     GROUP BY d.day, d.specialist_id, d.currency),
  rates AS MATERIALIZED (SELECT c.currency, c.day, ${rateSql('c.currency', currency, 'c.day')} AS rate FROM (SELECT DISTINCT currency, day FROM x) c),
  amounts AS (SELECT ${granularity ? 'x.unit' : 'NULL::text'} AS unit, x.specialist_id, sum(x.payments)::int AS payments, round(sum(x.amount * r.rate), 4)::text AS amount,
         array_agg(DISTINCT x.currency::text || ' ' || x.day::text) FILTER (WHERE r.rate IS NULL) AS missing
    FROM x JOIN rates r ON r.currency = x.currency AND r.day = x.day
   GROUP BY ${sets('x.unit', 'x.specialist_id')}),
  credited AS (SELECT DISTINCT ${unitOf(granularity, 'k.day')} AS unit, k.specialist_id, k.partner_id FROM analytics_credit_partner_days k
     WHERE k.gap <= ${within} AND k.day BETWEEN ${from} AND ${to} AND ${specialistCondition(p, f, 'k.specialist_id')}
       AND ${keptResponsibility(p, f, 'k')}),
  partners AS (SELECT ${granularity ? 'c.unit' : 'NULL::text'} AS unit, c.specialist_id, count(DISTINCT c.partner_id)::int AS partners
    FROM credited c GROUP BY ${sets('c.unit', 'c.specialist_id')})
  SELECT a.unit, a.specialist_id::text AS specialist_id, s.name, n.partners, a.payments, a.amount, a.missing
    FROM amounts a JOIN partners n ON n.specialist_id = a.specialist_id AND n.unit IS NOT DISTINCT FROM a.unit
    LEFT JOIN specialists s ON s.id = a.specialist_id
   ORDER BY a.specialist_id`;
}

/** The filters and group scope on the responsibility kept in a credits table's rows (alias `t`), as responsibilityCte applies them to the partners'. */
function keptResponsibility(p: Params, f: Filter, t: string): string {
  const c = { segment: `${t}.segment`, group: `${t}.group_key`, strategy: `${t}.strategy_key` };
  return [...responsibilityConditions(p, f, c), companyCodeBySegmentCondition(p, f, c.segment)].join(' AND ');
}

/** From the mirror: the payments of partners in the responsibility's scope (resp), each credited by the latest event within N days. */
function creditedSql(p: Params, f: Filter, withinDays: number, granularity: AnalyticsGranularityEnum | null): string {
  const resp = responsibilityCte(p, f, { withSpecialist: false, companyCodeBySegment: true });
  const from = p.add(f.from, 'date');
  const to = p.add(f.to, 'date');
  const within = p.add(withinDays, 'int');
  const currency = p.add(f.currency, 'text');
  const eventsFrom = p.add(addDays(f.from, -withinDays), 'date');
  const credited = `events AS (SELECT c.partner_id, c.contact_date AS d, c.author_specialist_id AS specialist_id, c.id AS seq
      FROM contacts c JOIN resp r ON r.partner_id = c.partner_id
     WHERE c.author_specialist_id IS NOT NULL AND c.contact_date BETWEEN ${eventsFrom} AND ${to}
    UNION ALL
    SELECT q.partner_id, q.created_date, c.author_specialist_id, c.id
      FROM contacts c JOIN promises q ON q.id = ANY (c.promise_ids) JOIN resp r ON r.partner_id = q.partner_id
     WHERE c.author_specialist_id IS NOT NULL AND q.created_date BETWEEN ${eventsFrom} AND ${to}),
  credited AS (SELECT DISTINCT ON (y.id) y.id, y.partner_id, y.payment_date, y.amount, y.currency, e.specialist_id
      FROM payments y JOIN events e ON e.partner_id = y.partner_id AND e.d BETWEEN y.payment_date - ${within} AND y.payment_date
     WHERE y.payment_date BETWEEN ${from} AND ${to}
     ORDER BY y.id, e.d DESC, e.seq DESC)`;
  return `WITH ${resp},
  ${credited},
  x AS (SELECT credited.*, ${unitOf(granularity, 'credited.payment_date')} AS unit FROM credited WHERE ${specialistCondition(p, f, 'credited.specialist_id')}),
  rates AS MATERIALIZED (SELECT c.currency, c.payment_date, ${rateSql('c.currency', currency, 'c.payment_date')} AS rate FROM (SELECT DISTINCT currency, payment_date FROM x) c)
  SELECT ${granularity ? 'x.unit' : 'NULL::text'} AS unit, x.specialist_id::text AS specialist_id, min(s.name) AS name, count(DISTINCT x.partner_id)::int AS partners, count(*)::int AS payments,
         round(sum(x.amount * r.rate), 4)::text AS amount,
         array_agg(DISTINCT x.currency::text || ' ' || x.payment_date::text) FILTER (WHERE r.rate IS NULL) AS missing
    FROM x JOIN rates r ON r.currency = x.currency AND r.payment_date = x.payment_date
    LEFT JOIN specialists s ON s.id = x.specialist_id
   GROUP BY GROUPING SETS ((x.specialist_id)${granularity ? ', (x.unit, x.specialist_id)' : ''}) ORDER BY x.specialist_id`;
}
