import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { WorklistItem } from '../worklists/worklist.types';

@InputType()
export class PostPaymentInput {
  @Field(() => ID) partnerId!: string;
  @Field(() => DateScalar) paymentDate!: string;
  @Field(() => DecimalScalar) amount!: string;
  @Field(() => String, { nullable: true, description: "Default: the items' currency, else the partner's." }) currency?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Items to clear, oldest due date first.' }) itemIds?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: "Without itemIds: clear the partner's open items in the payment currency, oldest first." }) clearOpenItems?: boolean | null;
  @Field(() => ID, { nullable: true, description: "Against a payment plan: clears the plan's items; the rest on account counts for the plan." }) paymentPlanId?: string | null;
}

@ObjectType()
export class ClearedItem {
  @Field(() => ID) itemId!: string;
  @Field(() => ID) paymentId!: string;
  @Field(() => DecimalScalar) amount!: string;
  @Field(() => DecimalScalar) openBefore!: string;
  @Field(() => DecimalScalar) openAfter!: string;
}

@ObjectType()
export class JudgedPromise {
  @Field(() => ID) id!: string;
  @Field(() => String) status!: string;
}

@ObjectType()
export class JudgedInstallment {
  @Field(() => ID) id!: string;
  @Field(() => ID) planId!: string;
  @Field(() => Int) seq!: number;
  @Field(() => String) status!: string;
}

@ObjectType({ description: 'A posted payment: the items it cleared (oldest first), what went on account, the promises and installments judged after it.' })
export class PaymentPosted {
  @Field(() => String) postingRef!: string;
  @Field(() => [ID]) paymentIds!: string[];
  @Field(() => String) currency!: string;
  @Field(() => [ClearedItem]) cleared!: ClearedItem[];
  @Field(() => DecimalScalar) onAccount!: string;
  @Field(() => ID, { nullable: true }) onAccountPaymentId!: string | null;
  @Field(() => DateScalar) judgedAt!: string;
  @Field(() => [JudgedPromise]) promises!: JudgedPromise[];
  @Field(() => [JudgedInstallment]) installments!: JudgedInstallment[];
  @Field(() => WorklistItem, { nullable: true }) worklistItem!: WorklistItem | null;
}
