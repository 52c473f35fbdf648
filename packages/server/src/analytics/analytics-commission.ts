/**
 * Commission settlement: per specialist, the payments of the period on partners they worked.
 * A payment is credited to the specialist of the latest contact they made, or promise obtained by
 * one of their contacts, on that partner, dated from N days before the payment up to its day
 * (one specialist per payment). A settlement can be closed: its lines are stored as computed and
 * never change again; closing is audited, and a period overlapping a closed one is refused.
 */
import { recordAudit } from '../audit';
import { caller } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { ConflictError } from '../graphql/errors';
import { pageSize } from '../graphql/paging';
import { AnalyticsFxRateMissingError, AnalyticsInputError } from './analytics.errors';
import { sum } from './analytics.figures';
import { addDays, checkedFilter, type Filter } from './analytics.filter';
import { Params, rateSql, readRows, responsibilityCte, specialistCondition } from './analytics.sql';
import type { AnalyticsFilter, CommissionLine, CommissionReport, ClosedCommissionSettlement } from './analytics.types';
import { CommissionSettlement, CommissionSettlementLine } from './commission.entity';

export const DEFAULT_WITHIN_DAYS = 14;
const MAX_WITHIN_DAYS = 365;

export interface CommissionArgs {
  filter: AnalyticsFilter;
  withinDays?: number | null;
}

interface Row {
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
  const filter = await checkedFilter(ctx, args.filter);
  const withinDays = checkedWithinDays(args.withinDays);
  const lines = await computeLines(ctx, filter, withinDays);
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

/** Closes the period for the whole department: the lines as computed now, stored and audited in one transaction. */
export async function closeCommissionSettlement(ctx: RequestContext, args: CommissionArgs): Promise<ClosedCommissionSettlement> {
  const actor = caller(ctx);
  const { from, to, currency } = args.filter;
  const report = await commissionReport(ctx, { filter: { from, to, currency }, withinDays: args.withinDays });
  const saved = await ctx.db.dataSource.transaction(async (m) => {
    // One closing at a time, so two overlapping periods cannot both pass the check.
    await m.query('LOCK TABLE commission_settlements IN SHARE ROW EXCLUSIVE MODE');
    const [overlap] = await m.query(`SELECT id::text AS id FROM commission_settlements WHERE period_from <= $2::date AND period_to >= $1::date LIMIT 1`, [
      report.from,
      report.to,
    ]);
    if (overlap) throw new ConflictError(`Commission settlement ${overlap.id} already covers part of ${report.from}..${report.to}`, { settlement: overlap.id });
    const settlement = await m.getRepository(CommissionSettlement).save({
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
      details: { from: report.from, to: report.to, currency: report.currency, withinDays: report.withinDays, total: report.total },
    });
    return settlement;
  });
  return (await settlementsWhere(ctx, 'WHERE s.id = $1', [saved.id]))[0]!;
}

/** Closed settlements, newest period first. */
export function commissionSettlements(ctx: RequestContext, first?: number | null): Promise<ClosedCommissionSettlement[]> {
  return settlementsWhere(ctx, 'ORDER BY s.period_to DESC, s.id DESC LIMIT $1', [pageSize(first, 20, 200)]);
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
    lines: Array<{ specialist_id: string; specialist_name: string; partners: number; payments: number; amount: string }>;
  }> = await ctx.db.dataSource.query(
    `SELECT s.id::text AS id, s.period_from::text AS from, s.period_to::text AS to, s.currency::text AS currency, s.within_days, s.rule, s.total::text AS total,
            s.closed_at, s.closed_by,
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

/** Per specialist: the payments credited to them, the partners those came from and their amount. */
async function computeLines(ctx: RequestContext, f: Filter, withinDays: number): Promise<CommissionLine[]> {
  const p = new Params();
  const resp = responsibilityCte(p, f, { withSpecialist: false, companyCodeBySegment: true });
  const from = p.add(f.from, 'date');
  const to = p.add(f.to, 'date');
  const eventsFrom = p.add(addDays(f.from, -withinDays), 'date');
  const within = p.add(withinDays, 'int');
  const currency = p.add(f.currency, 'text');
  const sql = `WITH ${resp},
  events AS (SELECT c.partner_id, c.contact_date AS d, c.author_specialist_id AS specialist_id, c.id AS seq
      FROM contacts c JOIN resp r ON r.partner_id = c.partner_id
     WHERE c.author_specialist_id IS NOT NULL AND c.contact_date BETWEEN ${eventsFrom} AND ${to}
    UNION ALL
    SELECT q.partner_id, q.created_date, c.author_specialist_id, c.id
      FROM contacts c JOIN promises q ON q.id = ANY (c.promise_ids) JOIN resp r ON r.partner_id = q.partner_id
     WHERE c.author_specialist_id IS NOT NULL AND q.created_date BETWEEN ${eventsFrom} AND ${to}),
  credited AS (SELECT DISTINCT ON (y.id) y.id, y.partner_id, y.payment_date, y.amount, y.currency, e.specialist_id
      FROM payments y JOIN events e ON e.partner_id = y.partner_id AND e.d BETWEEN y.payment_date - ${within} AND y.payment_date
     WHERE y.payment_date BETWEEN ${from} AND ${to}
     ORDER BY y.id, e.d DESC, e.seq DESC),
  x AS (SELECT * FROM credited WHERE ${specialistCondition(p, f, 'credited.specialist_id')}),
  rates AS (SELECT c.currency, c.payment_date, ${rateSql('c.currency', currency, 'c.payment_date')} AS rate FROM (SELECT DISTINCT currency, payment_date FROM x) c)
  SELECT x.specialist_id::text AS specialist_id, min(s.name) AS name, count(DISTINCT x.partner_id)::int AS partners, count(*)::int AS payments,
         round(sum(x.amount * r.rate), 4)::text AS amount,
         array_agg(DISTINCT x.currency::text || ' ' || x.payment_date::text) FILTER (WHERE r.rate IS NULL) AS missing
    FROM x JOIN rates r ON r.currency = x.currency AND r.payment_date = x.payment_date
    LEFT JOIN specialists s ON s.id = x.specialist_id
   GROUP BY x.specialist_id ORDER BY x.specialist_id`;
  const rows: Row[] = await readRows(ctx, sql, p.values);
  const missing = rows.flatMap((r) => r.missing ?? []).sort();
  if (missing.length) {
    throw new AnalyticsFxRateMissingError(
      f.currency,
      missing.map((m) => ({ from: m.split(' ')[0]!, on: m.split(' ')[1]! })),
    );
  }
  return rows.map((r) => ({
    specialist: { key: r.specialist_id, label: r.name ?? r.specialist_id },
    partners: r.partners,
    payments: r.payments,
    amount: r.amount,
  }));
}
