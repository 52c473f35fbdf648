/**
 * The worklists' GraphQL fields: each maps its arguments to one service call. Access is declared
 * per operation in graphql/access.ts; row scoping (a SPECIALIST's own items) is the services'.
 */
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { PriorityBandType } from '../strategies';
import { DateScalar } from '../graphql/scalars';
import { MAX_BULK_REASSIGN, reassignItem, reassignItems } from './worklist-assignment.service';
import {
  explainItem,
  itemAging,
  itemCurrency,
  itemFiredRules,
  itemRun,
  loadsOf,
  partnerOf,
  specialistOf,
  worklistItemOf,
  worklistPage,
  worklistRunOf,
} from './worklist-read.service';
import { runBands, startWorklistRun, worklistRunsPage } from './worklist-run-api.service';
import { generateLiveWorklist } from './worklist-run.service';
import {
  AgingAmount,
  FiredRule,
  Partner,
  ScoreExplanation,
  SortDirection,
  Specialist,
  SpecialistLoad,
  WorklistFilter,
  WorklistItem,
  WorklistItemConnection,
  WorklistOrder,
  WorklistRun,
  WorklistRunConnection,
  WorklistSummary,
} from './worklist.types';

/** The paging arguments every list of worklist items shares. */
const FILTER =
  'Conditions on the items, combined with AND; null: every item. A SPECIALIST always reads only their own items: FORBIDDEN for another specialistId or unassigned: true.';
const ORDER_BY =
  'Sort order of the page; default WORKLIST (priority, then valuation and amount to be collected highest first, then partner id). A cursor pages only the order it was read in.';
const DIRECTION =
  "Direction of the order's leading column; null: the order's natural direction (see WorklistOrder). The partner id tie-break stays ascending. A cursor pages only the direction it was read in.";
const FIRST = 'Items per page, 0 to 500; default 50. BAD_USER_INPUT outside that range.';
const AFTER =
  "The previous page's pageInfo.endCursor, to read the items that follow it; null: the first page. BAD_USER_INPUT for a cursor of another list or order.";

@Resolver(() => WorklistItem)
export class WorklistItemResolver {
  @Query(() => WorklistItemConnection, {
    description:
      "Worklist items, a page at a time: of a run (runId), of a segment's live run (segment), or of every segment's live run (neither), filtered and sorted. " +
      'A SPECIALIST reads only their own items. NOT_FOUND for an unknown segment or run, or a run whose items were dropped (superseded live runs; previews after an hour).',
  })
  worklist(
    @Ctx() ctx: RequestContext,
    @Arg('segment', () => String, {
      nullable: true,
      description:
        "Key of a collection segment: its live run's items (an empty page while it has none). With runId: the run must be of this segment, else NOT_FOUND.",
    })
    segment?: string,
    @Arg('runId', () => ID, {
      nullable: true,
      description: 'A run (LIVE or PREVIEW, current or not) to read instead of a live run. Null: the live run of the segment, or of every segment.',
    })
    runId?: string,
    @Arg('filter', () => WorklistFilter, { nullable: true, description: FILTER }) filter?: WorklistFilter,
    @Arg('orderBy', () => WorklistOrder, { nullable: true, defaultValue: WorklistOrder.WORKLIST, description: ORDER_BY }) orderBy?: WorklistOrder,
    @Arg('direction', () => SortDirection, { nullable: true, description: DIRECTION }) direction?: SortDirection,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: FIRST }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after?: string,
  ): Promise<WorklistItemConnection> {
    return worklistPage(ctx, { segment, runId, filter, orderBy, direction, first, after });
  }

  @Query(() => WorklistItem, {
    nullable: true,
    description:
      "A partner's item on a run (default: its segment's live run); null when the partner is not on that list. A SPECIALIST reads only their own partners and items (FORBIDDEN otherwise).",
  })
  worklistItem(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID, { description: 'The partner. NOT_FOUND when no such partner exists.' }) partnerId: string,
    @Arg('runId', () => ID, { nullable: true, description: "The run to look in (LIVE or PREVIEW); null: the live run of the partner's segment." })
    runId?: string,
  ): Promise<WorklistItem | null> {
    return worklistItemOf(ctx, partnerId, runId);
  }

  @FieldResolver(() => Partner, { description: 'The partner (customer) the item is about.' })
  partner(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<Partner> {
    return partnerOf(ctx, item.partnerId);
  }

  @FieldResolver(() => Specialist, {
    nullable: true,
    description: 'The specialist who works the item; null when the distribution found none (no active specialist in its group).',
  })
  specialist(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<Specialist | null> {
    return specialistOf(ctx, item.row.specialist_id);
  }

  @FieldResolver(() => String, { nullable: true, description: "The run's strategy currency (ISO 4217): the currency of every amount of the item." })
  currency(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<string | null> {
    return itemCurrency(ctx, item);
  }

  @FieldResolver(() => [FiredRule], { description: 'The condition rules that fired for the item, with their points (their sum is the valuation).' })
  firedRules(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<FiredRule[]> {
    return itemFiredRules(ctx, item);
  }

  @FieldResolver(() => [AgingAmount], { description: "Open amount per ageing bucket of the run's strategy limits, in the run's currency." })
  aging(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<AgingAmount[]> {
    return itemAging(ctx, item);
  }

  @FieldResolver(() => WorklistRun, { description: 'The run whose list the item is on.' })
  run(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<WorklistRun> {
    return itemRun(ctx, item);
  }

  @FieldResolver(() => ScoreExplanation, {
    nullable: true,
    description:
      "Why the item scored so: every rule with its conditions and the partner's fact values (json-rules-engine, at the run's key date). " +
      "Null once a preview's unsaved document is dropped. Two statements per item: ask for it on detail views.",
  })
  explanation(@Root() item: WorklistItem, @Ctx() ctx: RequestContext): Promise<ScoreExplanation | null> {
    return explainItem(ctx, item);
  }

  @Mutation(() => WorklistItem, {
    description:
      "ADMIN, SUPERVISOR: moves a partner's item to another active specialist until the next run (origin TEMPORARY); returns the item. " +
      'NOT_FOUND for an unknown specialist or a partner without an item on the run; BAD_USER_INPUT for an inactive specialist.',
  })
  reassignWorklistItem(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID, { description: 'The partner whose item moves.' }) partnerId: string,
    @Arg('specialistId', () => ID, { description: 'The active specialist who takes the item over.' }) specialistId: string,
    @Arg('runId', () => ID, { nullable: true, description: "The run whose item moves; null: the live run of the partner's segment." }) runId?: string,
  ): Promise<WorklistItem> {
    return reassignItem(ctx, { partnerId, specialistId, runId });
  }

  @Mutation(() => [WorklistItem], {
    description:
      `ADMIN, SUPERVISOR: moves the items of 1 to ${MAX_BULK_REASSIGN} partners on one run to one active specialist until the next run (origin TEMPORARY), ` +
      'in one transaction, all or nothing, one audit row (REASSIGN, WORKLIST_ITEM) per item; returns the moved items in the order given. ' +
      `BAD_USER_INPUT (path partnerIds[i]) for an empty or longer list, a malformed or repeated id, or a partner without an item on the run; ` +
      'CONFLICT for a completed item (extensions.partnerId); NOT_FOUND for an unknown segment, run or specialist; BAD_USER_INPUT for an inactive specialist. Nothing moves on any error.',
  })
  reassignWorklistItems(
    @Ctx() ctx: RequestContext,
    @Arg('segment', () => String, { description: 'Key of the collection segment: its live run, or the segment the given run must be of.' }) segment: string,
    @Arg('partnerIds', () => [ID], { description: `The partners whose items move, 1 to ${MAX_BULK_REASSIGN}, each once.` }) partnerIds: string[],
    @Arg('specialistId', () => ID, { description: 'The active specialist who takes the items over.' }) specialistId: string,
    @Arg('runId', () => ID, { nullable: true, description: "The run whose items move; null: the segment's live run." }) runId?: string,
  ): Promise<WorklistItem[]> {
    return reassignItems(ctx, { segment, partnerIds, specialistId, runId });
  }
}

@Resolver(() => WorklistItemConnection)
export class WorklistConnectionResolver {
  @FieldResolver(() => Int, { description: 'Items matching the filter over all pages (one more statement; ask only when shown).' })
  totalCount(@Root() connection: WorklistItemConnection): Promise<number> {
    return connection.count();
  }

  @FieldResolver(() => WorklistSummary, {
    description: 'Count, completed items and amount still to be collected (per currency) of the items matching the filter over all pages (one more statement).',
  })
  summary(@Root() connection: WorklistItemConnection): Promise<WorklistSummary> {
    return connection.summary();
  }
}

@Resolver(() => WorklistRun)
export class WorklistRunResolver {
  @Query(() => WorklistRun, {
    nullable: true,
    description:
      "A run by id, or a segment's live run (null while the segment has none). BAD_USER_INPUT without either; NOT_FOUND for an unknown run or segment.",
  })
  worklistRun(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'The run (LIVE or PREVIEW); takes precedence over segment.' }) id?: string,
    @Arg('segment', () => String, { nullable: true, description: 'Key of a collection segment: its live run (used when id is null).' }) segment?: string,
  ): Promise<WorklistRun | null> {
    return worklistRunOf(ctx, id, segment);
  }

  @Query(() => WorklistRunConnection, {
    description: 'Worklist runs, newest first, a page at a time: of one segment or all, LIVE or PREVIEW or both. NOT_FOUND for an unknown segment.',
  })
  worklistRuns(
    @Ctx() ctx: RequestContext,
    @Arg('segment', () => String, { nullable: true, description: 'Key of a collection segment; null: every segment.' }) segment?: string,
    @Arg('mode', () => String, { nullable: true, description: 'LIVE or PREVIEW; null: both.' }) mode?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Runs per page, 0 to 100; default 20.' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: "The previous page's pageInfo.endCursor; null: the newest runs." }) after?: string,
  ): Promise<WorklistRunConnection> {
    return worklistRunsPage(ctx, { segment, mode, first, after });
  }

  @FieldResolver(() => [PriorityBandType], {
    description: "The priority bands of the run's strategy version (label and lowest percentage per priority); empty for a preview of an unsaved document.",
  })
  bands(@Root() run: WorklistRun, @Ctx() ctx: RequestContext): Promise<PriorityBandType[]> {
    return runBands(ctx, run);
  }

  @FieldResolver(() => WorklistItemConnection, {
    description:
      "The run's items, a page at a time (a SPECIALIST: their own). NOT_FOUND once the run's items are dropped (superseded live runs; previews after an hour).",
  })
  items(
    @Root() run: WorklistRun,
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => WorklistFilter, { nullable: true, description: FILTER }) filter?: WorklistFilter,
    @Arg('orderBy', () => WorklistOrder, { nullable: true, defaultValue: WorklistOrder.WORKLIST, description: ORDER_BY }) orderBy?: WorklistOrder,
    @Arg('direction', () => SortDirection, { nullable: true, description: DIRECTION }) direction?: SortDirection,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: FIRST }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER }) after?: string,
  ): Promise<WorklistItemConnection> {
    return worklistPage(ctx, { runId: run.id, filter, orderBy, direction, first, after });
  }

  @FieldResolver(() => [SpecialistLoad], {
    description:
      'The work still to do per specialist now: items not completed and their amount to be collected, reassignments and re-valuations included (one statement). ' +
      'Compare bySpecialist, the figures when the run finished.',
  })
  loads(@Root() run: WorklistRun, @Ctx() ctx: RequestContext): Promise<SpecialistLoad[]> {
    return loadsOf(ctx, run.id);
  }

  @Mutation(() => WorklistRun, {
    description:
      "ADMIN, SUPERVISOR: scores the segment with its collection groups' active strategy version at the key date and switches its live worklist to the new run (one run at a time per segment; later calls wait). " +
      'Returns the run. NOT_FOUND for an unknown segment; BAD_USER_INPUT when an amount has no FX rate, or when the organisation is not configured for the segment ' +
      '(no active collection group, a group without strategy, no active version, groups on different versions): the message names what to configure first and ' +
      'extensions.missing lists each piece ({ code, message, segment, group, strategy }, the codes of WorklistWarningCode); nothing is run.',
  })
  generateWorklist(
    @Ctx() ctx: RequestContext,
    @Arg('segment', () => String, { description: 'Key of the collection segment to run.' }) segment: string,
    @Arg('asOf', () => DateScalar, { description: 'Key date (YYYY-MM-DD) the AR mirror is scored at: ages, due dates and FX rates are taken as of that day.' })
    asOf: string,
  ): Promise<WorklistRun> {
    return generateLiveWorklist(ctx, segment, asOf);
  }

  @Mutation(() => WorklistRun, {
    description:
      'ADMIN, SUPERVISOR: starts a live run of the segment, as generateWorklist does, and returns it RUNNING at once; the run goes on in the API process. ' +
      'Poll worklistRun(id) for its progress and, when SUCCEEDED, its statistics (FAILED: its error). NOT_FOUND and BAD_USER_INPUT as generateWorklist, before anything runs; ' +
      'CONFLICT while a live run of the segment is RUNNING (extensions.runId names it).',
  })
  startWorklistRun(
    @Ctx() ctx: RequestContext,
    @Arg('segment', () => String, { description: 'Key of the collection segment to run.' }) segment: string,
    @Arg('asOf', () => DateScalar, { description: 'Key date (YYYY-MM-DD) the AR mirror is scored at: ages, due dates and FX rates are taken as of that day.' })
    asOf: string,
  ): Promise<WorklistRun> {
    return startWorklistRun(ctx, segment, asOf);
  }
}

@Resolver(() => Partner)
export class PartnerResolver {
  @FieldResolver(() => Specialist, {
    nullable: true,
    description: "The partner's fixed specialist, who gets its item whatever the distribution; null when none is fixed.",
  })
  specialist(@Root() partner: Partner, @Ctx() ctx: RequestContext): Promise<Specialist | null> {
    return specialistOf(ctx, partner.specialistId);
  }
}

@Resolver(() => SpecialistLoad)
export class SpecialistLoadResolver {
  @FieldResolver(() => Specialist, { nullable: true, description: 'The specialist; null for the items left without one.' })
  specialist(@Root() load: SpecialistLoad, @Ctx() ctx: RequestContext): Promise<Specialist | null> {
    return specialistOf(ctx, load.specialistId);
  }
}
