import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { AnalyticsGroup, AnalyticsGroupByEnum } from '../analytics';
import { PageInfo } from '../graphql/paging';
import { DateScalar, DecimalScalar } from '../graphql/scalars';

const VERSION_READ = 'Version of this object; a change names it and is refused (CONFLICT) when someone changed the object meanwhile.';
const VERSION_WRITE = 'The version you read; null (or absent) creates a new object (CONFLICT when the key exists).';

@ObjectType('Agency', { description: 'An external collection agency that partners are placed with.' })
export class AgencyView {
  @Field(() => String, { description: 'Agency key.' })
  key!: string;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Contact e-mail address; null when unknown.' })
  email!: string | null;

  @Field(() => DecimalScalar, { description: 'Percent of the amount collected during a placement that the agency earns.' })
  commissionPercent!: string;

  @Field(() => Boolean, { description: 'Whether payments made to the company directly on placed items earn the agency commission too.' })
  countDirectPayments!: boolean;

  @Field(() => Boolean, { description: 'Inactive: takes no new placements, kept because placements refer to it.' })
  active!: boolean;

  @Field(() => Int, { description: VERSION_READ })
  version!: number;
}

@InputType('AgencyInput', { description: 'An agency to create or change.' })
export class AgencyInput {
  @Field(() => String, { description: 'Agency key (1-40 characters A-Z a-z 0-9 _ -).' })
  key!: string;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Contact e-mail address.' })
  email?: string | null;

  @Field(() => DecimalScalar, { description: 'Commission percent, 0 to 100 with at most two decimals.' })
  commissionPercent!: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether direct payments on placed items earn commission; absent keeps the stored setting (new: true).',
  })
  countDirectPayments?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the agency takes placements (default true).' })
  active?: boolean | null;

  @Field(() => Int, { nullable: true, description: VERSION_WRITE })
  version?: number | null;
}

@ObjectType('PlacedItem', { description: 'An item of a placement.' })
export class PlacedItemView {
  @Field(() => ID, { description: 'Identifier of the open item.' })
  itemId!: string;

  @Field(() => String, { description: 'Document number of the item.' })
  externalId!: string;

  @Field(() => DateScalar, { description: 'Due date of the item.' })
  dueDate!: string;

  @Field(() => DecimalScalar, { description: 'Open amount when placed.' })
  placedAmount!: string;

  @Field(() => DecimalScalar, { description: 'Open amount today.' })
  openAmount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the item.' })
  currency!: string;

  @Field(() => Boolean, { description: 'Whether the item is still held by this placement (false once recalled).' })
  held!: boolean;
}

@ObjectType('Placement', { description: "A partner's items placed with a collection agency." })
export class PlacementView {
  @Field(() => ID, { description: 'Identifier of the placement.' })
  id!: string;

  @Field(() => ID, { description: 'Identifier of the partner.' })
  partnerId!: string;

  @Field(() => String, { description: "The partner's external id." })
  partnerExternalId!: string;

  @Field(() => String, { description: "The partner's name." })
  partnerName!: string;

  @Field(() => String, { description: 'Key of the agency.' })
  agency!: string;

  @Field(() => String, { description: 'PLACED (the agency works the items), RECALLED (taken back) or CLOSED (every item cleared).' })
  status!: string;

  @Field(() => DateScalar, { description: 'Day the partner was placed.' })
  placedOn!: string;

  @Field(() => String, { description: 'Who placed it.' })
  placedBy!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day of the recall; null unless recalled.' })
  recalledOn!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was recalled; null unless recalled.' })
  recallReason!: string | null;

  @Field(() => Int, { description: VERSION_READ })
  version!: number;

  @Field(() => [PlacedItemView], { description: 'The placed items, by item id.' })
  items!: PlacedItemView[];
}

@ObjectType('PlacementEdge', { description: 'A placement in a list.' })
export class PlacementEdge {
  @Field(() => String, { description: 'Cursor of this placement.' })
  cursor!: string;

  @Field(() => PlacementView, { description: 'The placement.' })
  node!: PlacementView;
}

@ObjectType('PlacementConnection', { description: 'A page of placements, newest first.' })
export class PlacementConnection {
  @Field(() => [PlacementEdge], { description: 'The placements of this page.' })
  edges!: PlacementEdge[];

  @Field(() => PageInfo, { description: 'Paging information.' })
  pageInfo!: PageInfo;
}

@InputType('PlaceInput', { description: 'Items of one partner to place with one agency.' })
export class PlaceInput {
  @Field(() => ID, { description: 'Identifier of the partner.' })
  partnerId!: string;

  @Field(() => String, { description: 'Key of the agency.' })
  agency!: string;

  @Field(() => [ID], {
    nullable: true,
    description: 'Some of the partner’s open items; absent or empty: every open item not already placed or under a legal case.',
  })
  itemIds?: string[] | null;

  @Field(() => DateScalar, { description: 'Day of the placement.' })
  placedOn!: string;
}

@InputType('RecallInput', { description: 'A placement to take back from its agency.' })
export class RecallInput {
  @Field(() => ID, { description: 'Identifier of the placement.' })
  placementId!: string;

  @Field(() => String, { description: 'Why it is recalled (1-500 characters).' })
  reason!: string;

  @Field(() => DateScalar, { description: 'Day of the recall.' })
  recalledOn!: string;

  @Field(() => Int, { description: 'The version of the placement you read.' })
  version!: number;
}

@ObjectType('PlacementProposal', { description: 'A partner the placement rules propose to place.' })
export class PlacementProposalView {
  @Field(() => ID, { description: 'Identifier of the partner.' })
  partnerId!: string;

  @Field(() => String, { description: "The partner's external id." })
  externalId!: string;

  @Field(() => String, { description: "The partner's name." })
  name!: string;

  @Field(() => Int, { description: 'Sum of the points of the fired condition rules.' })
  valuation!: number;

  @Field(() => String, { description: 'Valuation as a percent of the maximum, two decimals.' })
  percent!: string;

  @Field(() => Int, { description: 'Priority band (1 is the highest).' })
  priority!: number;

  @Field(() => [String], { description: 'Names of the fired condition rules.' })
  firedRules!: string[];

  @Field(() => DecimalScalar, { description: 'Open amount of the items not held, in the rules document currency.' })
  openAmount!: string;

  @Field(() => DecimalScalar, { description: 'Overdue amount (items at least one day overdue, not held), in the rules document currency.' })
  overdueAmount!: string;
}

@ObjectType('AgencyCustomer', { description: 'What a collection agency may see of a partner placed with it.' })
export class AgencyCustomerView {
  @Field(() => ID, { description: 'Identifier of the partner.' })
  partnerId!: string;

  @Field(() => String, { description: "The partner's external id." })
  externalId!: string;

  @Field(() => String, { description: "The partner's name." })
  name!: string;

  @Field(() => String, { description: 'Country (ISO 3166 alpha-2).' })
  country!: string;

  @Field(() => String, { description: 'Currency of the partner (ISO 4217).' })
  currency!: string;

  @Field(() => PlacementView, { nullable: true, description: 'The current placement with its items; null when not placed.' })
  placement!: PlacementView | null;
}

@InputType('AgencyContactInput', { description: 'A contact an agency had with a partner placed with it.' })
export class AgencyContactInput {
  @Field(() => ID, { description: 'Identifier of the partner.' })
  partnerId!: string;

  @Field(() => DateScalar, { description: 'Day of the contact.' })
  contactDate!: string;

  @Field(() => String, { description: 'Channel (PHONE, EMAIL, LETTER, ...).' })
  channel!: string;

  @Field(() => String, { description: 'INBOUND or OUTBOUND.' })
  direction!: string;

  @Field(() => Boolean, { description: 'Whether the customer was reached.' })
  reached!: boolean;

  @Field(() => String, { nullable: true, description: 'Free-text note.' })
  note?: string | null;
}

@ObjectType('AgencyContact', { description: 'A contact recorded by an agency.' })
export class AgencyContactView {
  @Field(() => ID, { description: 'Identifier of the contact.' })
  id!: string;

  @Field(() => DateScalar, { description: 'Day of the contact.' })
  contactDate!: string;

  @Field(() => Boolean, { description: 'Whether the customer was reached.' })
  reached!: boolean;
}

@InputType('AgencyPromiseInput', { description: 'A promise to pay an agency obtained from a partner placed with it.' })
export class AgencyPromiseInput {
  @Field(() => ID, { description: 'Identifier of the partner.' })
  partnerId!: string;

  @Field(() => [ID], { nullable: true, description: 'Placed items the promise covers; absent: the partner as a whole.' })
  itemIds?: string[] | null;

  @Field(() => DateScalar, { description: 'Day the promise was made.' })
  createdDate!: string;

  @Field(() => DateScalar, { description: 'Day the customer promised to pay by.' })
  promisedDate!: string;

  @Field(() => DecimalScalar, { description: 'Amount promised.' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the amount.' })
  currency!: string;
}

@ObjectType('AgencyPromise', { description: 'A promise recorded by an agency.' })
export class AgencyPromiseView {
  @Field(() => ID, { description: 'Identifier of the promise.' })
  id!: string;

  @Field(() => DateScalar, { description: 'Day the customer promised to pay by.' })
  promisedDate!: string;

  @Field(() => DecimalScalar, { description: 'Amount promised.' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the amount.' })
  currency!: string;

  @Field(() => String, { description: 'Status at its creation date.' })
  status!: string;
}

@ObjectType('AgencySettlementLine', { description: 'A payment of an agency settlement and its commission.' })
export class AgencySettlementLineView {
  @Field(() => ID, { description: 'Identifier of the payment.' })
  paymentId!: string;

  @Field(() => ID, { description: 'Identifier of the placement it counts for.' })
  placementId!: string;

  @Field(() => String, { description: "The partner's external id." })
  partnerExternalId!: string;

  @Field(() => String, { description: "The item's document number." })
  itemExternalId!: string;

  @Field(() => DateScalar, { description: 'Day of the payment.' })
  paymentDate!: string;

  @Field(() => DecimalScalar, { description: 'Amount paid.' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the payment.' })
  currency!: string;

  @Field(() => Boolean, { description: 'Reported by the agency (false: paid to the company directly).' })
  viaAgency!: boolean;

  @Field(() => DecimalScalar, { description: 'Commission on it: amount x percent / 100, rounded half up to the cent.' })
  commission!: string;
}

@ObjectType('AgencySettlementTotal', { description: 'Totals of a settlement in one currency.' })
export class AgencySettlementTotalView {
  @Field(() => String, { description: 'ISO 4217 currency.' })
  currency!: string;

  @Field(() => DecimalScalar, { description: 'Sum of the payments.' })
  collected!: string;

  @Field(() => DecimalScalar, { description: 'Sum of the commissions.' })
  commission!: string;
}

@ObjectType('AgencySettlement', { description: "An agency's commission for a period of payment dates: computed now, or frozen when closed." })
export class AgencySettlementView {
  @Field(() => String, { description: 'Key of the agency.' })
  agency!: string;

  @Field(() => DateScalar, { description: 'First payment date of the period.' })
  periodFrom!: string;

  @Field(() => DateScalar, { description: 'Last payment date of the period.' })
  periodTo!: string;

  @Field(() => DecimalScalar, { description: 'The commission percent applied.' })
  commissionPercent!: string;

  @Field(() => Boolean, { description: 'Whether direct payments counted.' })
  countDirectPayments!: boolean;

  @Field(() => ID, { nullable: true, description: 'The closed settlement of exactly this period; null: computed now, not closed.' })
  settlementId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was closed; null when not.' })
  closedAt!: Date | null;

  @Field(() => [AgencySettlementLineView], { description: 'The payments, by date.' })
  lines!: AgencySettlementLineView[];

  @Field(() => [AgencySettlementTotalView], { description: 'Totals per currency.' })
  totals!: AgencySettlementTotalView[];
}

@ObjectType('AgencyFigures', { description: "An agency's placements of one month and currency, and what came of them." })
export class AgencyFiguresView {
  @Field(() => String, { description: 'Key of the agency.' })
  agency!: string;

  @Field(() => DateScalar, { description: 'First day of the placement month.' })
  placementMonth!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the items.' })
  currency!: string;

  @Field(() => Int, { description: 'Placements made in the month.' })
  placements!: number;

  @Field(() => DecimalScalar, { description: 'Open amount of the placed items when placed.' })
  placedAmount!: string;

  @Field(() => DecimalScalar, { description: 'Payments on the placed items during their placement, whoever received them.' })
  recoveredAmount!: string;

  @Field(() => DecimalScalar, { description: 'Recovered / placed x 100, two decimals.' })
  recoveryRate!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Average days from placement to its first payment, one decimal; null when none was paid.' })
  daysToFirstPayment!: string | null;

  @Field(() => DecimalScalar, { description: 'Commission due on those payments (as the settlement counts it).' })
  commissionDue!: string;
}

@ObjectType('AgencyReportRow', { description: "One agency's placements of one month (in one group) and what came of them, in the reporting currency." })
export class AgencyReportRowView {
  @Field(() => String, { description: 'Key of the agency.' })
  agency!: string;

  @Field(() => String, { description: 'Name of the agency.' })
  agencyName!: string;

  @Field(() => DateScalar, { description: 'First day of the placement month.' })
  placementMonth!: string;

  @Field(() => AnalyticsGroup, { description: 'The group of the grouping (key null: not grouped, or none).' })
  group!: AnalyticsGroup;

  @Field(() => Int, { description: 'Placements made in the month (a placement whose items fall in two groups counts in each).' })
  placements!: number;

  @Field(() => DecimalScalar, { description: 'Open amount of the placed items when placed, converted at the placement date.' })
  placedAmount!: string;

  @Field(() => DecimalScalar, {
    description: 'Payments on the placed items during their placement (to date), whoever received them, each converted at its payment date.',
  })
  recoveredAmount!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Recovered / placed amount x 100, two decimals; null when nothing was placed.' })
  recoveryRate!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Average days from placement to its first payment over the placements paid so far, one decimal; null when none was paid.',
  })
  daysToFirstPayment!: string | null;

  @Field(() => DecimalScalar, {
    description:
      "Commission due on those payments as the settlement counts it: a closed period's frozen lines, else the agency's percent of each payment it reported " +
      '(and of direct payments when they count), rounded to the cent, converted at the payment date.',
  })
  commissionDue!: string;
}

@ObjectType('AgencyReport', { description: 'Agency placements of the period per agency and placement month, optionally per group; reporting currency.' })
export class AgencyReportView {
  @Field(() => String, { description: 'Reporting currency (ISO 4217).' })
  currency!: string;

  @Field(() => AnalyticsGroupByEnum, { nullable: true, description: 'Grouping of the rows besides agency and month; null when not grouped.' })
  groupBy!: AnalyticsGroupByEnum | null;

  @Field(() => [AgencyReportRowView], { description: 'By agency, placement month, then group key; the groups at most `first`.' })
  rows!: AgencyReportRowView[];

  @Field(() => Int, { description: 'Groups with figures, before `first`.' })
  totalGroups!: number;
}

@ObjectType('AgencyPaymentImport', { description: 'What an agency payment report (agency_payments.csv) import applied.' })
export class AgencyPaymentImportView {
  @Field(() => Int, { description: 'Data rows in the file.' })
  rows!: number;

  @Field(() => Int, { description: 'Payments applied now.' })
  applied!: number;

  @Field(() => Int, { description: 'Rows applied by an earlier import of the same report (nothing written for them).' })
  alreadyApplied!: number;

  @Field(() => [ID], { description: 'Items the applied payments cleared (open amount now 0), by document number.' })
  clearedItems!: string[];
}
