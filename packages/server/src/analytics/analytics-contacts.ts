/**
 * Contact analysis over the period: contacts by channel, direction, result and specialist, the
 * reach rate and contacts per promise obtained. A contact counts for its author, else (imported
 * contacts carry none) for the partner's specialist. Read from the daily contacts of the analytics
 * snapshots (analytics-snapshot-contacts.ts) when they cover the period, else from the mirror.
 */
import type { RequestContext } from '../graphql/context';
import { decimal, percentOf } from './analytics.figures';
import { checkedFilter, checkedGroupBy, type Filter } from './analytics.filter';
import { groupsOf } from './analytics.groups';
import { groupExpression, Params, readRows, responsibilityCte, specialistCondition } from './analytics.sql';
import { covers, readableSnapshotState } from './analytics-snapshots';
import { AnalyticsGroupByEnum, type AnalyticsFilter, type ContactBreakdown, type ContactFigures, type ContactReport } from './analytics.types';

const GROUPINGS = [AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.GROUP, AnalyticsGroupByEnum.SEGMENT, AnalyticsGroupByEnum.STRATEGY];
/** Who a contact counts for. */
const ATTRIBUTED = 'coalesce(c.author_specialist_id, r.specialist_id)';

export interface ContactArgs {
  filter: AnalyticsFilter;
  groupBy?: AnalyticsGroupByEnum | null;
  first?: number | null;
  /** Not in the schema: MIRROR reads the mirror even where the snapshots are current (to compare them). */
  source?: 'AUTO' | 'MIRROR';
}

interface Row {
  kind: 'total' | 'channel' | 'direction' | 'result';
  dim: string | null;
  key: string | null;
  contacts: number;
  reached: number;
  promises: number;
}

export async function contactReport(ctx: RequestContext, args: ContactArgs): Promise<ContactReport> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  const groupBy = checkedGroupBy(args.groupBy, GROUPINGS, 'contacts');
  const fromSnapshots = args.source !== 'MIRROR' && (await snapshotsCover(ctx, filter));
  const rows = fromSnapshots ? await readSnapshotContacts(ctx, filter, groupBy) : await readContacts(ctx, filter, groupBy);
  const grouped = await groupsOf(
    ctx,
    groupBy,
    rows.filter((r) => r.kind === 'total').map((r) => r.dim),
    args.first,
    (dim) => figuresOf(rows.filter((r) => r.dim === dim)),
  );
  return { from: filter.from, to: filter.to, groupBy, rows: grouped.rows.map((g) => ({ group: g.group, ...g.value })), totalGroups: grouped.total };
}

/** Which figures `contactReport` would read from the daily snapshots for these arguments (the benchmark prints them): all or none. */
export async function contactSnapshotFigures(ctx: RequestContext, args: ContactArgs): Promise<string[]> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  if (args.source === 'MIRROR' || !(await snapshotsCover(ctx, filter))) return [];
  return ['contacts, reach and promises obtained (daily contacts)'];
}

/** Whether the snapshots cover the period's days, after moving the partners noted as moved (as the KPI report does). */
async function snapshotsCover(ctx: RequestContext, f: Filter): Promise<boolean> {
  return covers(await readableSnapshotState(ctx.db), f.from, f.to, false);
}

/**
 * Per group: contacts and reached ones in total and per channel, direction and result; and the
 * promises obtained: those a contact links, else the partner's promises made on the contact's day.
 */
async function readContacts(ctx: RequestContext, f: Filter, groupBy: AnalyticsGroupByEnum | null): Promise<Row[]> {
  const p = new Params();
  const resp = responsibilityCte(p, f, { withSpecialist: false, companyCodeBySegment: true });
  const from = p.add(f.from, 'date');
  const to = p.add(f.to, 'date');
  const dim = groupExpression(groupBy, { [AnalyticsGroupByEnum.SPECIALIST]: ATTRIBUTED });
  const sql = `WITH ${resp},
  cs AS MATERIALIZED (SELECT c.id, c.partner_id, c.contact_date, c.channel, c.direction, c.reached, c.result, c.promise_ids, ${dim} AS dim
      FROM contacts c JOIN resp r ON r.partner_id = c.partner_id
     WHERE c.contact_date BETWEEN ${from} AND ${to} AND ${specialistCondition(p, f, ATTRIBUTED)}),
  obtained AS (SELECT c.dim, count(DISTINCT q.id)::int AS promises FROM cs c JOIN promises q ON q.partner_id = c.partner_id
      AND CASE WHEN cardinality(c.promise_ids) > 0 THEN q.id = ANY (c.promise_ids) ELSE q.created_date = c.contact_date END
     GROUP BY c.dim),
  counted AS (SELECT CASE GROUPING(c.channel, c.direction, c.result) WHEN 7 THEN 'total' WHEN 3 THEN 'channel' WHEN 5 THEN 'direction' ELSE 'result' END AS kind,
        c.dim, coalesce(c.channel, c.direction, c.result) AS key, count(*)::int AS contacts, count(*) FILTER (WHERE c.reached)::int AS reached
      FROM cs c GROUP BY GROUPING SETS ((c.dim), (c.dim, c.channel), (c.dim, c.direction), (c.dim, c.result)))
  SELECT x.*, CASE WHEN x.kind = 'total' THEN coalesce(o.promises, 0) ELSE 0 END AS promises
    FROM counted x LEFT JOIN obtained o ON o.dim IS NOT DISTINCT FROM x.dim`;
  return readRows(ctx, sql, p.values);
}

/**
 * readContacts' rows from the daily contacts s. Promises obtained: the rows of a promise's first
 * day obtained within the period (its day before, `since`, is before it), per partner or, where a
 * specialist groups or filters the contacts, per specialist (a promise counts for each specialist
 * whose contacts obtained it, and once in a partner's group).
 */
async function readSnapshotContacts(ctx: RequestContext, f: Filter, groupBy: AnalyticsGroupByEnum | null): Promise<Row[]> {
  const p = new Params();
  const from = p.add(f.from, 'date');
  const to = p.add(f.to, 'date');
  const bySpecialist = groupBy === AnalyticsGroupByEnum.SPECIALIST || f.specialistId !== null || f.scope.specialistId !== null;
  const promiseKind = p.add(bySpecialist ? 'S' : 'P', 'text');
  const dim = groupBy === null ? 'NULL::text' : SNAPSHOT_GROUP[groupBy]!;
  // One scan: the contact rows and the promise rows of a first day within the period. The latter
  // have no channel, direction, result nor contacts: the groups they make alone are dropped.
  const sql = `WITH combos AS (SELECT ${dim} AS dim, s.channel, s.direction, s.result, sum(s.contacts) AS contacts, sum(s.reached) AS reached,
        sum(s.promises) AS promises
      FROM analytics_daily_contacts s
     WHERE s.day BETWEEN ${from} AND ${to} AND (s.kind = 'C' OR (s.kind = ${promiseKind} AND (s.since IS NULL OR s.since < ${from})))
       AND ${snapshotConditions(p, f)}
     GROUP BY 1, 2, 3, 4)
  SELECT CASE GROUPING(c.channel, c.direction, c.result) WHEN 7 THEN 'total' WHEN 3 THEN 'channel' WHEN 5 THEN 'direction' ELSE 'result' END AS kind,
         c.dim, coalesce(c.channel, c.direction, c.result) AS key, sum(c.contacts)::int AS contacts, sum(c.reached)::int AS reached,
         CASE GROUPING(c.channel, c.direction, c.result) WHEN 7 THEN sum(c.promises)::int ELSE 0 END AS promises
    FROM combos c
   GROUP BY GROUPING SETS ((c.dim), (c.dim, c.channel), (c.dim, c.direction), (c.dim, c.result))
  -- Also drops what a partner moved out of a dimension left there (rows that net to zero).
  HAVING sum(c.contacts) <> 0`;
  return readRows(ctx, sql, p.values);
}

/** A daily contacts row's column for each grouping (none: one group, NULL). */
const SNAPSHOT_GROUP: Partial<Record<AnalyticsGroupByEnum, string>> = {
  [AnalyticsGroupByEnum.SPECIALIST]: 's.specialist_id::text',
  [AnalyticsGroupByEnum.GROUP]: 's.group_key::text',
  [AnalyticsGroupByEnum.SEGMENT]: 's.segment::text',
  [AnalyticsGroupByEnum.STRATEGY]: 's.strategy_key::text',
};

/**
 * The filter and the caller's scope on daily contacts rows s, as responsibilityCte (company code by
 * segment) and specialistCondition apply them (also on the kept worklist figures, keyed alike).
 */
export function snapshotConditions(p: Params, f: Filter): string {
  const segment = p.add(f.segment, 'text');
  const group = p.add(f.group, 'text');
  const strategy = p.add(f.strategy, 'text');
  const groups = p.add(f.scope.groupKeys, 'text[]');
  const code = p.add(f.companyCode, 'text');
  return [
    `(${segment} IS NULL OR s.segment = ${segment})`,
    `(${group} IS NULL OR s.group_key = ${group})`,
    `(${strategy} IS NULL OR s.strategy_key = ${strategy})`,
    `(${groups} IS NULL OR s.group_key = ANY (${groups}))`,
    `(${code} IS NULL OR s.segment IN (SELECT c.segment_key FROM collection_segment_company_codes c WHERE c.company_code = ${code}))`,
    specialistCondition(p, f, 's.specialist_id'),
  ].join(' AND ');
}

function figuresOf(rows: Row[]): Omit<ContactFigures, 'group'> {
  const total = rows.find((r) => r.kind === 'total')!;
  const breakdown = (kind: Row['kind']): ContactBreakdown[] =>
    rows
      .filter((r) => r.kind === kind)
      .sort((a, b) => b.contacts - a.contacts || (a.key === null ? 1 : b.key === null ? -1 : a.key.localeCompare(b.key)))
      .map((r) => ({ key: r.key, contacts: r.contacts, reached: r.reached, reachPercent: percentOf(r.reached, r.contacts) }));
  return {
    contacts: total.contacts,
    reached: total.reached,
    reachPercent: percentOf(total.reached, total.contacts),
    promisesObtained: total.promises,
    contactsPerPromise: decimal({ num: BigInt(total.contacts), den: BigInt(total.promises) }),
    byChannel: breakdown('channel'),
    byDirection: breakdown('direction'),
    byResult: breakdown('result'),
  };
}
