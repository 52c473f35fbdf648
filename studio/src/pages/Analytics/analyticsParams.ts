import type { AnalyticsFilter, AnalyticsGranularity, AnalyticsGroupBy } from '../../gql/graphql';
import { addDays, today } from '../../lib/dates';

/**
 * The tabs of the analytics pages, in the order they are shown. `perUnit`: the tab has figures per
 * week or month, so the filter bar offers the time unit ("Per"); the other tabs' reports have no
 * such argument (agencies come per placement month, the rest over the whole period).
 */
export const ANALYTICS_TABS = [
  { id: 'overview', label: 'Overview', perUnit: true },
  { id: 'promises', label: 'Promises', perUnit: true },
  { id: 'contacts', label: 'Contacts', perUnit: false },
  { id: 'disputes', label: 'Disputes', perUnit: true },
  { id: 'worklists', label: 'Worklists', perUnit: false },
  { id: 'commission', label: 'Commission', perUnit: false },
  { id: 'agencies', label: 'Agencies', perUnit: false },
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
  { id: 'CURRENCY', label: 'Document currency', plural: 'document currency' },
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

/** Days in the whole unit (week or calendar month) a bucket starting on `start` belongs to. */
export function unitDays(start: string, granularity: AnalyticsGranularity): number {
  return granularity === 'WEEK' ? 7 : new Date(Date.UTC(Number(start.slice(0, 4)), Number(start.slice(5, 7)), 0)).getUTCDate();
}

/** The first day of the unit before the one starting on `start`. */
function previousUnitStart(start: string, granularity: AnalyticsGranularity): string {
  if (granularity === 'WEEK') return addDays(start, -7);
  const d = new Date(`${start.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * What the latest bucket is compared with, like for like: the previous unit's first `days` days
 * when the latest is cut short (this month so far against the same days of last month), else the
 * whole previous unit. Null when the latest bucket does not start at its unit's start (a period
 * cut at both ends): no fair comparison.
 */
export function comparisonPeriod(
  latest: { start: string; days: number },
  granularity: AnalyticsGranularity,
): { from: string; to: string; label: string } | null {
  const whole = unitDays(latest.start, granularity);
  const from = previousUnitStart(latest.start, granularity);
  const unitStart = granularity === 'WEEK' ? latest.start : `${latest.start.slice(0, 7)}-01`;
  if (unitStart !== latest.start && latest.days < whole) return null;
  const lastOfUnit = addDays(latest.start, -1);
  const partial = latest.days < whole;
  const to = partial ? [addDays(from, latest.days - 1), lastOfUnit].sort()[0]! : lastOfUnit;
  const label = partial
    ? `${from} – ${to.slice(5)} (same ${latest.days} days)`
    : `${granularity === 'MONTH' ? from.slice(0, 7) : from} (whole ${granularity === 'WEEK' ? 'week' : 'month'})`;
  return { from, to, label };
}
