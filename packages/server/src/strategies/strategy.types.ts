import { createUnionType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { JSONScalar } from '../graphql/scalars';
import { PageInfo } from '../graphql/paging';

@ObjectType('Strategy', { description: 'A collection strategy: a key that collection groups name, with versioned documents.' })
export class StrategyType {
  @Field(() => ID, { description: 'Identifier of the strategy.' })
  id!: string;

  @Field(() => String, { description: 'Unique key: collection groups name the strategy by it, and its documents carry it.' })
  key!: string;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => Date, { description: 'When the strategy was created.' })
  createdAt!: Date;
}

@ObjectType('StrategyVersion', { description: 'One document of a strategy: DRAFT (editable), ACTIVE (live, at most one) or RETIRED.' })
export class StrategyVersionType {
  @Field(() => ID, { description: 'Identifier of the version.' })
  id!: string;

  @Field(() => Int, { description: 'Version number within the strategy, from 1.' })
  version!: number;

  @Field(() => String, { description: 'DRAFT (editable), ACTIVE (live) or RETIRED.' })
  status!: string;

  @Field(() => JSONScalar, { description: 'The strategy document (DESIGN.md, Strategy documents).' })
  document!: Record<string, unknown>;

  @Field(() => Int, { description: 'Bumped on every edit; send it back with updateStrategyDraft (a stale one is CONFLICT).' })
  revision!: number;

  @Field(() => Date, { description: 'When the version was created.' })
  createdAt!: Date;

  @Field(() => String, { nullable: true, description: 'Name of the API token that created it; null when not recorded.' })
  createdBy!: string | null;

  @Field(() => Date, { description: 'When the version last changed.' })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the version became ACTIVE; null if it never was.' })
  activatedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the version was RETIRED; null while it is not.' })
  retiredAt!: Date | null;

  /** Loaded with the version by the service. */
  strategyId!: string;
}

@ObjectType({ description: 'A strategy with its cursor.' })
export class StrategyEdge {
  @Field(() => String, { description: 'Opaque cursor of this strategy; pass it as `after` to read the strategies that follow.' })
  cursor!: string;

  @Field(() => StrategyType, { description: 'The strategy.' })
  node!: StrategyType;
}

@ObjectType({ description: 'A page of strategies, by key.' })
export class StrategyConnection {
  @Field(() => [StrategyEdge], { description: 'The strategies of this page.' })
  edges!: StrategyEdge[];

  @Field(() => PageInfo, { description: 'Paging state of this page.' })
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'The outcome of an activation.' })
export class StrategyActivation {
  @Field(() => StrategyVersionType, { description: 'The version now ACTIVE.' })
  version!: StrategyVersionType;

  @Field(() => StrategyVersionType, { nullable: true, description: 'The version that was active before and is now RETIRED; null when none was.' })
  retired!: StrategyVersionType | null;

  @Field(() => [String], { description: 'Collection groups that now run this version.' })
  groups!: string[];
}

@InputType({ description: 'A new strategy with its first draft.' })
export class CreateStrategyInput {
  @Field(() => String, { description: "Unique key of the new strategy (the document's key must be the same)." })
  key!: string;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => JSONScalar, { nullable: true, description: 'The first draft; omitted = one 0-band and no rules. Its key must be `key`.' })
  document?: unknown;

  @Field(() => String, { nullable: true, description: 'Currency of the skeleton draft when no document is given (default EUR).' })
  currency?: string | null;
}

@InputType({ description: 'A new document for a DRAFT version.' })
export class UpdateStrategyDraftInput {
  @Field(() => ID, { description: 'The DRAFT version to update.' })
  versionId!: string;

  @Field(() => Int, { description: 'The revision the edit was made on.' })
  revision!: number;

  @Field(() => JSONScalar, { description: 'The complete new strategy document; validated (BAD_USER_INPUT with the JSON path of the first problem).' })
  document!: unknown;
}

@InputType({ description: 'A copy of a version into a new draft.' })
export class CopyStrategyVersionInput {
  @Field(() => ID, { description: 'The version to copy, whatever its status.' })
  versionId!: string;

  @Field(() => String, { nullable: true, description: 'A new strategy key to copy into; omitted = a new draft of the same strategy.' })
  key?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Name of the new strategy (default: the source name plus " (copy)"); within the same strategy, a new name for the draft\'s document.',
  })
  name?: string | null;
}

@ObjectType({ description: 'A validation problem at a JSON path of the document, e.g. rules[3].conditions.all[1].value.' })
export class StrategyValidationError {
  @Field(() => String, { description: 'JSON path; empty for the document itself.' })
  path!: string;

  @Field(() => String, { description: 'What is wrong, in words for the editor.' })
  message!: string;
}

@ObjectType({ description: 'A strategy document without validation errors.' })
export class ValidStrategy {
  @Field(() => JSONScalar, { description: 'The validated document.' })
  document!: unknown;
}

@ObjectType({ description: 'A strategy document with validation errors.' })
export class InvalidStrategy {
  @Field(() => [StrategyValidationError], { description: 'Every problem found, each with its JSON path.' })
  errors!: StrategyValidationError[];
}

/** A union because the client must branch: show the document, or mark the errors in the editor. */
export const StrategyValidationResult = createUnionType({
  name: 'StrategyValidationResult',
  description: 'The outcome of validateStrategy: the valid document, or the errors with their JSON paths.',
  types: () => [ValidStrategy, InvalidStrategy] as const,
  resolveType: (value) => ('errors' in value ? InvalidStrategy : ValidStrategy),
});

@ObjectType({ description: 'A rule of a strategy document, as strategyDiff compares it.' })
export class StrategyRuleSummary {
  @Field(() => String, { description: 'Rule name; rules are matched by name.' })
  name!: string;

  @Field(() => Float, { description: 'Valuation points of the rule.' })
  points!: number;

  @Field(() => String, { description: 'Role of the rule: condition (adds its points) or exit (takes the partner off the list).' })
  role!: string;

  @Field(() => Int, { nullable: true, description: 'Evaluation order in json-rules-engine (rule priority), never a change of result; null when not set.' })
  priority!: number | null;
}

@ObjectType({ description: 'A rule in both versions that differs.' })
export class StrategyRuleChange {
  @Field(() => String, { description: 'Rule name.' })
  name!: string;

  @Field(() => [String], { description: 'What differs: points, role, priority, conditions, eventType.' })
  changes!: string[];

  @Field(() => StrategyRuleSummary, { description: 'The rule in the from version.' })
  before!: StrategyRuleSummary;

  @Field(() => StrategyRuleSummary, { description: 'The rule in the to version.' })
  after!: StrategyRuleSummary;
}

@ObjectType({ description: 'A rule whose points differ between the versions.' })
export class StrategyPointsChange {
  @Field(() => String, { description: 'Rule name.' })
  name!: string;

  @Field(() => Float, { description: 'Points in the from version.' })
  before!: number;

  @Field(() => Float, { description: 'Points in the to version.' })
  after!: number;
}

@ObjectType('StrategyPriorityBand', { description: 'A priority band: a partner whose percentage reaches minPercent (and no higher band) gets its priority.' })
export class PriorityBandType {
  @Field(() => Int, { description: 'Priority number of the band.' })
  priority!: number;

  @Field(() => String, { description: 'Display label, e.g. High.' })
  label!: string;

  @Field(() => Float, { description: 'Lowest percentage (0 to 100) that reaches the band.' })
  minPercent!: number;
}

@ObjectType({ description: 'A priority band added, removed or changed; bands are matched by priority.' })
export class StrategyBandChange {
  @Field(() => Int, { description: 'Priority of the band.' })
  priority!: number;

  @Field(() => PriorityBandType, { nullable: true, description: 'The band in the from version; null when added.' })
  before!: PriorityBandType | null;

  @Field(() => PriorityBandType, { nullable: true, description: 'The band in the to version; null when removed.' })
  after!: PriorityBandType | null;
}

@ObjectType({ description: 'A document setting that differs between the versions.' })
export class StrategySettingChange {
  @Field(() => String, { description: 'The setting: key, name, description, currency, maxValuation, minPercent, agingBuckets or ruleOrder.' })
  field!: string;

  @Field(() => JSONScalar, { nullable: true, description: 'Value in the from version; null when unset.' })
  before!: unknown;

  @Field(() => JSONScalar, { nullable: true, description: 'Value in the to version; null when unset.' })
  after!: unknown;
}

@ObjectType({ description: 'What changed from one version to another; rules matched by name, bands by priority.' })
export class StrategyDiff {
  @Field(() => StrategyVersionType, { description: 'The version compared from.' })
  from!: StrategyVersionType;

  @Field(() => StrategyVersionType, { description: 'The version compared to.' })
  to!: StrategyVersionType;

  @Field(() => Boolean, { description: 'Whether nothing compared differs.' })
  identical!: boolean;

  @Field(() => [StrategyRuleSummary], { description: 'Rules only in the to version.' })
  rulesAdded!: StrategyRuleSummary[];

  @Field(() => [StrategyRuleSummary], { description: 'Rules only in the from version.' })
  rulesRemoved!: StrategyRuleSummary[];

  @Field(() => [StrategyRuleChange], { description: 'Rules in both versions that differ.' })
  rulesChanged!: StrategyRuleChange[];

  @Field(() => [StrategyPointsChange], { description: 'The rules of rulesChanged whose points changed.' })
  pointsChanged!: StrategyPointsChange[];

  @Field(() => [StrategyBandChange], { description: 'Bands only in the to version.' })
  bandsAdded!: StrategyBandChange[];

  @Field(() => [StrategyBandChange], { description: 'Bands only in the from version.' })
  bandsRemoved!: StrategyBandChange[];

  @Field(() => [StrategyBandChange], { description: 'Bands in both versions that differ.' })
  bandsChanged!: StrategyBandChange[];

  @Field(() => [StrategySettingChange], { description: 'Document settings that differ.' })
  settingsChanged!: StrategySettingChange[];
}
