/**
 * Worklist runs: an active strategy (or, for a preview, any valid document) and the AR mirror
 * at key date D become the worklist of one segment.
 *
 * A run is one transaction after its RUNNING row is committed:
 *  1. an advisory lock on the segment, so two runs on one segment never interleave (the second
 *     waits for the first);
 *  2. the FX check (a missing rate fails the run naming the pair);
 *  3. every partner of the segment scored in one parallel CREATE TABLE AS (facts, rules, figures);
 *  4. the partners on the list distributed into a new table shaped like worklist_items, which is
 *     then attached as the run's partition of worklist_items (its indexes built on attach);
 *  5. a live run points the segment at itself and the run row gets its statistics.
 * Until the commit readers see the previous live run; a failure rolls all of it back and marks
 * the run FAILED with the message. Superseded partitions are dropped after the commit.
 */
import { assertValidStrategy, fxCheckSql, StrategyValidationError, type StrategyDocument } from '@recoup/rules';
import type { QueryRunner } from 'typeorm';
import type { Database } from '../db/database';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import type { WorklistRunMode, WorklistRunStats } from './worklist.entity';
import { InvalidKeyDateError, MissingFxRateError, NoActiveStrategyError } from './worklist.errors';
import { distributeSql, scoredRowsSql, TO_BE_COLLECTED } from './worklist.sql';

export interface RunWorklistOptions {
  segment: string;
  asOf: string;
  mode: WorklistRunMode;
  /** Preview only: a document to try instead of the segment's active strategy version. */
  document?: unknown;
  onProgress?: (progress: { phase: string; step: number; steps: number }) => void;
}

export interface WorklistRunResult {
  runId: string;
  segment: string;
  asOf: string;
  mode: WorklistRunMode;
  strategyVersionId: string | null;
  partnersEvaluated: number;
  partnersOnList: number;
  partnersExcluded: number;
  stats: WorklistRunStats;
  milliseconds: number;
}

const PHASES = ['lock', 'fx check', 'facts and scoring', 'distribution', 'indexes and attach', 'switch'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The active strategy version of a segment's collection group(s): one version, or an error saying why not. */
export async function activeStrategyOf(db: Database, segment: string): Promise<{ versionId: string; document: StrategyDocument }> {
  const rows: Array<{ group_key: string; strategy_key: string | null; version_id: string | null; document: unknown }> = await db.dataSource.query(
    `SELECT g.key AS group_key, g.strategy_key, v.id AS version_id, v.document
       FROM collection_groups g
       LEFT JOIN strategies s ON s.key = g.strategy_key
       LEFT JOIN strategy_versions v ON v.strategy_id = s.id AND v.status = 'ACTIVE'
      WHERE g.segment_key = $1 ORDER BY g.key`,
    [segment],
  );
  if (!rows.length) throw new NoActiveStrategyError(segment, 'no collection group works this segment');
  const versions = new Set(rows.map((r) => r.version_id));
  const missing = rows.find((r) => !r.version_id);
  if (missing) {
    throw new NoActiveStrategyError(segment, missing.strategy_key
      ? `strategy ${missing.strategy_key} of group ${missing.group_key} has no active version`
      : `collection group ${missing.group_key} has no strategy`);
  }
  if (versions.size > 1) throw new NoActiveStrategyError(segment, 'its collection groups use different strategy versions');
  return { versionId: rows[0]!.version_id!, document: assertValidStrategy(rows[0]!.document) };
}

export function validKeyDate(asOf: string): string {
  if (!DATE.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)) || new Date(`${asOf}T00:00:00Z`).toISOString().slice(0, 10) !== asOf) {
    throw new InvalidKeyDateError(asOf);
  }
  return asOf;
}

function documentOf(input: unknown): StrategyDocument {
  try {
    return assertValidStrategy(input);
  } catch (error) {
    if (error instanceof StrategyValidationError) {
      const first = error.errors[0];
      throw new BadUserInputError(`Invalid strategy: ${first?.message ?? error.message}`, first?.path ? `strategy.${first.path}` : 'strategy');
    }
    throw error;
  }
}

export async function runWorklist(db: Database, options: RunWorklistOptions): Promise<WorklistRunResult> {
  const started = performance.now();
  const asOf = validKeyDate(options.asOf);
  const [segment]: Array<{ key: string; default_group: string | null }> = await db.dataSource.query(
    `SELECT s.key, (SELECT min(g.key) FROM collection_groups g WHERE g.segment_key = s.key) AS default_group
       FROM collection_segments s WHERE s.key = $1`,
    [options.segment],
  );
  if (!segment) throw new NotFoundError('Segment', options.segment);
  if (options.document !== undefined && options.mode === 'LIVE') {
    throw new BadUserInputError('A live run uses the active strategy version; a document can only be previewed', 'document');
  }
  const { versionId, document } = options.document !== undefined
    ? { versionId: null, document: documentOf(options.document) }
    : await activeStrategyOf(db, segment.key);
  const scored = scoredRowsSql(document, { asOf, segment: segment.key });
  const rules = scored.compiled.conditionRules.map((name) => ({
    name, points: document.rules.find((r) => r.name === name)!.event.params.points,
  }));

  const [run]: Array<{ id: string }> = await db.dataSource.query(
    `INSERT INTO worklist_runs (segment_key, as_of, strategy_version_id, mode, currency, rules, aging_limits)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [segment.key, asOf, versionId, options.mode, document.currency, JSON.stringify(rules), document.agingBuckets],
  );
  const runId = run!.id;
  if (!/^\d+$/.test(runId)) throw new Error(`unexpected run id ${runId}`);
  const partition = `worklist_items_run_${runId}`;
  const stage = `worklist_stage_${runId}`;
  const timings: Record<string, number> = {};
  let step = 0;
  let phaseStarted = performance.now();
  const phase = (name: (typeof PHASES)[number]) => {
    options.onProgress?.({ phase: name, step: step++, steps: PHASES.length });
    phaseStarted = performance.now();
    return name;
  };
  const timed = async <T>(name: (typeof PHASES)[number], fn: () => Promise<T>): Promise<T> => {
    phase(name);
    const result = await fn();
    timings[name] = Math.round(performance.now() - phaseStarted);
    return result;
  };

  const q: QueryRunner = db.dataSource.createQueryRunner();
  try {
    await q.connect();
    await q.startTransaction();
    await timed('lock', () => q.query(`SELECT pg_advisory_xact_lock(hashtext('recoup.worklist'), hashtext($1))`, [segment.key]));
    if (db.kind === 'postgres') {
      // Bulk aggregation: JIT compiles for seconds here; cheap parallel setup lets the partner
      // aggregates of every table run in parallel workers (see bench:facts).
      await q.query(`SET LOCAL jit = off; SET LOCAL parallel_setup_cost = 10; SET LOCAL parallel_tuple_cost = 0.001; SET LOCAL random_page_cost = 1.1`);
    }
    await timed('fx check', async () => {
      const check = fxCheckSql({ currency: document.currency, asOf });
      const missing: Array<{ from_currency: string; to_currency: string }> = await q.query(check.text, check.values);
      if (missing.length) throw new MissingFxRateError(missing.map((m) => ({ from: m.from_currency, to: m.to_currency })), asOf);
    });
    await timed('facts and scoring', () => q.query(`CREATE TEMP TABLE ${stage} ON COMMIT DROP AS ${scored.text}`, scored.values));
    await timed('distribution', async () => {
      await q.query(`CREATE TABLE ${partition} (LIKE worklist_items INCLUDING DEFAULTS)`);
      await q.query(distributeSql(runId, stage, partition), [asOf, segment.key, segment.default_group]);
    });
    await timed('indexes and attach', () => q.query(`ALTER TABLE worklist_items ATTACH PARTITION ${partition} FOR VALUES IN (${runId})`));
    const result = await timed('switch', async () => {
      const [counts]: Array<{ evaluated: number; excluded: number }> = await q.query(
        `SELECT count(*)::integer AS evaluated, count(*) FILTER (WHERE excluded)::integer AS excluded FROM ${stage}`,
      );
      const byPriority: WorklistRunStats['byPriority'] = (await q.query(
        `SELECT priority, count(*)::integer AS count, sum(amount_to_be_collected)::text AS "amountToBeCollected"
           FROM ${partition} GROUP BY priority ORDER BY priority`,
      ));
      const bySpecialist: WorklistRunStats['bySpecialist'] = (await q.query(
        `SELECT specialist_id AS "specialistId", count(*)::integer AS count, sum(amount_to_be_collected)::text AS "amountToBeCollected"
           FROM ${partition} GROUP BY specialist_id ORDER BY specialist_id NULLS LAST`,
      ));
      const onList = byPriority.reduce((n, b) => n + b.count, 0);
      const [total]: Array<{ amount: string }> = await q.query(`SELECT coalesce(sum(amount_to_be_collected), 0)::text AS amount FROM ${partition}`);
      if (options.mode === 'LIVE') {
        await q.query(`UPDATE collection_segments SET live_run_id = $1 WHERE key = $2`, [runId, segment.key]);
      }
      return { evaluated: counts!.evaluated, excluded: counts!.excluded, onList, byPriority, bySpecialist, amount: total!.amount };
    });
    const stats: WorklistRunStats = {
      byPriority: result.byPriority, bySpecialist: result.bySpecialist, amountToBeCollected: result.amount, timings,
    };
    await q.query(
      `UPDATE worklist_runs SET status = 'SUCCEEDED', finished_at = now(), partners_evaluated = $2, partners_on_list = $3,
         partners_excluded = $4, stats = $5 WHERE id = $1`,
      [runId, result.evaluated, result.onList, result.excluded, JSON.stringify(stats)],
    );
    await q.commitTransaction();
    if (options.mode === 'LIVE') await dropSupersededRuns(db, segment.key).catch(() => undefined);
    return {
      runId, segment: segment.key, asOf, mode: options.mode, strategyVersionId: versionId,
      partnersEvaluated: result.evaluated, partnersOnList: result.onList, partnersExcluded: result.excluded, stats,
      milliseconds: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
    await db.dataSource.query(
      `UPDATE worklist_runs SET status = 'FAILED', finished_at = now(), error = $2 WHERE id = $1`,
      [runId, error instanceof Error ? error.message : String(error)],
    );
    throw error;
  } finally {
    await q.release();
  }
}

/**
 * Drops the items of a segment's live runs that are no longer live, and of its previews older
 * than an hour (their run rows and statistics stay). Dropping a partition briefly locks the
 * parent, so it happens after the switch, never inside it.
 */
export async function dropSupersededRuns(db: Database, segment: string): Promise<number> {
  const stale: Array<{ id: string }> = await db.dataSource.query(
    `SELECT r.id FROM worklist_runs r JOIN collection_segments s ON s.key = r.segment_key
      WHERE r.segment_key = $1 AND r.status = 'SUCCEEDED' AND r.items_dropped_at IS NULL
        AND r.id IS DISTINCT FROM s.live_run_id
        AND (r.mode = 'LIVE' OR r.started_at < now() - interval '1 hour')`,
    [segment],
  );
  for (const { id } of stale) {
    await db.dataSource.transaction(async (m) => {
      await m.query(`DROP TABLE IF EXISTS worklist_items_run_${BigInt(id)}`);
      await m.query(`UPDATE worklist_runs SET items_dropped_at = now() WHERE id = $1`, [id]);
    });
  }
  return stale.length;
}

export { TO_BE_COLLECTED };
