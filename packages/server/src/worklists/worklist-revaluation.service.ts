/**
 * Dynamic update: after a payment, promise, dispute, contact or resubmission the partner's item
 * on the live worklist of its segment is valuated again at once, in the caller's transaction,
 * with the live run's strategy version. The key date is the run's, or the event's date when
 * that is later (a payment made today counts today). A partner who no longer qualifies leaves
 * the list; one who newly qualifies joins it with a specialist (fixed, else the least loaded of
 * the group, substitutes applied).
 */
import { assertValidStrategy, type StrategyDocument } from '@recoup/rules';
import type { EntityManager } from 'typeorm';
import { armOf } from './worklist-arm';
import { experimentForRun } from './worklist-experiment';
import { armRowsSql, ITEM_COLUMNS, itemValuesSql, scoredRowsSql, SPECIALISTS_AT_SQL, type ArmSplit } from './worklist-run.sql';

export interface Revaluation {
  runId: string;
  partnerId: string;
  asOf: string;
  /** On the live list after the update. */
  onList: boolean;
  valuation: number | null;
  priority: number | null;
}

/**
 * Working the list completes the partner's live item: a promise or a dispute made on or after the
 * run's key date (a completing contact result does the same, contact.service). History imported
 * from before the key date does not. An item completed earlier keeps its first completion time.
 */
export async function completeLiveItem(m: EntityManager, revaluation: Revaluation | null, eventDate: string): Promise<boolean> {
  if (!revaluation?.onList || eventDate < revaluation.asOf) return false;
  await m.query(`UPDATE worklist_items SET completed_at = coalesce(completed_at, now()) WHERE run_id = $1 AND partner_id = $2`, [
    revaluation.runId,
    revaluation.partnerId,
  ]);
  return true;
}

/** A promise or dispute made for the partner: re-valuate, then complete the live item when due. */
export async function revaluateWorkedPartner(m: EntityManager, partnerId: string, eventDate: string): Promise<Revaluation | null> {
  const revaluation = await revaluatePartner(m, partnerId, eventDate);
  await completeLiveItem(m, revaluation, eventDate);
  return revaluation;
}

export async function revaluatePartner(m: EntityManager, partnerId: string, eventDate?: string): Promise<Revaluation | null> {
  const [live]: Array<{
    segment: string;
    run_id: string;
    as_of: string;
    document: unknown;
    group_key: string | null;
    experiment_id: string | null;
    rule_count: number;
  }> = await m.query(
    `SELECT p.segment, r.id AS run_id, r.as_of, v.document, r.experiment_id::text AS experiment_id, jsonb_array_length(coalesce(r.rules, '[]')) AS rule_count,
        coalesce((SELECT g.key FROM collection_groups g WHERE g.key = p.collection_group_key AND g.active),
          (SELECT min(g.key) FROM collection_groups g WHERE g.segment_key = p.segment AND g.active)) AS group_key
       FROM partners p
       JOIN collection_segments s ON s.key = p.segment
       JOIN worklist_runs r ON r.id = s.live_run_id
       JOIN strategy_versions v ON v.id = r.strategy_version_id
      WHERE p.id = $1`,
    [partnerId],
  );
  if (!live) return null;
  const asOf = eventDate && eventDate > live.as_of ? eventDate : live.as_of;
  const champion = assertValidStrategy(live.document);
  const { document, split } = await armScoring(m, live, champion, partnerId);
  const scored = armRowsSql(scoredRowsSql(document, { asOf, partnerIds: [partnerId] }), split);
  const n = scored.values.length;
  const runId = String(BigInt(live.run_id));
  // $n+1 key date, $n+2 segment, $n+3 the partner's group: the specialist of an item new to the
  // list (an item already on it keeps its specialist).
  const spec = SPECIALISTS_AT_SQL.replace(/\$1::date/g, `$${n + 1}::date`).replace(/\$2::text/g, `$${n + 2}::text`);
  const rows: Array<{ valuation: number; priority: number }> = await m.query(
    `WITH t AS (${scored.text}),
      spec AS (${spec}),
      fixed AS (SELECT CASE WHEN NOT sp.absent THEN sp.id ELSE sp.substitute_id END AS id,
          CASE WHEN NOT sp.absent THEN 'FIXED' ELSE 'SUBSTITUTE' END AS origin
        FROM t JOIN spec sp ON sp.id = t.w_fixed_specialist_id WHERE NOT sp.absent OR sp.substitute_id IS NOT NULL),
      least_loaded AS (SELECT CASE WHEN sp.absent THEN sp.substitute_id ELSE sp.id END AS id,
          CASE WHEN sp.absent THEN 'SUBSTITUTE' ELSE 'STANDARD' END AS origin
        FROM spec sp
        WHERE sp.in_segment AND sp.group_key = $${n + 3}::text AND (NOT sp.absent OR sp.substitute_id IS NOT NULL)
        ORDER BY (SELECT count(*) FROM worklist_items w WHERE w.run_id = ${runId} AND w.specialist_id = sp.id), sp.id LIMIT 1),
      chosen AS (SELECT id, origin FROM fixed UNION ALL SELECT id, origin FROM least_loaded WHERE NOT EXISTS (SELECT 1 FROM fixed) LIMIT 1)
    INSERT INTO worklist_items (${ITEM_COLUMNS.join(', ')}, revaluated_at)
    SELECT ${itemValuesSql(runId, '(SELECT id FROM chosen)', '(SELECT origin FROM chosen)')}, now() FROM t WHERE t.on_list
    ON CONFLICT (run_id, partner_id) DO UPDATE SET
      ${ITEM_COLUMNS.filter((c) => !['run_id', 'partner_id', 'specialist_id', 'specialist_origin'].includes(c))
        .map((c) => `${c} = EXCLUDED.${c}`)
        .join(', ')},
      revaluated_at = EXCLUDED.revaluated_at
    RETURNING valuation, priority`,
    [...scored.values, asOf, live.segment, live.group_key],
  );
  const item = rows[0];
  if (!item) await m.query(`DELETE FROM worklist_items WHERE run_id = $1 AND partner_id = $2`, [runId, partnerId]);
  return { runId, partnerId, asOf, onList: Boolean(item), valuation: item?.valuation ?? null, priority: item?.priority ?? null };
}

/**
 * The document that scores the partner in the live run: the challenger's when the run was split
 * for an experiment and the partner is in its challenger arm (armOf, the twin of the run's SQL),
 * else the run's version; with the split that pads its rule bits to the run's rule list.
 */
async function armScoring(
  m: EntityManager,
  live: { experiment_id: string | null; rule_count: number; group_key: string | null },
  champion: StrategyDocument,
  partnerId: string,
): Promise<{ document: StrategyDocument; split?: ArmSplit }> {
  const experiment = live.experiment_id ? await experimentForRun(m, live.experiment_id) : null;
  if (!experiment) return { document: champion };
  const inGroup = live.group_key === experiment.groupKey;
  const arm = inGroup ? armOf(experiment.key, partnerId, experiment.shareBp) : 'CHAMPION';
  const document = arm === 'CHALLENGER' ? { ...experiment.challenger, agingBuckets: champion.agingBuckets } : champion;
  const own = scoredRowsSql(document, { asOf: '2000-01-01' }).compiled.conditionRules.length;
  const others = Number(live.rule_count) - own;
  const common = {
    key: experiment.key,
    shareBp: experiment.shareBp,
    groupKey: experiment.groupKey,
    activeGroups: experiment.activeGroups,
    defaultGroup: live.group_key,
  };
  return {
    document,
    split: arm === 'CHALLENGER' ? { ...common, arm, before: others, after: 0 } : { ...common, arm: 'CHAMPION', before: 0, after: others },
  };
}
