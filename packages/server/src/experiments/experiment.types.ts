import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../graphql/paging';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { ExperimentArm } from '../worklists';

export enum ExperimentOutcomeEnum {
  PROMOTED = 'PROMOTED',
  STOPPED = 'STOPPED',
}
registerEnumType(ExperimentOutcomeEnum, {
  name: 'ExperimentOutcome',
  description: 'How a champion/challenger experiment ended.',
  valuesConfig: {
    PROMOTED: { description: "The challenger became the group's strategy." },
    STOPPED: { description: 'The test ended; the champion stays.' },
  },
});

@ObjectType({ description: "One arm of a running experiment: the group's partners the hash puts in it." })
export class ExperimentArmSize {
  @Field(() => ExperimentArm, { description: 'The arm.' })
  arm!: ExperimentArm;

  @Field(() => Int, { description: "The group's partners in the arm now (the hash of experiment key and partner id; stable across runs)." })
  partners!: number;

  @Field(() => Float, { nullable: true, description: "The arm's share of the group's partners, 0 to 1; null when the group has none." })
  share!: number | null;

  @Field(() => Int, { description: "Partners of the arm on the experiment's latest live run's list; 0 before the first run." })
  onLatestList!: number;
}

@ObjectType({ description: 'A champion/challenger test on a collection group: a share of its partners scored with a challenger strategy version.' })
export class Experiment {
  @Field(() => ID, { description: 'Identifier of the experiment.' })
  id!: string;

  @Field(() => String, { description: 'The experiment key, hashed with each partner id to split the arms.' })
  key!: string;

  @Field(() => String, { description: 'Key of the collection group under test.' })
  group!: string;

  @Field(() => String, { description: "Key of the challenger's strategy." })
  challengerStrategy!: string;

  @Field(() => Int, { description: 'Version number of the challenger within its strategy.' })
  challengerVersion!: number;

  @Field(() => ID, { description: 'The challenger strategy version.' })
  challengerVersionId!: string;

  @Field(() => DecimalScalar, { description: "The challenger's target share of the group's partners in percent (two decimals), above 0 and at most 50." })
  sharePercent!: string;

  @Field(() => Int, { description: 'The same share in basis points (1 to 5000).' })
  shareBasisPoints!: number;

  @Field(() => DateScalar, { description: 'The day the experiment started (UTC).' })
  startedOn!: string;

  @Field(() => String, { description: 'Who started it (the token name).' })
  startedBy!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The day it ended; null while running.' })
  endedOn!: string | null;

  @Field(() => String, { nullable: true, description: 'Who ended it; null while running.' })
  endedBy!: string | null;

  @Field(() => ExperimentOutcomeEnum, { nullable: true, description: 'PROMOTED or STOPPED; null while running.' })
  outcome!: ExperimentOutcomeEnum | null;

  @Field(() => Boolean, { description: 'Whether live runs of the group still split its partners.' })
  running!: boolean;

  @Field(() => Int, { description: 'Live runs made with the split so far.' })
  runs!: number;

  @Field(() => DateScalar, { nullable: true, description: 'Key date of the latest live run made with the split; null before the first.' })
  latestRunAsOf!: string | null;
}

@ObjectType({ description: 'An experiment in a page of experiments.' })
export class ExperimentEdge {
  @Field(() => String, { description: 'Opaque cursor of this experiment; pass it as `after` to read the ones that follow.' })
  cursor!: string;

  @Field(() => Experiment, { description: 'The experiment.' })
  node!: Experiment;
}

@ObjectType({ description: 'A page of experiments, newest first.' })
export class ExperimentConnection {
  @Field(() => [ExperimentEdge], { description: 'The experiments of this page, newest first.' })
  edges!: ExperimentEdge[];

  @Field(() => PageInfo, { description: 'Paging state of this page.' })
  pageInfo!: PageInfo;
}

@InputType({ description: 'A champion/challenger test to start on a collection group.' })
export class StartExperimentInput {
  @Field(() => String, { description: 'Key of the collection group; at most one running experiment per group and per segment.' })
  group!: string;

  @Field(() => String, {
    description: "Key of the challenger's strategy: the group's own strategy (any version but the active one) or another strategy (its active version).",
  })
  challengerStrategy!: string;

  @Field(() => Int, { description: 'Version number of the challenger within its strategy.' })
  challengerVersion!: number;

  @Field(() => DecimalScalar, {
    description: 'The challenger\'s share of the group\'s partners in percent: above 0, at most 50, at most two decimals (e.g. "20" or "12.5").',
  })
  sharePercent!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The experiment key hashed with partner ids (1-60 of A-Z a-z 0-9 _ -); generated when absent. A new key draws new arms.',
  })
  key?: string | null;
}

@ObjectType({ description: 'One arm\'s realised outcomes, as the backtest measures them (DESIGN.md "Outcomes and analytics").' })
export class ExperimentArmFigures {
  @Field(() => ExperimentArm, { description: 'The arm.' })
  arm!: ExperimentArm;

  @Field(() => Int, {
    description: 'Partners measured: each partner of the arm once, over the window after the first measured run that listed it (its entry).',
  })
  partners!: number;

  @Field(() => DecimalScalar, { description: "Amount to be collected at the partners' entry listings (strategy currency)." })
  toBeCollected!: string;

  @Field(() => DecimalScalar, { description: "Payments dated in each partner's window on items open at its listing (strategy currency)." })
  collected!: string;

  @Field(() => Float, { nullable: true, description: 'Collected / amount to be collected, 0 to 1; null without an amount to collect.' })
  collectedShare!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Share of the partners with something overdue whose overdue items were all paid or closed by the window's end.",
  })
  cureRate!: number | null;

  @Field(() => Float, { nullable: true, description: "Share of the partners with an item 1-89 days overdue that is 90+ and still open at the window's end." })
  rollRate!: number | null;

  @Field(() => Int, { description: 'Promises that became broken within the windows.' })
  promisesBroken!: number;

  @Field(() => Float, { nullable: true, description: "Share of the arm's collected amount that sat with its `capacity` highest-ranked partners." })
  captureAtCapacity!: number | null;

  @Field(() => Int, {
    description:
      "The capacity that capture uses: the group's daily capacity (else 30 partners per active specialist, as the backtest) split by the arms' shares.",
  })
  capacity!: number;

  @Field(() => Float, { nullable: true, description: 'AUC of the valuation against "rolled or not cured"; null when one class is empty.' })
  auc!: number | null;
}

@ObjectType({ description: 'The challenger minus the champion on one figure, with a bootstrap interval over partners (unpaired: two arms).' })
export class ExperimentDifference {
  @Field(() => String, { description: 'The figure: collectedShare, cureRate, rollRate, promisesBrokenPerPartner, captureAtCapacity or auc.' })
  figure!: string;

  @Field(() => Float, { nullable: true, description: 'Challenger minus champion; null when either arm lacks the figure.' })
  difference!: number | null;

  @Field(() => Float, { nullable: true, description: 'Lower end of the interval.' })
  low!: number | null;

  @Field(() => Float, { nullable: true, description: 'Upper end of the interval.' })
  high!: number | null;

  @Field(() => String, {
    description:
      'As the backtest says it: BETTER or WORSE when the interval excludes zero (for rollRate and promisesBrokenPerPartner less is better), NO_CLEAR_DIFFERENCE when it does not, UNKNOWN without an interval.',
  })
  verdict!: string;
}

@ObjectType({ description: "The arms' realised outcomes since the experiment started, compared." })
export class ExperimentResults {
  @Field(() => Experiment, { description: 'The experiment.' })
  experiment!: Experiment;

  @Field(() => Int, { description: "Days after each partner's entry listing the outcomes are measured over." })
  horizonDays!: number;

  @Field(() => Int, { description: 'Key dates of live runs measured: those whose window has passed (key date + horizonDays before today).' })
  runs!: number;

  @Field(() => DateScalar, { nullable: true, description: 'Key date of the first run measured; null when none.' })
  firstAsOf!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Key date of the latest run measured; null when none.' })
  lastAsOf!: string | null;

  @Field(() => String, { nullable: true, description: "Currency of the amounts (the runs' strategy currency); null before any run is measured." })
  currency!: string | null;

  @Field(() => Float, { description: 'Confidence of the intervals (0.95).' })
  confidence!: number;

  @Field(() => ExperimentArmFigures, { description: "The champion arm's figures." })
  champion!: ExperimentArmFigures;

  @Field(() => ExperimentArmFigures, { description: "The challenger arm's figures." })
  challenger!: ExperimentArmFigures;

  @Field(() => [ExperimentDifference], { description: 'Challenger minus champion per figure, with intervals.' })
  differences!: ExperimentDifference[];
}
