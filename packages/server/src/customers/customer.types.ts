import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { MoneyAmount } from '../fx/money.types';
import { PageInfo } from '../graphql/paging';
import { WorklistItem } from '../worklists';

/** The root of a customer 360: the partner and the key date; every section is a field resolved on demand. */
@ObjectType({ description: 'Everything about one partner at a key date (customer 360).' })
export class Customer {
  @Field(() => ID, { description: 'The partner.' })
  partnerId!: string;

  @Field(() => DateScalar, { description: 'Key date of every section (days overdue, statuses, key figures).' })
  asOf!: string;

  /** Facts read once per request for `credit` and `keyFigures`. */
  facts?: Promise<Record<string, unknown>>;
}

/** What holds an item out of in-house collection (item_holds.kind). */
export enum ItemHoldKind {
  PLACEMENT = 'PLACEMENT',
  LEGAL = 'LEGAL',
}
registerEnumType(ItemHoldKind, {
  name: 'ItemHoldKind',
  description: 'What holds an item out of in-house collection.',
  valuesConfig: {
    PLACEMENT: { description: 'Placed with a collection agency.' },
    LEGAL: { description: 'In a legal case.' },
  },
});

@ObjectType({ description: 'An open item (invoice) of the partner: an item with an amount still open.' })
export class OpenItem {
  @Field(() => ID, { description: 'Identifier of the item.' })
  id!: string;

  @Field(() => String, { description: 'Document id in the source system.' })
  externalId!: string;

  @Field(() => String, { description: 'Company code that posted the item.' })
  companyCode!: string;

  @Field(() => DateScalar, { description: 'Document (invoice) date.' })
  documentDate!: string;

  @Field(() => DateScalar, { description: 'Date the item is due.' })
  dueDate!: string;

  @Field(() => Int, { description: 'Key date minus due date (negative: not yet due).' })
  daysOverdue!: number;

  @Field(() => DecimalScalar, { description: 'Original amount of the item, in `currency`.' })
  amount!: string;

  @Field(() => DecimalScalar, { description: 'Amount still open, in `currency`.' })
  openAmount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the item.' })
  currency!: string;

  @Field(() => Int, { description: 'Dunning level reached; 0 when never dunned.' })
  dunningLevel!: number;

  @Field(() => Boolean, { description: 'Whether the item is blocked for dunning.' })
  dunningBlock!: boolean;

  @Field(() => String, { nullable: true, description: 'Profit center from the source system; null when none.' })
  profitCenter!: string | null;

  @Field(() => Boolean, { description: 'An OPEN or IN_PROCESS dispute on the item at the key date.' })
  disputed!: boolean;

  @Field(() => ItemHoldKind, {
    nullable: true,
    description:
      'What holds the item at the key date (a placement with an agency or a legal case): it is worked there, not by the worklist; null when not held.',
  })
  heldBy!: ItemHoldKind | null;
}

@ObjectType({ description: 'An open item with its cursor.' })
export class OpenItemEdge {
  @Field(() => String, { description: 'Opaque cursor of this item; pass it as `after` to read the items that follow.' })
  cursor!: string;

  @Field(() => OpenItem, { description: 'The open item.' })
  node!: OpenItem;
}

@ObjectType({ description: 'A page of open items, oldest due date first.' })
export class OpenItemConnection {
  @Field(() => [OpenItemEdge], { description: 'The items of this page.' })
  edges!: OpenItemEdge[];

  @Field(() => PageInfo, { description: 'Paging state of this page.' })
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'Open items by days overdue, per currency (amounts are never added across currencies).' })
export class AgingBucket {
  @Field(() => String, { description: 'Bucket label as a specialist reads it, e.g. "31–60" or "> 90".' })
  label!: string;

  @Field(() => Int, { nullable: true, description: 'Fewest days overdue in the bucket (inclusive); null: no lower end (includes items not yet due).' })
  fromDays!: number | null;

  @Field(() => Int, { nullable: true, description: 'Most days overdue in the bucket (inclusive); null: no upper end.' })
  toDays!: number | null;

  @Field(() => Int, { description: 'Open items in the bucket, leaving out the items held at the key date (counted in heldItems).' })
  items!: number;

  @Field(() => [MoneyAmount], { description: 'Open amount in the bucket, per currency, leaving out the items held at the key date (in heldAmounts).' })
  amounts!: MoneyAmount[];

  @Field(() => Int, { description: 'Open items in the bucket held at the key date (placed with an agency or in a legal case): not in items.' })
  heldItems!: number;

  @Field(() => [MoneyAmount], { description: 'Open amount of the held items in the bucket, per currency: not in amounts.' })
  heldAmounts!: MoneyAmount[];
}

@ObjectType({ description: 'A payment received from the partner.' })
export class Payment {
  @Field(() => ID, { description: 'Identifier of the payment.' })
  id!: string;

  @Field(() => String, { description: 'Id in the source system; RC-… for payments posted through the API.' })
  externalId!: string;

  @Field(() => ID, { nullable: true, description: 'The item the payment was applied to; null: on account.' })
  itemId!: string | null;

  @Field(() => DateScalar, { description: 'Date of the payment.' })
  paymentDate!: string;

  @Field(() => DecimalScalar, { description: 'Amount paid, in `currency`.' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the payment.' })
  currency!: string;
}

@ObjectType({ description: 'A promise to pay with its status at the key date (DESIGN.md).' })
export class PromiseToPay {
  @Field(() => ID, { description: 'Identifier of the promise.' })
  id!: string;

  @Field(() => String, { description: 'Id in the source system; RC-… for promises made through the API.' })
  externalId!: string;

  @Field(() => ID, { nullable: true, description: 'The open item promised on; null for a promise on the partner as a whole.' })
  itemId!: string | null;

  @Field(() => DateScalar, { description: 'Date the promise was made.' })
  createdDate!: string;

  @Field(() => DateScalar, { description: 'Date by which the customer promised to pay.' })
  promisedDate!: string;

  @Field(() => DecimalScalar, { description: 'Promised amount, in `currency`.' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the promise.' })
  currency!: string;

  @Field(() => Boolean, { description: 'Whether the promise was cancelled or superseded by a renewal.' })
  cancelled!: boolean;

  @Field(() => Int, { description: "Tolerance days of the item's company code (default 3)." })
  toleranceDays!: number;

  @Field(() => DecimalScalar, { description: 'Paid on the item from creation to promised date + tolerance, by the key date, in the promise currency.' })
  paid!: string;

  @Field(() => String, { description: 'OPEN, KEPT, PARTIALLY_KEPT, BROKEN or CANCELLED at the key date.' })
  status!: string;
}

@ObjectType({ description: 'A dispute of the partner, as the customer 360 shows it.' })
export class Dispute {
  @Field(() => ID, { description: 'Identifier of the dispute.' })
  id!: string;

  @Field(() => String, { description: 'Id in the source system; RC-… for disputes opened through the API.' })
  externalId!: string;

  @Field(() => ID, { nullable: true, description: 'The disputed item; null for a dispute not tied to an item.' })
  itemId!: string | null;

  @Field(() => DateScalar, { description: 'Date the dispute was opened.' })
  createdDate!: string;

  @Field(() => DecimalScalar, { description: 'Disputed amount, in `currency`.' })
  disputedAmount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the dispute.' })
  currency!: string;

  @Field(() => String, { description: 'OPEN, IN_PROCESS, RESOLVED, REJECTED or CLOSED.' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'Why the customer disputes; null when not given.' })
  reason!: string | null;
}

@ObjectType({ description: 'A contact with the customer, as the customer 360 shows it.' })
export class Contact {
  @Field(() => ID, { description: 'Identifier of the contact.' })
  id!: string;

  @Field(() => String, { description: 'Id in the source system; RC-… for contacts recorded through the API.' })
  externalId!: string;

  @Field(() => DateScalar, { description: 'Date of the contact.' })
  contactDate!: string;

  @Field(() => String, { nullable: true, description: 'Time of day of the contact (HH:MM:SS); null when not recorded.' })
  contactTime!: string | null;

  @Field(() => String, { description: 'Channel, e.g. PHONE, EMAIL, SMS or LETTER.' })
  channel!: string;

  @Field(() => String, { description: 'INBOUND or OUTBOUND.' })
  direction!: string;

  @Field(() => Boolean, { description: 'Whether the customer was reached.' })
  reached!: boolean;

  @Field(() => String, { nullable: true, description: 'Result code (free text when imported); null when none.' })
  result!: string | null;
}

@ObjectType({ description: "An open item's dunning state (the dunning history until dunning runs are recorded)." })
export class DunningEntry {
  @Field(() => ID, { description: 'The open item.' })
  itemId!: string;

  @Field(() => String, { description: 'Document id in the source system.' })
  externalId!: string;

  @Field(() => DateScalar, { description: 'Date the item is due.' })
  dueDate!: string;

  @Field(() => Int, { description: 'Dunning level reached; 0 when not dunned yet.' })
  dunningLevel!: number;

  @Field(() => Boolean, { description: 'Whether the item is blocked for dunning.' })
  dunningBlock!: boolean;

  @Field(() => DecimalScalar, { description: 'Amount still open, in `currency`.' })
  openAmount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the item.' })
  currency!: string;
}

@ObjectType({ description: 'Credit data in the partner currency, amounts converted at the key date.' })
export class CreditData {
  @Field(() => String, { description: 'Partner currency (ISO 4217) of every amount here.' })
  currency!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Credit limit; null when none is set.' })
  creditLimit!: string | null;

  @Field(() => String, { nullable: true, description: 'Risk class; null when none is set.' })
  riskClass!: string | null;

  @Field(() => DecimalScalar, {
    description: 'Open amount of the open items the collections work covers; items held (placed with an agency, in a legal case) are in heldAmount.',
  })
  openAmount!: string;

  @Field(() => DecimalScalar, { description: 'Open amount of those items at least one day overdue.' })
  overdueAmount!: string;

  @Field(() => Float, { nullable: true, description: 'Credit limit utilisation: openAmount / creditLimit x 100; null without a positive limit.' })
  utilizationPercent!: number | null;

  /** The customer the figures are of (for heldAmount and heldItems). */
  customer!: Customer;
}

@ObjectType({ description: 'The open items held out of the collections work at the key date (placed with a collection agency or in a legal case).' })
export class HeldItems {
  @Field(() => Int, { description: 'How many items are held and open at the key date.' })
  count!: number;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Their open amount at the key date in the partner currency (rates at the key date); null when a currency has no rate then.',
  })
  amount!: string | null;

  @Field(() => Int, { description: 'Of them, held by a placement with a collection agency.' })
  placed!: number;

  @Field(() => Int, { description: 'Of them, held by a legal case.' })
  legal!: number;
}

@ObjectType({ description: 'Key figures of the partner at the key date, in the partner currency.' })
export class CustomerKeyFigures {
  @Field(() => Float, {
    nullable: true,
    description:
      'Days sales outstanding over the last 90 days (simple method), in the partner currency at the key date: ' +
      'open amount of the items documented on or before D / amount of the items documented in (D-90, D] x 90, one decimal; ' +
      'null without such sales.',
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

  @Field(() => Int, { description: 'Promises OPEN at D (made, not yet due or within their tolerance, not cancelled): not yet judged kept or broken.' })
  openPromises!: number;

  @Field(() => Int, { nullable: true, description: 'Days overdue of the oldest open item; null when nothing is open.' })
  maxDaysOverdue!: number | null;

  @Field(() => Int, { nullable: true, description: 'Days from the latest payment on or before the key date to the key date; null when there is none.' })
  daysSinceLastPayment!: number | null;

  @Field(() => Int, { nullable: true, description: 'Days from the latest contact on or before the key date to the key date; null when there is none.' })
  daysSinceLastContact!: number | null;
}

@InputType({ description: 'A contact with the customer, recorded from the customer 360.' })
export class ContactInput {
  @Field(() => ID, { description: 'The partner contacted.' })
  partnerId!: string;

  @Field(() => DateScalar, { description: 'Date of the contact.' })
  contactDate!: string;

  @Field(() => String, { nullable: true, description: 'Time of day of the contact, HH:MM or HH:MM:SS.' })
  contactTime?: string;

  @Field(() => String, { description: 'Channel, e.g. PHONE, EMAIL, SMS or LETTER (at most 20 characters).' })
  channel!: string;

  @Field(() => String, { description: 'INBOUND or OUTBOUND (either case).' })
  direction!: string;

  @Field(() => Boolean, { description: 'Whether the customer was reached.' })
  reached!: boolean;

  @Field(() => String, { nullable: true, description: 'A code of contactResults (free text while none is configured).' })
  result?: string;
}

@InputType({ description: 'A promise to pay on one item or on the partner as a whole.' })
export class PromiseInput {
  @Field(() => ID, { description: 'The partner who promises.' })
  partnerId!: string;

  @Field(() => ID, { nullable: true, description: 'The open item promised on; absent: a promise on the partner as a whole.' })
  itemId?: string;

  @Field(() => DateScalar, { description: 'Date the promise is made.' })
  createdDate!: string;

  @Field(() => DateScalar, { description: 'Date by which payment is promised; not before createdDate.' })
  promisedDate!: string;

  @Field(() => DecimalScalar, { description: 'Promised amount, in the promise currency.' })
  amount!: string;

  @Field(() => String, { nullable: true, description: "Default: the item's currency, else the partner's." })
  currency?: string;
}

@InputType({ description: 'A dispute on one item or on the partner as a whole.' })
export class DisputeInput {
  @Field(() => ID, { description: 'The partner disputing.' })
  partnerId!: string;

  @Field(() => ID, { nullable: true, description: 'The disputed item; absent: a dispute not tied to an item.' })
  itemId?: string;

  @Field(() => DateScalar, { description: 'Date the dispute is opened.' })
  createdDate!: string;

  @Field(() => DecimalScalar, { description: 'Disputed amount, in the dispute currency.' })
  disputedAmount!: string;

  @Field(() => String, { nullable: true, description: "ISO 4217 code; default: the item's currency, else the partner's." })
  currency?: string;

  @Field(() => String, { nullable: true, description: 'Why the customer disputes (free text).' })
  reason?: string;
}

/** Shared by the event results: the partner's item on the live worklist after the re-valuation. */
@ObjectType()
abstract class EventResult {
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live worklist item; null when not (or no longer) on the list." })
  worklistItem!: WorklistItem | null;
}

@ObjectType({ description: "A recorded contact, with the partner's re-valuated worklist item." })
export class ContactRecorded extends EventResult {
  @Field(() => Contact, { description: 'The recorded contact.' })
  contact!: Contact;
}

@ObjectType({ description: "A promise made, with the partner's re-valuated worklist item." })
export class PromiseCreated extends EventResult {
  @Field(() => PromiseToPay, { description: 'The promise, with its status at its creation date.' })
  promise!: PromiseToPay;
}

@ObjectType({ description: "A dispute opened, with the partner's re-valuated worklist item." })
export class DisputeOpened extends EventResult {
  @Field(() => Dispute, { description: 'The opened dispute.' })
  dispute!: Dispute;
}
