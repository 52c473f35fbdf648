/**
 * A realistic, deterministic history of a telecom operator's receivables: a day-by-day
 * simulation over `months` months ending at `asOf` (after `warmUpMonths` months that build the
 * receivables up, default 3), written in the CSV import contract (../import/csv-contract.ts), so
 * that it loads through the same import as a customer's files and a run, preview or backtest at
 * any key date of the period sees what was known then.
 *
 * Each day of the simulation:
 *  1. billing: every partner on its billing-cycle day gets its monthly invoices (consumers one
 *     small item, business customers larger ones per contract, wholesale carriers few big ones);
 *  2. payments: an item of an on-time payer is paid around its due date; any other open item is
 *     paid with a daily hazard by risk class (A soon ... E late, some never), times
 *     `1 + workedEffect` while its partner was reached by collections in the last 14 days, and a
 *     little higher in the days after a dunning notice; a promise schedules its own payment
 *     (kept, partly kept or broken by risk class); an open dispute holds the item;
 *  3. dunning: items of consumers and business customers get notices at 4, 22, 46 and 76 days
 *     overdue (levels 1-4), written as dunning_history rows;
 *  4. disputes move OPEN -> IN_PROCESS -> RESOLVED / REJECTED (-> CLOSED), each change a
 *     dispute_history row;
 *  5. collections (working days): per segment, the partners with the most overdue (amount
 *     weighted by age) who were not contacted in the last week get a contact, within a daily
 *     capacity; reached calls bring promises, confirmations, disputes, refusals.
 * The partner master is the demo's (`demoPartners`), so segments, names and the demo
 * organisation are the same as `demoArTable`'s. One PRNG stream for the whole run: the same
 * options give the same rows.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/database';
import { CSV_FILES, CSV_TABLES, DISPUTE_STATUSES, importAr, type CsvTable, type ImportOptions, type ImportResult, type ImportSources } from '../import';
import {
  csvField,
  DEMO_CONTACT_CHANNELS,
  DEMO_CONTACT_RESULTS,
  DEMO_CURRENCIES,
  DEMO_CURRENCY_DECIMALS,
  DEMO_DISPUTE_REASONS,
  DEMO_PROFIT_CENTERS,
  DEMO_UNITS_PER_EUR,
  demoPartners,
  Rng,
  streamKey,
  type DemoPartner,
} from './demo-ar';
import { seedDemoOrganisation } from './demo-org';
import { seedDemoWork } from './demo-work';

export interface DemoHistoryOptions {
  /** Number of business partners (the demo's partner master, partners P0000001 ...). */
  partners: number;
  /** Months of history ending at asOf (1 to 60). */
  months: number;
  /** ISO date: the last day simulated ("today"). */
  asOf: string;
  /** PRNG seed, default 1. */
  seed?: number;
  /**
   * How much earlier a partner pays while worked (reached by collections in the last 14 days):
   * its items' daily payment hazard is multiplied by 1 + workedEffect. 0 = contacts change
   * nothing; default 1 (twice the hazard).
   */
  workedEffect?: number;
  /** Daily contact capacity as a multiple of the default (per segment, a share of its partners). */
  capacity?: number;
  /**
   * Months simulated before the period (default 3; their rows are kept): a receivables book is
   * built up on the period's first day (items in every ageing bucket), as a real mirror's is.
   * 0: the simulation starts on the period's first day with older debt only.
   */
  warmUpMonths?: number;
}

/** Rows per table and what the simulation did, for reports and tests. */
export interface DemoHistoryStats {
  rows: Record<CsvTable, number>;
  /** First day of the `months` asked for. */
  periodStart: string;
  /** First day simulated (warm-up months before the period). */
  firstDay: string;
  /** Days simulated. */
  days: number;
  /** Collection contacts made by the daily capacity. */
  collectionContacts: number;
}

// ---------------------------------------------------------------------------------------
// Parameters (indexes: customer types PREPAID POSTPAID B2B CORPORATE WHOLESALE; risk A..E)

const T_PREPAID = 0;
const T_WHOLESALE = 4;
const SEG_CONSUMER = 0;
/** Typical monthly item amount in EUR, and its spread between partners and between items. */
const MEDIAN_EUR = [18, 42, 380, 5500, 45000];
const PARTNER_SIGMA = [0.4, 0.45, 0.8, 1.0, 1.0];
const ITEM_SIGMA = [0.3, 0.25, 0.35, 0.4, 0.5];
/** Invoices per month: [min, max] contracts billed separately. */
const CONTRACTS = [
  [1, 1],
  [1, 1],
  [1, 2],
  [2, 4],
  [1, 3],
];
const TERMS = [[14], [14, 14, 14, 30], [30], [30, 30, 60], [30, 60]];
const PROFIT_CENTERS = [
  [0, 3],
  [0, 0, 1, 2],
  [0, 1, 4],
  [0, 1, 4, 4],
  [5, 5, 6],
];
/** Share of a month's prepaid customers billed at all (device instalments, extras). */
const PREPAID_BILLED = 0.3;
const DISPUTE_P = [0.004, 0.008, 0.02, 0.04, 0.1];

/** Risk class when a partner has none. */
const RISK_DEFAULT = 2;
/** Share of items paid around the due date (the rest are paid late, or never). */
const ON_TIME = [0.82, 0.66, 0.46, 0.3, 0.15];
/** Share of items never paid unless worked. */
const NEVER = [0.003, 0.01, 0.03, 0.08, 0.22];
/** Daily payment hazard of a late item. */
const LATE_HAZARD = [0.08, 0.05, 0.032, 0.02, 0.012];
/** Daily hazard of a "never" item while its partner is worked, per unit of workedEffect. */
const NEVER_WORKED_HAZARD = 0.004;
/** A late payment that pays only part of what is open. */
const PARTIAL_PAYMENT_P = 0.12;
/** Hazard multiplier in the days after a dunning notice. */
const NOTICE_BOOST = 1.5;
const NOTICE_DAYS = 5;
/** Days a reached contact keeps a partner worked. */
const WORKED_DAYS = 14;
/** A partner is not called again within this many days. */
const CONTACT_COOLDOWN = 7;
/** Days past due of the notices raising levels 1..4. */
const DUNNING_STEPS = [4, 22, 46, 76];
/** Default daily capacity per segment, as a share of its partners (CONSUMER, BUSINESS, WHOLESALE). */
const CAPACITY_SHARE = [0.006, 0.02, 0.06];

/** Promise outcomes by risk class: kept, partly kept, cancelled; the rest broken. */
const PROMISE_KEPT = [0.86, 0.76, 0.62, 0.5, 0.36];
const PROMISE_PARTIAL = [0.06, 0.09, 0.12, 0.14, 0.15];
const PROMISE_CANCELLED = 0.04;
/** Phone reachability by risk class. */
const REACHED_PHONE = [0.65, 0.6, 0.5, 0.42, 0.32];

const CH_PHONE = 0;
const CH_EMAIL = 1;
const CH_SMS = 2;
const R = Object.fromEntries(DEMO_CONTACT_RESULTS.map((r, k) => [r, k])) as Record<(typeof DEMO_CONTACT_RESULTS)[number], number>;

const DS_OPEN = 0;
const DS_IN_PROCESS = 1;
const DS_RESOLVED = 2;
const DS_REJECTED = 3;
const DS_CLOSED = 4;
if (DISPUTE_STATUSES.join() !== 'OPEN,IN_PROCESS,RESOLVED,REJECTED,CLOSED') throw new Error('demo-history: dispute statuses changed');

const MODE_ON_TIME = 0;
const MODE_LATE = 1;
const MODE_NEVER = 2;

const DAY_MS = 86_400_000;
const NONE = -1;

// ---------------------------------------------------------------------------------------
// Growable columns

class IntColumn {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): number {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }
}

class FloatColumn {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): number {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Minor units as a decimal string of the currency. */
function money(minor: number, cur: number): string {
  if (DEMO_CURRENCY_DECIMALS[cur] === 0) return String(minor);
  const whole = Math.floor(minor / 100);
  const cents = minor - whole * 100;
  return whole + (cents < 10 ? '.0' : '.') + cents;
}

function parseIsoDay(iso: string, name: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== iso) throw new Error(`${name} must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(iso)}`);
  return ms / DAY_MS;
}

/** The day `months` calendar months before `day` (clamped to the month's end). */
function monthsBefore(day: number, months: number): number {
  const d = new Date(day * DAY_MS);
  const mi = d.getUTCFullYear() * 12 + d.getUTCMonth() - months;
  const y = Math.floor(mi / 12);
  const mo = mi - y * 12;
  const last = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  return Date.UTC(y, mo, Math.min(d.getUTCDate(), last)) / DAY_MS;
}

// ---------------------------------------------------------------------------------------
// The simulation

/** The simulated AR, held in columns; `demoHistoryTable` writes it as CSV. */
export class DemoHistory {
  readonly options: Required<DemoHistoryOptions>;
  readonly asOf: number;
  readonly firstDay: number;
  readonly periodStart: number;
  private readonly rng = new Rng();
  private readonly isoCache: string[] = [];
  private readonly isoBase: number;

  readonly partners: DemoPartner[] = [];
  private risk!: Uint8Array;
  private cycleDay!: Uint8Array;
  private contracts!: Uint8Array;
  private terms!: Int32Array;
  private scaleEur!: Float64Array;
  private mainPc!: Int8Array;
  private workedUntil!: Int32Array;
  private lastContact!: Int32Array;
  private overdueEur!: Float64Array;
  private promiseUntil!: Int32Array;
  private oldestOverdueItem!: Int32Array;
  private oldestDue!: Int32Array;

  // items
  readonly itPartner = new IntColumn(1 << 16);
  readonly itDoc = new IntColumn(1 << 16);
  readonly itDue = new IntColumn(1 << 16);
  readonly itAmount = new FloatColumn(1 << 16);
  readonly itOpen = new FloatColumn(1 << 16);
  readonly itLevel = new IntColumn(1 << 16);
  readonly itPc = new IntColumn(1 << 16);
  private readonly itMode = new IntColumn(1 << 16);
  private readonly itSchedDay = new IntColumn(1 << 16);
  private readonly itSchedAmt = new FloatColumn(1 << 16);
  private readonly itHoldUntil = new IntColumn(1 << 16);
  private readonly itDispute = new IntColumn(1 << 16);
  private readonly itNotice = new IntColumn(1 << 16);
  /** Items still open, compacted every day. */
  private open = new Int32Array(1 << 16);
  private openCount = 0;

  // payments
  readonly payItem = new IntColumn(1 << 16);
  readonly payDay = new IntColumn(1 << 16);
  readonly payAmt = new FloatColumn(1 << 16);

  // promises
  readonly prItem = new IntColumn();
  readonly prCreated = new IntColumn();
  readonly prPromised = new IntColumn();
  readonly prAmt = new FloatColumn();
  readonly prCancelled = new IntColumn();

  // disputes and their status changes
  readonly dsItem = new IntColumn();
  readonly dsCreated = new IntColumn();
  readonly dsAmt = new FloatColumn();
  readonly dsStatus = new IntColumn();
  readonly dsReason = new IntColumn();
  private readonly dsNextDay = new IntColumn();
  readonly dhDispute = new IntColumn();
  readonly dhDay = new IntColumn();
  readonly dhStatus = new IntColumn();
  private active: number[] = [];

  // dunning notices
  readonly dnItem = new IntColumn(1 << 16);
  readonly dnDay = new IntColumn(1 << 16);
  readonly dnLevel = new IntColumn(1 << 16);

  // contacts
  readonly ctPartner = new IntColumn();
  readonly ctDay = new IntColumn();
  readonly ctChannel = new IntColumn();
  readonly ctInbound = new IntColumn();
  readonly ctReached = new IntColumn();
  readonly ctResult = new IntColumn();
  collectionContacts = 0;

  constructor(options: DemoHistoryOptions) {
    const { partners, months } = options;
    if (!Number.isSafeInteger(partners) || partners < 0) throw new Error(`partners must be a non-negative integer, got ${partners}`);
    if (!Number.isInteger(months) || months < 1 || months > 60) throw new Error(`months must be a whole number from 1 to 60, got ${months}`);
    const workedEffect = options.workedEffect ?? 1;
    if (!Number.isFinite(workedEffect) || workedEffect < 0) throw new Error(`workedEffect must be a number >= 0, got ${workedEffect}`);
    const capacity = options.capacity ?? 1;
    if (!Number.isFinite(capacity) || capacity < 0) throw new Error(`capacity must be a number >= 0, got ${capacity}`);
    const seed = options.seed ?? 1;
    if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    const warmUpMonths = options.warmUpMonths ?? 3;
    if (!Number.isInteger(warmUpMonths) || warmUpMonths < 0 || warmUpMonths > 24)
      throw new Error(`warmUpMonths must be a whole number from 0 to 24, got ${warmUpMonths}`);
    this.options = { partners, months, asOf: options.asOf, seed, workedEffect, capacity, warmUpMonths };
    this.asOf = parseIsoDay(options.asOf, 'asOf');
    this.periodStart = monthsBefore(this.asOf, months) + 1;
    this.firstDay = monthsBefore(this.asOf, months + warmUpMonths) + 1;
    // Legacy debt is dated up to 200 days before the period; promised dates up to 60 after it.
    this.isoBase = this.firstDay - 400;
    this.rng.reset(streamKey(seed, 0, 7));
  }

  iso(day: number): string {
    const k = day - this.isoBase;
    return (this.isoCache[k] ??= new Date(day * DAY_MS).toISOString().slice(0, 10));
  }

  /** Runs the whole period. */
  simulate(): this {
    this.setUpPartners();
    this.openingBalances();
    for (let day = this.firstDay; day <= this.asOf; day++) this.simulateDay(day);
    return this;
  }

  // --- set-up ------------------------------------------------------------------------------

  private setUpPartners(): void {
    const { partners: n, seed, asOf } = this.options;
    for (const p of demoPartners({ partners: n, seed, asOf })) this.partners.push(p);
    this.risk = new Uint8Array(n);
    this.cycleDay = new Uint8Array(n);
    this.contracts = new Uint8Array(n);
    this.terms = new Int32Array(n);
    this.scaleEur = new Float64Array(n);
    this.mainPc = new Int8Array(n);
    this.workedUntil = new Int32Array(n).fill(NONE);
    this.lastContact = new Int32Array(n).fill(-1e6);
    this.overdueEur = new Float64Array(n);
    this.promiseUntil = new Int32Array(n).fill(NONE);
    this.oldestOverdueItem = new Int32Array(n);
    this.oldestDue = new Int32Array(n);
    const rng = this.rng;
    for (let i = 0; i < n; i++) {
      const p = this.partners[i]!;
      this.risk[i] = p.risk < 0 ? RISK_DEFAULT : p.risk;
      this.cycleDay[i] = rng.int(1, 28);
      const [lo, hi] = CONTRACTS[p.type]!;
      this.contracts[i] = rng.int(lo!, hi!);
      this.terms[i] = rng.pick(TERMS[p.type]!);
      this.scaleEur[i] = MEDIAN_EUR[p.type]! * Math.exp(PARTNER_SIGMA[p.type]! * rng.normal());
      this.mainPc[i] = rng.pick(PROFIT_CENTERS[p.type]!);
    }
  }

  /** Debt the period opens with: older items of weaker payers, still open on its first day. */
  private openingBalances(): void {
    const rng = this.rng;
    const legacyP = [0, 0.02, 0.08, 0.3, 0.55];
    for (let i = 0; i < this.partners.length; i++) {
      const risk = this.risk[i]!;
      if (this.partners[i]!.type === T_PREPAID || !rng.chance(legacyP[risk]!)) continue;
      const count = rng.int(1, 3);
      for (let k = 0; k < count; k++) {
        const doc = this.firstDay - rng.int(25, 200);
        const item = this.addItem(i, doc, rng.chance(NEVER[risk]! * 2) ? MODE_NEVER : MODE_LATE);
        // The notices it already had.
        const due = this.itDue.data[item]!;
        if (this.partners[i]!.type !== T_WHOLESALE) {
          for (let l = 0; l < DUNNING_STEPS.length && due + DUNNING_STEPS[l]! < this.firstDay; l++) this.notice(item, due + DUNNING_STEPS[l]!);
        }
      }
    }
  }

  // --- one day -----------------------------------------------------------------------------

  private simulateDay(day: number): void {
    const date = new Date(day * DAY_MS);
    this.bill(day, date.getUTCDate());
    this.overdueEur.fill(0);
    this.settleItems(day);
    this.moveDisputes(day);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) this.workTheList(day);
  }

  /** Monthly invoices of the partners whose billing cycle falls on this day (days 29-31: none). */
  private bill(day: number, dayOfMonth: number): void {
    const rng = this.rng;
    for (let i = 0; i < this.partners.length; i++) {
      if (this.cycleDay[i] !== dayOfMonth) continue;
      const type = this.partners[i]!.type;
      if (type === T_PREPAID && !rng.chance(PREPAID_BILLED)) continue;
      const risk = this.risk[i]!;
      for (let c = 0; c < this.contracts[i]!; c++) {
        const r = rng.next();
        const mode = r < ON_TIME[risk]! ? MODE_ON_TIME : r < ON_TIME[risk]! + NEVER[risk]! ? MODE_NEVER : MODE_LATE;
        const item = this.addItem(i, Math.min(this.asOf, day + (c === 0 ? 0 : rng.int(0, 2))), mode);
        if (rng.chance(DISPUTE_P[type]!)) this.openDispute(item, Math.min(this.asOf + 1, day + rng.int(3, 30)), false);
      }
    }
  }

  private addItem(i: number, doc: number, mode: number): number {
    const rng = this.rng;
    const p = this.partners[i]!;
    const cur = p.currency;
    const unit = 10 ** DEMO_CURRENCY_DECIMALS[cur]!;
    const eur = this.scaleEur[i]! * Math.exp(ITEM_SIGMA[p.type]! * rng.normal());
    const amount = Math.max(unit, Math.round(Math.max(eur, 1) * DEMO_UNITS_PER_EUR[cur]! * unit));
    const due = doc + this.terms[i]!;
    const item = this.itPartner.push(i);
    this.itDoc.push(doc);
    this.itDue.push(due);
    this.itAmount.push(amount);
    this.itOpen.push(amount);
    this.itLevel.push(0);
    this.itPc.push(rng.chance(0.85) ? this.mainPc[i]! : rng.pick(PROFIT_CENTERS[p.type]!));
    this.itMode.push(mode);
    this.itSchedDay.push(mode === MODE_ON_TIME ? Math.max(doc + 1, due + rng.int(-6, 1)) : NONE);
    this.itSchedAmt.push(mode === MODE_ON_TIME ? amount : 0);
    this.itHoldUntil.push(NONE);
    this.itDispute.push(NONE);
    this.itNotice.push(NONE);
    if (this.openCount === this.open.length) {
      const next = new Int32Array(this.open.length * 2);
      next.set(this.open);
      this.open = next;
    }
    this.open[this.openCount++] = item;
    return item;
  }

  /**
   * Payments and notices of every open item; what stays open and overdue counts towards its
   * partner's overdue amount (EUR) for the day's list. Paid items leave the open list.
   */
  private settleItems(day: number): void {
    let kept = 0;
    const open = this.open;
    // Settling adds no items: the columns stay where they are during the loop.
    const dues = this.itDue.data;
    const scheduled = this.itSchedDay.data;
    const opens = this.itOpen.data;
    for (let k = 0; k < this.openCount; k++) {
      const item = open[k]!;
      const sched = scheduled[item]!;
      // Not due yet and no payment set for today (most items most days): nothing can happen.
      if (dues[item]! >= day && (sched === NONE || sched > day)) {
        open[kept++] = item;
        continue;
      }
      this.settleItem(item, day);
      if (opens[item]! > 0) {
        open[kept++] = item;
        this.countOverdue(item, day);
      }
    }
    this.openCount = kept;
  }

  private settleItem(item: number, day: number): void {
    const rng = this.rng;
    const held = this.disputed(item, day);
    const sched = this.itSchedDay.data[item]!;
    if (sched !== NONE && sched <= day) {
      // A payment set for today (on-time payer, promise); a dispute holds it: then paid late.
      this.itSchedDay.data[item] = NONE;
      if (!held) this.pay(item, day, Math.min(this.itSchedAmt.data[item]!, this.itOpen.data[item]!));
      else if (this.itMode.data[item] === MODE_ON_TIME) this.itMode.data[item] = MODE_LATE;
      return;
    }
    if (held) return;
    const due = this.itDue.data[item]!;
    // (a dispute decided later lets the item be paid and dunned again)
    if (day > due && this.itHoldUntil.data[item]! < day) {
      const hazard = this.hazard(item, day);
      if (hazard > 0 && rng.next() < hazard) {
        const open = this.itOpen.data[item]!;
        this.pay(item, day, rng.chance(PARTIAL_PAYMENT_P) ? this.share(open, 0.3, 0.7, this.currencyOf(item)) : open);
        if (this.itOpen.data[item]! <= 0) return;
      }
    }
    // Dunning: consumers and business customers; one level per day, on the step's day or later.
    const level = this.itLevel.data[item]!;
    if (level < DUNNING_STEPS.length && day - due >= DUNNING_STEPS[level]! && this.partners[this.itPartner.data[item]!]!.type !== T_WHOLESALE) {
      this.notice(item, day);
    }
  }

  /** Today's payment hazard of a late item: by risk class, worked, after a notice. */
  private hazard(item: number, day: number): number {
    const partner = this.itPartner.data[item]!;
    const worked = this.workedUntil[partner]! >= day;
    const effect = this.options.workedEffect;
    const mode = this.itMode.data[item]!;
    if (mode === MODE_NEVER) return worked ? NEVER_WORKED_HAZARD * effect : 0;
    let h = LATE_HAZARD[this.risk[partner]!]!;
    if (worked) h *= 1 + effect;
    const notice = this.itNotice.data[item]!;
    if (notice !== NONE && day - notice <= NOTICE_DAYS) h *= NOTICE_BOOST;
    return Math.min(h, 0.9);
  }

  private countOverdue(item: number, day: number): void {
    const due = this.itDue.data[item]!;
    if (due >= day || this.disputed(item, day)) return;
    const partner = this.itPartner.data[item]!;
    const cur = this.currencyOf(item);
    const eur = this.itOpen.data[item]! / 10 ** DEMO_CURRENCY_DECIMALS[cur]! / DEMO_UNITS_PER_EUR[cur]!;
    if (this.overdueEur[partner] === 0 || due < this.oldestDue[partner]!) {
      this.oldestDue[partner] = due;
      this.oldestOverdueItem[partner] = item;
    }
    this.overdueEur[partner]! += eur;
  }

  /** Whether an open dispute holds the item today (no payment, no notice, off the list). */
  private disputed(item: number, day: number): boolean {
    const dispute = this.itDispute.data[item]!;
    return dispute !== NONE && this.dsCreated.data[dispute]! <= day && this.dsStatus.data[dispute]! <= DS_IN_PROCESS;
  }

  private currencyOf(item: number): number {
    return this.partners[this.itPartner.data[item]!]!.currency;
  }

  private pay(item: number, day: number, amount: number): void {
    if (amount <= 0 || day > this.asOf) return;
    this.payItem.push(item);
    this.payDay.push(day);
    this.payAmt.push(amount);
    this.itOpen.data[item]! -= amount;
  }

  private notice(item: number, day: number): void {
    const level = ++this.itLevel.data[item]!;
    this.itNotice.data[item] = day;
    this.dnItem.push(item);
    this.dnDay.push(day);
    this.dnLevel.push(level);
  }

  /** A share of `total` (minor units) in [lo, hi], whole currency units when large enough, kept in [1, total - 1]. */
  private share(total: number, lo: number, hi: number, cur: number): number {
    if (total < 2) return total;
    let x = total * (lo + (hi - lo) * this.rng.next());
    const unit = 10 ** DEMO_CURRENCY_DECIMALS[cur]!;
    x = x >= 20 * unit ? Math.round(x / unit) * unit : Math.round(x);
    return Math.min(Math.max(x, 1), total - 1);
  }

  // --- disputes ----------------------------------------------------------------------------

  /** A dispute on the item from `day` (none after asOf); `raised` when a collection call brought it (its contact is that call's). */
  private openDispute(item: number, day: number, raised: boolean): void {
    if (day > this.asOf || this.itDispute.data[item] !== NONE) return;
    const rng = this.rng;
    const partner = this.itPartner.data[item]!;
    const open = this.itOpen.data[item]!;
    const k = this.dsItem.push(item);
    this.dsCreated.push(day);
    this.dsAmt.push(rng.chance(0.4) ? open : this.share(open, 0.1, 0.9, this.currencyOf(item)));
    this.dsStatus.push(DS_OPEN);
    const wholesale = this.partners[partner]!.type === T_WHOLESALE;
    this.dsReason.push(rng.chance(0.05) ? NONE : wholesale ? rng.pick([0, 3, 6, 8, 8, 9, 9, 5]) : rng.pick([0, 1, 2, 3, 3, 3, 4, 5, 6, 7]));
    this.dsNextDay.push(day + rng.int(1, 7));
    this.itDispute.data[item] = k;
    this.active.push(k);
    if (!raised) this.contact(partner, day, rng.chance(0.6) ? CH_PHONE : CH_EMAIL, true, true, R.DISPUTE_RAISED);
  }

  /** Disputes due for their next step today: taken up, decided, closed. */
  private moveDisputes(day: number): void {
    const rng = this.rng;
    const still: number[] = [];
    for (const k of this.active) {
      if (this.dsNextDay.data[k]! > day || this.dsCreated.data[k]! > day) {
        still.push(k);
        continue;
      }
      const from = this.dsStatus.data[k]!;
      let to: number;
      let next = NONE;
      if (from === DS_OPEN && rng.chance(0.85)) {
        to = DS_IN_PROCESS;
        next = day + rng.int(5, 45);
      } else if (from <= DS_IN_PROCESS) {
        // The state machine: only an OPEN dispute closes without a decision (withdrawn).
        const r = rng.next();
        to = r < 0.5 ? DS_RESOLVED : r < 0.9 || from === DS_IN_PROCESS ? DS_REJECTED : DS_CLOSED;
        if (to !== DS_CLOSED && rng.chance(0.6)) next = day + rng.int(5, 30);
        this.afterDecision(k, day, to);
      } else {
        to = DS_CLOSED;
      }
      this.dsStatus.data[k] = to;
      this.dhDispute.push(k);
      this.dhDay.push(day);
      this.dhStatus.push(to);
      if (next !== NONE) {
        this.dsNextDay.data[k] = next;
        still.push(k);
      }
    }
    this.active = still;
  }

  /** Once decided, the item is paid: soon after a resolution (corrected invoice), by the hazard otherwise. */
  private afterDecision(k: number, day: number, to: number): void {
    const item = this.dsItem.data[k]!;
    if (to === DS_RESOLVED && this.itOpen.data[item]! > 0 && this.rng.chance(0.8)) {
      this.itSchedDay.data[item] = day + this.rng.int(1, 10);
      this.itSchedAmt.data[item] = this.itOpen.data[item]!;
    } else if (this.itMode.data[item] === MODE_ON_TIME) {
      this.itMode.data[item] = MODE_LATE;
    }
  }

  // --- collections -------------------------------------------------------------------------

  /** The day's list per segment: the highest overdue (amount weighted by age) within the capacity. */
  private workTheList(day: number): void {
    const segments = [0, 1, 2].map(() => ({ partners: 0, candidates: [] as number[] }));
    for (let i = 0; i < this.partners.length; i++) {
      const seg = segments[this.partners[i]!.segment]!;
      seg.partners++;
      // Not called again within the cool-down, nor while a promise of theirs waits for its date.
      if (this.overdueEur[i]! > 0 && day - this.lastContact[i]! >= CONTACT_COOLDOWN && this.promiseUntil[i]! < day) seg.candidates.push(i);
    }
    segments.forEach((seg, s) => {
      if (seg.candidates.length === 0) return;
      const capacity = Math.max(1, Math.round(seg.partners * CAPACITY_SHARE[s]! * this.options.capacity));
      const score = (i: number): number => this.overdueEur[i]! * (1 + (day - this.oldestDue[i]!) / 30);
      for (const i of topK(seg.candidates, capacity, score)) this.call(i, day, s);
    });
  }

  /** One collection contact and what it brings. */
  private call(i: number, day: number, segment: number): void {
    const rng = this.rng;
    this.collectionContacts++;
    const risk = this.risk[i]!;
    const channel = segment === SEG_CONSUMER ? rng.weighted([45, 20, 35, 0], 100) : rng.weighted([60, 35, 0, 5], 100);
    if (channel !== CH_PHONE) {
      const reached = rng.chance(channel === CH_EMAIL ? 0.9 : channel === CH_SMS ? 0.95 : 0.97);
      this.contact(i, day, channel, false, reached, reached ? R.REMINDER_SENT : R.BOUNCED);
      return;
    }
    if (!rng.chance(REACHED_PHONE[risk]!)) {
      this.contact(i, day, CH_PHONE, false, false, rng.pick([R.NO_ANSWER, R.NO_ANSWER, R.VOICEMAIL, R.VOICEMAIL, R.WRONG_NUMBER]));
      return;
    }
    const item = this.oldestOverdueItem[i]!;
    const r = rng.next();
    let result: number;
    if (r < 0.45) result = this.promise(item, day) ? R.PROMISE_GIVEN : R.CALLBACK;
    else if (r < 0.57) {
      result = R.PAYMENT_CONFIRMED;
      if (this.itSchedDay.data[item] === NONE && rng.chance(0.75)) {
        this.itSchedDay.data[item] = day + rng.int(1, 4);
        this.itSchedAmt.data[item] = this.itOpen.data[item]!;
      }
    } else if (r < 0.64) {
      result = R.DISPUTE_RAISED;
      this.openDispute(item, day, true);
    } else result = rng.pick([R.CALLBACK, R.CALLBACK, R.REFUSED_TO_PAY, R.HARDSHIP, R.HARDSHIP, R.INFO_PROVIDED, R.INFO_PROVIDED]);
    this.contact(i, day, CH_PHONE, false, true, result);
  }

  private contact(i: number, day: number, channel: number, inbound: boolean, reached: boolean, result: number): void {
    this.ctPartner.push(i);
    this.ctDay.push(day);
    this.ctChannel.push(channel);
    this.ctInbound.push(inbound ? 1 : 0);
    this.ctReached.push(reached ? 1 : 0);
    this.ctResult.push(result);
    if (inbound) return;
    this.lastContact[i] = day;
    if (reached) this.workedUntil[i] = Math.max(this.workedUntil[i]!, day + WORKED_DAYS);
  }

  /**
   * A promise on the item: its outcome (by risk class) decides the payment it schedules; the
   * item's own payment waits until the promise is judged. False when the item has one pending.
   */
  private promise(item: number, day: number): boolean {
    if (this.itHoldUntil.data[item]! >= day || this.itSchedDay.data[item] !== NONE) return false;
    const rng = this.rng;
    const risk = this.risk[this.itPartner.data[item]!]!;
    const cur = this.currencyOf(item);
    const open = this.itOpen.data[item]!;
    const amount = open >= 2 && rng.chance(0.3) ? this.share(open, 0.3, 0.7, cur) : open;
    const promised = day + rng.int(2, 14);
    const r = rng.next();
    const cancelled = r < PROMISE_CANCELLED;
    this.prItem.push(item);
    this.prCreated.push(day);
    this.prPromised.push(promised);
    this.prAmt.push(amount);
    this.prCancelled.push(cancelled ? 1 : 0);
    if (cancelled) return true;
    this.itHoldUntil.data[item] = promised + 3;
    const partner = this.itPartner.data[item]!;
    this.promiseUntil[partner] = Math.max(this.promiseUntil[partner]!, promised + 3);
    const kept = PROMISE_KEPT[risk]!;
    if (r < PROMISE_CANCELLED + (1 - PROMISE_CANCELLED) * kept) {
      this.itSchedDay.data[item] = Math.max(day, promised + rng.int(-5, 2));
      this.itSchedAmt.data[item] = amount;
    } else if (r < PROMISE_CANCELLED + (1 - PROMISE_CANCELLED) * (kept + PROMISE_PARTIAL[risk]!)) {
      this.itSchedDay.data[item] = rng.int(day, promised + 3);
      this.itSchedAmt.data[item] = this.share(amount, 0.2, 0.8, cur);
    }
    return true;
  }

  // --- CSV ---------------------------------------------------------------------------------

  /** Rows of each table (what `demoHistoryTable` yields after the header). */
  rowCounts(): Record<CsvTable, number> {
    return {
      partners: this.partners.length,
      open_items: this.itPartner.length,
      payments: this.payItem.length,
      promises: this.prItem.length,
      disputes: this.dsItem.length,
      contacts: this.ctPartner.length,
      dispute_history: this.dhDispute.length,
      dunning_history: this.dnItem.length,
      fx_rates: this.fxMonths().length * DEMO_CURRENCIES.length * (DEMO_CURRENCIES.length - 1),
    };
  }

  stats(): DemoHistoryStats {
    return {
      rows: this.rowCounts(),
      periodStart: this.iso(this.periodStart),
      firstDay: this.iso(this.firstDay),
      days: this.asOf - this.firstDay + 1,
      collectionContacts: this.collectionContacts,
    };
  }

  /** First days of the months with an fx rate: the month before the first item's to asOf's month. */
  fxMonths(): number[] {
    let earliest = this.firstDay;
    for (let k = 0; k < this.itDoc.length; k++) earliest = Math.min(earliest, this.itDoc.data[k]!);
    const first = new Date(earliest * DAY_MS);
    const last = new Date(this.asOf * DAY_MS);
    const months: number[] = [];
    for (let mi = first.getUTCFullYear() * 12 + first.getUTCMonth() - 1; mi <= last.getUTCFullYear() * 12 + last.getUTCMonth(); mi++) {
      months.push(Date.UTC(Math.floor(mi / 12), mi % 12, 1) / DAY_MS);
    }
    return months;
  }

  itemId(item: number): string {
    return 'I' + pad(item + 1, 9);
  }

  disputeId(k: number): string {
    return 'D' + pad(k + 1, 8);
  }
}

/** The k entries of `values` with the highest score, best first (ties: lower value first). */
export function topK(values: readonly number[], k: number, score: (v: number) => number): number[] {
  if (values.length <= k) return [...values].sort((a, b) => score(b) - score(a) || a - b);
  // Min-heap of the best k so far.
  const heap: Array<[number, number]> = [];
  const worse = (a: [number, number], b: [number, number]): boolean => a[1] < b[1] || (a[1] === b[1] && a[0] > b[0]);
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const v of values) {
    const e: [number, number] = [v, score(v)];
    if (heap.length < k) {
      heap.push(e);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (worse(heap[0]!, e)) {
      heap[0] = e;
      down(0);
    }
  }
  return heap.sort((a, b) => b[1] - a[1] || a[0] - b[0]).map((e) => e[0]);
}

/** Runs the simulation (seconds for tens of thousands of partners); the result writes every table. */
export function simulateDemoHistory(options: DemoHistoryOptions): DemoHistory {
  return new DemoHistory(options).simulate();
}

const FLUSH_CHARS = 512 * 1024;

/** The CSV text of one table of a simulated history: the header, then chunks of whole lines. */
export function* demoHistoryTable(h: DemoHistory, table: CsvTable): Generator<string, void, undefined> {
  yield CSV_FILES[table].columns.map((c) => c.name).join(',') + '\n';
  let out = '';
  for (const line of tableLines(h, table)) {
    out += line;
    if (out.length >= FLUSH_CHARS) {
      yield out;
      out = '';
    }
  }
  if (out.length > 0) yield out;
}

function* tableLines(h: DemoHistory, table: CsvTable): Generator<string, void, undefined> {
  const cur = (item: number): number => h.partners[h.itPartner.data[item]!]!.currency;
  const pid = (item: number): string => h.partners[h.itPartner.data[item]!]!.partnerId;
  switch (table) {
    case 'partners':
      for (const p of h.partners) yield p.line;
      return;
    case 'open_items': {
      // Blocked for dunning while a dispute on the item is open at asOf.
      const blocked = new Uint8Array(h.itPartner.length);
      for (let k = 0; k < h.dsItem.length; k++) if (h.dsStatus.data[k]! <= DS_IN_PROCESS) blocked[h.dsItem.data[k]!] = 1;
      for (let j = 0; j < h.itPartner.length; j++) yield openItemLine(h, j, blocked);
      return;
    }
    case 'payments':
      for (let k = 0; k < h.payItem.length; k++) {
        const item = h.payItem.data[k]!;
        const c = cur(item);
        yield `Y${pad(k + 1, 9)},${pid(item)},${h.itemId(item)},${h.iso(h.payDay.data[k]!)},${money(h.payAmt.data[k]!, c)},${DEMO_CURRENCIES[c]}\n`;
      }
      return;
    case 'promises':
      for (let k = 0; k < h.prItem.length; k++) {
        const item = h.prItem.data[k]!;
        const c = cur(item);
        yield `R${pad(k + 1, 8)},${pid(item)},${h.itemId(item)},${h.iso(h.prCreated.data[k]!)},${h.iso(h.prPromised.data[k]!)},${money(h.prAmt.data[k]!, c)},${DEMO_CURRENCIES[c]},${h.prCancelled.data[k] ? 'true' : 'false'}\n`;
      }
      return;
    case 'disputes':
      for (let k = 0; k < h.dsItem.length; k++) {
        const item = h.dsItem.data[k]!;
        const c = cur(item);
        const reason = h.dsReason.data[k]!;
        yield `${h.disputeId(k)},${pid(item)},${h.itemId(item)},${h.iso(h.dsCreated.data[k]!)},${money(h.dsAmt.data[k]!, c)},${DEMO_CURRENCIES[c]},${DISPUTE_STATUSES[h.dsStatus.data[k]!]},${reason === NONE ? '' : DEMO_DISPUTE_REASONS[reason]}\n`;
      }
      return;
    case 'contacts':
      for (let k = 0; k < h.ctPartner.length; k++) {
        const p = h.partners[h.ctPartner.data[k]!]!;
        yield `C${pad(k + 1, 9)},${p.partnerId},${h.iso(h.ctDay.data[k]!)},${DEMO_CONTACT_CHANNELS[h.ctChannel.data[k]!]},${h.ctInbound.data[k] ? 'INBOUND' : 'OUTBOUND'},${h.ctReached.data[k] ? 'true' : 'false'},${csvField(DEMO_CONTACT_RESULTS[h.ctResult.data[k]!]!)}\n`;
      }
      return;
    case 'dispute_history':
      for (let k = 0; k < h.dhDispute.length; k++)
        yield `${h.disputeId(h.dhDispute.data[k]!)},${h.iso(h.dhDay.data[k]!)},${DISPUTE_STATUSES[h.dhStatus.data[k]!]}\n`;
      return;
    case 'dunning_history':
      for (let k = 0; k < h.dnItem.length; k++) yield `${h.itemId(h.dnItem.data[k]!)},${h.iso(h.dnDay.data[k]!)},${h.dnLevel.data[k]}\n`;
      return;
    case 'fx_rates':
      yield* fxLines(h);
      return;
  }
}

function openItemLine(h: DemoHistory, j: number, blocked: Uint8Array): string {
  const partner = h.partners[h.itPartner.data[j]!]!;
  const c = partner.currency;
  const wholesale = partner.type === T_WHOLESALE;
  const open = h.itOpen.data[j]!;
  const block = blocked[j] === 1;
  return `${h.itemId(j)},${partner.partnerId},${partner.companyCode},${h.iso(h.itDoc.data[j]!)},${h.iso(h.itDue.data[j]!)},${money(h.itAmount.data[j]!, c)},${money(open, c)},${DEMO_CURRENCIES[c]},${wholesale ? '' : h.itLevel.data[j]},${block ? 'true' : 'false'},${DEMO_PROFIT_CENTERS[h.itPc.data[j]!]}\n`;
}

/** Monthly rates (first of the month) of every ordered pair, drifting mildly around the EUR levels. */
function* fxLines(h: DemoHistory): Generator<string, void, undefined> {
  const rng = new Rng();
  rng.reset(streamKey(h.options.seed, 0, 8));
  const n = DEMO_CURRENCIES.length;
  const level = DEMO_UNITS_PER_EUR.slice();
  const round8 = (x: number): number => Math.round(x * 1e8) / 1e8;
  const rate = (x: number): string => x.toFixed(8).replace(/0+$/, '').replace(/\.$/, '');
  for (const month of h.fxMonths()) {
    for (let c = 1; c < n; c++) {
      const base = DEMO_UNITS_PER_EUR[c]!;
      level[c] = base + (level[c]! * (1 + 0.03 * (rng.next() - 0.5)) - base) * 0.9;
    }
    let s = '';
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a === b) continue;
        const forward = a < b ? round8(level[b]! / level[a]!) : round8(1 / round8(level[a]! / level[b]!));
        s += `${h.iso(month)},${DEMO_CURRENCIES[a]},${DEMO_CURRENCIES[b]},${rate(forward)}\n`;
      }
    }
    yield s;
  }
}

/** The history's tables as import sources (each read lazily from the simulated columns). */
export function demoHistorySources(h: DemoHistory): ImportSources {
  return Object.fromEntries(CSV_TABLES.map((table) => [table, () => demoHistoryTable(h, table)]));
}

/**
 * Simulates the history and loads it through the import (the same path as `pnpm recoup import`),
 * then the demo organisation over it. Returns the import's result and the simulation's stats.
 */
export async function seedDemoHistory(
  db: Database,
  options: DemoHistoryOptions,
  importOptions: ImportOptions = {},
): Promise<{ result: ImportResult; stats: DemoHistoryStats; simulateMs: number }> {
  const t0 = performance.now();
  const h = simulateDemoHistory(options);
  const simulateMs = performance.now() - t0;
  const result = await importAr(db, demoHistorySources(h), { rebuildFacts: true, ...importOptions });
  await seedDemoOrganisation(db);
  await seedDemoWork(db);
  return { result, stats: h.stats(), simulateMs };
}

/** Simulates the history and writes it as the import contract's CSV files into `dir`. */
export async function writeDemoHistory(
  dir: string,
  options: DemoHistoryOptions,
  onProgress?: (file: string, bytes: number) => void,
): Promise<DemoHistoryStats> {
  const h = simulateDemoHistory(options);
  await mkdir(dir, { recursive: true });
  for (const table of CSV_TABLES) {
    const file = CSV_FILES[table].file;
    const out = createWriteStream(path.join(dir, file), { highWaterMark: 1 << 20 });
    let bytes = 0;
    for (const chunk of demoHistoryTable(h, table)) {
      bytes += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
      onProgress?.(file, bytes);
    }
    out.end();
    await once(out, 'finish');
  }
  return h.stats();
}

/** `12m` (months) or `2y` (years) as months; null when it is neither. */
export function parseHistoryLength(text: string): number | null {
  const m = /^(\d{1,3})(m|y)$/.exec(text.trim().toLowerCase());
  if (!m) return null;
  const months = Number(m[1]) * (m[2] === 'y' ? 12 : 1);
  return months >= 1 && months <= 60 ? months : null;
}
