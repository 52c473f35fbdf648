/**
 * What a worklist run needs of an experiment: the running experiment of a segment's group with
 * the challenger's document, or the experiment a live run was split for (re-valuation, explain).
 */
import { assertValidStrategy, type StrategyDocument } from '@recoup/rules';
import type { EntityManager } from 'typeorm';
import type { Database } from '../db/database';

export interface RunExperiment {
  id: string;
  key: string;
  shareBp: number;
  groupKey: string;
  challengerVersionId: string;
  challenger: StrategyDocument;
  /** The active groups of the experiment group's segment (a partner of a retired group is dealt to the segment's default group). */
  activeGroups: string[];
}

type Queryable = Pick<EntityManager, 'query'>;

const EXPERIMENT_SQL = `SELECT e.id::text AS id, e.key, e.share_bp, e.group_key, e.challenger_version_id::text AS challenger_version_id, v.document,
    coalesce((SELECT array_agg(a.key ORDER BY a.key) FROM collection_groups a WHERE a.segment_key = g.segment_key AND a.active), '{}') AS active_groups
  FROM strategy_experiments e
  JOIN collection_groups g ON g.key = e.group_key
  JOIN strategy_versions v ON v.id = e.challenger_version_id`;

interface ExperimentRow {
  id: string;
  key: string;
  share_bp: number;
  group_key: string;
  challenger_version_id: string;
  document: unknown;
  active_groups: string[];
}

const toRunExperiment = (r: ExperimentRow): RunExperiment => ({
  id: r.id,
  key: r.key,
  shareBp: Number(r.share_bp),
  groupKey: r.group_key,
  challengerVersionId: r.challenger_version_id,
  challenger: assertValidStrategy(r.document),
  activeGroups: r.active_groups,
});

/** The running experiment on an active group of the segment (at most one: startExperiment sees to it), or null. */
export async function runningExperimentOf(db: Database, segment: string): Promise<RunExperiment | null> {
  const rows: ExperimentRow[] = await db.dataSource.query(
    `${EXPERIMENT_SQL} WHERE e.outcome IS NULL AND g.segment_key = $1 AND g.active ORDER BY e.id LIMIT 1`,
    [segment],
  );
  return rows[0] ? toRunExperiment(rows[0]) : null;
}

/** An experiment by id, running or ended (a run keeps the split it was made with). */
export async function experimentForRun(m: Queryable, experimentId: string): Promise<RunExperiment | null> {
  const rows: ExperimentRow[] = await m.query(`${EXPERIMENT_SQL} WHERE e.id = $1`, [experimentId]);
  return rows[0] ? toRunExperiment(rows[0]) : null;
}
