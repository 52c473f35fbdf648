import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DateScalar } from '../graphql/scalars';
import { cancelPromise, createPromises, partnerPromises, promise, renewPromise } from './promise-api.service';
import { judgeAll } from './promise-judging.service';
import { CreatePromisesInput, JudgeRun, PromiseChanged, PromiseDetail, PromisesCreated, RenewPromiseInput } from './promise.types';

const statusCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort()
    .map(([status, count]) => ({ status, count }));

/** Promises to pay: SPECIALIST (own partners), SUPERVISOR and ADMIN write; every role reads (a SPECIALIST their own partners). */
@Resolver()
export class PromiseResolver {
  @Query(() => PromiseDetail, { description: 'A promise with its status at the key date (default today).' })
  promise(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The promise (NOT_FOUND when there is none).' }) id: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Key date of the status; default today.' }) asOf?: string,
  ): Promise<PromiseDetail> {
    return promise(ctx, id, asOf);
  }

  @Query(() => [PromiseDetail], { description: "A partner's promises (all of them, latest promised date first) with their status at the key date." })
  partnerPromises(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID, { description: 'The partner whose promises to list.' }) partnerId: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Key date of the statuses; default today.' }) asOf?: string,
  ): Promise<PromiseDetail[]> {
    return partnerPromises(ctx, partnerId, asOf);
  }

  @Mutation(() => PromisesCreated, { description: 'A promise on one item, on several (one per item, the amount split BY_DUE_DATE or EVENLY) or on none.' })
  createPromises(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CreatePromisesInput, { description: 'The partner, the items, the amount and the promised date.' }) input: CreatePromisesInput,
  ): Promise<PromisesCreated> {
    return createPromises(ctx, input);
  }

  @Mutation(() => PromiseChanged, { description: 'Cancels an OPEN promise (CONFLICT for any other status at the date).' })
  cancelPromise(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The promise to cancel.' }) id: string,
    @Arg('cancelledDate', () => DateScalar, { description: 'Date of the cancellation; the promise must be OPEN then.' }) cancelledDate: string,
  ): Promise<PromiseChanged> {
    return cancelPromise(ctx, id, cancelledDate);
  }

  @Mutation(() => PromiseChanged, {
    description: 'Renews an OPEN, BROKEN or PARTIALLY_KEPT promise: a new one at level + 1 (an OPEN one is superseded: CANCELLED).',
  })
  renewPromise(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => RenewPromiseInput, { description: 'The promise to renew and the new promised date and amount.' }) input: RenewPromiseInput,
  ): Promise<PromiseChanged> {
    return renewPromise(ctx, input);
  }

  @Mutation(() => JudgeRun, { description: 'The judging run (as `pnpm recoup promises judge`): stores every promise and installment status at the key date.' })
  async judgePromises(@Ctx() ctx: RequestContext, @Arg('asOf', () => DateScalar, { description: 'Key date to judge at.' }) asOf: string): Promise<JudgeRun> {
    const r = await judgeAll(ctx.db, { asOf });
    return {
      asOf: r.asOf,
      promises: r.promises,
      installments: r.installments,
      promiseStatuses: statusCounts(r.promiseStatuses),
      installmentStatuses: statusCounts(r.installmentStatuses),
    };
  }
}
