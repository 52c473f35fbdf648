import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { PageInfo, WorklistItem } from '../worklists/worklist.types';

@ObjectType({ description: 'A dispute with its processing state (one row per item; disputes opened together share a caseKey).' })
export class DisputeRecord {
  @Field(() => ID) id!: string;
  @Field(() => String) externalId!: string;
  @Field(() => ID) partnerId!: string;
  @Field(() => ID, { nullable: true }) itemId!: string | null;
  @Field(() => String, { nullable: true }) caseKey!: string | null;
  @Field(() => DateScalar) createdDate!: string;
  @Field(() => DecimalScalar) disputedAmount!: string;
  @Field(() => String) currency!: string;
  @Field(() => String, { description: 'OPEN, IN_PROCESS, RESOLVED, REJECTED or CLOSED.' }) status!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => ID, { nullable: true, description: 'The processing specialist.' }) processorId!: string | null;
  @Field(() => String, { nullable: true, description: 'CREDIT_MEMO, WRITE_OFF or CUSTOMER_PAYS.' }) resolution!: string | null;
  @Field(() => String, { nullable: true, description: 'A code of disputeRootCauses.' }) rootCause!: string | null;
  @Field(() => String, { nullable: true }) createdBy!: string | null;
  @Field(() => String, { nullable: true, description: 'ISO timestamp of the last status change.' }) statusChangedAt!: string | null;
  @Field(() => [String], { description: 'The statuses this dispute may move to.' }) allowedTransitions!: string[];
}

@ObjectType()
export class DisputeRecordEdge {
  @Field(() => String) cursor!: string;
  @Field(() => DisputeRecord) node!: DisputeRecord;
}

@ObjectType()
export class DisputeRecordConnection {
  @Field(() => [DisputeRecordEdge]) edges!: DisputeRecordEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ description: 'A legal move of the dispute state machine.' })
export class DisputeTransition {
  @Field(() => String) from!: string;
  @Field(() => [String]) to!: string[];
}

@ObjectType()
export class DisputeRootCauseEntry {
  @Field(() => String) code!: string;
  @Field(() => String) description!: string;
  @Field(() => Boolean) active!: boolean;
}

@InputType()
export class DisputeItemInput {
  @Field(() => ID) itemId!: string;
  @Field(() => DecimalScalar, { nullable: true, description: "Default: the item's open amount." }) disputedAmount?: string;
}

@InputType()
export class OpenDisputesInput {
  @Field(() => ID) partnerId!: string;
  @Field(() => [DisputeItemInput]) items!: DisputeItemInput[];
  @Field(() => DateScalar, { nullable: true, description: 'Default: today.' }) createdDate?: string;
  @Field(() => String) reason!: string;
  @Field(() => String, { nullable: true }) rootCause?: string;
  @Field(() => ID, { nullable: true }) processorId?: string;
}

@InputType()
export class ChangeDisputeInput {
  @Field(() => ID) disputeId!: string;
  @Field(() => String, { nullable: true, description: 'The next status (see disputeTransitions); absent: keep it.' }) status?: string;
  @Field(() => String, { nullable: true, description: 'Needed for RESOLVED; REJECTED is CUSTOMER_PAYS.' }) resolution?: string;
  @Field(() => String, { nullable: true }) rootCause?: string;
  @Field(() => ID, { nullable: true, description: 'Needed (here or before) for IN_PROCESS.' }) processorId?: string;
  @Field(() => String, { nullable: true }) reason?: string;
}

@InputType()
export class DisputeRootCauseInput {
  @Field(() => String) code!: string;
  @Field(() => String) description!: string;
  @Field(() => Boolean, { nullable: true, defaultValue: true }) active?: boolean;
}

@ObjectType()
export class DisputesOpened {
  @Field(() => String) caseKey!: string;
  @Field(() => [DisputeRecord]) disputes!: DisputeRecord[];
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live worklist item; null when not (or no longer) on the list." })
  worklistItem!: WorklistItem | null;
}

@ObjectType()
export class DisputeChanged {
  @Field(() => DisputeRecord) dispute!: DisputeRecord;
  @Field(() => WorklistItem, { nullable: true }) worklistItem!: WorklistItem | null;
}
