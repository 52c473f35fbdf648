import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { liveItemAfter } from '../worklists';
import { partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { NotFoundError } from '../graphql/errors';
import { DateScalar, keyDate } from '../graphql/scalars';
import { cancelPaymentPlan, createPaymentPlan, partnerOfPlan, planStatusAt } from './payment-plan.service';
import { PaymentPlanChanged, PaymentPlanInput, PaymentPlanView, type PlanFrequencyEnum } from './payment-plan.types';

export async function planViews(ctx: RequestContext, asOf: string, where: string, values: unknown[]): Promise<PaymentPlanView[]> {
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
    const { status, installments } = await planStatusAt(ctx.db.dataSource, r.id, asOf);
    out.push({
      id: r.id, externalId: r.external_id, partnerId: r.partner_id, currency: r.currency, createdDate: r.created_date, firstDate: r.first_date,
      frequency: r.frequency as PlanFrequencyEnum, installmentCount: Number(r.installment_count), principal: r.principal, interestRate: r.interest_rate,
      interest: r.interest, totalAmount: r.total_amount, toleranceDays: Number(r.tolerance_days), cancelled: r.cancelled, cancelledDate: r.cancelled_date,
      itemIds: r.item_ids, asOf, status, installments,
    });
  }
  return out;
}

/** Payment plans: SPECIALIST (own partners), SUPERVISOR and ADMIN write; every role reads. */
@Resolver()
export class PaymentPlanResolver {
  @Query(() => PaymentPlanView, { description: 'A payment plan with its installments judged at the key date (default today).' })
  async paymentPlan(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string): Promise<PaymentPlanView> {
    await partnerInReach(ctx, await partnerOfPlan(ctx.db, id));
    const [plan] = await planViews(ctx, keyDate(asOf), 'pl.id = $1', [id]);
    if (!plan) throw new NotFoundError('Payment plan', id);
    return plan;
  }

  @Query(() => [PaymentPlanView], { description: "A partner's payment plans, latest first, judged at the key date." })
  async paymentPlans(@Ctx() ctx: RequestContext, @Arg('partnerId', () => ID) partnerId: string, @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string): Promise<PaymentPlanView[]> {
    await partnerInReach(ctx, partnerId);
    return planViews(ctx, keyDate(asOf), 'pl.partner_id = $1', [partnerId]);
  }

  @Mutation(() => PaymentPlanChanged, { description: 'Installments over chosen open items of one partner (one currency, items in no other live plan).' })
  async createPaymentPlan(@Ctx() ctx: RequestContext, @Arg('input', () => PaymentPlanInput) input: PaymentPlanInput): Promise<PaymentPlanChanged> {
    await partnerInReach(ctx, input.partnerId);
    const r = await createPaymentPlan(ctx.db, { ...input, createdBy: ctx.user?.name ?? null });
    const [plan] = await planViews(ctx, input.createdDate, 'pl.id = $1', [r.id]);
    return { plan: plan!, worklistItem: await liveItemAfter(ctx, input.partnerId) };
  }

  @Mutation(() => PaymentPlanChanged, { description: 'Cancels an ACTIVE or BROKEN plan (CONFLICT when CANCELLED or COMPLETED).' })
  async cancelPaymentPlan(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('cancelledDate', () => DateScalar) cancelledDate: string): Promise<PaymentPlanChanged> {
    const partnerId = await partnerOfPlan(ctx.db, id);
    await partnerInReach(ctx, partnerId);
    await cancelPaymentPlan(ctx.db, { planId: id, cancelledDate });
    const [plan] = await planViews(ctx, cancelledDate, 'pl.id = $1', [id]);
    return { plan: plan!, worklistItem: await liveItemAfter(ctx, partnerId) };
  }
}
