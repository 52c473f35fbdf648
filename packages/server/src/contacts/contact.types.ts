import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateScalar } from '../graphql/scalars';
import { WorklistItem } from '../worklists';

@ObjectType({ description: 'A contact with the customer with everything recorded about it.' })
export class ContactRecord {
  @Field(() => ID, { description: 'Identifier of the contact.' }) id!: string;
  @Field(() => String, { description: 'Id in the source system; RC-… for contacts recorded through the API.' }) externalId!: string;
  @Field(() => ID, { description: 'The partner contacted.' }) partnerId!: string;
  @Field(() => DateScalar, { description: 'Date of the contact.' }) contactDate!: string;
  @Field(() => String, { nullable: true, description: 'Time of day of the contact (HH:MM:SS); null when not recorded.' }) contactTime!: string | null;
  @Field(() => String, { description: 'Channel, e.g. PHONE, EMAIL, SMS or LETTER.' }) channel!: string;
  @Field(() => String, { description: 'INBOUND or OUTBOUND.' }) direction!: string;
  @Field(() => String, { nullable: true, description: 'Who was spoken to at the customer; null when not recorded.' }) contactPerson!: string | null;
  @Field(() => Boolean, { description: 'Whether the customer was reached.' }) reached!: boolean;
  @Field(() => String, { nullable: true, description: 'A contactResults code (free text when imported); null when none.' }) result!: string | null;
  @Field(() => String, { nullable: true, description: 'Free-text note; null when none.' }) note!: string | null;
  @Field(() => String, { nullable: true, description: 'Name of the API token that recorded it; null: imported.' }) authorName!: string | null;
  @Field(() => ID, { nullable: true, description: 'The specialist who recorded it; null when recorded by a token without a specialist, or imported.' })
  authorSpecialistId!: string | null;
  @Field(() => [ID], { description: 'Promises created in this contact.' }) promiseIds!: string[];
  @Field(() => [ID], { description: 'Disputes opened in this contact.' }) disputeIds!: string[];
  @Field(() => [ID], { description: 'Resubmissions scheduled in this contact.' }) resubmissionIds!: string[];
  @Field(() => String, { nullable: true, description: 'ISO timestamp of the last edit; null when never edited.' }) editedAt!: string | null;
}

@ObjectType({ description: 'A configured result of contacts.' })
export class ContactResultEntry {
  @Field(() => String, { description: 'Code stored on contacts as result.' }) code!: string;
  @Field(() => String, { description: 'What the result means.' }) description!: string;
  @Field(() => Boolean, { description: "A contact with this result completes the partner's live worklist item." }) completesWorklistItem!: boolean;
  @Field(() => Boolean, { description: 'Whether new contacts may use it.' }) active!: boolean;
}

@InputType({ description: 'The fields of a contact; an update replaces all of them.' })
export class ContactUpdateInput {
  @Field(() => DateScalar, { description: 'Date of the contact.' }) contactDate!: string;
  @Field(() => String, { nullable: true, description: 'Time of day of the contact, HH:MM or HH:MM:SS.' }) contactTime?: string;
  @Field(() => String, { description: 'Channel, e.g. PHONE, EMAIL, SMS or LETTER (at most 20 characters).' }) channel!: string;
  @Field(() => String, { description: 'INBOUND or OUTBOUND (either case).' }) direction!: string;
  @Field(() => String, { nullable: true, description: 'Who was spoken to at the customer.' }) contactPerson?: string;
  @Field(() => Boolean, { description: 'Whether the customer was reached.' }) reached!: boolean;
  @Field(() => String, { nullable: true, description: 'A code of contactResults (free text while none is configured).' }) result?: string;
  @Field(() => String, { nullable: true, description: 'Free-text note.' }) note?: string;
  @Field(() => [ID], { nullable: true, description: 'Promises of the same partner created in this contact.' }) promiseIds?: string[];
  @Field(() => [ID], { nullable: true, description: 'Disputes of the same partner opened in this contact.' }) disputeIds?: string[];
  @Field(() => [ID], { nullable: true, description: 'Resubmissions of the same partner scheduled in this contact.' }) resubmissionIds?: string[];
}

@InputType({ description: 'A new contact with a partner.' })
export class ContactCreateInput extends ContactUpdateInput {
  @Field(() => ID, { description: 'The partner contacted.' }) partnerId!: string;
}

@InputType({ description: 'A contact result to add or change.' })
export class ContactResultInput {
  @Field(() => String, { description: 'Code of the result; an existing code is updated.' }) code!: string;
  @Field(() => String, { description: 'What the result means.' }) description!: string;
  @Field(() => Boolean, { description: "Whether a contact with this result completes the partner's live worklist item." }) completesWorklistItem!: boolean;
  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Whether new contacts may use it (default true).' }) active?: boolean;
}

@ObjectType({ description: "A created or edited contact, with the partner's re-valuated worklist item." })
export class ContactSaved {
  @Field(() => ContactRecord, { description: 'The saved contact.' }) contact!: ContactRecord;
  @Field(() => Boolean, { description: "The contact's result completed the partner's live worklist item." }) completedWorklistItem!: boolean;
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live worklist item; null when not (or no longer) on the list." })
  worklistItem!: WorklistItem | null;
}
