import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { MoneyAmount } from '../partners/ar-overview.types';
import { PageInfo, WorklistItem } from '../worklists/worklist.types';

/** The root of a customer 360: the partner and the key date; every section is a field resolved on demand. */
@ObjectType({ description: 'Everything about one partner at a key date (customer 360).' })
export class Customer {
  @Field(() => ID)
  partnerId!: string;

  @Field(() => DateScalar)
  asOf!: string;

  /** Facts read once per request for `credit` and `keyFigures`. */
  facts?: Promise<Record<string, unknown>>;
}

@ObjectType()
export class OpenItem {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  externalId!: string;

  @Field(() => String)
  companyCode!: string;

  @Field(() => DateScalar)
  documentDate!: string;

  @Field(() => DateScalar)
  dueDate!: string;

  @Field(() => Int, { description: 'Key date minus due date (negative: not yet due).' })
  daysOverdue!: number;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => DecimalScalar)
  openAmount!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => Int)
  dunningLevel!: number;

  @Field(() => Boolean)
  dunningBlock!: boolean;

  @Field(() => String, { nullable: true })
  profitCenter!: string | null;

  @Field(() => Boolean, { description: 'An OPEN or IN_PROCESS dispute on the item at the key date.' })
  disputed!: boolean;
}

@ObjectType()
export class OpenItemEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => OpenItem)
  node!: OpenItem;
}

@ObjectType()
export class OpenItemConnection {
  @Field(() => [OpenItemEdge])
  edges!: OpenItemEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'Open items by days overdue, per currency (amounts are never added across currencies).' })
export class AgingBucket {
  @Field(() => String)
  label!: string;

  @Field(() => Int, { nullable: true })
  fromDays!: number | null;

  @Field(() => Int, { nullable: true })
  toDays!: number | null;

  @Field(() => Int)
  items!: number;

  @Field(() => [MoneyAmount])
  amounts!: MoneyAmount[];
}

@ObjectType()
export class Payment {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  externalId!: string;

  @Field(() => ID, { nullable: true })
  itemId!: string | null;

  @Field(() => DateScalar)
  paymentDate!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => String)
  currency!: string;
}

@ObjectType({ description: 'A promise to pay with its status at the key date (DESIGN.md).' })
export class PromiseToPay {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  externalId!: string;

  @Field(() => ID, { nullable: true })
  itemId!: string | null;

  @Field(() => DateScalar)
  createdDate!: string;

  @Field(() => DateScalar)
  promisedDate!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => Boolean)
  cancelled!: boolean;

  @Field(() => Int, { description: "Tolerance days of the item's company code (default 3)." })
  toleranceDays!: number;

  @Field(() => DecimalScalar, { description: 'Paid on the item from creation to promised date + tolerance, by the key date, in the promise currency.' })
  paid!: string;

  @Field(() => String, { description: 'OPEN, KEPT, PARTIALLY_KEPT, BROKEN or CANCELLED at the key date.' })
  status!: string;
}

@ObjectType()
export class Dispute {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  externalId!: string;

  @Field(() => ID, { nullable: true })
  itemId!: string | null;

  @Field(() => DateScalar)
  createdDate!: string;

  @Field(() => DecimalScalar)
  disputedAmount!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => String)
  status!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

@ObjectType()
export class Contact {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  externalId!: string;

  @Field(() => DateScalar)
  contactDate!: string;

  @Field(() => String, { nullable: true })
  contactTime!: string | null;

  @Field(() => String)
  channel!: string;

  @Field(() => String)
  direction!: string;

  @Field(() => Boolean)
  reached!: boolean;

  @Field(() => String, { nullable: true })
  result!: string | null;
}

@ObjectType()
export class Resubmission {
  @Field(() => ID)
  id!: string;

  @Field(() => DateScalar)
  resubmissionDate!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => Boolean)
  done!: boolean;

  @Field(() => Boolean, { description: 'Not done and dated on or before the key date.' })
  due!: boolean;
}

@ObjectType({ description: "An open item's dunning state (the dunning history until dunning runs are recorded)." })
export class DunningEntry {
  @Field(() => ID)
  itemId!: string;

  @Field(() => String)
  externalId!: string;

  @Field(() => DateScalar)
  dueDate!: string;

  @Field(() => Int)
  dunningLevel!: number;

  @Field(() => Boolean)
  dunningBlock!: boolean;

  @Field(() => DecimalScalar)
  openAmount!: string;

  @Field(() => String)
  currency!: string;
}

@ObjectType({ description: 'Credit data in the partner currency, amounts converted at the key date.' })
export class CreditData {
  @Field(() => String)
  currency!: string;

  @Field(() => DecimalScalar, { nullable: true })
  creditLimit!: string | null;

  @Field(() => String, { nullable: true })
  riskClass!: string | null;

  @Field(() => DecimalScalar)
  openAmount!: string;

  @Field(() => DecimalScalar)
  overdueAmount!: string;

  @Field(() => Float, { nullable: true, description: 'openAmount / creditLimit x 100; null without a positive limit.' })
  utilizationPercent!: number | null;
}

@ObjectType()
export class CustomerKeyFigures {
  @Field(() => Float, {
    nullable: true,
    description: 'Days sales outstanding over the last 90 days (simple method), in the partner currency at the key date: '
      + 'open amount of the items documented on or before D / amount of the items documented in (D-90, D] x 90, one decimal; '
      + 'null without such sales.',
  })
  daysSalesOutstanding!: number | null;

  @Field(() => DecimalScalar, { description: 'DSO numerator: open amount of the items documented on or before D.' })
  receivables!: string;

  @Field(() => DecimalScalar, { description: 'DSO denominator: amount of the items documented in (D-90, D].' })
  sales90Days!: string;

  @Field(() => Float, { nullable: true, description: 'KEPT / (KEPT + PARTIALLY_KEPT + BROKEN) at D; null when none is judged yet.' })
  keptPromiseRatio!: number | null;

  @Field(() => Int, { description: 'Promises BROKEN at D with promised date in the last 365 days.' })
  brokenPromises!: number;

  @Field(() => Int, { nullable: true })
  maxDaysOverdue!: number | null;

  @Field(() => Int, { nullable: true })
  daysSinceLastPayment!: number | null;

  @Field(() => Int, { nullable: true })
  daysSinceLastContact!: number | null;
}

@InputType()
export class ContactInput {
  @Field(() => ID)
  partnerId!: string;

  @Field(() => DateScalar)
  contactDate!: string;

  @Field(() => String, { nullable: true, description: 'HH:MM[:SS].' })
  contactTime?: string;

  @Field(() => String)
  channel!: string;

  @Field(() => String, { description: 'INBOUND or OUTBOUND (either case).' })
  direction!: string;

  @Field(() => Boolean)
  reached!: boolean;

  @Field(() => String, { nullable: true })
  result?: string;
}

@InputType()
export class PromiseInput {
  @Field(() => ID)
  partnerId!: string;

  @Field(() => ID, { nullable: true })
  itemId?: string;

  @Field(() => DateScalar)
  createdDate!: string;

  @Field(() => DateScalar)
  promisedDate!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => String, { nullable: true, description: "Default: the item's currency, else the partner's." })
  currency?: string;
}

@InputType()
export class DisputeInput {
  @Field(() => ID)
  partnerId!: string;

  @Field(() => ID, { nullable: true })
  itemId?: string;

  @Field(() => DateScalar)
  createdDate!: string;

  @Field(() => DecimalScalar)
  disputedAmount!: string;

  @Field(() => String, { nullable: true })
  currency?: string;

  @Field(() => String, { nullable: true })
  reason?: string;
}

@InputType()
export class ResubmissionInput {
  @Field(() => ID)
  partnerId!: string;

  @Field(() => DateScalar)
  resubmissionDate!: string;

  @Field(() => String)
  reason!: string;
}

/** Shared by the event results: the partner's item on the live worklist after the re-valuation. */
@ObjectType()
abstract class EventResult {
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live worklist item; null when not (or no longer) on the list." })
  worklistItem!: WorklistItem | null;
}

@ObjectType()
export class ContactRecorded extends EventResult {
  @Field(() => Contact)
  contact!: Contact;
}

@ObjectType()
export class PromiseCreated extends EventResult {
  @Field(() => PromiseToPay)
  promise!: PromiseToPay;
}

@ObjectType()
export class DisputeOpened extends EventResult {
  @Field(() => Dispute)
  dispute!: Dispute;
}

@ObjectType()
export class ResubmissionScheduled extends EventResult {
  @Field(() => Resubmission)
  resubmission!: Resubmission;
}
