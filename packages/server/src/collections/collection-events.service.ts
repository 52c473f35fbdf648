/**
 * What a specialist records about a partner — a payment, a promise to pay, a dispute, a contact,
 * a resubmission — each in one transaction with the re-valuation of the partner's item on the
 * live worklist (dynamic update). Rows created here get a Recoup external id (`RC-…`), so a
 * later import from the source system never collides with them.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Database } from '../db/database';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { DISPUTE_STATUSES, type DisputeStatus } from '../disputes/dispute.entity';
import { CONTACT_DIRECTIONS } from '../import/csv-contract';

type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];
import { revaluatePartner, type Revaluation } from '../worklists/worklist-revaluation.service';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;

const externalId = () => `RC-${randomUUID()}`;

function date(value: string, path: string): string {
  if (!DATE.test(value) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new BadUserInputError(`${path} must be a date (YYYY-MM-DD)`, path);
  }
  return value;
}

function amount(value: string, path: string): string {
  if (!AMOUNT.test(value) || Number(value) <= 0) throw new BadUserInputError(`${path} must be a positive amount with at most 4 decimals`, path);
  return value;
}

async function partnerOf(m: EntityManager, partnerId: string): Promise<{ id: string; currency: string }> {
  if (!/^\d+$/.test(partnerId)) throw new NotFoundError('Partner', partnerId);
  const [p] = await m.query(`SELECT id, currency::text FROM partners WHERE id = $1`, [partnerId]);
  if (!p) throw new NotFoundError('Partner', partnerId);
  return p;
}

async function itemOf(m: EntityManager, partnerId: string, itemId: string | null | undefined): Promise<{ id: string; currency: string; open_amount: string } | null> {
  if (itemId === null || itemId === undefined) return null;
  if (!/^\d+$/.test(itemId)) throw new NotFoundError('Open item', itemId);
  const [item] = await m.query(`SELECT id, partner_id, currency::text, open_amount FROM open_items WHERE id = $1 FOR UPDATE`, [itemId]);
  if (!item) throw new NotFoundError('Open item', itemId);
  if (String(item.partner_id) !== String(partnerId)) throw new BadUserInputError(`Open item ${itemId} belongs to another partner`, 'itemId');
  return item;
}

export interface EventResult {
  id: string;
  revaluation: Revaluation | null;
}

export interface PaymentInput { partnerId: string; itemId?: string | null; paymentDate: string; amount: string; currency?: string }

/** A payment; on an item it clears the item by the amount (never below zero). */
export async function recordPayment(db: Database, input: PaymentInput): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const item = await itemOf(m, partner.id, input.itemId);
    const currency = input.currency ?? item?.currency ?? partner.currency;
    if (item && currency !== item.currency) throw new BadUserInputError(`A payment on item ${item.id} is in its currency ${item.currency}`, 'currency');
    const [row] = await m.query(
      `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [externalId(), partner.id, item?.id ?? null, date(input.paymentDate, 'paymentDate'), amount(input.amount, 'amount'), currency],
    );
    if (item) await m.query(`UPDATE open_items SET open_amount = greatest(open_amount - $2::numeric, 0) WHERE id = $1`, [item.id, input.amount]);
    return { id: row.id, revaluation: await revaluatePartner(m, partner.id, input.paymentDate) };
  });
}

export interface PromiseInput { partnerId: string; itemId?: string | null; createdDate: string; promisedDate: string; amount: string; currency?: string }

export async function createPromise(db: Database, input: PromiseInput): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const item = await itemOf(m, partner.id, input.itemId);
    const created = date(input.createdDate, 'createdDate');
    if (date(input.promisedDate, 'promisedDate') < created) throw new BadUserInputError('The promised date is before the promise was made', 'promisedDate');
    const [row] = await m.query(
      `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [externalId(), partner.id, item?.id ?? null, created, input.promisedDate, amount(input.amount, 'amount'), input.currency ?? item?.currency ?? partner.currency],
    );
    return { id: row.id, revaluation: await revaluatePartner(m, partner.id, created) };
  });
}

export interface DisputeInput { partnerId: string; itemId?: string | null; createdDate: string; disputedAmount: string; currency?: string; reason?: string | null }

export async function openDispute(db: Database, input: DisputeInput): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const item = await itemOf(m, partner.id, input.itemId);
    const created = date(input.createdDate, 'createdDate');
    const [row] = await m.query(
      `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status, reason) VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7) RETURNING id`,
      [externalId(), partner.id, item?.id ?? null, created, amount(input.disputedAmount, 'disputedAmount'), input.currency ?? item?.currency ?? partner.currency, input.reason ?? null],
    );
    return { id: row.id, revaluation: await revaluatePartner(m, partner.id, created) };
  });
}

/** A dispute's new status (the full state machine comes with dispute management). */
export async function setDisputeStatus(db: Database, disputeId: string, status: DisputeStatus): Promise<EventResult> {
  if (!DISPUTE_STATUSES.includes(status)) throw new BadUserInputError(`Unknown dispute status ${status}`, 'status');
  return db.dataSource.transaction(async (m) => {
    const [dispute]: Array<{ id: string; partner_id: string }> = /^\d+$/.test(disputeId)
      ? await m.query(`SELECT id, partner_id FROM disputes WHERE id = $1 FOR UPDATE`, [disputeId]) : [];
    if (!dispute) throw new NotFoundError('Dispute', disputeId);
    await m.query(`UPDATE disputes SET status = $2 WHERE id = $1`, [dispute.id, status]);
    return { id: dispute.id, revaluation: await revaluatePartner(m, String(dispute.partner_id)) };
  });
}

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

export interface ResubmissionInput { partnerId: string; resubmissionDate: string; reason: string }

export async function scheduleResubmission(db: Database, input: ResubmissionInput): Promise<EventResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    if (!input.reason.trim()) throw new BadUserInputError('A resubmission needs a reason', 'reason');
    const [row] = await m.query(
      `INSERT INTO resubmissions (partner_id, resubmission_date, reason) VALUES ($1, $2, $3) RETURNING id`,
      [partner.id, date(input.resubmissionDate, 'resubmissionDate'), input.reason.trim()],
    );
    return { id: row.id, revaluation: await revaluatePartner(m, partner.id) };
  });
}
