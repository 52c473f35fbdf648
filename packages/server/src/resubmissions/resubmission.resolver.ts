import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DateScalar } from '../graphql/scalars';
import { dueResubmissions, markResubmissionDone, scheduleResubmission } from './resubmission-api.service';
import { ResubmissionDone, ResubmissionInput, ResubmissionRecord, ResubmissionScheduled } from './resubmission.types';

/** Resubmissions: SPECIALIST on own partners, SUPERVISOR, ADMIN schedule them and mark them done; every role reads. */
@Resolver()
export class ResubmissionResolver {
  @Query(() => [ResubmissionRecord], {
    description: "Undone resubmissions due on or before the date (default today), oldest first; a SPECIALIST's own partners only.",
  })
  dueResubmissions(
    @Ctx() ctx: RequestContext,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Resubmissions dated on or before this date; default today.' }) asOf?: string,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 100, description: 'At most this many, 0 to 1000 (default 100).' }) limit?: number,
  ): Promise<ResubmissionRecord[]> {
    return dueResubmissions(ctx, asOf, limit);
  }

  @Mutation(() => ResubmissionScheduled, {
    description:
      'Schedules a resubmission: from its date the partner comes back onto the worklist (the `resubmissionDue` fact) until it is done; re-valuates the partner (one transaction).',
  })
  scheduleResubmission(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ResubmissionInput, { description: 'The partner, the date and why.' }) input: ResubmissionInput,
  ): Promise<ResubmissionScheduled> {
    return scheduleResubmission(ctx, input);
  }

  @Mutation(() => ResubmissionDone, {
    description: 'Marks a resubmission done and re-valuates the partner (one transaction); CONFLICT when it is done already.',
  })
  markResubmissionDone(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The resubmission (NOT_FOUND when there is none).' }) id: string,
  ): Promise<ResubmissionDone> {
    return markResubmissionDone(ctx, id);
  }
}
