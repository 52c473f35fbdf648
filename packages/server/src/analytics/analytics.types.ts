/** The analytics' GraphQL types: one filter for every report, a grouping dimension, and each report's figures. */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';

export enum AnalyticsGroupByEnum {
  COMPANY_CODE = 'COMPANY_CODE',
  SEGMENT = 'SEGMENT',
  GROUP = 'GROUP',
  SPECIALIST = 'SPECIALIST',
  STRATEGY = 'STRATEGY',
  PROFIT_CENTER = 'PROFIT_CENTER',
  LEVEL = 'LEVEL',
  CURRENCY = 'CURRENCY',
}
registerEnumType(AnalyticsGroupByEnum, {
  name: 'AnalyticsGroupBy',
  description:
    "A report's grouping. A partner's segment, collection group (else its segment's only group), the group's strategy and its specialist (fixed, else " +
    "of the partner's item on the segment's live worklist) are today's; company code and profit centre are the item's; LEVEL is the promise level. " +
    'Each report names the groupings it takes; another is BAD_USER_INPUT (extensions.path "groupBy").',
  valuesConfig: {
    COMPANY_CODE: { description: "By the item's company code." },
    SEGMENT: { description: "By the partner's collection segment today." },
    GROUP: { description: "By the partner's collection group today (else its segment's only group)." },
    SPECIALIST: { description: "By specialist: the group's fixed one, else that of the partner's item on the segment's live worklist (contacts: the author)." },
    STRATEGY: { description: "By the strategy the partner's collection group works today." },
    PROFIT_CENTER: { description: "By the item's profit centre." },
    LEVEL: { description: 'By promise level (promise report only).' },
    CURRENCY: {
      description:
        "By the document's own currency (the item's, promise's or dispute's), amounts still in the reporting currency: open items, promises and disputes.",
    },
  },
});

export enum AnalyticsGranularityEnum {
  MONTH = 'MONTH',
  WEEK = 'WEEK',
}
registerEnumType(AnalyticsGranularityEnum, {
  name: 'AnalyticsGranularity',
  description:
    'Time buckets: calendar months, or ISO weeks (Monday to Sunday). The first bucket starts at the start of the unit holding filter.from; the last ends at filter.to.',
  valuesConfig: {
    MONTH: { description: 'Calendar months.' },
    WEEK: { description: 'ISO weeks, Monday to Sunday.' },
  },
});

@InputType({ description: 'What every analytics report is about: a period, an organisational slice and the reporting currency.' })
export class AnalyticsFilter {
  @Field(() => DateScalar, { description: 'First day of the period.' })
  from!: string;

  @Field(() => DateScalar, { description: 'Last day of the period (on or after from; at most 5 years after it).' })
  to!: string;

  @Field(() => String, { description: 'Reporting currency (ISO 4217): every amount is converted into it with the latest fx rate on or before its date.' })
  currency!: string;

  @Field(() => String, { nullable: true, description: 'Only items of this company code (reports without items: partners of the segments covering it).' })
  companyCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Only partners of this collection segment.' })
  segment?: string | null;

  @Field(() => String, { nullable: true, description: 'Only partners of this collection group.' })
  group?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only figures of this specialist (as each report attributes them).' })
  specialist?: string | null;

  @Field(() => String, { nullable: true, description: 'Only partners whose collection group works this strategy (key).' })
  strategy?: string | null;
}

@ObjectType({ description: 'Who or what a row of figures is about; key null: not grouped, or nobody (e.g. no specialist).' })
export class AnalyticsGroup {
  @Field(() => String, { nullable: true, description: 'Key of the grouping value (segment, group or strategy key, company code, specialist id, level).' })
  key!: string | null;

  @Field(() => String, { nullable: true, description: 'Its name where it has one (segment, group, specialist), else the key.' })
  label!: string | null;
}

@ObjectType({ description: 'An amount in one ageing bucket.' })
export class AgeingAmount {
  @Field(() => String, { description: 'Bucket by days overdue, e.g. "not overdue", "1–30", "> 90".' })
  bucket!: string;

  @Field(() => DecimalScalar, { description: 'Open amount in the bucket, reporting currency.' })
  amount!: string;
}

@ObjectType({
  description: 'Roll rate of one ageing bucket over a time bucket (DESIGN.md): moved from b at the start to b+1 at the end / held in b at the start.',
})
export class RollRate {
  @Field(() => String, { description: 'Bucket b.' })
  from!: string;

  @Field(() => String, { description: 'Bucket b+1.' })
  to!: string;

  @Field(() => DecimalScalar, { description: 'Open amount in b at the start (end of the day before the bucket), converted at that date.' })
  startAmount!: string;

  @Field(() => DecimalScalar, {
    description: 'Open amount at the end of the items that were in b at the start and are in b+1 at the end, converted at the end date.',
  })
  rolledAmount!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Percent of startAmount that rolled: rolledAmount / startAmount x 100, 2 decimals; null when nothing was in b.',
  })
  percent!: string | null;
}

@ObjectType({ description: 'The KPIs of one time bucket (DESIGN.md "Outcomes and analytics"), amounts in the reporting currency.' })
export class KpiBucket {
  @Field(() => DateScalar, { description: 'First day of the bucket.' })
  start!: string;

  @Field(() => DateScalar, { description: 'Last day of the bucket (at most filter.to).' })
  end!: string;

  @Field(() => Int, { description: 'Days in the bucket.' })
  days!: number;

  @Field(() => DecimalScalar, { description: 'Receivables open at the end of the day before start (point in time), converted at that date.' })
  openingReceivables!: string;

  @Field(() => DecimalScalar, { description: 'Sales: document amounts of the items documented in the bucket, each converted at its document date.' })
  sales!: string;

  @Field(() => DecimalScalar, { description: 'Receivables open at the end of the bucket, converted at the end date.' })
  closingReceivables!: string;

  @Field(() => DecimalScalar, { description: 'The part of closingReceivables not overdue at the end date (due on or after it).' })
  closingCurrent!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Average DSO: closingReceivables / sales x days, 2 decimals; null without sales.' })
  dsoAverage!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "Count-back DSO: closingReceivables absorbed by the bucket's sales, then each earlier month's (week's) sales, whole units counting their days and the last " +
      'its share; 2 decimals; null when 24 months (104 weeks) of sales do not absorb it.',
  })
  dsoCountBack!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'ADD: days beyond terms (payment date - due date, at least 0) of the item payments dated in the bucket, weighted by amount; 2 decimals; null without payments.',
  })
  add!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'CEI: (opening + sales - closing) / (opening + sales - closing current) x 100, 2 decimals; null when the denominator is 0.',
  })
  cei!: string | null;

  @Field(() => [AgeingAmount], { description: 'The closingReceivables by ageing bucket (days overdue at the end date), reporting currency.' })
  ageing!: AgeingAmount[];

  @Field(() => [RollRate], { description: 'Roll rate of every ageing bucket but the last.' })
  rollRates!: RollRate[];
}

@ObjectType({ description: 'One group’s KPIs over the buckets.' })
export class KpiSeries {
  @Field(() => AnalyticsGroup, { description: 'The group these figures are about.' })
  group!: AnalyticsGroup;

  @Field(() => [KpiBucket], { description: 'KPIs per time bucket, oldest first.' })
  buckets!: KpiBucket[];
}

@ObjectType({ description: 'Collection KPIs over time: DSO, ADD, CEI and roll rates per bucket, per group.' })
export class KpiReport {
  @Field(() => String, { description: 'Reporting currency.' })
  currency!: string;

  @Field(() => AnalyticsGranularityEnum, { description: 'Time buckets the series are cut into.' })
  granularity!: AnalyticsGranularityEnum;

  @Field(() => AnalyticsGroupByEnum, { nullable: true, description: 'Grouping of the series; null when not grouped.' })
  groupBy!: AnalyticsGroupByEnum | null;

  @Field(() => [String], { description: 'The ageing buckets, in order.' })
  ageingBuckets!: string[];

  @Field(() => [KpiSeries], { description: 'One series per group (one, group key null, without groupBy), by key; at most `first`.' })
  series!: KpiSeries[];

  @Field(() => Int, { description: 'Groups with figures, before `first`.' })
  totalGroups!: number;
}

@ObjectType({ description: 'How many promises, for how much (reporting currency, converted at the period’s last day).' })
export class PromiseOutcome {
  @Field(() => Int, { description: 'Number of promises.' })
  count!: number;

  @Field(() => DecimalScalar, { description: 'Their promised amount, reporting currency at the period’s last day.' })
  amount!: string;
}

@ObjectType({ description: 'One group\'s promises made in the period, judged at its last day (DESIGN.md "Promise status at D").' })
export class PromiseFigures {
  @Field(() => AnalyticsGroup, { description: 'The group these figures are about.' })
  group!: AnalyticsGroup;

  @Field(() => PromiseOutcome, { description: 'Every promise created in the period, cancelled ones included.' })
  made!: PromiseOutcome;

  @Field(() => PromiseOutcome, { description: 'Paid in full by the deadline (promised date + tolerance).' })
  kept!: PromiseOutcome;

  @Field(() => PromiseOutcome, { description: 'Paid in part, not in full, by the deadline (promised date + tolerance).' })
  partiallyKept!: PromiseOutcome;

  @Field(() => PromiseOutcome, { description: 'Nothing paid by the deadline (promised date + tolerance).' })
  broken!: PromiseOutcome;

  @Field(() => PromiseOutcome, { description: 'Not judged yet: the deadline (promised date + tolerance) is after the period.' })
  open!: PromiseOutcome;

  @Field(() => PromiseOutcome, { description: 'Cancelled promises.' })
  cancelled!: PromiseOutcome;

  @Field(() => DecimalScalar, { description: 'Promised amount of the promises not cancelled.' })
  promisedAmount!: string;

  @Field(() => DecimalScalar, { description: 'Paid towards them by their deadline (payments on the promised item), each at most its promise.' })
  paidAmount!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Percent kept: kept / (kept + partially kept + broken) x 100 by count, 2 decimals; null when none is judged.',
  })
  keptPercent!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Average over kept and partially kept promises of the days from the promised date to the last payment counted (at least 0); 2 decimals.',
  })
  averageDaysLate!: string | null;
}

@ObjectType({ description: 'Promise effectiveness: outcomes of the promises made in the period, per group.' })
export class PromiseReport {
  @Field(() => String, { description: 'Reporting currency (ISO 4217).' })
  currency!: string;

  @Field(() => DateScalar, { description: 'The key date promises are judged at: the period’s last day.' })
  asOf!: string;

  @Field(() => AnalyticsGroupByEnum, { nullable: true, description: 'Grouping of the rows; null when not grouped.' })
  groupBy!: AnalyticsGroupByEnum | null;

  @Field(() => [PromiseFigures], { description: 'By group key; at most `first`.' })
  rows!: PromiseFigures[];

  @Field(() => Int, { description: 'Groups with figures, before `first`.' })
  totalGroups!: number;
}

@ObjectType({ description: "One organisational unit's open items at the key date (amounts in the reporting currency at that date)." })
export class OpenItemsFigures {
  @Field(() => AnalyticsGroup, { description: 'The group these figures are about.' })
  group!: AnalyticsGroup;

  @Field(() => Int, { description: 'Partners with an open item.' })
  partners!: number;

  @Field(() => Int, { description: 'Items open at the key date.' })
  openItems!: number;

  @Field(() => Int, { description: 'Open items due before the key date.' })
  overdueItems!: number;

  @Field(() => DecimalScalar, { description: 'Open amount at the key date, reporting currency at that date.' })
  openAmount!: string;

  @Field(() => DecimalScalar, { description: 'The part of openAmount due before the key date, reporting currency at that date.' })
  overdueAmount!: string;

  @Field(() => [AgeingAmount], { description: 'The openAmount by ageing bucket (days overdue at the key date).' })
  ageing!: AgeingAmount[];
}

@ObjectType({ description: 'Open items by organisational unit at a key date (the period’s last day), as the AR stood at the end of that day.' })
export class OpenItemsReport {
  @Field(() => String, { description: 'Reporting currency (ISO 4217).' })
  currency!: string;

  @Field(() => DateScalar, { description: 'The key date: the period’s last day.' })
  asOf!: string;

  @Field(() => AnalyticsGroupByEnum, { nullable: true, description: 'Grouping of the rows; null when not grouped.' })
  groupBy!: AnalyticsGroupByEnum | null;

  @Field(() => [String], { description: 'The ageing buckets, in order.' })
  ageingBuckets!: string[];

  @Field(() => [OpenItemsFigures], { description: 'By group key; at most `first`.' })
  rows!: OpenItemsFigures[];

  @Field(() => OpenItemsFigures, { description: 'All groups together (group key null).' })
  totals!: OpenItemsFigures;

  @Field(() => Int, { description: 'Groups with figures, before `first`.' })
  totalGroups!: number;
}

@ObjectType({ description: 'Contacts with one channel, direction or result.' })
export class ContactBreakdown {
  @Field(() => String, { nullable: true, description: 'The channel, direction or result code (null: no result recorded).' })
  key!: string | null;

  @Field(() => Int, { description: 'Contacts in the period with this key.' })
  contacts!: number;

  @Field(() => Int, { description: 'Contacts that reached the customer.' })
  reached!: number;

  @Field(() => DecimalScalar, { nullable: true, description: 'Reach rate: reached / contacts x 100, 2 decimals.' })
  reachPercent!: string | null;
}

@ObjectType({ description: "One group's contacts in the period (a contact counts for its author, else for the partner's specialist)." })
export class ContactFigures {
  @Field(() => AnalyticsGroup, { description: 'The group these figures are about.' })
  group!: AnalyticsGroup;

  @Field(() => Int, { description: 'Contacts in the period.' })
  contacts!: number;

  @Field(() => Int, { description: 'Contacts that reached the customer.' })
  reached!: number;

  @Field(() => DecimalScalar, { nullable: true, description: 'Reach rate: reached / contacts x 100, 2 decimals; null without contacts.' })
  reachPercent!: string | null;

  @Field(() => Int, {
    description: "Promises obtained: those the contacts link, else (a contact linking none) the partner's promises made on the contact's day; each once.",
  })
  promisesObtained!: number;

  @Field(() => DecimalScalar, { nullable: true, description: 'Contacts per promise obtained: contacts / promisesObtained, 2 decimals; null without promises.' })
  contactsPerPromise!: string | null;

  @Field(() => [ContactBreakdown], { description: 'By channel, most contacts first.' })
  byChannel!: ContactBreakdown[];

  @Field(() => [ContactBreakdown], { description: 'By direction (INBOUND, OUTBOUND), most contacts first.' })
  byDirection!: ContactBreakdown[];

  @Field(() => [ContactBreakdown], { description: 'By result code, most contacts first.' })
  byResult!: ContactBreakdown[];
}

@ObjectType({ description: 'Contact analysis over the period, per group.' })
export class ContactReport {
  @Field(() => DateScalar, { description: 'First day of the period.' })
  from!: string;

  @Field(() => DateScalar, { description: 'Last day of the period.' })
  to!: string;

  @Field(() => AnalyticsGroupByEnum, { nullable: true, description: 'Grouping of the rows; null when not grouped.' })
  groupBy!: AnalyticsGroupByEnum | null;

  @Field(() => [ContactFigures], { description: 'By group key; at most `first`.' })
  rows!: ContactFigures[];

  @Field(() => Int, { description: 'Groups with figures, before `first`.' })
  totalGroups!: number;
}

@ObjectType({ description: 'Disputes of one time bucket (amounts in the reporting currency at the event’s date).' })
export class DisputeBucket {
  @Field(() => DateScalar, { description: 'First day of the bucket.' })
  start!: string;

  @Field(() => DateScalar, { description: 'Last day of the bucket (at most filter.to).' })
  end!: string;

  @Field(() => Int, { description: 'Disputes created in the bucket.' })
  opened!: number;

  @Field(() => DecimalScalar, { description: 'Their disputed amount, at their creation date.' })
  openedAmount!: string;

  @Field(() => Int, { description: 'Disputes closed (RESOLVED, REJECTED, CLOSED) in the bucket.' })
  resolved!: number;

  @Field(() => DecimalScalar, { description: 'Their disputed amount, at their closing date.' })
  resolvedAmount!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Average days from creation to closing of those, 2 decimals.' })
  averageDaysToResolve!: string | null;

  @Field(() => Int, { description: 'Disputes open at the end of the bucket.' })
  openAtEnd!: number;

  @Field(() => DecimalScalar, { description: 'Their disputed amount, at the end date.' })
  disputedAmountAtEnd!: string;
}

@ObjectType({ description: 'Disputes closed in the period with one resolution or root cause (NONE: not recorded).' })
export class DisputeBreakdown {
  @Field(() => String, { description: 'The resolution or root cause code (NONE: not recorded).' })
  key!: string;

  @Field(() => Int, { description: 'Disputes closed in the period with this key.' })
  count!: number;

  @Field(() => DecimalScalar, { description: 'Their disputed amount, reporting currency at their closing date.' })
  amount!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Average days from creation to closing of those, 2 decimals.' })
  averageDaysToResolve!: string | null;
}

@ObjectType({ description: "One group's disputes over the buckets." })
export class DisputeSeries {
  @Field(() => AnalyticsGroup, { description: 'The group these figures are about.' })
  group!: AnalyticsGroup;

  @Field(() => [DisputeBucket], { description: 'Disputes per time bucket, oldest first.' })
  buckets!: DisputeBucket[];

  @Field(() => Int, { description: 'Closed in the period.' })
  resolved!: number;

  @Field(() => DecimalScalar, { description: 'Disputed amount of those closed in the period, reporting currency at their closing date.' })
  resolvedAmount!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Average days from creation to closing of those closed in the period, 2 decimals; null when none was closed.',
  })
  averageDaysToResolve!: string | null;

  @Field(() => [DisputeBreakdown], { description: 'Closed in the period by resolution (CREDIT_MEMO, WRITE_OFF, CUSTOMER_PAYS, NONE), most first.' })
  byResolution!: DisputeBreakdown[];

  @Field(() => [DisputeBreakdown], { description: 'Closed in the period by root cause, most first.' })
  byRootCause!: DisputeBreakdown[];
}

@ObjectType({ description: 'Dispute analysis over time, per group.' })
export class DisputeReport {
  @Field(() => String, { description: 'Reporting currency (ISO 4217).' })
  currency!: string;

  @Field(() => AnalyticsGranularityEnum, { description: 'Time buckets the series are cut into.' })
  granularity!: AnalyticsGranularityEnum;

  @Field(() => AnalyticsGroupByEnum, { nullable: true, description: 'Grouping of the series; null when not grouped.' })
  groupBy!: AnalyticsGroupByEnum | null;

  @Field(() => [DisputeSeries], { description: 'By group key; at most `first`.' })
  series!: DisputeSeries[];

  @Field(() => Int, { description: 'Groups with figures, before `first`.' })
  totalGroups!: number;
}

@ObjectType({ description: "Partners of a list worked within a number of days of the run's key date (day 1 is the key date)." })
export class WorkedWithin {
  @Field(() => Int, { description: '1, 3 or 7.' })
  days!: number;

  @Field(() => Int, { description: 'Partners with any of: a contact, a promise or a dispute made, a resubmission scheduled.' })
  worked!: number;

  @Field(() => DecimalScalar, { nullable: true, description: 'Percent of the partners on the list worked: worked / partners x 100, 2 decimals.' })
  workedPercent!: string | null;

  @Field(() => Int, { description: 'Partners with a contact within the days.' })
  contacted!: number;

  @Field(() => Int, { description: 'Partners with a promise made within the days.' })
  promised!: number;

  @Field(() => Int, { description: 'Partners with a dispute created within the days.' })
  disputed!: number;

  @Field(() => Int, { description: 'Partners with a resubmission scheduled within the days.' })
  resubmitted!: number;
}

/** What a list or a band of it holds and how it was worked; unreferenced, so not emitted itself. */
@ObjectType()
export abstract class WorklistCounts {
  @Field(() => Int, { description: 'Partners on the list (or band).' })
  partners!: number;

  @Field(() => DecimalScalar, { description: 'Amount to be collected at the key date, reporting currency at that date.' })
  amountToBeCollected!: string;

  @Field(() => Int, { description: 'Items completed (worked off the list).' })
  completed!: number;

  @Field(() => Int, { description: 'Items a supervisor reassigned (origin TEMPORARY).' })
  reassigned!: number;

  @Field(() => [WorkedWithin], { description: 'Partners worked within 1, 3 and 7 days of the key date.' })
  within!: WorkedWithin[];
}

@ObjectType({ description: 'One band (priority) of a run’s list.' })
export class WorklistBand extends WorklistCounts {
  @Field(() => Int, { description: 'Priority of the band.' })
  priority!: number;
}

@ObjectType({ description: "One live run's list (one group of it), with its bands." })
export class WorklistFigures extends WorklistCounts {
  @Field(() => ID, { description: 'The worklist run.' })
  runId!: string;

  @Field(() => String, { description: 'Key of the collection segment the run is for.' })
  segment!: string;

  @Field(() => DateScalar, { description: 'Key date of the run.' })
  asOf!: string;

  @Field(() => AnalyticsGroup, { description: 'The group these figures are about.' })
  group!: AnalyticsGroup;

  @Field(() => [WorklistBand], { description: 'Per band, by priority.' })
  bands!: WorklistBand[];
}

@ObjectType({ description: 'Worklist analysis: the live runs with key date in the period, newest first, per group.' })
export class WorklistReport {
  @Field(() => String, { description: 'Reporting currency (ISO 4217).' })
  currency!: string;

  @Field(() => AnalyticsGroupByEnum, { nullable: true, description: 'Grouping of the rows; null when not grouped.' })
  groupBy!: AnalyticsGroupByEnum | null;

  @Field(() => [WorklistFigures], { description: 'Runs newest first, then by group; at most `first`.' })
  rows!: WorklistFigures[];

  @Field(() => Int, { description: 'Rows before `first`.' })
  totalRows!: number;
}

@ObjectType({ description: "One specialist's commission base: the payments credited to them." })
export class CommissionLine {
  @Field(() => AnalyticsGroup, { description: 'The specialist (key: id, label: name).' })
  specialist!: AnalyticsGroup;

  @Field(() => Int, { description: 'Partners the credited payments came from.' })
  partners!: number;

  @Field(() => Int, { description: 'Payments credited.' })
  payments!: number;

  @Field(() => DecimalScalar, { description: 'Their amount, reporting currency at each payment’s date.' })
  amount!: string;
}

@ObjectType({ description: 'Commission settlement of a period as it computes now: per specialist, what was collected on partners they worked.' })
export class CommissionReport {
  @Field(() => DateScalar, { description: 'First day of the period.' })
  from!: string;

  @Field(() => DateScalar, { description: 'Last day of the period.' })
  to!: string;

  @Field(() => String, { description: 'Reporting currency (ISO 4217).' })
  currency!: string;

  @Field(() => Int, { description: 'N: a payment counts within N days after a contact or promise.' })
  withinDays!: number;

  @Field(() => String, { description: 'The attribution rule in words.' })
  rule!: string;

  @Field(() => [CommissionLine], { description: 'By specialist id.' })
  lines!: CommissionLine[];

  @Field(() => DecimalScalar, { description: 'Sum of the lines’ amounts, reporting currency.' })
  total!: string;
}

@ObjectType({ description: 'A closed commission settlement: the lines as computed at closing, frozen.' })
export class ClosedCommissionSettlement extends CommissionReport {
  @Field(() => ID, { description: 'Id of the closed settlement.' })
  id!: string;

  @Field(() => Date, { description: 'When it was closed.' })
  closedAt!: Date;

  @Field(() => String, { description: 'The token that closed it.' })
  closedBy!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'The collection groups it covers (closed by a SUPERVISOR of those groups); null: the whole department.',
  })
  groups!: string[] | null;
}

@ObjectType({ description: "One unit (month or week) of a commission breakdown: the specialists' lines of the payments dated in it." })
export class CommissionPeriod {
  @Field(() => DateScalar, { description: 'First day of the unit, cut to the period.' })
  from!: string;

  @Field(() => DateScalar, { description: 'Last day of the unit, cut to the period.' })
  to!: string;

  @Field(() => [CommissionLine], { description: 'By specialist id; only specialists with payments credited in the unit.' })
  lines!: CommissionLine[];

  @Field(() => DecimalScalar, { description: 'Sum of the lines’ amounts, reporting currency.' })
  total!: string;
}

@ObjectType({ description: 'The commission of a period per month or week, computed in one pass (the same rule as analyticsCommission).' })
export class CommissionBreakdown {
  @Field(() => DateScalar, { description: 'First day of the period.' })
  from!: string;

  @Field(() => DateScalar, { description: 'Last day of the period.' })
  to!: string;

  @Field(() => String, { description: 'Reporting currency (ISO 4217).' })
  currency!: string;

  @Field(() => Int, { description: 'N: a payment counts within N days after a contact or promise.' })
  withinDays!: number;

  @Field(() => String, { description: 'The attribution rule in words.' })
  rule!: string;

  @Field(() => [CommissionPeriod], { description: 'Every unit of the period, oldest first (units without credited payments have no lines).' })
  periods!: CommissionPeriod[];
}
