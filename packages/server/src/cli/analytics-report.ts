/**
 * `pnpm recoup report NAME --from D --to D [--currency C] [--group-by G] [--granularity MONTH|WEEK]
 * [--segment S] [--group G] [--company-code C] [--specialist ID] [--strategy K] [--within-days N]
 * [--agency KEY] [--format csv|json]`: one analytics report, as the API computes it for an ADMIN,
 * printed as JSON or as CSV rows. `agencies` is analyticsAgencies (the agencies feature's report
 * on the analytics filter).
 */
import { agencyReport, type AgencyReport } from '../agencies';
import { analytics, type AnalyticsReportName } from '../analytics';
import type { Database } from '../db/database';
import { createRequestContext } from '../graphql/context';
import { csvLine } from '../import';

export const REPORT_NAMES = ['kpis', 'promises', 'open-items', 'contacts', 'disputes', 'worklists', 'commission', 'agencies'] as const satisfies ReadonlyArray<
  AnalyticsReportName | 'agencies'
>;

export const REPORT_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  currency: { type: 'string', default: 'EUR' },
  'group-by': { type: 'string' },
  granularity: { type: 'string' },
  segment: { type: 'string' },
  group: { type: 'string' },
  'company-code': { type: 'string' },
  specialist: { type: 'string' },
  strategy: { type: 'string' },
  'within-days': { type: 'string' },
  agency: { type: 'string' },
  format: { type: 'string', default: 'json' },
} as const;

export interface ReportRequest {
  name: (typeof REPORT_NAMES)[number];
  values: { [K in keyof typeof REPORT_OPTIONS]?: string };
}

/** The CLI acts as ADMIN: it runs where the database is, as the operator. */
const OPERATOR = { tokenId: '0', name: 'cli', role: 'ADMIN', specialistId: null } as const;

/** The report as text: the API's result as JSON, or its rows as CSV with a header line. */
export async function analyticsReport(db: Database, request: ReportRequest): Promise<string> {
  const v = request.values;
  const filter = {
    from: v.from!,
    to: v.to!,
    currency: v.currency ?? 'EUR',
    segment: v.segment ?? null,
    group: v.group ?? null,
    companyCode: v['company-code'] ?? null,
    specialist: v.specialist ?? null,
    strategy: v.strategy ?? null,
  };
  const ctx = createRequestContext(db, { ...OPERATOR });
  const groupBy = (v['group-by']?.toUpperCase().replace(/-/g, '_') ?? null) as never;
  if (request.name === 'agencies') {
    const report = await agencyReport(ctx, { filter, groupBy, agency: v.agency ?? null, first: 500 });
    return v.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : csvOf(agencyRows(report));
  }
  const result = await analytics.runReport(ctx, request.name, {
    filter,
    groupBy,
    granularity: (v.granularity?.toUpperCase() ?? null) as never,
    first: 500,
    withinDays: v['within-days'] === undefined ? null : Number(v['within-days']),
  });
  if (v.format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  return csvOf(analytics.reportRows(request.name, result));
}

type Row = Record<string, string | number | null>;

/** CSV with a header line of every column any row has, in first-seen order. */
function csvOf(rows: Row[]): string {
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [csvLine(header), ...rows.map((r) => csvLine(header.map((h) => r[h] ?? null)))].join('');
}

/** The agency report's rows as the other reports' CSV names them. */
function agencyRows(report: AgencyReport): Row[] {
  return report.rows.map((r) => ({
    agency: r.agency,
    agency_name: r.agencyName,
    placement_month: r.placementMonth,
    group: r.group.key,
    group_name: r.group.label,
    placements: r.placements,
    placed_amount: r.placedAmount,
    recovered_amount: r.recoveredAmount,
    recovery_rate: r.recoveryRate,
    days_to_first_payment: r.daysToFirstPayment,
    commission_due: r.commissionDue,
  }));
}
