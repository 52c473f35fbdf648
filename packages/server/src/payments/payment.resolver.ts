import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { postPayment } from './payment-api.service';
import { PaymentPosted, PostPaymentInput } from './payment.types';

/** Posting payments: SPECIALIST (own partners), SUPERVISOR, ADMIN. */
@Resolver()
export class PaymentResolver {
  @Mutation(() => PaymentPosted, {
    description:
      "Posts a payment: clears items oldest first (named, all open, or a plan's), the rest on account; judges the affected promises and installments; re-valuates the worklist item.",
  })
  postPayment(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => PostPaymentInput, { description: 'The payment and what it pays: items, all open items, or a payment plan.' }) input: PostPaymentInput,
  ): Promise<PaymentPosted> {
    return postPayment(ctx, input);
  }
}
