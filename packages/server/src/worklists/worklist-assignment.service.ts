/**
 * A supervisor's reassignment: items move to another active specialist until the next run
 * (origin TEMPORARY); the next run distributes afresh. One item or a list of them on one run,
 * each move audited in the transaction that makes it.
 */
import type { EntityManager } from 'typeorm';
import { recordAudits, type Actor } from '../audit';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { ITEM_SELECT, type ItemRow } from '../graphql/loaders';
import { parseId, parseIdInput } from '../graphql/scalars';
import { itemRow } from './worklist-read.service';
import type { WorklistItem } from './worklist.types';
import { itemView } from './worklist.views';

export interface ReassignInput {
  /** Default: the live run of the partner's segment. */
  runId?: string;
  partnerId: string;
  specialistId: string;
}

/** Who a move is recorded as when no request makes it (CLI, tests). */
const SYSTEM: Actor = { name: 'system', role: 'ADMIN' };

/** At most this many partners move in one bulk reassignment. */
export const MAX_BULK_REASSIGN = 1000;

/** The reassignment as the API answers it: the moved item (one transaction, then the item read back). */
export async function reassignItem(ctx: RequestContext, input: { partnerId: string; specialistId: string; runId?: string | null }): Promise<WorklistItem> {
  const result = await reassignWorklistItem(
    ctx.db,
    { partnerId: input.partnerId, specialistId: input.specialistId, runId: input.runId ?? undefined },
    actorOf(ctx),
  );
  const row = await itemRow(ctx.db, result.runId, result.partnerId);
  return itemView(row!);
}

export async function reassignWorklistItem(
  db: Database,
  input: ReassignInput,
  actor: Actor = SYSTEM,
): Promise<{ runId: string; partnerId: string; specialistId: string; previousSpecialistId: string | null }> {
  for (const [path, id] of Object.entries({ partnerId: input.partnerId, specialistId: input.specialistId, runId: input.runId ?? '0' })) {
    parseIdInput(id, path);
  }
  return db.dataSource.transaction(async (m) => {
    await eligibleSpecialist(m, input.specialistId);
    const [item]: Array<{ run_id: string; specialist_id: string | null }> = await m.query(
      `SELECT w.run_id::text AS run_id, w.specialist_id::text AS specialist_id FROM worklist_items w
        WHERE w.partner_id = $1 AND w.run_id = coalesce($2::bigint,
          (SELECT s.live_run_id FROM partners p JOIN collection_segments s ON s.key = p.segment WHERE p.id = $1))
        FOR UPDATE`,
      [input.partnerId, input.runId ?? null],
    );
    if (!item) throw new NotFoundError('Worklist item of partner', input.partnerId);
    await moveItems(m, actor, item.run_id, [{ partnerId: input.partnerId, from: item.specialist_id }], input.specialistId);
    return { runId: item.run_id, partnerId: input.partnerId, specialistId: input.specialistId, previousSpecialistId: item.specialist_id };
  });
}

export interface BulkReassignInput {
  /** The segment whose live run is meant (default), or which the given run must be of. */
  segment: string;
  runId?: string | null;
  partnerIds: string[];
  specialistId: string;
}

/**
 * Moves the items of 1 to 1000 partners on one run to one specialist, all or nothing: a
 * partner not on the list or whose item is completed, or a specialist the single reassignment
 * would refuse, fails the whole call naming it, with nothing changed. Returns the moved items.
 */
export async function reassignItems(ctx: RequestContext, input: BulkReassignInput): Promise<WorklistItem[]> {
  const partnerIds = checkedPartnerIds(input.partnerIds);
  parseIdInput(input.specialistId, 'specialistId');
  if (input.runId !== undefined && input.runId !== null) parseId(input.runId, 'Worklist run');
  const rows = await ctx.db.dataSource.transaction(async (m) => {
    const runId = await runToMove(m, input.segment, input.runId ?? null);
    await eligibleSpecialist(m, input.specialistId);
    const items = await lockedItems(m, runId, partnerIds);
    await moveItems(
      m,
      actorOf(ctx),
      runId,
      items.map((i) => ({ partnerId: i.partner_id, from: i.specialist_id })),
      input.specialistId,
    );
    return m.query(`SELECT ${ITEM_SELECT} FROM worklist_items w WHERE w.run_id = $1 AND w.partner_id = ANY($2::bigint[])`, [runId, partnerIds]);
  });
  const byPartner = new Map((rows as ItemRow[]).map((r) => [r.partner_id, r]));
  return partnerIds.map((id) => itemView(byPartner.get(id)!));
}

// ---- steps --------------------------------------------------------------------------------

const actorOf = (ctx: RequestContext): Actor => (ctx.user ? { name: ctx.user.name, role: ctx.user.role } : SYSTEM);

/** 1 to 1000 distinct ids in canonical form; BAD_USER_INPUT naming the offending element. */
function checkedPartnerIds(ids: string[]): string[] {
  if (ids.length < 1 || ids.length > MAX_BULK_REASSIGN) throw new BadUserInputError(`partnerIds must name 1 to ${MAX_BULK_REASSIGN} partners`, 'partnerIds');
  const seen = new Set<string>();
  return ids.map((id, i) => {
    const canonical = parseIdInput(id, `partnerIds[${i}]`);
    if (seen.has(canonical)) throw new BadUserInputError(`Partner ${canonical} is given twice`, `partnerIds[${i}]`);
    seen.add(canonical);
    return canonical;
  });
}

/** The run to move items on: the given one (of the segment), else the segment's live run; NOT_FOUND otherwise. */
async function runToMove(m: EntityManager, segment: string, runId: string | null): Promise<string> {
  const [row]: Array<{ id: string | null; dropped: boolean; segment_found: string }> = await m.query(
    `SELECT r.id::text AS id, r.items_dropped_at IS NOT NULL AS dropped, s.key AS segment_found FROM collection_segments s
       LEFT JOIN worklist_runs r ON r.segment_key = s.key AND r.id = coalesce($2::bigint, s.live_run_id) WHERE s.key = $1`,
    [segment, runId],
  );
  if (!row) throw new NotFoundError('Segment', segment);
  if (row.id === null) throw runId === null ? new NotFoundError('Live worklist run of segment', segment) : new NotFoundError('Worklist run', runId);
  if (row.dropped) throw new NotFoundError('Items of worklist run', row.id);
  return row.id;
}

/** The same rule for one item and many: the specialist exists (NOT_FOUND) and is active (BAD_USER_INPUT). */
async function eligibleSpecialist(m: EntityManager, specialistId: string): Promise<void> {
  const [specialist] = await m.query(`SELECT id, active FROM specialists WHERE id = $1`, [specialistId]);
  if (!specialist) throw new NotFoundError('Specialist', specialistId);
  if (!specialist.active) throw new BadUserInputError(`Specialist ${specialistId} is inactive`, 'specialistId');
}

/** The partners' items, locked; the first partner without one (or completed) fails the call. */
async function lockedItems(
  m: EntityManager,
  runId: string,
  partnerIds: string[],
): Promise<Array<{ partner_id: string; specialist_id: string | null; completed: boolean }>> {
  const rows: Array<{ partner_id: string; specialist_id: string | null; completed: boolean }> = await m.query(
    `SELECT w.partner_id::text AS partner_id, w.specialist_id::text AS specialist_id, w.completed_at IS NOT NULL AS completed
       FROM worklist_items w WHERE w.run_id = $1 AND w.partner_id = ANY($2::bigint[]) ORDER BY w.partner_id FOR UPDATE`,
    [runId, partnerIds],
  );
  const found = new Map(rows.map((r) => [r.partner_id, r]));
  partnerIds.forEach((id, i) => {
    const row = found.get(id);
    if (!row) throw new BadUserInputError(`Partner ${id} has no item on worklist run ${runId}`, `partnerIds[${i}]`);
    if (row.completed)
      throw new ConflictError(`The item of partner ${id} is completed; completed items are not reassigned`, { path: `partnerIds[${i}]`, partnerId: id });
  });
  return rows;
}

/** Moves the (locked) items and writes one audit row per item. */
async function moveItems(
  m: EntityManager,
  actor: Actor,
  runId: string,
  items: Array<{ partnerId: string; from: string | null }>,
  specialistId: string,
): Promise<void> {
  await m.query(`UPDATE worklist_items SET specialist_id = $3, specialist_origin = 'TEMPORARY' WHERE run_id = $1 AND partner_id = ANY($2::bigint[])`, [
    runId,
    items.map((i) => i.partnerId),
    specialistId,
  ]);
  await recordAudits(
    m,
    actor,
    items.map((item) => ({
      action: 'REASSIGN',
      entityType: 'WORKLIST_ITEM',
      entityId: `${runId}:${item.partnerId}`,
      details: { runId, partnerId: item.partnerId, fromSpecialistId: item.from, toSpecialistId: specialistId },
    })),
  );
}
