/** Posting a payment; it re-valuates the partner's worklist item (dynamic update). */
import type { Database } from '../db/database';
import { revaluatePartner } from '../worklists/worklist-revaluation.service';
import { BadUserInputError } from '../graphql/errors';
import { amount, date, externalId, itemOf, partnerOf, type EventResult } from '../collections/collection-input';

export interface PaymentInput { partnerId: string; itemId?: string | null; paymentDate: string; amount: string; currency?: string }

/** A payment; on an item it clears the item by the amount (never below zero). */
export async function recordPayment(db: Database, input: PaymentInput): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const item = await itemOf(m, partner.id, input.itemId);
    const currency = input.currency ?? item?.currency ?? partner.currency;
    if (item && currency !== item.currency) throw new BadUserInputError(`A payment on item ${item.id} is in its currency ${item.currency}`, 'currency');
    const [row] = await m.query(
      `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [externalId(), partner.id, item?.id ?? null, date(input.paymentDate, 'paymentDate'), amount(input.amount, 'amount'), currency],
    );
    if (item) await m.query(`UPDATE open_items SET open_amount = greatest(open_amount - $2::numeric, 0) WHERE id = $1`, [item.id, input.amount]);
    return { id: row.id, revaluation: await revaluatePartner(m, partner.id, input.paymentDate) };
  });
}

