/** The analytics' GraphQL fields: arguments to one service call each (access in graphql/access.ts). */
import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';
import type { RequestContext } from '../graphql/context';
import {
  closeCommissionSettlement,
  commissionBreakdown,
  commissionReport,
  commissionSettlements,
  contactReport,
  disputeReport,
  kpiReport,
  openItemsReport,
  promiseReport,
  worklistReport,
} from './analytics.service';
import {
  AnalyticsFilter,
  ClosedCommissionSettlement,
  CommissionBreakdown,
  CommissionReport,
  ContactReport,
  DisputeReport,
  AnalyticsGranularityEnum,
  AnalyticsGroupByEnum,
  KpiReport,
  OpenItemsReport,
  WorklistReport,
  PromiseReport,
} from './analytics.types';

const SCOPE = 'A SPECIALIST sees their own figures, a SUPERVISOR token with collection groups those groups’ figures, ADMIN all.';
const CODES =
  'BAD_USER_INPUT (extensions.path and reason): BAD_DATE, PERIOD_REVERSED, PERIOD_TOO_LONG, BAD_CURRENCY, GROUP_BY_NOT_SUPPORTED, BAD_ARGUMENT, ' +
  'FX_RATE_MISSING (extensions.pairs: from, to, on); NOT_FOUND for a filter key naming nothing.';

const AGEING = 'Ageing bucket limits in days overdue (default [0, 30, 60, 90]).';
const WITHIN = 'N: payments count within N days after a contact or promise of the specialist (0-365, default 14).';
const FIRST = 'At most this many groups (default 100, at most 500).';

@Resolver()
export class AnalyticsResolver {
  @Query(() => KpiReport, {
    description: `KPIs per month or week over the period: DSO (average and count-back), ADD, CEI, ageing and roll rates (DESIGN.md), in the reporting currency. ${SCOPE} ${CODES}`,
  })
  analyticsKpis(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AnalyticsFilter, { description: 'Period, organisational slice and reporting currency.' }) filter: AnalyticsFilter,
    @Arg('granularity', () => AnalyticsGranularityEnum, { nullable: true, description: 'Default MONTH.' }) granularity?: AnalyticsGranularityEnum | null,
    @Arg('groupBy', () => AnalyticsGroupByEnum, { nullable: true, description: 'COMPANY_CODE, SEGMENT, GROUP, SPECIALIST, STRATEGY or PROFIT_CENTER.' })
    groupBy?: AnalyticsGroupByEnum | null,
    @Arg('ageingLimits', () => [Int], { nullable: true, description: AGEING })
    ageingLimits?: number[] | null,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first?: number | null,
  ): Promise<KpiReport> {
    return kpiReport(ctx, { filter, granularity, groupBy, ageingLimits, first });
  }

  @Query(() => PromiseReport, {
    description: `Promises made in the period judged at its last day: made, kept, partially kept, broken, open, cancelled (counts and amounts), promised vs paid, days late. ${SCOPE} ${CODES}`,
  })
  analyticsPromises(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AnalyticsFilter, { description: 'Period, organisational slice and reporting currency.' }) filter: AnalyticsFilter,
    @Arg('groupBy', () => AnalyticsGroupByEnum, {
      nullable: true,
      description: 'SPECIALIST, GROUP, LEVEL, SEGMENT, STRATEGY, COMPANY_CODE, PROFIT_CENTER or CURRENCY.',
    })
    groupBy?: AnalyticsGroupByEnum | null,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first?: number | null,
  ): Promise<PromiseReport> {
    return promiseReport(ctx, { filter, groupBy, first });
  }

  @Query(() => OpenItemsReport, {
    description: `Open and overdue items and amounts by ageing bucket at the period’s last day, per organisational unit. ${SCOPE} ${CODES}`,
  })
  analyticsOpenItems(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AnalyticsFilter, { description: 'The key date is filter.to.' }) filter: AnalyticsFilter,
    @Arg('groupBy', () => AnalyticsGroupByEnum, {
      nullable: true,
      description: 'COMPANY_CODE, SEGMENT, GROUP, SPECIALIST, STRATEGY, PROFIT_CENTER or CURRENCY.',
    })
    groupBy?: AnalyticsGroupByEnum | null,
    @Arg('ageingLimits', () => [Int], { nullable: true, description: AGEING }) ageingLimits?: number[] | null,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first?: number | null,
  ): Promise<OpenItemsReport> {
    return openItemsReport(ctx, { filter, groupBy, ageingLimits, first });
  }

  @Query(() => ContactReport, {
    description: `Contacts in the period by channel, direction and result, reach rate and contacts per promise obtained, per group. ${SCOPE} ${CODES}`,
  })
  analyticsContacts(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AnalyticsFilter, { description: 'filter.currency is checked but unused (no amounts).' }) filter: AnalyticsFilter,
    @Arg('groupBy', () => AnalyticsGroupByEnum, { nullable: true, description: 'SPECIALIST, GROUP, SEGMENT or STRATEGY.' })
    groupBy?: AnalyticsGroupByEnum | null,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first?: number | null,
  ): Promise<ContactReport> {
    return contactReport(ctx, { filter, groupBy, first });
  }

  @Query(() => DisputeReport, {
    description: `Disputes per month or week: opened, resolved and days to resolve, disputed amount open at each end; resolved by resolution and root cause. ${SCOPE} ${CODES}`,
  })
  analyticsDisputes(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AnalyticsFilter, { description: 'Period, organisational slice and reporting currency.' }) filter: AnalyticsFilter,
    @Arg('granularity', () => AnalyticsGranularityEnum, { nullable: true, description: 'Default MONTH.' }) granularity?: AnalyticsGranularityEnum | null,
    @Arg('groupBy', () => AnalyticsGroupByEnum, {
      nullable: true,
      description: 'SEGMENT, GROUP, SPECIALIST, STRATEGY, COMPANY_CODE, PROFIT_CENTER or CURRENCY.',
    })
    groupBy?: AnalyticsGroupByEnum | null,
    @Arg('first', () => Int, { nullable: true, description: FIRST }) first?: number | null,
  ): Promise<DisputeReport> {
    return disputeReport(ctx, { filter, granularity, groupBy, first });
  }

  @Query(() => WorklistReport, {
    description: `Live runs with key date in the period: partners and amounts per band, items completed and reassigned, share worked (contact, promise, dispute, resubmission) within 1, 3 and 7 days. ${SCOPE} ${CODES}`,
  })
  analyticsWorklists(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AnalyticsFilter, { description: 'Period, organisational slice and reporting currency.' }) filter: AnalyticsFilter,
    @Arg('groupBy', () => AnalyticsGroupByEnum, { nullable: true, description: "SPECIALIST (the item's), GROUP, SEGMENT or STRATEGY." })
    groupBy?: AnalyticsGroupByEnum | null,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many rows (default 100, at most 500).' }) first?: number | null,
  ): Promise<WorklistReport> {
    return worklistReport(ctx, { filter, groupBy, first });
  }

  @Query(() => CommissionReport, {
    description: `Commission settlement of the period as it computes now: per specialist, the payments credited to them (the rule is in the result). ${SCOPE} ${CODES}`,
  })
  analyticsCommission(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AnalyticsFilter, { description: 'Period, organisational slice and reporting currency.' }) filter: AnalyticsFilter,
    @Arg('withinDays', () => Int, { nullable: true, description: WITHIN }) withinDays?: number | null,
  ): Promise<CommissionReport> {
    return commissionReport(ctx, { filter, withinDays });
  }

  @Query(() => CommissionBreakdown, {
    description: `The commission of the period per month or week (each unit cut to the period), in one query: the lines analyticsCommission gives for each unit. ${SCOPE} ${CODES}`,
  })
  analyticsCommissionByPeriod(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AnalyticsFilter, { description: 'Period, organisational slice and reporting currency.' }) filter: AnalyticsFilter,
    @Arg('withinDays', () => Int, { nullable: true, description: WITHIN }) withinDays?: number | null,
    @Arg('granularity', () => AnalyticsGranularityEnum, { nullable: true, description: 'Default MONTH.' }) granularity?: AnalyticsGranularityEnum | null,
  ): Promise<CommissionBreakdown> {
    return commissionBreakdown(ctx, { filter, withinDays, granularity });
  }

  @Query(() => [ClosedCommissionSettlement], {
    description: 'Closed commission settlements, newest period first. ADMIN, SUPERVISOR (a SUPERVISOR with groups: the department’s and their groups’).',
  })
  commissionSettlements(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many (default 20, at most 200).' }) first?: number | null,
  ): Promise<ClosedCommissionSettlement[]> {
    return commissionSettlements(ctx, first);
  }

  @Mutation(() => ClosedCommissionSettlement, {
    description:
      'ADMIN: closes the department’s commission settlement of an ended period; a SUPERVISOR with groups closes (approves) their groups’ one. ' +
      'The lines as computed now are stored, never to change, and the closing is audited. BAD_USER_INPUT reason PERIOD_NOT_ENDED when `to` is today or later; ' +
      `CONFLICT when a closed settlement overlaps the period and the groups. ${CODES}`,
  })
  closeCommissionSettlement(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => DateScalar, { description: 'First day of the period settled.' }) from: string,
    @Arg('to', () => DateScalar, { description: 'Last day of the period settled (on or after from).' }) to: string,
    @Arg('currency', () => String, { description: 'Reporting currency.' }) currency: string,
    @Arg('withinDays', () => Int, { nullable: true, description: WITHIN }) withinDays?: number | null,
  ): Promise<ClosedCommissionSettlement> {
    return closeCommissionSettlement(ctx, { filter: { from, to, currency }, withinDays });
  }
}
