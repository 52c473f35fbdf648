import { decodeCursor, encodeCursor, pageOf, pageSize, type Page } from '../graphql/paging';
import { validateStrategy, type StrategyDocument, type StrategyRule, type ValidationResult } from '@recoup/rules';
import { parseId } from '../graphql/scalars';
import type { EntityManager } from 'typeorm';
import { recordAudit, type Actor } from '../audit';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, ConflictError, DomainError, NotFoundError } from '../graphql/errors';
import { CollectionGroup } from '../org';
import { diffDocuments, diffSummary, type DocumentDiff } from './strategy-diff';
import { Strategy, StrategyVersion } from './strategy.entity';
import { InvalidStrategyDocumentError, StaleDraftError, VersionStateError } from './strategy.errors';

/** Audit entries of strategies are keyed by the strategy key, so one filter gives a strategy's whole history. */
export const STRATEGY_ENTITY = 'STRATEGY';

const KEY = /^[A-Za-z0-9_.-]{1,60}$/;

function actorOf(ctx: RequestContext): Actor {
  // Resolvers are behind the auth checker; a service called without a user is a programming error.
  if (!ctx.user) throw new DomainError('UNAUTHENTICATED', 'An API token is required');
  return ctx.user;
}

function checkId(id: string, what: string): string {
  parseId(id, what);
  return id;
}

function checkKey(key: string, path: string): string {
  if (!KEY.test(key)) throw new BadUserInputError('A strategy key is 1 to 60 letters, digits, "_", "." or "-"', path);
  return key;
}

export function validateDocument(document: unknown): ValidationResult {
  return validateStrategy(document);
}

/** Every write goes through here: the document must be valid and belong to the strategy it is written to. */
function assertWritable(document: unknown, strategyKey: string): StrategyDocument {
  const result = validateStrategy(document);
  if (!result.valid) throw new InvalidStrategyDocumentError(result.errors);
  if (result.document.key !== strategyKey) {
    throw new InvalidStrategyDocumentError([{ path: 'key', message: `The document's key must be the strategy's key "${strategyKey}".` }]);
  }
  return result.document;
}

/** The skeleton's exit rule (DESIGN.md: an open item or a due resubmission puts a partner on the list; this asks for money too). */
export const NOTHING_TO_COLLECT: StrategyRule = {
  name: 'Nothing to collect',
  conditions: {
    all: [
      { fact: 'amountToBeCollected', operator: 'lessThanInclusive', value: 0 },
      { fact: 'resubmissionDue', operator: 'equal', value: false },
    ],
  },
  event: { type: 'valuation', params: { points: 0, role: 'exit' } },
};

/**
 * Where a new strategy starts: three bands, no scoring rule yet, and one exit rule that keeps
 * partners with nothing to collect (nothing overdue, or all of it disputed or promised) and no
 * resubmission due off the list. An exit rather than `minPercent` > 0 with a starter rule: an
 * exit holds whatever rules are added later, while a threshold would let any other rule's
 * points put such a partner back on the list.
 */
export function skeletonDocument(key: string, name: string, currency = 'EUR'): StrategyDocument {
  return {
    key,
    name,
    currency,
    maxValuation: null,
    minPercent: 0,
    priorities: [
      { priority: 1, label: 'High', minPercent: 60 },
      { priority: 2, label: 'Medium', minPercent: 30 },
      { priority: 3, label: 'Low', minPercent: 0 },
    ],
    agingBuckets: [0, 30, 60, 90],
    rules: [NOTHING_TO_COLLECT],
  };
}

async function lockVersion(m: EntityManager, id: string): Promise<StrategyVersion> {
  const version = await m.getRepository(StrategyVersion).findOne({
    where: { id: checkId(id, 'Strategy version') },
    lock: { mode: 'pessimistic_write' },
  });
  if (!version) throw new NotFoundError('Strategy version', id);
  version.strategy = await m.getRepository(Strategy).findOneByOrFail({ id: version.strategyId });
  return version;
}

async function nextVersionNumber(m: EntityManager, strategyId: string): Promise<number> {
  const [row]: Array<{ n: number }> = await m.query('SELECT coalesce(max(version), 0)::int + 1 AS n FROM strategy_versions WHERE strategy_id = $1', [
    strategyId,
  ]);
  return row!.n;
}

async function insertStrategy(m: EntityManager, key: string, name: string): Promise<Strategy> {
  // ON CONFLICT rather than a pre-check: two concurrent creates of one key must not both succeed.
  const rows: Array<{ id: string }> = await m.query('INSERT INTO strategies (key, name) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING id', [
    key,
    name,
  ]);
  if (!rows.length) throw new ConflictError(`A strategy with key ${key} already exists`, { key });
  return m.getRepository(Strategy).findOneByOrFail({ id: rows[0]!.id });
}

async function insertDraft(m: EntityManager, strategy: Strategy, document: StrategyDocument, createdBy: string): Promise<StrategyVersion> {
  const version = await m.getRepository(StrategyVersion).save({
    strategyId: strategy.id,
    version: await nextVersionNumber(m, strategy.id),
    status: 'DRAFT',
    document: document as unknown as Record<string, unknown>,
    createdBy,
    activatedAt: null,
    retiredAt: null,
    revision: 1,
  });
  version.strategy = strategy;
  return version;
}

export interface CreateStrategyInput {
  key: string;
  name: string;
  /** The first draft; omitted = a skeleton with one 0-band and no rules. */
  document?: unknown;
  currency?: string | null;
}

export async function createStrategy(ctx: RequestContext, input: CreateStrategyInput): Promise<StrategyVersion> {
  const actor = actorOf(ctx);
  const key = checkKey(input.key, 'key');
  const name = input.name.trim();
  if (!name) throw new BadUserInputError('A strategy needs a name', 'name');
  const document = assertWritable(input.document ?? skeletonDocument(key, name, input.currency ?? undefined), key);
  return ctx.db.dataSource.transaction(async (m) => {
    const strategy = await insertStrategy(m, key, name);
    const draft = await insertDraft(m, strategy, document, actor.name);
    await recordAudit(m, actor, {
      action: 'STRATEGY_CREATED',
      entityType: STRATEGY_ENTITY,
      entityId: key,
      details: { strategyId: strategy.id, versionId: draft.id, version: draft.version, rules: document.rules.length },
    });
    return draft;
  });
}

export interface UpdateDraftInput {
  versionId: string;
  /** The revision the client edited; anything else is a stale edit. */
  revision: number;
  document: unknown;
}

export async function updateDraft(ctx: RequestContext, input: UpdateDraftInput): Promise<StrategyVersion> {
  const actor = actorOf(ctx);
  return ctx.db.dataSource.transaction(async (m) => {
    // The row lock makes check-then-write atomic: of two edits of one revision exactly one wins.
    const version = await lockVersion(m, input.versionId);
    if (version.status !== 'DRAFT') {
      throw new VersionStateError(
        `Version ${version.version} of ${version.strategy!.key} is ${version.status}; only drafts can be edited (copy it into a new draft)`,
        {
          versionId: version.id,
          status: version.status,
        },
      );
    }
    if (version.revision !== input.revision) throw new StaleDraftError(version.id, input.revision, version.revision);
    await assertNotChallenger(m, version.id);
    const document = assertWritable(input.document, version.strategy!.key);
    const diff = diffDocuments(version.document as unknown as StrategyDocument, document);
    version.document = document as unknown as Record<string, unknown>;
    version.revision += 1;
    await m.getRepository(StrategyVersion).save(version);
    await recordAudit(m, actor, {
      action: 'STRATEGY_DRAFT_UPDATED',
      entityType: STRATEGY_ENTITY,
      entityId: version.strategy!.key,
      details: { versionId: version.id, version: version.version, revision: version.revision, changes: diffSummary(diff) },
    });
    return version;
  });
}

/** A draft under a running champion/challenger test is frozen: its runs and results must measure one document. */
async function assertNotChallenger(m: EntityManager, versionId: string): Promise<void> {
  const [running]: Array<{ key: string }> = await m.query(`SELECT key FROM strategy_experiments WHERE challenger_version_id = $1 AND outcome IS NULL LIMIT 1`, [
    versionId,
  ]);
  if (running)
    throw new ConflictError(`This draft is the challenger of the running experiment ${running.key}; stop or promote it before editing`, {
      experiment: running.key,
    });
}

export interface ActivationResult {
  version: StrategyVersion;
  retired: StrategyVersion | null;
  groups: string[];
}

/** Active collection groups whose worklists a strategy values (they name it by key; an inactive group is dealt no work). */
async function groupsUsing(m: EntityManager, key: string): Promise<string[]> {
  const groups = await m.getRepository(CollectionGroup).find({ where: { strategyKey: key, active: true }, order: { key: 'ASC' } });
  return groups.map((g) => g.key);
}

export async function activateVersion(ctx: RequestContext, versionId: string): Promise<ActivationResult> {
  const actor = actorOf(ctx);
  return ctx.db.dataSource.transaction((m) => activateVersionIn(m, actor, versionId));
}

/** activateVersion inside the caller's transaction (a promoted experiment activates its challenger with its own change). */
export async function activateVersionIn(m: EntityManager, actor: Actor, versionId: string): Promise<ActivationResult> {
  const version = await lockVersion(m, versionId);
  const strategy = version.strategy!;
  // Serialise activations of one strategy on its row (the partial unique index is the backstop).
  await m.query('SELECT id FROM strategies WHERE id = $1 FOR UPDATE', [strategy.id]);
  if (version.status === 'ACTIVE') {
    throw new VersionStateError(`Version ${version.version} of ${strategy.key} is already active`, { versionId: version.id, status: version.status });
  }
  // Re-validated: the catalogue may have changed since the draft was written (or a seed wrote it).
  assertWritable(version.document, strategy.key);
  const previous = await m.getRepository(StrategyVersion).findOneBy({ strategyId: strategy.id, status: 'ACTIVE' });
  const now = new Date();
  if (previous) {
    previous.status = 'RETIRED';
    previous.retiredAt = now;
    await m.getRepository(StrategyVersion).save(previous);
  }
  version.status = 'ACTIVE';
  version.activatedAt = now;
  version.retiredAt = null;
  await m.getRepository(StrategyVersion).save(version);
  // Groups reference the strategy by key, and runs take its ACTIVE version: they switch with this commit.
  const groups = await groupsUsing(m, strategy.key);
  await recordAudit(m, actor, {
    action: 'STRATEGY_VERSION_ACTIVATED',
    entityType: STRATEGY_ENTITY,
    entityId: strategy.key,
    details: { versionId: version.id, version: version.version, retiredVersionId: previous?.id ?? null, retiredVersion: previous?.version ?? null, groups },
  });
  return { version, retired: previous, groups };
}

export async function retireVersion(ctx: RequestContext, versionId: string): Promise<StrategyVersion> {
  const actor = actorOf(ctx);
  return ctx.db.dataSource.transaction(async (m) => {
    const version = await lockVersion(m, versionId);
    const strategy = version.strategy!;
    if (version.status === 'RETIRED') {
      throw new VersionStateError(`Version ${version.version} of ${strategy.key} is already retired`, { versionId: version.id, status: version.status });
    }
    const groups = await groupsUsing(m, strategy.key);
    // Retiring the live version would leave these groups' worklist runs without a strategy.
    if (version.status === 'ACTIVE' && groups.length) {
      throw new VersionStateError(
        `Version ${version.version} of ${strategy.key} is live for ${groups.join(', ')}; activate another version instead of retiring it`,
        { versionId: version.id, status: version.status, groups },
      );
    }
    const wasStatus = version.status;
    version.status = 'RETIRED';
    version.retiredAt = new Date();
    await m.getRepository(StrategyVersion).save(version);
    await recordAudit(m, actor, {
      action: 'STRATEGY_VERSION_RETIRED',
      entityType: STRATEGY_ENTITY,
      entityId: strategy.key,
      details: { versionId: version.id, version: version.version, previousStatus: wasStatus },
    });
    return version;
  });
}

export interface CopyVersionInput {
  versionId: string;
  /** A new strategy key: copy into a new strategy; omitted: a new draft of the same strategy. */
  key?: string | null;
  name?: string | null;
}

export async function copyVersion(ctx: RequestContext, input: CopyVersionInput): Promise<StrategyVersion> {
  const actor = actorOf(ctx);
  return ctx.db.dataSource.transaction(async (m) => {
    const source = await m.getRepository(StrategyVersion).findOneBy({ id: checkId(input.versionId, 'Strategy version') });
    if (!source) throw new NotFoundError('Strategy version', input.versionId);
    const sourceStrategy = await m.getRepository(Strategy).findOneByOrFail({ id: source.strategyId });
    let target = sourceStrategy;
    if (input.key && input.key !== sourceStrategy.key) {
      const key = checkKey(input.key, 'key');
      const name = input.name?.trim() || `${sourceStrategy.name} (copy)`;
      target = await insertStrategy(m, key, name);
    }
    const document = { ...(source.document as unknown as StrategyDocument), key: target.key };
    if (target !== sourceStrategy) document.name = target.name;
    else if (input.name?.trim()) document.name = input.name.trim();
    const draft = await insertDraft(m, target, assertWritable(document, target.key), actor.name);
    const details = {
      versionId: draft.id,
      version: draft.version,
      copiedFrom: { strategyKey: sourceStrategy.key, versionId: source.id, version: source.version },
    };
    await recordAudit(m, actor, {
      action: target === sourceStrategy ? 'STRATEGY_VERSION_COPIED' : 'STRATEGY_CREATED',
      entityType: STRATEGY_ENTITY,
      entityId: target.key,
      details,
    });
    return draft;
  });
}

export async function findStrategy(ctx: RequestContext, key: string): Promise<Strategy> {
  const strategy = await ctx.db.dataSource.getRepository(Strategy).findOneBy({ key });
  if (!strategy) throw new NotFoundError('Strategy', key);
  return strategy;
}

export async function findVersion(ctx: RequestContext, id: string): Promise<StrategyVersion> {
  const version = await ctx.db.dataSource
    .getRepository(StrategyVersion)
    .findOne({ where: { id: checkId(id, 'Strategy version') }, relations: { strategy: true } });
  if (!version) throw new NotFoundError('Strategy version', id);
  return version;
}

export function versionsOf(ctx: RequestContext, strategyId: string): Promise<StrategyVersion[]> {
  return ctx.db.dataSource.getRepository(StrategyVersion).find({ where: { strategyId }, order: { version: 'DESC' }, relations: { strategy: true } });
}

export async function activeVersionOf(ctx: RequestContext, strategyId: string): Promise<StrategyVersion | null> {
  return ctx.db.dataSource.getRepository(StrategyVersion).findOne({ where: { strategyId, status: 'ACTIVE' }, relations: { strategy: true } });
}

export function groupsOf(ctx: RequestContext, key: string): Promise<string[]> {
  return groupsUsing(ctx.db.dataSource.manager, key);
}

/** Strategies by key, keyset-paged (cursor = the last key seen). */
export async function listStrategies(ctx: RequestContext, firstArg: number, after: string | null): Promise<Page<Strategy>> {
  const first = pageSize(firstArg, 50, 200, 'first', 1);
  const [afterKey] = after ? decodeCursor(after, 'STRATEGIES', 1, 'after', true) : [];
  const qb = ctx.db.dataSource
    .getRepository(Strategy)
    .createQueryBuilder('s')
    .orderBy('s.key', 'ASC')
    .limit(first + 1);
  if (afterKey !== undefined) qb.where('s.key > :after', { after: String(afterKey) });
  return pageOf(
    await qb.getMany(),
    first,
    (row) => encodeCursor('STRATEGIES', [row.key]),
    (row) => row,
  );
}

export interface VersionDiff extends DocumentDiff {
  from: StrategyVersion;
  to: StrategyVersion;
}

export async function diffVersions(ctx: RequestContext, fromId: string, toId: string): Promise<VersionDiff> {
  const [from, to] = await Promise.all([findVersion(ctx, fromId), findVersion(ctx, toId)]);
  // Stored documents were validated on write; re-checking keeps a hand-edited row from crashing the diff.
  for (const [v, path] of [
    [from, 'from'],
    [to, 'to'],
  ] as const) {
    const result = validateStrategy(v.document);
    if (!result.valid) throw new BadUserInputError(`Version ${v.id} holds an invalid document (${result.errors[0]!.path}: ${result.errors[0]!.message})`, path);
  }
  return { from, to, ...diffDocuments(from.document as unknown as StrategyDocument, to.document as unknown as StrategyDocument) };
}
