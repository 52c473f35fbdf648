import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { PageInfo } from '../graphql/paging';
import { PriorityFigure, SpecialistLoad, WorklistWarning } from '../worklists';

@ObjectType({ description: 'A strategy document tried on a segment (or every segment) at a key date, without touching the live worklists.' })
export class WorklistPreview {
  @Field(() => DateScalar, { description: 'Key date scored at.' })
  asOf!: string;

  @Field(() => [String], { description: 'Keys of the segments previewed.' })
  segments!: string[];

  @Field(() => [ID], { description: 'The PREVIEW runs (one per segment); worklist(runId) pages them too.' })
  runIds!: string[];

  @Field(() => Int, { description: 'Partners scored, over all segments previewed.' })
  partnersEvaluated!: number;

  @Field(() => Int, { description: 'Partners on the list.' })
  partners!: number;

  @Field(() => Int, { description: 'Partners an exit rule took off the list.' })
  excluded!: number;

  @Field(() => DecimalScalar, { description: "Amount to be collected on the lists, in the document's currency." })
  amountToBeCollected!: string;

  @Field(() => [PriorityFigure], { description: 'Partners and amount to be collected per priority band.' })
  byPriority!: PriorityFigure[];

  @Field(() => [SpecialistLoad], { description: 'Items and amount to be collected per specialist.' })
  bySpecialist!: SpecialistLoad[];

  @Field(() => [WorklistWarning], {
    description:
      'What the organisation lacks for these segments (no collection group, strategy, active version or specialist), for a client to show; empty when ready. ' +
      'Warnings with blocksGeneration: generateWorklist refuses the segment until they are fixed.',
  })
  warnings!: WorklistWarning[];
}

@ObjectType({ description: 'One side of a comparison: its preview run and figures.' })
export class ComparisonSide {
  @Field(() => ID, { description: 'The PREVIEW run of this side; worklist(runId) pages its items.' })
  runId!: string;

  @Field(() => Int, { description: 'Partners on the list.' })
  partners!: number;

  @Field(() => Int, { description: 'Partners an exit rule took off the list.' })
  excluded!: number;

  @Field(() => DecimalScalar, { description: "Amount to be collected on the list, in this side's strategy currency." })
  amountToBeCollected!: string;

  @Field(() => [PriorityFigure], { description: 'Partners and amount to be collected per priority band.' })
  byPriority!: PriorityFigure[];

  @Field(() => [SpecialistLoad], { description: 'Items and amount to be collected per specialist.' })
  bySpecialist!: SpecialistLoad[];
}

@ObjectType({ description: 'Partners with priority `from` under strategy a and `to` under b; null = not on that list.' })
export class MigrationCell {
  @Field(() => Int, { nullable: true, description: "Priority under strategy a; null: not on a's list." })
  from!: number | null;

  @Field(() => Int, { nullable: true, description: "Priority under strategy b; null: not on b's list." })
  to!: number | null;

  @Field(() => Int, { description: 'Partners in this cell (the null/null cell: partners on neither list).' })
  count!: number;

  @Field(() => DecimalScalar, { description: 'Their amount to be collected under a (0 when not on a).' })
  amountToBeCollectedA!: string;

  @Field(() => DecimalScalar, { description: 'Their amount to be collected under b.' })
  amountToBeCollectedB!: string;
}

@ObjectType({ description: 'A partner whose priority differs between a and b (joining or leaving the list counts).' })
export class PartnerMove {
  @Field(() => ID, { description: 'The partner.' })
  partnerId!: string;

  @Field(() => Int, { nullable: true, description: "Priority under strategy a; null: not on a's list." })
  from!: number | null;

  @Field(() => Int, { nullable: true, description: "Priority under strategy b; null: not on b's list." })
  to!: number | null;

  @Field(() => Int, { nullable: true, description: "Valuation under strategy a; null when not on a's list." })
  valuationA!: number | null;

  @Field(() => Int, { nullable: true, description: "Valuation under strategy b; null when not on b's list." })
  valuationB!: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: "Amount to be collected under b (under a when not on b's list), in that strategy's currency." })
  amountToBeCollected!: string | null;
}

@ObjectType({ description: 'A partner that moved, with its cursor.' })
export class PartnerMoveEdge {
  @Field(() => String, { description: 'Opaque cursor of this partner; pass it as `after` to read the partners that follow.' })
  cursor!: string;

  @Field(() => PartnerMove, { description: 'The partner that moved.' })
  node!: PartnerMove;
}

@ObjectType({ description: 'A page of the partners that moved, by partner id.' })
export class PartnerMoveConnection {
  @Field(() => [PartnerMoveEdge], { description: 'The partners of this page.' })
  edges!: PartnerMoveEdge[];

  @Field(() => PageInfo, { description: 'Paging state of this page.' })
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'Strategy a against strategy b on one segment at one key date.' })
export class StrategyComparison {
  @Field(() => DateScalar, { description: 'Key date both strategies were scored at.' })
  asOf!: string;

  @Field(() => String, { description: 'Key of the segment compared.' })
  segment!: string;

  @Field(() => Int, { description: 'Partners of the segment scored (the same for both sides).' })
  partnersEvaluated!: number;

  @Field(() => ComparisonSide, { description: 'Figures of strategy a.' })
  a!: ComparisonSide;

  @Field(() => ComparisonSide, { description: 'Figures of strategy b.' })
  b!: ComparisonSide;

  @Field(() => [MigrationCell], { description: "Priority migration matrix, dense: a's bands and null (not on the list) by b's bands and null." })
  matrix!: MigrationCell[];

  @Field(() => Int, { description: 'Partners whose priority differs (off-diagonal cells).' })
  movedCount!: number;
}
