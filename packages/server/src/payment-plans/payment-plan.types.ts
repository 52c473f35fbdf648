import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { WorklistItem } from '../worklists/worklist.types';

export enum PlanFrequencyEnum { WEEKLY = 'WEEKLY', MONTHLY = 'MONTHLY' }
registerEnumType(PlanFrequencyEnum, { name: 'PlanFrequency' });

@ObjectType({ description: 'An installment, judged like a promise (cumulatively on the plan\'s payments).' })
export class PaymentPlanInstallment {
  @Field(() => ID) id!: string;
  @Field(() => Int) seq!: number;
  @Field(() => DateScalar) dueDate!: string;
  @Field(() => DecimalScalar) principal!: string;
  @Field(() => DecimalScalar) interest!: string;
  @Field(() => DecimalScalar) amount!: string;
  @Field(() => DecimalScalar) paid!: string;
  @Field(() => String, { description: 'OPEN, KEPT, PARTIALLY_KEPT, BROKEN or CANCELLED at the key date.' }) status!: string;
  @Field(() => String, { nullable: true }) judgedStatus!: string | null;
  @Field(() => DateScalar, { nullable: true }) judgedAt!: string | null;
}

@ObjectType()
export class PaymentPlanView {
  @Field(() => ID) id!: string;
  @Field(() => String) externalId!: string;
  @Field(() => ID) partnerId!: string;
  @Field(() => String) currency!: string;
  @Field(() => DateScalar) createdDate!: string;
  @Field(() => DateScalar) firstDate!: string;
  @Field(() => PlanFrequencyEnum) frequency!: PlanFrequencyEnum;
  @Field(() => Int) installmentCount!: number;
  @Field(() => DecimalScalar) principal!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Yearly simple interest in percent.' }) interestRate!: string | null;
  @Field(() => DecimalScalar) interest!: string;
  @Field(() => DecimalScalar) totalAmount!: string;
  @Field(() => Int) toleranceDays!: number;
  @Field(() => Boolean) cancelled!: boolean;
  @Field(() => DateScalar, { nullable: true }) cancelledDate!: string | null;
  @Field(() => [ID]) itemIds!: string[];
  @Field(() => DateScalar) asOf!: string;
  @Field(() => String, { description: 'ACTIVE, BROKEN (an installment BROKEN or PARTIALLY_KEPT), COMPLETED or CANCELLED at the key date.' }) status!: string;
  @Field(() => [PaymentPlanInstallment]) installments!: PaymentPlanInstallment[];
}

@InputType()
export class PaymentPlanInput {
  @Field(() => ID) partnerId!: string;
  @Field(() => [ID]) itemIds!: string[];
  @Field(() => Int) installmentCount!: number;
  @Field(() => PlanFrequencyEnum) frequency!: PlanFrequencyEnum;
  @Field(() => DateScalar) firstDate!: string;
  @Field(() => DateScalar) createdDate!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Yearly simple interest in percent on the principal over the term.' }) interestRate?: string | null;
}

@ObjectType()
export class PaymentPlanChanged {
  @Field(() => PaymentPlanView) plan!: PaymentPlanView;
  @Field(() => WorklistItem, { nullable: true }) worklistItem!: WorklistItem | null;
}
