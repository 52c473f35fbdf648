/**
 * SQL shared by the reports: parameters (values never enter the text), the partners in scope with
 * today's responsibility for them, grouping expressions and the conversion into the reporting
 * currency. Each report's own statement lives beside its service.
 */
import type { RequestContext } from '../graphql/context';
import type { Filter } from './analytics.filter';
import { AnalyticsGroupByEnum } from './analytics.types';

/** Collects a statement's values; `add` returns the typed placeholder. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/**
 * `resp`: every partner in scope (filter and the caller's groups) with its segment, collection
 * group (its own, else its segment's only group), the group's strategy and its specialist (fixed,
 * else of its item on the segment's live worklist). `withSpecialist`: the specialist filter and
 * a SPECIALIST caller's own scope apply to that specialist (reports that attribute figures to
 * someone else, e.g. a contact's author, apply them themselves). `companyCodeBySegment`: reports
 * without items keep the partners of the segments covering the company code. With
 * `f.storedResponsibility` the same rows are read from the snapshots' copy
 * (analytics_snapshot_partners), which checkedFilter found current.
 */
export function responsibilityCte(
  p: Params,
  f: Filter,
  options: { withSpecialist: boolean; companyCodeBySegment: boolean; partnerCondition?: string },
): string {
  // Stored: the snapshots' copy (one row per partner, already resolved); else computed from the partners.
  const c = f.storedResponsibility
    ? { segment: 's.segment', group: 's.group_key', strategy: 's.strategy_key', specialist: 's.specialist_id' }
    : { segment: 'p.segment', group: 'g.key', strategy: 'g.strategy_key', specialist: 'coalesce(p.specialist_id, l.specialist_id)' };
  const conditions = responsibilityConditions(p, f, c);
  if (options.withSpecialist) conditions.push(specialistCondition(p, f, c.specialist));
  if (options.companyCodeBySegment) conditions.push(companyCodeBySegmentCondition(p, f, c.segment));
  // A restriction to some partners (a condition on p.id; on s.partner_id with the stored responsibility).
  if (options.partnerCondition) conditions.push(options.partnerCondition);
  if (f.storedResponsibility) {
    return `resp AS MATERIALIZED (SELECT s.partner_id, s.segment, s.group_key, s.strategy_key, s.specialist_id
    FROM analytics_snapshot_partners s
   WHERE ${conditions.join('\n     AND ')})`;
  }
  return `only_group AS (SELECT segment_key, min(key) AS key FROM collection_groups GROUP BY segment_key HAVING count(*) = 1),
  live AS (SELECT w.partner_id, w.specialist_id FROM worklist_items w WHERE w.run_id IN (SELECT live_run_id FROM collection_segments WHERE live_run_id IS NOT NULL)),
  resp AS MATERIALIZED (SELECT p.id AS partner_id, p.segment, g.key AS group_key, g.strategy_key,
      ${c.specialist} AS specialist_id
    FROM partners p
    LEFT JOIN only_group og ON og.segment_key = p.segment
    LEFT JOIN collection_groups g ON g.key = coalesce(p.collection_group_key, og.key)
    LEFT JOIN live l ON l.partner_id = p.id
   WHERE ${conditions.join('\n     AND ')})`;
}

/**
 * The segment, group and strategy filters and a SUPERVISOR's groups on responsibility columns
 * `c`: the partners' (responsibilityCte) or those kept with an aggregate's rows.
 */
export function responsibilityConditions(p: Params, f: Filter, c: { segment: string; group: string; strategy: string }): string[] {
  const segment = p.add(f.segment, 'text');
  const group = p.add(f.group, 'text');
  const strategy = p.add(f.strategy, 'text');
  const groups = p.add(f.scope.groupKeys, 'text[]');
  return [
    `(${segment} IS NULL OR ${c.segment} = ${segment})`,
    `(${group} IS NULL OR ${c.group} = ${group})`,
    `(${strategy} IS NULL OR ${c.strategy} = ${strategy})`,
    `(${groups} IS NULL OR ${c.group} = ANY (${groups}))`,
  ];
}

/** The company code filter for reports without items: the partners of the segments covering the code (segment column `segment`). */
export function companyCodeBySegmentCondition(p: Params, f: Filter, segment: string): string {
  const code = p.add(f.companyCode, 'text');
  return `(${code} IS NULL OR ${segment} IN (SELECT c.segment_key FROM collection_segment_company_codes c WHERE c.company_code = ${code}))`;
}

/** The specialist filter and a SPECIALIST caller's own scope on the specialist column `column`. */
export function specialistCondition(p: Params, f: Filter, column: string): string {
  const chosen = p.add(f.specialistId, 'bigint');
  const own = p.add(f.scope.specialistId, 'bigint');
  return `(${chosen} IS NULL OR ${column} = ${chosen}) AND (${own} IS NULL OR ${column} = ${own})`;
}

/** The company code filter on an item column (NULL item: kept only without the filter). */
export function companyCodeCondition(p: Params, f: Filter, column: string): string {
  const code = p.add(f.companyCode, 'text');
  return `(${code} IS NULL OR ${column} = ${code})`;
}

/**
 * The grouping expression over `resp` r, an item i (company code, profit centre) or a report's
 * own columns (`own`: e.g. the contact author as SPECIALIST, the promise level as LEVEL); NULL
 * (one group) without a grouping.
 */
export function groupExpression(groupBy: AnalyticsGroupByEnum | null, own: Partial<Record<AnalyticsGroupByEnum, string>> = {}): string {
  if (groupBy === null) return 'NULL::text';
  const ownColumn = own[groupBy];
  if (ownColumn) return `(${ownColumn})::text`;
  switch (groupBy) {
    case AnalyticsGroupByEnum.SEGMENT:
      return 'r.segment::text';
    case AnalyticsGroupByEnum.GROUP:
      return 'r.group_key::text';
    case AnalyticsGroupByEnum.STRATEGY:
      return 'r.strategy_key::text';
    case AnalyticsGroupByEnum.SPECIALIST:
      return 'r.specialist_id::text';
    case AnalyticsGroupByEnum.COMPANY_CODE:
      return 'i.company_code::text';
    case AnalyticsGroupByEnum.PROFIT_CENTER:
      return 'i.profit_center::text';
    case AnalyticsGroupByEnum.LEVEL:
      throw new Error('LEVEL groups promises only');
    case AnalyticsGroupByEnum.CURRENCY:
      throw new Error('CURRENCY groups by a report’s own document column only');
  }
}

/**
 * The factor from currency `currency` into the reporting currency `to` at date `on` (SQL
 * expressions); NULL without a rate. Reports compute it once per currency and date in a
 * MATERIALIZED CTE: inlined, the lookup ran once per joined row (51k lookups for 2.5k pairs). `to` is compared as char(3), the column's type, so the
 * lookup is one probe of the fx_rates key.
 */
export function rateSql(currency: string, to: string, on: string): string {
  return `CASE WHEN ${currency}::text = ${to}::text THEN 1::numeric ELSE (SELECT f.rate FROM fx_rates f
      WHERE f.from_currency = ${currency} AND f.to_currency = ${to}::text::char(3) AND f.rate_date <= ${on} ORDER BY f.rate_date DESC LIMIT 1) END`;
}

/**
 * Runs a report's statement. On Postgres without JIT: the fx lookups per row give the planner
 * estimates in the millions, and compiling the plan took seconds on statements that run in
 * milliseconds (the worklist runs and previews turn it off alike); with memory enough for the
 * aggregates over a mirror's payments to hash rather than sort on disk. `indexLookups`: a
 * statement that looks up few rows of big tables (a period's promises, their items and
 * payments) is planned with index lookups priced as on a cached mirror (random_page_cost 1.1,
 * as the worklist jobs): the default price chose whole-table hash joins, twice as slow.
 */
export async function readRows<T>(ctx: RequestContext, sql: string, values: unknown[], options: { indexLookups?: boolean } = {}): Promise<T[]> {
  if (ctx.db.kind !== 'postgres') return ctx.db.dataSource.query(sql, values);
  return ctx.db.dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'${options.indexLookups ? '; SET LOCAL random_page_cost = 1.1' : ''}`);
    return manager.query(sql, values);
  });
}
