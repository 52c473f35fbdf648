import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { WorklistItem } from '../worklists';

export enum PlanFrequencyEnum {
  WEEKLY = 'WEEKLY',
  MONTHLY = 'MONTHLY',
}
registerEnumType(PlanFrequencyEnum, {
  name: 'PlanFrequency',
  description: 'How often the installments of a payment plan fall due.',
  valuesConfig: {
    WEEKLY: { description: 'Every 7 days from the first date.' },
    MONTHLY: { description: "Monthly on the first date's day of the month (clamped to the month's end)." },
  },
});

@ObjectType({ description: "An installment, judged like a promise (cumulatively on the plan's payments)." })
export class PaymentPlanInstallment {
  @Field(() => ID, { description: 'Identifier of the installment.' }) id!: string;
  @Field(() => Int, { description: 'Position in the plan, from 1.' }) seq!: number;
  @Field(() => DateScalar, { description: 'Date the installment is due.' }) dueDate!: string;
  @Field(() => DecimalScalar, { description: 'Principal share, in the plan currency.' }) principal!: string;
  @Field(() => DecimalScalar, { description: 'Interest share, in the plan currency.' }) interest!: string;
  @Field(() => DecimalScalar, { description: 'Amount due: principal plus interest, in the plan currency.' }) amount!: string;
  @Field(() => DecimalScalar, { description: "Paid towards it by the key date (the plan's payments applied cumulatively), in the plan currency." })
  paid!: string;
  @Field(() => String, { description: 'OPEN, KEPT, PARTIALLY_KEPT, BROKEN or CANCELLED at the key date.' }) status!: string;
  @Field(() => String, { nullable: true, description: 'Status stored by the last judging; null when never judged.' }) judgedStatus!: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Key date of the last judging; null when never judged.' }) judgedAt!: string | null;
}

@ObjectType({ description: 'A payment plan: open items of one partner paid off in installments, judged at a key date.' })
export class PaymentPlanView {
  @Field(() => ID, { description: 'Identifier of the plan.' }) id!: string;
  @Field(() => String, { description: 'External reference of the plan (RC-…).' }) externalId!: string;
  @Field(() => ID, { description: 'The partner paying.' }) partnerId!: string;
  @Field(() => String, { description: 'ISO 4217 currency of the plan and its items.' }) currency!: string;
  @Field(() => DateScalar, { description: 'Date the plan was agreed; interest runs from it.' }) createdDate!: string;
  @Field(() => DateScalar, { description: 'Due date of the first installment.' }) firstDate!: string;
  @Field(() => PlanFrequencyEnum, { description: 'Spacing of the due dates.' }) frequency!: PlanFrequencyEnum;
  @Field(() => Int, { description: 'Number of installments.' }) installmentCount!: number;
  @Field(() => DecimalScalar, { description: "Sum of the items' open amounts when the plan was made." }) principal!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Yearly simple interest in percent; null: no interest.' }) interestRate!: string | null;
  @Field(() => DecimalScalar, { description: 'Flat simple interest over the term, rounded half up to cents; 0 without a rate.' }) interest!: string;
  @Field(() => DecimalScalar, { description: 'Principal plus interest: what the installments add up to.' }) totalAmount!: string;
  @Field(() => Int, { description: "Days after a due date in which a payment still counts (the smallest tolerance of the items' company codes)." })
  toleranceDays!: number;
  @Field(() => Boolean, { description: 'Whether the plan was cancelled.' }) cancelled!: boolean;
  @Field(() => DateScalar, { nullable: true, description: 'Date of the cancellation; null when not cancelled.' }) cancelledDate!: string | null;
  @Field(() => [ID], { description: 'The open items the plan covers.' }) itemIds!: string[];
  @Field(() => DateScalar, { description: 'Key date at which `status` and the installments are judged.' }) asOf!: string;
  @Field(() => String, { description: 'ACTIVE, BROKEN (an installment BROKEN or PARTIALLY_KEPT), COMPLETED or CANCELLED at the key date.' }) status!: string;
  @Field(() => [PaymentPlanInstallment], { description: 'The installments in due date order.' }) installments!: PaymentPlanInstallment[];
}

@InputType({ description: 'A new payment plan over open items of one partner.' })
export class PaymentPlanInput {
  @Field(() => ID, { description: 'The partner paying.' }) partnerId!: string;
  @Field(() => [ID], {
    description: 'Open items of the partner, all in one currency and in no other plan that is not cancelled; their open amounts are the principal.',
  })
  itemIds!: string[];
  @Field(() => Int, { description: 'Number of installments, 1 to 120.' }) installmentCount!: number;
  @Field(() => PlanFrequencyEnum, { description: 'Spacing of the due dates.' }) frequency!: PlanFrequencyEnum;
  @Field(() => DateScalar, { description: 'Due date of the first installment; not before createdDate.' }) firstDate!: string;
  @Field(() => DateScalar, { description: 'Date the plan is agreed; interest runs from it.' }) createdDate!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Yearly simple interest in percent on the principal over the term.' }) interestRate?:
    string | null;
}

@ObjectType({ description: "A payment plan after it was created or cancelled, with the partner's re-valuated worklist item." })
export class PaymentPlanChanged {
  @Field(() => PaymentPlanView, { description: 'The plan with its installments.' }) plan!: PaymentPlanView;
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live worklist item; null when not (or no longer) on the list." })
  worklistItem!: WorklistItem | null;
}
