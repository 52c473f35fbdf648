/**
 * What the API asks of disputes, one call per operation: the caller's reach (a SPECIALIST on their
 * own partners, graphql/access), the write through dispute.service (one transaction with the
 * partner's re-valuation), then the rows read back as the API shows them.
 */
import { assertPartnerVisible, ownSpecialist, partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { DomainError } from '../graphql/errors';
import { decodeCursor, encodeCursor, pageOf, pageSize } from '../graphql/paging';
import { isEntityId, today } from '../graphql/scalars';
import { liveItemAfter, type WorklistItem } from '../worklists';
import type { DisputeResolution, DisputeStatus } from './dispute.entity';
import * as disputes from './dispute.service';
import { DISPUTE_TRANSITIONS } from './dispute-status';
import type { DisputeChanged, DisputeRecord, DisputeRecordConnection, DisputeRootCauseEntry, DisputesOpened } from './dispute.types';

const COLUMNS = `id::text AS id, external_id, partner_id::text AS partner_id, item_id::text AS item_id, case_key, created_date, disputed_amount::text AS disputed_amount,
  currency::text AS currency, status, reason, notes, processor_id::text AS processor_id, resolution, root_cause, created_by, status_changed_at`;

function view(r: any): DisputeRecord {
  return {
    id: r.id,
    externalId: r.external_id,
    partnerId: r.partner_id,
    itemId: r.item_id,
    caseKey: r.case_key,
    createdDate: r.created_date,
    disputedAmount: r.disputed_amount,
    currency: r.currency,
    status: r.status,
    reason: r.reason,
    notes: r.notes,
    processorId: r.processor_id,
    resolution: r.resolution,
    rootCause: r.root_cause,
    createdBy: r.created_by,
    statusChangedAt: r.status_changed_at ? new Date(r.status_changed_at).toISOString() : null,
    allowedTransitions: [...(DISPUTE_TRANSITIONS[r.status as DisputeStatus] ?? [])],
  };
}

async function byIds(ctx: RequestContext, ids: string[]): Promise<DisputeRecord[]> {
  const rows = await ctx.db.dataSource.query(`SELECT ${COLUMNS} FROM disputes WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);
  return rows.map(view);
}

/** A dispute, or null when there is none (a malformed id names none); FORBIDDEN for another specialist's partner. */
export async function dispute(ctx: RequestContext, id: string): Promise<DisputeRecord | null> {
  const [row] = isEntityId(id) ? await ctx.db.dataSource.query(`SELECT ${COLUMNS} FROM disputes WHERE id = $1`, [id]) : [];
  if (!row) return null;
  await assertPartnerVisible(ctx, row.partner_id);
  return view(row);
}

export interface DisputeListArgs {
  partnerId?: string | null;
  status?: string[] | null;
  processorId?: string | null;
  first?: number | null;
  after?: string | null;
}

/** Disputes newest first, keyset-paged on id; a SPECIALIST names one of their partners or themselves as processor. */
export async function disputeList(ctx: RequestContext, args: DisputeListArgs): Promise<DisputeRecordConnection> {
  const own = ownSpecialist(ctx);
  if (args.partnerId != null) {
    await partnerInReach(ctx, args.partnerId);
  } else if (own !== null && args.processorId !== own) {
    throw new DomainError('FORBIDDEN', 'A specialist lists the disputes of one of their partners, or those they process');
  }
  const n = pageSize(args.first);
  const cursor = args.after ? String(decodeCursor(args.after, 'DISPUTES', 1)[0]) : null;
  const rows = await ctx.db.dataSource.query(
    `SELECT ${COLUMNS} FROM disputes WHERE ($1::bigint IS NULL OR partner_id = $1) AND ($2::text[] IS NULL OR status = ANY($2))
        AND ($3::bigint IS NULL OR processor_id = $3) AND ($4::bigint IS NULL OR id < $4) ORDER BY id DESC LIMIT $5`,
    [args.partnerId ?? null, args.status ?? null, args.processorId ?? null, cursor, n + 1],
  );
  return pageOf(rows, n, (r: any) => encodeCursor('DISPUTES', [r.id]), view);
}

/** The configurable root causes (active and inactive), by code. */
export function disputeRootCauses(ctx: RequestContext): Promise<DisputeRootCauseEntry[]> {
  return ctx.db.dataSource.query(`SELECT code, description, active FROM dispute_root_causes ORDER BY code`);
}

export interface OpenDisputesArgs {
  partnerId: string;
  items: Array<{ itemId: string; disputedAmount?: string | null }>;
  createdDate?: string | null;
  reason: string;
  rootCause?: string | null;
  processorId?: string | null;
}

/** A dispute case on one or several items of a partner (one row per item), opened by the caller. */
export async function openDisputes(ctx: RequestContext, input: OpenDisputesArgs): Promise<DisputesOpened> {
  const user = await partnerInReach(ctx, input.partnerId);
  const result = await disputes.openDisputeCase(ctx.db, {
    partnerId: input.partnerId,
    items: input.items,
    createdDate: input.createdDate ?? today(),
    reason: input.reason,
    rootCause: input.rootCause,
    processorId: input.processorId,
    createdBy: user.name,
  });
  return { caseKey: result.caseKey, disputes: await byIds(ctx, result.ids), worklistItem: await liveItemAfter(ctx, input.partnerId, result.revaluation) };
}

/**
 * The single-item form of the customer 360's deprecated `openDispute`, as it has always behaved: on
 * an item or on the partner as a whole, with the given amount and currency, reason optional, and
 * none of openDisputes' checks of the open amount and of a dispute already open on the item.
 */
export async function openDispute(ctx: RequestContext, input: disputes.DisputeInput): Promise<{ dispute: DisputeRecord; worklistItem: WorklistItem | null }> {
  await partnerInReach(ctx, input.partnerId);
  const result = await disputes.openDispute(ctx.db, input);
  const [opened] = await byIds(ctx, [String(result.id)]);
  return { dispute: opened!, worklistItem: await liveItemAfter(ctx, input.partnerId, result.revaluation) };
}

export interface ChangeDisputeArgs {
  disputeId: string;
  status?: string | null;
  resolution?: string | null;
  rootCause?: string | null;
  processorId?: string | null;
  reason?: string | null;
  notes?: string | null;
}

/** Moves a dispute through its state machine and/or sets processor, resolution, root cause, reason, notes (audited as the caller). */
export async function changeDispute(ctx: RequestContext, input: ChangeDisputeArgs): Promise<DisputeChanged> {
  const partnerId = await disputes.disputePartner(ctx.db, input.disputeId);
  const user = await partnerInReach(ctx, partnerId);
  const result = await disputes.changeDispute(ctx.db, {
    disputeId: input.disputeId,
    status: input.status as DisputeStatus | undefined,
    resolution: input.resolution as DisputeResolution | undefined,
    rootCause: input.rootCause,
    processorId: input.processorId,
    reason: input.reason,
    notes: input.notes,
    actor: user,
  });
  const [changed] = await byIds(ctx, [result.id]);
  return { dispute: changed!, worklistItem: await liveItemAfter(ctx, partnerId, result.revaluation) };
}

/** Adds or changes a root cause and reads it back. */
export async function saveDisputeRootCause(
  ctx: RequestContext,
  input: { code: string; description: string; active?: boolean | null },
): Promise<DisputeRootCauseEntry> {
  await disputes.saveRootCause(ctx.db, input);
  const [row] = await ctx.db.dataSource.query(`SELECT code, description, active FROM dispute_root_causes WHERE code = $1`, [input.code]);
  return row;
}
