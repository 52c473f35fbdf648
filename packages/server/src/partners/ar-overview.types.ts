import { MoneyAmount } from '../fx/money.types';
import { Field, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';

/** The figures shown for the whole mirror and for each segment; unreferenced, so not emitted itself. */
@ObjectType()
export abstract class ArFigures {
  @Field(() => Int, { description: 'Business partners (customers) in scope: the whole mirror, or the segment.' })
  partners!: number;

  @Field(() => Int, { description: 'Open items: items with an open amount above zero.' })
  openItems!: number;

  @Field(() => Int, { description: 'Open items whose due date is before the key date.' })
  overdueItems!: number;

  /** Per currency: amounts are never added across currencies. */
  @Field(() => [MoneyAmount], { description: 'Open amount per currency (amounts are never added across currencies).' })
  openAmounts!: MoneyAmount[];
}

@ObjectType({ description: 'AR figures of one collection segment at the key date.' })
export class SegmentOverview extends ArFigures {
  @Field(() => String, { description: 'Key of the collection segment.' })
  key!: string;

  @Field(() => String, { description: 'Name of the collection segment.' })
  name!: string;
}

@ObjectType({ description: 'The AR mirror at a glance at a key date: totals and figures per collection segment.' })
export class ArOverview extends ArFigures {
  @Field(() => DateScalar, { description: 'Key date of the figures.' })
  asOf!: string;

  @Field(() => [SegmentOverview], { description: 'The same figures per collection segment.' })
  segments!: SegmentOverview[];
}
