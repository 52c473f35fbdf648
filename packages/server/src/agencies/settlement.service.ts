/**
 * Agency commission (issue 22): the agency earns its percent of every payment on an item of its
 * placement dated during the placement (placed_on to the recall, if any) - the payments it
 * reported, and those the company received directly when the agency's countDirectPayments says so.
 * Each payment's commission is rounded half up to the cent (exact numeric); totals per currency
 * are sums of those. A settlement covers a period of payment dates; closing freezes its lines
 * (with the percent and setting then) and is audited; closed periods of an agency never overlap.
 */
import type { EntityManager } from 'typeorm';
import { recordAudit, type Actor } from '../audit';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { isIsoDate } from '../graphql/scalars';

export interface SettlementLine {
  paymentId: string;
  placementId: string;
  partnerExternalId: string;
  itemExternalId: string;
  paymentDate: string;
  amount: string;
  currency: string;
  viaAgency: boolean;
  commission: string;
}

export interface SettlementTotal {
  currency: string;
  collected: string;
  commission: string;
}

export interface Settlement {
  agency: string;
  periodFrom: string;
  periodTo: string;
  commissionPercent: string;
  countDirectPayments: boolean;
  /** Set when the period is closed (its frozen lines); null: computed now. */
  settlementId: string | null;
  closedAt: Date | null;
  lines: SettlementLine[];
  totals: SettlementTotal[];
}

type Queryable = Pick<EntityManager, 'query'>;

/** The period's lines as they count now: one per payment, its latest matching placement of the agency. */
const LIVE_LINES = `SELECT DISTINCT ON (y.id) y.id::text AS "paymentId", pl.id::text AS "placementId", p.external_id AS "partnerExternalId",
    i.external_id AS "itemExternalId", y.payment_date::text AS "paymentDate", y.amount::text AS amount, y.currency::text AS currency,
    (ap.payment_id IS NOT NULL) AS "viaAgency", round(y.amount * a.commission_percent / 100, 2)::numeric(19,4)::text AS commission
  FROM agencies a
  JOIN placements pl ON pl.agency_key = a.key
  JOIN placement_items x ON x.placement_id = pl.id
  JOIN payments y ON y.item_id = x.item_id AND y.payment_date >= pl.placed_on AND (pl.recalled_on IS NULL OR y.payment_date <= pl.recalled_on)
  JOIN open_items i ON i.id = y.item_id JOIN partners p ON p.id = y.partner_id
  LEFT JOIN agency_payments ap ON ap.payment_id = y.id AND ap.agency_key = a.key
 WHERE a.key = $1 AND y.payment_date BETWEEN $2::date AND $3::date AND (ap.payment_id IS NOT NULL OR a.count_direct_payments)
 ORDER BY y.id, pl.id DESC`;

const FROZEN_LINES = `SELECT l.payment_id::text AS "paymentId", l.placement_id::text AS "placementId", p.external_id AS "partnerExternalId",
    i.external_id AS "itemExternalId", l.payment_date::text AS "paymentDate", l.amount::text AS amount, l.currency::text AS currency,
    l.via_agency AS "viaAgency", l.commission::text AS commission
  FROM agency_settlement_lines l JOIN open_items i ON i.id = l.item_id JOIN partners p ON p.id = i.partner_id
 WHERE l.settlement_id = $1 ORDER BY l.payment_date, l.payment_id`;

/** The agency's settlement of from..to: the closed one of exactly that period, else computed now. */
export async function agencySettlement(q: Queryable, agency: string, from: string, to: string): Promise<Settlement> {
  assertPeriod(from, to);
  const [a] = await q.query(`SELECT key, commission_percent::text AS percent, count_direct_payments AS direct FROM agencies WHERE key = $1`, [agency]);
  if (!a) throw new NotFoundError('Agency', agency);
  const [closed] = await q.query(
    `SELECT id::text AS id, commission_percent::text AS percent, count_direct_payments AS direct, closed_at
       FROM agency_settlements WHERE agency_key = $1 AND period_from = $2 AND period_to = $3`,
    [agency, from, to],
  );
  const lines: SettlementLine[] = closed
    ? await q.query(FROZEN_LINES, [closed.id])
    : (await q.query(LIVE_LINES, [agency, from, to])).sort((x: SettlementLine, y: SettlementLine) =>
        x.paymentDate + x.paymentId.padStart(20, '0') < y.paymentDate + y.paymentId.padStart(20, '0') ? -1 : 1,
      );
  return {
    agency,
    periodFrom: from,
    periodTo: to,
    commissionPercent: closed?.percent ?? a.percent,
    countDirectPayments: closed?.direct ?? a.direct,
    settlementId: closed?.id ?? null,
    closedAt: closed?.closed_at ?? null,
    lines,
    totals: await totalsOf(q, lines),
  };
}

/** Closes from..to for the agency: its lines frozen as they count now; an overlapping closed period is a CONFLICT. */
export async function closeAgencySettlement(m: EntityManager, actor: Actor, agency: string, from: string, to: string): Promise<string> {
  assertPeriod(from, to);
  const [a] = await m.query(`SELECT commission_percent::text AS percent, count_direct_payments AS direct FROM agencies WHERE key = $1 FOR UPDATE`, [agency]);
  if (!a) throw new NotFoundError('Agency', agency);
  const [overlap] = await m.query(
    `SELECT period_from::text AS "from", period_to::text AS "to" FROM agency_settlements WHERE agency_key = $1 AND period_from <= $3::date AND period_to >= $2::date`,
    [agency, from, to],
  );
  if (overlap) throw new ConflictError(`Agency ${agency} has a closed settlement ${overlap.from}..${overlap.to} overlapping ${from}..${to}`);
  const [settlement] = await m.query(
    `INSERT INTO agency_settlements (agency_key, period_from, period_to, commission_percent, count_direct_payments, closed_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id`,
    [agency, from, to, a.percent, a.direct, actor.name],
  );
  await m.query(
    `INSERT INTO agency_settlement_lines (settlement_id, payment_id, placement_id, item_id, payment_date, amount, currency, via_agency, commission)
     SELECT $4, l."paymentId"::bigint, l."placementId"::bigint, y.item_id, l."paymentDate"::date, l.amount::numeric, l.currency, l."viaAgency", l.commission::numeric
       FROM (${LIVE_LINES}) l JOIN payments y ON y.id = l."paymentId"::bigint`,
    [agency, from, to, settlement.id],
  );
  const lines: SettlementLine[] = await m.query(FROZEN_LINES, [settlement.id]);
  await recordAudit(m, actor, {
    action: 'CLOSE',
    entityType: 'AGENCY_SETTLEMENT',
    entityId: settlement.id,
    details: { agency, from, to, lines: lines.length, totals: await totalsOf(m, lines) },
  });
  return settlement.id;
}

function assertPeriod(from: string, to: string): void {
  if (!isIsoDate(from)) throw new BadUserInputError('from must be a date (YYYY-MM-DD)', 'from');
  if (!isIsoDate(to)) throw new BadUserInputError('to must be a date (YYYY-MM-DD)', 'to');
  if (to < from) throw new BadUserInputError('to is before from', 'to');
}

/** Per currency: collected and commission, summed exactly (numeric, in the database). */
async function totalsOf(q: Queryable, lines: SettlementLine[]): Promise<SettlementTotal[]> {
  if (!lines.length) return [];
  return q.query(
    `SELECT c AS currency, sum(a)::text AS collected, sum(k)::text AS commission FROM unnest($1::text[], $2::numeric[], $3::numeric[]) AS u(c, a, k)
      GROUP BY c ORDER BY c`,
    [lines.map((l) => l.currency), lines.map((l) => l.amount), lines.map((l) => l.commission)],
  );
}
