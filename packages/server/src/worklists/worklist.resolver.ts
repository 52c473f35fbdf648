import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError } from '../graphql/errors';
import { DateScalar } from '../graphql/scalars';
import {
  agingOf, explainItem, firedRulesOf, generateLiveWorklist, loadsOf, reassignItem, runsOf, runView, worklistItemOf, worklistPage,
} from './worklist-query.service';
import {
  AgingAmount, FiredRule, Partner, ScoreExplanation, Specialist, WorklistFilter, WorklistItem, WorklistItemConnection, WorklistOrder, WorklistRun,
  WorklistSummary, SpecialistLoad,
} from './worklist.types';
import type { PartnerRow, SpecialistRow } from '../graphql/loaders';

export function partnerView(row: PartnerRow): Partner {
  return Object.assign(new Partner(), {
    id: row.id, externalId: row.external_id, name: row.name, country: row.country, currency: row.currency, riskClass: row.risk_class,
    creditLimit: row.credit_limit, customerType: row.customer_type, segment: row.segment, collectionGroup: row.collection_group_key,
    specialistId: row.specialist_id,
  });
}

export function specialistView(row: SpecialistRow): Specialist {
  return { id: row.id, userName: row.user_name, name: row.name, email: row.email, group: row.group_key, active: row.active };
}

@Resolver(() => WorklistItem)
export class WorklistItemResolver {
  @Query(() => WorklistItemConnection, {
    description: 'Worklist items of a run (runId), of a segment\'s live run (segment), or of every live run (neither), filtered and sorted; a SPECIALIST reads only their own.',
  })
  worklist(
    @Ctx() ctx: RequestContext,
    @Arg('segment', () => String, { nullable: true }) segment?: string,
    @Arg('runId', () => ID, { nullable: true }) runId?: string,
    @Arg('filter', () => WorklistFilter, { nullable: true }) filter?: WorklistFilter,
    @Arg('orderBy', () => WorklistOrder, { nullable: true, defaultValue: WorklistOrder.WORKLIST }) orderBy?: WorklistOrder,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<WorklistItemConnection> {
    return worklistPage(ctx, { segment, runId, filter, orderBy, first, after });
  }

  @Query(() => WorklistItem, { nullable: true, description: "A partner's item on a run (default: its segment's live run); null when not on the list." })
  worklistItem(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID) partnerId: string,
    @Arg('runId', () => ID, { nullable: true }) runId?: string,
  ): Promise<WorklistItem | null> {
    return worklistItemOf(ctx, partnerId, runId);
  }

  @FieldResolver(() => Partner)
  async partner(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<Partner> {
    return partnerView((await ctx.loaders.partner.load(item.partnerId))!);
  }

  @FieldResolver(() => Specialist, { nullable: true })
  async specialist(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<Specialist | null> {
    const row = item.row.specialist_id ? await ctx.loaders.specialist.load(item.row.specialist_id) : null;
    return row ? specialistView(row) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The run's strategy currency: the currency of every amount." })
  async currency(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<string | null> {
    return (await ctx.loaders.run.load(item.runId))?.currency ?? null;
  }

  @FieldResolver(() => [FiredRule], { description: 'The fired condition rules with their points.' })
  async firedRules(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<FiredRule[]> {
    return firedRulesOf(await ctx.loaders.run.load(item.runId), item.row.fired);
  }

  @FieldResolver(() => [AgingAmount], { description: "Open amount per ageing bucket of the strategy's limits." })
  async aging(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<AgingAmount[]> {
    return agingOf(await ctx.loaders.run.load(item.runId), item.row.aging);
  }

  @FieldResolver(() => WorklistRun)
  async run(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<WorklistRun> {
    return runView((await ctx.loaders.run.load(item.runId))!);
  }

  @FieldResolver(() => ScoreExplanation, {
    nullable: true,
    description: 'Every rule with its conditions and fact values (json-rules-engine, one partner); null for a preview of an unsaved document. Two statements per item: ask for it on detail views.',
  })
  explanation(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<ScoreExplanation | null> {
    return explainItem(ctx, item.runId, item.partnerId);
  }

  @Mutation(() => WorklistItem, { description: 'SUPERVISOR/ADMIN: move an item to another active specialist until the next run (origin TEMPORARY).' })
  reassignWorklistItem(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID) partnerId: string,
    @Arg('specialistId', () => ID) specialistId: string,
    @Arg('runId', () => ID, { nullable: true, description: "Default: the live run of the partner's segment." }) runId?: string,
  ): Promise<WorklistItem> {
    return reassignItem(ctx, { partnerId, specialistId, runId });
  }
}

@Resolver(() => WorklistItemConnection)
export class WorklistConnectionResolver {
  @FieldResolver(() => Int, { description: 'Items matching the filter (one more statement; ask only when shown).' })
  totalCount(@Root() connection: WorklistItemConnection): Promise<number> {
    return connection.count();
  }

  @FieldResolver(() => WorklistSummary, { description: 'Count, completed and amount still to be collected of the items matching the filter (one more statement).' })
  summary(@Root() connection: WorklistItemConnection): Promise<WorklistSummary> {
    return connection.summary();
  }
}

@Resolver(() => WorklistRun)
export class WorklistRunResolver {
  @Query(() => WorklistRun, { nullable: true, description: "A run by id, or a segment's live run." })
  async worklistRun(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true }) id?: string,
    @Arg('segment', () => String, { nullable: true }) segment?: string,
  ): Promise<WorklistRun | null> {
    if (!id && !segment) throw new BadUserInputError('Give a run id or a segment', 'id');
    const [run] = await runsOf(ctx, id ? null : segment, id ?? null);
    return run ? runView(run) : null;
  }

  @FieldResolver(() => WorklistItemConnection, { description: "The run's items (a SPECIALIST: their own)." })
  items(
    @Root() run: WorklistRun,
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => WorklistFilter, { nullable: true }) filter?: WorklistFilter,
    @Arg('orderBy', () => WorklistOrder, { nullable: true, defaultValue: WorklistOrder.WORKLIST }) orderBy?: WorklistOrder,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<WorklistItemConnection> {
    return worklistPage(ctx, { runId: run.id, filter, orderBy, first, after });
  }

  @FieldResolver(() => [SpecialistLoad], {
    description: 'The work still to do per specialist now: items not completed and their amount to be collected, reassignments and re-valuations included (one statement).',
  })
  loads(@Root() run: WorklistRun, @Ctx() ctx: RequestContext): Promise<SpecialistLoad[]> {
    return loadsOf(ctx, run.id);
  }

  @Mutation(() => WorklistRun, { description: "SUPERVISOR/ADMIN: score the segment with its active strategy at the key date and switch its live worklist." })
  generateWorklist(
    @Ctx() ctx: RequestContext,
    @Arg('segment', () => String) segment: string,
    @Arg('asOf', () => DateScalar) asOf: string,
  ): Promise<WorklistRun> {
    return generateLiveWorklist(ctx, segment, asOf);
  }
}

@Resolver(() => Partner)
export class PartnerResolver {
  @FieldResolver(() => Specialist, { nullable: true, description: "The partner's fixed specialist, if any." })
  async specialist(@Root() partner: Partner, @Ctx() ctx: RequestContext): Promise<Specialist | null> {
    const row = partner.specialistId ? await ctx.loaders.specialist.load(partner.specialistId) : null;
    return row ? specialistView(row) : null;
  }
}
