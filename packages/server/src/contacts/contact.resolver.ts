import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { contactHistory, contactResults, createContact, saveContactResult, updateContact } from './contact-api.service';
import { ContactCreateInput, ContactRecord, ContactResultEntry, ContactResultInput, ContactSaved, ContactUpdateInput } from './contact.types';

/**
 * Contacts: SPECIALIST on their own partners, SUPERVISOR, ADMIN record; the author (the token's
 * specialist, else the token's name) alone edits the partner's last contact; CLIENT reads.
 */
@Resolver()
export class ContactResolver {
  @Query(() => [ContactRecord], {
    description: "A partner's contacts, latest first (by date, time, id). A SPECIALIST reads only their own partners (FORBIDDEN otherwise).",
  })
  contactHistory(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID, { description: 'The partner whose contacts to list.' }) partnerId: string,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 100, description: 'At most this many contacts, 0 to 1000 (default 100).' }) limit?: number,
  ): Promise<ContactRecord[]> {
    return contactHistory(ctx, partnerId, limit);
  }

  @Query(() => [ContactResultEntry], {
    description: 'The configured contact results (active and inactive), by code; once any is configured, new contacts must use an active one.',
  })
  contactResults(@Ctx() ctx: RequestContext): Promise<ContactResultEntry[]> {
    return contactResults(ctx);
  }

  @Mutation(() => ContactSaved, {
    description:
      'Records a contact (with contact person, note and links to what was created in it), re-valuates the partner, and completes its live worklist item when the result says so. The caller becomes its author.',
  })
  createContact(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ContactCreateInput, { description: 'The contact and the partner it was with.' }) input: ContactCreateInput,
  ): Promise<ContactSaved> {
    return createContact(ctx, input);
  }

  @Mutation(() => ContactSaved, {
    description: "Edits the partner's last contact; only its author may (FORBIDDEN otherwise; CONFLICT when it is not the last).",
  })
  updateContact(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The contact to edit (NOT_FOUND when there is none).' }) id: string,
    @Arg('input', () => ContactUpdateInput, { description: 'Every field of the contact: the edit replaces them all.' }) input: ContactUpdateInput,
  ): Promise<ContactSaved> {
    return updateContact(ctx, id, input);
  }

  @Mutation(() => ContactResultEntry, { description: 'Adds or changes a configured contact result (ADMIN, CONFIGURATOR).' })
  saveContactResult(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ContactResultInput, { description: 'The result; an existing code is updated.' }) input: ContactResultInput,
  ): Promise<ContactResultEntry> {
    return saveContactResult(ctx, input);
  }
}
