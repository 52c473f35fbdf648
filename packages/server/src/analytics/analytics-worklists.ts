/**
 * Worklist analysis: per live run in the period (by its key date) and group, the partners and
 * amounts on the list per band (priority), items completed and reassigned, and the share of
 * partners worked within 1, 3 and 7 days of the run's key date (day 1 is the key date itself):
 * a contact, a promise or a dispute made, or a resubmission scheduled. Read from the kept figures
 * per run (analytics-snapshot-worklists.ts) when the snapshots cover the period's runs, else from
 * the mirror.
 */
import type { RequestContext } from '../graphql/context';
import { pageSize } from '../graphql/paging';
import { AnalyticsFxRateMissingError } from './analytics.errors';
import { percentOf, ZERO } from './analytics.figures';
import { checkedFilter, checkedGroupBy, type Filter } from './analytics.filter';
import { MAX_GROUPS } from './analytics.groups';
import { groupExpression, Params, rateSql, readRows, responsibilityCte, specialistCondition } from './analytics.sql';
import { snapshotConditions } from './analytics-contacts';
import { firstWorkCtes, WITHIN_COLUMNS, WORK_KINDS, WORKED_WITHIN_DAYS } from './analytics-snapshot-worklists';
import { covers, readableSnapshotState, worklistsState } from './analytics-snapshots';
import { AnalyticsGroupByEnum, type AnalyticsFilter, type WorkedWithin, type WorklistFigures, type WorklistReport } from './analytics.types';

const GROUPINGS = [AnalyticsGroupByEnum.SPECIALIST, AnalyticsGroupByEnum.GROUP, AnalyticsGroupByEnum.SEGMENT, AnalyticsGroupByEnum.STRATEGY];
export { WORKED_WITHIN_DAYS };
const KINDS = WORK_KINDS;
type Kind = (typeof KINDS)[number];

export interface WorklistArgs {
  filter: AnalyticsFilter;
  groupBy?: AnalyticsGroupByEnum | null;
  first?: number | null;
  /** Not in the schema: MIRROR reads the mirror even where the kept figures are current (to compare them). */
  source?: 'AUTO' | 'MIRROR';
}

type Row = {
  run_id: string;
  segment: string;
  as_of: string;
  dim: string | null;
  label: string | null;
  /** Null: the run and group's total. */
  priority: number | null;
  partners: number;
  amount: string;
  completed: number;
  reassigned: number;
  missing: string | null;
} & { [K in `${Kind}_${(typeof WORKED_WITHIN_DAYS)[number]}`]: number };

export async function worklistReport(ctx: RequestContext, args: WorklistArgs): Promise<WorklistReport> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  const groupBy = checkedGroupBy(args.groupBy, GROUPINGS, 'worklists');
  const first = pageSize(args.first, 100, MAX_GROUPS);
  const fromSnapshots = args.source !== 'MIRROR' && (await snapshotsCover(ctx, filter));
  const rows = fromSnapshots ? await readKeptWorklists(ctx, filter, groupBy) : await readWorklists(ctx, filter, groupBy);
  const missing = rows.find((r) => r.missing !== null);
  if (missing) throw new AnalyticsFxRateMissingError(filter.currency, [{ from: missing.missing!, on: missing.as_of }]);
  const totals = rows.filter((r) => r.priority === null);
  return {
    currency: filter.currency,
    groupBy,
    rows: totals.slice(0, first).map((total) => ({
      ...figuresOf(total),
      runId: total.run_id,
      segment: total.segment,
      asOf: total.as_of,
      group: { key: total.dim, label: total.label ?? total.dim },
      bands: rows
        .filter((r) => r.priority !== null && r.run_id === total.run_id && r.dim === total.dim)
        .map((band) => ({ priority: band.priority!, ...figuresOf(band) })),
    })),
    totalRows: totals.length,
  };
}

/** Which figures `worklistReport` would read from the kept figures for these arguments (the benchmark prints them): all or none. */
export async function worklistSnapshotFigures(ctx: RequestContext, args: WorklistArgs): Promise<string[]> {
  const filter = await checkedFilter(ctx, args.filter, args.source);
  if (args.source === 'MIRROR' || !(await snapshotsCover(ctx, filter))) return [];
  return ['partners, amounts, completed, reassigned and worked within N days (kept per run)'];
}

/**
 * Whether the snapshots cover the period's runs: current up to the last key date of a counted run
 * in the period (a period running to today is covered once its runs are), after moving the
 * partners noted as moved.
 */
async function snapshotsCover(ctx: RequestContext, f: Filter): Promise<boolean> {
  const [run]: Array<{ last: string | null }> = await ctx.db.dataSource.query(
    `SELECT max(as_of)::text AS last FROM worklist_runs WHERE mode = 'LIVE' AND status = 'SUCCEEDED' AND items_dropped_at IS NULL AND as_of BETWEEN $1 AND $2`,
    [f.from, f.to],
  );
  return covers(worklistsState(await readableSnapshotState(ctx.db)), f.from, run?.last ?? f.to, false);
}

/** Per run, group and band (and per run and group): what was on the list and how soon it was worked. */
async function readWorklists(ctx: RequestContext, f: Filter, groupBy: AnalyticsGroupByEnum | null): Promise<Row[]> {
  const p = new Params();
  const resp = responsibilityCte(p, f, { withSpecialist: false, companyCodeBySegment: true });
  const from = p.add(f.from, 'date');
  const to = p.add(f.to, 'date');
  const currency = p.add(f.currency, 'text');
  const horizon = Math.max(...WORKED_WITHIN_DAYS);
  const dim = groupExpression(groupBy, { [AnalyticsGroupByEnum.SPECIALIST]: 'w.specialist_id' });
  const label = labelOf(groupBy);
  const counts = WORKED_WITHIN_DAYS.flatMap((n) => KINDS.map((k) => `count(*) FILTER (WHERE x.${k} < ${n})::int AS ${k}_${n}`));
  const sql = `WITH ${resp},
  runs AS (SELECT r.id, r.segment_key, r.as_of, coalesce(r.currency, s.currency) AS currency
      FROM worklist_runs r JOIN collection_segments s ON s.key = r.segment_key
     WHERE r.mode = 'LIVE' AND r.status = 'SUCCEEDED' AND r.items_dropped_at IS NULL AND r.as_of BETWEEN ${from} AND ${to}),
  wi AS MATERIALIZED (SELECT w.run_id, w.partner_id, w.priority, w.amount_to_be_collected AS amount, w.completed_at IS NOT NULL AS completed,
        w.specialist_origin = 'TEMPORARY' AS reassigned, ru.segment_key, ru.as_of, ru.currency, ${dim} AS dim
      FROM worklist_items w JOIN runs ru ON ru.id = w.run_id JOIN resp r ON r.partner_id = w.partner_id
     WHERE ${specialistCondition(p, f, 'w.specialist_id')}),
  acts AS (SELECT partner_id, contact_date AS d, 'contacted' AS kind FROM contacts WHERE contact_date BETWEEN ${from} AND ${to} + ${horizon}
      UNION ALL SELECT partner_id, created_date, 'promised' FROM promises WHERE created_date BETWEEN ${from} AND ${to} + ${horizon}
      UNION ALL SELECT partner_id, created_date, 'disputed' FROM disputes WHERE created_date BETWEEN ${from} AND ${to} + ${horizon}
      UNION ALL SELECT partner_id, created_at::date, 'resubmitted' FROM resubmissions WHERE created_at::date BETWEEN ${from} AND ${to} + ${horizon}),
  ${firstWorkCtes(horizon)},
  rates AS MATERIALIZED (SELECT c.currency, c.as_of, ${rateSql('c.currency', currency, 'c.as_of')} AS rate FROM (SELECT DISTINCT currency, as_of FROM x) c)
  SELECT x.run_id::text AS run_id, min(x.segment_key) AS segment, min(x.as_of)::text AS as_of, x.dim, min(${label}) AS label, x.priority,
         count(*)::int AS partners, round(sum(x.amount * r.rate), 4)::text AS amount,
         count(*) FILTER (WHERE x.completed)::int AS completed, count(*) FILTER (WHERE x.reassigned)::int AS reassigned,
         min(x.currency::text) FILTER (WHERE r.rate IS NULL) AS missing,
         ${counts.join(',\n         ')}
    FROM x JOIN rates r ON r.currency = x.currency AND r.as_of = x.as_of
   GROUP BY GROUPING SETS ((x.run_id, x.dim, x.priority), (x.run_id, x.dim))
   ORDER BY min(x.as_of) DESC, x.run_id DESC, x.dim NULLS LAST, x.priority NULLS FIRST`;
  return readRows(ctx, sql, p.values);
}

/**
 * readWorklists' rows from the kept figures s: summed per run, group and band, then converted at
 * the run's key date (one rate per run: the sum of the converted rows is the converted sum, exact).
 * Groups and bands a partner moved out of net to zero partners and are dropped.
 */
async function readKeptWorklists(ctx: RequestContext, f: Filter, groupBy: AnalyticsGroupByEnum | null): Promise<Row[]> {
  const p = new Params();
  const from = p.add(f.from, 'date');
  const to = p.add(f.to, 'date');
  const currency = p.add(f.currency, 'text');
  const dim = groupBy === null ? 'NULL::text' : KEPT_GROUP[groupBy]!;
  const figures = ['partners', 'completed', 'reassigned', ...WITHIN_COLUMNS];
  const sql = `WITH x AS (SELECT s.run_id, s.run_segment AS segment_key, s.day AS as_of, s.currency, ${dim} AS dim, s.priority, sum(s.amount) AS amount,
        ${figures.map((c) => `sum(s.${c}) AS ${c}`).join(', ')}
      FROM analytics_worklist_runs s
     WHERE s.day BETWEEN ${from} AND ${to} AND ${snapshotConditions(p, f)}
     GROUP BY 1, 2, 3, 4, 5, 6),
  rates AS MATERIALIZED (SELECT c.currency, c.as_of, ${rateSql('c.currency', currency, 'c.as_of')} AS rate FROM (SELECT DISTINCT currency, as_of FROM x) c)
  SELECT x.run_id::text AS run_id, min(x.segment_key) AS segment, min(x.as_of)::text AS as_of, x.dim, min(${labelOf(groupBy)}) AS label, x.priority,
         round(sum(x.amount * r.rate), 4)::text AS amount, min(x.currency::text) FILTER (WHERE r.rate IS NULL) AS missing,
         ${figures.map((c) => `sum(x.${c})::int AS ${c}`).join(', ')}
    FROM x JOIN rates r ON r.currency = x.currency AND r.as_of = x.as_of
   GROUP BY GROUPING SETS ((x.run_id, x.dim, x.priority), (x.run_id, x.dim))
  HAVING sum(x.partners) <> 0
   ORDER BY min(x.as_of) DESC, x.run_id DESC, x.dim NULLS LAST, x.priority NULLS FIRST`;
  return readRows(ctx, sql, p.values);
}

/** A kept row's column for each grouping (none: one group, NULL). */
const KEPT_GROUP: Partial<Record<AnalyticsGroupByEnum, string>> = {
  [AnalyticsGroupByEnum.SPECIALIST]: 's.specialist_id::text',
  [AnalyticsGroupByEnum.GROUP]: 's.group_key::text',
  [AnalyticsGroupByEnum.SEGMENT]: 's.segment::text',
  [AnalyticsGroupByEnum.STRATEGY]: 's.strategy_key::text',
};

/** The label of group x.dim. */
function labelOf(groupBy: AnalyticsGroupByEnum | null): string {
  if (groupBy === AnalyticsGroupByEnum.SPECIALIST) return '(SELECT s.name FROM specialists s WHERE s.id::text = x.dim)';
  if (groupBy === AnalyticsGroupByEnum.GROUP) return '(SELECT g.name FROM collection_groups g WHERE g.key = x.dim)';
  if (groupBy === AnalyticsGroupByEnum.SEGMENT) return '(SELECT s.name FROM collection_segments s WHERE s.key = x.dim)';
  return 'x.dim';
}

function figuresOf(row: Row): Omit<WorklistFigures, 'runId' | 'segment' | 'asOf' | 'group' | 'bands'> {
  return {
    partners: row.partners,
    amountToBeCollected: row.amount ?? ZERO,
    completed: row.completed,
    reassigned: row.reassigned,
    within: WORKED_WITHIN_DAYS.map((days): WorkedWithin => ({
      days,
      worked: row[`worked_${days}`],
      workedPercent: percentOf(row[`worked_${days}`], row.partners),
      contacted: row[`contacted_${days}`],
      promised: row[`promised_${days}`],
      disputed: row[`disputed_${days}`],
      resubmitted: row[`resubmitted_${days}`],
    })),
  };
}
