/**
 * What the API asks of payment plans, one call per operation: the caller's reach (a SPECIALIST
 * on their own partners, graphql/access), the write through payment-plan.service (one
 * transaction with the partner's re-valuation), then the plans read back judged at a key date.
 */
import { partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { NotFoundError } from '../graphql/errors';
import { keyDate } from '../graphql/scalars';
import { liveItemAfter } from '../worklists';
import * as plans from './payment-plan.service';
import type { PaymentPlanChanged, PaymentPlanInput, PaymentPlanView, PlanFrequencyEnum } from './payment-plan.types';

/** Plans matching `where` (alias pl, values from $1), latest first, each with its installments judged at D. */
async function planViews(ctx: RequestContext, asOf: string, where: string, values: unknown[]): Promise<PaymentPlanView[]> {
  const rows: any[] = await ctx.db.dataSource.query(
    `SELECT pl.id::text AS id, pl.external_id, pl.partner_id::text AS partner_id, pl.currency::text AS currency, pl.created_date, pl.first_date, pl.frequency,
        pl.installment_count, pl.principal::text AS principal, pl.interest_rate::text AS interest_rate, pl.interest::text AS interest,
        pl.total_amount::text AS total_amount, pl.tolerance_days, pl.cancelled, pl.cancelled_date,
        ARRAY(SELECT pi.item_id::text FROM payment_plan_items pi WHERE pi.plan_id = pl.id ORDER BY pi.item_id) AS item_ids
       FROM payment_plans pl WHERE ${where} ORDER BY pl.created_date DESC, pl.id DESC`,
    values,
  );
  const out: PaymentPlanView[] = [];
  for (const r of rows) {
    const { status, installments } = await plans.planStatusAt(ctx.db.dataSource, r.id, asOf);
    out.push({
      id: r.id,
      externalId: r.external_id,
      partnerId: r.partner_id,
      currency: r.currency,
      createdDate: r.created_date,
      firstDate: r.first_date,
      frequency: r.frequency as PlanFrequencyEnum,
      installmentCount: Number(r.installment_count),
      principal: r.principal,
      interestRate: r.interest_rate,
      interest: r.interest,
      totalAmount: r.total_amount,
      toleranceDays: Number(r.tolerance_days),
      cancelled: r.cancelled,
      cancelledDate: r.cancelled_date,
      itemIds: r.item_ids,
      asOf,
      status,
      installments,
    });
  }
  return out;
}

/** A plan judged at the key date (default today). */
export async function paymentPlan(ctx: RequestContext, id: string, asOf?: string | null): Promise<PaymentPlanView> {
  await partnerInReach(ctx, await plans.partnerOfPlan(ctx.db, id));
  const [plan] = await planViews(ctx, keyDate(asOf), 'pl.id = $1', [id]);
  if (!plan) throw new NotFoundError('Payment plan', id);
  return plan;
}

/** A partner's plans, latest first, judged at the key date (default today). */
export async function paymentPlans(ctx: RequestContext, partnerId: string, asOf?: string | null): Promise<PaymentPlanView[]> {
  await partnerInReach(ctx, partnerId);
  return planViews(ctx, keyDate(asOf), 'pl.partner_id = $1', [partnerId]);
}

/** A plan made by the caller, judged at its creation date. */
export async function createPaymentPlan(ctx: RequestContext, input: PaymentPlanInput): Promise<PaymentPlanChanged> {
  await partnerInReach(ctx, input.partnerId);
  const r = await plans.createPaymentPlan(ctx.db, { ...input, createdBy: ctx.user?.name ?? null });
  const [plan] = await planViews(ctx, input.createdDate, 'pl.id = $1', [r.id]);
  return { plan: plan!, worklistItem: await liveItemAfter(ctx, input.partnerId) };
}

/** Cancels a plan at the date given, judged at that date. */
export async function cancelPaymentPlan(ctx: RequestContext, id: string, cancelledDate: string): Promise<PaymentPlanChanged> {
  const partnerId = await plans.partnerOfPlan(ctx.db, id);
  await partnerInReach(ctx, partnerId);
  await plans.cancelPaymentPlan(ctx.db, { planId: id, cancelledDate });
  const [plan] = await planViews(ctx, cancelledDate, 'pl.id = $1', [id]);
  return { plan: plan!, worklistItem: await liveItemAfter(ctx, partnerId) };
}
