/**
 * The SQL of a preview: the rules over the kept fact rows into a narrow table of scores (what
 * the deal reads: previewScoredSql), then one statement with each segment's deal (distributeSql)
 * into its run's table, the items' other columns read from the fact rows for the partners on a
 * list only, and what the run's statistics need, computed from the rows as they are written:
 * per segment the partners excluded, the items and amount to be collected per band and per
 * specialist and in all, and whether any amount found no rate. The same rows and figures as a
 * run's stage, deal and partitionStats, without the wide stage and the statements that read it
 * again.
 */
import type { StrategyDocument } from '@recoup/rules';
import { distributeSql, previewItemRowsSql, previewScoredSql, scoredSegmentColumn } from './worklist-run.sql';
import type { WorklistRunStats } from './worklist.entity';

/** A segment's run and the (unattached) table its items go to. */
export interface PreviewPart {
  runId: string;
  table: string;
  segment: string;
  defaultGroup: string | null;
}

/** What the statement answers, per part in the order given. */
export interface PreviewFigures {
  fxMissing: boolean;
  parts: Array<{ excluded: number } & Pick<WorklistRunStats, 'byPriority' | 'bySpecialist' | 'amountToBeCollected'>>;
}

/**
 * The scored rows a run keeps (as its stage does: those on a list, the excluded ones to count,
 * any with an amount without a rate), narrow: what the deal and the figures read.
 */
export function previewScoresSql(document: StrategyDocument, factsTable: string): { text: string; values: unknown[] } {
  const scored = previewScoredSql(document, factsTable, 0);
  return { text: `SELECT * FROM (${scored.narrow}) scored WHERE scored.on_list OR scored.excluded OR scored.w_fx_missing`, values: scored.values };
}

/** Each part's deal from the scored rows of `scoresTable` into its table, its items completed from the fact rows, and the figures. */
export function previewDealSql(scoresTable: string, factsTable: string, asOf: string, parts: PreviewPart[]): { text: string; values: unknown[] } {
  const values: unknown[] = [asOf];
  const param = (v: unknown) => `$${values.push(v)}`;
  const deals = parts.map((p) => ({ part: p, segment: param(p.segment), defaultGroup: param(p.defaultGroup) }));
  const items = `(${previewItemRowsSql(scoresTable, factsTable)})`;
  const segment = scoredSegmentColumn();
  const inserts = deals.map(
    ({ part, segment: segmentParam, defaultGroup }, i) =>
      `ins_${i} AS (${distributeSql(part.runId, scoresTable, part.table, { asOf: '$1', segment: segmentParam, defaultGroup }, items)}
  RETURNING ${i} AS part, priority, specialist_id, amount_to_be_collected)`,
  );
  // Each figure as partitionStats reads it from the run's table (same order, same text of sums).
  const figures = deals.map(
    ({ segment: segmentParam }, i) => `json_build_object(
    'excluded', (SELECT count(*)::integer FROM ${scoresTable} s WHERE s.excluded AND s.${segment} = ${segmentParam}::text),
    'byPriority', (SELECT coalesce(json_agg(json_build_object('priority', b.priority, 'count', b.n, 'amountToBeCollected', b.amount) ORDER BY b.priority), '[]')
        FROM (SELECT priority, count(*)::integer AS n, sum(amount_to_be_collected)::text AS amount FROM ins_${i} GROUP BY priority) b),
    'bySpecialist', (SELECT coalesce(json_agg(json_build_object('specialistId', b.specialist_id::text, 'count', b.n, 'amountToBeCollected', b.amount)
          ORDER BY b.specialist_id NULLS LAST), '[]')
        FROM (SELECT specialist_id, count(*)::integer AS n, sum(amount_to_be_collected)::text AS amount FROM ins_${i} GROUP BY specialist_id) b),
    'amountToBeCollected', (SELECT coalesce(sum(amount_to_be_collected), 0)::text FROM ins_${i}))`,
  );
  const text = `WITH ${inserts.join(',\n  ')}
SELECT EXISTS (SELECT 1 FROM ${scoresTable} s WHERE s.w_fx_missing) AS fx_missing, json_build_array(${figures.join(', ')}) AS parts`;
  return { text, values };
}
