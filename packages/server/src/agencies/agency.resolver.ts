import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { agencyFigures, agencyReport } from './agency-analytics.service';
import { AnalyticsFilter, AnalyticsGroupByEnum } from '../analytics';
import { DateScalar, JSONScalar } from '../graphql/scalars';
import {
  agencyApi,
  agencyCreatePromise,
  agencyRecordContact,
  agencyCustomer,
  agencyList,
  agencySettlementApi,
  closeAgencySettlementApi,
  deleteAgencyApi,
  placeApi,
  placementApi,
  placementList,
  placementProposal,
  recallApi,
  saveAgencyApi,
} from './placement-api.service';
import {
  AgencyContactInput,
  AgencyContactView,
  AgencyCustomerView,
  AgencyFiguresView,
  AgencyInput,
  AgencyPromiseInput,
  AgencyPromiseView,
  AgencyReportView,
  AgencySettlementView,
  AgencyView,
  PlaceInput,
  PlacementConnection,
  PlacementProposalView,
  PlacementView,
  RecallInput,
} from './agency.types';

const VERSION_ARG = { description: 'The version you read; refused (CONFLICT) when the object changed meanwhile.' };

@Resolver()
export class AgencyResolver {
  @Query(() => [AgencyView], { description: 'Collection agencies, by key (an AGENCY token: its own).' })
  agencies(@Ctx() ctx: RequestContext) {
    return agencyList(ctx);
  }

  @Query(() => AgencyView, { nullable: true, description: 'One agency; null when unknown (or, for an AGENCY token, another agency).' })
  agency(@Ctx() ctx: RequestContext, @Arg('key', () => String, { description: 'Agency key.' }) key: string) {
    return agencyApi(ctx, key);
  }

  @Mutation(() => AgencyView, { description: 'Creates (version null) or changes an agency; audited.' })
  saveAgency(@Ctx() ctx: RequestContext, @Arg('input', () => AgencyInput, { description: 'The agency.' }) input: AgencyInput) {
    return saveAgencyApi(ctx, input);
  }

  @Mutation(() => Boolean, {
    description:
      'Deletes an agency. Refused (CONFLICT, naming what refers to it) while placements or tokens refer to it; retire it with active: false instead.',
  })
  deleteAgency(
    @Ctx() ctx: RequestContext,
    @Arg('key', () => String, { description: 'Agency key.' }) key: string,
    @Arg('version', () => Int, VERSION_ARG) version: number,
  ) {
    return deleteAgencyApi(ctx, key, version);
  }

  @Query(() => PlacementConnection, { description: 'Placements, newest first (an AGENCY token: its own agency’s).' })
  placements(
    @Ctx() ctx: RequestContext,
    @Arg('agency', () => String, { nullable: true, description: 'Only placements with this agency.' }) agency?: string | null,
    @Arg('status', () => String, { nullable: true, description: 'Only placements in this status: PLACED, RECALLED or CLOSED.' }) status?: string | null,
    @Arg('partnerId', () => ID, { nullable: true, description: 'Only placements of this partner.' }) partnerId?: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Page size, 0 to 500 (default 50).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page; absent: the first page.' }) after?: string | null,
  ) {
    return placementList(ctx, { agency, status, partnerId, first, after });
  }

  @Query(() => PlacementView, { nullable: true, description: 'One placement; null when unknown (or, for an AGENCY token, another agency’s).' })
  placement(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'Identifier of the placement.' }) id: string) {
    return placementApi(ctx, id);
  }

  @Query(() => [PlacementProposalView], {
    description:
      'The partners a placement rules document (strategy format) proposes at a key date: not exited, reaching minPercent, with open items not held, not placed; by priority, valuation, open amount.',
  })
  placementProposal(
    @Ctx() ctx: RequestContext,
    @Arg('rules', () => JSONScalar, { description: 'The rules document, in the strategy document format.' }) rules: unknown,
    @Arg('asOf', () => DateScalar, { description: 'Key date of the facts.' }) asOf: string,
    @Arg('segment', () => String, { nullable: true, description: 'Only partners of this segment.' }) segment?: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100, description: 'At most this many partners, 0 to 1000 (default 100).' }) first?: number | null,
  ) {
    return placementProposal(ctx, { rules, asOf, segment, first });
  }

  @Mutation(() => PlacementView, {
    description:
      "Places all or some of a partner's open items with an agency (more items with the same agency join its placement; another agency while placed: CONFLICT); audited.",
  })
  placePartner(@Ctx() ctx: RequestContext, @Arg('input', () => PlaceInput, { description: 'The partner, the agency and the items.' }) input: PlaceInput) {
    return placeApi(ctx, input);
  }

  @Mutation(() => PlacementView, {
    description: 'Takes a PLACED placement back from its agency, with a reason; its items return to in-house collection; audited.',
  })
  recallPlacement(@Ctx() ctx: RequestContext, @Arg('input', () => RecallInput, { description: 'The placement and the reason.' }) input: RecallInput) {
    return recallApi(ctx, input);
  }

  @Query(() => AgencyCustomerView, { description: 'A partner as a collection agency may see it (NOT_FOUND unless placed with the AGENCY token’s agency).' })
  agencyCustomer(@Ctx() ctx: RequestContext, @Arg('partnerId', () => ID, { description: 'Identifier of the partner.' }) partnerId: string) {
    return agencyCustomer(ctx, partnerId);
  }

  @Mutation(() => AgencyContactView, { description: 'Records a contact the agency had with a partner placed with it.' })
  agencyRecordContact(@Ctx() ctx: RequestContext, @Arg('input', () => AgencyContactInput, { description: 'The contact.' }) input: AgencyContactInput) {
    return agencyRecordContact(ctx, input);
  }

  @Mutation(() => [AgencyPromiseView], { description: 'Records a promise to pay the agency obtained from a partner placed with it.' })
  agencyCreatePromise(@Ctx() ctx: RequestContext, @Arg('input', () => AgencyPromiseInput, { description: 'The promise.' }) input: AgencyPromiseInput) {
    return agencyCreatePromise(ctx, input);
  }

  @Query(() => AgencySettlementView, {
    description: "An agency's commission for a period of payment dates: the closed settlement of exactly that period, else computed now.",
  })
  agencySettlement(
    @Ctx() ctx: RequestContext,
    @Arg('agency', () => String, { description: 'Key of the agency.' }) agency: string,
    @Arg('from', () => DateScalar, { description: 'First payment date.' }) from: string,
    @Arg('to', () => DateScalar, { description: 'Last payment date.' }) to: string,
  ) {
    return agencySettlementApi(ctx, agency, from, to);
  }

  @Mutation(() => AgencySettlementView, {
    description: "Closes an agency's settlement of a period: its lines are frozen; an overlapping closed period is a CONFLICT; audited.",
  })
  closeAgencySettlement(
    @Ctx() ctx: RequestContext,
    @Arg('agency', () => String, { description: 'Key of the agency.' }) agency: string,
    @Arg('from', () => DateScalar, { description: 'First payment date.' }) from: string,
    @Arg('to', () => DateScalar, { description: 'Last payment date.' }) to: string,
  ) {
    return closeAgencySettlementApi(ctx, agency, from, to);
  }

  @Query(() => [AgencyFiguresView], {
    description:
      'Per agency, placement month and item currency, unconverted: placements, placed and recovered amounts, recovery rate, days to first payment, ' +
      'commission due. analyticsAgencies gives the same figures with the analytics filter, a grouping and a reporting currency.',
  })
  agencyAnalytics(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => DateScalar, { description: 'Placements made on or after this day.' }) from: string,
    @Arg('to', () => DateScalar, { description: 'Placements made on or before this day.' }) to: string,
    @Arg('agency', () => String, { nullable: true, description: 'Only this agency (an AGENCY token: always its own).' }) agency?: string | null,
  ) {
    return agencyFigures(ctx, { from, to, agency });
  }

  @Query(() => AgencyReportView, {
    description:
      'Agency figures with the analytics filter (period = placement date): per agency and placement month, optionally per group, the placements, placed and ' +
      'recovered amounts, recovery rate, days to first payment and commission due, in the reporting currency. The specialist filter (and a SPECIALIST ' +
      "token's scope) applies to the partner's specialist; a SUPERVISOR token with collection groups sees those groups' partners; an AGENCY token its own " +
      'agency only (another is NOT_FOUND). BAD_USER_INPUT (extensions.path and reason) as the analytics reports; NOT_FOUND for a key naming nothing.',
  })
  analyticsAgencies(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AnalyticsFilter, { description: 'Placements made in the period; organisational slice and reporting currency.' })
    filter: AnalyticsFilter,
    @Arg('groupBy', () => AnalyticsGroupByEnum, {
      nullable: true,
      description: 'Besides agency and month: SEGMENT, GROUP, SPECIALIST, STRATEGY, COMPANY_CODE, PROFIT_CENTER or CURRENCY (the item currency).',
    })
    groupBy?: AnalyticsGroupByEnum | null,
    @Arg('agency', () => String, { nullable: true, description: 'Only this agency (an AGENCY token: always its own).' }) agency?: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many groups (default 100, at most 500).' }) first?: number | null,
  ) {
    return agencyReport(ctx, { filter, groupBy, agency, first });
  }
}
