import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DateScalar, keyDate } from '../graphql/scalars';
import { arOverview } from './ar-overview.service';
import { ArOverview } from './ar-overview.types';

@Resolver()
export class ArOverviewResolver {
  @Query(() => ArOverview, { description: 'Partners, open and overdue items and open amounts per segment at the key date (default today).' })
  arOverview(
    @Ctx() ctx: RequestContext,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Key date: items due before it are overdue (default today).' }) asOf?: string,
  ): Promise<ArOverview> {
    return arOverview(ctx, keyDate(asOf));
  }
}
