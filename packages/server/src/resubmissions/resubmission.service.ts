/**
 * Resubmissions: on its date the partner returns to the worklist (the `resubmissionDue` fact, read
 * by the next worklist run or re-valuation at or after that date) until the resubmission is done.
 * Each write re-valuates the partner's worklist item (dynamic update) in the same transaction.
 */
import type { Database } from '../db/database';
import { parseId, today } from '../graphql/scalars';
import { revaluatePartner } from '../worklists';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { date, partnerOf, type EventResult } from '../collections';

export interface ResubmissionInput {
  partnerId: string;
  resubmissionDate: string;
  reason: string;
  createdBy?: string | null;
}

export async function scheduleResubmission(db: Database, input: ResubmissionInput): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    if (!input.reason.trim()) throw new BadUserInputError('A resubmission needs a reason', 'reason');
    const [row] = await m.query(`INSERT INTO resubmissions (partner_id, resubmission_date, reason, created_by) VALUES ($1, $2, $3, $4) RETURNING id`, [
      partner.id,
      date(input.resubmissionDate, 'resubmissionDate'),
      input.reason.trim(),
      input.createdBy ?? null,
    ]);
    return { id: row.id, revaluation: await revaluatePartner(m, partner.id) };
  });
}

/** Marks a resubmission done (once: done twice is a CONFLICT); the partner may leave the list. */
export async function markResubmissionDone(db: Database, resubmissionId: string, doneBy: string | null): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const [row] = await m.query(`SELECT id::text AS id, partner_id::text AS partner_id, done FROM resubmissions WHERE id = $1 FOR UPDATE`, [
      parseId(resubmissionId, 'Resubmission'),
    ]);
    if (!row) throw new NotFoundError('Resubmission', resubmissionId);
    if (row.done) throw new ConflictError(`Resubmission ${resubmissionId} is already done`);
    // done_on: the business date (UTC, as `today()`) a point-in-time run counts it done from.
    const doneOn = today();
    await m.query(`UPDATE resubmissions SET done = true, done_at = now(), done_on = $3::date, done_by = $2 WHERE id = $1`, [row.id, doneBy, doneOn]);
    // Re-valuated at its done date when later than the run's key date: facts are point in time.
    return { id: row.id, revaluation: await revaluatePartner(m, row.partner_id, doneOn) };
  });
}

/** The partner of a resubmission (for the caller's reach before a write); NOT_FOUND for a malformed or unknown id. */
export async function resubmissionPartner(db: Database, resubmissionId: string): Promise<string> {
  const [row] = await db.dataSource.query(`SELECT partner_id::text AS p FROM resubmissions WHERE id = $1`, [parseId(resubmissionId, 'Resubmission')]);
  if (!row) throw new NotFoundError('Resubmission', resubmissionId);
  return row.p;
}
