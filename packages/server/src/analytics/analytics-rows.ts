/**
 * Every report by name (the CLI's `report NAME`), and each report's figures as flat rows, one
 * per line of a CSV: group (and bucket, band or breakdown) first, then the figures.
 */
import type { RequestContext } from '../graphql/context';
import { AnalyticsInputError } from './analytics.errors';
import { commissionReport } from './analytics-commission';
import { contactReport } from './analytics-contacts';
import { disputeReport } from './analytics-disputes';
import { kpiReport } from './analytics-kpis';
import { openItemsReport } from './analytics-open-items';
import { promiseReport } from './analytics-promises';
import { worklistReport } from './analytics-worklists';
import type {
  AgeingAmount,
  AnalyticsFilter,
  AnalyticsGranularityEnum,
  AnalyticsGroup,
  AnalyticsGroupByEnum,
  CommissionReport,
  ContactBreakdown,
  ContactReport,
  DisputeReport,
  KpiReport,
  OpenItemsReport,
  PromiseReport,
  WorkedWithin,
  WorklistReport,
} from './analytics.types';

export type AnalyticsReportName = 'kpis' | 'promises' | 'open-items' | 'contacts' | 'disputes' | 'worklists' | 'commission';
export type Cell = string | number | null;
export type FlatRow = Record<string, Cell>;

export interface ReportArgs {
  filter: AnalyticsFilter;
  groupBy?: AnalyticsGroupByEnum | null;
  granularity?: AnalyticsGranularityEnum | null;
  first?: number | null;
  withinDays?: number | null;
  /** Not in the schema: MIRROR reads the mirror where a report could read the daily snapshots (the benchmark's comparison). */
  source?: 'AUTO' | 'MIRROR';
}

type Reports = {
  kpis: KpiReport;
  promises: PromiseReport;
  'open-items': OpenItemsReport;
  contacts: ContactReport;
  disputes: DisputeReport;
  worklists: WorklistReport;
  commission: CommissionReport;
};

const RUN: { [N in AnalyticsReportName]: (ctx: RequestContext, args: ReportArgs) => Promise<Reports[N]> } = {
  kpis: kpiReport,
  promises: promiseReport,
  'open-items': openItemsReport,
  contacts: contactReport,
  disputes: disputeReport,
  worklists: worklistReport,
  commission: commissionReport,
};

export function runReport(ctx: RequestContext, name: AnalyticsReportName, args: ReportArgs): Promise<Reports[AnalyticsReportName]> {
  if (!Object.hasOwn(RUN, name)) throw new AnalyticsInputError('BAD_ARGUMENT', `No report ${name}; one of ${Object.keys(RUN).join(', ')}`, 'name');
  return RUN[name](ctx, args);
}

const group = (g: AnalyticsGroup): FlatRow => ({ group: g.key, group_name: g.label });
const ageing = (a: AgeingAmount[]): FlatRow => Object.fromEntries(a.map((x) => [`ageing ${x.bucket}`, x.amount]));
const within = (w: WorkedWithin[]): FlatRow =>
  Object.fromEntries(
    w.flatMap((x) => [
      [`worked_${x.days}d`, x.worked],
      [`worked_${x.days}d_percent`, x.workedPercent],
      [`contacted_${x.days}d`, x.contacted],
      [`promised_${x.days}d`, x.promised],
      [`disputed_${x.days}d`, x.disputed],
      [`resubmitted_${x.days}d`, x.resubmitted],
    ]),
  );
const breakdown = (kind: string, b: ContactBreakdown): FlatRow => ({
  breakdown: kind,
  key: b.key,
  contacts: b.contacts,
  reached: b.reached,
  reach_percent: b.reachPercent,
});

const ROWS: { [N in AnalyticsReportName]: (report: Reports[N]) => FlatRow[] } = {
  kpis: (r) =>
    r.series.flatMap((s) =>
      s.buckets.map((b) => ({
        ...group(s.group),
        start: b.start,
        end: b.end,
        days: b.days,
        opening_receivables: b.openingReceivables,
        sales: b.sales,
        closing_receivables: b.closingReceivables,
        closing_current: b.closingCurrent,
        dso_average: b.dsoAverage,
        dso_count_back: b.dsoCountBack,
        add: b.add,
        cei: b.cei,
        ...ageing(b.ageing),
        ...Object.fromEntries(b.rollRates.map((x) => [`roll ${x.from} percent`, x.percent])),
      })),
    ),
  promises: (r) =>
    r.rows.map((x) => ({
      ...group(x.group),
      ...Object.fromEntries(
        (['made', 'kept', 'partiallyKept', 'broken', 'open', 'cancelled'] as const).flatMap((k) => [
          [`${k}_count`, x[k].count],
          [`${k}_amount`, x[k].amount],
        ]),
      ),
      promised_amount: x.promisedAmount,
      paid_amount: x.paidAmount,
      kept_percent: x.keptPercent,
      average_days_late: x.averageDaysLate,
    })),
  'open-items': (r) =>
    [...r.rows, ...(r.groupBy ? [r.totals] : [])].map((x) => ({
      ...group(x.group),
      partners: x.partners,
      open_items: x.openItems,
      overdue_items: x.overdueItems,
      open_amount: x.openAmount,
      overdue_amount: x.overdueAmount,
      ...ageing(x.ageing),
    })),
  contacts: (r) =>
    r.rows.flatMap((x) => [
      {
        ...group(x.group),
        ...breakdown('total', { key: null, contacts: x.contacts, reached: x.reached, reachPercent: x.reachPercent }),
        promises_obtained: x.promisesObtained,
        contacts_per_promise: x.contactsPerPromise,
      },
      ...x.byChannel.map((b) => ({ ...group(x.group), ...breakdown('channel', b) })),
      ...x.byDirection.map((b) => ({ ...group(x.group), ...breakdown('direction', b) })),
      ...x.byResult.map((b) => ({ ...group(x.group), ...breakdown('result', b) })),
    ]),
  disputes: (r) =>
    r.series.flatMap((s) =>
      s.buckets.map((b) => ({
        ...group(s.group),
        start: b.start,
        end: b.end,
        opened: b.opened,
        opened_amount: b.openedAmount,
        resolved: b.resolved,
        resolved_amount: b.resolvedAmount,
        average_days_to_resolve: b.averageDaysToResolve,
        open_at_end: b.openAtEnd,
        disputed_amount_at_end: b.disputedAmountAtEnd,
      })),
    ),
  worklists: (r) =>
    r.rows.flatMap((x) =>
      [{ ...x, priority: null as number | null }, ...x.bands.map((b) => ({ ...x, ...b }))].map((b) => ({
        run: x.runId,
        segment: x.segment,
        as_of: x.asOf,
        ...group(x.group),
        priority: b.priority,
        partners: b.partners,
        amount_to_be_collected: b.amountToBeCollected,
        completed: b.completed,
        reassigned: b.reassigned,
        ...within(b.within),
      })),
    ),
  commission: (r) => [
    ...r.lines.map((l) => ({
      specialist: l.specialist.key,
      specialist_name: l.specialist.label,
      partners: l.partners,
      payments: l.payments,
      amount: l.amount,
      rule: r.rule,
    })),
  ],
};

/** A report's figures as flat rows (CSV lines). */
export function reportRows(name: AnalyticsReportName, report: Reports[AnalyticsReportName]): FlatRow[] {
  return (ROWS[name] as (r: Reports[AnalyticsReportName]) => FlatRow[])(report);
}
