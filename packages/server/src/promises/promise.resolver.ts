import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { liveItemAfter } from '../worklists';
import { partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { NotFoundError } from '../graphql/errors';
import { DateScalar, keyDate } from '../graphql/scalars';
import { judgeAll } from './promise-judging.service';
import { promiseStatusSql } from './promise-status';
import { cancelPromise, createPromises, partnerOfPromise, renewPromise } from './promise.service';
import { CreatePromisesInput, JudgeRun, PromiseChanged, PromiseDetail, PromisesCreated, RenewPromiseInput } from './promise.types';

/** Promises with their status at D ($1), narrowed by `where` (alias q, values from $2). */
export async function promiseDetails(ctx: RequestContext, asOf: string, where: string, values: unknown[]): Promise<PromiseDetail[]> {
  const rows: any[] = await ctx.db.dataSource.query(
    `SELECT q.id::text AS id, q.external_id, q.partner_id::text AS partner_id, q.item_id::text AS item_id, q.group_id::text AS group_id, q.level,
        q.renewed_from_id::text AS renewed_from_id, (SELECT r.id::text FROM promises r WHERE r.renewed_from_id = q.id) AS renewed_by_id,
        q.created_date, q.promised_date, q.amount::text AS amount, q.currency::text AS currency, q.cancelled, q.cancelled_date, q.judged_status, q.judged_at,
        coalesce(s.tolerance_days, coalesce(cc.promise_tolerance_days, 3)) AS tolerance_days, round(coalesce(s.paid, 0), 4)::text AS paid,
        coalesce(s.status, CASE WHEN q.cancelled THEN 'CANCELLED' ELSE 'OPEN' END) AS status
       FROM promises q
       LEFT JOIN open_items it ON it.id = q.item_id LEFT JOIN company_codes cc ON cc.code = it.company_code
       LEFT JOIN (${promiseStatusSql('$1::date', where)}) s ON s.id = q.id
      WHERE ${where} ORDER BY q.promised_date DESC, q.id DESC`,
    [asOf, ...values],
  );
  return rows.map((r) => ({
    id: r.id, externalId: r.external_id, partnerId: r.partner_id, itemId: r.item_id, groupId: r.group_id, level: Number(r.level), renewedFromId: r.renewed_from_id,
    renewedById: r.renewed_by_id, createdDate: r.created_date, promisedDate: r.promised_date, amount: r.amount, currency: r.currency,
    toleranceDays: Number(r.tolerance_days), asOf, paid: r.paid, status: r.status, cancelled: r.cancelled, cancelledDate: r.cancelled_date,
    judgedStatus: r.judged_status, judgedAt: r.judged_at,
  }));
}

/** Promises to pay: SPECIALIST (own partners), SUPERVISOR and ADMIN write; every role reads (a SPECIALIST their own partners). */
@Resolver()
export class PromiseResolver {
  @Query(() => PromiseDetail, { description: 'A promise with its status at the key date (default today).' })
  async promise(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string): Promise<PromiseDetail> {
    const partnerId = await partnerOfPromise(ctx.db, id);
    await partnerInReach(ctx, partnerId);
    const [p] = await promiseDetails(ctx, keyDate(asOf), 'q.id = $2', [id]);
    if (!p) throw new NotFoundError('Promise', id);
    return p;
  }

  @Query(() => [PromiseDetail], { description: "A partner's promises (all of them, latest promised date first) with their status at the key date." })
  async partnerPromises(@Ctx() ctx: RequestContext, @Arg('partnerId', () => ID) partnerId: string, @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string): Promise<PromiseDetail[]> {
    await partnerInReach(ctx, partnerId);
    return promiseDetails(ctx, keyDate(asOf), 'q.partner_id = $2', [partnerId]);
  }

  @Mutation(() => PromisesCreated, { description: 'A promise on one item, on several (one per item, the amount split BY_DUE_DATE or EVENLY) or on none.' })
  async createPromises(@Ctx() ctx: RequestContext, @Arg('input', () => CreatePromisesInput) input: CreatePromisesInput): Promise<PromisesCreated> {
    await partnerInReach(ctx, input.partnerId);
    const r = await createPromises(ctx.db, { ...input, distribution: input.distribution ?? 'BY_DUE_DATE' });
    return { promises: (await promiseDetails(ctx, input.createdDate, 'q.id = ANY($2::bigint[])', [r.ids])).sort((a, b) => Number(a.id) - Number(b.id)), worklistItem: await liveItemAfter(ctx, input.partnerId) };
  }

  @Mutation(() => PromiseChanged, { description: 'Cancels an OPEN promise (CONFLICT for any other status at the date).' })
  async cancelPromise(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('cancelledDate', () => DateScalar) cancelledDate: string): Promise<PromiseChanged> {
    const partnerId = await partnerOfPromise(ctx.db, id);
    await partnerInReach(ctx, partnerId);
    await cancelPromise(ctx.db, { promiseId: id, cancelledDate });
    const [p] = await promiseDetails(ctx, cancelledDate, 'q.id = $2', [id]);
    return { promise: p!, previous: null, worklistItem: await liveItemAfter(ctx, partnerId) };
  }

  @Mutation(() => PromiseChanged, { description: 'Renews an OPEN, BROKEN or PARTIALLY_KEPT promise: a new one at level + 1 (an OPEN one is superseded: CANCELLED).' })
  async renewPromise(@Ctx() ctx: RequestContext, @Arg('input', () => RenewPromiseInput) input: RenewPromiseInput): Promise<PromiseChanged> {
    const partnerId = await partnerOfPromise(ctx.db, input.promiseId);
    await partnerInReach(ctx, partnerId);
    const r = await renewPromise(ctx.db, input);
    const [p] = await promiseDetails(ctx, input.createdDate, 'q.id = $2', [r.id]);
    const [previous] = await promiseDetails(ctx, input.createdDate, 'q.id = $2', [input.promiseId]);
    return { promise: p!, previous: previous ?? null, worklistItem: await liveItemAfter(ctx, partnerId) };
  }

  @Mutation(() => JudgeRun, { description: 'The judging run (as `pnpm recoup promises judge`): stores every promise and installment status at the key date.' })
  async judgePromises(@Ctx() ctx: RequestContext, @Arg('asOf', () => DateScalar) asOf: string): Promise<JudgeRun> {
    const r = await judgeAll(ctx.db, { asOf });
    const list = (o: Record<string, number>) => Object.entries(o).sort().map(([status, count]) => ({ status, count }));
    return { asOf: r.asOf, promises: r.promises, installments: r.installments, promiseStatuses: list(r.promiseStatuses), installmentStatuses: list(r.installmentStatuses) };
  }
}
