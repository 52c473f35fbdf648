import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DateScalar } from '../graphql/scalars';
import { Partner, partnerOf } from '../worklists';
import {
  dunningExclusions,
  dunningNotices,
  dunningProcedures,
  dunningRuns,
  dunningTemplatePreview,
  dunningTemplates,
  runDunning,
  saveCorrespondenceAddress,
  saveDunningProcedure,
  saveDunningTemplate,
  setDunningExclusion,
} from './dunning-api.service';
import {
  CorrespondenceAddressInput,
  DunningExclusionEntry,
  DunningExclusionInput,
  DunningNoticeConnection,
  DunningNoticeEntry,
  DunningProcedureEntry,
  DunningProcedureInput,
  DunningRunConnection,
  DunningRunReport,
  DunningTemplateEntry,
  DunningTemplateInput,
  DunningTemplatePreview,
} from './dunning.types';

/** Dunning: configuration (ADMIN, CONFIGURATOR), exclusions (collectors), runs (ADMIN, SUPERVISOR), the outbox (readers). */
@Resolver()
export class DunningResolver {
  @Query(() => [DunningProcedureEntry], {
    description: "Every dunning procedure by key, with its levels; a partner is dunned under its segment's procedure, else the one without segment.",
  })
  dunningProcedures(@Ctx() ctx: RequestContext): Promise<DunningProcedureEntry[]> {
    return dunningProcedures(ctx);
  }

  @Query(() => [DunningTemplateEntry], { description: 'Every notice template by key.' })
  dunningTemplates(@Ctx() ctx: RequestContext): Promise<DunningTemplateEntry[]> {
    return dunningTemplates(ctx);
  }

  @Query(() => [DunningExclusionEntry], {
    description: "A partner's dunning exclusions: partner blocks and legal-dunning exclusions (an item's own block is its dunningBlock).",
  })
  dunningExclusions(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID, { description: 'The partner whose exclusions to list.' }) partnerId: string,
  ): Promise<DunningExclusionEntry[]> {
    return dunningExclusions(ctx, partnerId);
  }

  @Query(() => DunningNoticeConnection, { description: 'The outbox, newest first; a SPECIALIST names one of their partners.' })
  dunningNotices(
    @Ctx() ctx: RequestContext,
    @Arg('runId', () => ID, { nullable: true, description: 'Only the notices of this dunning run.' }) runId?: string,
    @Arg('partnerId', () => ID, { nullable: true, description: "Only this partner's notices (required for a SPECIALIST)." }) partnerId?: string,
    @Arg('status', () => String, { nullable: true, description: 'Only notices in this status: PENDING, SENT or FAILED.' }) status?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Page size, 0 to 500 (default 50).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page; absent: the first page.' }) after?: string,
  ): Promise<DunningNoticeConnection> {
    return dunningNotices(ctx, { runId, partnerId, status, first, after });
  }

  @Query(() => DunningRunConnection, { description: 'Dunning runs that wrote notices, newest first (dry runs leave none).' })
  dunningRuns(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page; absent: the newest runs.' }) after?: string,
  ): Promise<DunningRunConnection> {
    return dunningRuns(ctx, { first, after });
  }

  @Query(() => DunningTemplatePreview, {
    nullable: true,
    description:
      "A template (saved or not) rendered by the dunning run's renderer for a real partner: its overdue items in one currency (at most 10) and its procedure's charge at the level. " +
      'Null when no partner has an overdue item at the key date. Unknown placeholders: BAD_USER_INPUT naming body or subject.',
  })
  dunningTemplatePreview(
    @Ctx() ctx: RequestContext,
    @Arg('body', () => String, { description: 'Body template.' }) body: string,
    @Arg('subject', () => String, { nullable: true, description: 'Subject template; absent: none.' }) subject?: string,
    @Arg('partnerId', () => ID, { nullable: true, description: 'The partner to render for; absent: the lowest partner id with an overdue open item.' })
    partnerId?: string,
    @Arg('level', () => Int, { nullable: true, defaultValue: 1, description: 'Dunning level rendered (its charge), 1 to 20; default 1.' }) level?: number,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Key date (days overdue, what is overdue); default today.' }) asOf?: string,
  ): Promise<DunningTemplatePreview | null> {
    return dunningTemplatePreview(ctx, { body, subject, partnerId, level, asOf });
  }

  @Mutation(() => DunningProcedureEntry, { description: 'Creates or replaces a dunning procedure with its levels (ADMIN, CONFIGURATOR).' })
  saveDunningProcedure(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => DunningProcedureInput, { description: 'The procedure and all its levels; an existing key is replaced.' }) input: DunningProcedureInput,
  ): Promise<DunningProcedureEntry> {
    return saveDunningProcedure(ctx, input);
  }

  @Mutation(() => DunningTemplateEntry, { description: 'Creates or replaces a notice template; unknown placeholders are refused (ADMIN, CONFIGURATOR).' })
  saveDunningTemplate(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => DunningTemplateInput, { description: 'The template; an existing key is replaced.' }) input: DunningTemplateInput,
  ): Promise<DunningTemplateEntry> {
    return saveDunningTemplate(ctx, input);
  }

  @Mutation(() => Boolean, { description: "A partner's e-mail, phone and postal address for notices (collectors)." })
  saveCorrespondenceAddress(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CorrespondenceAddressInput, { description: 'The partner and its addresses; the previous ones are replaced.' })
    input: CorrespondenceAddressInput,
  ): Promise<boolean> {
    return saveCorrespondenceAddress(ctx, input);
  }

  @Mutation(() => [DunningExclusionEntry], {
    description: 'Sets or lifts a dunning block or legal-dunning exclusion of an item or partner; re-valuates the partner.',
  })
  setDunningExclusion(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => DunningExclusionInput, { description: 'The partner (and item), the kind, and whether it is excluded.' }) input: DunningExclusionInput,
  ): Promise<DunningExclusionEntry[]> {
    return setDunningExclusion(ctx, input);
  }

  @Mutation(() => DunningRunReport, {
    description: 'A dunning run at the key date (default today): notices into the outbox, item levels raised, partners re-valuated; dryRun writes nothing.',
  })
  runDunning(
    @Ctx() ctx: RequestContext,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Key date of the run; default today.' }) asOf?: string,
    @Arg('dryRun', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Render the notices without writing anything; the first ones come back as `sample`.',
    })
    dryRun?: boolean,
  ): Promise<DunningRunReport> {
    return runDunning(ctx, asOf, dryRun);
  }
}

@Resolver(() => DunningNoticeEntry)
export class DunningNoticeResolver {
  @FieldResolver(() => Partner, { description: "The dunned partner (name, external id), read through the request's loader." })
  partner(@Root() notice: DunningNoticeEntry, @Ctx() ctx: RequestContext): Promise<Partner> {
    return partnerOf(ctx, notice.partnerId);
  }
}
