import { createUnionType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { JSONScalar } from '../simulation/json.scalar';
import { PageInfo } from '../worklists/worklist.types';

@ObjectType('Strategy', { description: 'A collection strategy: a key that collection groups name, with versioned documents.' })
export class StrategyType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('StrategyVersion', { description: 'One document of a strategy: DRAFT (editable), ACTIVE (live, at most one) or RETIRED.' })
export class StrategyVersionType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => String, { description: 'DRAFT, ACTIVE or RETIRED' })
  status!: string;

  @Field(() => JSONScalar, { description: 'The strategy document (DESIGN.md, Strategy documents).' })
  document!: Record<string, unknown>;

  @Field(() => Int, { description: 'Bumped on every edit; send it back with updateStrategyDraft (a stale one is CONFLICT).' })
  revision!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => String, { nullable: true })
  createdBy!: string | null;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  activatedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  retiredAt!: Date | null;

  /** Loaded with the version by the service. */
  strategyId!: string;
}

@ObjectType()
export class StrategyEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => StrategyType)
  node!: StrategyType;
}

@ObjectType()
export class StrategyConnection {
  @Field(() => [StrategyEdge])
  edges!: StrategyEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'The outcome of an activation.' })
export class StrategyActivation {
  @Field(() => StrategyVersionType)
  version!: StrategyVersionType;

  @Field(() => StrategyVersionType, { nullable: true, description: 'The version that was active before and is now RETIRED.' })
  retired!: StrategyVersionType | null;

  @Field(() => [String], { description: 'Collection groups that now run this version.' })
  groups!: string[];
}

@InputType()
export class CreateStrategyInput {
  @Field(() => String)
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => JSONScalar, { nullable: true, description: 'The first draft; omitted = one 0-band and no rules. Its key must be `key`.' })
  document?: unknown;

  @Field(() => String, { nullable: true, description: 'Currency of the skeleton draft when no document is given (default EUR).' })
  currency?: string | null;
}

@InputType()
export class UpdateStrategyDraftInput {
  @Field(() => ID)
  versionId!: string;

  @Field(() => Int, { description: 'The revision the edit was made on.' })
  revision!: number;

  @Field(() => JSONScalar)
  document!: unknown;
}

@InputType()
export class CopyStrategyVersionInput {
  @Field(() => ID)
  versionId!: string;

  @Field(() => String, { nullable: true, description: 'A new strategy key to copy into; omitted = a new draft of the same strategy.' })
  key?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;
}

@ObjectType({ description: 'A validation problem at a JSON path of the document, e.g. rules[3].conditions.all[1].value.' })
export class StrategyValidationError {
  @Field(() => String, { description: 'JSON path; empty for the document itself.' })
  path!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType()
export class ValidStrategy {
  @Field(() => JSONScalar)
  document!: unknown;
}

@ObjectType()
export class InvalidStrategy {
  @Field(() => [StrategyValidationError])
  errors!: StrategyValidationError[];
}

/** A union because the client must branch: show the document, or mark the errors in the editor. */
export const StrategyValidationResult = createUnionType({
  name: 'StrategyValidationResult',
  types: () => [ValidStrategy, InvalidStrategy] as const,
  resolveType: (value) => ('errors' in value ? InvalidStrategy : ValidStrategy),
});

@ObjectType()
export class StrategyRuleSummary {
  @Field(() => String)
  name!: string;

  @Field(() => Float)
  points!: number;

  @Field(() => String, { description: 'condition or exit' })
  role!: string;

  @Field(() => Int, { nullable: true, description: 'json-rules-engine priority (evaluation order)' })
  priority!: number | null;
}

@ObjectType()
export class StrategyRuleChange {
  @Field(() => String)
  name!: string;

  @Field(() => [String], { description: 'What differs: points, role, priority, conditions, eventType.' })
  changes!: string[];

  @Field(() => StrategyRuleSummary)
  before!: StrategyRuleSummary;

  @Field(() => StrategyRuleSummary)
  after!: StrategyRuleSummary;
}

@ObjectType()
export class StrategyPointsChange {
  @Field(() => String)
  name!: string;

  @Field(() => Float)
  before!: number;

  @Field(() => Float)
  after!: number;
}

@ObjectType('StrategyPriorityBand')
export class PriorityBandType {
  @Field(() => Int)
  priority!: number;

  @Field(() => String)
  label!: string;

  @Field(() => Float)
  minPercent!: number;
}

@ObjectType()
export class StrategyBandChange {
  @Field(() => Int)
  priority!: number;

  @Field(() => PriorityBandType, { nullable: true })
  before!: PriorityBandType | null;

  @Field(() => PriorityBandType, { nullable: true })
  after!: PriorityBandType | null;
}

@ObjectType()
export class StrategySettingChange {
  @Field(() => String, { description: 'key, name, description, currency, maxValuation, minPercent, agingBuckets or ruleOrder' })
  field!: string;

  @Field(() => JSONScalar, { nullable: true })
  before!: unknown;

  @Field(() => JSONScalar, { nullable: true })
  after!: unknown;
}

@ObjectType({ description: 'What changed from one version to another; rules matched by name, bands by priority.' })
export class StrategyDiff {
  @Field(() => StrategyVersionType)
  from!: StrategyVersionType;

  @Field(() => StrategyVersionType)
  to!: StrategyVersionType;

  @Field(() => Boolean)
  identical!: boolean;

  @Field(() => [StrategyRuleSummary])
  rulesAdded!: StrategyRuleSummary[];

  @Field(() => [StrategyRuleSummary])
  rulesRemoved!: StrategyRuleSummary[];

  @Field(() => [StrategyRuleChange])
  rulesChanged!: StrategyRuleChange[];

  @Field(() => [StrategyPointsChange], { description: 'The rules of rulesChanged whose points changed.' })
  pointsChanged!: StrategyPointsChange[];

  @Field(() => [StrategyBandChange])
  bandsAdded!: StrategyBandChange[];

  @Field(() => [StrategyBandChange])
  bandsRemoved!: StrategyBandChange[];

  @Field(() => [StrategyBandChange])
  bandsChanged!: StrategyBandChange[];

  @Field(() => [StrategySettingChange])
  settingsChanged!: StrategySettingChange[];
}
