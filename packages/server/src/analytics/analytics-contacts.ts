/**
 * Contact analysis over the period: contacts by channel, direction, result and specialist, the
 * reach rate and contacts per promise obtained. A contact counts for its author, else (imported
 * contacts carry none) for the partner's specialist.
 */
import type { RequestContext } from '../graphql/context';
import { decimal, percentOf } from './analytics.figures';
import { checkedFilter, checkedGroupBy, type Filter } from './analytics.filter';
import { groupsOf } from './analytics.groups';
import { groupExpression, Params, readRows, responsibilityCte, specialistCondition } from './analytics.sql';
import { AnalyticsGroupByEnum, type AnalyticsFilter, type ContactBreakdown, type ContactFigures, type ContactReport } from './analytics.types';

const GROUPINGS = [AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.GROUP, AnalyticsGroupByEnum.SEGMENT, AnalyticsGroupByEnum.STRATEGY];
/** Who a contact counts for. */
const ATTRIBUTED = 'coalesce(c.author_specialist_id, r.specialist_id)';

export interface ContactArgs {
  filter: AnalyticsFilter;
  groupBy?: AnalyticsGroupByEnum | null;
  first?: number | null;
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
  const filter = await checkedFilter(ctx, args.filter);
  const groupBy = checkedGroupBy(args.groupBy, GROUPINGS, 'contacts');
  const rows = await readContacts(ctx, filter, groupBy);
  const grouped = await groupsOf(
    ctx,
    groupBy,
    rows.filter((r) => r.kind === 'total').map((r) => r.dim),
    args.first,
    (dim) => figuresOf(rows.filter((r) => r.dim === dim)),
  );
  return { from: filter.from, to: filter.to, groupBy, rows: grouped.rows.map((g) => ({ group: g.group, ...g.value })), totalGroups: grouped.total };
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
