import { Field, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';

@ObjectType()
export class MoneyAmount {
  @Field(() => String)
  currency!: string;

  @Field(() => DecimalScalar)
  amount!: string;
}

@ObjectType()
export class SegmentOverview {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  partners!: number;

  @Field(() => Int)
  openItems!: number;

  @Field(() => Int)
  overdueItems!: number;

  @Field(() => [MoneyAmount])
  openAmounts!: MoneyAmount[];
}

@ObjectType()
export class ArOverview {
  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => Int)
  partners!: number;

  @Field(() => Int)
  openItems!: number;

  @Field(() => Int)
  overdueItems!: number;

  @Field(() => [MoneyAmount])
  openAmounts!: MoneyAmount[];

  @Field(() => [SegmentOverview])
  segments!: SegmentOverview[];
}
