import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { isEntityId, today } from '../graphql/scalars';
import { liveItemAfter } from '../worklists';
import type { RequestContext } from '../graphql/context';
import { DomainError } from '../graphql/errors';
import { assertPartnerVisible, ownSpecialist, partnerInReach } from '../graphql/access';
import { decodeCursor, encodeCursor, pageSize } from '../graphql/paging';
import type { DisputeResolution, DisputeStatus } from './dispute.entity';
import { changeDispute, disputePartner, openDisputeCase, saveRootCause } from './dispute.service';
import { DISPUTE_TRANSITIONS } from './dispute-status';
import {
  ChangeDisputeInput, DisputeChanged, DisputeRecord, DisputeRecordConnection, DisputeRootCauseEntry, DisputeRootCauseInput, DisputesOpened,
  DisputeTransition, OpenDisputesInput,
} from './dispute.types';

const COLUMNS = `id::text AS id, external_id, partner_id::text AS partner_id, item_id::text AS item_id, case_key, created_date, disputed_amount::text AS disputed_amount,
  currency::text AS currency, status, reason, processor_id::text AS processor_id, resolution, root_cause, created_by, status_changed_at`;

function view(r: any): DisputeRecord {
  return {
    id: r.id, externalId: r.external_id, partnerId: r.partner_id, itemId: r.item_id, caseKey: r.case_key, createdDate: r.created_date,
    disputedAmount: r.disputed_amount, currency: r.currency, status: r.status, reason: r.reason, processorId: r.processor_id, resolution: r.resolution,
    rootCause: r.root_cause, createdBy: r.created_by, statusChangedAt: r.status_changed_at ? new Date(r.status_changed_at).toISOString() : null,
    allowedTransitions: [...(DISPUTE_TRANSITIONS[r.status as DisputeStatus] ?? [])],
  };
}

async function byIds(ctx: RequestContext, ids: string[]): Promise<DisputeRecord[]> {
  const rows = await ctx.db.dataSource.query(`SELECT ${COLUMNS} FROM disputes WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);
  return rows.map(view);
}


/** Disputes: SPECIALIST on their own partners, SUPERVISOR, ADMIN write; every role reads (CLIENT read-only). */
@Resolver()
export class DisputeResolver {
  @Query(() => DisputeRecord, { nullable: true })
  async dispute(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<DisputeRecord | null> {
    const [row] = isEntityId(id) ? await ctx.db.dataSource.query(`SELECT ${COLUMNS} FROM disputes WHERE id = $1`, [id]) : [];
    if (!row) return null;
    await assertPartnerVisible(ctx, row.partner_id);
    return view(row);
  }

  @Query(() => DisputeRecordConnection, { description: 'Disputes, newest first; a SPECIALIST names one of their partners or themselves as processor.' })
  async disputeList(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID, { nullable: true }) partnerId?: string,
    @Arg('status', () => [String], { nullable: true }) status?: string[],
    @Arg('processorId', () => ID, { nullable: true }) processorId?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<DisputeRecordConnection> {
    const own = ownSpecialist(ctx);
    if (partnerId != null) {
      await partnerInReach(ctx, partnerId);
    } else if (own !== null && processorId !== own) {
      throw new DomainError('FORBIDDEN', 'A specialist lists the disputes of one of their partners, or those they process');
    }
    const n = pageSize(first);
    const cursor = after ? String(decodeCursor(after, 'DISPUTES', 1)[0]) : null;
    const rows = await ctx.db.dataSource.query(
      `SELECT ${COLUMNS} FROM disputes WHERE ($1::bigint IS NULL OR partner_id = $1) AND ($2::text[] IS NULL OR status = ANY($2))
          AND ($3::bigint IS NULL OR processor_id = $3) AND ($4::bigint IS NULL OR id < $4) ORDER BY id DESC LIMIT $5`,
      [partnerId ?? null, status ?? null, processorId ?? null, cursor, n + 1]);
    const edges = rows.slice(0, n).map((r: any) => ({ cursor: encodeCursor('DISPUTES', [r.id]), node: view(r) }));
    return { edges, pageInfo: { hasNextPage: rows.length > n, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @Query(() => [DisputeTransition], { description: 'The dispute state machine.' })
  disputeTransitions(): DisputeTransition[] {
    return Object.entries(DISPUTE_TRANSITIONS).map(([from, to]) => ({ from, to: [...to] }));
  }

  @Query(() => [DisputeRootCauseEntry])
  async disputeRootCauses(@Ctx() ctx: RequestContext): Promise<DisputeRootCauseEntry[]> {
    return ctx.db.dataSource.query(`SELECT code, description, active FROM dispute_root_causes ORDER BY code`);
  }

  @Mutation(() => DisputesOpened, { description: 'Opens a dispute on one or several items of a partner (one transaction, with the re-valuation).' })
  async openDisputes(@Ctx() ctx: RequestContext, @Arg('input', () => OpenDisputesInput) input: OpenDisputesInput): Promise<DisputesOpened> {
    const user = await partnerInReach(ctx, input.partnerId);
    const result = await openDisputeCase(ctx.db, {
      partnerId: input.partnerId, items: input.items, createdDate: input.createdDate ?? today(), reason: input.reason,
      rootCause: input.rootCause, processorId: input.processorId, createdBy: user.name,
    });
    return { caseKey: result.caseKey, disputes: await byIds(ctx, result.ids), worklistItem: await liveItemAfter(ctx, input.partnerId, result.revaluation) };
  }

  @Mutation(() => DisputeChanged, { description: 'Moves a dispute through its state machine (illegal moves: CONFLICT naming both states) and/or sets processor, resolution, root cause.' })
  async changeDispute(@Ctx() ctx: RequestContext, @Arg('input', () => ChangeDisputeInput) input: ChangeDisputeInput): Promise<DisputeChanged> {
    const partnerId = await disputePartner(ctx.db, input.disputeId);
    await partnerInReach(ctx, partnerId);
    const result = await changeDispute(ctx.db, {
      disputeId: input.disputeId, status: input.status as DisputeStatus | undefined, resolution: input.resolution as DisputeResolution | undefined,
      rootCause: input.rootCause, processorId: input.processorId, reason: input.reason,
    });
    const [dispute] = await byIds(ctx, [result.id]);
    return { dispute: dispute!, worklistItem: await liveItemAfter(ctx, partnerId, result.revaluation) };
  }

  @Mutation(() => DisputeRootCauseEntry, { description: 'Adds or changes a root cause of the configurable list (ADMIN, CONFIGURATOR).' })
  async saveDisputeRootCause(@Ctx() ctx: RequestContext, @Arg('input', () => DisputeRootCauseInput) input: DisputeRootCauseInput): Promise<DisputeRootCauseEntry> {
    await saveRootCause(ctx.db, input);
    const [row] = await ctx.db.dataSource.query(`SELECT code, description, active FROM dispute_root_causes WHERE code = $1`, [input.code]);
    return row;
  }
}
