/**
 * Simulation: a strategy document previewed on the AR mirror (PREVIEW runs of the worklist
 * engine, so the figures are exactly what a live run would produce; the live lists stay) and
 * two documents compared partner by partner.
 */
import { factKeysOf, validateStrategy, type StrategyDocument } from '@recoup/rules';
import { fromUnits, toUnits } from '../fx/money';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError } from '../graphql/errors';
import { decodeCursor, encodeCursor, pageOf, pageSize } from '../graphql/paging';
import {
  itemsPage,
  runWorklist,
  runWorklists,
  validKeyDate,
  worklistReadiness,
  type PriorityFigure,
  type SpecialistLoad,
  type WorklistFilter,
  type WorklistItemConnection,
  type WorklistOrder,
  type WorklistRunResult,
} from '../worklists';
import type { ComparisonSide, MigrationCell, PartnerMoveConnection, StrategyComparison, WorklistPreview } from './preview.types';

export interface PreviewItemsArgs {
  first?: number | null;
  after?: string | null;
  orderBy?: WorklistOrder | null;
  filter?: WorklistFilter | null;
}

/** The document, or BAD_USER_INPUT naming the first problem's JSON path under the argument (`strategy.rules[3]…`). */
export function validDocument(input: unknown, argument: string): StrategyDocument {
  const result = validateStrategy(input);
  if (result.valid) return result.document;
  const first = result.errors[0]!;
  throw new BadUserInputError(`Invalid strategy: ${first.message}`, first.path ? `${argument}.${first.path}` : argument);
}

/** Exact sum of amounts (decimal strings of up to 4 decimals, the money scale), as a 4-decimal string. */
function sumMoney(values: string[]): string {
  return fromUnits(values.reduce((total, v) => total + toUnits(v), 0n));
}

function byPriority(results: WorklistRunResult[]): PriorityFigure[] {
  const bands = new Map<number, { count: number; amounts: string[] }>();
  for (const r of results) {
    for (const b of r.stats.byPriority) {
      const band = bands.get(b.priority) ?? { count: 0, amounts: [] };
      band.count += b.count;
      band.amounts.push(b.amountToBeCollected ?? '0');
      bands.set(b.priority, band);
    }
  }
  return [...bands].sort(([a], [b]) => a - b).map(([priority, b]) => ({ priority, count: b.count, amountToBeCollected: sumMoney(b.amounts) }));
}

function bySpecialist(results: WorklistRunResult[]): SpecialistLoad[] {
  const loads = new Map<string | null, { count: number; amounts: string[] }>();
  for (const r of results) {
    for (const s of r.stats.bySpecialist) {
      const id = s.specialistId === null ? null : String(s.specialistId);
      const load = loads.get(id) ?? { count: 0, amounts: [] };
      load.count += s.count;
      load.amounts.push(s.amountToBeCollected ?? '0');
      loads.set(id, load);
    }
  }
  return [...loads]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : Number(BigInt(a) - BigInt(b))))
    .map(([specialistId, l]) => ({ specialistId, count: l.count, amountToBeCollected: sumMoney(l.amounts) }));
}

/**
 * previewWorklist (DESIGN.md). Without a segment, every segment worked by a collection group is
 * previewed (runWorklists: one scoring pass for all), or every segment with partners while no
 * group works any; the figures are combined, and items page across the segments' preview runs in
 * worklist order. The readiness findings of the segments come along as warnings, so a preview
 * on an unconfigured organisation says why nothing is assigned. A preview scored in memory answers
 * before the rest of its items are written (worklist-deferred-items).
 */
export async function previewWorklist(ctx: RequestContext, strategy: unknown, asOf: string, segment?: string | null): Promise<WorklistPreview> {
  const document = validDocument(strategy, 'strategy');
  validKeyDate(asOf);
  const readiness = await worklistReadiness(ctx.db, segment ? [segment] : null);
  // The figures and the top of the list answer at once; the rest of the items follow (reads of the runs wait for them).
  const results = segment
    ? [await runWorklist(ctx.db, { segment, asOf, mode: 'PREVIEW', document, deferItems: true, itemsAfter: ctx.answered })]
    : await runWorklists(ctx.db, { segments: readiness.previewSegments, asOf, mode: 'PREVIEW', document, deferItems: true, itemsAfter: ctx.answered });
  return {
    warnings: readiness.warnings,
    asOf,
    segments: results.map((r) => r.segment),
    runIds: results.map((r) => r.runId),
    partnersEvaluated: results.reduce((n, r) => n + r.partnersEvaluated, 0),
    partners: results.reduce((n, r) => n + r.partnersOnList, 0),
    excluded: results.reduce((n, r) => n + r.partnersExcluded, 0),
    amountToBeCollected: sumMoney(results.map((r) => r.stats.amountToBeCollected ?? '0')),
    byPriority: byPriority(results),
    bySpecialist: bySpecialist(results),
  };
}

function side(result: WorklistRunResult): ComparisonSide {
  return {
    runId: result.runId,
    partners: result.partnersOnList,
    excluded: result.partnersExcluded,
    amountToBeCollected: result.stats.amountToBeCollected ?? '0.0000',
    byPriority: byPriority([result]),
    bySpecialist: bySpecialist([result]),
  };
}

/** Both documents previewed on the segment at the key date, and the priority migration between them. */
export async function compareStrategies(ctx: RequestContext, a: unknown, b: unknown, asOf: string, segment: string): Promise<StrategyComparison> {
  const docA = validDocument(a, 'a');
  const docB = validDocument(b, 'b');
  validKeyDate(asOf);
  // One after the other: runs on one segment are serialised by the engine anyway. The first keeps
  // the facts of both (when they value alike: same currency and ageing), so the second scores them again.
  const runA = await runWorklist(ctx.db, { segment, asOf, mode: 'PREVIEW', document: docA, keepFacts: factKeysOf(docB) });
  const runB = await runWorklist(ctx.db, { segment, asOf, mode: 'PREVIEW', document: docB });
  const cells = await migrationCounts(ctx, runA.runId, runB.runId);
  return {
    asOf,
    segment,
    partnersEvaluated: runA.partnersEvaluated,
    a: side(runA),
    b: side(runB),
    matrix: migrationMatrix(docA, docB, cells, runA.partnersEvaluated),
    movedCount: cells.filter((r) => r.from_priority !== r.to_priority).reduce((n, r) => n + r.count, 0),
  };
}

/**
 * The previewed items, a page at a time, across the preview's runs (access decided by the
 * preview's own access). Planned for these runs each time: a prepared statement's plan covers
 * every table of worklist_items, and each new preview's table makes it plan again anyway.
 */
export function previewItems(ctx: RequestContext, preview: WorklistPreview, args: PreviewItemsArgs): Promise<WorklistItemConnection> {
  return itemsPage(ctx.db, preview.runIds, args, { planned: 'each time' });
}

/** The partners whose priority differs between the two runs, by partner id (cursor: the partner id, valid across re-runs). */
export async function movedPartners(
  ctx: RequestContext,
  comparison: StrategyComparison,
  first?: number | null,
  after?: string | null,
): Promise<PartnerMoveConnection> {
  const n = pageSize(first);
  const values: unknown[] = [comparison.a.runId, comparison.b.runId];
  let keyset = '';
  if (after) {
    const [id] = decodeCursor(after, 'MOVED', 1);
    values.push(String(id));
    keyset = ` AND coalesce(a.partner_id, b.partner_id) > $3::bigint`;
  }
  const rows: MovedRow[] =
    n === 0
      ? []
      : await ctx.db.dataSource.query(
          `SELECT coalesce(a.partner_id, b.partner_id)::text AS partner_id, a.priority AS from_priority, b.priority AS to_priority,
        a.valuation AS valuation_a, b.valuation AS valuation_b, coalesce(b.amount_to_be_collected, a.amount_to_be_collected)::text AS amount
       FROM (SELECT * FROM worklist_items WHERE run_id = $1) a
       FULL JOIN (SELECT * FROM worklist_items WHERE run_id = $2) b ON b.partner_id = a.partner_id
      WHERE a.priority IS DISTINCT FROM b.priority${keyset}
      ORDER BY 1 LIMIT ${n + 1}`,
          values,
        );
  return pageOf(
    rows,
    n,
    (r) => encodeCursor('MOVED', [r.partner_id]),
    (r) => ({
      partnerId: r.partner_id,
      from: r.from_priority,
      to: r.to_priority,
      valuationA: r.valuation_a,
      valuationB: r.valuation_b,
      amountToBeCollected: r.amount,
    }),
  );
}

// ---- steps --------------------------------------------------------------------------------

interface MigrationCount {
  from_priority: number | null;
  to_priority: number | null;
  count: number;
  amount_a: string;
  amount_b: string;
}
interface MovedRow {
  partner_id: string;
  from_priority: number | null;
  to_priority: number | null;
  valuation_a: number | null;
  valuation_b: number | null;
  amount: string | null;
}

/** Partners and their amounts per (priority under a, priority under b), null for off the list; partners on neither list are not counted. */
function migrationCounts(ctx: RequestContext, runA: string, runB: string): Promise<MigrationCount[]> {
  return ctx.db.dataSource.query(
    `SELECT a.priority AS from_priority, b.priority AS to_priority, count(*)::integer AS count,
        coalesce(sum(a.amount_to_be_collected), 0)::text AS amount_a, coalesce(sum(b.amount_to_be_collected), 0)::text AS amount_b
       FROM (SELECT partner_id, priority, amount_to_be_collected FROM worklist_items WHERE run_id = $1) a
       FULL JOIN (SELECT partner_id, priority, amount_to_be_collected FROM worklist_items WHERE run_id = $2) b ON b.partner_id = a.partner_id
      GROUP BY 1, 2`,
    [runA, runB],
  );
}

/** The dense matrix: a's bands and null by b's bands and null; the null/null cell counts the partners on neither list. */
function migrationMatrix(docA: StrategyDocument, docB: StrategyDocument, cells: MigrationCount[], partnersEvaluated: number): MigrationCell[] {
  const key = (from: number | null, to: number | null) => `${from}:${to}`;
  const found = new Map(cells.map((r) => [key(r.from_priority, r.to_priority), r]));
  const onEither = cells.reduce((n, r) => n + r.count, 0);
  const bandsA: Array<number | null> = [...docA.priorities.map((p) => p.priority).sort((x, y) => x - y), null];
  const bandsB: Array<number | null> = [...docB.priorities.map((p) => p.priority).sort((x, y) => x - y), null];
  const matrix: MigrationCell[] = [];
  for (const from of bandsA) {
    for (const to of bandsB) {
      const r = found.get(key(from, to));
      // Partners on neither list: the segment's partners less those on either.
      const count = from === null && to === null ? partnersEvaluated - onEither : (r?.count ?? 0);
      matrix.push({
        from,
        to,
        count,
        amountToBeCollectedA: r ? sumMoney([r.amount_a]) : '0.0000',
        amountToBeCollectedB: r ? sumMoney([r.amount_b]) : '0.0000',
      });
    }
  }
  return matrix;
}
