/** Contacts with the customer; each re-valuates the partner's worklist item (dynamic update). */
import type { Database } from '../db/database';
import { revaluatePartner } from '../worklists/worklist-revaluation.service';
import { BadUserInputError } from '../graphql/errors';
import { CONTACT_DIRECTIONS } from '../import/csv-contract';
import { date, externalId, partnerOf, type EventResult } from '../collections/collection-input';

type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

export interface ContactInput { partnerId: string; contactDate: string; contactTime?: string | null; channel: string; direction: ContactDirection; reached: boolean; result?: string | null }

export async function recordContact(db: Database, input: ContactInput): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    if (!CONTACT_DIRECTIONS.includes(input.direction)) throw new BadUserInputError(`direction is one of ${CONTACT_DIRECTIONS.join(', ')}`, 'direction');
    if (!input.channel.trim()) throw new BadUserInputError('A contact needs a channel', 'channel');
    const [row] = await m.query(
      `INSERT INTO contacts (external_id, partner_id, contact_date, contact_time, channel, direction, reached, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [externalId(), partner.id, date(input.contactDate, 'contactDate'), input.contactTime ?? null, input.channel.trim(), input.direction, input.reached, input.result ?? null],
    );
    return { id: row.id, revaluation: await revaluatePartner(m, partner.id, input.contactDate) };
  });
}

