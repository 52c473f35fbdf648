import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { liveItemAfter } from '../worklists';
import { partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { postPayment } from './payment.service';
import { PaymentPosted, PostPaymentInput } from './payment.types';

/** Posting payments: SPECIALIST (own partners), SUPERVISOR, ADMIN. */
@Resolver()
export class PaymentResolver {
  @Mutation(() => PaymentPosted, { description: 'Posts a payment: clears items oldest first (named, all open, or a plan\'s), the rest on account; judges the affected promises and installments; re-valuates the worklist item.' })
  async postPayment(@Ctx() ctx: RequestContext, @Arg('input', () => PostPaymentInput) input: PostPaymentInput): Promise<PaymentPosted> {
    await partnerInReach(ctx, input.partnerId);
    const { revaluation: _r, ...result } = await postPayment(ctx.db, input);
    return { ...result, worklistItem: await liveItemAfter(ctx, input.partnerId) };
  }
}
