/**
 * What the API asks of promises, one call per operation: the caller's reach (a SPECIALIST on
 * their own partners, graphql/access), the write through promise.service (one transaction with
 * the partner's re-valuation), then the promises read back with their status at a key date.
 */
import { partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { NotFoundError } from '../graphql/errors';
import { keyDate } from '../graphql/scalars';
import { liveItemAfter } from '../worklists';
import { PROMISE_TOLERANCE_SQL, promiseStatusSql } from './promise-status';
import * as promises from './promise.service';
import type { PromiseChanged, PromiseDetail, PromisesCreated } from './promise.types';

/**
 * Promises matching `where` (alias q, values from $2), latest promised date first, with their
 * status at D ($1); a promise made after D is OPEN (or CANCELLED) with nothing paid.
 */
async function promiseDetails(ctx: RequestContext, asOf: string, where: string, values: unknown[]): Promise<PromiseDetail[]> {
  const rows: any[] = await ctx.db.dataSource.query(
    `SELECT q.id::text AS id, q.external_id, q.partner_id::text AS partner_id, q.item_id::text AS item_id, q.group_id::text AS group_id, q.level,
        q.renewed_from_id::text AS renewed_from_id, (SELECT r.id::text FROM promises r WHERE r.renewed_from_id = q.id) AS renewed_by_id,
        q.created_date, q.promised_date, q.amount::text AS amount, q.currency::text AS currency, q.cancelled, q.cancelled_date, q.judged_status, q.judged_at,
        coalesce(s.tolerance_days, ${PROMISE_TOLERANCE_SQL.days}) AS tolerance_days, round(coalesce(s.paid, 0), 4)::text AS paid,
        coalesce(s.status, CASE WHEN q.cancelled THEN 'CANCELLED' ELSE 'OPEN' END) AS status
       FROM promises q
       ${PROMISE_TOLERANCE_SQL.joins}
       LEFT JOIN (${promiseStatusSql('$1::date', where)}) s ON s.id = q.id
      WHERE ${where} ORDER BY q.promised_date DESC, q.id DESC`,
    [asOf, ...values],
  );
  return rows.map((r) => ({
    id: r.id,
    externalId: r.external_id,
    partnerId: r.partner_id,
    itemId: r.item_id,
    groupId: r.group_id,
    level: Number(r.level),
    renewedFromId: r.renewed_from_id,
    renewedById: r.renewed_by_id,
    createdDate: r.created_date,
    promisedDate: r.promised_date,
    amount: r.amount,
    currency: r.currency,
    toleranceDays: Number(r.tolerance_days),
    asOf,
    paid: r.paid,
    status: r.status,
    cancelled: r.cancelled,
    cancelledDate: r.cancelled_date,
    judgedStatus: r.judged_status,
    judgedAt: r.judged_at,
  }));
}

/** A promise with its status at the key date (default today). */
export async function promise(ctx: RequestContext, id: string, asOf?: string | null): Promise<PromiseDetail> {
  const partnerId = await promises.partnerOfPromise(ctx.db, id);
  await partnerInReach(ctx, partnerId);
  const [p] = await promiseDetails(ctx, keyDate(asOf), 'q.id = $2', [id]);
  if (!p) throw new NotFoundError('Promise', id);
  return p;
}

/** A partner's promises, latest promised date first, with their status at the key date (default today). */
export async function partnerPromises(ctx: RequestContext, partnerId: string, asOf?: string | null): Promise<PromiseDetail[]> {
  await partnerInReach(ctx, partnerId);
  return promiseDetails(ctx, keyDate(asOf), 'q.partner_id = $2', [partnerId]);
}

/**
 * Promises on the items given (one each, the amount split) or one without an item, read back in
 * id order at their creation date. `itemPath` names the argument a wrong item is reported at.
 */
export async function createPromises(ctx: RequestContext, input: promises.PromisesInput, itemPath = 'itemIds'): Promise<PromisesCreated> {
  await partnerInReach(ctx, input.partnerId);
  const r = await promises.createPromises(ctx.db, { ...input, distribution: input.distribution ?? 'BY_DUE_DATE' }, itemPath);
  const created = await promiseDetails(ctx, input.createdDate, 'q.id = ANY($2::bigint[])', [r.ids]);
  return { promises: created.sort((a, b) => Number(a.id) - Number(b.id)), worklistItem: await liveItemAfter(ctx, input.partnerId, r.revaluation) };
}

/** Cancels an OPEN promise at the date given. */
export async function cancelPromise(ctx: RequestContext, id: string, cancelledDate: string): Promise<PromiseChanged> {
  const partnerId = await promises.partnerOfPromise(ctx.db, id);
  await partnerInReach(ctx, partnerId);
  const r = await promises.cancelPromise(ctx.db, { promiseId: id, cancelledDate });
  const [p] = await promiseDetails(ctx, cancelledDate, 'q.id = $2', [id]);
  return { promise: p!, previous: null, worklistItem: await liveItemAfter(ctx, partnerId, r.revaluation) };
}

/** Renews a promise one level up; the renewed one comes back as `previous`. */
export async function renewPromise(ctx: RequestContext, input: promises.RenewInput): Promise<PromiseChanged> {
  const partnerId = await promises.partnerOfPromise(ctx.db, input.promiseId);
  await partnerInReach(ctx, partnerId);
  const r = await promises.renewPromise(ctx.db, input);
  const [p] = await promiseDetails(ctx, input.createdDate, 'q.id = $2', [r.id]);
  const [previous] = await promiseDetails(ctx, input.createdDate, 'q.id = $2', [input.promiseId]);
  return { promise: p!, previous: previous ?? null, worklistItem: await liveItemAfter(ctx, partnerId, r.revaluation) };
}
