import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { changeDispute, dispute, disputeList, disputeRootCauses, openDisputes, saveDisputeRootCause } from './dispute-api.service';
import { DISPUTE_TRANSITIONS } from './dispute-status';
import {
  ChangeDisputeInput,
  DisputeChanged,
  DisputeRecord,
  DisputeRecordConnection,
  DisputeRootCauseEntry,
  DisputeRootCauseInput,
  DisputesOpened,
  DisputeTransition,
  OpenDisputesInput,
} from './dispute.types';

/** Disputes: SPECIALIST on their own partners, SUPERVISOR, ADMIN write; every role reads (CLIENT read-only). */
@Resolver()
export class DisputeResolver {
  @Query(() => DisputeRecord, {
    nullable: true,
    description: "A dispute; null when there is none. A SPECIALIST reads only their own partners' disputes (FORBIDDEN otherwise).",
  })
  dispute(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The dispute.' }) id: string): Promise<DisputeRecord | null> {
    return dispute(ctx, id);
  }

  @Query(() => DisputeRecordConnection, { description: 'Disputes, newest first; a SPECIALIST names one of their partners or themselves as processor.' })
  disputeList(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID, { nullable: true, description: "Only this partner's disputes." }) partnerId?: string,
    @Arg('status', () => [String], {
      nullable: true,
      description: 'Only disputes in one of these statuses (OPEN, IN_PROCESS, RESOLVED, REJECTED, CLOSED); absent: all.',
    })
    status?: string[],
    @Arg('processorId', () => ID, { nullable: true, description: 'Only the disputes this specialist processes.' }) processorId?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Page size, 0 to 500 (default 50).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page; absent: the first page.' }) after?: string,
  ): Promise<DisputeRecordConnection> {
    return disputeList(ctx, { partnerId, status, processorId, first, after });
  }

  @Query(() => [DisputeTransition], { description: 'The dispute state machine: for each status, the statuses a dispute may move to.' })
  disputeTransitions(): DisputeTransition[] {
    return Object.entries(DISPUTE_TRANSITIONS).map(([from, to]) => ({ from, to: [...to] }));
  }

  @Query(() => [DisputeRootCauseEntry], { description: 'The configurable root causes (active and inactive), by code; disputes accept only active ones.' })
  disputeRootCauses(@Ctx() ctx: RequestContext): Promise<DisputeRootCauseEntry[]> {
    return disputeRootCauses(ctx);
  }

  @Mutation(() => DisputesOpened, { description: 'Opens a dispute on one or several items of a partner (one transaction, with the re-valuation).' })
  openDisputes(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => OpenDisputesInput, { description: 'The partner, its items and why they are disputed.' }) input: OpenDisputesInput,
  ): Promise<DisputesOpened> {
    return openDisputes(ctx, input);
  }

  @Mutation(() => DisputeChanged, {
    description: 'Moves a dispute through its state machine (illegal moves: CONFLICT naming both states) and/or sets processor, resolution, root cause.',
  })
  changeDispute(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ChangeDisputeInput, { description: 'The dispute and what changes; absent fields are kept.' }) input: ChangeDisputeInput,
  ): Promise<DisputeChanged> {
    return changeDispute(ctx, input);
  }

  @Mutation(() => DisputeRootCauseEntry, { description: 'Adds or changes a root cause of the configurable list (ADMIN, CONFIGURATOR).' })
  saveDisputeRootCause(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => DisputeRootCauseInput, { description: 'The root cause; an existing code is updated.' }) input: DisputeRootCauseInput,
  ): Promise<DisputeRootCauseEntry> {
    return saveDisputeRootCause(ctx, input);
  }
}
