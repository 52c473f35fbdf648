/**
 * Contacts with the customer; each write re-valuates the partner's worklist item (dynamic update)
 * in the same transaction. A contact whose result is configured to complete the worklist item
 * sets `completed_at` of the partner's item on its live worklist.
 *
 * Author: the specialist of the API token that recorded the contact when the token has one,
 * else the token's name. Only the partner's last contact (by date, time, id) is editable, and
 * only by its author; imported contacts (no author) are not editable.
 */
import type { EntityManager } from 'typeorm';
import { isEntityId, parseId } from '../graphql/scalars';
import type { Database } from '../db/database';
import { completeLiveItem, revaluatePartner, type Revaluation } from '../worklists';
import { BadUserInputError, ConflictError, DomainError, NotFoundError } from '../graphql/errors';
import { date, externalId, partnerOf, type EventResult } from '../collections';
import { CONTACT_DIRECTIONS, type ContactDirection } from './contact.entity';

export interface ContactAuthor {
  name: string;
  specialistId: string | null;
}

export interface ContactInput {
  partnerId: string;
  contactDate: string;
  contactTime?: string | null;
  channel: string;
  direction: ContactDirection;
  reached: boolean;
  result?: string | null;
  contactPerson?: string | null;
  note?: string | null;
  promiseIds?: string[] | null;
  disputeIds?: string[] | null;
  resubmissionIds?: string[] | null;
  /** Null/absent: no author (then nobody may edit the contact). */
  author?: ContactAuthor | null;
}

export interface ContactResultInfo extends EventResult {
  completed: boolean;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

export async function recordContact(db: Database, input: ContactInput): Promise<ContactResultInfo> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const v = await checked(m, partner.id, input);
    const [row] = await m.query(
      `INSERT INTO contacts (external_id, partner_id, contact_date, contact_time, channel, direction, reached, result, contact_person, note,
          author_specialist_id, author_name, promise_ids, dispute_ids, resubmission_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id::text AS id`,
      [
        externalId(),
        partner.id,
        v.contactDate,
        v.contactTime,
        v.channel,
        v.direction,
        input.reached,
        v.result,
        v.contactPerson,
        v.note,
        input.author?.specialistId ?? null,
        input.author?.name ?? null,
        v.promiseIds,
        v.disputeIds,
        v.resubmissionIds,
      ],
    );
    return { id: row.id, ...(await afterContact(m, partner.id, v.contactDate, v.completes)) };
  });
}

/** Edits the partner's last contact; only its author may. All fields are replaced by the input's (partner excepted). */
export async function updateContact(
  db: Database,
  contactId: string,
  input: Omit<ContactInput, 'partnerId' | 'author'>,
  caller: ContactAuthor,
): Promise<ContactResultInfo> {
  return db.dataSource.transaction(async (m) => {
    const [contact] = await m.query(
      `SELECT id::text AS id, partner_id::text AS partner_id, author_specialist_id::text AS author_specialist_id, author_name FROM contacts WHERE id = $1`,
      [parseId(contactId, 'Contact')],
    );
    if (!contact) throw new NotFoundError('Contact', contactId);
    // Serialises edits and new contacts of the partner (the "last contact" must not move under us).
    await m.query(`SELECT id FROM partners WHERE id = $1 FOR UPDATE`, [contact.partner_id]);
    if (!isAuthor(contact, caller)) {
      throw new DomainError(
        'FORBIDDEN',
        contact.author_name === null ? `Contact ${contactId} was imported: nobody edits it in Recoup` : `Only the author of contact ${contactId} may edit it`,
      );
    }
    const [last] = await m.query(
      `SELECT id::text AS id FROM contacts WHERE partner_id = $1 ORDER BY contact_date DESC, contact_time DESC NULLS LAST, id DESC LIMIT 1`,
      [contact.partner_id],
    );
    if (last.id !== contact.id)
      throw new ConflictError(`Only the last contact of partner ${contact.partner_id} is editable (${last.id}, not ${contactId})`, { lastContactId: last.id });
    const v = await checked(m, contact.partner_id, { ...input, partnerId: contact.partner_id });
    await m.query(
      `UPDATE contacts SET contact_date = $2, contact_time = $3, channel = $4, direction = $5, reached = $6, result = $7, contact_person = $8, note = $9,
          promise_ids = $10, dispute_ids = $11, resubmission_ids = $12, edited_at = now() WHERE id = $1`,
      [
        contact.id,
        v.contactDate,
        v.contactTime,
        v.channel,
        v.direction,
        input.reached,
        v.result,
        v.contactPerson,
        v.note,
        v.promiseIds,
        v.disputeIds,
        v.resubmissionIds,
      ],
    );
    return { id: contact.id, ...(await afterContact(m, contact.partner_id, v.contactDate, v.completes)) };
  });
}

function isAuthor(contact: { author_specialist_id: string | null; author_name: string | null }, caller: ContactAuthor): boolean {
  if (contact.author_specialist_id !== null) return caller.specialistId === contact.author_specialist_id;
  return contact.author_name !== null && caller.specialistId === null && caller.name === contact.author_name;
}

async function checked(m: EntityManager, partnerId: string, input: ContactInput) {
  if (!CONTACT_DIRECTIONS.includes(input.direction)) throw new BadUserInputError(`direction is one of ${CONTACT_DIRECTIONS.join(', ')}`, 'direction');
  const channel = input.channel?.trim();
  if (!channel) throw new BadUserInputError('A contact needs a channel', 'channel');
  if (channel.length > 20) throw new BadUserInputError('channel has at most 20 characters', 'channel');
  if (input.contactTime != null && !TIME.test(input.contactTime)) throw new BadUserInputError('contactTime must be HH:MM[:SS]', 'contactTime');
  let completes = false;
  let result: string | null = null;
  if (input.result != null && input.result !== '') {
    const [configured] = await m.query(`SELECT code, completes_worklist_item FROM contact_results WHERE code = $1 AND active`, [input.result]);
    // Results are configured codes; while none is configured the result stays free text (as imported).
    if (!configured) {
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM contact_results`);
      if (n > 0) throw new BadUserInputError(`Unknown contact result ${input.result}`, 'result');
    }
    result = input.result;
    completes = Boolean(configured?.completes_worklist_item);
  }
  return {
    contactDate: date(input.contactDate, 'contactDate'),
    contactTime: input.contactTime ?? null,
    channel,
    direction: input.direction,
    result,
    completes,
    contactPerson: input.contactPerson?.trim() || null,
    note: input.note?.trim() || null,
    promiseIds: await linked(m, 'promises', partnerId, input.promiseIds, 'promiseIds'),
    disputeIds: await linked(m, 'disputes', partnerId, input.disputeIds, 'disputeIds'),
    resubmissionIds: await linked(m, 'resubmissions', partnerId, input.resubmissionIds, 'resubmissionIds'),
  };
}

/** Links must name rows of the same partner. */
async function linked(
  m: EntityManager,
  table: 'promises' | 'disputes' | 'resubmissions',
  partnerId: string,
  ids: string[] | null | undefined,
  path: string,
): Promise<string[] | null> {
  if (!ids?.length) return null;
  const unique = [...new Set(ids)];
  if (unique.some((id) => !isEntityId(id))) throw new BadUserInputError(`${path} holds ids`, path);
  const rows: Array<{ id: string }> = await m.query(`SELECT id::text AS id FROM ${table} WHERE id = ANY($1::bigint[]) AND partner_id = $2`, [
    unique,
    partnerId,
  ]);
  const found = new Set(rows.map((r) => r.id));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) throw new BadUserInputError(`${path}: ${missing.join(', ')} not found for partner ${partnerId}`, path);
  return unique;
}

async function afterContact(
  m: EntityManager,
  partnerId: string,
  contactDate: string,
  completes: boolean,
): Promise<{ revaluation: Revaluation | null; completed: boolean }> {
  const revaluation = await revaluatePartner(m, partnerId, contactDate);
  const completed = completes && (await completeLiveItem(m, revaluation, contactDate));
  return { revaluation, completed };
}

/** The partner of a contact (for the caller's reach before an edit); NOT_FOUND for a malformed or unknown id. */
export async function partnerOfContact(db: Database, contactId: string): Promise<string> {
  const [contact] = await db.dataSource.query(`SELECT partner_id::text AS partner_id FROM contacts WHERE id = $1`, [parseId(contactId, 'Contact')]);
  if (!contact) throw new NotFoundError('Contact', contactId);
  return contact.partner_id;
}

export async function saveContactResult(
  db: Database,
  input: { code: string; description: string; completesWorklistItem: boolean; active?: boolean | null },
): Promise<void> {
  if (!/^[A-Z0-9_]{1,40}$/.test(input.code)) throw new BadUserInputError('code is 1 to 40 of A-Z, 0-9, _', 'code');
  if (!input.description.trim()) throw new BadUserInputError('A contact result needs a description', 'description');
  await db.dataSource.query(
    `INSERT INTO contact_results (code, description, completes_worklist_item, active) VALUES ($1, $2, $3, $4)
     ON CONFLICT (code) DO UPDATE SET description = EXCLUDED.description, completes_worklist_item = EXCLUDED.completes_worklist_item, active = EXCLUDED.active`,
    [input.code, input.description.trim(), input.completesWorklistItem, input.active ?? true],
  );
}
