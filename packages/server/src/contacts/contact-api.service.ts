/**
 * What the API asks of contacts, one call per operation: the caller's reach (a SPECIALIST on their
 * own partners, graphql/access), the write through contact.service (one transaction with the
 * partner's re-valuation), then the rows read back as the API shows them.
 */
import { partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { pageSize } from '../graphql/paging';
import type { AuthUser } from '../graphql/roles';
import { liveItemAfter } from '../worklists';
import * as contacts from './contact.service';
import type { ContactRecord, ContactResultEntry, ContactSaved } from './contact.types';

const COLUMNS = `id::text AS id, external_id, partner_id::text AS partner_id, contact_date, contact_time::text AS contact_time, channel, direction, contact_person,
  reached, result, note, author_name, author_specialist_id::text AS author_specialist_id, promise_ids::text[] AS promise_ids, dispute_ids::text[] AS dispute_ids,
  resubmission_ids::text[] AS resubmission_ids, edited_at`;

const RESULT_COLUMNS = `code, description, completes_worklist_item AS "completesWorklistItem", active`;

function view(r: any): ContactRecord {
  return {
    id: r.id,
    externalId: r.external_id,
    partnerId: r.partner_id,
    contactDate: r.contact_date,
    contactTime: r.contact_time,
    channel: r.channel,
    direction: r.direction,
    contactPerson: r.contact_person,
    reached: r.reached,
    result: r.result,
    note: r.note,
    authorName: r.author_name,
    authorSpecialistId: r.author_specialist_id,
    promiseIds: r.promise_ids ?? [],
    disputeIds: r.dispute_ids ?? [],
    resubmissionIds: r.resubmission_ids ?? [],
    editedAt: r.edited_at ? new Date(r.edited_at).toISOString() : null,
  };
}

/** What a client gives about a contact (ContactUpdateInput, and the customer 360's shorter ContactInput). */
export interface ContactFields {
  contactDate: string;
  contactTime?: string | null;
  channel: string;
  direction: string;
  contactPerson?: string | null;
  reached: boolean;
  result?: string | null;
  note?: string | null;
  promiseIds?: string[] | null;
  disputeIds?: string[] | null;
  resubmissionIds?: string[] | null;
}

const fields = (input: ContactFields): Omit<contacts.ContactInput, 'partnerId' | 'author'> => ({
  contactDate: input.contactDate,
  contactTime: input.contactTime,
  channel: input.channel,
  direction: input.direction?.toUpperCase() as contacts.ContactInput['direction'],
  reached: input.reached,
  result: input.result,
  contactPerson: input.contactPerson,
  note: input.note,
  promiseIds: input.promiseIds,
  disputeIds: input.disputeIds,
  resubmissionIds: input.resubmissionIds,
});

/** The caller is the author: the token's specialist when it has one, else the token's name. */
const authorOf = (user: AuthUser): contacts.ContactAuthor => ({ name: user.name, specialistId: user.specialistId });

async function saved(ctx: RequestContext, partnerId: string, result: contacts.ContactResultInfo): Promise<ContactSaved> {
  const [row] = await ctx.db.dataSource.query(`SELECT ${COLUMNS} FROM contacts WHERE id = $1`, [result.id]);
  return { contact: view(row), completedWorklistItem: result.completed, worklistItem: await liveItemAfter(ctx, partnerId, result.revaluation) };
}

/** A partner's contacts, latest first (date, time, id), at most `limit` (default 100, up to 1000). */
export async function contactHistory(ctx: RequestContext, partnerId: string, limit?: number | null): Promise<ContactRecord[]> {
  await partnerInReach(ctx, partnerId);
  const rows = await ctx.db.dataSource.query(
    `SELECT ${COLUMNS} FROM contacts WHERE partner_id = $1 ORDER BY contact_date DESC, contact_time DESC NULLS LAST, id DESC LIMIT $2`,
    [partnerId, pageSize(limit, 100, 1000, 'limit')],
  );
  return rows.map(view);
}

/** The configured contact results, by code. */
export function contactResults(ctx: RequestContext): Promise<ContactResultEntry[]> {
  return ctx.db.dataSource.query(`SELECT ${RESULT_COLUMNS} FROM contact_results ORDER BY code`);
}

/** Records a contact authored by the caller; completes the partner's live item when its result says so. */
export async function createContact(ctx: RequestContext, input: ContactFields & { partnerId: string }): Promise<ContactSaved> {
  const user = await partnerInReach(ctx, input.partnerId);
  const result = await contacts.recordContact(ctx.db, { ...fields(input), partnerId: input.partnerId, author: authorOf(user) });
  return saved(ctx, input.partnerId, result);
}

/** Edits the partner's last contact; only its author may. */
export async function updateContact(ctx: RequestContext, id: string, input: ContactFields): Promise<ContactSaved> {
  const partnerId = await contacts.partnerOfContact(ctx.db, id);
  const user = await partnerInReach(ctx, partnerId);
  const result = await contacts.updateContact(ctx.db, id, fields(input), authorOf(user));
  return saved(ctx, partnerId, result);
}

/** Adds or changes a configured contact result and reads it back. */
export async function saveContactResult(
  ctx: RequestContext,
  input: { code: string; description: string; completesWorklistItem: boolean; active?: boolean | null },
): Promise<ContactResultEntry> {
  await contacts.saveContactResult(ctx.db, input);
  const [row] = await ctx.db.dataSource.query(`SELECT ${RESULT_COLUMNS} FROM contact_results WHERE code = $1`, [input.code]);
  return row;
}
