/**
 * Which path computes a selection's facts at key date D (issue 19). The maintained parts
 * (partner_facts, kept exact at every commit) give a partner's facts at D exactly when its horizon,
 * its latest event date, is on or before D: the usual case, D = today. The others ("late": events
 * dated after D) come from the mirror, in the same statement. When many are late (a past key date:
 * a backtest, a re-run of an old date) the mirror path alone is cheaper than the union.
 */
import type { FactRowsOptions } from '@recoup/rules';

/** What factRowsSql takes to choose the path. */
export type FactSource = Pick<FactRowsOptions, 'source' | 'latePartnerIds'>;

/** The mirror path alone: exact at any key date. */
export const MIRROR: FactSource = { source: 'mirror' };

/**
 * For one partner or a few (the customer 360, a score's explanation): the maintained facts, the
 * statement itself finding the late partners among them (no round trip first).
 */
export const MAINTAINED_WITH_LOOKUP: FactSource = { source: 'maintained', latePartnerIds: 'lookup' };

/** Above this share of late partners in a selection, the mirror path alone. */
export const MIRROR_ABOVE_LATE_SHARE = 0.1;

interface Queryable {
  query(text: string, values?: unknown[]): Promise<any>;
}

/** A selection of partners by segments (a run) or ids. */
export interface FactSelection {
  asOf: string;
  segments?: string[];
  partnerIds?: string[];
}

/**
 * The path for a selection of `selected` partners at D: the maintained facts with the late
 * partners from the mirror, or the mirror alone when more than MIRROR_ABOVE_LATE_SHARE of them are
 * late. One probe of the horizon index, reading at most that many late partners.
 */
export async function factSourceFor(db: Queryable, selection: FactSelection, selected: number): Promise<FactSource> {
  const most = Math.floor(selected * MIRROR_ABOVE_LATE_SHARE);
  const values: unknown[] = [selection.asOf, most + 1];
  const within: string[] = [];
  if (selection.segments) within.push(`f.partner_id IN (SELECT p.id FROM partners p WHERE p.segment = ANY($${values.push(selection.segments)}::text[]))`);
  if (selection.partnerIds) within.push(`f.partner_id = ANY($${values.push(selection.partnerIds)}::bigint[])`);
  const late: Array<{ id: string }> = await db.query(
    `SELECT f.partner_id::text AS id FROM partner_facts f WHERE f.horizon > $1::date${within.map((w) => ` AND ${w}`).join('')} LIMIT $2`,
    values,
  );
  return late.length > most ? MIRROR : { source: 'maintained', latePartnerIds: late.map((r) => r.id) };
}
