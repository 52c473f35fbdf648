import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { PageInfo, PriorityFigure, SpecialistLoad } from '../worklists/worklist.types';

@ObjectType({ description: "A strategy document tried on a segment (or every segment) at a key date, without touching the live worklists." })
export class WorklistPreview {
  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => [String])
  segments!: string[];

  @Field(() => [ID], { description: 'The PREVIEW runs (one per segment); worklist(runId) pages them too.' })
  runIds!: string[];

  @Field(() => Int)
  partnersEvaluated!: number;

  @Field(() => Int, { description: 'Partners on the list.' })
  partners!: number;

  @Field(() => Int, { description: 'Partners an exit rule took off the list.' })
  excluded!: number;

  @Field(() => DecimalScalar)
  amountToBeCollected!: string;

  @Field(() => [PriorityFigure])
  byPriority!: PriorityFigure[];

  @Field(() => [SpecialistLoad])
  bySpecialist!: SpecialistLoad[];
}

@ObjectType({ description: 'One side of a comparison: its preview run and figures.' })
export class ComparisonSide {
  @Field(() => ID)
  runId!: string;

  @Field(() => Int)
  partners!: number;

  @Field(() => Int)
  excluded!: number;

  @Field(() => DecimalScalar)
  amountToBeCollected!: string;

  @Field(() => [PriorityFigure], { description: 'Partners and amount to be collected per priority band.' })
  byPriority!: PriorityFigure[];

  @Field(() => [SpecialistLoad], { description: 'Items and amount to be collected per specialist.' })
  bySpecialist!: SpecialistLoad[];
}

@ObjectType({ description: 'Partners with priority `from` under strategy a and `to` under b; null = not on that list.' })
export class MigrationCell {
  @Field(() => Int, { nullable: true })
  from!: number | null;

  @Field(() => Int, { nullable: true })
  to!: number | null;

  @Field(() => Int)
  count!: number;

  @Field(() => DecimalScalar, { description: 'Their amount to be collected under a (0 when not on a).' })
  amountToBeCollectedA!: string;

  @Field(() => DecimalScalar, { description: 'Their amount to be collected under b.' })
  amountToBeCollectedB!: string;
}

@ObjectType({ description: 'A partner whose priority differs between a and b (joining or leaving the list counts).' })
export class PartnerMove {
  @Field(() => ID)
  partnerId!: string;

  @Field(() => Int, { nullable: true })
  from!: number | null;

  @Field(() => Int, { nullable: true })
  to!: number | null;

  @Field(() => Int, { nullable: true })
  valuationA!: number | null;

  @Field(() => Int, { nullable: true })
  valuationB!: number | null;

  @Field(() => DecimalScalar, { nullable: true })
  amountToBeCollected!: string | null;
}

@ObjectType()
export class PartnerMoveEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => PartnerMove)
  node!: PartnerMove;
}

@ObjectType()
export class PartnerMoveConnection {
  @Field(() => [PartnerMoveEdge])
  edges!: PartnerMoveEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'Strategy a against strategy b on one segment at one key date.' })
export class StrategyComparison {
  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => String)
  segment!: string;

  @Field(() => Int)
  partnersEvaluated!: number;

  @Field(() => ComparisonSide)
  a!: ComparisonSide;

  @Field(() => ComparisonSide)
  b!: ComparisonSide;

  @Field(() => [MigrationCell], { description: "Priority migration matrix, dense: a's bands and null (not on the list) by b's bands and null." })
  matrix!: MigrationCell[];

  @Field(() => Int, { description: 'Partners whose priority differs (off-diagonal cells).' })
  movedCount!: number;
}
