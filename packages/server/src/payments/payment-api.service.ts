/**
 * What the API asks of payments: the caller's reach (a SPECIALIST on their own partners,
 * graphql/access), the posting through payment.service (one transaction with the judging and the
 * partner's re-valuation), then the partner's live item read back.
 */
import { partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { liveItemAfter } from '../worklists';
import * as payments from './payment.service';
import type { PaymentPosted, PostPaymentInput } from './payment.types';

/** Posts a payment of a partner in reach. */
export async function postPayment(ctx: RequestContext, input: PostPaymentInput): Promise<PaymentPosted> {
  await partnerInReach(ctx, input.partnerId);
  const { revaluation: _r, ...result } = await payments.postPayment(ctx.db, input);
  return { ...result, worklistItem: await liveItemAfter(ctx, input.partnerId) };
}
