import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { partnerSearch } from './partner-search.service';
import { PartnerSearchConnection } from './partner-search.types';

@Resolver()
export class PartnerSearchResolver {
  @Query(() => PartnerSearchConnection, {
    description:
      'Partners whose name or external id contains the text, or whose e-mail starts with it, any case; by name then id. A SPECIALIST finds only their own partners.',
  })
  partnerSearch(
    @Ctx() ctx: RequestContext,
    @Arg('text', () => String, { description: 'What to look for: part of a name or external id, or the start of an e-mail (1-100 characters).' }) text: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0-100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after?: string,
  ): Promise<PartnerSearchConnection> {
    return partnerSearch(ctx, { text, first, after });
  }
}
