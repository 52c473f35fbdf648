/**
 * What every daily aggregate of the analytics snapshots shares: the responsibility it counts
 * partners under and the shape the refresh drives it by (analytics-snapshots.ts). An aggregate is
 * a table of per-day rows by the responsibility's dimensions, summed by the reports that read it;
 * a partner moving between dimensions is taken out (sign -1 under the stored responsibility) and
 * put back (sign +1 under today's), so rows are only ever added, never updated.
 */
import type { EntityManager } from 'typeorm';
import type { Filter } from './analytics.filter';
import { Params, responsibilityCte } from './analytics.sql';

/** `stored`: analytics_snapshot_partners (what the snapshots hold); `current`: today's, as the reports compute it. */
export type RespSource = 'stored' | 'current';

/**
 * A per-day aggregate kept by the refresh: `insert` adds `sign` x its rows of the days `from`
 * (null: every day) to `to`, of the partners `partners` (null: all), counted under `source`.
 * Its table has a `day` column: the refresh deletes the days it rebuilds by it.
 */
export interface DailyAggregate {
  readonly table: string;
  /** Stale also from the state's worklists_stale_from (the kept worklist figures' own staleness). */
  readonly ownStaleness?: boolean;
  insert(m: EntityManager, from: string | null, to: string, partners: string[] | null, sign: 1 | -1, source: RespSource): Promise<void>;
}

/** Everyone's responsibility, with no filter and no caller scope: the snapshots hold all of it. */
export const EVERYONE: Filter = {
  from: '1900-01-01',
  to: '1900-01-01',
  currency: 'EUR',
  companyCode: null,
  segment: null,
  group: null,
  specialistId: null,
  strategy: null,
  scope: { specialistId: null, groupKeys: null },
};

/**
 * The `resp` CTE a build counts partners under. Its parameters: $1..$4 the responsibility
 * filter's (pass NULL for each), $7 the partners to restrict to (NULL: all); an aggregate's
 * statement numbers its own values around them ($5, $6, $8 and from $9 on).
 */
export function respSource(source: RespSource): string {
  if (source === 'stored')
    return `resp AS (SELECT partner_id, segment, group_key, strategy_key, specialist_id FROM analytics_snapshot_partners
      WHERE $1::text IS NULL AND $2::text IS NULL AND $3::text IS NULL AND $4::text[] IS NULL AND ($7::bigint[] IS NULL OR partner_id = ANY ($7::bigint[])))`;
  return responsibilityCte(new Params(), EVERYONE, {
    withSpecialist: false,
    companyCodeBySegment: false,
    partnerCondition: '($7::bigint[] IS NULL OR p.id = ANY ($7::bigint[]))',
  });
}
