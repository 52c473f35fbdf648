/**
 * Input checks shared by what specialists record (payments, promises, disputes, contacts,
 * resubmissions): dates, amounts, the partner and the item it names. Rows created in Recoup get
 * a Recoup external id (`RC-…`), so a later import from the source system never collides.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { isAmount, toUnits } from '../fx/money';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { isIsoDate, parseId } from '../graphql/scalars';
import type { Revaluation } from '../worklists';

export const externalId = () => `RC-${randomUUID()}`;

export function date(value: string, path: string): string {
  if (!isIsoDate(value)) throw new BadUserInputError(`${path} must be a date (YYYY-MM-DD)`, path);
  return value;
}

export function amount(value: string, path: string): string {
  if (!isAmount(value) || toUnits(value) <= 0n) throw new BadUserInputError(`${path} must be a positive amount with at most 4 decimals`, path);
  return value;
}

export async function partnerOf(m: EntityManager, partnerId: string): Promise<{ id: string; currency: string }> {
  parseId(partnerId, 'Partner');
  const [p] = await m.query(`SELECT id, currency::text FROM partners WHERE id = $1`, [partnerId]);
  if (!p) throw new NotFoundError('Partner', partnerId);
  return p;
}

export async function itemOf(
  m: EntityManager,
  partnerId: string,
  itemId: string | null | undefined,
): Promise<{ id: string; currency: string; open_amount: string } | null> {
  if (itemId === null || itemId === undefined) return null;
  parseId(itemId, 'Open item');
  const [item] = await m.query(`SELECT id, partner_id, currency::text, open_amount FROM open_items WHERE id = $1 FOR UPDATE`, [itemId]);
  if (!item) throw new NotFoundError('Open item', itemId);
  if (String(item.partner_id) !== String(partnerId)) throw new BadUserInputError(`Open item ${itemId} belongs to another partner`, 'itemId');
  return item;
}

export interface EventResult {
  id: string;
  revaluation: Revaluation | null;
}
