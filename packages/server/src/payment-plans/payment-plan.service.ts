/**
 * Payment plans: the open amounts of chosen items of one partner (the principal), with optional
 * simple interest, in `installmentCount` installments, weekly or monthly from `firstDate`.
 *
 * - Interest: flat simple interest on the principal for the plan's term, from the plan's date to
 *   the last due date: interest = principal x rate / 100 x days / 365, rounded half up to cents.
 * - Installments: principal and interest each split in whole cents, equal shares, the remainder
 *   cents (and any sub-cent rest) on the first installments; amount = principal share + interest
 *   share, so the installments sum to principal + interest exactly.
 * - Monthly due dates keep the first date's day, clamped to the month's end (31 Jan → 28 Feb → 31 Mar).
 * - Tolerance: the smallest promise tolerance of the items' company codes (default 3 days).
 * - Judging: each installment like a promise, cumulatively on the plan's payments
 *   (`installmentStatusSql` in the rules package, the same SQL as the facts).
 * - Plan status at D: CANCELLED; BROKEN once an installment is BROKEN or PARTIALLY_KEPT (the
 *   breach the facts `brokenInstallments` / `paymentPlanBroken` see); COMPLETED when all are KEPT;
 *   else ACTIVE. Cancelling is refused for a CANCELLED or COMPLETED plan (CONFLICT); a broken plan
 *   may be cancelled (terminated), after which its installments are CANCELLED.
 * - An item is in at most one plan that is not cancelled.
 */
import type { EntityManager } from 'typeorm';
import { parseId } from '../graphql/scalars';
import { installmentStatusSql } from '@recoup/rules';
import type { Database } from '../db/database';
import { revaluatePartner, type Revaluation } from '../worklists';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { date, externalId, itemOf, partnerOf } from '../collections';
import { fromUnits, roundToCents, splitEvenly, toUnits } from '../fx/money';

export type PlanFrequency = 'WEEKLY' | 'MONTHLY';

export interface PaymentPlanInput {
  partnerId: string;
  itemIds: string[];
  installmentCount: number;
  frequency: PlanFrequency;
  firstDate: string;
  createdDate: string;
  /** Yearly simple interest in percent (e.g. "5" or "4.25"); none when absent. */
  interestRate?: string | null;
  createdBy?: string | null;
}

export interface ScheduledInstallment {
  seq: number;
  dueDate: string;
  principal: string;
  interest: string;
  amount: string;
}

const RATE = /^\d{1,3}(\.\d{1,4})?$/;

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function addMonths(iso: string, months: number): string {
  const [y, m, day] = iso.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.toISOString().slice(0, 10);
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The schedule of a plan (pure): due dates, principal and interest per installment, exact to the cent. */
export function schedule(args: {
  principal: string;
  installmentCount: number;
  frequency: PlanFrequency;
  firstDate: string;
  createdDate: string;
  interestRate?: string | null;
}): { interest: string; total: string; installments: ScheduledInstallment[] } {
  const n = args.installmentCount;
  const dueDates = Array.from({ length: n }, (_, k) => (args.frequency === 'WEEKLY' ? addDays(args.firstDate, 7 * k) : addMonths(args.firstDate, k)));
  const principal = toUnits(args.principal);
  let interest = 0n;
  if (args.interestRate) {
    // rate as units of 0.0001 percent: principal x rate/100 x days/365
    const rate = toUnits(args.interestRate);
    interest = roundToCents(principal * rate * BigInt(daysBetween(args.createdDate, dueDates[n - 1]!)), 10_000n * 100n * 365n);
  }
  const p = splitEvenly(principal, n);
  const i = splitEvenly(interest, n);
  return {
    interest: fromUnits(interest),
    total: fromUnits(principal + interest),
    installments: dueDates.map((dueDate, k) => ({
      seq: k + 1,
      dueDate,
      principal: fromUnits(p[k]!),
      interest: fromUnits(i[k]!),
      amount: fromUnits(p[k]! + i[k]!),
    })),
  };
}

export interface PlanResult {
  id: string;
  revaluation: Revaluation | null;
}

interface PlanItem {
  id: string;
  currency: string;
  open_amount: string;
  tolerance: number;
  plan_id: string | null;
}

/** Validates the terms, checks the items, schedules the installments and writes the plan, its items and installments in one transaction. */
export async function createPaymentPlan(db: Database, input: PaymentPlanInput): Promise<PlanResult> {
  return db.dataSource.transaction(async (m) => {
    const partner = await partnerOf(m, input.partnerId);
    const created = checkedTerms(input);
    const items = await plannableItems(m, partner.id, input.itemIds);
    const principal = fromUnits(items.reduce((s, i) => s + toUnits(i.open_amount), 0n));
    const plan = schedule({ ...input, principal, createdDate: created });
    // An installment of 0.00 is KEPT at once: too many installments for the amount is refused.
    if (plan.installments.some((i) => toUnits(i.amount) <= 0n))
      throw new BadUserInputError(
        `${plan.total} ${items[0]!.currency} cannot be paid in ${input.installmentCount} installments of at least 0.01 each`,
        'installmentCount',
      );
    const planId = await insertPlan(m, { input, partnerId: partner.id, created, items, principal, plan });
    await insertPlanItems(m, planId, partner.id, items);
    await insertInstallments(m, planId, partner.id, plan.installments);
    return { id: planId, revaluation: await revaluatePartner(m, partner.id, created) };
  });
}

/** The plan's dates, count, frequency and rate (BAD_USER_INPUT naming the field); returns the creation date. */
function checkedTerms(input: PaymentPlanInput): string {
  const created = date(input.createdDate, 'createdDate');
  if (date(input.firstDate, 'firstDate') < created) throw new BadUserInputError('The first installment is due before the plan was made', 'firstDate');
  if (!Number.isInteger(input.installmentCount) || input.installmentCount < 1 || input.installmentCount > 120) {
    throw new BadUserInputError('installmentCount must be a whole number from 1 to 120', 'installmentCount');
  }
  if (input.frequency !== 'WEEKLY' && input.frequency !== 'MONTHLY') throw new BadUserInputError('frequency must be WEEKLY or MONTHLY', 'frequency');
  if (input.interestRate !== null && input.interestRate !== undefined && (!RATE.test(input.interestRate) || toUnits(input.interestRate) > toUnits('100'))) {
    throw new BadUserInputError('interestRate must be a yearly percentage from 0 to 100 with at most 4 decimals', 'interestRate');
  }
  return created;
}

/** The partner's named items, oldest due first: each open, in no live plan, all in one currency. */
async function plannableItems(m: EntityManager, partnerId: string, itemIds: string[]): Promise<PlanItem[]> {
  const ids = [...new Set(itemIds)];
  if (!ids.length) throw new BadUserInputError('A payment plan needs at least one item', 'itemIds');
  for (const id of ids)
    await itemOf(m, partnerId, id).catch((e) => {
      throw e instanceof BadUserInputError ? new BadUserInputError(e.message, 'itemIds') : e;
    });
  const items: PlanItem[] = await m.query(
    `SELECT i.id::text AS id, i.currency::text AS currency, i.open_amount::text AS open_amount, coalesce(cc.promise_tolerance_days, 3) AS tolerance,
        (SELECT min(pi.plan_id)::text FROM payment_plan_items pi JOIN payment_plans pl ON pl.id = pi.plan_id WHERE pi.item_id = i.id AND NOT pl.cancelled) AS plan_id
       FROM open_items i LEFT JOIN company_codes cc ON cc.code = i.company_code WHERE i.id = ANY($1::bigint[]) ORDER BY i.due_date, i.id`,
    [ids],
  );
  const planned = items.find((i) => i.plan_id !== null);
  if (planned) throw new ConflictError(`Item ${planned.id} is already in payment plan ${planned.plan_id}, which is not CANCELLED`, { planId: planned.plan_id });
  const closed = items.find((i) => toUnits(i.open_amount) <= 0n);
  if (closed) throw new BadUserInputError(`Item ${closed.id} has nothing open`, 'itemIds');
  const currencies = [...new Set(items.map((i) => i.currency))];
  if (currencies.length > 1) throw new BadUserInputError(`The items of a plan share one currency (here ${currencies.join(', ')})`, 'itemIds');
  return items;
}

async function insertPlan(
  m: EntityManager,
  p: { input: PaymentPlanInput; partnerId: string; created: string; items: PlanItem[]; principal: string; plan: ReturnType<typeof schedule> },
): Promise<string> {
  const [row] = await m.query(
    `INSERT INTO payment_plans (external_id, partner_id, currency, created_date, first_date, frequency, installment_count, principal, interest_rate,
        interest, total_amount, tolerance_days, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id::text AS id`,
    [
      externalId(),
      p.partnerId,
      p.items[0]!.currency,
      p.created,
      p.input.firstDate,
      p.input.frequency,
      p.input.installmentCount,
      p.principal,
      p.input.interestRate ?? null,
      p.plan.interest,
      p.plan.total,
      Math.min(...p.items.map((i) => Number(i.tolerance))),
      p.input.createdBy ?? null,
    ],
  );
  return row.id;
}

async function insertPlanItems(m: EntityManager, planId: string, partnerId: string, items: PlanItem[]): Promise<void> {
  await m.query(
    `INSERT INTO payment_plan_items (plan_id, item_id, partner_id, amount) SELECT $1, x.id, $2, x.amount FROM unnest($3::bigint[], $4::numeric[]) AS x(id, amount)`,
    [planId, partnerId, items.map((i) => i.id), items.map((i) => i.open_amount)],
  );
}

async function insertInstallments(
  m: EntityManager,
  planId: string,
  partnerId: string,
  installments: ReturnType<typeof schedule>['installments'],
): Promise<void> {
  await m.query(
    `INSERT INTO payment_plan_installments (plan_id, partner_id, seq, due_date, principal, interest, amount)
     SELECT $1, $2, x.seq, x.due, x.principal, x.interest, x.amount
       FROM unnest($3::int[], $4::date[], $5::numeric[], $6::numeric[], $7::numeric[]) AS x(seq, due, principal, interest, amount)`,
    [
      planId,
      partnerId,
      installments.map((i) => i.seq),
      installments.map((i) => i.dueDate),
      installments.map((i) => i.principal),
      installments.map((i) => i.interest),
      installments.map((i) => i.amount),
    ],
  );
}

export type PlanStatus = 'ACTIVE' | 'BROKEN' | 'COMPLETED' | 'CANCELLED';

export interface InstallmentAt {
  id: string;
  seq: number;
  dueDate: string;
  principal: string;
  interest: string;
  amount: string;
  paid: string;
  status: string;
  judgedStatus: string | null;
  judgedAt: string | null;
}

/** The plan's installments with their status at D, and the plan status. */
export async function planStatusAt(
  m: Pick<EntityManager, 'query'>,
  planId: string,
  asOf: string,
): Promise<{ status: PlanStatus; installments: InstallmentAt[] }> {
  const rows: any[] = await m.query(
    `SELECT i.id::text AS id, i.seq, i.due_date, i.principal::text AS principal, i.interest::text AS interest, i.amount::text AS amount,
        coalesce(round(s.paid, 4), 0)::text AS paid, coalesce(s.status, CASE WHEN pl.cancelled THEN 'CANCELLED' ELSE 'OPEN' END) AS status,
        i.judged_status, i.judged_at
       FROM payment_plan_installments i JOIN payment_plans pl ON pl.id = i.plan_id
       LEFT JOIN (${installmentStatusSql('$2::date', 'n.plan_id = $1')}) s ON s.id = i.id
      WHERE i.plan_id = $1 ORDER BY i.seq`,
    [planId, asOf],
  );
  const installments = rows.map((r) => ({
    id: r.id,
    seq: Number(r.seq),
    dueDate: r.due_date,
    principal: r.principal,
    interest: r.interest,
    amount: r.amount,
    paid: r.paid,
    status: r.status,
    judgedStatus: r.judged_status,
    judgedAt: r.judged_at,
  }));
  const status: PlanStatus = installments.some((i) => i.status === 'CANCELLED')
    ? 'CANCELLED'
    : installments.some((i) => i.status === 'BROKEN' || i.status === 'PARTIALLY_KEPT')
      ? 'BROKEN'
      : installments.every((i) => i.status === 'KEPT')
        ? 'COMPLETED'
        : 'ACTIVE';
  return { status, installments };
}

export async function partnerOfPlan(db: Database, planId: string): Promise<string> {
  parseId(planId, 'Payment plan');
  const [row] = await db.dataSource.query(`SELECT partner_id::text AS partner_id FROM payment_plans WHERE id = $1`, [planId]);
  if (!row) throw new NotFoundError('Payment plan', planId);
  return row.partner_id;
}

/** Cancels an ACTIVE or BROKEN plan (at the date given); CANCELLED and COMPLETED plans are refused with CONFLICT. */
export async function cancelPaymentPlan(db: Database, input: { planId: string; cancelledDate: string }): Promise<PlanResult> {
  return db.dataSource.transaction(async (m) => {
    const when = date(input.cancelledDate, 'cancelledDate');
    parseId(input.planId, 'Payment plan');
    const [plan] = await m.query(`SELECT id::text AS id, partner_id::text AS partner_id, created_date FROM payment_plans WHERE id = $1 FOR UPDATE`, [
      input.planId,
    ]);
    if (!plan) throw new NotFoundError('Payment plan', input.planId);
    if (when < plan.created_date) throw new BadUserInputError(`Payment plan ${plan.id} was made on ${plan.created_date}, after ${when}`, 'cancelledDate');
    const { status } = await planStatusAt(m, plan.id, when);
    if (status === 'CANCELLED' || status === 'COMPLETED') {
      throw new ConflictError(`Payment plan ${plan.id} is ${status} at ${when}; only an ACTIVE or BROKEN plan can be cancelled`, { status });
    }
    await m.query(`UPDATE payment_plans SET cancelled = true, cancelled_date = $2 WHERE id = $1`, [plan.id, when]);
    await m.query(`UPDATE payment_plan_installments SET judged_status = 'CANCELLED', judged_at = $2 WHERE plan_id = $1`, [plan.id, when]);
    return { id: plan.id, revaluation: await revaluatePartner(m, plan.partner_id, when) };
  });
}
