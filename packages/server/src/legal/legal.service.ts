/**
 * Legal escalation (issue 22): a case on some or all of a partner's open items moves PREPARED ->
 * FILED -> JUDGMENT -> ENFORCEMENT, and may be CLOSED (with an outcome) from any open state. While
 * open it holds its items (item_holds, kind LEGAL, from openedOn): out of the worklist facts, dunning
 * and placement; closing ends the holds on its date (kept: a run at an earlier D still sees them).
 * Each change is dated (legal_case_events) and audited; costs (court fees, lawyers) are charges
 * recorded on the case, exact money.
 */
import type { EntityManager } from 'typeorm';
import { recordAudit, type Actor } from '../audit';
import { isAmount } from '../fx/money';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { isIsoDate } from '../graphql/scalars';
import { assertHoldsEndedBy } from '../agencies';
import { revaluatePartner } from '../worklists';
import { LEGAL_OUTCOMES, LEGAL_STATUSES, type LegalOutcome, type LegalStatus } from './legal.entity';

/** The states a case may move to from each state. */
export const LEGAL_TRANSITIONS: Record<LegalStatus, readonly LegalStatus[]> = {
  PREPARED: ['FILED', 'CLOSED'],
  FILED: ['JUDGMENT', 'CLOSED'],
  JUDGMENT: ['ENFORCEMENT', 'CLOSED'],
  ENFORCEMENT: ['CLOSED'],
  CLOSED: [],
};

export interface OpenCaseInput {
  partnerId: string;
  itemIds: readonly string[];
  openedOn: string;
  reference?: string | null;
}

export interface ChangeCaseInput {
  caseId: string;
  status: string;
  changedOn: string;
  outcome?: string | null;
  note?: string | null;
  version: number;
}

export interface CostInput {
  caseId: string;
  costDate: string;
  kind: string;
  amount: string;
  currency: string;
}

/** Opens a case (PREPARED) on the named open items, or on every open item not held; returns its id. */
export async function openLegalCase(m: EntityManager, actor: Actor, input: OpenCaseInput): Promise<string> {
  if (!isIsoDate(input.openedOn)) throw new BadUserInputError('openedOn must be a date (YYYY-MM-DD)', 'input.openedOn');
  const reference = optionalText(input.reference, 'input.reference');
  const [partner] = await m.query(`SELECT id FROM partners WHERE id = $1 FOR UPDATE`, [input.partnerId]);
  if (!partner) throw new NotFoundError('Partner', input.partnerId);
  const items = await itemsForCase(m, input.partnerId, input.itemIds);
  await assertHoldsEndedBy(m, items, input.openedOn, 'input.openedOn');
  const [created] = await m.query(
    `INSERT INTO legal_cases (partner_id, status, opened_on, reference) VALUES ($1, 'PREPARED', $2, $3) RETURNING id::text AS id`,
    [input.partnerId, input.openedOn, reference],
  );
  await m.query(
    `INSERT INTO legal_case_items (case_id, item_id, amount, currency) SELECT $1, i.id, i.open_amount, i.currency FROM open_items i WHERE i.id = ANY($2::bigint[])`,
    [created.id, items],
  );
  await m.query(`INSERT INTO item_holds (item_id, partner_id, kind, holder_id, started_on) SELECT id, $2, 'LEGAL', $3, $4 FROM unnest($1::bigint[]) id`, [
    items,
    input.partnerId,
    created.id,
    input.openedOn,
  ]);
  await m.query(`INSERT INTO legal_case_events (case_id, status, changed_on) VALUES ($1, 'PREPARED', $2)`, [created.id, input.openedOn]);
  await recordAudit(m, actor, { action: 'OPEN', entityType: 'LEGAL_CASE', entityId: created.id, details: { partnerId: input.partnerId, items } });
  // The live worklist sees the hold at once, as after a payment or promise.
  await revaluatePartner(m, input.partnerId, input.openedOn);
  return created.id;
}

/** Moves a case along LEGAL_TRANSITIONS; CLOSED needs an outcome and releases the items. */
export async function changeLegalCase(m: EntityManager, actor: Actor, input: ChangeCaseInput): Promise<void> {
  if (!isIsoDate(input.changedOn)) throw new BadUserInputError('changedOn must be a date (YYYY-MM-DD)', 'input.changedOn');
  if (!(LEGAL_STATUSES as readonly string[]).includes(input.status)) {
    throw new BadUserInputError(`status is one of ${LEGAL_STATUSES.join(', ')}`, 'input.status');
  }
  const status = input.status as LegalStatus;
  const outcome = outcomeOf(status, input.outcome);
  const note = optionalText(input.note, 'input.note');
  const [stored] = await m.query(
    `SELECT c.partner_id::text AS partner_id, c.status, c.version, (SELECT max(e.changed_on)::text FROM legal_case_events e WHERE e.case_id = c.id) AS last_change
       FROM legal_cases c WHERE c.id = $1 FOR UPDATE`,
    [input.caseId],
  );
  if (!stored) throw new NotFoundError('Legal case', input.caseId);
  if (stored.version !== input.version) {
    throw new ConflictError(`Legal case ${input.caseId} was changed meanwhile (version ${stored.version}, not ${input.version})`, { version: stored.version });
  }
  if (!LEGAL_TRANSITIONS[stored.status as LegalStatus].includes(status)) {
    throw new ConflictError(
      `A ${stored.status} legal case cannot become ${status} (allowed: ${LEGAL_TRANSITIONS[stored.status as LegalStatus].join(', ') || 'none'})`,
    );
  }
  if (input.changedOn < stored.last_change) throw new BadUserInputError(`changedOn is before the last change (${stored.last_change})`, 'input.changedOn');
  await m.query(`UPDATE legal_cases SET status = $2, outcome = $3, closed_on = $4, version = version + 1 WHERE id = $1`, [
    input.caseId,
    status,
    outcome,
    status === 'CLOSED' ? input.changedOn : null,
  ]);
  await m.query(`INSERT INTO legal_case_events (case_id, status, changed_on, note) VALUES ($1, $2, $3, $4)`, [input.caseId, status, input.changedOn, note]);
  if (status === 'CLOSED') {
    // Ended on the closing date (changedOn is on or after the opening), not deleted.
    await m.query(`UPDATE item_holds SET ended_on = $2 WHERE kind = 'LEGAL' AND holder_id = $1 AND ended_on IS NULL`, [input.caseId, input.changedOn]);
    // Released items are in-house again: the live worklist valuates the partner with them.
    await revaluatePartner(m, stored.partner_id, input.changedOn);
  }
  await recordAudit(m, actor, {
    action: 'CHANGE',
    entityType: 'LEGAL_CASE',
    entityId: input.caseId,
    details: { from: stored.status, to: status, outcome, changedOn: input.changedOn },
  });
}

/** Records a cost of an open case as a charge on it. */
export async function addLegalCost(m: EntityManager, actor: Actor, input: CostInput): Promise<string> {
  if (!isIsoDate(input.costDate)) throw new BadUserInputError('costDate must be a date (YYYY-MM-DD)', 'input.costDate');
  if (!isAmount(input.amount) || !/[1-9]/.test(input.amount))
    throw new BadUserInputError('amount must be a positive amount with at most 4 decimals', 'input.amount');
  if (!/^[A-Z]{3}$/.test(input.currency)) throw new BadUserInputError('currency must be an ISO 4217 code such as EUR', 'input.currency');
  const kind = optionalText(input.kind, 'input.kind');
  if (!kind) throw new BadUserInputError('kind must not be empty', 'input.kind');
  const [stored] = await m.query(`SELECT partner_id::text AS partner_id, status FROM legal_cases WHERE id = $1 FOR UPDATE`, [input.caseId]);
  if (!stored) throw new NotFoundError('Legal case', input.caseId);
  if (stored.status === 'CLOSED') throw new ConflictError(`Legal case ${input.caseId} is closed: no further costs`);
  const [cost] = await m.query(
    `INSERT INTO legal_case_costs (case_id, partner_id, cost_date, kind, amount, currency) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id`,
    [input.caseId, stored.partner_id, input.costDate, kind, input.amount, input.currency],
  );
  await m.query(`UPDATE legal_cases SET version = version + 1 WHERE id = $1`, [input.caseId]);
  await recordAudit(m, actor, {
    action: 'COST',
    entityType: 'LEGAL_CASE',
    entityId: input.caseId,
    details: { kind, amount: input.amount, currency: input.currency },
  });
  return cost.id;
}

/** Named items must be the partner's open items not held (placed: CONFLICT); none named: every open item not held. */
async function itemsForCase(m: EntityManager, partnerId: string, itemIds: readonly string[]): Promise<string[]> {
  if (itemIds.length === 0) {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT i.id::text AS id FROM open_items i WHERE i.partner_id = $1 AND i.open_amount > 0
          AND NOT EXISTS (SELECT 1 FROM item_holds h WHERE h.partner_id = i.partner_id AND h.item_id = i.id AND h.ended_on IS NULL) ORDER BY i.id FOR UPDATE OF i`,
      [partnerId],
    );
    if (!rows.length) throw new ConflictError(`Partner ${partnerId} has no open item that is not already placed or under a legal case`);
    return rows.map((r) => r.id);
  }
  const ids = [...new Set(itemIds)];
  const rows: Array<{ id: string; partner_id: string | null; open: boolean; held: string | null }> = await m.query(
    `SELECT u.id::text AS id, i.partner_id::text AS partner_id, i.open_amount > 0 AS open, h.kind AS held
       FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, n) LEFT JOIN open_items i ON i.id = u.id LEFT JOIN item_holds h ON h.item_id = u.id AND h.ended_on IS NULL ORDER BY u.n`,
    [ids],
  );
  for (const [index, row] of rows.entries()) {
    if (row.partner_id !== partnerId) throw new NotFoundError('Open item of this partner', row.id);
    if (!row.open) throw new BadUserInputError(`Item ${row.id} is cleared`, `input.itemIds[${index}]`);
    if (row.held)
      throw new ConflictError(`Item ${row.id} is already ${row.held === 'LEGAL' ? 'under a legal case' : 'placed with an agency: recall it first'}`);
  }
  return ids;
}

function outcomeOf(status: LegalStatus, value: string | null | undefined): LegalOutcome | null {
  if (status !== 'CLOSED') {
    if (value != null) throw new BadUserInputError('Only a CLOSED case has an outcome', 'input.outcome');
    return null;
  }
  if (value == null || !(LEGAL_OUTCOMES as readonly string[]).includes(value)) {
    throw new BadUserInputError(`Closing needs an outcome: one of ${LEGAL_OUTCOMES.join(', ')}`, 'input.outcome');
  }
  return value as LegalOutcome;
}

function optionalText(value: string | null | undefined, path: string, max = 500): string | null {
  if (value == null) return null;
  const text = value.trim();
  if (text.length > max) throw new BadUserInputError(`At most ${max} characters`, path);
  return text || null;
}
