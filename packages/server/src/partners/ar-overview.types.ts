import { Field, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';

@ObjectType()
export class MoneyAmount {
  @Field(() => String)
  currency!: string;

  @Field(() => DecimalScalar)
  amount!: string;
}

/** The figures shown for the whole mirror and for each segment; unreferenced, so not emitted itself. */
@ObjectType()
export abstract class ArFigures {
  @Field(() => Int)
  partners!: number;

  @Field(() => Int)
  openItems!: number;

  @Field(() => Int)
  overdueItems!: number;

  /** Per currency: amounts are never added across currencies. */
  @Field(() => [MoneyAmount])
  openAmounts!: MoneyAmount[];
}

@ObjectType()
export class SegmentOverview extends ArFigures {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType()
export class ArOverview extends ArFigures {
  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => [SegmentOverview])
  segments!: SegmentOverview[];
}
