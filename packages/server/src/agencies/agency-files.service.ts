/**
 * The agency's files (issue 22). Out: the placement file of `pnpm recoup agency export AGENCY
 * --as-of D`, the placement events (PLACED, RECALLED, CLEARED) since the agency's last export, in
 * event order up to the first one dated after D (held back for the next file), the watermark
 * remembered in the same transaction. In: a payment report row (agency_payments.csv) becomes a
 * payment on the item in the mirror, clears the item by its amount and counts for the agency's
 * placement; a cleared item leaves the placement (CLEARED), and a placement with no item left is
 * CLOSED.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { isAmount, toUnits } from '../fx/money';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { isIsoDate } from '../graphql/scalars';

export const PLACEMENT_FILE_COLUMNS = [
  'event',
  'event_date',
  'placement_id',
  'partner_id',
  'partner_name',
  'item_id',
  'due_date',
  'amount',
  'currency',
  'reason',
] as const;

export interface PlacementFile {
  agency: string;
  asOf: string;
  /** Rows in PLACEMENT_FILE_COLUMNS order. */
  rows: Array<Array<string | null>>;
  /** The last event covered (the next export starts after it). */
  watermark: string;
}

/** Reads the events since the agency's last export (dated on or before asOf, in order) and records the export. */
export async function exportPlacementFile(m: EntityManager, agency: string, asOf: string): Promise<PlacementFile> {
  if (!isIsoDate(asOf)) throw new BadUserInputError('asOf must be a date (YYYY-MM-DD)', 'asOf');
  const [known] = await m.query(`SELECT key FROM agencies WHERE key = $1 FOR UPDATE`, [agency]);
  if (!known) throw new NotFoundError('Agency', agency);
  await releaseClearedElsewhere(m, agency, asOf);
  const [last] = await m.query(`SELECT coalesce(max(watermark), 0)::text AS watermark FROM agency_exports WHERE agency_key = $1`, [agency]);
  // Events in id order up to (not including) the first dated after asOf: none is skipped for good.
  const events: Array<{ id: string; row: Array<string | null> }> = (
    await m.query(
      `SELECT e.id::text AS id, e.kind, e.event_date::text AS event_date, e.placement_id::text AS placement_id, p.external_id AS partner, p.name,
          i.external_id AS item, i.due_date::text AS due_date, e.amount::text AS amount, e.currency::text AS currency, e.reason
         FROM placement_events e JOIN partners p ON p.id = e.partner_id JOIN open_items i ON i.id = e.item_id
        WHERE e.agency_key = $1 AND e.id > $2::bigint
          AND e.id < coalesce((SELECT min(f.id) FROM placement_events f WHERE f.agency_key = $1 AND f.id > $2::bigint AND f.event_date > $3::date), 9223372036854775807)
        ORDER BY e.id`,
      [agency, last.watermark, asOf],
    )
  ).map((r: Record<string, string | null>) => ({
    id: r.id!,
    row: [r.kind, r.event_date, r.placement_id, r.partner, r.name, r.item, r.due_date, r.amount, r.currency, r.reason],
  }));
  const watermark = events.length ? events.at(-1)!.id : last.watermark;
  await m.query(`INSERT INTO agency_exports (agency_key, as_of, watermark, rows) VALUES ($1, $2, $3, $4)`, [agency, asOf, watermark, events.length]);
  return { agency, asOf, rows: events.map((e) => e.row), watermark };
}

export interface AgencyPaymentRow {
  agency: string;
  itemId: string;
  paymentDate: string;
  amount: string;
  currency: string;
}

/** A reported payment that cannot be applied; `column` names the CSV column at fault. */
export class AgencyPaymentError extends Error {
  constructor(
    readonly column: keyof typeof PAYMENT_COLUMNS,
    message: string,
  ) {
    super(message);
    this.name = 'AgencyPaymentError';
  }
}

const PAYMENT_COLUMNS = { agency: 'agency', itemId: 'item_id', paymentDate: 'payment_date', amount: 'amount', currency: 'currency' } as const;
export const AGENCY_PAYMENT_COLUMN = PAYMENT_COLUMNS;

/**
 * Applies one reported payment; `occurrence` numbers equal rows of one file (1, 2, ...) so that a
 * re-import of the same file finds its payments again (false: already applied, nothing written).
 */
export async function applyAgencyPayment(m: EntityManager, row: AgencyPaymentRow, occurrence: number): Promise<boolean> {
  if (!isAmount(row.amount) || toUnits(row.amount) <= 0n)
    throw new AgencyPaymentError('amount', `amount must be positive with at most 4 decimals (got ${row.amount})`);
  const externalId = `AGY-${createHash('sha256')
    .update([row.agency, row.itemId, row.paymentDate, toUnits(row.amount), row.currency, occurrence].join('|'))
    .digest('hex')
    .slice(0, 32)}`;
  if ((await m.query(`SELECT 1 FROM payments WHERE external_id = $1`, [externalId])).length) return false;
  const [item] = await m.query(
    `SELECT i.id::text AS id, i.partner_id::text AS partner_id, i.open_amount::text AS open_amount, i.currency::text AS currency,
        pl.id::text AS placement_id, pl.agency_key, pl.placed_on::text AS placed_on
       FROM open_items i LEFT JOIN item_holds h ON h.item_id = i.id AND h.kind = 'PLACEMENT' AND h.ended_on IS NULL LEFT JOIN placements pl ON pl.id = h.holder_id
      WHERE i.external_id = $1 FOR UPDATE OF i`,
    [row.itemId],
  );
  if (!item) throw new AgencyPaymentError('itemId', `item ${row.itemId} does not exist`);
  if (item.agency_key !== row.agency) throw new AgencyPaymentError('itemId', `item ${row.itemId} is not placed with agency ${row.agency}`);
  if (row.paymentDate < item.placed_on) throw new AgencyPaymentError('paymentDate', `the payment is dated before the placement (${item.placed_on})`);
  if (row.currency !== item.currency) throw new AgencyPaymentError('currency', `the item is in ${item.currency}, not ${row.currency}`);
  if (toUnits(row.amount) > toUnits(item.open_amount))
    throw new AgencyPaymentError('amount', `more than the open amount ${item.open_amount} of item ${row.itemId}`);
  const [payment] = await m.query(
    `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id`,
    [externalId, item.partner_id, item.id, row.paymentDate, row.amount, row.currency],
  );
  await m.query(`INSERT INTO agency_payments (payment_id, agency_key, placement_id, payment_date) VALUES ($1, $2, $3, $4)`, [
    payment.id,
    row.agency,
    item.placement_id,
    row.paymentDate,
  ]);
  await m.query(`UPDATE open_items SET open_amount = open_amount - $2::numeric WHERE id = $1`, [item.id, row.amount]);
  const [{ cleared }] = await m.query(`SELECT open_amount = 0 AS cleared FROM open_items WHERE id = $1`, [item.id]);
  if (cleared) await releaseCleared(m, item.placement_id, item.id, row.paymentDate);
  return true;
}

/**
 * Items of the agency's placements cleared other than by its reports (a payment to the company, an
 * AR import) leave their placement before the file is written, dated by their latest payment on or
 * before asOf (asOf without one), so the agency hears of them too.
 */
async function releaseClearedElsewhere(m: EntityManager, agency: string, asOf: string): Promise<void> {
  const cleared: Array<{ placement_id: string; item_id: string; cleared_on: string }> = await m.query(
    `SELECT h.holder_id::text AS placement_id, h.item_id::text AS item_id,
        coalesce((SELECT max(y.payment_date) FROM payments y WHERE y.item_id = h.item_id AND y.payment_date <= $2::date), $2::date)::text AS cleared_on
       FROM item_holds h JOIN placements pl ON pl.id = h.holder_id JOIN open_items i ON i.id = h.item_id
      WHERE h.kind = 'PLACEMENT' AND h.ended_on IS NULL AND pl.agency_key = $1 AND i.open_amount <= 0 ORDER BY h.item_id`,
    [agency, asOf],
  );
  for (const c of cleared) await releaseCleared(m, c.placement_id, c.item_id, c.cleared_on);
}

/** A cleared item leaves its placement (a CLEARED event for the file); the last one closes it. */
async function releaseCleared(m: EntityManager, placementId: string, itemId: string, clearedOn: string): Promise<void> {
  // The hold ends on the clearing date (kept for the days before it; never before its start).
  await m.query(`UPDATE item_holds SET ended_on = greatest(started_on, $2::date) WHERE item_id = $1 AND kind = 'PLACEMENT' AND ended_on IS NULL`, [
    itemId,
    clearedOn,
  ]);
  await m.query(
    `INSERT INTO placement_events (agency_key, placement_id, partner_id, item_id, kind, event_date, amount, currency)
     SELECT pl.agency_key, pl.id, x.partner_id, x.item_id, 'CLEARED', $3, x.placed_amount, x.currency
       FROM placements pl JOIN placement_items x ON x.placement_id = pl.id WHERE pl.id = $1 AND x.item_id = $2`,
    [placementId, itemId, clearedOn],
  );
  await m.query(
    `UPDATE placements SET status = 'CLOSED', version = version + 1, changed_at = now()
      WHERE id = $1 AND status = 'PLACED' AND NOT EXISTS (SELECT 1 FROM item_holds h WHERE h.kind = 'PLACEMENT' AND h.holder_id = $1 AND h.ended_on IS NULL)`,
    [placementId],
  );
}
