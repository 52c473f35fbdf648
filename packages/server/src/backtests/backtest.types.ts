import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar, JSONScalar } from '../graphql/scalars';

@InputType({ description: 'One strategy of a backtest: a saved strategy (key, optional version) or a draft document, with a label.' })
export class BacktestStrategyInput {
  @Field(() => String, { description: 'How the strategy is named in the results (1-60 characters, unique in the backtest).' })
  label!: string;

  @Field(() => String, { nullable: true, description: 'Key of a saved strategy; its live version, else its latest, unless version says. Not with document.' })
  strategy?: string | null;

  @Field(() => Int, { nullable: true, description: 'A version of the saved strategy.' })
  version?: number | null;

  @Field(() => JSONScalar, { nullable: true, description: 'A draft strategy document to backtest instead of a saved strategy.' })
  document?: unknown;
}

@InputType({ description: 'What to backtest: strategies, a segment, key dates (a list, or from/to every n days) and the horizon.' })
export class BacktestInput {
  @Field(() => [BacktestStrategyInput], { description: 'One to four strategies; the others are compared with the first.' })
  strategies!: BacktestStrategyInput[];

  @Field(() => String, { description: 'Key of the collection segment scored.' })
  segment!: string;

  @Field(() => [DateScalar], { nullable: true, description: 'Explicit key dates (at most 53); not with from/to/everyDays.' })
  keyDates?: string[] | null;

  @Field(() => DateScalar, { nullable: true, description: 'First key date of a range.' })
  from?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last possible key date of the range (default: from).' })
  to?: string | null;

  @Field(() => Int, { nullable: true, description: 'Days between key dates of the range (default 7).' })
  everyDays?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'h: outcomes are measured over (D, D + h], 1-365 days (default 30). The last key date + h must not pass today.',
  })
  horizonDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'Bootstrap resamples, 100-10000 (default 1000; fewer for very long pooled lists).' })
  resamples?: number | null;
}

@ObjectType({ description: 'Outcomes of a list over (D, D + h]: what was collected and how the ranking fared (DESIGN.md "Outcomes and analytics").' })
export class OutcomeFigures {
  @Field(() => Int, { description: 'Partners on the list (pooled: partner-key-date pairs).' })
  partners!: number;

  @Field(() => DecimalScalar, { description: 'Amount to be collected at D, in the strategy currency.' })
  toBeCollected!: string;

  @Field(() => DecimalScalar, { description: 'Payments dated in the window on items open at D, in the strategy currency (rate of D).' })
  collected!: string;

  @Field(() => Float, { nullable: true, description: 'Collected / toBeCollected; null when nothing was to be collected.' })
  collectedShare!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of partners with something overdue at D whose overdue items were all paid or closed by D + h.' })
  cureRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of partners with an item 1-89 days overdue at D that was 90+ days overdue and still open at D + h.',
  })
  rollRate!: number | null;

  @Field(() => Int, { description: 'Promises whose deadline fell in the window and that were broken.' })
  promisesBroken!: number;

  @Field(() => Float, { nullable: true, description: "Share of the window's collected amount held by the capacity highest-ranked partners of each key date." })
  captureAtCapacity!: number | null;

  @Field(() => Int, { description: 'The k of captureAtCapacity: partners worked a day.' })
  capacity!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'AUC of the ranking against "rolled or not cured": the chance a partner that went bad ranked above one that did not (0.5 = no better than chance).',
  })
  auc!: number | null;
}

@ObjectType({ description: 'The outcome figures of one priority band.' })
export class BandOutcome {
  @Field(() => Int, { nullable: true, description: 'The priority band (1 = most urgent).' })
  priority!: number | null;

  @Field(() => OutcomeFigures, { description: "The band's figures." })
  figures!: OutcomeFigures;
}

@ObjectType({ description: "A strategy's list measured, and the same partners ranked by two naive baselines." })
export class BacktestFigures {
  @Field(() => OutcomeFigures, { description: 'The whole list.' })
  list!: OutcomeFigures;

  @Field(() => [BandOutcome], { description: 'Per priority band.' })
  byBand!: BandOutcome[];

  @Field(() => OutcomeFigures, { description: 'The same partners, oldest debt first (days overdue of the oldest item).' })
  oldestDebtFirst!: OutcomeFigures;

  @Field(() => OutcomeFigures, { description: 'The same partners, largest amount to be collected first.' })
  largestAmountFirst!: OutcomeFigures;
}

@ObjectType({ description: "A strategy's figures at one key date." })
export class BacktestKeyDate extends BacktestFigures {
  @Field(() => DateScalar, { description: 'The key date D.' })
  asOf!: string;

  @Field(() => ID, { description: 'The PREVIEW run that scored it (its items are not kept).' })
  runId!: string;
}

@ObjectType({ description: 'A difference between two rankings and its bootstrap confidence interval over partners.' })
export class FigureDifference {
  @Field(() => String, { description: 'The figure: collectedShare, captureAtCapacity or auc.' })
  figure!: string;

  @Field(() => Float, { nullable: true, description: 'Figure of the strategy minus figure of what it is compared with (pooled over key dates).' })
  difference!: number | null;

  @Field(() => Float, { nullable: true, description: 'Lower end of the confidence interval.' })
  low!: number | null;

  @Field(() => Float, { nullable: true, description: 'Upper end of the confidence interval.' })
  high!: number | null;

  @Field(() => String, {
    description: 'BETTER (the whole interval above zero), WORSE (below), NO_CLEAR_DIFFERENCE (it spans zero: within noise) or UNKNOWN (a figure is undefined).',
  })
  verdict!: string;
}

@ObjectType({ description: 'A strategy compared with another (the first) or with a baseline on the same partners.' })
export class BacktestComparison {
  @Field(() => String, { description: 'The strategy.' })
  label!: string;

  @Field(() => String, { description: "What it is compared with: the first strategy's label, or a baseline." })
  against!: string;

  @Field(() => [FigureDifference], { description: 'Differences with intervals, paired over partners and pooled over key dates.' })
  differences!: FigureDifference[];
}

@ObjectType({ description: 'One strategy of a backtest.' })
export class StrategyBacktest {
  @Field(() => String, { description: 'Its label.' })
  label!: string;

  @Field(() => String, { nullable: true, description: 'The saved strategy; null for a draft document.' })
  strategyKey!: string | null;

  @Field(() => Int, { nullable: true, description: 'The version scored; null for a draft document.' })
  version!: number | null;

  @Field(() => String, { description: 'Its currency: the amounts are in it.' })
  currency!: string;

  @Field(() => BacktestFigures, { description: 'Pooled over the key dates.' })
  pooled!: BacktestFigures;

  @Field(() => [BacktestKeyDate], { description: 'Per key date, in date order.' })
  keyDates!: BacktestKeyDate[];

  @Field(() => [BacktestComparison], { description: 'The strategy against each baseline on the same partners.' })
  versusBaselines!: BacktestComparison[];
}

@ObjectType({ description: 'Strategies scored at past key dates and measured by what happened over the next h days.' })
export class Backtest {
  @Field(() => String, { description: 'The segment.' })
  segment!: string;

  @Field(() => Int, { description: 'The horizon h in days.' })
  horizonDays!: number;

  @Field(() => [DateScalar], { description: 'The key dates.' })
  keyDates!: string[];

  @Field(() => Int, { description: 'The k of capture at capacity: partners the segment works a day.' })
  capacity!: number;

  @Field(() => String, { description: 'Where the capacity comes from (group daily capacities, or active specialists x 30).' })
  capacitySource!: string;

  @Field(() => Int, { description: 'Bootstrap resamples behind the intervals.' })
  resamples!: number;

  @Field(() => Float, { description: 'Confidence level of the intervals (0.95).' })
  confidence!: number;

  @Field(() => [StrategyBacktest], { description: 'The strategies, in the order given.' })
  strategies!: StrategyBacktest[];

  @Field(() => [BacktestComparison], { description: 'Each strategy after the first against the first.' })
  comparisons!: BacktestComparison[];
}
