import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { WorklistItem } from '../worklists';

@InputType({ description: 'An incoming payment of a partner, to post.' })
export class PostPaymentInput {
  @Field(() => ID, { description: 'The partner who paid.' }) partnerId!: string;
  @Field(() => DateScalar, { description: 'Date of the payment.' }) paymentDate!: string;
  @Field(() => DecimalScalar, { description: 'Amount paid, in the payment currency.' }) amount!: string;
  @Field(() => String, { nullable: true, description: "Default: the items' currency, else the partner's." }) currency?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Items to clear, oldest due date first.' }) itemIds?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: "Without itemIds: clear the partner's open items in the payment currency, oldest first." })
  clearOpenItems?: boolean | null;
  @Field(() => ID, { nullable: true, description: "Against a payment plan: clears the plan's items; the rest on account counts for the plan." })
  paymentPlanId?: string | null;
}

@ObjectType({ description: 'How much of a payment one open item took.' })
export class ClearedItem {
  @Field(() => ID, { description: 'The cleared open item.' }) itemId!: string;
  @Field(() => ID, { description: 'The payment row recorded for this item.' }) paymentId!: string;
  @Field(() => DecimalScalar, { description: 'Amount applied to the item, in the payment currency.' }) amount!: string;
  @Field(() => DecimalScalar, { description: 'Open amount of the item before the payment.' }) openBefore!: string;
  @Field(() => DecimalScalar, { description: 'Open amount of the item after the payment (never below zero).' }) openAfter!: string;
}

@ObjectType({ description: 'A promise judged after a payment.' })
export class JudgedPromise {
  @Field(() => ID, { description: 'The promise.' }) id!: string;
  @Field(() => String, { description: 'Its status at the judging date: OPEN, KEPT, PARTIALLY_KEPT, BROKEN or CANCELLED.' }) status!: string;
}

@ObjectType({ description: 'A payment plan installment judged after a payment.' })
export class JudgedInstallment {
  @Field(() => ID, { description: 'The installment.' }) id!: string;
  @Field(() => ID, { description: 'Its payment plan.' }) planId!: string;
  @Field(() => Int, { description: 'Its position in the plan, from 1.' }) seq!: number;
  @Field(() => String, { description: 'Its status at the judging date: OPEN, KEPT, PARTIALLY_KEPT, BROKEN or CANCELLED.' }) status!: string;
}

@ObjectType({ description: 'A posted payment: the items it cleared (oldest first), what went on account, the promises and installments judged after it.' })
export class PaymentPosted {
  @Field(() => String, { description: 'Reference shared by every payment row of this posting.' }) postingRef!: string;
  @Field(() => [ID], { description: 'The payment rows written: one per item cleared, then the one on account (if any).' }) paymentIds!: string[];
  @Field(() => String, { description: 'ISO 4217 currency of the payment.' }) currency!: string;
  @Field(() => [ClearedItem], { description: 'The items cleared, oldest due date first.' }) cleared!: ClearedItem[];
  @Field(() => DecimalScalar, { description: 'What no item took, booked on account; 0 when everything was applied to items.' }) onAccount!: string;
  @Field(() => ID, { nullable: true, description: 'The payment row of the amount on account; null when nothing went on account.' }) onAccountPaymentId!:
    string | null;
  @Field(() => DateScalar, { description: "Key date of the judging: the later of the payment date and the key date of the partner's live worklist run." })
  judgedAt!: string;
  @Field(() => [JudgedPromise], { description: 'Promises on the cleared items, judged after the payment.' }) promises!: JudgedPromise[];
  @Field(() => [JudgedInstallment], {
    description: 'Installments of the payment plans covering the cleared items (or of the plan named), judged after the payment.',
  })
  installments!: JudgedInstallment[];
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live worklist item; null when not (or no longer) on the list." })
  worklistItem!: WorklistItem | null;
}
