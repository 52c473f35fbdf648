/**
 * Champion/challenger experiments: start (validated, at most one running per group and per
 * segment), stop, promote (the challenger becomes the group's strategy, audited in the same
 * transaction), reads. The split itself happens in the worklist run (experiment-arm.ts).
 */
import { randomUUID } from 'node:crypto';
import { assertValidStrategy, type StrategyDocument } from '@recoup/rules';
import type { EntityManager } from 'typeorm';
import { recordAudit, type Actor } from '../audit';
import { caller } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { decodeCursor, encodeCursor, pageOf, pageSize, type Page } from '../graphql/paging';
import { parseId, today } from '../graphql/scalars';
import { activateVersionIn } from '../strategies';
import { BASIS_POINTS, ExperimentArm, inChallengerSql } from '../worklists';
import { Experiment, type ExperimentOutcomeEnum, type ExperimentArmSize, type StartExperimentInput } from './experiment.types';

const ENTITY = 'EXPERIMENT';
const KEY_PATTERN = /^[A-Za-z0-9_-]{1,60}$/;

// ---- reads ---------------------------------------------------------------------------------

const EXPERIMENT_SELECT = `SELECT e.id::text AS id, e.key, e.group_key, e.challenger_strategy_key, e.challenger_version, e.challenger_version_id::text AS challenger_version_id,
    e.share_bp, e.started_on, e.started_by, e.ended_on, e.ended_by, e.outcome,
    (SELECT count(*)::integer FROM worklist_runs r WHERE r.experiment_id = e.id AND r.mode = 'LIVE' AND r.status = 'SUCCEEDED') AS runs,
    (SELECT max(r.as_of) FROM worklist_runs r WHERE r.experiment_id = e.id AND r.mode = 'LIVE' AND r.status = 'SUCCEEDED') AS latest_run_as_of
  FROM strategy_experiments e`;

interface ExperimentRow {
  id: string;
  key: string;
  group_key: string;
  challenger_strategy_key: string;
  challenger_version: number;
  challenger_version_id: string;
  share_bp: number;
  started_on: string;
  started_by: string;
  ended_on: string | null;
  ended_by: string | null;
  outcome: ExperimentOutcomeEnum | null;
  runs: number;
  latest_run_as_of: string | null;
}

/** Basis points as a percent with two decimals ("20.00"), exactly. */
export const percentOf = (bp: number): string => `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;

function experimentView(r: ExperimentRow): Experiment {
  return Object.assign(new Experiment(), {
    id: r.id,
    key: r.key,
    group: r.group_key,
    challengerStrategy: r.challenger_strategy_key,
    challengerVersion: Number(r.challenger_version),
    challengerVersionId: r.challenger_version_id,
    sharePercent: percentOf(Number(r.share_bp)),
    shareBasisPoints: Number(r.share_bp),
    startedOn: r.started_on,
    startedBy: r.started_by,
    endedOn: r.ended_on,
    endedBy: r.ended_by,
    outcome: r.outcome,
    running: r.outcome === null,
    runs: Number(r.runs),
    latestRunAsOf: r.latest_run_as_of,
  });
}

/** An experiment by id; NOT_FOUND for an unknown or malformed id. */
export async function findExperiment(ctx: Pick<RequestContext, 'db'>, rawId: string, m?: EntityManager): Promise<Experiment> {
  const id = parseId(rawId, 'Experiment');
  const rows: ExperimentRow[] = await (m ?? ctx.db.dataSource).query(`${EXPERIMENT_SELECT} WHERE e.id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError('Experiment', id);
  return experimentView(rows[0]);
}

export interface ExperimentQuery {
  group?: string | null;
  running?: boolean | null;
  first?: number | null;
  after?: string | null;
}

/** Newest first, keyset-paged on id; optionally one group's, or only the running (or ended) ones. */
export async function listExperiments(ctx: RequestContext, query: ExperimentQuery): Promise<Page<Experiment>> {
  const first = pageSize(query.first, 20, 100, 'first', 1);
  const [after] = query.after ? decodeCursor(query.after, 'EXPERIMENTS', 1) : [];
  const values: unknown[] = [first + 1];
  const where: string[] = [];
  if (query.group != null) where.push(`e.group_key = $${values.push(query.group)}`);
  if (query.running != null) where.push(query.running ? 'e.outcome IS NULL' : 'e.outcome IS NOT NULL');
  if (after !== undefined) where.push(`e.id < $${values.push(String(after))}::bigint`);
  const rows: ExperimentRow[] = await ctx.db.dataSource.query(
    `${EXPERIMENT_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY e.id DESC LIMIT $1`,
    values,
  );
  return pageOf(
    rows,
    first,
    (r) => encodeCursor('EXPERIMENTS', [r.id]),
    (r) => experimentView(r),
  );
}

/**
 * The group's partners per arm by the hash (as the next run will split them: the partner's
 * active group, else its segment's default group), and per arm on the latest run's list.
 */
export async function armSizes(ctx: RequestContext, experiment: Experiment): Promise<ExperimentArmSize[]> {
  const [row]: Array<{ partners: number; challengers: number; listed_champion: number; listed_challenger: number }> = await ctx.db.dataSource.query(
    `WITH members AS (SELECT p.id FROM partners p JOIN collection_groups g ON g.key = $1
        WHERE p.segment = g.segment_key AND coalesce(
          (SELECT a.key FROM collection_groups a WHERE a.key = p.collection_group_key AND a.active),
          (SELECT min(a.key) FROM collection_groups a WHERE a.segment_key = p.segment AND a.active)) = $1),
      latest AS (SELECT max(r.id) AS id FROM worklist_runs r WHERE r.experiment_id = $4 AND r.mode = 'LIVE' AND r.status = 'SUCCEEDED')
     SELECT (SELECT count(*)::integer FROM members) AS partners,
       (SELECT count(*)::integer FROM members m WHERE ${inChallengerSql('m.id', '$2', '$3')}) AS challengers,
       (SELECT count(*)::integer FROM experiment_listings l WHERE l.experiment_id = $4 AND l.run_id = (SELECT id FROM latest) AND l.arm = 'CHAMPION') AS listed_champion,
       (SELECT count(*)::integer FROM experiment_listings l WHERE l.experiment_id = $4 AND l.run_id = (SELECT id FROM latest) AND l.arm = 'CHALLENGER') AS listed_challenger`,
    [experiment.group, experiment.key, experiment.shareBasisPoints, experiment.id],
  );
  const { partners, challengers } = row!;
  const share = (n: number) => (partners > 0 ? n / partners : null);
  return [
    { arm: ExperimentArm.CHAMPION, partners: partners - challengers, share: share(partners - challengers), onLatestList: row!.listed_champion },
    { arm: ExperimentArm.CHALLENGER, partners: challengers, share: share(challengers), onLatestList: row!.listed_challenger },
  ];
}

// ---- writes --------------------------------------------------------------------------------

/** Starts an experiment; BAD_USER_INPUT naming `input.<field>`, NOT_FOUND for an unknown group or version, CONFLICT for a second running one. */
export async function startExperiment(ctx: RequestContext, input: StartExperimentInput): Promise<Experiment> {
  const actor = caller(ctx);
  const shareBp = shareOf(input.sharePercent);
  const key = input.key == null ? generatedKey(input.group) : checkKey(input.key);
  if (!Number.isInteger(input.challengerVersion) || input.challengerVersion < 1)
    throw new BadUserInputError('input.challengerVersion must be a version number (1 or more)', 'input.challengerVersion');
  const id = await ctx.db.dataSource.transaction(async (m) => {
    const group = await lockGroup(m, input.group);
    const challenger = await challengerOf(m, group, input.challengerStrategy, input.challengerVersion);
    await assertNoneRunning(m, group, key);
    const [row]: Array<{ id: string }> = await m
      .query(
        `INSERT INTO strategy_experiments (key, group_key, challenger_strategy_key, challenger_version, challenger_version_id, share_bp, started_on, started_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
        [key, group.key, input.challengerStrategy, input.challengerVersion, challenger.id, shareBp, today(), actor.name],
      )
      .catch((error: unknown) => rethrowUnique(error, group.key));
    await recordAudit(m, actor, {
      action: 'EXPERIMENT_STARTED',
      entityType: ENTITY,
      entityId: row!.id,
      details: {
        key,
        group: group.key,
        champion: group.strategy_key,
        challenger: { strategy: input.challengerStrategy, version: input.challengerVersion, versionId: challenger.id },
        shareBp,
      },
    });
    return row!.id;
  });
  return findExperiment(ctx, id);
}

/** Ends a running experiment without a change of strategy. */
export async function stopExperiment(ctx: RequestContext, rawId: string): Promise<Experiment> {
  const actor = caller(ctx);
  const id = parseId(rawId, 'Experiment');
  await ctx.db.dataSource.transaction(async (m) => {
    const experiment = await lockRunning(m, id);
    await endExperiment(m, actor, experiment, 'STOPPED', {});
  });
  return findExperiment(ctx, id);
}

/**
 * Makes the challenger the group's strategy and ends the experiment PROMOTED, in one transaction:
 * a version of the group's own strategy is activated (the previous active version retires; other
 * groups on that strategy switch too, and the audit names them); another strategy's active
 * version becomes the group's by key.
 */
export async function promoteExperiment(ctx: RequestContext, rawId: string): Promise<Experiment> {
  const actor = caller(ctx);
  const id = parseId(rawId, 'Experiment');
  await ctx.db.dataSource.transaction(async (m) => {
    const experiment = await lockRunning(m, id);
    const group = await lockGroup(m, experiment.group_key, 'id');
    const [version]: Array<{ status: string }> = await m.query(`SELECT status FROM strategy_versions WHERE id = $1`, [experiment.challenger_version_id]);
    if (!version) throw new ConflictError(`The challenger version of experiment ${experiment.key} no longer exists; stop the experiment`);
    let activatedFor: string[] = [];
    if (experiment.challenger_strategy_key === group.strategy_key) {
      if (version.status !== 'ACTIVE') activatedFor = (await activateVersionIn(m, actor, experiment.challenger_version_id)).groups;
    } else {
      if (version.status !== 'ACTIVE')
        throw new ConflictError(`Version ${experiment.challenger_version} of ${experiment.challenger_strategy_key} is no longer active; stop the experiment`);
      await m.query(`UPDATE collection_groups SET strategy_key = $2, version = version + 1 WHERE key = $1`, [group.key, experiment.challenger_strategy_key]);
      await recordAudit(m, actor, {
        action: 'UPDATE',
        entityType: 'GROUP',
        entityId: group.key,
        details: { version: group.version + 1, changes: { strategy: { from: group.strategy_key, to: experiment.challenger_strategy_key } } },
      });
    }
    await endExperiment(m, actor, experiment, 'PROMOTED', {
      from: group.strategy_key,
      to: experiment.challenger_strategy_key,
      version: experiment.challenger_version,
      groupsSwitched: activatedFor,
    });
  });
  return findExperiment(ctx, id);
}

// ---- steps ---------------------------------------------------------------------------------

interface GroupRow {
  key: string;
  segment_key: string;
  strategy_key: string | null;
  active: boolean;
  version: number;
}

/** The group, locked (starts and promotions of one group queue on it). */
async function lockGroup(m: EntityManager, key: unknown, path: 'input.group' | 'id' = 'input.group'): Promise<GroupRow> {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) throw new BadUserInputError(`${path} must be a group key (1-40 of A-Z a-z 0-9 _ -)`, path);
  const [group]: GroupRow[] = await m.query(`SELECT key, segment_key, strategy_key, active, version FROM collection_groups WHERE key = $1 FOR UPDATE`, [key]);
  if (!group) throw new NotFoundError('Collection group', key);
  return group;
}

/** The challenger version, checked against the group's champion (its strategy's active version). */
async function challengerOf(m: EntityManager, group: GroupRow, strategyKey: string, version: number): Promise<{ id: string; document: StrategyDocument }> {
  if (!group.active) throw new BadUserInputError(`Collection group ${group.key} is inactive: no run deals to it`, 'input.group');
  if (!group.strategy_key) throw new BadUserInputError(`Collection group ${group.key} has no strategy to challenge`, 'input.group');
  if (typeof strategyKey !== 'string' || !/^[A-Za-z0-9_-]{1,60}$/.test(strategyKey))
    throw new BadUserInputError('input.challengerStrategy must be a strategy key', 'input.challengerStrategy');
  const versions: Array<{ id: string; strategy_key: string; version: number; status: string; document: unknown }> = await m.query(
    `SELECT v.id::text AS id, s.key AS strategy_key, v.version, v.status, v.document FROM strategy_versions v JOIN strategies s ON s.id = v.strategy_id
      WHERE (s.key = $1 AND v.version = $2) OR (s.key = $3 AND v.status = 'ACTIVE')`,
    [strategyKey, version, group.strategy_key],
  );
  const challenger = versions.find((v) => v.strategy_key === strategyKey && Number(v.version) === version);
  if (!challenger) throw new NotFoundError('Strategy version', `${strategyKey} ${version}`);
  const champion = versions.find((v) => v.strategy_key === group.strategy_key && v.status === 'ACTIVE');
  if (!champion) throw new BadUserInputError(`Strategy ${group.strategy_key} of group ${group.key} has no active version to challenge`, 'input.group');
  if (challenger.id === champion.id) throw new BadUserInputError(`Version ${version} of ${strategyKey} is the champion already`, 'input.challengerVersion');
  if (strategyKey !== group.strategy_key && challenger.status !== 'ACTIVE') {
    throw new BadUserInputError(
      `Version ${version} of ${strategyKey} is ${challenger.status}: a challenger from another strategy must be its active version (or copy it into ${group.strategy_key})`,
      'input.challengerVersion',
    );
  }
  const document = validDocument(challenger.document, 'input.challengerVersion');
  const championDocument = validDocument(champion.document, 'input.group');
  if (document.currency !== championDocument.currency) {
    throw new BadUserInputError(
      `The challenger values in ${document.currency}, the champion in ${championDocument.currency}: the arms must share a currency`,
      'input.challengerVersion',
    );
  }
  return { id: challenger.id, document };
}

function validDocument(document: unknown, path: string): StrategyDocument {
  try {
    return assertValidStrategy(document);
  } catch {
    throw new BadUserInputError('The strategy version does not validate against the current fact catalogue', path);
  }
}

/** CONFLICT when the group, or another group of its segment, has a running experiment (one split per run), or the key is taken. */
async function assertNoneRunning(m: EntityManager, group: GroupRow, key: string): Promise<void> {
  const running: Array<{ key: string; group_key: string }> = await m.query(
    `SELECT e.key, e.group_key FROM strategy_experiments e JOIN collection_groups g ON g.key = e.group_key
      WHERE e.outcome IS NULL AND (e.group_key = $1 OR g.segment_key = $2)`,
    [group.key, group.segment_key],
  );
  const first = running[0];
  if (first) {
    throw new ConflictError(
      first.group_key === group.key
        ? `Group ${group.key} already runs experiment ${first.key}; stop or promote it first`
        : `Group ${first.group_key} of the same segment runs experiment ${first.key}; a segment's run splits for one experiment at a time`,
      { experiment: first.key },
    );
  }
  const [taken]: Array<{ id: string }> = await m.query(`SELECT id FROM strategy_experiments WHERE key = $1`, [key]);
  if (taken) throw new ConflictError(`Experiment key ${key} is taken (a key draws its arms; take a new one)`, { path: 'input.key' });
}

/** The unique indexes are the backstop of two racing starts. */
function rethrowUnique(error: unknown, group: string): never {
  if ((error as { code?: string }).code === '23505') throw new ConflictError(`Group ${group} already runs an experiment, or the key is taken`);
  throw error;
}

type LockedExperiment = Pick<ExperimentRow, 'id' | 'key' | 'group_key' | 'challenger_strategy_key' | 'challenger_version' | 'challenger_version_id'>;

async function lockRunning(m: EntityManager, id: string): Promise<LockedExperiment> {
  const [row]: Array<LockedExperiment & { outcome: string | null }> = await m.query(
    `SELECT id::text AS id, key, group_key, challenger_strategy_key, challenger_version, challenger_version_id::text AS challenger_version_id, outcome
       FROM strategy_experiments WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!row) throw new NotFoundError('Experiment', id);
  if (row.outcome !== null) throw new ConflictError(`Experiment ${row.key} has ended (${row.outcome})`, { outcome: row.outcome });
  return row;
}

async function endExperiment(
  m: EntityManager,
  actor: Actor,
  experiment: LockedExperiment,
  outcome: 'PROMOTED' | 'STOPPED',
  details: Record<string, unknown>,
): Promise<void> {
  await m.query(`UPDATE strategy_experiments SET outcome = $2, ended_on = $3, ended_by = $4 WHERE id = $1`, [experiment.id, outcome, today(), actor.name]);
  await recordAudit(m, actor, {
    action: outcome === 'PROMOTED' ? 'EXPERIMENT_PROMOTED' : 'EXPERIMENT_STOPPED',
    entityType: ENTITY,
    entityId: experiment.id,
    details: { key: experiment.key, group: experiment.group_key, ...details },
  });
}

/** A share in percent, exact: above 0, at most 50, at most two decimals; in basis points. */
export function shareOf(sharePercent: string): number {
  const match = typeof sharePercent === 'string' ? /^(\d{1,2})(?:\.(\d{1,2}))?$/.exec(sharePercent.trim()) : null;
  if (!match) throw new BadUserInputError('input.sharePercent must be a percent with at most two decimals, e.g. "20" or "12.5"', 'input.sharePercent');
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (bp <= 0 || bp > BASIS_POINTS / 2) throw new BadUserInputError('input.sharePercent must be above 0 and at most 50', 'input.sharePercent');
  return bp;
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) throw new BadUserInputError('input.key must be 1-60 of A-Z a-z 0-9 _ -', 'input.key');
  return key;
}

/** A fresh key: the group and a random suffix (a new key draws new arms). */
function generatedKey(group: unknown): string {
  return `${typeof group === 'string' ? group.slice(0, 40) : 'EXP'}-${randomUUID().slice(0, 8)}`;
}
