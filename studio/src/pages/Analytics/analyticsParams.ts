import type { AnalyticsFilter, AnalyticsGranularity } from '../../gql/graphql';
import { today } from '../../lib/dates';

/** The filter bar's values as the URL holds them (absent: the default), so a view can be shared. */
export interface AnalyticsParams {
  filter: AnalyticsFilter;
  granularity: AnalyticsGranularity;
}

export const DEFAULT_CURRENCY = 'EUR';

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

export function analyticsParamsOf(search: URLSearchParams): AnalyticsParams {
  const to = search.get('to') || today();
  const optional = (name: string) => search.get(name) || undefined;
  return {
    filter: {
      from: search.get('from') || defaultFrom(to),
      to,
      currency: (search.get('currency') || DEFAULT_CURRENCY).toUpperCase(),
      companyCode: optional('companyCode'),
      segment: optional('segment'),
      group: optional('group'),
      specialist: optional('specialist'),
    },
    granularity: search.get('granularity') === 'WEEK' ? 'WEEK' : 'MONTH',
  };
}
