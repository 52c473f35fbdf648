/**
 * The SQL of a preview's scoring and deal in one statement: the rules over the kept fact rows,
 * each segment's deal (distributeSql) into its run's table, and what the run's statistics need,
 * computed from the rows as they are written: per segment the partners excluded, the items and
 * amount to be collected per band and per specialist and in all, and whether any amount found
 * no rate. The same rows and figures as a run's stage, deal and partitionStats, without the
 * stage table and the statements that read it again; and the columns a partner off the list
 * never shows are read only for those on it (previewScoredSql).
 */
import type { StrategyDocument } from '@recoup/rules';
import { distributeSql, previewScoredSql, scoredSegmentColumn } from './worklist-run.sql';
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
 * any with an amount without a rate), narrow and materialised once; each part's deal reads them
 * and its items complete them from the fact rows.
 */
export function previewScoringSql(document: StrategyDocument, factsTable: string, asOf: string, parts: PreviewPart[]): { text: string; values: unknown[] } {
  const values: unknown[] = [asOf];
  const param = (v: unknown) => `$${values.push(v)}`;
  const deals = parts.map((p) => ({ part: p, segment: param(p.segment), defaultGroup: param(p.defaultGroup) }));
  const scored = previewScoredSql(document, factsTable, values.length);
  values.push(...scored.values);
  const segment = scoredSegmentColumn();
  const inserts = deals.map(
    ({ part, segment: segmentParam, defaultGroup }, i) =>
      `ins_${i} AS (${distributeSql(part.runId, 'scored', part.table, { asOf: '$1', segment: segmentParam, defaultGroup }, `(${scored.wide('scored')})`)}
  RETURNING ${i} AS part, priority, specialist_id, amount_to_be_collected)`,
  );
  // Each figure as partitionStats reads it from the run's table (same order, same text of sums).
  const figures = deals.map(
    ({ segment: segmentParam }, i) => `json_build_object(
    'excluded', (SELECT count(*)::integer FROM scored WHERE scored.excluded AND scored.${segment} = ${segmentParam}::text),
    'byPriority', (SELECT coalesce(json_agg(json_build_object('priority', b.priority, 'count', b.n, 'amountToBeCollected', b.amount) ORDER BY b.priority), '[]')
        FROM (SELECT priority, count(*)::integer AS n, sum(amount_to_be_collected)::text AS amount FROM ins_${i} GROUP BY priority) b),
    'bySpecialist', (SELECT coalesce(json_agg(json_build_object('specialistId', b.specialist_id::text, 'count', b.n, 'amountToBeCollected', b.amount)
          ORDER BY b.specialist_id NULLS LAST), '[]')
        FROM (SELECT specialist_id, count(*)::integer AS n, sum(amount_to_be_collected)::text AS amount FROM ins_${i} GROUP BY specialist_id) b),
    'amountToBeCollected', (SELECT coalesce(sum(amount_to_be_collected), 0)::text FROM ins_${i}))`,
  );
  const text = `WITH scored AS MATERIALIZED (SELECT * FROM (${scored.narrow}) scored WHERE scored.on_list OR scored.excluded OR scored.w_fx_missing),
  ${inserts.join(',\n  ')}
SELECT EXISTS (SELECT 1 FROM scored WHERE scored.w_fx_missing) AS fx_missing, json_build_array(${figures.join(', ')}) AS parts`;
  return { text, values };
}
