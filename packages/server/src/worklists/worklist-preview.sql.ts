/**
 * The SQL of a preview, one statement: the rules over the kept fact rows (previewScoredSql), held
 * in a materialized CTE, then each segment's deal (distributeSql) into its run's table, the
 * items' columns read from the same scored rows, and what the run's statistics need, computed
 * from the rows as they are written: per segment the partners excluded, the items and amount to
 * be collected per band and per specialist and in all, and whether any amount found no rate.
 * The same rows and figures as a run's stage, deal and partitionStats, without the wide stage,
 * the temporary tables and the statements that read them again.
 */
import type { StrategyDocument } from '@recoup/rules';
import type { MemoryPart } from './worklist-preview-memory';
import { distributeSql, ITEM_COLUMNS, itemValuesSql, previewScoredSql, scoredSegmentColumn } from './worklist-run.sql';
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
 * The preview's statement over the fact rows of `factsTable`: the scored rows a run keeps (as its
 * stage does: those on a list, the excluded ones to count, any with an amount without a rate)
 * in memory, read by each segment's deal and by the figures. No temporary table: on the embedded
 * database each statement and each table created is a turn of its one session, on Postgres a
 * catalog entry and a heap written and read again.
 */
export function previewSql(document: StrategyDocument, factsTable: string, asOf: string, parts: PreviewPart[]): { text: string; values: unknown[] } {
  const deal = dealSql(asOf, parts);
  const scored = previewScoredSql(document, factsTable, deal.values.length);
  const scores = `${SCORES} AS MATERIALIZED (SELECT * FROM (${scored.text}) scored WHERE scored.on_list OR scored.excluded OR scored.w_fx_missing)`;
  return { text: `WITH ${scores},\n  ${deal.ctes}\n${deal.select}`, values: [...deal.values, ...scored.values] };
}

/** The name of the scored rows' CTE. */
const SCORES = 'preview_scores';

/** Each part's deal from the scored rows into its table, and the figures (the scored rows' CTE comes first). */
function dealSql(asOf: string, parts: PreviewPart[]): { ctes: string; select: string; values: unknown[] } {
  const values: unknown[] = [asOf];
  const param = (v: unknown) => `$${values.push(v)}`;
  const deals = parts.map((p) => ({ part: p, segment: param(p.segment), defaultGroup: param(p.defaultGroup) }));
  const segment = scoredSegmentColumn();
  const inserts = deals.map(
    ({ part, segment: segmentParam, defaultGroup }, i) =>
      `ins_${i} AS (${distributeSql(part.runId, SCORES, part.table, { asOf: '$1', segment: segmentParam, defaultGroup })}
  RETURNING ${i} AS part, priority, specialist_id, amount_to_be_collected)`,
  );
  const figures = deals.map(({ segment: segmentParam }, i) =>
    figuresSql(i, `(SELECT count(*)::integer FROM ${SCORES} s WHERE s.excluded AND s.${segment} = ${segmentParam}::text)`),
  );
  return {
    ctes: inserts.join(',\n  '),
    select: `SELECT EXISTS (SELECT 1 FROM ${SCORES} s WHERE s.w_fx_missing) AS fx_missing, json_build_array(${figures.join(', ')}) AS parts`,
    values,
  };
}

/** Each figure as partitionStats reads it from the run's table (same order, same text of sums), from the rows `ins_<i>` returned. */
function figuresSql(i: number, excluded: string): string {
  return `json_build_object(
    'excluded', ${excluded},
    'byPriority', (SELECT coalesce(json_agg(json_build_object('priority', b.priority, 'count', b.n, 'amountToBeCollected', b.amount) ORDER BY b.priority), '[]')
        FROM (SELECT priority, count(*)::integer AS n, sum(amount_to_be_collected)::text AS amount FROM ins_${i} GROUP BY priority) b),
    'bySpecialist', (SELECT coalesce(json_agg(json_build_object('specialistId', b.specialist_id::text, 'count', b.n, 'amountToBeCollected', b.amount)
          ORDER BY b.specialist_id NULLS LAST), '[]')
        FROM (SELECT specialist_id, count(*)::integer AS n, sum(amount_to_be_collected)::text AS amount FROM ins_${i} GROUP BY specialist_id) b),
    'amountToBeCollected', (SELECT coalesce(sum(amount_to_be_collected), 0)::text FROM ins_${i}))`;
}

/**
 * A preview scored and dealt in memory (worklist-preview-memory): each part's items written from
 * arrays (partner, specialist, origin, valuation, percent, priority, fired bits) joined to their
 * kept fact rows for the figures the items carry, and the same figures as previewSql answers.
 */
export function memoryPreviewSql(factsTable: string, parts: PreviewPart[], scored: MemoryPart[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (v: unknown) => `$${values.push(v)}`;
  const inserts = parts.map((part, i) => {
    const m = scored[i]!;
    const list = (values: ReadonlyArray<string | number | null>, type: string) =>
      `string_to_array(${param(values.map((v) => v ?? 'N').join(','))}, ',', 'N')::${type}[]`;
    // Bits behind a guard '1', so that no rule (an empty bit string) is not an empty element.
    const fired = `string_to_array(${param(m.fired.map((b) => `1${b}`).join(','))}, ',')`;
    const dealt = `unnest(${list(m.partnerIds, 'bigint')}, ${list(m.specialistIds, 'bigint')}, ${list(m.origins, 'text')}, ${list(m.valuations, 'integer')},
        ${list(m.percents, 'numeric')}, ${list(m.priorities, 'integer')}, ${fired})
        AS a(partner_id, specialist_id, origin, valuation, percent, priority, guarded_fired)`;
    const rows = `(SELECT f.*, a.specialist_id AS a_specialist_id, a.origin AS a_origin, a.valuation, a.percent, a.priority, substring(a.guarded_fired FROM 2)::varbit AS fired, NULL::varchar(10) AS arm
        FROM ${dealt} JOIN ${factsTable} f ON f.partner_id = a.partner_id) t`;
    return `ins_${i} AS (INSERT INTO ${part.table} (${ITEM_COLUMNS.join(', ')})
  SELECT ${itemValuesSql(part.runId, 't.a_specialist_id', 't.a_origin')} FROM ${rows}
  RETURNING priority, specialist_id, amount_to_be_collected)`;
  });
  const figures = scored.map((m, i) => figuresSql(i, `${param(m.excluded)}::integer`));
  return { text: `WITH ${inserts.join(',\n  ')}\nSELECT json_build_array(${figures.join(', ')}) AS parts`, values };
}
