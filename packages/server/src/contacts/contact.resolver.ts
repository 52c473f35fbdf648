import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { isEntityId } from '../graphql/scalars';
import { liveItemAfter } from '../worklists';
import type { RequestContext } from '../graphql/context';
import { NotFoundError } from '../graphql/errors';
import { partnerInReach } from '../graphql/access';
import { pageSize } from '../graphql/paging';
import { recordContact, saveContactResult, updateContact, type ContactInput } from './contact.service';
import { ContactCreateInput, ContactRecord, ContactResultEntry, ContactResultInput, ContactSaved, ContactUpdateInput } from './contact.types';

const COLUMNS = `id::text AS id, external_id, partner_id::text AS partner_id, contact_date, contact_time::text AS contact_time, channel, direction, contact_person,
  reached, result, note, author_name, author_specialist_id::text AS author_specialist_id, promise_ids::text[] AS promise_ids, dispute_ids::text[] AS dispute_ids,
  resubmission_ids::text[] AS resubmission_ids, edited_at`;

function view(r: any): ContactRecord {
  return {
    id: r.id, externalId: r.external_id, partnerId: r.partner_id, contactDate: r.contact_date, contactTime: r.contact_time, channel: r.channel,
    direction: r.direction, contactPerson: r.contact_person, reached: r.reached, result: r.result, note: r.note, authorName: r.author_name,
    authorSpecialistId: r.author_specialist_id, promiseIds: r.promise_ids ?? [], disputeIds: r.dispute_ids ?? [], resubmissionIds: r.resubmission_ids ?? [],
    editedAt: r.edited_at ? new Date(r.edited_at).toISOString() : null,
  };
}

const fields = (input: ContactUpdateInput): Omit<ContactInput, 'partnerId' | 'author'> => ({
  contactDate: input.contactDate, contactTime: input.contactTime, channel: input.channel, direction: input.direction?.toUpperCase() as ContactInput['direction'],
  reached: input.reached, result: input.result, contactPerson: input.contactPerson, note: input.note,
  promiseIds: input.promiseIds, disputeIds: input.disputeIds, resubmissionIds: input.resubmissionIds,
});

async function saved(ctx: RequestContext, partnerId: string, result: Awaited<ReturnType<typeof recordContact>>): Promise<ContactSaved> {
  const [row] = await ctx.db.dataSource.query(`SELECT ${COLUMNS} FROM contacts WHERE id = $1`, [result.id]);
  return { contact: view(row), completedWorklistItem: result.completed, worklistItem: await liveItemAfter(ctx, partnerId, result.revaluation) };
}

/**
 * Contacts: SPECIALIST on their own partners, SUPERVISOR, ADMIN record; the author (the token's
 * specialist, else the token's name) alone edits the partner's last contact; CLIENT reads.
 */
@Resolver()
export class ContactResolver {
  @Query(() => [ContactRecord], { description: "A partner's contacts, latest first." })
  async contactHistory(
    @Ctx() ctx: RequestContext, @Arg('partnerId', () => ID) partnerId: string,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 100 }) limit?: number,
  ): Promise<ContactRecord[]> {
    await partnerInReach(ctx, partnerId);
    const rows = await ctx.db.dataSource.query(
      `SELECT ${COLUMNS} FROM contacts WHERE partner_id = $1 ORDER BY contact_date DESC, contact_time DESC NULLS LAST, id DESC LIMIT $2`, [partnerId, pageSize(limit, 100, 1000)]);
    return rows.map(view);
  }

  @Query(() => [ContactResultEntry])
  async contactResults(@Ctx() ctx: RequestContext): Promise<ContactResultEntry[]> {
    return ctx.db.dataSource.query(`SELECT code, description, completes_worklist_item AS "completesWorklistItem", active FROM contact_results ORDER BY code`);
  }

  @Mutation(() => ContactSaved, { description: 'Records a contact (with contact person, note and links to what was created in it), re-valuates the partner, and completes its live worklist item when the result says so.' })
  async createContact(@Ctx() ctx: RequestContext, @Arg('input', () => ContactCreateInput) input: ContactCreateInput): Promise<ContactSaved> {
    const user = await partnerInReach(ctx, input.partnerId);
    const result = await recordContact(ctx.db, { ...fields(input), partnerId: input.partnerId, author: { name: user.name, specialistId: user.specialistId } });
    return saved(ctx, input.partnerId, result);
  }

  @Mutation(() => ContactSaved, { description: "Edits the partner's last contact; only its author may (FORBIDDEN otherwise; CONFLICT when it is not the last)." })
  async updateContact(
    @Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('input', () => ContactUpdateInput) input: ContactUpdateInput,
  ): Promise<ContactSaved> {
    const [contact] = isEntityId(id) ? await ctx.db.dataSource.query(`SELECT partner_id::text AS partner_id FROM contacts WHERE id = $1`, [id]) : [];
    if (!contact) throw new NotFoundError('Contact', id);
    const user = await partnerInReach(ctx, contact.partner_id);
    const result = await updateContact(ctx.db, id, fields(input), { name: user.name, specialistId: user.specialistId });
    return saved(ctx, contact.partner_id, result);
  }

  @Mutation(() => ContactResultEntry, { description: 'Adds or changes a configured contact result (ADMIN, CONFIGURATOR).' })
  async saveContactResult(@Ctx() ctx: RequestContext, @Arg('input', () => ContactResultInput) input: ContactResultInput): Promise<ContactResultEntry> {
    await saveContactResult(ctx.db, input);
    const [row] = await ctx.db.dataSource.query(
      `SELECT code, description, completes_worklist_item AS "completesWorklistItem", active FROM contact_results WHERE code = $1`, [input.code]);
    return row;
  }
}
