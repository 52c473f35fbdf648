/** Resubmissions: on its date the partner returns to the worklist (dynamic update). */
import type { Database } from '../db/database';
import { revaluatePartner } from '../worklists/worklist-revaluation.service';
import { BadUserInputError } from '../graphql/errors';
import { date, partnerOf, type EventResult } from '../collections/collection-input';

export interface ResubmissionInput { partnerId: string; resubmissionDate: string; reason: string }

export async function scheduleResubmission(db: Database, input: ResubmissionInput): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    if (!input.reason.trim()) throw new BadUserInputError('A resubmission needs a reason', 'reason');
    const [row] = await m.query(
      `INSERT INTO resubmissions (partner_id, resubmission_date, reason) VALUES ($1, $2, $3) RETURNING id`,
      [partner.id, date(input.resubmissionDate, 'resubmissionDate'), input.reason.trim()],
    );
    return { id: row.id, revaluation: await revaluatePartner(m, partner.id) };
  });
}
