import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ItemRow } from '../graphql/loaders';
import { DateScalar, DecimalScalar, JSONScalar } from '../graphql/scalars';
import { MoneyAmount } from '../fx/money.types';
import { PageInfo } from '../graphql/paging';
import { ExperimentArm } from './worklist-arm.types';

export enum WorklistOrder {
  /** DESIGN.md's worklist order: priority, valuation desc, amount to be collected desc, partner. */
  WORKLIST = 'WORKLIST',
  AMOUNT_TO_BE_COLLECTED = 'AMOUNT_TO_BE_COLLECTED',
  AMOUNT_OVERDUE = 'AMOUNT_OVERDUE',
  PARTNER = 'PARTNER',
  PARTNER_NAME = 'PARTNER_NAME',
  VALUATION = 'VALUATION',
  SPECIALIST = 'SPECIALIST',
  DAYS_OVERDUE = 'DAYS_OVERDUE',
}
registerEnumType(WorklistOrder, {
  name: 'WorklistOrder',
  description:
    'Sort orders of a worklist, each in its natural direction unless `direction` says otherwise; each ends on the partner id (ascending), so cursors are exact.',
  valuesConfig: {
    WORKLIST: {
      description:
        'The worklist order: priority, then valuation (highest first), amount to be collected (highest first), partner id. DESC reverses it (lowest priority first).',
    },
    AMOUNT_TO_BE_COLLECTED: { description: 'Amount to be collected, highest first (natural direction DESC).' },
    AMOUNT_OVERDUE: { description: 'Overdue amount, highest first (natural direction DESC).' },
    PARTNER: { description: 'Partner id, ascending (natural direction ASC).' },
    PARTNER_NAME: { description: 'Partner name, A to Z (natural direction ASC; compared lower-cased, by code point, on the first 100 characters).' },
    VALUATION: { description: 'Valuation (score points), highest first (natural direction DESC).' },
    SPECIALIST: { description: "Specialist's name, A to Z, items without a specialist first (natural direction ASC; compared lower-cased, by code point)." },
    DAYS_OVERDUE: { description: "Days overdue of the partner's oldest open item, most first (natural direction DESC); items without that figure last." },
  },
});

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: "Direction of a sort order's leading column; the partner id tie-break stays ascending.",
  valuesConfig: { ASC: { description: 'Ascending: smallest, earliest or A first.' }, DESC: { description: 'Descending: largest, latest or Z first.' } },
});

/** The org's specialist type, named here for the worklist's own fields. */
export { SpecialistView as Specialist } from '../org';

@ObjectType({ description: 'A business partner (customer) of the AR mirror.' })
export class Partner {
  @Field(() => ID, { description: 'Identifier of the partner.' })
  id!: string;

  @Field(() => String, { description: 'Id of the partner in the source system.' })
  externalId!: string;

  @Field(() => String, { description: 'Name of the customer.' })
  name!: string;

  @Field(() => String, { description: 'ISO 3166 alpha-2 country code.' })
  country!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the partner master record (credit limit, customer 360 figures).' })
  currency!: string;

  @Field(() => String, { nullable: true, description: 'Risk class from the source system, e.g. A to E; null when none is set.' })
  riskClass!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Credit limit, in the partner currency; null when none is set.' })
  creditLimit!: string | null;

  @Field(() => String, { description: 'Customer type from the source system, e.g. POSTPAID or B2B.' })
  customerType!: string;

  @Field(() => String, { description: 'Key of the collection segment the partner belongs to.' })
  segment!: string;

  @Field(() => String, { nullable: true, description: "Key of the partner's own collection group; null: the segment's default group." })
  collectionGroup!: string | null;

  /** Fixed specialist id; resolved to `specialist`. */
  specialistId!: string | null;
}

@ObjectType({ description: 'A fired condition rule and its points.' })
export class FiredRule {
  @Field(() => String, { description: 'Rule name as in the strategy document.' })
  name!: string;

  @Field(() => Int, { description: 'Valuation points of the rule (negative points lower the valuation).' })
  points!: number;
}

@ObjectType({ description: "An item's amounts, in the run's strategy currency." })
export class WorklistAmounts {
  @Field(() => DecimalScalar, { description: 'Open amount of all open items.' })
  open!: string;

  @Field(() => DecimalScalar, { description: 'Open amount of the items at least one day overdue.' })
  overdue!: string;

  @Field(() => DecimalScalar, { description: 'Open items not yet overdue (due within the dueAmount default window).' })
  due!: string;

  @Field(() => DecimalScalar, { description: 'Overdue open amount without an open dispute or OPEN promise on the item: what there is to chase.' })
  toBeCollected!: string;

  @Field(() => DecimalScalar, { description: 'Amount of the OPEN and IN_PROCESS disputes.' })
  disputed!: string;

  @Field(() => DecimalScalar, { description: 'Amount of the promises to pay OPEN at the key date.' })
  promised!: string;

  @Field(() => DecimalScalar, { description: 'Promises broken within the last 365 days.' })
  broken!: string;

  @Field(() => DecimalScalar, { description: 'Open amount with a dunning level of 1 or more.' })
  dunned!: string;
}

@ObjectType({ description: 'Open amount in one ageing bucket (days overdue from..to, either end open).' })
export class AgingAmount {
  @Field(() => String, { description: 'Bucket label as a specialist reads it, e.g. "31–60" or "> 90".' })
  label!: string;

  @Field(() => Int, { nullable: true, description: 'Fewest days overdue in the bucket (inclusive); null: no lower end (includes items not yet due).' })
  fromDays!: number | null;

  @Field(() => Int, { nullable: true, description: 'Most days overdue in the bucket (inclusive); null: no upper end.' })
  toDays!: number | null;

  @Field(() => DecimalScalar, { description: "Open amount in the bucket, in the run's strategy currency." })
  amount!: string;
}

@ObjectType({ description: 'One rule of the strategy, fired or not, as json-rules-engine evaluated it.' })
export class RuleExplanation {
  @Field(() => Int, { description: 'Position of the rule in the strategy document, from 0.' })
  index!: number;

  @Field(() => String, { description: 'Rule name.' })
  name!: string;

  @Field(() => String, { description: 'Role of the rule: condition (adds its points when it fires) or exit (takes the partner off the list).' })
  role!: string;

  @Field(() => Int, { description: 'Valuation points of the rule (not counted for exit rules).' })
  points!: number;

  @Field(() => Boolean, { description: 'Whether the rule fired for the partner.' })
  fired!: boolean;

  @Field(() => JSONScalar, { description: 'The condition tree: kind, result, fact, params, operator, value, factValue, valueResult, conditions.' })
  conditions!: unknown;
}

@ObjectType({ description: "Why a partner scored as it did: json-rules-engine on the partner's facts at the run's key date and strategy version." })
export class ScoreExplanation {
  @Field(() => DateScalar, { description: 'Key date the facts were read at.' })
  asOf!: string;

  @Field(() => ID, { nullable: true, description: 'The strategy version scored; null for a preview of an unsaved document.' })
  strategyVersionId!: string | null;

  @Field(() => Int, { description: 'Sum of the points of the fired condition rules.' })
  valuation!: number;

  @Field(() => DecimalScalar, { description: 'Valuation as a percentage of the maximum valuation, 0 to 100, two decimals.' })
  percent!: string;

  @Field(() => Int, { description: 'Priority of the highest band whose minPercent the percentage reaches.' })
  priority!: number;

  @Field(() => Boolean, { description: 'Whether an exit rule fired, taking the partner off the list.' })
  excluded!: boolean;

  @Field(() => [String], { description: 'Names of the fired exit rules; any makes the partner excluded.' })
  exits!: string[];

  @Field(() => [RuleExplanation], { description: 'Every rule of the strategy, fired or not, in document order.' })
  rules!: RuleExplanation[];

  @Field(() => JSONScalar, { description: "The partner's fact values the rules read (fact key -> value)." })
  facts!: Record<string, unknown>;
}

@ObjectType({ description: "One partner on one run's worklist." })
export class WorklistItem {
  @Field(() => ID, { description: 'Identifier of the item: runId:partnerId.' })
  id!: string;

  @Field(() => ID, { description: 'The run whose list the item is on.' })
  runId!: string;

  @Field(() => ID, { description: 'The partner the item is about.' })
  partnerId!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "How the specialist was assigned: FIXED (the partner's fixed specialist), STANDARD (distribution), SUBSTITUTE (standing in for an absent specialist) or TEMPORARY (a supervisor's reassignment); null without a specialist.",
  })
  specialistOrigin!: string | null;

  @Field(() => Int, { description: 'Sum of the points of the fired condition rules.' })
  valuation!: number;

  @Field(() => DecimalScalar, { description: 'Valuation as a percentage of the maximum valuation, 0 to 100, two decimals.' })
  percent!: string;

  @Field(() => Int, { description: "Priority band of the item under the run's strategy." })
  priority!: number;

  @Field(() => WorklistAmounts, {
    description: "The partner's amounts at the key date of the run (or of the latest re-valuation), in the run's strategy currency.",
  })
  amounts!: WorklistAmounts;

  @Field(() => Int, { description: 'Highest dunning level over the open items; 0 when none is dunned.' })
  maxDunningLevel!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "Days overdue of the partner's oldest open item at the key date (negative: not due yet); null without an open item, or on items of runs older than this figure.",
  })
  daysOverdue!: number | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of the latest payment on or before the key date; null when none.' })
  lastPaymentDate!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Earliest undone resubmission dated on or before the key date; null when none is due.' })
  resubmissionDate!: string | null;

  @Field(() => String, { nullable: true, description: 'When an event last re-valuated the item after its run (ISO timestamp); null when not re-valuated.' })
  revaluatedAt!: string | null;

  @Field(() => String, { nullable: true, description: 'When a contact with a completing result finished the item (ISO timestamp); null while open.' })
  completedAt!: string | null;

  @Field(() => ExperimentArm, {
    nullable: true,
    description: "The arm of the run's champion/challenger experiment that scored the partner; null outside an experiment (or for a partner of another group).",
  })
  arm!: ExperimentArm | null;

  /** The stored row, for field resolvers. */
  row!: ItemRow;
}

@ObjectType({ description: 'A worklist item with its cursor.' })
export class WorklistItemEdge {
  @Field(() => String, { description: 'Opaque cursor of this item in the requested order; pass it as `after` to read the items that follow.' })
  cursor!: string;

  @Field(() => WorklistItem, { description: 'The worklist item.' })
  node!: WorklistItem;
}

@ObjectType({ description: 'The items matching a filter, whatever the page: what a specialist has left to do.' })
export class WorklistSummary {
  @Field(() => Int, { description: 'Items matching the filter.' })
  count!: number;

  @Field(() => Int, { description: 'Items completed (worked: a contact with a completing result, a promise, a dispute).' })
  completed!: number;

  @Field(() => [MoneyAmount], { description: 'Amount to be collected on the items not completed, per strategy currency.' })
  amountsToBeCollected!: MoneyAmount[];
}

@ObjectType({ description: 'A page of worklist items in the requested order.' })
export class WorklistItemConnection {
  @Field(() => [WorklistItemEdge], { description: 'The items of this page.' })
  edges!: WorklistItemEdge[];

  @Field(() => PageInfo, { description: 'Paging state of this page.' })
  pageInfo!: PageInfo;

  /** Counts the filtered items on demand (one statement, only when asked for). */
  count!: () => Promise<number>;

  /** Sums up the filtered items on demand (one statement, only when asked for). */
  summary!: () => Promise<WorklistSummary>;
}

@ObjectType({ description: 'Partners on a list and their amount to be collected in one priority band.' })
export class PriorityFigure {
  @Field(() => Int, { description: 'The priority band.' })
  priority!: number;

  @Field(() => Int, { description: 'Partners (items) in the band.' })
  count!: number;

  @Field(() => DecimalScalar, { description: 'Their amount to be collected, in the strategy currency.' })
  amountToBeCollected!: string;
}

@ObjectType({
  description:
    'How far a worklist run has got. On Postgres the counts rise as each partner-range job commits; the embedded database answers a poll only between statements.',
})
export class WorklistRunProgress {
  @Field(() => String, {
    description:
      'The phase: queued, waiting for the segment (another run of it), scoring, checking FX rates, distributing, building indexes, switching, done. A failed run keeps the phase it failed in.',
  })
  phase!: string;

  @Field(() => Int, { description: 'Partners of the segment scored so far (they are counted when their partner-range job commits).' })
  partnersScored!: number;

  @Field(() => Int, { description: 'Partners of the segment the run scores.' })
  partnersTotal!: number;

  @Field(() => Int, { description: 'Partner-range scoring jobs done.' })
  partsDone!: number;

  @Field(() => Int, { description: 'Partner-range scoring jobs of the run (0 until the scoring starts).' })
  partsTotal!: number;
}

@ObjectType({ description: 'Items and amount to be collected of one specialist.' })
export class SpecialistLoad {
  @Field(() => ID, { nullable: true, description: 'Null: items left without a specialist.' })
  specialistId!: string | null;

  @Field(() => Int, { description: 'Items assigned to the specialist.' })
  count!: number;

  @Field(() => DecimalScalar, { description: 'Their amount to be collected, in the strategy currency.' })
  amountToBeCollected!: string;
}

@ObjectType({ description: "A worklist run: a segment's list at a key date (LIVE, or a PREVIEW)." })
export class WorklistRun {
  @Field(() => ID, { description: 'Identifier of the run.' })
  id!: string;

  @Field(() => String, { description: 'Key of the collection segment scored.' })
  segment!: string;

  @Field(() => DateScalar, { description: 'Key date the AR mirror was scored at.' })
  asOf!: string;

  @Field(() => String, { description: "LIVE (the segment's worklist) or PREVIEW (a simulation that leaves the live list alone)." })
  mode!: string;

  @Field(() => String, { description: 'RUNNING, SUCCEEDED or FAILED.' })
  status!: string;

  @Field(() => Boolean, { description: "Whether it is its segment's live run now." })
  live!: boolean;

  @Field(() => ID, { nullable: true, description: 'The strategy version scored; null for a preview of an unsaved document.' })
  strategyVersionId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "The champion/challenger experiment this live run split its partners for (its rule list is the champion's rules, then the challenger's); null otherwise.",
  })
  experimentId!: string | null;

  @Field(() => String, { nullable: true, description: "The strategy currency (ISO 4217): every amount of the run's items is in it." })
  currency!: string | null;

  @Field(() => Int, { description: 'Partners of the segment scored.' })
  partnersEvaluated!: number;

  @Field(() => Int, { description: 'Partners put on the list.' })
  partnersOnList!: number;

  @Field(() => Int, { description: 'Partners taken off the list by an exit rule.' })
  partnersExcluded!: number;

  @Field(() => String, { nullable: true, description: 'Why the run failed; null unless FAILED.' })
  error!: string | null;

  @Field(() => String, { description: 'When the run started (ISO 8601 timestamp).' })
  startedAt!: string;

  @Field(() => String, { nullable: true, description: 'When the run ended, succeeded or failed (ISO 8601 timestamp); null while RUNNING.' })
  finishedAt!: string | null;

  @Field(() => WorklistRunProgress, {
    description: 'How far the run has got, committed as it goes (a failed run keeps where it stopped). Poll the run while it is RUNNING.',
  })
  progress!: WorklistRunProgress;

  @Field(() => [FiredRule], { description: 'The condition rules of the run (bit order of the items).' })
  rules!: FiredRule[];

  @Field(() => DecimalScalar, { nullable: true, description: 'Amount to be collected on the list when the run finished; null unless it succeeded.' })
  amountToBeCollected!: string | null;

  @Field(() => [PriorityFigure], { description: 'Partners and amount to be collected per priority when the run finished.' })
  byPriority!: PriorityFigure[];

  @Field(() => [SpecialistLoad], {
    description: 'Items and amount to be collected per specialist when the run finished (later reassignments and re-valuations not counted).',
  })
  bySpecialist!: SpecialistLoad[];
}

@InputType({ description: 'Filters of a worklist page (all optional, combined with AND).' })
export class WorklistFilter {
  @Field(() => [Int], { nullable: true, description: 'Only items in these priority bands.' })
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

  @Field(() => DecimalScalar, { nullable: true, description: "Only items with at least this amount to be collected (in the run's strategy currency)." })
  minAmountToBeCollected?: string;

  @Field(() => Int, { nullable: true, description: 'Only items with at least this valuation.' })
  minValuation?: number;

  @Field(() => Boolean, { nullable: true, description: 'true: with an open promise; false: without.' })
  promised?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'true: with an open dispute; false: without.' })
  disputed?: boolean;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "Only items with at most this amount to be collected (in the run's strategy currency); BAD_USER_INPUT when negative or below the minimum.",
  })
  maxAmountToBeCollected?: string;

  @Field(() => Int, {
    nullable: true,
    description:
      "Only items whose partner's oldest open item is at least this many days overdue at the key date (0 to 36500); items without that figure drop out.",
  })
  minDaysOverdue?: number;

  @Field(() => Int, {
    nullable: true,
    description: "Only items whose partner's oldest open item is at most this many days overdue at the key date (0 to 36500, not below minDaysOverdue).",
  })
  maxDaysOverdue?: number;

  @Field(() => String, {
    nullable: true,
    description:
      "Only items for which the condition rule of this name fired (a name of the run's `rules`); BAD_USER_INPUT for a rule none of the runs read has.",
  })
  firedRule?: string;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true: only worked items: completed, or the partner had a contact, promise, dispute or resubmission recorded on or after the day the run was created; false: only items not worked.',
  })
  worked?: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Partner name or external id containing this text (case-insensitive; 1 to 100 characters after trimming, no NUL); blank: no condition.',
  })
  search?: string;
}

@ObjectType({ description: 'A worklist run with its cursor.' })
export class WorklistRunEdge {
  @Field(() => String, { description: 'Opaque cursor of this run; pass it as `after` to read the runs that follow.' })
  cursor!: string;

  @Field(() => WorklistRun, { description: 'The run.' })
  node!: WorklistRun;
}

@ObjectType({ description: 'A page of worklist runs, newest first.' })
export class WorklistRunConnection {
  @Field(() => [WorklistRunEdge], { description: 'The runs of this page.' })
  edges!: WorklistRunEdge[];

  @Field(() => PageInfo, { description: 'Paging state of this page.' })
  pageInfo!: PageInfo;
}
