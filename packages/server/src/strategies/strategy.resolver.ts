import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { JSONScalar } from '../graphql/scalars';
import type { Strategy, StrategyVersion } from './strategy.entity';
import {
  activateVersion,
  activeVersionOf,
  copyVersion,
  createStrategy,
  diffVersions,
  findStrategy,
  findVersion,
  groupsOf,
  listStrategies,
  retireVersion,
  updateDraft,
  validateDocument,
  versionsOf,
} from './strategy.service';
import {
  CopyStrategyVersionInput,
  CreateStrategyInput,
  StrategyActivation,
  StrategyConnection,
  StrategyDiff,
  StrategyType,
  StrategyValidationResult,
  StrategyVersionType,
  UpdateStrategyDraftInput,
} from './strategy.types';

/** Reads are for every signed-in role; writes for ADMIN and CONFIGURATOR (method-level below). */
@Resolver(() => StrategyType)
export class StrategyResolver {
  @Query(() => StrategyConnection, { description: 'Strategies by key.' })
  async strategies(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Page size, 1 to 200.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page; absent for the first page.' }) after?: string | null,
  ): Promise<StrategyConnection> {
    return listStrategies(ctx, first, after ?? null);
  }

  @Query(() => StrategyType, { description: 'A strategy by key (NOT_FOUND if none).' })
  strategy(@Ctx() ctx: RequestContext, @Arg('key', () => String, { description: 'The strategy key, e.g. CONSUMER_DEFAULT.' }) key: string): Promise<Strategy> {
    return findStrategy(ctx, key);
  }

  @Query(() => StrategyVersionType, { description: 'A strategy version by id (NOT_FOUND if none).' })
  strategyVersion(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The version id.' }) id: string): Promise<StrategyVersion> {
    return findVersion(ctx, id);
  }

  @Query(() => StrategyValidationResult, { description: 'Validates a document without saving it: the document, or the errors with their JSON paths.' })
  validateStrategy(
    @Arg('document', () => JSONScalar, { description: 'A strategy document (json-rules-engine rules with points, bands and settings).' }) document: unknown,
  ): typeof StrategyValidationResult {
    const result = validateDocument(document);
    return result.valid ? { document: result.document } : { errors: result.errors };
  }

  @Query(() => StrategyDiff, { description: 'What changed from one version to another (rules, points, bands, settings).' })
  strategyDiff(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => ID, { description: 'The version compared from (usually the live one).' }) from: string,
    @Arg('to', () => ID, { description: 'The version compared to (usually a draft).' }) to: string,
  ): Promise<StrategyDiff> {
    return diffVersions(ctx, from, to);
  }

  @FieldResolver(() => [StrategyVersionType], { description: 'All versions, newest first (a handful per strategy, so not paged).' })
  versions(@Ctx() ctx: RequestContext, @Root() strategy: Strategy): Promise<StrategyVersion[]> {
    return versionsOf(ctx, strategy.id);
  }

  @FieldResolver(() => StrategyVersionType, { nullable: true, description: 'The live version, if any.' })
  activeVersion(@Ctx() ctx: RequestContext, @Root() strategy: Strategy): Promise<StrategyVersion | null> {
    return activeVersionOf(ctx, strategy.id);
  }

  @FieldResolver(() => [String], { description: 'Keys of the collection groups that run this strategy.' })
  groups(@Ctx() ctx: RequestContext, @Root() strategy: Strategy): Promise<string[]> {
    return groupsOf(ctx, strategy.key);
  }

  @Mutation(() => StrategyVersionType, { description: 'A new strategy with its first draft (version 1).' })
  createStrategy(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CreateStrategyInput, { description: 'Key, name and optionally the first document.' }) input: CreateStrategyInput,
  ): Promise<StrategyVersion> {
    return createStrategy(ctx, input);
  }

  @Mutation(() => StrategyVersionType, { description: "Replaces a draft's document; `revision` must be the current one (else CONFLICT)." })
  updateStrategyDraft(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => UpdateStrategyDraftInput, { description: 'The draft, the revision the edit is based on, and the new document.' })
    input: UpdateStrategyDraftInput,
  ): Promise<StrategyVersion> {
    return updateDraft(ctx, input);
  }

  @Mutation(() => StrategyActivation, { description: 'Makes a version the live one; the previously active version is retired.' })
  activateStrategyVersion(
    @Ctx() ctx: RequestContext,
    @Arg('versionId', () => ID, { description: 'The version to make live (a draft or a retired version).' }) versionId: string,
  ): Promise<StrategyActivation> {
    return activateVersion(ctx, versionId);
  }

  @Mutation(() => StrategyVersionType, { description: 'Retires a draft, or an active version no collection group runs.' })
  retireStrategyVersion(
    @Ctx() ctx: RequestContext,
    @Arg('versionId', () => ID, { description: 'The version to retire.' }) versionId: string,
  ): Promise<StrategyVersion> {
    return retireVersion(ctx, versionId);
  }

  @Mutation(() => StrategyVersionType, { description: 'Copies a version into a new draft: of the same strategy, or of a new one when `key` is given.' })
  copyStrategyVersion(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CopyStrategyVersionInput, { description: 'The version to copy and, for a new strategy, its key and name.' })
    input: CopyStrategyVersionInput,
  ): Promise<StrategyVersion> {
    return copyVersion(ctx, input);
  }
}

/** `StrategyVersion.strategy`: the service loads it with the version. */
@Resolver(() => StrategyVersionType)
export class StrategyVersionResolver {
  @FieldResolver(() => StrategyType, { description: 'The strategy this version belongs to.' })
  async strategy(@Ctx() ctx: RequestContext, @Root() version: StrategyVersion): Promise<Strategy> {
    return version.strategy ?? (await findVersion(ctx, version.id)).strategy!;
  }
}
