import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DateScalar } from '../graphql/scalars';
import { itemsPage } from '../worklists';
import { partnerView, specialistView } from '../worklists';
import { Partner, Specialist, SpecialistLoad, WorklistFilter, WorklistItemConnection, WorklistOrder } from '../worklists';
import { JSONScalar } from '../graphql/scalars';
import { compareStrategies, movedPartners, previewWorklist } from './preview.service';
import { PartnerMove, PartnerMoveConnection, StrategyComparison, WorklistPreview } from './preview.types';

@Resolver(() => WorklistPreview)
export class PreviewResolver {
  @Query(() => WorklistPreview, {
    description: 'A strategy document scored at a key date on one segment, or on every segment worked by a collection group when none is given (figures combined). '
      + 'ADMIN, CONFIGURATOR, SUPERVISOR. An invalid document is BAD_USER_INPUT with extensions.path (strategy.rules[3]…).',
  })
  previewWorklist(
    @Ctx() ctx: RequestContext,
    @Arg('strategy', () => JSONScalar) strategy: unknown,
    @Arg('asOf', () => DateScalar) asOf: string,
    @Arg('segment', () => String, { nullable: true }) segment?: string,
  ): Promise<WorklistPreview> {
    return previewWorklist(ctx, strategy, asOf, segment);
  }

  @FieldResolver(() => WorklistItemConnection, { description: 'The previewed items in worklist order (across segments when several).' })
  items(
    @Root() preview: WorklistPreview,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('orderBy', () => WorklistOrder, { nullable: true, defaultValue: WorklistOrder.WORKLIST }) orderBy?: WorklistOrder,
    @Arg('filter', () => WorklistFilter, { nullable: true }) filter?: WorklistFilter,
  ): Promise<WorklistItemConnection> {
    return itemsPage(ctx.db, preview.runIds, { first, after, orderBy, filter });
  }
}

@Resolver(() => StrategyComparison)
export class CompareResolver {
  @Query(() => StrategyComparison, {
    description: 'Two strategy documents previewed on a segment at a key date: priority migration matrix, the partners that moved, amounts per band and specialist load for each side.',
  })
  compareStrategies(
    @Ctx() ctx: RequestContext,
    @Arg('a', () => JSONScalar) a: unknown,
    @Arg('b', () => JSONScalar) b: unknown,
    @Arg('asOf', () => DateScalar) asOf: string,
    @Arg('segment', () => String) segment: string,
  ): Promise<StrategyComparison> {
    return compareStrategies(ctx, a, b, asOf, segment);
  }

  @FieldResolver(() => PartnerMoveConnection, { description: 'Partners whose priority differs, by partner id.' })
  moved(
    @Root() comparison: StrategyComparison,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<PartnerMoveConnection> {
    return movedPartners(ctx, comparison, first, after);
  }
}

@Resolver(() => PartnerMove)
export class PartnerMoveResolver {
  @FieldResolver(() => Partner)
  async partner(@Root() move: PartnerMove, @Ctx() ctx: RequestContext): Promise<Partner> {
    return partnerView((await ctx.loaders.partner.load(move.partnerId))!);
  }
}

@Resolver(() => SpecialistLoad)
export class SpecialistLoadResolver {
  @FieldResolver(() => Specialist, { nullable: true })
  async specialist(@Root() load: SpecialistLoad, @Ctx() ctx: RequestContext): Promise<Specialist | null> {
    const row = load.specialistId ? await ctx.loaders.specialist.load(load.specialistId) : null;
    return row ? specialistView(row) : null;
  }
}
