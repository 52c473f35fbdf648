/**
 * The simulation's GraphQL fields: each maps its arguments to one service call (access is
 * declared per operation in graphql/access.ts).
 */
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DateScalar, JSONScalar } from '../graphql/scalars';
import { Partner, partnerOf, WorklistFilter, WorklistItemConnection, WorklistOrder } from '../worklists';
import { compareStrategies, movedPartners, previewItems, previewWorklist } from './preview.service';
import { PartnerMove, PartnerMoveConnection, StrategyComparison, WorklistPreview } from './preview.types';

const AS_OF = 'Key date (YYYY-MM-DD) the AR mirror is scored at: ages, due dates and FX rates are taken as of that day.';

@Resolver(() => WorklistPreview)
export class PreviewResolver {
  @Query(() => WorklistPreview, {
    description:
      'A strategy document scored at a key date on one segment, or on every segment worked by a collection group when none is given (figures combined; ' +
      'while no group works any segment, every segment with partners), as PREVIEW runs: the figures a live run would produce, while the live worklists stay. ' +
      'warnings say what the organisation lacks (nothing assigned without a group or specialist). ADMIN, CONFIGURATOR, SUPERVISOR. ' +
      'BAD_USER_INPUT for an invalid document (extensions.path: strategy.rules[3]…) or an amount without an FX rate; NOT_FOUND for an unknown segment.',
  })
  previewWorklist(
    @Ctx() ctx: RequestContext,
    @Arg('strategy', () => JSONScalar, {
      description: 'The strategy document to try (saved or not): rules with points, priority bands, currency, ageing limits.',
    })
    strategy: unknown,
    @Arg('asOf', () => DateScalar, { description: AS_OF }) asOf: string,
    @Arg('segment', () => String, {
      nullable: true,
      description: 'Key of the collection segment to preview; null: every segment worked by a collection group (none worked: every segment with partners).',
    })
    segment?: string,
  ): Promise<WorklistPreview> {
    return previewWorklist(ctx, strategy, asOf, segment);
  }

  @FieldResolver(() => WorklistItemConnection, {
    description:
      "The previewed items, a page at a time (across the segments when several; the order merges them). A preview's items are kept for at least an hour.",
  })
  items(
    @Root() preview: WorklistPreview,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Items per page, 0 to 500; default 50. BAD_USER_INPUT outside that range.' })
    first?: number,
    @Arg('after', () => String, {
      nullable: true,
      description: "The previous page's pageInfo.endCursor; null: the first page. It holds sort keys only, so it also pages a re-run of the same preview.",
    })
    after?: string,
    @Arg('orderBy', () => WorklistOrder, {
      nullable: true,
      defaultValue: WorklistOrder.WORKLIST,
      description: 'Sort order; default WORKLIST. A cursor pages only the order it was read in.',
    })
    orderBy?: WorklistOrder,
    @Arg('filter', () => WorklistFilter, { nullable: true, description: 'Conditions on the items, combined with AND; null: every item.' })
    filter?: WorklistFilter,
  ): Promise<WorklistItemConnection> {
    return previewItems(ctx, preview, { first, after, orderBy, filter });
  }
}

@Resolver(() => StrategyComparison)
export class CompareResolver {
  @Query(() => StrategyComparison, {
    description:
      'Two strategy documents previewed on a segment at a key date (two PREVIEW runs, one after the other): the priority migration matrix, the partners that moved, ' +
      'and amounts per band and specialist load for each side. ADMIN, CONFIGURATOR, SUPERVISOR. BAD_USER_INPUT for an invalid document (extensions.path: a.… or b.…).',
  })
  compareStrategies(
    @Ctx() ctx: RequestContext,
    @Arg('a', () => JSONScalar, { description: 'The first strategy document (the `from` side of the matrix), typically the live version.' }) a: unknown,
    @Arg('b', () => JSONScalar, { description: 'The second strategy document (the `to` side of the matrix), typically the draft.' }) b: unknown,
    @Arg('asOf', () => DateScalar, { description: AS_OF }) asOf: string,
    @Arg('segment', () => String, { description: 'Key of the collection segment both documents are scored on.' }) segment: string,
  ): Promise<StrategyComparison> {
    return compareStrategies(ctx, a, b, asOf, segment);
  }

  @FieldResolver(() => PartnerMoveConnection, {
    description: 'Partners whose priority differs between a and b (joining or leaving the list included), by partner id, a page at a time.',
  })
  moved(
    @Root() comparison: StrategyComparison,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Partners per page, 0 to 500; default 50. BAD_USER_INPUT outside that range.' })
    first?: number,
    @Arg('after', () => String, {
      nullable: true,
      description: "The previous page's pageInfo.endCursor (a partner id, valid across re-runs); null: the first page.",
    })
    after?: string,
  ): Promise<PartnerMoveConnection> {
    return movedPartners(ctx, comparison, first, after);
  }
}

@Resolver(() => PartnerMove)
export class PartnerMoveResolver {
  @FieldResolver(() => Partner, { description: 'The partner (customer) that moved.' })
  partner(@Root() move: PartnerMove, @Ctx() ctx: RequestContext): Promise<Partner> {
    return partnerOf(ctx, move.partnerId);
  }
}
