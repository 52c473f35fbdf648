import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { WorklistItem } from '../worklists';

export enum PromiseDistributionEnum {
  BY_DUE_DATE = 'BY_DUE_DATE',
  EVENLY = 'EVENLY',
}
registerEnumType(PromiseDistributionEnum, {
  name: 'PromiseDistribution',
  description:
    'How a promise over several items splits its amount: oldest due date first up to each open amount, or evenly (whole cents, the remainder to the oldest).',
  valuesConfig: {
    BY_DUE_DATE: {
      description:
        'Fill the items oldest due date first, each up to its open amount; items the amount does not reach get no promise; more than their open total is refused.',
    },
    EVENLY: { description: "Equal shares in whole cents, leftover cents to the oldest items; a share above its item's open amount is refused." },
  },
});

@ObjectType({ description: 'A promise to pay with its status at a key date (OPEN, KEPT, PARTIALLY_KEPT, BROKEN, CANCELLED).' })
export class PromiseDetail {
  @Field(() => ID, { description: 'Identifier of the promise.' }) id!: string;
  @Field(() => String, { description: 'Id in the source system; RC-… for promises made through the API.' }) externalId!: string;
  @Field(() => ID, { description: 'The partner who promised.' }) partnerId!: string;
  @Field(() => ID, { nullable: true, description: 'The open item promised on; null for a promise on the partner as a whole.' }) itemId!: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'Promises made together (split over items) share the id of the first; null when not recorded (imported promises).',
  })
  groupId!: string | null;
  @Field(() => Int, { description: 'Raised by one with each renewal.' }) level!: number;
  @Field(() => ID, { nullable: true, description: 'The promise this one renews; null for an original promise.' }) renewedFromId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The promise that renewed this one; null while it is not renewed.' }) renewedById!: string | null;
  @Field(() => DateScalar, { description: 'Date the promise was made.' }) createdDate!: string;
  @Field(() => DateScalar, { description: 'Date by which the customer promised to pay.' }) promisedDate!: string;
  @Field(() => DecimalScalar, { description: 'Promised amount, in `currency`.' }) amount!: string;
  @Field(() => String, { description: 'ISO 4217 currency code of the promise.' }) currency!: string;
  @Field(() => Int, { description: "Days after the promised date in which a payment still counts (the item's company code's tolerance, default 3)." })
  toleranceDays!: number;
  @Field(() => DateScalar, { description: 'Key date at which `status` and `paid` are given.' }) asOf!: string;
  @Field(() => DecimalScalar, { description: 'Paid towards it by the key date (in its currency).' }) paid!: string;
  @Field(() => String, { description: 'Status at asOf: OPEN, KEPT, PARTIALLY_KEPT, BROKEN or CANCELLED.' }) status!: string;
  @Field(() => Boolean, { description: 'Whether the promise was cancelled or superseded by a renewal.' }) cancelled!: boolean;
  @Field(() => DateScalar, { nullable: true, description: 'Date of the cancellation; null when not cancelled.' }) cancelledDate!: string | null;
  @Field(() => String, { nullable: true, description: 'Status stored by the last judging; null when never judged.' }) judgedStatus!: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Key date of the last judging; null when never judged.' }) judgedAt!: string | null;
}

@InputType({ description: 'A promise to pay on one item, on several items (one promise per item) or on the partner as a whole.' })
export class CreatePromisesInput {
  @Field(() => ID, { description: 'The partner who promises.' }) partnerId!: string;
  @Field(() => [ID], { nullable: true, description: 'One promise per item; none: one promise on the partner.' }) itemIds?: string[] | null;
  @Field(() => DateScalar, { description: 'Date the promise is made.' }) createdDate!: string;
  @Field(() => DateScalar, { description: 'Date by which payment is promised; not before createdDate.' }) promisedDate!: string;
  @Field(() => DecimalScalar, { description: 'Promised amount in total; split over the items when there are several.' }) amount!: string;
  @Field(() => String, {
    nullable: true,
    description: "ISO 4217 code; default: the items' currency, else the partner's. Items in another currency are refused.",
  })
  currency?: string | null;
  @Field(() => PromiseDistributionEnum, {
    nullable: true,
    defaultValue: PromiseDistributionEnum.BY_DUE_DATE,
    description: 'How the amount is split over several items (default BY_DUE_DATE).',
  })
  distribution?: PromiseDistributionEnum | null;
}

@InputType({ description: 'A renewal: a new promise one level up, for what is still unpaid by default.' })
export class RenewPromiseInput {
  @Field(() => ID, { description: 'The promise to renew: OPEN, BROKEN or PARTIALLY_KEPT, and not renewed yet.' }) promiseId!: string;
  @Field(() => DateScalar, { description: 'Date of the renewal (the new promise is made on it).' }) createdDate!: string;
  @Field(() => DateScalar, { description: 'New date by which payment is promised; not before createdDate.' }) promisedDate!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Default: what is still unpaid of the renewed promise.' }) amount?: string | null;
}

@ObjectType({ description: "The promises made together, with the partner's re-valuated worklist item." })
export class PromisesCreated {
  @Field(() => [PromiseDetail], { description: 'The promises created, one per item (or one without an item), sharing a groupId.' }) promises!: PromiseDetail[];
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live worklist item; null when not (or no longer) on the list." })
  worklistItem!: WorklistItem | null;
}

@ObjectType({ description: "A promise after a cancellation or renewal, with the partner's re-valuated worklist item." })
export class PromiseChanged {
  @Field(() => PromiseDetail, { description: 'The cancelled promise, or the new promise of a renewal.' }) promise!: PromiseDetail;
  @Field(() => PromiseDetail, { nullable: true, description: 'On renewal: the renewed promise (CANCELLED when it was OPEN, else unchanged); null otherwise.' })
  previous!: PromiseDetail | null;
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live worklist item; null when not (or no longer) on the list." })
  worklistItem!: WorklistItem | null;
}

@ObjectType({ description: 'How many promises or installments have one status.' })
export class StatusCount {
  @Field(() => String, { description: 'The status: OPEN, KEPT, PARTIALLY_KEPT, BROKEN or CANCELLED.' }) status!: string;
  @Field(() => Int, { description: 'How many have it.' }) count!: number;
}

@ObjectType({ description: 'Outcome of a judging run: every promise and installment status stored at a key date.' })
export class JudgeRun {
  @Field(() => DateScalar, { description: 'Key date judged at.' }) asOf!: string;
  @Field(() => Int, { description: 'Promises judged.' }) promises!: number;
  @Field(() => Int, { description: 'Payment plan installments judged.' }) installments!: number;
  @Field(() => [StatusCount], { description: 'Promises per status.' }) promiseStatuses!: StatusCount[];
  @Field(() => [StatusCount], { description: 'Installments per status.' }) installmentStatuses!: StatusCount[];
}
