import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ItemRow } from '../graphql/loaders';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { MoneyAmount } from '../partners/ar-overview.types';
import { JSONScalar } from '../simulation/json.scalar';

export enum WorklistOrder {
  /** DESIGN.md's worklist order: priority, valuation desc, amount to be collected desc, partner. */
  WORKLIST = 'WORKLIST',
  AMOUNT_TO_BE_COLLECTED = 'AMOUNT_TO_BE_COLLECTED',
  AMOUNT_OVERDUE = 'AMOUNT_OVERDUE',
  PARTNER = 'PARTNER',
}
registerEnumType(WorklistOrder, { name: 'WorklistOrder', description: 'Sort orders of a worklist; each ends on the partner id, so cursors are exact.' });

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Always false: pages go forward only (`first`/`after`).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType()
export class Specialist {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  userName!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true, description: 'Collection group key.' })
  group!: string | null;

  @Field(() => Boolean)
  active!: boolean;
}

@ObjectType({ description: 'A business partner (customer) of the AR mirror.' })
export class Partner {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The id of the source system.' })
  externalId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  country!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => String, { nullable: true })
  riskClass!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'In the partner currency.' })
  creditLimit!: string | null;

  @Field(() => String)
  customerType!: string;

  @Field(() => String)
  segment!: string;

  @Field(() => String, { nullable: true })
  collectionGroup!: string | null;

  /** Fixed specialist id; resolved to `specialist`. */
  specialistId!: string | null;
}

@ObjectType({ description: 'A fired condition rule and its points.' })
export class FiredRule {
  @Field(() => String)
  name!: string;

  @Field(() => Int)
  points!: number;
}

@ObjectType({ description: "An item's amounts, in the run's strategy currency." })
export class WorklistAmounts {
  @Field(() => DecimalScalar)
  open!: string;

  @Field(() => DecimalScalar)
  overdue!: string;

  @Field(() => DecimalScalar, { description: 'Open items not yet overdue (due within the dueAmount default window).' })
  due!: string;

  @Field(() => DecimalScalar)
  toBeCollected!: string;

  @Field(() => DecimalScalar)
  disputed!: string;

  @Field(() => DecimalScalar)
  promised!: string;

  @Field(() => DecimalScalar, { description: 'Promises broken within the last 365 days.' })
  broken!: string;

  @Field(() => DecimalScalar, { description: 'Open amount with a dunning level of 1 or more.' })
  dunned!: string;
}

@ObjectType({ description: 'Open amount in one ageing bucket (days overdue from..to, either end open).' })
export class AgingAmount {
  @Field(() => String)
  label!: string;

  @Field(() => Int, { nullable: true })
  fromDays!: number | null;

  @Field(() => Int, { nullable: true })
  toDays!: number | null;

  @Field(() => DecimalScalar)
  amount!: string;
}

@ObjectType({ description: 'One rule of the strategy, fired or not, as json-rules-engine evaluated it.' })
export class RuleExplanation {
  @Field(() => Int)
  index!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'condition or exit.' })
  role!: string;

  @Field(() => Int)
  points!: number;

  @Field(() => Boolean)
  fired!: boolean;

  @Field(() => JSONScalar, { description: 'The condition tree: kind, result, fact, params, operator, value, factValue, valueResult, conditions.' })
  conditions!: unknown;
}

@ObjectType({ description: "Why a partner scored as it did: json-rules-engine on the partner's facts at the run's key date and strategy version." })
export class ScoreExplanation {
  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => ID, { nullable: true, description: 'null for a preview of an unsaved document' })
  strategyVersionId!: string | null;

  @Field(() => Int)
  valuation!: number;

  @Field(() => DecimalScalar)
  percent!: string;

  @Field(() => Int)
  priority!: number;

  @Field(() => Boolean)
  excluded!: boolean;

  @Field(() => [String], { description: 'Fired exit rules.' })
  exits!: string[];

  @Field(() => [RuleExplanation])
  rules!: RuleExplanation[];

  @Field(() => JSONScalar, { description: "The partner's fact values the rules read (fact key -> value)." })
  facts!: Record<string, unknown>;
}

@ObjectType({ description: 'One partner on one run\'s worklist.' })
export class WorklistItem {
  @Field(() => ID, { description: 'runId:partnerId.' })
  id!: string;

  @Field(() => ID)
  runId!: string;

  @Field(() => ID)
  partnerId!: string;

  @Field(() => String, { nullable: true, description: 'FIXED, STANDARD, SUBSTITUTE or TEMPORARY.' })
  specialistOrigin!: string | null;

  @Field(() => Int)
  valuation!: number;

  @Field(() => DecimalScalar, { description: 'Two decimals, 0..100.' })
  percent!: string;

  @Field(() => Int)
  priority!: number;

  @Field(() => WorklistAmounts)
  amounts!: WorklistAmounts;

  @Field(() => Int)
  maxDunningLevel!: number;

  @Field(() => DateScalar, { nullable: true })
  lastPaymentDate!: string | null;

  @Field(() => DateScalar, { nullable: true })
  resubmissionDate!: string | null;

  @Field(() => String, { nullable: true, description: 'When an event re-valuated the item after its run (ISO timestamp).' })
  revaluatedAt!: string | null;

  @Field(() => String, { nullable: true, description: 'When a contact with a completing result finished the item (ISO timestamp); null while open.' })
  completedAt!: string | null;

  /** The stored row, for field resolvers. */
  row!: ItemRow;
}

@ObjectType()
export class WorklistItemEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => WorklistItem)
  node!: WorklistItem;
}

@ObjectType({ description: 'The items matching a filter, whatever the page: what a specialist has left to do.' })
export class WorklistSummary {
  @Field(() => Int)
  count!: number;

  @Field(() => Int, { description: 'Items completed (worked: a contact with a completing result, a promise, a dispute).' })
  completed!: number;

  @Field(() => [MoneyAmount], { description: 'Amount to be collected on the items not completed, per strategy currency.' })
  amountsToBeCollected!: MoneyAmount[];
}

@ObjectType()
export class WorklistItemConnection {
  @Field(() => [WorklistItemEdge])
  edges!: WorklistItemEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** Counts the filtered items on demand (one statement, only when asked for). */
  count!: () => Promise<number>;

  /** Sums up the filtered items on demand (one statement, only when asked for). */
  summary!: () => Promise<WorklistSummary>;
}

@ObjectType()
export class PriorityFigure {
  @Field(() => Int)
  priority!: number;

  @Field(() => Int)
  count!: number;

  @Field(() => DecimalScalar)
  amountToBeCollected!: string;
}

@ObjectType()
export class SpecialistLoad {
  @Field(() => ID, { nullable: true, description: 'Null: items left without a specialist.' })
  specialistId!: string | null;

  @Field(() => Int)
  count!: number;

  @Field(() => DecimalScalar)
  amountToBeCollected!: string;
}

@ObjectType({ description: "A worklist run: a segment's list at a key date (LIVE, or a PREVIEW)." })
export class WorklistRun {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  segment!: string;

  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => String)
  mode!: string;

  @Field(() => String)
  status!: string;

  @Field(() => Boolean, { description: "Whether it is its segment's live run now." })
  live!: boolean;

  @Field(() => ID, { nullable: true })
  strategyVersionId!: string | null;

  @Field(() => String, { nullable: true })
  currency!: string | null;

  @Field(() => Int)
  partnersEvaluated!: number;

  @Field(() => Int)
  partnersOnList!: number;

  @Field(() => Int)
  partnersExcluded!: number;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => [FiredRule], { description: 'The condition rules of the run (bit order of the items).' })
  rules!: FiredRule[];

  @Field(() => DecimalScalar, { nullable: true, description: 'Amount to be collected on the list when the run finished; null unless it succeeded.' })
  amountToBeCollected!: string | null;

  @Field(() => [PriorityFigure], { description: 'Partners and amount to be collected per priority when the run finished.' })
  byPriority!: PriorityFigure[];

  @Field(() => [SpecialistLoad], { description: 'Items and amount to be collected per specialist when the run finished (later reassignments and re-valuations not counted).' })
  bySpecialist!: SpecialistLoad[];
}

@InputType({ description: 'Filters of a worklist page (all optional, combined with AND).' })
export class WorklistFilter {
  @Field(() => [Int], { nullable: true })
  priorities?: number[];

  @Field(() => ID, { nullable: true, description: 'Items of this specialist (a SPECIALIST caller: only their own).' })
  specialistId?: string;

  @Field(() => String, { nullable: true, description: "The partner's collection group (its own, else the segment's default group)." })
  group?: string;

  @Field(() => [String], { nullable: true, description: 'FIXED, STANDARD, SUBSTITUTE, TEMPORARY.' })
  specialistOrigins?: string[];

  @Field(() => Boolean, { nullable: true, description: 'true: only items without a specialist.' })
  unassigned?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'true: only completed items; false: only open ones.' })
  completed?: boolean;

  @Field(() => DecimalScalar, { nullable: true })
  minAmountToBeCollected?: string;

  @Field(() => Int, { nullable: true })
  minValuation?: number;

  @Field(() => Boolean, { nullable: true, description: 'true: with an open promise; false: without.' })
  promised?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'true: with an open dispute; false: without.' })
  disputed?: boolean;
}

export function itemView(row: ItemRow): WorklistItem {
  return Object.assign(new WorklistItem(), {
    id: `${row.run_id}:${row.partner_id}`,
    runId: row.run_id,
    partnerId: row.partner_id,
    specialistOrigin: row.specialist_origin,
    valuation: Number(row.valuation),
    percent: row.percent,
    priority: Number(row.priority),
    amounts: {
      open: row.amount_open, overdue: row.amount_overdue, due: row.amount_due, toBeCollected: row.amount_to_be_collected,
      disputed: row.amount_disputed, promised: row.amount_promised, broken: row.amount_broken, dunned: row.amount_dunned,
    },
    maxDunningLevel: Number(row.max_dunning_level),
    lastPaymentDate: row.last_payment_date,
    resubmissionDate: row.resubmission_date,
    revaluatedAt: row.revaluated_at ? new Date(row.revaluated_at).toISOString() : null,
    completedAt: row.completed_at ? new Date(row.completed_at).toISOString() : null,
    row,
  });
}
