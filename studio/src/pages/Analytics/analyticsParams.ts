import type { AnalyticsFilter, AnalyticsGranularity, AnalyticsGroupBy } from '../../gql/graphql';
import { today } from '../../lib/dates';

/** The tabs of the analytics pages, in the order they are shown. */
export const ANALYTICS_TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'promises', label: 'Promises' },
  { id: 'contacts', label: 'Contacts' },
  { id: 'disputes', label: 'Disputes' },
  { id: 'worklists', label: 'Worklists' },
  { id: 'commission', label: 'Commission' },
] as const;
export type AnalyticsTab = (typeof ANALYTICS_TABS)[number]['id'];

/** The groupings the filter bar offers (currency is the reporting currency, not a grouping the API has). */
export const GROUPINGS: ReadonlyArray<{ id: AnalyticsGroupBy; label: string; plural: string }> = [
  { id: 'COMPANY_CODE', label: 'Company code', plural: 'company code' },
  { id: 'SEGMENT', label: 'Segment', plural: 'segment' },
  { id: 'GROUP', label: 'Collection group', plural: 'collection group' },
  { id: 'SPECIALIST', label: 'Specialist', plural: 'specialist' },
  { id: 'STRATEGY', label: 'Strategy', plural: 'strategy' },
  { id: 'PROFIT_CENTER', label: 'Profit centre', plural: 'profit centre' },
  { id: 'LEVEL', label: 'Promise level', plural: 'promise level' },
];

export function groupingLabel(groupBy: AnalyticsGroupBy): string {
  return GROUPINGS.find((g) => g.id === groupBy)?.plural ?? groupBy.toLowerCase();
}

/** The filter bar's values as the URL holds them (absent: the default), so a view can be shared. */
export interface AnalyticsParams {
  tab: AnalyticsTab;
  filter: AnalyticsFilter;
  granularity: AnalyticsGranularity;
  /** The grouping chosen for the tables and charts per unit; null: each chart's own default. */
  groupBy: AnalyticsGroupBy | null;
  /** Commission: a payment counts within N days after a contact or promise. */
  withinDays: number;
}

export const DEFAULT_CURRENCY = 'EUR';
export const DEFAULT_WITHIN_DAYS = 14;

/** The first day of the month `months` before the one holding `iso`. */
function monthStart(iso: string, months: number): string {
  const d = new Date(`${iso.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

/** Six whole months up to today by default: enough buckets for a trend. */
export function defaultFrom(to: string): string {
  return monthStart(to, 5);
}

/**
 * The URL's search params as the page's state. A value a role may not use (a SPECIALIST's group or
 * specialist) is dropped here, so a shared link cannot show a filter the page does not offer.
 */
export function analyticsParamsOf(search: URLSearchParams, options: { specialist?: boolean } = {}): AnalyticsParams {
  const to = search.get('to') || today();
  const optional = (name: string) => search.get(name) || undefined;
  const tab = ANALYTICS_TABS.find((t) => t.id === search.get('tab'))?.id ?? 'overview';
  const grouping = GROUPINGS.find((g) => g.id === search.get('groupBy'))?.id ?? null;
  const within = Number(search.get('withinDays'));
  return {
    tab,
    filter: {
      from: search.get('from') || defaultFrom(to),
      to,
      currency: (search.get('currency') || DEFAULT_CURRENCY).toUpperCase(),
      companyCode: optional('companyCode'),
      segment: optional('segment'),
      strategy: optional('strategy'),
      group: options.specialist ? undefined : optional('group'),
      specialist: options.specialist ? undefined : optional('specialist'),
    },
    granularity: search.get('granularity') === 'WEEK' ? 'WEEK' : 'MONTH',
    groupBy: options.specialist && (grouping === 'SPECIALIST' || grouping === 'GROUP') ? null : grouping,
    withinDays: Number.isInteger(within) && within >= 0 && within <= 365 && search.get('withinDays') ? within : DEFAULT_WITHIN_DAYS,
  };
}

/** The grouping a report uses: the chosen one when the report offers it, else its own default. */
export function groupingFor<T extends AnalyticsGroupBy | null>(
  chosen: AnalyticsGroupBy | null,
  offered: readonly AnalyticsGroupBy[],
  fallback: T,
): { groupBy: AnalyticsGroupBy | T; note: string | null } {
  if (chosen === null) return { groupBy: fallback, note: null };
  if (offered.includes(chosen)) return { groupBy: chosen, note: null };
  return { groupBy: fallback, note: `this report cannot be grouped by ${groupingLabel(chosen)}` };
}
