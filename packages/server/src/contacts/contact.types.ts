import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';
import { WorklistItem } from '../worklists/worklist.types';

@ObjectType({ description: 'A contact with the customer with everything recorded about it.' })
export class ContactRecord {
  @Field(() => ID) id!: string;
  @Field(() => String) externalId!: string;
  @Field(() => ID) partnerId!: string;
  @Field(() => DateScalar) contactDate!: string;
  @Field(() => String, { nullable: true }) contactTime!: string | null;
  @Field(() => String) channel!: string;
  @Field(() => String, { description: 'INBOUND or OUTBOUND.' }) direction!: string;
  @Field(() => String, { nullable: true }) contactPerson!: string | null;
  @Field(() => Boolean) reached!: boolean;
  @Field(() => String, { nullable: true, description: 'A contactResults code (free text when imported).' }) result!: string | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => String, { nullable: true, description: 'Name of the API token that recorded it; null: imported.' }) authorName!: string | null;
  @Field(() => ID, { nullable: true, description: 'The specialist who recorded it.' }) authorSpecialistId!: string | null;
  @Field(() => [ID], { description: 'Promises created in this contact.' }) promiseIds!: string[];
  @Field(() => [ID]) disputeIds!: string[];
  @Field(() => [ID]) resubmissionIds!: string[];
  @Field(() => String, { nullable: true, description: 'ISO timestamp of the last edit.' }) editedAt!: string | null;
}

@ObjectType()
export class ContactResultEntry {
  @Field(() => String) code!: string;
  @Field(() => String) description!: string;
  @Field(() => Boolean, { description: "A contact with this result completes the partner's live worklist item." }) completesWorklistItem!: boolean;
  @Field(() => Boolean) active!: boolean;
}

@InputType()
export class ContactUpdateInput {
  @Field(() => DateScalar) contactDate!: string;
  @Field(() => String, { nullable: true, description: 'HH:MM[:SS].' }) contactTime?: string;
  @Field(() => String) channel!: string;
  @Field(() => String, { description: 'INBOUND or OUTBOUND (either case).' }) direction!: string;
  @Field(() => String, { nullable: true }) contactPerson?: string;
  @Field(() => Boolean) reached!: boolean;
  @Field(() => String, { nullable: true, description: 'A code of contactResults (free text while none is configured).' }) result?: string;
  @Field(() => String, { nullable: true }) note?: string;
  @Field(() => [ID], { nullable: true }) promiseIds?: string[];
  @Field(() => [ID], { nullable: true }) disputeIds?: string[];
  @Field(() => [ID], { nullable: true }) resubmissionIds?: string[];
}

@InputType()
export class ContactCreateInput extends ContactUpdateInput {
  @Field(() => ID) partnerId!: string;
}

@InputType()
export class ContactResultInput {
  @Field(() => String) code!: string;
  @Field(() => String) description!: string;
  @Field(() => Boolean) completesWorklistItem!: boolean;
  @Field(() => Boolean, { nullable: true, defaultValue: true }) active?: boolean;
}

@ObjectType()
export class ContactSaved {
  @Field(() => ContactRecord) contact!: ContactRecord;
  @Field(() => Boolean, { description: "The contact's result completed the partner's live worklist item." }) completedWorklistItem!: boolean;
  @Field(() => WorklistItem, { nullable: true }) worklistItem!: WorklistItem | null;
}
