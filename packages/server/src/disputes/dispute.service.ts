/** Disputes; each write re-valuates the partner's worklist item (dynamic update). */
import type { Database } from '../db/database';
import { revaluatePartner } from '../worklists/worklist-revaluation.service';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { amount, date, externalId, itemOf, partnerOf, type EventResult } from '../collections/collection-input';
import { DISPUTE_STATUSES, type DisputeStatus } from './dispute.entity';

export interface DisputeInput { partnerId: string; itemId?: string | null; createdDate: string; disputedAmount: string; currency?: string; reason?: string | null }

export async function openDispute(db: Database, input: DisputeInput): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const item = await itemOf(m, partner.id, input.itemId);
    const created = date(input.createdDate, 'createdDate');
    const [row] = await m.query(
      `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status, reason) VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7) RETURNING id`,
      [externalId(), partner.id, item?.id ?? null, created, amount(input.disputedAmount, 'disputedAmount'), input.currency ?? item?.currency ?? partner.currency, input.reason ?? null],
    );
    return { id: row.id, revaluation: await revaluatePartner(m, partner.id, created) };
  });
}

/** A dispute's new status (the full state machine comes with dispute management). */
export async function setDisputeStatus(db: Database, disputeId: string, status: DisputeStatus): Promise<EventResult> {
  if (!DISPUTE_STATUSES.includes(status)) throw new BadUserInputError(`Unknown dispute status ${status}`, 'status');
  return db.dataSource.transaction(async (m) => {
    const [dispute]: Array<{ id: string; partner_id: string }> = /^\d+$/.test(disputeId)
      ? await m.query(`SELECT id, partner_id FROM disputes WHERE id = $1 FOR UPDATE`, [disputeId]) : [];
    if (!dispute) throw new NotFoundError('Dispute', disputeId);
    await m.query(`UPDATE disputes SET status = $2 WHERE id = $1`, [dispute.id, status]);
    return { id: dispute.id, revaluation: await revaluatePartner(m, String(dispute.partner_id)) };
  });
}

