/**
 * Disputes: opened on one or several items (one row per item, sharing a case key), moved through
 * the state machine of dispute-status.ts; each write re-valuates the partner's worklist item
 * (dynamic update) in the same transaction.
 */
import type { EntityManager } from 'typeorm';
import { parseId, today } from '../graphql/scalars';
import type { Database } from '../db/database';
import { revaluatePartner, revaluateWorkedPartner, type Revaluation } from '../worklists';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { amount, date, externalId, itemOf, partnerOf, type EventResult } from '../collections';
import { recordAudit, type Actor } from '../audit';
import { DISPUTE_RESOLUTIONS, DISPUTE_STATUSES, MAX_DISPUTE_NOTES, type DisputeResolution, type DisputeStatus } from './dispute.entity';
import { assertDisputeTransition } from './dispute-status';

export interface DisputeInput {
  partnerId: string;
  itemId?: string | null;
  createdDate: string;
  disputedAmount: string;
  currency?: string;
  reason?: string | null;
}

/** The single-item form (customer 360's `openDispute`, imports of the past). */
export async function openDispute(db: Database, input: DisputeInput): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const item = await itemOf(m, partner.id, input.itemId);
    const created = date(input.createdDate, 'createdDate');
    const [row] = await m.query(
      `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status, reason, status_changed_at) VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7, now()) RETURNING id`,
      [
        externalId(),
        partner.id,
        item?.id ?? null,
        created,
        amount(input.disputedAmount, 'disputedAmount'),
        input.currency ?? item?.currency ?? partner.currency,
        input.reason ?? null,
      ],
    );
    return { id: row.id, revaluation: await revaluateWorkedPartner(m, partner.id, created) };
  });
}

export interface DisputeCaseInput {
  partnerId: string;
  /** Each item once; the amount defaults to the item's open amount (at most that). */
  items: Array<{ itemId: string; disputedAmount?: string | null }>;
  createdDate: string;
  reason: string;
  rootCause?: string | null;
  processorId?: string | null;
  createdBy?: string | null;
}

export interface DisputeCaseResult {
  caseKey: string;
  ids: string[];
  revaluation: Revaluation | null;
}

export async function openDisputeCase(db: Database, input: DisputeCaseInput): Promise<DisputeCaseResult> {
  if (!input.items.length) throw new BadUserInputError('A dispute needs at least one item', 'items');
  if (new Set(input.items.map((i) => i.itemId)).size !== input.items.length) throw new BadUserInputError('An item is named twice', 'items');
  if (!input.reason?.trim()) throw new BadUserInputError('A dispute needs a reason', 'reason');
  const created = date(input.createdDate, 'createdDate');
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const rootCause = await rootCauseOf(m, input.rootCause);
    const processor = await processorOf(m, input.processorId);
    const caseKey = externalId();
    const ids: string[] = [];
    for (const [n, entry] of input.items.entries()) {
      const item = (await itemOf(m, partner.id, entry.itemId))!;
      if (!(Number(item.open_amount) > 0)) throw new BadUserInputError(`Open item ${entry.itemId} is cleared`, `items[${n}].itemId`);
      const [busy] = await m.query(`SELECT id FROM disputes WHERE item_id = $1 AND status IN ('OPEN', 'IN_PROCESS')`, [item.id]);
      if (busy) throw new BadUserInputError(`Open item ${entry.itemId} already has open dispute ${busy.id}`, `items[${n}].itemId`);
      const disputed = entry.disputedAmount == null ? item.open_amount : amount(entry.disputedAmount, `items[${n}].disputedAmount`);
      if (Number(disputed) > Number(item.open_amount))
        throw new BadUserInputError(`The disputed amount exceeds the open amount ${item.open_amount}`, `items[${n}].disputedAmount`);
      const [row] = await m.query(
        `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status, reason, case_key, processor_id, root_cause, created_by, status_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7, $8, $9, $10, $11, now()) RETURNING id::text AS id`,
        [externalId(), partner.id, item.id, created, disputed, item.currency, input.reason.trim(), caseKey, processor, rootCause, input.createdBy ?? null],
      );
      ids.push(row.id);
    }
    return { caseKey, ids, revaluation: await revaluateWorkedPartner(m, partner.id, created) };
  });
}

export interface DisputeChange {
  disputeId: string;
  status?: DisputeStatus | null;
  resolution?: DisputeResolution | null;
  rootCause?: string | null;
  processorId?: string | null;
  reason?: string | null;
  /** Replaces the processing notes; "" clears them; absent keeps them. */
  notes?: string | null;
  /** Who the change is recorded as (the API's caller); absent: the system. */
  actor?: Actor;
}

/** Changes made without a request (tests, scripts) are recorded as the system's. */
const SYSTEM_ACTOR: Actor = { name: 'system', role: 'ADMIN' };

/**
 * Moves a dispute (state machine), sets its processor, resolution, root cause, reason or notes,
 * and records what changed in the audit log (nothing changed: no audit row).
 * IN_PROCESS needs a processor; RESOLVED needs a resolution; REJECTED means CUSTOMER_PAYS;
 * reopening (back to OPEN or IN_PROCESS) clears the resolution.
 */
export async function changeDispute(db: Database, change: DisputeChange): Promise<EventResult> {
  if (change.status != null && !DISPUTE_STATUSES.includes(change.status)) throw new BadUserInputError(`Unknown dispute status ${change.status}`, 'status');
  if (change.resolution != null && !DISPUTE_RESOLUTIONS.includes(change.resolution))
    throw new BadUserInputError(`Unknown resolution ${change.resolution}`, 'resolution');
  if (change.notes != null && change.notes.length > MAX_DISPUTE_NOTES)
    throw new BadUserInputError(`Notes hold at most ${MAX_DISPUTE_NOTES} characters (these have ${change.notes.length})`, 'notes');
  return db.dataSource.transaction(async (m) => {
    const dispute = await lockDispute(m, change.disputeId);
    const next = await nextDisputeState(m, dispute, change);
    const changes = changedFields(dispute, next);
    if (Object.keys(changes).length > 0) {
      await m.query(
        `UPDATE disputes SET status = $2::text, resolution = $3::text, processor_id = $4::bigint, root_cause = $5::text, reason = $6::text, notes = $7::text,
            status_changed_at = CASE WHEN status <> $2::text THEN now() ELSE status_changed_at END WHERE id = $1`,
        [dispute.id, next.status, next.resolution, next.processor_id, next.root_cause, next.reason, next.notes],
      );
      if (next.status !== dispute.status) await recordDisputeStatus(m, dispute, today(), next.status);
      await recordAudit(m, change.actor ?? SYSTEM_ACTOR, { action: 'UPDATE', entityType: 'DISPUTE', entityId: dispute.id, details: { changes } });
    }
    return { id: dispute.id, revaluation: await revaluatePartner(m, dispute.partner_id) };
  });
}

/**
 * The dated status history (DESIGN.md "Point in time"): the status the dispute has at the end of
 * `day`, so a second change on the same day overwrites the first.
 */
async function recordDisputeStatus(m: EntityManager, dispute: Pick<DisputeLock, 'id' | 'partner_id'>, day: string, status: DisputeStatus): Promise<void> {
  await m.query(
    `INSERT INTO dispute_status_changes (dispute_id, changed_on, partner_id, status) VALUES ($1, $2::date, $3, $4)
     ON CONFLICT (dispute_id, changed_on) DO UPDATE SET status = EXCLUDED.status`,
    [dispute.id, day, dispute.partner_id, status],
  );
}

type DisputeState = Omit<DisputeLock, 'id' | 'partner_id'>;

/** The dispute after `change`, checked against the state machine and what each status needs. */
async function nextDisputeState(m: EntityManager, dispute: DisputeLock, change: DisputeChange): Promise<DisputeState> {
  const to = change.status ?? dispute.status;
  if (change.status != null && change.status !== dispute.status) assertDisputeTransition(dispute.status, change.status);
  if (dispute.status === 'CLOSED') throw new ConflictError(`Dispute ${dispute.id} is CLOSED: nothing about it changes any more`, { from: 'CLOSED', to });
  const processor = change.processorId != null ? await processorOf(m, change.processorId) : dispute.processor_id;
  if (to === 'IN_PROCESS' && processor === null) throw new BadUserInputError('A dispute IN_PROCESS needs a processor', 'processorId');
  let resolution: string | null = change.resolution ?? dispute.resolution;
  if (to === 'OPEN' || to === 'IN_PROCESS') {
    if (change.resolution != null) throw new BadUserInputError(`A dispute ${to} has no resolution yet`, 'resolution');
    resolution = null;
  }
  if (to === 'RESOLVED' && resolution === null) throw new BadUserInputError(`RESOLVED needs a resolution (${DISPUTE_RESOLUTIONS.join(', ')})`, 'resolution');
  if (to === 'REJECTED') {
    if (change.resolution != null && change.resolution !== 'CUSTOMER_PAYS') throw new BadUserInputError('A REJECTED dispute is CUSTOMER_PAYS', 'resolution');
    resolution = 'CUSTOMER_PAYS';
  }
  return {
    status: to,
    resolution,
    processor_id: processor,
    root_cause: change.rootCause != null ? await rootCauseOf(m, change.rootCause) : dispute.root_cause,
    // A blank reason keeps the one the dispute was opened with; blank notes clear them.
    reason: change.reason?.trim() || dispute.reason,
    notes: change.notes == null ? dispute.notes : change.notes.trim() || null,
  };
}

/** The fields whose value differs, each with its value before and after (what the audit row records). */
function changedFields(before: DisputeState, after: DisputeState): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as Array<keyof DisputeState>) {
    if ((before[key] ?? null) !== (after[key] ?? null)) changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return changes;
}

/** A dispute's new status (kept for callers of the first dynamic-update API; goes through the state machine). */
export async function setDisputeStatus(db: Database, disputeId: string, status: DisputeStatus, resolution?: DisputeResolution): Promise<EventResult> {
  return changeDispute(db, { disputeId, status, resolution: resolution ?? (status === 'RESOLVED' ? 'CREDIT_MEMO' : null) });
}

interface DisputeLock {
  id: string;
  partner_id: string;
  status: DisputeStatus;
  resolution: string | null;
  processor_id: string | null;
  root_cause: string | null;
  reason: string | null;
  notes: string | null;
}

async function lockDispute(m: EntityManager, disputeId: string): Promise<DisputeLock> {
  const [dispute]: DisputeLock[] = await m.query(
    `SELECT id::text AS id, partner_id::text AS partner_id, status, resolution, processor_id::text AS processor_id, root_cause, reason, notes
       FROM disputes WHERE id = $1 FOR UPDATE`,
    [parseId(disputeId, 'Dispute')],
  );
  if (!dispute) throw new NotFoundError('Dispute', disputeId);
  return dispute;
}

/** The partner of a dispute (for visibility checks before a change). */
export async function disputePartner(db: Database, disputeId: string): Promise<string> {
  const [row] = await db.dataSource.query(`SELECT partner_id::text AS p FROM disputes WHERE id = $1`, [parseId(disputeId, 'Dispute')]);
  if (!row) throw new NotFoundError('Dispute', disputeId);
  return row.p;
}

async function rootCauseOf(m: EntityManager, code: string | null | undefined): Promise<string | null> {
  if (code == null) return null;
  const [row] = await m.query(`SELECT code FROM dispute_root_causes WHERE code = $1 AND active`, [code]);
  if (!row) throw new BadUserInputError(`Unknown or inactive root cause ${code}`, 'rootCause');
  return row.code;
}

async function processorOf(m: EntityManager, id: string | null | undefined): Promise<string | null> {
  if (id == null) return null;
  const [row] = await m.query(`SELECT id::text AS id FROM specialists WHERE id = $1 AND active`, [parseId(id, 'Specialist')]);
  if (!row) throw new NotFoundError('Specialist', id);
  return row.id;
}

export async function saveRootCause(db: Database, input: { code: string; description: string; active?: boolean | null }): Promise<void> {
  if (!/^[A-Z0-9_]{1,40}$/.test(input.code)) throw new BadUserInputError('code is 1 to 40 of A-Z, 0-9, _', 'code');
  if (!input.description.trim()) throw new BadUserInputError('A root cause needs a description', 'description');
  await db.dataSource.query(
    `INSERT INTO dispute_root_causes (code, description, active) VALUES ($1, $2, $3)
     ON CONFLICT (code) DO UPDATE SET description = EXCLUDED.description, active = EXCLUDED.active`,
    [input.code, input.description.trim(), input.active ?? true],
  );
}
