import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { WorklistItem } from '../worklists/worklist.types';

export enum PromiseDistributionEnum { BY_DUE_DATE = 'BY_DUE_DATE', EVENLY = 'EVENLY' }
registerEnumType(PromiseDistributionEnum, { name: 'PromiseDistribution', description: 'How a promise over several items splits its amount: oldest due date first up to each open amount, or evenly (whole cents, the remainder to the oldest).' });

@ObjectType({ description: 'A promise to pay with its status at a key date (OPEN, KEPT, PARTIALLY_KEPT, BROKEN, CANCELLED).' })
export class PromiseDetail {
  @Field(() => ID) id!: string;
  @Field(() => String) externalId!: string;
  @Field(() => ID) partnerId!: string;
  @Field(() => ID, { nullable: true }) itemId!: string | null;
  @Field(() => ID, { nullable: true, description: 'Promises made together (split over items) share the id of the first.' }) groupId!: string | null;
  @Field(() => Int, { description: 'Raised by one with each renewal.' }) level!: number;
  @Field(() => ID, { nullable: true }) renewedFromId!: string | null;
  @Field(() => ID, { nullable: true }) renewedById!: string | null;
  @Field(() => DateScalar) createdDate!: string;
  @Field(() => DateScalar) promisedDate!: string;
  @Field(() => DecimalScalar) amount!: string;
  @Field(() => String) currency!: string;
  @Field(() => Int) toleranceDays!: number;
  @Field(() => DateScalar) asOf!: string;
  @Field(() => DecimalScalar, { description: 'Paid towards it by the key date (in its currency).' }) paid!: string;
  @Field(() => String, { description: 'Status at asOf.' }) status!: string;
  @Field(() => Boolean) cancelled!: boolean;
  @Field(() => DateScalar, { nullable: true }) cancelledDate!: string | null;
  @Field(() => String, { nullable: true, description: 'Status stored by the last judging.' }) judgedStatus!: string | null;
  @Field(() => DateScalar, { nullable: true }) judgedAt!: string | null;
}

@InputType()
export class CreatePromisesInput {
  @Field(() => ID) partnerId!: string;
  @Field(() => [ID], { nullable: true, description: 'One promise per item; none: one promise on the partner.' }) itemIds?: string[] | null;
  @Field(() => DateScalar) createdDate!: string;
  @Field(() => DateScalar) promisedDate!: string;
  @Field(() => DecimalScalar) amount!: string;
  @Field(() => String, { nullable: true }) currency?: string | null;
  @Field(() => PromiseDistributionEnum, { nullable: true, defaultValue: PromiseDistributionEnum.BY_DUE_DATE }) distribution?: PromiseDistributionEnum | null;
}

@InputType()
export class RenewPromiseInput {
  @Field(() => ID) promiseId!: string;
  @Field(() => DateScalar) createdDate!: string;
  @Field(() => DateScalar) promisedDate!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Default: what is still unpaid of the renewed promise.' }) amount?: string | null;
}

@ObjectType()
export class PromisesCreated {
  @Field(() => [PromiseDetail]) promises!: PromiseDetail[];
  @Field(() => WorklistItem, { nullable: true }) worklistItem!: WorklistItem | null;
}

@ObjectType()
export class PromiseChanged {
  @Field(() => PromiseDetail) promise!: PromiseDetail;
  @Field(() => PromiseDetail, { nullable: true, description: 'On renewal: the renewed promise (CANCELLED when it was OPEN, else unchanged).' }) previous!: PromiseDetail | null;
  @Field(() => WorklistItem, { nullable: true }) worklistItem!: WorklistItem | null;
}

@ObjectType()
export class StatusCount {
  @Field(() => String) status!: string;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class JudgeRun {
  @Field(() => DateScalar) asOf!: string;
  @Field(() => Int) promises!: number;
  @Field(() => Int) installments!: number;
  @Field(() => [StatusCount]) promiseStatuses!: StatusCount[];
  @Field(() => [StatusCount]) installmentStatuses!: StatusCount[];
}
