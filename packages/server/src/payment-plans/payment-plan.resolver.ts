import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DateScalar } from '../graphql/scalars';
import { cancelPaymentPlan, createPaymentPlan, paymentPlan, paymentPlans } from './payment-plan-api.service';
import { PaymentPlanChanged, PaymentPlanInput, PaymentPlanView } from './payment-plan.types';

/** Payment plans: SPECIALIST (own partners), SUPERVISOR and ADMIN write; every role reads. */
@Resolver()
export class PaymentPlanResolver {
  @Query(() => PaymentPlanView, { description: 'A payment plan with its installments judged at the key date (default today).' })
  paymentPlan(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The payment plan (NOT_FOUND when there is none).' }) id: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Key date of the judging; default today.' }) asOf?: string,
  ): Promise<PaymentPlanView> {
    return paymentPlan(ctx, id, asOf);
  }

  @Query(() => [PaymentPlanView], { description: "A partner's payment plans, latest first, judged at the key date." })
  paymentPlans(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID, { description: 'The partner whose plans to list.' }) partnerId: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Key date of the judging; default today.' }) asOf?: string,
  ): Promise<PaymentPlanView[]> {
    return paymentPlans(ctx, partnerId, asOf);
  }

  @Mutation(() => PaymentPlanChanged, { description: 'Installments over chosen open items of one partner (one currency, items in no other live plan).' })
  createPaymentPlan(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => PaymentPlanInput, { description: 'The items, the schedule and the interest of the plan.' }) input: PaymentPlanInput,
  ): Promise<PaymentPlanChanged> {
    return createPaymentPlan(ctx, input);
  }

  @Mutation(() => PaymentPlanChanged, { description: 'Cancels an ACTIVE or BROKEN plan (CONFLICT when CANCELLED or COMPLETED).' })
  cancelPaymentPlan(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The payment plan to cancel.' }) id: string,
    @Arg('cancelledDate', () => DateScalar, { description: 'Date of the cancellation; not before the plan was made.' }) cancelledDate: string,
  ): Promise<PaymentPlanChanged> {
    return cancelPaymentPlan(ctx, id, cancelledDate);
  }
}
