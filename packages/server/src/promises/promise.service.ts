/** Promises to pay; each write re-valuates the partner's worklist item (dynamic update). */
import type { Database } from '../db/database';
import { revaluatePartner } from '../worklists/worklist-revaluation.service';
import { BadUserInputError } from '../graphql/errors';
import { amount, date, externalId, itemOf, partnerOf, type EventResult } from '../collections/collection-input';

export interface PromiseInput { partnerId: string; itemId?: string | null; createdDate: string; promisedDate: string; amount: string; currency?: string }

export async function createPromise(db: Database, input: PromiseInput): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const item = await itemOf(m, partner.id, input.itemId);
    const created = date(input.createdDate, 'createdDate');
    if (date(input.promisedDate, 'promisedDate') < created) throw new BadUserInputError('The promised date is before the promise was made', 'promisedDate');
    const [row] = await m.query(
      `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [externalId(), partner.id, item?.id ?? null, created, input.promisedDate, amount(input.amount, 'amount'), input.currency ?? item?.currency ?? partner.currency],
    );
    return { id: row.id, revaluation: await revaluatePartner(m, partner.id, created) };
  });
}

