/**
 * Random small AR histories for the point-in-time tests: partners with items whose today's open
 * amounts are consistent with their payments, payments before and after any key date, disputes
 * with and without a status history, dunning notices, promises (some cancelled, with and without a
 * date), contacts, resubmissions, payment plans, rates of a second currency, and item holds
 * (placements and legal cases, one after the other on an item: some ended, the last maybe in
 * force, some starting or ending exactly on D). Everything is drawn from one integer seed
 * (mulberry32), so a failing example is reproduced by its seed.
 */
import { addDays, dec, normalise, sub, sumDec, type Ar, type ArDispute, type ArHold, type ArItem } from './ar-at-date';

/** The mirror's today in these histories: every event is dated on or before it. */
export const HISTORY_TODAY = '2026-07-31';
const START = '2026-01-01';
const SPAN = 211; // START .. HISTORY_TODAY
const STATUSES = ['OPEN', 'IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED'];

export interface Rng {
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
}

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { int, chance: (p) => next() < p, pick: (xs) => xs[int(0, xs.length - 1)]! };
}

/** A date within [from, HISTORY_TODAY]. */
const dateFrom = (r: Rng, from: string, maxDays = SPAN) => {
  const left = Math.round((Date.parse(HISTORY_TODAY) - Date.parse(from)) / 86_400_000);
  return addDays(from, r.int(0, Math.max(0, Math.min(left, maxDays))));
};
/** Money with 2 (sometimes 4) decimals in [min, max] cents. */
const money = (r: Rng, minCents: number, maxCents: number) =>
  r.chance(0.2) ? normalise({ u: BigInt(r.int(minCents * 100, maxCents * 100)), s: 4 }) : normalise({ u: BigInt(r.int(minCents, maxCents)), s: 2 });

export interface History {
  ar: Ar;
  /** The key date. */
  asOf: string;
  /** The strategy currency. */
  currency: string;
}

/** A random history of 1-4 partners and a key date in it. */
export function randomHistory(seed: number): History {
  const r = rng(seed);
  const ids = { next: 1000 };
  const id = () => String(++ids.next);
  const ar: Ar = {
    partners: [],
    items: [],
    payments: [],
    promises: [],
    disputes: [],
    disputeChanges: [],
    dunningChanges: [],
    contacts: [],
    resubmissions: [],
    plans: [],
    fxRates: [
      { from: 'USD', to: 'EUR', rateDate: '2025-12-01', rate: '0.9' },
      { from: 'USD', to: 'EUR', rateDate: dateFrom(r, START), rate: `0.${r.int(7000, 9999)}${r.int(1, 9)}` },
      { from: 'EUR', to: 'USD', rateDate: '2025-12-01', rate: '1.1' },
      { from: 'EUR', to: 'USD', rateDate: dateFrom(r, START), rate: `1.${r.int(1000, 3000)}7` },
    ],
    tolerance: { '1000': 3, '2000': r.int(0, 6) },
    holds: [],
  };
  const partners = r.int(1, 4);
  const asOf = dateFrom(r, addDays(START, 10));
  for (let k = 1; k <= partners; k++) addPartner(ar, r, String(k), asOf, id);
  // From a stream of their own: the histories drawn before holds existed stay as they were.
  addHolds(ar, rng(seed ^ 0x2f6b1d3), asOf);
  return { ar, asOf, currency: r.pick(['EUR', 'USD']) };
}

/** Holds on some items, one after the other (a hold starts on or after the previous one's end; only the last may be in force). */
function addHolds(ar: Ar, r: Rng, asOf: string): void {
  let holder = 500;
  for (const item of ar.items) {
    if (!r.chance(0.4)) continue;
    let from = item.documentDate;
    for (let n = r.int(1, 2); n > 0 && from <= HISTORY_TODAY; n--) {
      // D itself often: held at the end of the day a hold starts, not at the end of the day it ends.
      const startedOn = asOf >= from && r.chance(0.25) ? asOf : dateFrom(r, from);
      const endedOn = r.chance(0.4) ? null : startedOn <= asOf && r.chance(0.35) ? asOf : dateFrom(r, startedOn);
      ar.holds!.push(hold(item, r.pick(['PLACEMENT', 'LEGAL'] as const), String(++holder), startedOn, endedOn));
      if (endedOn === null) break;
      from = endedOn;
    }
  }
}

const hold = (item: ArItem, kind: ArHold['kind'], holderId: string, startedOn: string, endedOn: string | null): ArHold => ({
  itemId: item.id,
  partnerId: item.partnerId,
  kind,
  holderId,
  startedOn,
  endedOn,
});

function addPartner(ar: Ar, r: Rng, partnerId: string, asOf: string, id: () => string): void {
  const currency = r.pick(['EUR', 'EUR', 'USD']);
  const other = currency === 'EUR' ? 'USD' : 'EUR';
  ar.partners.push({
    id: partnerId,
    currency,
    country: 'DE',
    customerType: r.pick(['B2C', 'B2B']),
    riskClass: r.chance(0.4) ? null : r.pick(['A', 'C']),
    creditLimit: r.chance(0.3) ? null : r.chance(0.15) ? '0' : money(r, 10000, 500000),
    segment: r.pick(['S1', 'S2']),
  });
  const items: ArItem[] = [];
  for (let n = r.int(0, 4); n > 0; n--) items.push(addItem(ar, r, partnerId, r.chance(0.8) ? currency : other, id));
  for (let n = r.int(0, 2); n > 0; n--)
    ar.payments.push({ id: id(), partnerId, itemId: null, paymentDate: dateFrom(r, START), amount: money(r, 100, 50000), currency, paymentPlanId: null });
  for (let n = r.int(0, 3); n > 0; n--) addDispute(ar, r, partnerId, items, asOf, id);
  for (let n = r.int(0, 3); n > 0; n--) {
    const item = items.length && r.chance(0.8) ? r.pick(items) : undefined;
    const createdDate = dateFrom(r, item?.documentDate ?? START);
    const cancelled = r.chance(0.45);
    ar.promises.push({
      id: id(),
      partnerId,
      itemId: item?.id ?? null,
      createdDate,
      promisedDate: addDays(createdDate, r.int(0, 30)),
      amount: money(r, 100, 60000),
      currency: item && r.chance(0.8) ? item.currency : r.pick(['EUR', 'USD']),
      cancelled,
      cancelledDate: cancelled && r.chance(0.7) ? dateFrom(r, createdDate) : null,
    });
  }
  for (let n = r.int(0, 3); n > 0; n--) ar.contacts.push({ id: id(), partnerId, contactDate: dateFrom(r, START), reached: r.chance(0.5) });
  for (let n = r.int(0, 3); n > 0; n--) {
    const done = r.chance(0.6);
    ar.resubmissions.push({ id: id(), partnerId, resubmissionDate: dateFrom(r, START), done, doneOn: done && r.chance(0.7) ? dateFrom(r, START) : null });
  }
  if (r.chance(0.35)) addPlan(ar, r, partnerId, currency, items, id);
}

/** An item with 0-3 payments (today's open amount = amount - its own-currency payments) and maybe a notice history. */
function addItem(ar: Ar, r: Rng, partnerId: string, currency: string, id: () => string): ArItem {
  const documentDate = dateFrom(r, START, 200);
  const amount = money(r, 500, 100000);
  const item: ArItem = {
    id: id(),
    partnerId,
    companyCode: r.pick(['1000', '2000']),
    documentDate,
    dueDate: addDays(documentDate, r.int(-5, 60)),
    amount,
    openAmount: amount,
    currency,
    dunningLevel: r.int(0, 3),
    dunningBlock: r.chance(0.15),
  };
  let left = dec(amount);
  for (let n = r.int(0, 3); n > 0 && left.u > 0n; n--) {
    const own = r.chance(0.85);
    const paid = r.chance(0.4) ? left : { u: (left.u * BigInt(r.int(1, 99))) / 100n, s: left.s };
    if (paid.u <= 0n) continue;
    const paymentCurrency = own ? currency : currency === 'EUR' ? 'USD' : 'EUR';
    ar.payments.push({
      id: id(),
      partnerId,
      itemId: item.id,
      paymentDate: dateFrom(r, documentDate),
      amount: normalise(paid),
      currency: paymentCurrency,
      paymentPlanId: null,
    });
    if (own) left = sub(left, paid);
  }
  // A cleared item with nothing to date it (a gap): open 0, no payments.
  item.openAmount = r.chance(0.08) ? '0' : normalise(left.u < 0n ? dec(0) : left);
  if (r.chance(0.5)) {
    let on = item.dueDate < documentDate ? documentDate : item.dueDate;
    let level = 0;
    for (let n = r.int(1, 3); n > 0 && on <= addDays(HISTORY_TODAY, 0); n--) {
      level += 1;
      ar.dunningChanges.push({ itemId: item.id, partnerId, dunnedOn: on, level });
      on = addDays(on, r.int(1, 40));
    }
    item.dunningLevel = r.chance(0.85) ? level : r.int(0, 4);
  }
  ar.items.push(item);
  return item;
}

function addDispute(ar: Ar, r: Rng, partnerId: string, items: ArItem[], asOf: string, id: () => string): void {
  const item = items.length && r.chance(0.8) ? r.pick(items) : undefined;
  const createdDate = dateFrom(r, item?.documentDate ?? START);
  const dispute: ArDispute = {
    id: id(),
    partnerId,
    itemId: item?.id ?? null,
    createdDate,
    disputedAmount: money(r, 100, 50000),
    currency: item?.currency ?? r.pick(['EUR', 'USD']),
    status: r.pick(STATUSES),
    statusChangedAt: null,
  };
  if (createdDate <= asOf && asOf < HISTORY_TODAY && r.chance(0.4)) {
    // A change by D and one after it: closed then reopened, or open then closed.
    const reopened = r.chance(0.5);
    const closed = ['RESOLVED', 'REJECTED', 'CLOSED'];
    const open = ['OPEN', 'IN_PROCESS'];
    const firstOn = dateFrom(r, createdDate, Math.round((Date.parse(asOf) - Date.parse(createdDate)) / 86_400_000));
    ar.disputeChanges.push({ disputeId: dispute.id, partnerId, changedOn: firstOn, status: r.pick(reopened ? closed : open) });
    ar.disputeChanges.push({ disputeId: dispute.id, partnerId, changedOn: addDays(asOf, 1), status: r.pick(reopened ? open : closed) });
    dispute.status = ar.disputeChanges[ar.disputeChanges.length - 1]!.status;
    dispute.statusChangedAt = `${addDays(asOf, 1)}T09:00:00Z`;
  } else if (r.chance(0.7)) {
    let on = createdDate;
    // Statuses in any order: closed and reopened ones too.
    const flip = r.int(0, 1);
    for (let n = r.chance(0.7) ? r.int(2, 3) : 1; n > 0 && on <= HISTORY_TODAY; n--) {
      const status = r.pick((n + flip) % 2 ? ['OPEN', 'IN_PROCESS'] : ['RESOLVED', 'REJECTED', 'CLOSED']);
      ar.disputeChanges.push({ disputeId: dispute.id, partnerId, changedOn: on, status });
      dispute.status = status;
      dispute.statusChangedAt = `${on}T${String(r.int(0, 23)).padStart(2, '0')}:30:00Z`;
      on = addDays(on, r.int(1, 50));
    }
  } else if (r.chance(0.6)) dispute.statusChangedAt = `${dateFrom(r, createdDate)}T${String(r.int(0, 23)).padStart(2, '0')}:15:00Z`;
  ar.disputes.push(dispute);
}

function addPlan(ar: Ar, r: Rng, partnerId: string, currency: string, items: ArItem[], id: () => string): void {
  const createdDate = dateFrom(r, START, 150);
  const cancelled = r.chance(0.25);
  const planId = id();
  const installments = Array.from({ length: r.int(1, 3) }, (_, k) => ({
    id: id(),
    seq: k + 1,
    dueDate: addDays(createdDate, 20 + 30 * k),
    amount: money(r, 1000, 30000),
  }));
  const itemIds = items.filter((i) => i.currency === currency && i.documentDate <= createdDate && r.chance(0.6)).map((i) => i.id);
  ar.plans.push({
    id: planId,
    partnerId,
    currency,
    createdDate,
    toleranceDays: r.int(0, 5),
    cancelled,
    cancelledDate: cancelled && r.chance(0.7) ? dateFrom(r, createdDate) : null,
    installments,
    itemIds,
  });
  for (let n = r.int(0, 2); n > 0; n--)
    ar.payments.push({
      id: id(),
      partnerId,
      itemId: null,
      paymentDate: dateFrom(r, createdDate),
      amount: money(r, 500, 30000),
      currency,
      paymentPlanId: planId,
    });
}

/**
 * The same history with events dated after D added, as the mirror would record them: payments on
 * open items (today's open amount lowered), dispute closures and status changes (with their
 * history row where the dispute has a history), dunning notices (on items with a notice history
 * or at level 0), promises and plans cancelled, resubmissions done, contacts, payments on
 * account, new items, promises, disputes and plans, a new rate.
 */
export function withEventsAfter(h: History, seed: number): Ar {
  const r = rng(seed);
  const ar = structuredClone(h.ar);
  const d = h.asOf;
  if (d >= HISTORY_TODAY) return ar;
  const after = () => addDays(d, r.int(1, Math.round((Date.parse(HISTORY_TODAY) - Date.parse(d)) / 86_400_000)));
  let next = 900_000;
  const id = () => String(++next);
  for (const item of ar.items) {
    const open = dec(item.openAmount);
    if (open.u > 0n && r.chance(0.5)) {
      const pay = r.chance(0.5) ? open : { u: open.u / 2n, s: open.s };
      ar.payments.push({
        id: id(),
        partnerId: item.partnerId,
        itemId: item.id,
        paymentDate: after(),
        amount: normalise(pay),
        currency: item.currency,
        paymentPlanId: null,
      });
      item.openAmount = normalise(sub(open, pay));
    }
    const notices = ar.dunningChanges.filter((c) => c.itemId === item.id);
    if ((notices.length || item.dunningLevel === 0) && r.chance(0.5)) {
      const last = notices.reduce((m, c) => (c.dunnedOn > m ? c.dunnedOn : m), d);
      if (last < HISTORY_TODAY) {
        const level = Math.max(item.dunningLevel, ...notices.map((c) => c.level)) + 1;
        ar.dunningChanges.push({ itemId: item.id, partnerId: item.partnerId, dunnedOn: addDays(last, 1), level });
        item.dunningLevel = level;
      }
    }
  }
  for (const x of ar.disputes) {
    if (x.createdDate > d || !r.chance(0.6)) continue;
    const rows = ar.disputeChanges.filter((c) => c.disputeId === x.id);
    const status = r.pick(STATUSES);
    if (rows.length) {
      const last = rows.reduce((m, c) => (c.changedOn > m ? c.changedOn : m), d);
      if (last >= HISTORY_TODAY) continue;
      ar.disputeChanges.push({ disputeId: x.id, partnerId: x.partnerId, changedOn: addDays(last, 1), status });
      x.status = status;
      x.statusChangedAt = `${addDays(last, 1)}T08:00:00Z`;
    } else if (x.status === 'OPEN' || x.status === 'IN_PROCESS') {
      // Closed after D (a dispute without history keeps being open at D by its change date).
      x.status = r.pick(['RESOLVED', 'REJECTED', 'CLOSED']);
      x.statusChangedAt = `${after()}T23:59:00Z`;
    }
  }
  for (const q of ar.promises) if (q.createdDate <= d && !q.cancelled && r.chance(0.5)) Object.assign(q, { cancelled: true, cancelledDate: after() });
  for (const pl of ar.plans) if (pl.createdDate <= d && !pl.cancelled && r.chance(0.5)) Object.assign(pl, { cancelled: true, cancelledDate: after() });
  for (const x of ar.resubmissions) if (!x.done && r.chance(0.6)) Object.assign(x, { done: true, doneOn: after() });
  // Holds: recalls (or cases closed) after D of holds in force at D, and placements after D of items never held.
  const holds = (ar.holds ??= []);
  for (const h of holds) if (h.endedOn === null && h.startedOn <= d && r.chance(0.5)) h.endedOn = after();
  for (const item of ar.items)
    if (!holds.some((h) => h.itemId === item.id) && r.chance(0.3)) holds.push(hold(item, r.pick(['PLACEMENT', 'LEGAL'] as const), id(), after(), null));
  for (const p of ar.partners) {
    ar.contacts.push({ id: id(), partnerId: p.id, contactDate: after(), reached: true });
    ar.payments.push({ id: id(), partnerId: p.id, itemId: null, paymentDate: after(), amount: '12.34', currency: p.currency, paymentPlanId: null });
    const documentDate = after();
    const item: ArItem = {
      id: id(),
      partnerId: p.id,
      companyCode: '1000',
      documentDate,
      dueDate: addDays(documentDate, -30),
      amount: '777',
      openAmount: '777',
      currency: 'GBP',
      dunningLevel: 2,
      dunningBlock: false,
    };
    ar.items.push(item);
    ar.promises.push({
      id: id(),
      partnerId: p.id,
      itemId: item.id,
      createdDate: documentDate,
      promisedDate: documentDate,
      amount: '50',
      currency: 'GBP',
      cancelled: false,
      cancelledDate: null,
    });
    ar.disputes.push({
      id: id(),
      partnerId: p.id,
      itemId: item.id,
      createdDate: documentDate,
      disputedAmount: '70',
      currency: 'GBP',
      status: 'OPEN',
      statusChangedAt: null,
    });
    const planId = id();
    ar.plans.push({
      id: planId,
      partnerId: p.id,
      currency: p.currency,
      createdDate: documentDate,
      toleranceDays: 0,
      cancelled: false,
      cancelledDate: null,
      installments: [{ id: id(), seq: 1, dueDate: documentDate, amount: '10' }],
      itemIds: [],
    });
  }
  // Rates after D (GBP only after D: nothing at D may need it).
  const rates = [
    { from: 'USD', to: 'EUR', rateDate: after(), rate: '0.5' },
    { from: 'EUR', to: 'USD', rateDate: after(), rate: '2' },
    { from: 'GBP', to: 'EUR', rateDate: HISTORY_TODAY, rate: '1.2' },
    { from: 'GBP', to: 'USD', rateDate: HISTORY_TODAY, rate: '1.3' },
  ];
  for (const x of rates) if (!ar.fxRates.some((y) => y.from === x.from && y.to === x.to && y.rateDate === x.rateDate)) ar.fxRates.push(x);
  return ar;
}

/** Sum of decimal strings, normalised (helper for assertions). */
export const total = (xs: string[]): string => normalise(sumDec(xs.map((x) => dec(x))));
