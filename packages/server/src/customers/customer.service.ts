/**
 * The customer 360: one partner at key date D in three statements whatever the partner's history
 * and whichever sections are asked for: the token's, the head (the partner, its horizon, its live
 * item and run, their specialists: what access and the sections start from, primed into the
 * request's loaders), and one for every section asked for, each a column of the request's
 * combined statement (loaders.rows), the facts of credit data, key figures and the explanation
 * read together (facts/fact-loader). What is recorded about the partner (contacts, promises,
 * disputes, resubmissions, payments) is written by those features.
 */
import { fxRateSql } from '../fx/money';
import { agingBuckets, factKey } from '@recoup/rules';
import { noteFactState, partnerFacts } from '../facts';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { isEntityId, keyDate } from '../graphql/scalars';
import { partnerInReach } from '../graphql/access';
import {
  ITEM_SELECT,
  PARTNER_COLUMNS,
  RUN_COLUMNS,
  SPECIALIST_COLUMNS,
  type ItemRow,
  type PartnerRow,
  type RunRow,
  type SpecialistRow,
} from '../graphql/loaders';
import { decodeCursor, encodeCursor, pageOf, pageSize } from '../graphql/paging';
import { itemView, partnerView, type Partner, type WorklistItem } from '../worklists';
import { promiseStatusSql } from '../promises';
import type { ResubmissionSummary } from '../resubmissions';
import {
  Customer,
  type AgingBucket,
  type Contact,
  type CreditData,
  type CustomerKeyFigures,
  type Dispute,
  type DunningEntry,
  type HeldItems,
  type ItemHoldKind,
  type OpenItem,
  type OpenItemConnection,
  type Payment,
  type PromiseToPay,
} from './customer.types';

/** The 360's root: the partner (by id or external id), visible to the caller, at key date D (default today). */
export async function customer(ctx: RequestContext, args: { partnerId?: string | null; externalId?: string | null; asOf?: string | null }): Promise<Customer> {
  const asOf = keyDate(args.asOf);
  let partnerId = args.partnerId ?? null;
  if (partnerId === null) {
    if (!args.externalId) throw new BadUserInputError('Give a partnerId or an externalId', 'partnerId');
    partnerId = await readHead(ctx, 'external_id', args.externalId);
    if (partnerId === null) throw new NotFoundError('Partner', args.externalId);
  } else if (isEntityId(partnerId)) await readHead(ctx, 'id', partnerId);
  // On the rows the head primed (a malformed or unknown id is NOT_FOUND here, as before).
  await partnerInReach(ctx, partnerId);
  // An instance, so that type-graphql hands every section this object (with its facts) rather than a copy each.
  return Object.assign(new Customer(), { partnerId, asOf });
}

// ---- the head -----------------------------------------------------------------------------

/** Each row type's columns in the head, their names prefixed so that the rows share one SELECT. */
const HEAD_PARTS = {
  partner: prefixed(PARTNER_COLUMNS, 'p__'),
  item: prefixed(ITEM_SELECT, 'w__'),
  run: prefixed(RUN_COLUMNS, 'r__'),
  partnerSpecialist: prefixed(SPECIALIST_COLUMNS.replaceAll('s.', 'ps.'), 'ps__'),
  itemSpecialist: prefixed(SPECIALIST_COLUMNS.replaceAll('s.', 'ws.'), 'ws__'),
};

/**
 * The partner by id or external id with what every 360 starts from, each row as the request's
 * loaders would read it (same columns, same types): its live worklist item (through its
 * segment's live run, as loaders.liveItem), that run, the specialists of both, and its horizon.
 */
function headSql(by: 'id' | 'external_id'): string {
  return `SELECT ${[HEAD_PARTS.partner, HEAD_PARTS.item, HEAD_PARTS.run, HEAD_PARTS.partnerSpecialist, HEAD_PARTS.itemSpecialist].map((c) => c.sql).join(',\n  ')},
    pf.horizon AS horizon, (SELECT a.revision::text FROM ar_revision a WHERE a.id = 1) AS ar_revision
   FROM partners p
   LEFT JOIN partner_facts pf ON pf.partner_id = p.id
   LEFT JOIN collection_segments ls ON ls.key = p.segment
   LEFT JOIN worklist_runs r ON r.id = ls.live_run_id
   LEFT JOIN worklist_items w ON w.run_id = ls.live_run_id AND w.partner_id = p.id
   LEFT JOIN specialists ps ON ps.id = p.specialist_id
   LEFT JOIN specialists ws ON ws.id = w.specialist_id
  WHERE ${by === 'id' ? 'p.id = $1::bigint' : 'p.external_id = $1'}`;
}

const HEAD_BY = { id: headSql('id'), external_id: headSql('external_id') };

/** Reads the head into the request's loaders (partner, live item, run, specialists) and the partner's horizon; the partner id, null when none. */
async function readHead(ctx: RequestContext, by: 'id' | 'external_id', key: string): Promise<string | null> {
  const [row] = await ctx.db.read<Record<string, unknown>>(HEAD_BY[by], [key]);
  if (!row) {
    if (by === 'id') ctx.loaders.partner.prime(key, null);
    return null;
  }
  const partner = HEAD_PARTS.partner.row<PartnerRow>(row);
  const item = row.w__run_id === null ? null : HEAD_PARTS.item.row<ItemRow>(row);
  const l = ctx.loaders;
  l.partner.prime(partner.id, partner);
  l.liveItem.prime(partner.id, item);
  if (row.r__id !== null) l.run.prime(row.r__id as string, HEAD_PARTS.run.row<RunRow>(row));
  for (const part of [HEAD_PARTS.partnerSpecialist, HEAD_PARTS.itemSpecialist]) {
    const specialist = part.row<SpecialistRow>(row);
    if (specialist.id !== null) l.specialist.prime(specialist.id, specialist);
  }
  noteFactState(ctx, { partnerId: partner.id, horizon: (row.horizon as string | null) ?? null, arRevision: row.ar_revision as string | null });
  return partner.id;
}

/**
 * A select list (\`expr AS name\` or \`alias.column\`, comma separated) with every name prefixed,
 * and the row of its unprefixed names read back from a result row.
 */
function prefixed(columns: string, prefix: string): { sql: string; row: <T>(from: Record<string, unknown>) => T } {
  const parts = topLevelItems(columns).map((item) => {
    const named = /^(.*\S)\s+AS\s+"?(\w+)"?$/is.exec(item);
    const name = named ? named[2]! : item.slice(item.lastIndexOf('.') + 1);
    return { expr: named ? named[1]! : item, name };
  });
  return {
    sql: parts.map((p) => `${p.expr} AS ${prefix}${p.name}`).join(', '),
    row: <T>(from: Record<string, unknown>) => Object.fromEntries(parts.map((p) => [p.name, from[`${prefix}${p.name}`]])) as T,
  };
}

/** The comma-separated items of a select list, commas inside parentheses kept. */
function topLevelItems(list: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      items.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(list.slice(start).trim());
  return items;
}

interface OpenItemRow {
  id: string;
  external_id: string;
  company_code: string;
  document_date: string;
  due_date: string;
  days_overdue: number;
  amount: string;
  open_amount: string;
  currency: string;
  dunning_level: number;
  dunning_block: boolean;
  profit_center: string | null;
  disputed: boolean;
  held_by: ItemHoldKind | null;
}

const OPEN_DISPUTE = `d.status IN ('OPEN', 'IN_PROCESS') AND d.created_date <= $2::date`;

/** The kind of the hold on item i in force at the end of D ($2), null when none (one at a time; the latest started if ever two). */
const HELD_BY = `(SELECT h.kind FROM item_holds h WHERE h.item_id = i.id AND h.started_on <= $2::date AND (h.ended_on IS NULL OR h.ended_on > $2::date)
    ORDER BY h.started_on DESC, h.id DESC LIMIT 1)`;

/** Open items by due date (oldest first), keyset-paged on (due date, id). */
export async function openItems(ctx: RequestContext, c: Customer, first?: number | null, after?: string | null): Promise<OpenItemConnection> {
  const n = pageSize(first);
  const values: unknown[] = [c.partnerId, c.asOf];
  let keyset = '';
  if (after) {
    const [due, id] = decodeCursor(after, 'OPEN_ITEMS', 2);
    // Dates ride in the cursor as yyyymmdd numbers (the cursor holds numbers only).
    const d = String(due);
    values.push(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`, String(id));
    keyset = ` AND (i.due_date, i.id) > ($3::date, $4::bigint)`;
  }
  const rows =
    n === 0
      ? []
      : ((await ctx.loaders.rows.load({
          text: `SELECT i.id::text AS id, i.external_id, i.company_code, i.document_date, i.due_date, ($2::date - i.due_date) AS days_overdue,
        i.amount::text AS amount, i.open_amount::text AS open_amount, i.currency::text AS currency, i.dunning_level, i.dunning_block,
        i.profit_center, EXISTS (SELECT 1 FROM disputes d WHERE d.item_id = i.id AND ${OPEN_DISPUTE}) AS disputed, ${HELD_BY} AS held_by
       FROM open_items i WHERE i.partner_id = $1 AND i.open_amount > 0${keyset}
      ORDER BY i.due_date, i.id LIMIT ${n + 1}`,
          values,
        })) as unknown as OpenItemRow[]);
  return pageOf(rows, n, (r) => encodeCursor('OPEN_ITEMS', [Number(r.due_date.replaceAll('-', '')), r.id]), openItemView);
}

function openItemView(r: OpenItemRow): OpenItem {
  return {
    id: r.id,
    externalId: r.external_id,
    companyCode: r.company_code,
    documentDate: r.document_date,
    dueDate: r.due_date,
    daysOverdue: Number(r.days_overdue),
    amount: r.amount,
    openAmount: r.open_amount,
    currency: r.currency,
    dunningLevel: Number(r.dunning_level),
    dunningBlock: r.dunning_block,
    profitCenter: r.profit_center,
    disputed: r.disputed,
    heldBy: r.held_by,
  };
}

/** The default limits when the partner's segment has no live run (DESIGN.md's example strategy). */
const DEFAULT_AGING_LIMITS = [0, 30, 60, 90];

/**
 * Open items by days overdue, with the limits of the live run's strategy (or the defaults), per
 * currency; the items held at D apart (heldItems, heldAmounts), as the open amount leaves them out.
 */
export async function aging(ctx: RequestContext, c: Customer): Promise<AgingBucket[]> {
  const rows = (await ctx.loaders.rows.load({
    text: `WITH lim AS (SELECT coalesce((SELECT r.aging_limits FROM partners p JOIN collection_segments s ON s.key = p.segment
          JOIN worklist_runs r ON r.id = s.live_run_id WHERE p.id = $1), $3::integer[]) AS l)
     SELECT lim.l AS limits, x.bucket, x.currency, x.held, x.items, x.amount FROM lim LEFT JOIN LATERAL (
       SELECT (SELECT count(*) FROM unnest(lim.l) b WHERE $2::date - i.due_date > b)::integer AS bucket, i.currency::text AS currency,
           ${HELD_BY} IS NOT NULL AS held, count(*)::integer AS items, sum(i.open_amount)::text AS amount
         FROM open_items i WHERE i.partner_id = $1 AND i.open_amount > 0 GROUP BY 1, 2, 3) x ON true
     ORDER BY x.bucket, x.currency`,
    values: [c.partnerId, c.asOf, DEFAULT_AGING_LIMITS],
  })) as unknown as Array<{
    limits: number[];
    bucket: number | null;
    currency: string | null;
    held: boolean | null;
    items: number | null;
    amount: string | null;
  }>;
  const buckets: AgingBucket[] = agingBuckets(rows[0]?.limits ?? DEFAULT_AGING_LIMITS).map((b) => ({
    label: b.label,
    fromDays: b.from,
    toDays: b.to,
    items: 0,
    amounts: [],
    heldItems: 0,
    heldAmounts: [],
  }));
  for (const r of rows) {
    if (r.bucket === null) continue;
    const bucket = buckets[r.bucket]!;
    const amount = { currency: r.currency!, amount: r.amount! };
    if (r.held) {
      bucket.heldItems += r.items!;
      bucket.heldAmounts.push(amount);
    } else {
      bucket.items += r.items!;
      bucket.amounts.push(amount);
    }
  }
  return buckets;
}

const limitOf = (limit?: number | null) => pageSize(limit, 100, 1000, 'limit');

export async function payments(ctx: RequestContext, c: Customer, limit?: number | null): Promise<Payment[]> {
  const rows: any[] = await ctx.loaders.rows.load({
    text: `SELECT id::text AS id, external_id, item_id::text AS item_id, payment_date, amount::text AS amount, currency::text AS currency
       FROM payments WHERE partner_id = $1 AND payment_date <= $2::date ORDER BY payment_date DESC, id DESC LIMIT $3`,
    values: [c.partnerId, c.asOf, limitOf(limit)],
  });
  return rows.map((r: any) => ({
    id: r.id,
    externalId: r.external_id,
    itemId: r.item_id,
    paymentDate: r.payment_date,
    amount: r.amount,
    currency: r.currency,
  }));
}

/** The partner's ($1) promises made by D ($2) with their status at D: the one status rule (promiseStatusSql). */
const PROMISE_STATUS_SQL = promiseStatusSql('$2::date', 'q.partner_id = $1', ({ toleranceDays, paid, status }) => [
  'q.id',
  'q.external_id',
  'q.item_id',
  'q.created_date',
  'q.promised_date',
  'q.amount',
  'q.currency',
  'q.cancelled',
  `${toleranceDays}::integer AS tolerance_days`,
  `${paid} AS paid`,
  `${status} AS status`,
]);

export async function promises(ctx: RequestContext, c: Customer, limit?: number | null): Promise<PromiseToPay[]> {
  const rows: any[] = await ctx.loaders.rows.load({
    text: `SELECT s.id::text AS id, s.external_id, s.item_id::text AS item_id, s.created_date, s.promised_date, s.amount::text AS amount,
        s.currency::text AS currency, s.cancelled, s.tolerance_days, round(s.paid, 4)::text AS paid, s.status
       FROM (${PROMISE_STATUS_SQL}) s ORDER BY s.promised_date DESC, s.id DESC LIMIT $3`,
    values: [c.partnerId, c.asOf, limitOf(limit)],
  });
  return rows.map(promiseView);
}

function promiseView(r: any): PromiseToPay {
  return {
    id: r.id,
    externalId: r.external_id,
    itemId: r.item_id,
    createdDate: r.created_date,
    promisedDate: r.promised_date,
    amount: r.amount,
    currency: r.currency,
    cancelled: r.cancelled,
    toleranceDays: Number(r.tolerance_days),
    paid: r.paid,
    status: r.status,
  };
}

export async function disputes(ctx: RequestContext, c: Customer, limit?: number | null): Promise<Dispute[]> {
  const rows: any[] = await ctx.loaders.rows.load({
    text: `SELECT id::text AS id, external_id, item_id::text AS item_id, created_date, disputed_amount::text AS disputed_amount, currency::text AS currency, status, reason
       FROM disputes WHERE partner_id = $1 AND created_date <= $2::date ORDER BY created_date DESC, id DESC LIMIT $3`,
    values: [c.partnerId, c.asOf, limitOf(limit)],
  });
  return rows.map(disputeView);
}

function disputeView(r: any): Dispute {
  return {
    id: r.id,
    externalId: r.external_id,
    itemId: r.item_id,
    createdDate: r.created_date,
    disputedAmount: r.disputed_amount,
    currency: r.currency,
    status: r.status,
    reason: r.reason,
  };
}

const CONTACT_COLUMNS = `id::text AS id, external_id, contact_date, contact_time::text AS contact_time, channel, direction, reached, result`;

export async function contacts(ctx: RequestContext, c: Customer, limit?: number | null): Promise<Contact[]> {
  const rows: any[] = await ctx.loaders.rows.load({
    text: `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE partner_id = $1 AND contact_date <= $2::date
      ORDER BY contact_date DESC, contact_time DESC NULLS LAST, id DESC LIMIT $3`,
    values: [c.partnerId, c.asOf, limitOf(limit)],
  });
  return rows.map(contactView);
}

function contactView(r: any): Contact {
  return {
    id: r.id,
    externalId: r.external_id,
    contactDate: r.contact_date,
    contactTime: r.contact_time,
    channel: r.channel,
    direction: r.direction,
    reached: r.reached,
    result: r.result,
  };
}

const RESUBMISSION_COLUMNS = `id::text AS id, resubmission_date, reason, done, (NOT done AND resubmission_date <= $2::date) AS due`;

/** All of them, scheduled ahead or not, latest first. */
export async function resubmissions(ctx: RequestContext, c: Customer, limit?: number | null): Promise<ResubmissionSummary[]> {
  const rows: any[] = await ctx.loaders.rows.load({
    text: `SELECT ${RESUBMISSION_COLUMNS} FROM resubmissions WHERE partner_id = $1 ORDER BY resubmission_date DESC, id DESC LIMIT $3`,
    values: [c.partnerId, c.asOf, limitOf(limit)],
  });
  return rows.map(resubmissionView);
}

function resubmissionView(r: any): ResubmissionSummary {
  return { id: r.id, resubmissionDate: r.resubmission_date, reason: r.reason, done: r.done, due: r.due };
}

/** Open items that were dunned or are blocked, highest level first. */
export async function dunningHistory(ctx: RequestContext, c: Customer): Promise<DunningEntry[]> {
  const rows: any[] = await ctx.loaders.rows.load({
    text: `SELECT i.id::text AS item_id, i.external_id, i.due_date, i.dunning_level, i.dunning_block, i.open_amount::text AS open_amount, i.currency::text AS currency
       FROM open_items i WHERE i.partner_id = $1 AND i.open_amount > 0 AND (i.dunning_level > 0 OR i.dunning_block)
      ORDER BY i.dunning_level DESC, i.due_date, i.id`,
    values: [c.partnerId],
  });
  return rows.map((r: any) => ({
    itemId: r.item_id,
    externalId: r.external_id,
    dueDate: r.due_date,
    dunningLevel: Number(r.dunning_level),
    dunningBlock: r.dunning_block,
    openAmount: r.open_amount,
    currency: r.currency,
  }));
}

/** The partner master as the worklists show it. */
export async function partner(ctx: RequestContext, c: Customer): Promise<Partner> {
  return partnerView((await ctx.loaders.partner.load(c.partnerId))!);
}

export async function liveWorklistItem(ctx: RequestContext, c: Customer): Promise<WorklistItem | null> {
  const row = await ctx.loaders.liveItem.load(c.partnerId);
  return row ? itemView(row) : null;
}

const FACTS = {
  open: factKey('openAmount'),
  overdue: factKey('overdueAmount'),
  limit: factKey('creditLimit'),
  utilization: factKey('creditUtilization'),
  kept: factKey('keptPromiseRatio'),
  broken: factKey('brokenPromises'),
  maxDays: factKey('maxDaysOverdue'),
  lastPayment: factKey('daysSinceLastPayment'),
  lastContact: factKey('daysSinceLastContact'),
};
const FACT_KEYS = Object.values(FACTS);

/**
 * The partner's facts in its own currency at D, from the same SQL the worklist scores with (so
 * the 360 and the engine agree), read once per request for credit data and key figures: the
 * maintained facts, or the mirror's when the partner has events after D.
 */
function factsOf(ctx: RequestContext, c: Customer): Promise<Record<string, unknown>> {
  c.facts ??= (async () => {
    const partner = (await ctx.loaders.partner.load(c.partnerId))!;
    // With the other facts and sections asked for in this tick (numbers come back as JSON numbers).
    return partnerFacts(ctx, { partnerId: c.partnerId, currency: partner.currency, asOf: c.asOf, keys: FACT_KEYS });
  })();
  return c.facts;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const money = (v: unknown) => (v === null || v === undefined ? '0.0000' : round4(String(v)));

/** Rounds a numeric string to 4 decimals without going through a float (half up). */
function round4(text: string): string {
  const [int, frac = ''] = text.replace(/^-/, '').split('.');
  const negative = text.startsWith('-');
  let cents = BigInt(int! + (frac + '00000').slice(0, 4));
  if (Number((frac + '00000')[4]) >= 5) cents += 1n;
  const s = cents.toString().padStart(5, '0');
  return `${negative && cents > 0n ? '-' : ''}${s.slice(0, -4)}.${s.slice(-4)}`;
}

export async function credit(ctx: RequestContext, c: Customer): Promise<CreditData> {
  const partner = (await ctx.loaders.partner.load(c.partnerId))!;
  const f = await factsOf(ctx, c);
  const utilization = num(f[FACTS.utilization.column]);
  return {
    currency: partner.currency,
    creditLimit: partner.credit_limit,
    riskClass: partner.risk_class,
    openAmount: money(f[FACTS.open.column]),
    overdueAmount: money(f[FACTS.overdue.column]),
    utilizationPercent: utilization === null ? null : Math.round(utilization * 100) / 100,
    customer: c,
  };
}

/**
 * The items held at D (item_holds in force then) and open at D (DESIGN.md "Point in time": today's
 * open amount plus the item's payments in its currency dated after D, at most its amount), their
 * amount converted at D's rates; null when one has no rate.
 */
export async function heldItems(ctx: RequestContext, c: Customer): Promise<HeldItems> {
  const [row] = (await ctx.loaders.rows.load({
    text: `SELECT count(*)::int AS count, count(*) FILTER (WHERE x.kind = 'PLACEMENT')::int AS placed, count(*) FILTER (WHERE x.kind = 'LEGAL')::int AS legal,
        CASE WHEN bool_or(x.rate IS NULL) THEN NULL ELSE coalesce(sum(x.open_at * x.rate), 0)::text END AS amount
       FROM (SELECT h.kind, least(i.amount, i.open_amount + coalesce(y.paid, 0)) AS open_at, ${fxRateSql('i.currency', 'p.currency', '$2::date')} AS rate
               FROM partners p
               JOIN item_holds h ON h.partner_id = p.id AND h.started_on <= $2::date AND (h.ended_on IS NULL OR h.ended_on > $2::date)
               JOIN open_items i ON i.id = h.item_id AND i.document_date <= $2::date
               LEFT JOIN LATERAL (SELECT sum(y.amount) AS paid FROM payments y
                                   WHERE y.item_id = i.id AND y.currency = i.currency AND y.payment_date > $2::date) y ON true
              WHERE p.id = $1) x
      WHERE x.open_at <> 0`,
    values: [c.partnerId, c.asOf],
  })) as unknown as Array<{ count: number; placed: number; legal: number; amount: string | null }>;
  return { count: row!.count, placed: row!.placed, legal: row!.legal, amount: row!.amount === null ? null : round4(row!.amount) };
}

/**
 * Key figures at D. DSO, simple method over 90 days, in the partner currency (latest rates on or
 * before D): receivables = open amount of the items documented on or before D; sales = amount of
 * the items documented in (D-90, D]; DSO = receivables / sales x 90. (Open amounts are the
 * mirror's current ones: the AR mirror keeps no history of clearing.)
 */
export async function keyFigures(ctx: RequestContext, c: Customer): Promise<CustomerKeyFigures> {
  const [f, [dso], [promised]] = await Promise.all([
    factsOf(ctx, c),
    ctx.loaders.rows.load({
      text: `SELECT coalesce(sum(i.open_amount * fx.rate) FILTER (WHERE i.document_date <= $2::date), 0)::text AS receivables,
          coalesce(sum(i.amount * fx.rate) FILTER (WHERE i.document_date > $2::date - 90 AND i.document_date <= $2::date), 0)::text AS sales
         FROM partners p JOIN open_items i ON i.partner_id = p.id
         CROSS JOIN LATERAL (SELECT ${fxRateSql('i.currency', 'p.currency', '$2::date')} AS rate) fx
        WHERE p.id = $1`,
      values: [c.partnerId, c.asOf],
    }) as unknown as Promise<Array<{ receivables: string; sales: string }>>,
    // Open promises are not in the kept ratio yet: the 360 says how many wait to be judged.
    ctx.loaders.rows.load({
      text: `SELECT count(*) FILTER (WHERE s.status = 'OPEN')::int AS open FROM (${PROMISE_STATUS_SQL}) s`,
      values: [c.partnerId, c.asOf],
    }) as unknown as Promise<Array<{ open: number }>>,
  ]);
  const sales = Number(dso!.sales);
  const kept = num(f[FACTS.kept.column]);
  return {
    daysSalesOutstanding: sales > 0 ? Math.round((Number(dso!.receivables) / sales) * 90 * 10) / 10 : null,
    receivables: round4(String(dso!.receivables)),
    sales90Days: round4(String(dso!.sales)),
    keptPromiseRatio: kept === null ? null : Math.round(kept * 10000) / 10000,
    brokenPromises: num(f[FACTS.broken.column]) ?? 0,
    openPromises: Number(promised?.open ?? 0),
    maxDaysOverdue: num(f[FACTS.maxDays.column]),
    daysSinceLastPayment: num(f[FACTS.lastPayment.column]),
    daysSinceLastContact: num(f[FACTS.lastContact.column]),
  };
}
