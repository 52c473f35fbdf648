/**
 * `pnpm recoup report NAME --from D --to D [--currency C] [--group-by G] [--granularity MONTH|WEEK]
 * [--segment S] [--group G] [--company-code C] [--specialist ID] [--strategy K] [--within-days N] [--format csv|json]`:
 * one analytics report, as the API computes it for an ADMIN, printed as JSON or as CSV rows.
 */
import { analytics, type AnalyticsReportName } from '../analytics';
import type { Database } from '../db/database';
import { createRequestContext } from '../graphql/context';
import { csvLine } from '../import';

export const REPORT_NAMES = [
  'kpis',
  'promises',
  'open-items',
  'contacts',
  'disputes',
  'worklists',
  'commission',
] as const satisfies readonly AnalyticsReportName[];

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
  format: { type: 'string', default: 'json' },
} as const;

export interface ReportRequest {
  name: AnalyticsReportName;
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
  const result = await analytics.runReport(createRequestContext(db, { ...OPERATOR }), request.name, {
    filter,
    groupBy: (v['group-by']?.toUpperCase().replace(/-/g, '_') ?? null) as never,
    granularity: (v.granularity?.toUpperCase() ?? null) as never,
    first: 500,
    withinDays: v['within-days'] === undefined ? null : Number(v['within-days']),
  });
  if (v.format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  const rows = analytics.reportRows(request.name, result);
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [csvLine(header), ...rows.map((r) => csvLine(header.map((h) => r[h] ?? null)))].join('');
}
