/**
 * Posting payments. A posting clears items oldest first (due date, then id): the named items, or
 * every open item of the partner in the payment's currency (`clearOpenItems`), or the items of a
 * payment plan; one `payments` row per item cleared, sharing a `posting_ref`. What the items'
 * open amounts cannot take is booked ON ACCOUNT (a row without an item), never refused and never
 * driving an open amount below zero; without items the whole payment is on account. Then, in the
 * same transaction: the partner's worklist item is re-valuated (dynamic update), and the promises
 * on the items cleared and the installments of the plans covering them (or the plan named) are
 * judged at the re-valuation's key date and their status stored.
 */
import type { EntityManager } from 'typeorm';
import { parseId } from '../graphql/scalars';
import type { Database } from '../db/database';
import { revaluatePartner, type Revaluation } from '../worklists';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { amount, date, externalId, itemOf, partnerOf, type EventResult } from '../collections';
import { fillInOrder, fromUnits, toUnits } from '../fx/money';
import { judgeInstallmentsWhere, judgePromisesWhere, type Judged } from '../promises';

export interface PaymentInput {
  partnerId: string;
  itemId?: string | null;
  paymentDate: string;
  amount: string;
  currency?: string;
}

export interface PostPaymentInput {
  partnerId: string;
  paymentDate: string;
  amount: string;
  currency?: string | null;
  /** Items to clear, oldest first whatever the order given. */
  itemIds?: string[] | null;
  /** Without itemIds: clear the partner's open items in the payment currency, oldest first. */
  clearOpenItems?: boolean | null;
  /** Against a payment plan: clears the plan's items; the rest on account counts for the plan. */
  paymentPlanId?: string | null;
}

export interface ClearedItem {
  itemId: string;
  paymentId: string;
  amount: string;
  openBefore: string;
  openAfter: string;
}

export interface PostingResult {
  postingRef: string;
  /** Every row written: per item cleared, then the one on account (if any). */
  paymentIds: string[];
  cleared: ClearedItem[];
  onAccount: string;
  onAccountPaymentId: string | null;
  currency: string;
  judgedAt: string;
  promises: Judged[];
  installments: Array<Judged & { planId: string; seq: number }>;
  revaluation: Revaluation | null;
}

interface OpenRow {
  id: string;
  currency: string;
  open_amount: string;
  due_date: string;
}

const ITEM_SELECT = `SELECT id::text AS id, currency::text AS currency, open_amount::text AS open_amount, due_date FROM open_items`;

async function targetItems(m: EntityManager, partnerId: string, input: PostPaymentInput, currency: string | null, itemPath: string): Promise<OpenRow[]> {
  if (input.paymentPlanId) {
    parseId(input.paymentPlanId, 'Payment plan');
    const [plan] = await m.query(`SELECT partner_id::text AS partner_id, cancelled FROM payment_plans WHERE id = $1 FOR UPDATE`, [input.paymentPlanId]);
    if (!plan) throw new NotFoundError('Payment plan', input.paymentPlanId);
    if (plan.partner_id !== String(partnerId)) throw new BadUserInputError(`Payment plan ${input.paymentPlanId} belongs to another partner`, 'paymentPlanId');
    if (plan.cancelled)
      throw new ConflictError(`Payment plan ${input.paymentPlanId} is CANCELLED; post the payment on its items instead`, { status: 'CANCELLED' });
    return m.query(`${ITEM_SELECT} WHERE id IN (SELECT item_id FROM payment_plan_items WHERE plan_id = $1) ORDER BY due_date, id FOR UPDATE`, [
      input.paymentPlanId,
    ]);
  }
  const ids = [...new Set(input.itemIds ?? [])];
  if (ids.length) {
    for (const id of ids)
      await itemOf(m, partnerId, id).catch((e) => {
        throw e instanceof BadUserInputError ? new BadUserInputError(e.message, itemPath) : e;
      });
    return m.query(`${ITEM_SELECT} WHERE id = ANY($1::bigint[]) ORDER BY due_date, id FOR UPDATE`, [ids]);
  }
  if (input.clearOpenItems) {
    return m.query(`${ITEM_SELECT} WHERE partner_id = $1 AND open_amount > 0 AND currency = coalesce($2::text, currency) ORDER BY due_date, id FOR UPDATE`, [
      partnerId,
      currency,
    ]);
  }
  return [];
}

/** Posts a payment in one transaction (see the module comment): clear items oldest first, the rest on account, re-valuate, judge. */
export async function postPayment(db: Database, input: PostPaymentInput, itemPath = 'itemIds'): Promise<PostingResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const paymentDate = date(input.paymentDate, 'paymentDate');
    const total = toUnits(amount(input.amount, 'amount'));
    const items = await targetItems(m, partner.id, input, input.currency ?? (input.clearOpenItems ? partner.currency : null), itemPath);
    const currency = paymentCurrency(input, items, partner.currency, itemPath);
    const { shares, rest } = fillInOrder(
      total,
      items.map((i) => {
        const open = toUnits(i.open_amount);
        return open > 0n ? open : 0n;
      }),
    );
    const posting = new Posting(m, { partnerId: partner.id, paymentDate, currency, planId: input.paymentPlanId ?? null });
    for (let i = 0; i < items.length; i++) await posting.clear(items[i]!, shares[i]!);
    const onAccountPaymentId = rest > 0n ? await posting.insert(null, rest) : null;
    const revaluation = await revaluatePartner(m, partner.id, paymentDate);
    const judgedAt = revaluation?.asOf ?? paymentDate;
    const { promises, installments } = await judgeAfterPayment(
      m,
      judgedAt,
      posting.cleared.map((c) => c.itemId),
      posting.planId,
    );
    return {
      postingRef: posting.ref,
      paymentIds: posting.paymentIds,
      cleared: posting.cleared,
      onAccount: fromUnits(rest),
      onAccountPaymentId,
      currency,
      judgedAt,
      promises,
      installments,
      revaluation,
    };
  });
}

/** The payment's currency: as given, else the items', else the partner's; every item must share it. */
function paymentCurrency(input: PostPaymentInput, items: Array<{ id: string; currency: string }>, partnerCurrency: string, itemPath: string): string {
  const currency = input.currency ?? items[0]?.currency ?? partnerCurrency;
  const foreign = items.find((i) => i.currency !== currency);
  if (foreign) throw new BadUserInputError(`A payment on item ${foreign.id} is in its currency ${foreign.currency}`, input.currency ? 'currency' : itemPath);
  return currency;
}

/** The payment rows of one posting (one reference), and the items they cleared. */
class Posting {
  readonly ref = externalId();
  readonly cleared: ClearedItem[] = [];
  readonly paymentIds: string[] = [];
  readonly planId: string | null;

  constructor(
    private readonly m: EntityManager,
    private readonly of: { partnerId: string; paymentDate: string; currency: string; planId: string | null },
  ) {
    this.planId = of.planId;
  }

  async insert(itemId: string | null, units: bigint): Promise<string> {
    const [row] = await this.m.query(
      `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency, posting_ref, payment_plan_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
      [externalId(), this.of.partnerId, itemId, this.of.paymentDate, fromUnits(units), this.of.currency, this.ref, this.planId],
    );
    this.paymentIds.push(row.id);
    return row.id;
  }

  /** A payment of `share` on the item, which lowers its open amount by as much. */
  async clear(item: { id: string; open_amount: string }, share: bigint): Promise<void> {
    if (share <= 0n) return;
    const paymentId = await this.insert(item.id, share);
    const [after] = await this.m.query(
      `WITH u AS (UPDATE open_items SET open_amount = open_amount - $2::numeric WHERE id = $1 RETURNING open_amount::text AS open_amount) SELECT * FROM u`,
      [item.id, fromUnits(share)],
    );
    this.cleared.push({
      itemId: item.id,
      paymentId,
      amount: fromUnits(share),
      openBefore: fromUnits(toUnits(item.open_amount)),
      openAfter: fromUnits(toUnits(after.open_amount)),
    });
  }
}

/** The promises on the cleared items and the installments of their plans (or of the named plan), judged at the date. */
async function judgeAfterPayment(m: EntityManager, judgedAt: string, clearedIds: string[], planId: string | null) {
  const promises = clearedIds.length ? await judgePromisesWhere(m, judgedAt, 'q.item_id = ANY($2::bigint[])', [clearedIds]) : [];
  const installments =
    clearedIds.length || planId
      ? await judgeInstallmentsWhere(
          m,
          judgedAt,
          'n.plan_id IN (SELECT pi.plan_id FROM payment_plan_items pi WHERE pi.item_id = ANY($2::bigint[]) UNION ALL SELECT $3::bigint WHERE $3::bigint IS NOT NULL)',
          [clearedIds, planId],
        )
      : [];
  promises.sort((a, b) => Number(a.id) - Number(b.id));
  return { promises, installments };
}

/**
 * A payment on one item or on account (the collection-events entry point): `postPayment` with that
 * item; what the item's open amount cannot take goes on account.
 */
export async function recordPayment(db: Database, input: PaymentInput): Promise<EventResult> {
  const r = await postPayment(
    db,
    { partnerId: input.partnerId, paymentDate: input.paymentDate, amount: input.amount, currency: input.currency, itemIds: input.itemId ? [input.itemId] : [] },
    'itemId',
  );
  return { id: r.paymentIds[0]!, revaluation: r.revaluation };
}
