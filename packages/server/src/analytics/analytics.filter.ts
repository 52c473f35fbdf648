/**
 * The common filter of every report, checked once (dates, period, currency, keys that exist),
 * and the caller's row scope merged into it; time buckets of a period.
 */
import { rowScope, type RowScope } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { NotFoundError } from '../graphql/errors';
import { isEntityId, isIsoDate } from '../graphql/scalars';
import { AnalyticsInputError } from './analytics.errors';
import { addDays, daysBetween } from './analytics.days';
import { storedResponsibilityCurrent } from './analytics-snapshots';
import { AnalyticsGranularityEnum, type AnalyticsGroupByEnum, type AnalyticsFilter } from './analytics.types';

/** A period longer than this is refused: every report reads the history of the whole period. */
export const MAX_PERIOD_YEARS = 5;
const EARLIEST = '1900-01-01';
const CURRENCY = /^[A-Z]{3}$/;

export interface Filter {
  from: string;
  to: string;
  currency: string;
  companyCode: string | null;
  segment: string | null;
  group: string | null;
  specialistId: string | null;
  strategy: string | null;
  /** The caller's reach: their own specialist id, or their token's groups (null: all). */
  scope: RowScope;
  /**
   * Whether the partners' responsibility can be read as the snapshots store it (the same as
   * today's: nobody moved since; see storedResponsibilityCurrent) instead of computed from every
   * partner and the live worklists, which every report would otherwise pay (a scan of all partners).
   */
  storedResponsibility?: boolean;
}

/**
 * The filter as given, checked; the caller's scope added (figures beyond it are never read), and
 * whether the responsibility can be read from the snapshots' copy (never for `source` MIRROR).
 */
export async function checkedFilter(ctx: RequestContext, input: AnalyticsFilter, source: 'AUTO' | 'MIRROR' = 'AUTO', path = 'filter'): Promise<Filter> {
  const filter = checkShape(input, path);
  await checkKeysExist(ctx, filter);
  // MIRROR (to compare with what is kept): the responsibility computed too.
  const storedResponsibility = source !== 'MIRROR' && (await storedResponsibilityCurrent(ctx.db));
  return { ...filter, scope: await rowScope(ctx), storedResponsibility };
}

function checkShape(input: AnalyticsFilter, path: string): Omit<Filter, 'scope'> {
  for (const field of ['from', 'to'] as const) {
    const value = input[field];
    if (typeof value !== 'string' || !isIsoDate(value) || value < EARLIEST) {
      throw new AnalyticsInputError('BAD_DATE', `${path}.${field} must be a date from ${EARLIEST} (YYYY-MM-DD)`, `${path}.${field}`);
    }
  }
  if (input.from > input.to) throw new AnalyticsInputError('PERIOD_REVERSED', `${path}.from (${input.from}) is after ${path}.to (${input.to})`, `${path}.to`);
  if (addYears(input.from, MAX_PERIOD_YEARS) < input.to) {
    throw new AnalyticsInputError('PERIOD_TOO_LONG', `The period may span at most ${MAX_PERIOD_YEARS} years`, `${path}.to`);
  }
  if (typeof input.currency !== 'string' || !CURRENCY.test(input.currency)) {
    throw new AnalyticsInputError('BAD_CURRENCY', `${path}.currency must be an ISO 4217 code such as EUR`, `${path}.currency`);
  }
  if (input.specialist != null && !isEntityId(input.specialist)) throw new NotFoundError('Specialist', String(input.specialist));
  return {
    from: input.from,
    to: input.to,
    currency: input.currency,
    companyCode: input.companyCode ?? null,
    segment: input.segment ?? null,
    group: input.group ?? null,
    specialistId: input.specialist ?? null,
    strategy: input.strategy ?? null,
  };
}

/** A key naming nothing is NOT_FOUND (a typo must not read as "no figures"). */
async function checkKeysExist(ctx: RequestContext, f: Omit<Filter, 'scope'>): Promise<void> {
  const [row] = await ctx.db.dataSource.query(
    `SELECT ($1::text IS NULL OR EXISTS (SELECT 1 FROM company_codes WHERE code = $1)) AS company_code,
            ($2::text IS NULL OR EXISTS (SELECT 1 FROM collection_segments WHERE key = $2)) AS segment,
            ($3::text IS NULL OR EXISTS (SELECT 1 FROM collection_groups WHERE key = $3)) AS "group",
            ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM specialists WHERE id = $4)) AS specialist,
            ($5::text IS NULL OR EXISTS (SELECT 1 FROM strategies WHERE key = $5)) AS strategy`,
    [f.companyCode, f.segment, f.group, f.specialistId, f.strategy],
  );
  if (!row.company_code) throw new NotFoundError('Company code', f.companyCode!);
  if (!row.segment) throw new NotFoundError('Collection segment', f.segment!);
  if (!row.group) throw new NotFoundError('Collection group', f.group!);
  if (!row.specialist) throw new NotFoundError('Specialist', f.specialistId!);
  if (!row.strategy) throw new NotFoundError('Strategy', f.strategy!);
}

/** The grouping, if the report takes it. */
export function checkedGroupBy(
  groupBy: AnalyticsGroupByEnum | null | undefined,
  allowed: readonly AnalyticsGroupByEnum[],
  report: string,
): AnalyticsGroupByEnum | null {
  if (groupBy == null) return null;
  if (!allowed.includes(groupBy)) {
    throw new AnalyticsInputError('GROUP_BY_NOT_SUPPORTED', `${report} groups by ${allowed.join(', ')}; not by ${groupBy}`, 'groupBy');
  }
  return groupBy;
}

// ---- time buckets -------------------------------------------------------------------------------

export interface TimeBucket {
  start: string;
  end: string;
  days: number;
}

export { addDays, daysBetween };

function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

/** The first day of the month or ISO week holding `date`. */
export function unitStart(date: string, granularity: AnalyticsGranularityEnum): string {
  if (granularity === AnalyticsGranularityEnum.MONTH) return `${date.slice(0, 8)}01`;
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  return addDays(date, -weekday);
}

/** The first day of the unit after the one starting at `start`. */
export function nextUnit(start: string, granularity: AnalyticsGranularityEnum): string {
  if (granularity === AnalyticsGranularityEnum.WEEK) return addDays(start, 7);
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/** Whole units from the unit holding `from`; the last ends at `to`. */
export function timeBuckets(from: string, to: string, granularity: AnalyticsGranularityEnum): TimeBucket[] {
  const buckets: TimeBucket[] = [];
  for (let start = unitStart(from, granularity); start <= to; start = nextUnit(start, granularity)) {
    const next = nextUnit(start, granularity);
    const end = next <= to ? addDays(next, -1) : to;
    buckets.push({ start, end, days: daysBetween(start, end) + 1 });
  }
  return buckets;
}

/** The `count` whole units before the unit starting at `start`, oldest first. */
export function unitsBefore(start: string, count: number, granularity: AnalyticsGranularityEnum): TimeBucket[] {
  const units: TimeBucket[] = [];
  let end = addDays(start, -1);
  for (let i = 0; i < count; i++) {
    const s = unitStart(end, granularity);
    units.unshift({ start: s, end, days: daysBetween(s, end) + 1 });
    end = addDays(s, -1);
  }
  return units;
}
