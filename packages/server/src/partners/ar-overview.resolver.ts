import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { arOverview } from './ar-overview.service';

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

@Resolver()
export class ArOverviewResolver {
  @Query(() => ArOverview, { description: 'Partners, open and overdue items and open amounts per segment at the key date (default today).' })
  arOverview(
    @Ctx() ctx: RequestContext,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string,
  ): Promise<ArOverview> {
    return arOverview(ctx, asOf ?? new Date().toISOString().slice(0, 10));
  }
}
