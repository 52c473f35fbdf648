/**
 * The oracle of the point-in-time tests, written plainly from DESIGN.md ("Facts", "Promise status
 * at D", "Point in time") and not from the SQL:
 * - `arAtDate(ar, D)`: the AR as it stood at the end of D (items documented by D with their open
 *   amount then, payments, promises, contacts dated by D, disputes with their status at D,
 *   dunning levels at D, cancellations and resubmissions as they were at D, the item holds in
 *   force at D), with no history left in it (statuses and levels are folded into the rows, holds
 *   in force kept without an end, the others dropped);
 * - `factsOf(snapshot, D, …)`: every fact of a partner over such a snapshot, by the catalogue's
 *   definitions over the current state of the rows;
 * - `writeAr` / `readAr`: the model to and from a database.
 * Money is exact: decimals as scaled bigints (`Dec`), compared as normalised strings.
 */
import { agingBuckets, type FactKey } from '../../packages/rules/src/index';
import type { Database } from '../../packages/server/src/db/database';

export interface ArPartner {
  id: string;
  currency: string;
  country: string;
  customerType: string;
  riskClass: string | null;
  creditLimit: string | null;
  segment: string;
}
export interface ArItem {
  id: string;
  partnerId: string;
  companyCode: string;
  documentDate: string;
  dueDate: string;
  amount: string;
  openAmount: string;
  currency: string;
  dunningLevel: number;
  dunningBlock: boolean;
}
export interface ArPayment {
  id: string;
  partnerId: string;
  itemId: string | null;
  paymentDate: string;
  amount: string;
  currency: string;
  paymentPlanId: string | null;
}
export interface ArPromise {
  id: string;
  partnerId: string;
  itemId: string | null;
  createdDate: string;
  promisedDate: string;
  amount: string;
  currency: string;
  cancelled: boolean;
  cancelledDate: string | null;
}
export interface ArDispute {
  id: string;
  partnerId: string;
  itemId: string | null;
  createdDate: string;
  disputedAmount: string;
  currency: string;
  status: string;
  /** ISO timestamp (UTC) of the last status change, or null. */
  statusChangedAt: string | null;
}
export interface ArDisputeChange {
  disputeId: string;
  partnerId: string;
  changedOn: string;
  status: string;
}
export interface ArDunningChange {
  itemId: string;
  partnerId: string;
  dunnedOn: string;
  level: number;
}
export interface ArContact {
  id: string;
  partnerId: string;
  contactDate: string;
  reached: boolean;
}
export interface ArResubmission {
  id: string;
  partnerId: string;
  resubmissionDate: string;
  done: boolean;
  doneOn: string | null;
}
export interface ArPlan {
  id: string;
  partnerId: string;
  currency: string;
  createdDate: string;
  toleranceDays: number;
  cancelled: boolean;
  cancelledDate: string | null;
  installments: Array<{ id: string; seq: number; dueDate: string; amount: string }>;
  itemIds: string[];
}
export interface ArFxRate {
  from: string;
  to: string;
  rateDate: string;
  rate: string;
}
export interface Ar {
  partners: ArPartner[];
  items: ArItem[];
  payments: ArPayment[];
  promises: ArPromise[];
  disputes: ArDispute[];
  disputeChanges: ArDisputeChange[];
  dunningChanges: ArDunningChange[];
  contacts: ArContact[];
  resubmissions: ArResubmission[];
  plans: ArPlan[];
  fxRates: ArFxRate[];
  /** Company code -> promise tolerance days (a code not listed: 3). */
  tolerance: Record<string, number>;
  /** Legal cases (dated by themselves: open from openedOn until closedOn); none when absent. */
  legalCases?: ArLegalCase[];
  /** Item holds (placements with an agency, legal cases), dated; none when absent. */
  holds?: ArHold[];
  /** The live worklist runs with the partners each listed (dated by their key date); none when absent. */
  liveRuns?: ArLiveRun[];
}

export interface ArLiveRun {
  id: string;
  segment: string;
  asOf: string;
  partnerIds: string[];
}

/**
 * An item held out of in-house collection (DESIGN.md "Point in time"): in force at the end of D when
 * startedOn <= D and (endedOn is null or endedOn > D): placed on P, held at P; recalled on R, back at R.
 */
export interface ArHold {
  itemId: string;
  partnerId: string;
  kind: 'PLACEMENT' | 'LEGAL';
  holderId: string;
  startedOn: string;
  endedOn: string | null;
}

export const heldAt = (h: ArHold, d: string): boolean => h.startedOn <= d && (h.endedOn === null || h.endedOn > d);

export interface ArLegalCase {
  partnerId: string;
  openedOn: string;
  closedOn: string | null;
}

// ---------------------------------------------------------------------------------------------
// Exact decimals and dates

/** An exact decimal: units / 10^scale. */
export interface Dec {
  u: bigint;
  s: number;
}

export function dec(text: string | number): Dec {
  const t = String(text);
  const neg = t.startsWith('-');
  const [whole, frac = ''] = (neg ? t.slice(1) : t).split('.');
  const u = BigInt(`${whole}${frac}` || '0');
  return { u: neg ? -u : u, s: frac.length };
}
const scaleTo = (a: Dec, s: number): bigint => a.u * 10n ** BigInt(s - a.s);
export const ZERO: Dec = { u: 0n, s: 0 };
export const add = (a: Dec, b: Dec): Dec => {
  const s = Math.max(a.s, b.s);
  return { u: scaleTo(a, s) + scaleTo(b, s), s };
};
export const sub = (a: Dec, b: Dec): Dec => add(a, { u: -b.u, s: b.s });
export const mul = (a: Dec, b: Dec): Dec => ({ u: a.u * b.u, s: a.s + b.s });
export const cmp = (a: Dec, b: Dec): number => {
  const s = Math.max(a.s, b.s);
  const x = scaleTo(a, s) - scaleTo(b, s);
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};
export const minDec = (a: Dec, b: Dec): Dec => (cmp(a, b) <= 0 ? a : b);
export const sumDec = (xs: Dec[]): Dec => xs.reduce(add, ZERO);
export const toNumber = (a: Dec): number => Number(a.u) / 10 ** a.s;

/** Half away from zero to `places` decimals, like SQL round(numeric, n). */
export function roundDec(a: Dec, places: number): Dec {
  if (a.s <= places) return a;
  const f = 10n ** BigInt(a.s - places);
  const abs = a.u < 0n ? -a.u : a.u;
  const r = (abs + f / 2n) / f;
  return { u: a.u < 0n ? -r : r, s: places };
}

/** A decimal (or decimal string) written without trailing zeros: '12.5', '0', '-3'. */
export function normalise(v: Dec | string): string {
  const a = typeof v === 'string' ? dec(v) : v;
  const neg = a.u < 0n;
  let digits = (neg ? -a.u : a.u).toString().padStart(a.s + 1, '0');
  let frac = a.s ? digits.slice(-a.s) : '';
  digits = a.s ? digits.slice(0, -a.s) : digits;
  frac = frac.replace(/0+$/, '');
  const text = frac ? `${digits}.${frac}` : digits;
  return neg && text !== '0' ? `-${text}` : text;
}

const DAY = 86_400_000;
export const days = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY;
export const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const maxOf = (xs: string[]): string | null => (xs.length ? xs.reduce((a, b) => (a > b ? a : b)) : null);
const minOf = (xs: string[]): string | null => (xs.length ? xs.reduce((a, b) => (a < b ? a : b)) : null);

// ---------------------------------------------------------------------------------------------
// The AR as it stood at the end of D

const OPEN_DISPUTE_STATUSES = new Set(['OPEN', 'IN_PROCESS']);

/** Status of a dispute at D, from its dated history, else from today's row (preamble rules). */
export function disputeStatusAt(dispute: ArDispute, changes: ArDisputeChange[], d: string): string {
  const rows = changes.filter((c) => c.disputeId === dispute.id).sort((a, b) => a.changedOn.localeCompare(b.changedOn));
  if (rows.length) {
    const known = rows.filter((c) => c.changedOn <= d);
    return known.length ? known[known.length - 1]!.status : 'OPEN';
  }
  if (OPEN_DISPUTE_STATUSES.has(dispute.status)) return dispute.status;
  if (dispute.statusChangedAt !== null && d < new Date(dispute.statusChangedAt).toISOString().slice(0, 10)) return 'OPEN';
  return dispute.status;
}

/** Dunning level of an item at D: the highest notice on or before D; today's level without notices. */
export function dunningLevelAt(item: ArItem, changes: ArDunningChange[], d: string): number {
  const rows = changes.filter((c) => c.itemId === item.id);
  if (!rows.length) return item.dunningLevel;
  return Math.max(0, ...rows.filter((c) => c.dunnedOn <= d).map((c) => c.level));
}

/** Open amount of an item at D: today's plus its own-currency payments after D, at most its amount. */
export function openAmountAt(item: ArItem, payments: ArPayment[], d: string): string {
  const after = payments.filter((p) => p.itemId === item.id && p.currency === item.currency && p.paymentDate > d);
  if (!after.length) return item.openAmount;
  return normalise(minDec(dec(item.amount), add(dec(item.openAmount), sumDec(after.map((p) => dec(p.amount))))));
}

const cancelledAt = (t: { cancelled: boolean; cancelledDate: string | null }, d: string) => t.cancelled && (t.cancelledDate === null || t.cancelledDate <= d);

/** The AR as it stood at the end of D, with no history left to read. */
export function arAtDate(ar: Ar, d: string): Ar {
  const plans = ar.plans
    .filter((p) => p.createdDate <= d)
    .map((p) => ({ ...p, cancelled: cancelledAt(p, d), cancelledDate: cancelledAt(p, d) ? p.cancelledDate : null }));
  return {
    partners: ar.partners,
    items: ar.items
      .filter((i) => i.documentDate <= d)
      .map((i) => ({ ...i, openAmount: openAmountAt(i, ar.payments, d), dunningLevel: dunningLevelAt(i, ar.dunningChanges, d) })),
    payments: ar.payments.filter((p) => p.paymentDate <= d),
    promises: ar.promises
      .filter((q) => q.createdDate <= d)
      .map((q) => ({ ...q, cancelled: cancelledAt(q, d), cancelledDate: cancelledAt(q, d) ? q.cancelledDate : null })),
    disputes: ar.disputes.filter((x) => x.createdDate <= d).map((x) => ({ ...x, status: disputeStatusAt(x, ar.disputeChanges, d), statusChangedAt: null })),
    disputeChanges: [],
    dunningChanges: [],
    contacts: ar.contacts.filter((c) => c.contactDate <= d),
    resubmissions: ar.resubmissions.map((r) => {
      const done = r.done && (r.doneOn === null || r.doneOn <= d);
      return { ...r, done, doneOn: done ? r.doneOn : null };
    }),
    plans,
    fxRates: ar.fxRates.filter((r) => r.rateDate <= d),
    tolerance: ar.tolerance,
    legalCases: ar.legalCases,
    holds: (ar.holds ?? []).filter((h) => heldAt(h, d)).map((h) => ({ ...h, endedOn: null })),
    liveRuns: ar.liveRuns,
  };
}

// ---------------------------------------------------------------------------------------------
// Facts over a snapshot (current state) at D

export type FactValue = string | boolean | string[] | null;

/** The rate from `from` into `to`: the latest on or before D (1 for the same currency). */
function rateOf(ar: Ar, from: string, to: string, d: string): Dec {
  if (from === to) return dec(1);
  const rows = ar.fxRates.filter((r) => r.from === from && r.to === to && r.rateDate <= d).sort((a, b) => a.rateDate.localeCompare(b.rateDate));
  if (!rows.length) throw new Error(`oracle: no rate ${from}->${to} on or before ${d}`);
  return dec(rows[rows.length - 1]!.rate);
}

type PromiseStatus = 'OPEN' | 'KEPT' | 'PARTIALLY_KEPT' | 'BROKEN' | 'CANCELLED';

function judged(cancelled: boolean, paid: Dec, amount: Dec, deadline: string, d: string): PromiseStatus {
  if (cancelled) return 'CANCELLED';
  if (cmp(paid, amount) >= 0) return 'KEPT';
  if (d > deadline) return paid.u > 0n ? 'PARTIALLY_KEPT' : 'BROKEN';
  return 'OPEN';
}

/** Everything a partner's facts read, at D in the strategy currency. */
export interface PartnerFacts {
  facts: Map<string, FactValue>;
  aging: string[];
  lastPaymentDate: string | null;
  resubmissionDate: string | null;
}

/**
 * The facts of `keys` (and the worklist figures) for every partner of a snapshot at D, in
 * `currency`, from the catalogue's definitions over the rows as they are.
 */
export function factsOf(s: Ar, d: string, currency: string, keys: FactKey[], agingLimits: number[]): Map<string, PartnerFacts> {
  const rates = new Map<string, Dec>();
  const rate = (c: string) => rates.get(c) ?? rates.set(c, rateOf(s, c, currency, d)).get(c)!;
  const out = new Map<string, PartnerFacts>();
  // A held item is out of in-house collection: out of every fact of the open items (its payments, promises and disputes still count).
  const held = new Set((s.holds ?? []).filter((h) => heldAt(h, d)).map((h) => h.itemId));
  for (const p of s.partners) {
    const items = s.items.filter((i) => i.partnerId === p.id && dec(i.openAmount).u > 0n && !held.has(i.id));
    const value = (i: ArItem) => mul(dec(i.openAmount), rate(i.currency));
    const overdueDays = (i: ArItem) => days(d) - days(i.dueDate);
    const disputes = s.disputes.filter((x) => x.partnerId === p.id && OPEN_DISPUTE_STATUSES.has(x.status));
    const promises = s.promises
      .filter((q) => q.partnerId === p.id)
      .map((q) => {
        const item = q.itemId === null ? undefined : s.items.find((i) => i.id === q.itemId);
        const tolerance = q.itemId === null ? 3 : (s.tolerance[item?.companyCode ?? ''] ?? 3);
        const deadline = addDays(q.promisedDate, tolerance);
        const paid = sumDec(
          s.payments
            .filter((y) => q.itemId !== null && y.itemId === q.itemId && y.paymentDate >= q.createdDate && y.paymentDate <= deadline && y.paymentDate <= d)
            .map((y) => mul(dec(y.amount), rate(y.currency))),
        );
        const amount = mul(dec(q.amount), rate(q.currency));
        return { q, amount, status: judged(q.cancelled, paid, amount, deadline, d) };
      });
    const installments = s.plans
      .filter((pl) => pl.partnerId === p.id)
      .flatMap((pl) => {
        const planPayments = s.payments.filter(
          (y) => y.currency === pl.currency && ((y.itemId !== null && pl.itemIds.includes(y.itemId)) || (y.itemId === null && y.paymentPlanId === pl.id)),
        );
        let before = ZERO;
        return [...pl.installments]
          .sort((a, b) => a.seq - b.seq)
          .map((n) => {
            const deadline = addDays(n.dueDate, pl.toleranceDays);
            const total = sumDec(
              planPayments.filter((y) => y.paymentDate >= pl.createdDate && y.paymentDate <= deadline && y.paymentDate <= d).map((y) => dec(y.amount)),
            );
            const left = sub(total, before);
            const paid = left.u < 0n ? ZERO : minDec(left, dec(n.amount));
            before = add(before, dec(n.amount));
            return judged(pl.cancelled, paid, dec(n.amount), deadline, d);
          });
      });
    const disputedItem = (i: ArItem) => disputes.some((x) => x.itemId === i.id);
    const promisedItem = (i: ArItem) => promises.some((x) => x.status === 'OPEN' && x.q.itemId === i.id);
    const overdue = (m: number) => items.filter((i) => overdueDays(i) >= m);
    const open = sumDec(items.map(value));
    const creditLimit = p.creditLimit === null ? null : mul(dec(p.creditLimit), rate(p.currency));
    const disputed = sumDec(disputes.map((x) => mul(dec(x.disputedAmount), rate(x.currency))));
    const broken = (w: number) => promises.filter((x) => x.status === 'BROKEN' && x.q.promisedDate >= addDays(d, -w) && x.q.promisedDate <= d);
    const judgedCount = promises.filter((x) => ['KEPT', 'PARTIALLY_KEPT', 'BROKEN'].includes(x.status)).length;
    const contacts = (reachedOnly: boolean) => s.contacts.filter((c) => c.partnerId === p.id && c.contactDate <= d && (!reachedOnly || c.reached));
    const payments = s.payments.filter((y) => y.partnerId === p.id && y.paymentDate <= d);
    const undone = s.resubmissions.filter((r) => r.partnerId === p.id && !r.done && r.resubmissionDate <= d);
    const since = (date: string | null) => (date === null ? null : String(days(d) - days(date)));
    const money = (x: Dec) => normalise(x);
    const count = (n: number) => String(n);
    const fact = (k: FactKey): FactValue => {
      const params = k.params as { minDaysOverdue: number; withinDays: number; reachedOnly: boolean };
      switch (k.fact) {
        case 'currency':
          return p.currency;
        case 'country':
          return p.country;
        case 'customerType':
          return p.customerType;
        case 'riskClass':
          return p.riskClass;
        case 'segment':
          return p.segment;
        case 'creditLimit':
          return creditLimit === null ? null : money(creditLimit);
        case 'creditUtilization':
          return creditLimit !== null && creditLimit.u > 0n ? String((toNumber(open) / toNumber(creditLimit)) * 100) : null;
        case 'openAmount':
          return money(open);
        case 'openItemCount':
          return count(items.length);
        case 'overdueAmount':
          return money(sumDec(overdue(params.minDaysOverdue).map(value)));
        case 'overdueItemCount':
          return count(overdue(params.minDaysOverdue).length);
        case 'dueAmount':
          return money(sumDec(items.filter((i) => overdueDays(i) <= 0 && overdueDays(i) >= -params.withinDays).map(value)));
        case 'maxDaysOverdue':
          return items.length ? String(Math.max(...items.map(overdueDays))) : null;
        case 'disputedAmount':
          return money(disputed);
        case 'openDisputeCount':
          return count(disputes.length);
        case 'disputedShare':
          return open.u > 0n ? String((toNumber(disputed) / toNumber(open)) * 100) : null;
        case 'promisedAmount':
          return money(sumDec(promises.filter((x) => x.status === 'OPEN').map((x) => x.amount)));
        case 'brokenPromises':
          return count(broken(params.withinDays).length);
        case 'brokenPromiseAmount':
          return money(sumDec(broken(params.withinDays).map((x) => x.amount)));
        case 'keptPromiseRatio':
          return judgedCount ? String(promises.filter((x) => x.status === 'KEPT').length / judgedCount) : null;
        case 'amountToBeCollected':
          return money(
            sumDec(
              overdue(1)
                .filter((i) => !disputedItem(i) && !promisedItem(i))
                .map(value),
            ),
          );
        case 'daysSinceLastContact':
          return since(maxOf(contacts(params.reachedOnly).map((c) => c.contactDate)));
        case 'daysSinceLastPayment':
          return since(maxOf(payments.map((y) => y.paymentDate)));
        case 'maxDunningLevel':
          return count(Math.max(0, ...items.map((i) => i.dunningLevel)));
        case 'dunnedAmount':
          return money(sumDec(items.filter((i) => i.dunningLevel >= 1).map(value)));
        case 'allOverdueDisputedOrBlocked':
          return overdue(1).length > 0 && overdue(1).every((i) => i.dunningBlock || disputedItem(i));
        case 'resubmissionDue':
          return undone.length > 0;
        case 'brokenInstallments':
          return count(installments.filter((x) => x === 'BROKEN' || x === 'PARTIALLY_KEPT').length);
        case 'paymentPlanBroken':
          return installments.some((x) => x === 'BROKEN' || x === 'PARTIALLY_KEPT');
        case 'companyCodes':
          return [...new Set(items.map((i) => i.companyCode))].sort();
        case 'daysOnWorklist':
          return count(daysOnWorklist(s.liveRuns ?? [], p, d));
        case 'legalCaseOpen':
          return (s.legalCases ?? []).some((c) => c.partnerId === p.id && c.openedOn <= d && (c.closedOn === null || c.closedOn > d));
        default:
          throw new Error(`oracle: no definition for ${k.fact}`);
      }
    };
    const aging = agingBuckets(agingLimits).map((b) =>
      normalise(
        roundDec(sumDec(items.filter((i) => (b.from === null || overdueDays(i) >= b.from) && (b.to === null || overdueDays(i) <= b.to)).map(value)), 4),
      ),
    );
    out.set(p.id, {
      facts: new Map(keys.map((k) => [k.column, fact(k)])),
      aging,
      lastPaymentDate: maxOf(payments.map((y) => y.paymentDate)),
      resubmissionDate: minOf(undone.map((r) => r.resubmissionDate)),
    });
  }
  return out;
}

/** The oracle's facts at D: the catalogue over the AR as it stood at the end of D. */
export function oracleFactsAt(ar: Ar, d: string, currency: string, keys: FactKey[], agingLimits: number[] = []): Map<string, PartnerFacts> {
  return factsOf(arAtDate(ar, d), d, currency, keys, agingLimits);
}

// ---------------------------------------------------------------------------------------------
// A fact row of the SQL path, in the oracle's terms

const RATIO_FACTS = new Set(['creditUtilization', 'disputedShare', 'keptPromiseRatio']);

/** A fact value of factRowsSql as the oracle writes it (money and counts normalised; ratios as numbers to 12 significant digits). */
export function sqlFactValue(k: FactKey, v: unknown): FactValue {
  if (v === null || v === undefined) return null;
  if (k.type === 'number') return RATIO_FACTS.has(k.fact) ? Number(v).toPrecision(12) : normalise(String(v));
  if (k.type === 'boolean') return Boolean(v);
  if (k.type === 'string[]') return v as string[];
  return String(v);
}

/** The oracle's value in the same terms as sqlFactValue. */
export function oracleFactValue(k: FactKey, v: FactValue): FactValue {
  if (v !== null && RATIO_FACTS.has(k.fact)) return Number(v).toPrecision(12);
  return v;
}

// ---------------------------------------------------------------------------------------------
// The model to and from a database

/** The AR tables the model covers (master data and organisation aside). */
export const AR_TABLES = [
  'open_items',
  'payments',
  'promises',
  'disputes',
  'dispute_status_changes',
  'dunning_level_changes',
  'contacts',
  'resubmissions',
  'payment_plans',
  'payment_plan_items',
  'payment_plan_installments',
  'fx_rates',
  'item_holds',
] as const;

async function insertRows(db: Database, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    const values: unknown[] = [];
    const tuples = chunk.map((r) => `(${r.map((v) => `$${values.push(v)}`).join(', ')})`);
    await db.dataSource.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }
}

/** Writes the model's AR rows (partners only with `partners`: true; the other tables are expected empty). */
export async function writeAr(db: Database, ar: Ar, options: { partners?: boolean } = {}): Promise<void> {
  if (options.partners)
    await insertRows(
      db,
      'partners',
      ['id', 'external_id', 'name', 'country', 'currency', 'risk_class', 'credit_limit', 'customer_type', 'segment'],
      ar.partners.map((p) => [p.id, `P${p.id}`, `Partner ${p.id}`, p.country, p.currency, p.riskClass, p.creditLimit, p.customerType, p.segment]),
    );
  for (const [code, days] of Object.entries(ar.tolerance))
    await db.dataSource.query(
      `INSERT INTO company_codes (code, name, promise_tolerance_days) VALUES ($1, $2, $3) ON CONFLICT (code) DO UPDATE SET promise_tolerance_days = $3`,
      [code, code, days],
    );
  await insertRows(
    db,
    'open_items',
    ['id', 'external_id', 'partner_id', 'company_code', 'document_date', 'due_date', 'amount', 'open_amount', 'currency', 'dunning_level', 'dunning_block'],
    ar.items.map((i) => [
      i.id,
      `I${i.id}`,
      i.partnerId,
      i.companyCode,
      i.documentDate,
      i.dueDate,
      i.amount,
      i.openAmount,
      i.currency,
      i.dunningLevel,
      i.dunningBlock,
    ]),
  );
  await insertRows(
    db,
    'payments',
    ['id', 'external_id', 'partner_id', 'item_id', 'payment_date', 'amount', 'currency', 'payment_plan_id'],
    ar.payments.map((y) => [y.id, `Y${y.id}`, y.partnerId, y.itemId, y.paymentDate, y.amount, y.currency, y.paymentPlanId]),
  );
  await insertRows(
    db,
    'promises',
    ['id', 'external_id', 'partner_id', 'item_id', 'created_date', 'promised_date', 'amount', 'currency', 'cancelled', 'cancelled_date'],
    ar.promises.map((q) => [q.id, `Q${q.id}`, q.partnerId, q.itemId, q.createdDate, q.promisedDate, q.amount, q.currency, q.cancelled, q.cancelledDate]),
  );
  await insertRows(
    db,
    'disputes',
    ['id', 'external_id', 'partner_id', 'item_id', 'created_date', 'disputed_amount', 'currency', 'status', 'status_changed_at'],
    ar.disputes.map((x) => [x.id, `X${x.id}`, x.partnerId, x.itemId, x.createdDate, x.disputedAmount, x.currency, x.status, x.statusChangedAt]),
  );
  await insertRows(
    db,
    'dispute_status_changes',
    ['dispute_id', 'changed_on', 'partner_id', 'status'],
    ar.disputeChanges.map((c) => [c.disputeId, c.changedOn, c.partnerId, c.status]),
  );
  await insertRows(
    db,
    'dunning_level_changes',
    ['item_id', 'dunned_on', 'partner_id', 'level'],
    ar.dunningChanges.map((c) => [c.itemId, c.dunnedOn, c.partnerId, c.level]),
  );
  await insertRows(
    db,
    'contacts',
    ['id', 'external_id', 'partner_id', 'contact_date', 'channel', 'direction', 'reached'],
    ar.contacts.map((c) => [c.id, `C${c.id}`, c.partnerId, c.contactDate, 'PHONE', 'OUT', c.reached]),
  );
  await insertRows(
    db,
    'resubmissions',
    ['id', 'partner_id', 'resubmission_date', 'reason', 'done', 'done_on'],
    ar.resubmissions.map((r) => [r.id, r.partnerId, r.resubmissionDate, 'follow up', r.done, r.doneOn]),
  );
  await insertRows(
    db,
    'payment_plans',
    [
      'id',
      'external_id',
      'partner_id',
      'currency',
      'created_date',
      'first_date',
      'frequency',
      'installment_count',
      'principal',
      'interest',
      'total_amount',
      'tolerance_days',
      'cancelled',
      'cancelled_date',
    ],
    ar.plans.map((pl) => {
      const total = normalise(sumDec(pl.installments.map((n) => dec(n.amount))));
      const first = minOf(pl.installments.map((n) => n.dueDate)) ?? pl.createdDate;
      return [
        pl.id,
        `L${pl.id}`,
        pl.partnerId,
        pl.currency,
        pl.createdDate,
        first,
        'MONTHLY',
        pl.installments.length,
        total,
        0,
        total,
        pl.toleranceDays,
        pl.cancelled,
        pl.cancelledDate,
      ];
    }),
  );
  await insertRows(
    db,
    'payment_plan_items',
    ['plan_id', 'item_id', 'partner_id', 'amount'],
    ar.plans.flatMap((pl) => pl.itemIds.map((item) => [pl.id, item, pl.partnerId, 0])),
  );
  await insertRows(
    db,
    'payment_plan_installments',
    ['id', 'plan_id', 'partner_id', 'seq', 'due_date', 'principal', 'interest', 'amount'],
    ar.plans.flatMap((pl) => pl.installments.map((n) => [n.id, pl.id, pl.partnerId, n.seq, n.dueDate, n.amount, 0, n.amount])),
  );
  await insertRows(
    db,
    'fx_rates',
    ['from_currency', 'to_currency', 'rate_date', 'rate'],
    ar.fxRates.map((r) => [r.from, r.to, r.rateDate, r.rate]),
  );
  await insertRows(
    db,
    'item_holds',
    ['item_id', 'partner_id', 'kind', 'holder_id', 'started_on', 'ended_on'],
    (ar.holds ?? []).map((h) => [h.itemId, h.partnerId, h.kind, h.holderId, h.startedOn, h.endedOn]),
  );
}

/** Empties the AR tables the model covers (and the partners with `partners`: true). */
export async function clearAr(db: Database, options: { partners?: boolean } = {}): Promise<void> {
  const tables = [...AR_TABLES, ...(options.partners ? ['partners'] : [])];
  await db.dataSource.query(`DELETE FROM ${tables.join('; DELETE FROM ')}`);
}

/** The model of a database's AR (as text: ids, dates, decimals). */
export async function readAr(db: Database): Promise<Ar> {
  const q = (sql: string) => db.dataSource.query(sql);
  const plans: Array<ArPlan> = await q(`SELECT id::text, partner_id::text AS "partnerId", currency::text, created_date::text AS "createdDate",
      tolerance_days AS "toleranceDays", cancelled, cancelled_date::text AS "cancelledDate",
      coalesce((SELECT json_agg(json_build_object('id', n.id::text, 'seq', n.seq, 'dueDate', n.due_date::text, 'amount', n.amount::text) ORDER BY n.seq)
        FROM payment_plan_installments n WHERE n.plan_id = pl.id), '[]') AS installments,
      coalesce((SELECT json_agg(pi.item_id::text) FROM payment_plan_items pi WHERE pi.plan_id = pl.id), '[]') AS "itemIds"
    FROM payment_plans pl ORDER BY id`);
  const tolerance: Array<{ code: string; days: number }> = await q(`SELECT code::text, promise_tolerance_days AS days FROM company_codes`);
  // A live run lists the partners of the stays it is in (a stay runs from its first run up to, not including, the run that ended it).
  const liveRuns: ArLiveRun[] = await q(`SELECT r.id::text AS id, r.segment_key::text AS segment, r.as_of::text AS "asOf",
      coalesce((SELECT json_agg(s.partner_id::text ORDER BY s.partner_id) FROM worklist_stays s WHERE s.segment_key = r.segment_key
        AND s.start_run_id <= r.id AND (s.end_run_id IS NULL OR s.end_run_id > r.id)), '[]') AS "partnerIds"
    FROM worklist_runs r WHERE r.mode = 'LIVE' AND r.status = 'SUCCEEDED' ORDER BY r.id`);
  const legalCases: ArLegalCase[] = await q(
    `SELECT partner_id::text AS "partnerId", opened_on::text AS "openedOn", closed_on::text AS "closedOn" FROM legal_cases ORDER BY id`,
  );
  const holds: ArHold[] = await q(`SELECT item_id::text AS "itemId", partner_id::text AS "partnerId", kind::text, holder_id::text AS "holderId",
      started_on::text AS "startedOn", ended_on::text AS "endedOn" FROM item_holds ORDER BY item_id, started_on, id`);
  return {
    legalCases,
    holds,
    liveRuns,
    partners: await q(`SELECT id::text, currency::text, country::text, customer_type::text AS "customerType", risk_class::text AS "riskClass",
        credit_limit::text AS "creditLimit", segment::text FROM partners ORDER BY id`),
    items: await q(`SELECT id::text, partner_id::text AS "partnerId", company_code::text AS "companyCode", document_date::text AS "documentDate",
        due_date::text AS "dueDate", amount::text, open_amount::text AS "openAmount", currency::text, dunning_level AS "dunningLevel",
        dunning_block AS "dunningBlock" FROM open_items ORDER BY id`),
    payments: await q(`SELECT id::text, partner_id::text AS "partnerId", item_id::text AS "itemId", payment_date::text AS "paymentDate", amount::text,
        currency::text, payment_plan_id::text AS "paymentPlanId" FROM payments ORDER BY id`),
    promises: await q(`SELECT id::text, partner_id::text AS "partnerId", item_id::text AS "itemId", created_date::text AS "createdDate",
        promised_date::text AS "promisedDate", amount::text, currency::text, cancelled, cancelled_date::text AS "cancelledDate" FROM promises ORDER BY id`),
    disputes: await q(`SELECT id::text, partner_id::text AS "partnerId", item_id::text AS "itemId", created_date::text AS "createdDate",
        disputed_amount::text AS "disputedAmount", currency::text, status::text,
        to_char(status_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "statusChangedAt" FROM disputes ORDER BY id`),
    disputeChanges: await q(`SELECT dispute_id::text AS "disputeId", partner_id::text AS "partnerId", changed_on::text AS "changedOn", status::text
        FROM dispute_status_changes`),
    dunningChanges: await q(
      `SELECT item_id::text AS "itemId", partner_id::text AS "partnerId", dunned_on::text AS "dunnedOn", level FROM dunning_level_changes`,
    ),
    contacts: await q(`SELECT id::text, partner_id::text AS "partnerId", contact_date::text AS "contactDate", reached FROM contacts ORDER BY id`),
    resubmissions: await q(`SELECT id::text, partner_id::text AS "partnerId", resubmission_date::text AS "resubmissionDate", done, done_on::text AS "doneOn"
        FROM resubmissions ORDER BY id`),
    plans,
    fxRates: await q(`SELECT from_currency::text AS "from", to_currency::text AS "to", rate_date::text AS "rateDate", rate::text FROM fx_rates`),
    tolerance: Object.fromEntries(tolerance.map((t) => [t.code, t.days])),
  };
}

/**
 * daysOnWorklist, literally: the live runs of the partner's segment up to D in key date order (then
 * run order); walking back from the latest while the partner is on each, the earliest such run's
 * date; D minus it, 0 when the partner is not on the latest.
 */
export function daysOnWorklist(runs: readonly ArLiveRun[], partner: { id: string; segment: string | null }, d: string): number {
  const ofSegment = runs
    .filter((r) => r.segment === partner.segment && r.asOf <= d)
    .sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : Number(BigInt(a.id) - BigInt(b.id))));
  let start: string | null = null;
  for (let i = ofSegment.length - 1; i >= 0 && ofSegment[i]!.partnerIds.includes(partner.id); i--) start = ofSegment[i]!.asOf;
  return start === null ? 0 : days(d) - days(start);
}
