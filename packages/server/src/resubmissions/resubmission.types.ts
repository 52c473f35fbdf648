import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';
import { WorklistItem } from '../worklists';

@ObjectType({ description: 'A resubmission: on its date the partner returns to the worklist until it is done.' })
export class ResubmissionRecord {
  @Field(() => ID, { description: 'Identifier of the resubmission.' }) id!: string;
  @Field(() => ID, { description: 'The partner to take up again.' }) partnerId!: string;
  @Field(() => DateScalar, { description: 'Date from which the partner comes back onto the worklist.' }) resubmissionDate!: string;
  @Field(() => String, { description: 'Why it was scheduled (free text).' }) reason!: string;
  @Field(() => Boolean, { description: 'Whether it has been marked done.' }) done!: boolean;
  @Field(() => String, { nullable: true, description: 'ISO timestamp of when it was marked done; null while not done.' }) doneAt!: string | null;
  @Field(() => String, { nullable: true, description: 'Name of the API token that marked it done; null while not done.' }) doneBy!: string | null;
  @Field(() => String, { nullable: true, description: 'Name of the API token that scheduled it; null when not recorded.' }) createdBy!: string | null;
}

@ObjectType({ description: "A resubmission marked done, with the partner's re-valuated worklist item." })
export class ResubmissionDone {
  @Field(() => ResubmissionRecord, { description: 'The resubmission, now done.' }) resubmission!: ResubmissionRecord;
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live item; null when it left the list." })
  worklistItem!: WorklistItem | null;
}

/** The short form the customer 360 shows (and scheduleResubmission returns). */
@ObjectType('Resubmission', { description: 'A date on which to take the partner up again.' })
export class ResubmissionSummary {
  @Field(() => ID, { description: 'Identifier of the resubmission.' })
  id!: string;

  @Field(() => DateScalar, { description: 'Date from which the partner comes back onto the worklist.' })
  resubmissionDate!: string;

  @Field(() => String, { description: 'Why it was scheduled.' })
  reason!: string;

  @Field(() => Boolean, { description: 'Whether it has been marked done.' })
  done!: boolean;

  @Field(() => Boolean, { description: 'Not done and dated on or before the key date.' })
  due!: boolean;
}

@InputType({ description: 'A resubmission to schedule for a partner.' })
export class ResubmissionInput {
  @Field(() => ID, { description: 'The partner to take up again.' })
  partnerId!: string;

  @Field(() => DateScalar, { description: 'Date from which the partner is to come back onto the worklist.' })
  resubmissionDate!: string;

  @Field(() => String, { description: 'Why (free text).' })
  reason!: string;
}

@ObjectType({ description: "A resubmission scheduled, with the partner's re-valuated worklist item." })
export class ResubmissionScheduled {
  @Field(() => ResubmissionSummary, { description: 'The scheduled resubmission.' })
  resubmission!: ResubmissionSummary;

  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live worklist item; null when not (or no longer) on the list." })
  worklistItem!: WorklistItem | null;
}
