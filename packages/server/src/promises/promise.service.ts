/**
 * Promises to pay: made on one item, several (one promise per item, the amount split by due date
 * or evenly) or none; cancelled; renewed at a higher level. Each write is one transaction with the
 * re-valuation of the partner's worklist item (dynamic update).
 *
 * State machine (status at the date of the action, promise-status.ts):
 *   OPEN → CANCELLED (cancelPromise) · OPEN → superseded by a renewal (the old one CANCELLED, the new
 *   one level + 1) · BROKEN / PARTIALLY_KEPT → renewed (the old one keeps its status: the breach
 *   stays in the history and the facts; the new one is level + 1) · KEPT and CANCELLED are final.
 *   A promise is renewed at most once (a renewal is renewed in turn).
 */
import type { EntityManager } from 'typeorm';
import { parseId } from '../graphql/scalars';
import type { Database } from '../db/database';
import { revaluatePartner, revaluateWorkedPartner, type Revaluation } from '../worklists';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { amount, date, externalId, itemOf, partnerOf, type EventResult } from '../collections';
import { fillInOrder, fromUnits, splitEvenly, toUnits } from '../fx/money';
import { promiseStatusSql, type PromiseStatus } from './promise-status';

export interface PromiseInput {
  partnerId: string;
  itemId?: string | null;
  createdDate: string;
  promisedDate: string;
  amount: string;
  currency?: string;
}

export type PromiseDistribution = 'BY_DUE_DATE' | 'EVENLY';

export interface PromisesInput {
  partnerId: string;
  /** Items to promise on (one promise each); none = one promise on the partner without an item. */
  itemIds?: string[] | null;
  createdDate: string;
  promisedDate: string;
  amount: string;
  currency?: string | null;
  /** How the amount is split over several items (default BY_DUE_DATE). */
  distribution?: PromiseDistribution | null;
}

export interface PromisesResult {
  ids: string[];
  groupId: string;
  revaluation: Revaluation | null;
}

/** One promise (on an item or none): the first of `createPromises`. */
export async function createPromise(db: Database, input: PromiseInput): Promise<EventResult> {
  const r = await createPromises(db, { ...input, itemIds: input.itemId ? [input.itemId] : [] }, 'itemId');
  return { id: r.ids[0]!, revaluation: r.revaluation };
}

interface ItemRow {
  id: string;
  currency: string;
  open_amount: string;
  due_date: string;
}

/**
 * Splits `amount` over the items (oldest due date first, then id):
 * - BY_DUE_DATE: fills each item up to its open amount, oldest first; more than the items' open
 *   total is refused.
 * - EVENLY: equal shares in whole cents, the remainder cents (and any sub-cent rest) to the oldest
 *   items; a share above its item's open amount is refused.
 * The shares sum to the amount exactly; EVENLY's are all positive, BY_DUE_DATE leaves 0 on the
 * items the amount does not reach (createPromises makes no promise on those).
 */
export function splitPromise(total: string, items: Array<{ id: string; open_amount: string }>, distribution: PromiseDistribution): string[] {
  const units = toUnits(total);
  const caps = items.map((i) => toUnits(i.open_amount));
  let shares: bigint[];
  if (distribution === 'EVENLY') {
    shares = splitEvenly(units, items.length);
    const over = shares.findIndex((s, i) => s > caps[i]!);
    if (over >= 0)
      throw new BadUserInputError(
        `An even share of ${fromUnits(shares[over]!)} exceeds the open amount ${fromUnits(caps[over]!)} of item ${items[over]!.id}`,
        'amount',
      );
    if (shares.some((s) => s <= 0n)) throw new BadUserInputError(`The amount is too small to split evenly over ${items.length} items`, 'amount');
  } else {
    const { shares: filled, rest } = fillInOrder(units, caps);
    if (rest > 0n) throw new BadUserInputError(`The amount exceeds the open amount ${fromUnits(units - rest)} of the items`, 'amount');
    shares = filled;
  }
  return shares.map(fromUnits);
}

export async function createPromises(db: Database, input: PromisesInput, itemPath = 'itemIds'): Promise<PromisesResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const created = date(input.createdDate, 'createdDate');
    if (date(input.promisedDate, 'promisedDate') < created) throw new BadUserInputError('The promised date is before the promise was made', 'promisedDate');
    const total = amount(input.amount, 'amount');
    const ids = [...new Set(input.itemIds ?? [])];
    const items: ItemRow[] = [];
    for (const id of ids) {
      const item = await itemOf(m, partner.id, id).catch((e) => {
        throw e instanceof BadUserInputError ? new BadUserInputError(e.message, itemPath) : e;
      });
      const [row] = await m.query(
        `SELECT id::text AS id, currency::text AS currency, open_amount::text AS open_amount, due_date FROM open_items WHERE id = $1`,
        [item!.id],
      );
      items.push(row);
    }
    items.sort((a, b) => (a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : Number(a.id) - Number(b.id)));
    const currency = input.currency ?? items[0]?.currency ?? partner.currency;
    if (items.some((i) => i.currency !== currency))
      throw new BadUserInputError(
        `A promise on items is in their currency (${[...new Set(items.map((i) => i.currency))].join(', ')}), one currency per promise`,
        'currency',
      );
    // A single item may be promised beyond its open amount (as before); a split needs the open amounts.
    const shares = items.length > 1 ? splitPromise(total, items, input.distribution ?? 'BY_DUE_DATE') : [total];
    // Items the split leaves nothing get no promise: a 0.00 promise is KEPT at once and inflates every kept figure.
    const promised = (items.length ? items : [null]).map((item, i) => ({ itemId: item?.id ?? null, share: shares[i]! })).filter((p) => toUnits(p.share) > 0n);
    const out: string[] = [];
    for (const p of promised) {
      const [row] = await m.query(
        `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency, group_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
        [externalId(), partner.id, p.itemId, created, input.promisedDate, p.share, currency, out[0] ?? null],
      );
      out.push(row.id);
    }
    await m.query(`UPDATE promises SET group_id = $1 WHERE id = $1`, [out[0]]);
    return { ids: out, groupId: out[0]!, revaluation: await revaluateWorkedPartner(m, partner.id, created) };
  });
}

interface PromiseRow {
  id: string;
  partner_id: string;
  item_id: string | null;
  created_date: string;
  promised_date: string;
  amount: string;
  currency: string;
  level: number;
  cancelled: boolean;
}

/** The promise, locked, with its status at D. */
async function promiseAt(
  m: EntityManager,
  promiseId: string,
  asOf: string,
): Promise<PromiseRow & { status: PromiseStatus | null; paid: string | null; renewed: boolean }> {
  parseId(promiseId, 'Promise');
  const [row] = await m.query(
    `SELECT id::text AS id, partner_id::text AS partner_id, item_id::text AS item_id, created_date, promised_date, amount::text AS amount,
        currency::text AS currency, level, cancelled, EXISTS (SELECT 1 FROM promises r WHERE r.renewed_from_id = promises.id) AS renewed
       FROM promises WHERE id = $1 FOR UPDATE`,
    [promiseId],
  );
  if (!row) throw new NotFoundError('Promise', promiseId);
  const [s] = await m.query(`SELECT status, paid::text AS paid FROM (${promiseStatusSql('$1::date', 'q.id = $2')}) s`, [asOf, promiseId]);
  return { ...row, level: Number(row.level), status: s?.status ?? null, paid: s?.paid ?? null };
}

/** The promise's partner (for the caller's authorisation before the write). */
export async function partnerOfPromise(db: Database, promiseId: string): Promise<string> {
  parseId(promiseId, 'Promise');
  const [row] = await db.dataSource.query(`SELECT partner_id::text AS partner_id FROM promises WHERE id = $1`, [promiseId]);
  if (!row) throw new NotFoundError('Promise', promiseId);
  return row.partner_id;
}

/** Cancels a promise that is OPEN at the cancellation date; KEPT, PARTIALLY_KEPT, BROKEN and CANCELLED are refused (CONFLICT). */
export async function cancelPromise(db: Database, input: { promiseId: string; cancelledDate: string }): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const when = date(input.cancelledDate, 'cancelledDate');
    const p = await promiseAt(m, input.promiseId, when);
    if (when < p.created_date) throw new BadUserInputError(`Promise ${p.id} was made on ${p.created_date}, after ${when}`, 'cancelledDate');
    if (p.status !== 'OPEN') throw new ConflictError(`Promise ${p.id} is ${p.status} at ${when}; only an OPEN promise can be cancelled`, { status: p.status });
    await m.query(`UPDATE promises SET cancelled = true, cancelled_date = $2, judged_status = 'CANCELLED', judged_at = $2 WHERE id = $1`, [p.id, when]);
    return { id: p.id, revaluation: await revaluatePartner(m, p.partner_id, when) };
  });
}

export interface RenewInput {
  promiseId: string;
  createdDate: string;
  promisedDate: string;
  amount?: string | null;
}

/**
 * Renews a promise: a new promise on the same item and currency, `renewed_from_id` = the old one,
 * level = old level + 1, amount by default what is still unpaid of the old one. The old one, if
 * OPEN at the renewal date, is superseded: CANCELLED (cancelled_date = renewal date); if BROKEN or
 * PARTIALLY_KEPT it keeps that status. KEPT, CANCELLED or already renewed: CONFLICT.
 */
export async function renewPromise(db: Database, input: RenewInput): Promise<EventResult & { supersededId: string | null; level: number }> {
  return db.dataSource.transaction(async (m) => {
    const created = date(input.createdDate, 'createdDate');
    if (date(input.promisedDate, 'promisedDate') < created) throw new BadUserInputError('The promised date is before the promise was made', 'promisedDate');
    const old = await promiseAt(m, input.promiseId, created);
    if (created < old.created_date) throw new BadUserInputError(`Promise ${old.id} was made on ${old.created_date}, after ${created}`, 'createdDate');
    if (old.renewed) throw new ConflictError(`Promise ${old.id} has already been renewed; renew its renewal`, { status: old.status });
    if (old.status === 'KEPT' || old.status === 'CANCELLED') {
      throw new ConflictError(`Promise ${old.id} is ${old.status} at ${created}; only an OPEN, BROKEN or PARTIALLY_KEPT promise can be renewed`, {
        status: old.status,
      });
    }
    const unpaid = toUnits(old.amount) - toUnits(String(old.paid ?? '0').replace(/^(-?\d+(\.\d{0,4})?).*$/, '$1'));
    const newAmount = input.amount ? amount(input.amount, 'amount') : fromUnits(unpaid);
    if (toUnits(newAmount) <= 0n) throw new BadUserInputError(`Nothing of promise ${old.id} is unpaid; give the renewal a positive amount`, 'amount');
    const superseded = old.status === 'OPEN';
    if (superseded)
      await m.query(`UPDATE promises SET cancelled = true, cancelled_date = $2, judged_status = 'CANCELLED', judged_at = $2 WHERE id = $1`, [old.id, created]);
    const [row] = await m.query(
      `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency, level, renewed_from_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text AS id`,
      [externalId(), old.partner_id, old.item_id, created, input.promisedDate, newAmount, old.currency, old.level + 1, old.id],
    );
    await m.query(`UPDATE promises SET group_id = id WHERE id = $1`, [row.id]);
    return {
      id: row.id,
      supersededId: superseded ? old.id : null,
      level: old.level + 1,
      revaluation: await revaluateWorkedPartner(m, old.partner_id, created),
    };
  });
}
