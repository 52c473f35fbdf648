import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { PageInfo } from '../graphql/paging';
import { WorklistItem } from '../worklists';
import { MAX_DISPUTE_NOTES } from './dispute.entity';

@ObjectType({ description: 'A dispute with its processing state (one row per item; disputes opened together share a caseKey).' })
export class DisputeRecord {
  @Field(() => ID, { description: 'Identifier of the dispute.' }) id!: string;
  @Field(() => String, { description: 'Id in the source system; RC-… for disputes opened through the API.' }) externalId!: string;
  @Field(() => ID, { description: 'The partner disputing.' }) partnerId!: string;
  @Field(() => ID, { nullable: true, description: 'The disputed item; null for a dispute not tied to an item.' }) itemId!: string | null;
  @Field(() => String, { nullable: true, description: 'Key shared by the disputes opened together; null for disputes opened singly or imported.' }) caseKey!:
    string | null;
  @Field(() => DateScalar, { description: 'Date the dispute was opened.' }) createdDate!: string;
  @Field(() => DecimalScalar, { description: 'Disputed amount, in `currency`.' }) disputedAmount!: string;
  @Field(() => String, { description: 'ISO 4217 currency of the dispute.' }) currency!: string;
  @Field(() => String, { description: 'OPEN, IN_PROCESS, RESOLVED, REJECTED or CLOSED.' }) status!: string;
  @Field(() => String, { nullable: true, description: 'Why the customer disputes, as the dispute was opened; null when not given.' }) reason!: string | null;
  @Field(() => String, { nullable: true, description: 'Processing notes (what was agreed, what is awaited); null when none were written.' }) notes!:
    string | null;
  @Field(() => ID, { nullable: true, description: 'The specialist processing the dispute; null when none is assigned.' }) processorId!: string | null;
  @Field(() => String, { nullable: true, description: 'How it was settled: CREDIT_MEMO, WRITE_OFF or CUSTOMER_PAYS; null when not resolved or rejected.' })
  resolution!: string | null;
  @Field(() => String, { nullable: true, description: 'Root cause, a code of disputeRootCauses; null when not set.' }) rootCause!: string | null;
  @Field(() => String, { nullable: true, description: 'Name of the API token that opened the dispute case; null when not recorded (e.g. imported).' })
  createdBy!: string | null;
  @Field(() => String, { nullable: true, description: 'ISO timestamp of the last status change; null when not recorded (imported disputes).' })
  statusChangedAt!: string | null;
  @Field(() => [String], { description: 'The statuses this dispute may move to.' }) allowedTransitions!: string[];
}

@ObjectType({ description: 'A dispute with its cursor.' })
export class DisputeRecordEdge {
  @Field(() => String, { description: 'Opaque cursor of this dispute; pass it as `after` to read the disputes that follow.' }) cursor!: string;
  @Field(() => DisputeRecord, { description: 'The dispute.' }) node!: DisputeRecord;
}

@ObjectType({ description: 'A page of disputes, newest first.' })
export class DisputeRecordConnection {
  @Field(() => [DisputeRecordEdge], { description: 'The disputes of this page.' }) edges!: DisputeRecordEdge[];
  @Field(() => PageInfo, { description: 'Paging state of this page.' }) pageInfo!: PageInfo;
}

@ObjectType({ description: 'A legal move of the dispute state machine.' })
export class DisputeTransition {
  @Field(() => String, { description: 'A dispute status.' }) from!: string;
  @Field(() => [String], { description: 'The statuses a dispute may move to from it (empty for CLOSED).' }) to!: string[];
}

@ObjectType({ description: 'A configured root cause of disputes.' })
export class DisputeRootCauseEntry {
  @Field(() => String, { description: 'Code stored on disputes as rootCause.' }) code!: string;
  @Field(() => String, { description: 'What the code means.' }) description!: string;
  @Field(() => Boolean, { description: 'Whether new disputes and changes may use it.' }) active!: boolean;
}

@InputType({ description: 'An item to dispute, and how much of it.' })
export class DisputeItemInput {
  @Field(() => ID, { description: 'An open item of the partner without an open dispute.' }) itemId!: string;
  @Field(() => DecimalScalar, { nullable: true, description: "Default: the item's open amount." }) disputedAmount?: string;
}

@InputType({ description: 'A dispute case over one or several items of a partner.' })
export class OpenDisputesInput {
  @Field(() => ID, { description: 'The partner disputing.' }) partnerId!: string;
  @Field(() => [DisputeItemInput], { description: 'The disputed items, each once; one dispute per item.' }) items!: DisputeItemInput[];
  @Field(() => DateScalar, { nullable: true, description: 'Date the disputes are opened; default: today.' }) createdDate?: string;
  @Field(() => String, { description: 'Why the customer disputes (free text).' }) reason!: string;
  @Field(() => String, { nullable: true, description: 'An active code of disputeRootCauses.' }) rootCause?: string;
  @Field(() => ID, { nullable: true, description: 'The specialist processing the disputes.' }) processorId?: string;
}

@InputType({ description: 'A change of a dispute: its status, processor, resolution, root cause or reason.' })
export class ChangeDisputeInput {
  @Field(() => ID, { description: 'The dispute to change.' }) disputeId!: string;
  @Field(() => String, { nullable: true, description: 'The next status (see disputeTransitions); absent: keep it.' }) status?: string;
  @Field(() => String, { nullable: true, description: 'Needed for RESOLVED; REJECTED is CUSTOMER_PAYS.' }) resolution?: string;
  @Field(() => String, { nullable: true, description: 'New root cause, an active code of disputeRootCauses; absent: keep it.' }) rootCause?: string;
  @Field(() => ID, { nullable: true, description: 'Needed (here or before) for IN_PROCESS.' }) processorId?: string;
  @Field(() => String, { nullable: true, description: 'New reason; absent: keep it.' }) reason?: string;
  @Field(() => String, {
    nullable: true,
    description: `The dispute's processing notes, replacing the previous ones (at most ${MAX_DISPUTE_NOTES} characters); "" clears them; absent: keep them.`,
  })
  notes?: string;
}

@InputType({ description: 'A dispute root cause to add or change.' })
export class DisputeRootCauseInput {
  @Field(() => String, { description: 'Code of the root cause; an existing code is updated.' }) code!: string;
  @Field(() => String, { description: 'What the code means.' }) description!: string;
  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Whether new disputes and changes may use it (default true).' }) active?: boolean;
}

@ObjectType({ description: "A dispute case opened, with the partner's re-valuated worklist item." })
export class DisputesOpened {
  @Field(() => String, { description: 'Key shared by the disputes of this case.' }) caseKey!: string;
  @Field(() => [DisputeRecord], { description: 'One dispute per item, status OPEN.' }) disputes!: DisputeRecord[];
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live worklist item; null when not (or no longer) on the list." })
  worklistItem!: WorklistItem | null;
}

@ObjectType({ description: "A dispute after a change, with the partner's re-valuated worklist item." })
export class DisputeChanged {
  @Field(() => DisputeRecord, { description: 'The dispute after the change.' }) dispute!: DisputeRecord;
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live worklist item; null when not (or no longer) on the list." })
  worklistItem!: WorklistItem | null;
}
