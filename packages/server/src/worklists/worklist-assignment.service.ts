/**
 * A supervisor's reassignment: the item moves to another active specialist until the next run
 * (origin TEMPORARY); the next run distributes afresh.
 */
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { parseIdInput } from '../graphql/scalars';
import { itemRow } from './worklist-read.service';
import type { WorklistItem } from './worklist.types';
import { itemView } from './worklist.views';

export interface ReassignInput {
  /** Default: the live run of the partner's segment. */
  runId?: string;
  partnerId: string;
  specialistId: string;
}

/** The reassignment as the API answers it: the moved item (one transaction, then the item read back). */
export async function reassignItem(ctx: RequestContext, input: { partnerId: string; specialistId: string; runId?: string | null }): Promise<WorklistItem> {
  const result = await reassignWorklistItem(ctx.db, { partnerId: input.partnerId, specialistId: input.specialistId, runId: input.runId ?? undefined });
  const row = await itemRow(ctx.db, result.runId, result.partnerId);
  return itemView(row!);
}

export async function reassignWorklistItem(
  db: Database,
  input: ReassignInput,
): Promise<{ runId: string; partnerId: string; specialistId: string; previousSpecialistId: string | null }> {
  for (const [path, id] of Object.entries({ partnerId: input.partnerId, specialistId: input.specialistId, runId: input.runId ?? '0' })) {
    parseIdInput(id, path);
  }
  return db.dataSource.transaction(async (m) => {
    const [specialist] = await m.query(`SELECT id, active FROM specialists WHERE id = $1`, [input.specialistId]);
    if (!specialist) throw new NotFoundError('Specialist', input.specialistId);
    if (!specialist.active) throw new BadUserInputError(`Specialist ${input.specialistId} is inactive`, 'specialistId');
    const [item]: Array<{ run_id: string; specialist_id: string | null }> = await m.query(
      `SELECT w.run_id, w.specialist_id FROM worklist_items w
        WHERE w.partner_id = $1 AND w.run_id = coalesce($2::bigint,
          (SELECT s.live_run_id FROM partners p JOIN collection_segments s ON s.key = p.segment WHERE p.id = $1))
        FOR UPDATE`,
      [input.partnerId, input.runId ?? null],
    );
    if (!item) throw new NotFoundError('Worklist item of partner', input.partnerId);
    await m.query(`UPDATE worklist_items SET specialist_id = $3, specialist_origin = 'TEMPORARY' WHERE run_id = $1 AND partner_id = $2`, [
      item.run_id,
      input.partnerId,
      input.specialistId,
    ]);
    return { runId: String(item.run_id), partnerId: input.partnerId, specialistId: input.specialistId, previousSpecialistId: item.specialist_id };
  });
}
