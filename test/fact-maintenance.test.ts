import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Before the services: it loads reflect-metadata (as the app's entry points do), which the type-graphql types the services reach need.
import { openTestDatabase } from './support/database';
import type { Database } from '../packages/server/src/db/database';
import { DomainError } from '../packages/server/src/graphql/errors';
import { ImportError } from '../packages/server/src/import/ar-import.errors';
import { importAr, type ImportSources } from '../packages/server/src/import/ar-import.service';
import { flushFacts, rebuildFacts, verifyFacts } from '../packages/server/src/facts/facts.service';
import { recordPayment } from '../packages/server/src/payments/payment.service';
import { cancelPromise, createPromises } from '../packages/server/src/promises/promise.service';
import { judgeAll } from '../packages/server/src/promises/promise-judging.service';
import { openDispute, setDisputeStatus } from '../packages/server/src/disputes/dispute.service';
import { recordContact } from '../packages/server/src/contacts/contact.service';
import { markResubmissionDone, scheduleResubmission } from '../packages/server/src/resubmissions/resubmission.service';
import { cancelPaymentPlan, createPaymentPlan } from '../packages/server/src/payment-plans/payment-plan.service';
import { runDunning, saveProcedure, saveTemplate } from '../packages/server/src/dunning/dunning.service';
import { saveCompanyCode } from '../packages/server/src/org/org-config.service';
import { placeItems, recallPlacement } from '../packages/server/src/agencies/placement.service';
import { changeLegalCase, openLegalCase } from '../packages/server/src/legal/legal.service';
import { addDays } from './support/ar-at-date';
import { randomHistory, rng, type Rng } from './support/random-history';

/**
 * The maintained facts (partner_facts, partner_fact_currencies) stay exact: after any sequence of
 * AR imports (CSV deltas through the importer) and events through the services (placements, recalls
 * and legal cases too: dated holds started and ended), `verifyFacts`
 * (every partner recomputed from the mirror, compared both ways) finds no difference; a rolled
 * back transaction, a failed import and concurrent writers leave them exact too. FACTS_RUNS sets
 * the number of random sequences (default 25).
 */
const RUNS = Number(process.env.FACTS_RUNS ?? 25);
const TIMEOUT = 900_000;
const kind = process.env.DATABASE_URL ? 'postgres' : 'embedded';
const ACTOR = { name: 'fact-test', role: 'ADMIN' as const };

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
  await saveTemplate(db, { key: 'NOTICE', body: 'Dear {{partner.name}}, {{itemCount}} item(s) are overdue.' });
  await db.dataSource.query(`INSERT INTO agencies (key, name, commission_percent) VALUES ('FA', 'Facts Agency', 10)`);
  await saveProcedure(db, {
    key: 'FACTS',
    name: 'Facts test',
    graceDays: 0,
    currency: 'EUR',
    levels: [
      { level: 1, daysOverdue: 1, channel: 'LETTER', templateKey: 'NOTICE' },
      { level: 2, daysOverdue: 20, charge: '5', channel: 'LETTER', templateKey: 'NOTICE' },
      { level: 3, daysOverdue: 45, charge: '10', channel: 'LETTER', templateKey: 'NOTICE' },
    ],
  });
}, 120_000);

afterAll(async () => {
  await db?.close();
});

// --- reading the state -----------------------------------------------------------------------

type Row = Record<string, string>;
const rows = (sql: string, values: unknown[] = []): Promise<Row[]> => db.dataSource.query(sql, values);

/** The stored facts, as one comparable text. */
async function storedFacts(): Promise<string> {
  const [facts] = await rows(`SELECT
      coalesce((SELECT json_agg(f ORDER BY f.partner_id) FROM partner_facts f), '[]')::text AS partners,
      coalesce((SELECT json_agg(c ORDER BY c.partner_id, c.currency) FROM partner_fact_currencies c), '[]')::text AS currencies`);
  return `${facts!.partners}\n${facts!.currencies}`;
}

async function expectExact(context: string): Promise<void> {
  const result = await verifyFacts(db);
  expect(result.differences, context).toEqual([]);
  // Nothing left behind: the flush at commit consumed the transaction's marks.
  expect(await rows(`SELECT txid FROM partner_facts_dirty UNION ALL SELECT txid FROM partner_facts_pending`), context).toEqual([]);
}

// --- CSV ----------------------------------------------------------------------------------------

const HEADERS = {
  company_codes: 'company_code,name,country,currency,promise_tolerance_days,active',
  partners: 'partner_id,name,country,currency,risk_class,credit_limit,customer_type,segment',
  open_items: 'item_id,partner_id,company_code,document_date,due_date,amount,open_amount,currency,dunning_level,dunning_block,profit_center',
  payments: 'payment_id,partner_id,item_id,payment_date,amount,currency',
  promises: 'promise_id,partner_id,item_id,created_date,promised_date,amount,currency,cancelled',
  disputes: 'dispute_id,partner_id,item_id,created_date,disputed_amount,currency,status,reason',
  contacts: 'contact_id,partner_id,contact_date,channel,direction,reached,result',
  dispute_history: 'dispute_id,changed_on,status',
  dunning_history: 'item_id,dunned_on,level',
  fx_rates: 'rate_date,from_currency,to_currency,rate',
} as const;
type CsvFile = keyof typeof HEADERS;
type Files = Partial<Record<CsvFile, unknown[][]>>;

function sources(files: Files): ImportSources {
  const out: ImportSources = {};
  for (const [file, lines] of Object.entries(files) as Array<[CsvFile, unknown[][]]>) {
    if (!lines.length) continue;
    const text = [HEADERS[file], ...lines.map((l) => l.map((v) => (v === null || v === undefined ? '' : String(v))).join(','))].join('\n') + '\n';
    out[file] = () => [text];
  }
  return out;
}

/** The first import of an example: a random history of 1-4 partners (test/support/random-history.ts) as the contract's files. */
function historyFiles(seed: number): Files {
  const { ar } = randomHistory(seed);
  return {
    company_codes: Object.entries(ar.tolerance).map(([code, days]) => [code, `Company ${code}`, 'DE', 'EUR', days, true]),
    partners: ar.partners.map((p) => [`P${p.id}`, `Partner ${p.id}`, p.country, p.currency, p.riskClass, p.creditLimit, p.customerType, p.segment]),
    open_items: ar.items.map((i) => [
      `I${i.id}`,
      `P${i.partnerId}`,
      i.companyCode,
      i.documentDate,
      i.dueDate,
      i.amount,
      i.openAmount,
      i.currency,
      i.dunningLevel,
      i.dunningBlock,
      null,
    ]),
    payments: ar.payments
      .filter((y) => y.paymentPlanId === null)
      .map((y) => [`Y${y.id}`, `P${y.partnerId}`, y.itemId && `I${y.itemId}`, y.paymentDate, y.amount, y.currency]),
    promises: ar.promises.map((q) => [
      `Q${q.id}`,
      `P${q.partnerId}`,
      q.itemId && `I${q.itemId}`,
      q.createdDate,
      q.promisedDate,
      q.amount,
      q.currency,
      q.cancelled,
    ]),
    disputes: ar.disputes.map((d) => [`D${d.id}`, `P${d.partnerId}`, d.itemId && `I${d.itemId}`, d.createdDate, d.disputedAmount, d.currency, d.status, null]),
    contacts: ar.contacts.map((c) => [`C${c.id}`, `P${c.partnerId}`, c.contactDate, 'PHONE', 'OUTBOUND', c.reached, null]),
    dispute_history: ar.disputeChanges.map((c) => [`D${c.disputeId}`, c.changedOn, c.status]),
    dunning_history: ar.dunningChanges.map((c) => [`I${c.itemId}`, c.dunnedOn, c.level]),
    fx_rates: ar.fxRates.map((x) => [x.rateDate, x.from, x.to, x.rate]),
  };
}

const money = (r: Rng, min: number, max: number): string => (r.int(min * 100, max * 100) / 100).toFixed(2);
const dateIn = (r: Rng, from = '2026-01-01', days = 240): string => addDays(from, r.int(0, days));

interface ItemRow extends Row {
  id: string;
  external_id: string;
  partner: string;
  partner_id: string;
  company_code: string;
  document_date: string;
  due_date: string;
  amount: string;
  open_amount: string;
  currency: string;
  dunning_level: string;
  dunning_block: string;
}

const items = (): Promise<ItemRow[]> =>
  rows(`SELECT i.id::text, i.external_id, p.external_id AS partner, i.partner_id::text, i.company_code, i.document_date::text, i.due_date::text,
      i.amount::text, i.open_amount::text, i.currency::text, i.dunning_level::text, i.dunning_block::text
    FROM open_items i JOIN partners p ON p.id = i.partner_id ORDER BY i.id`) as Promise<ItemRow[]>;

const itemLine = (i: ItemRow, change: Partial<ItemRow> = {}): unknown[] => {
  const x = { ...i, ...change };
  return [x.external_id, x.partner, x.company_code, x.document_date, x.due_date, x.amount, x.open_amount, x.currency, x.dunning_level, x.dunning_block, null];
};

/**
 * A delta as a daily import brings it: for one to three partners (sometimes a new one) new items,
 * changed open amounts, levels and blocks, payments, promises (new and cancelled), disputes (new
 * and with a new status), status history, dunning notices, contacts; sometimes a company code's
 * tolerance. `bad`: the last payments.csv row names an item of another partner (the import fails).
 */
async function deltaFiles(r: Rng, tag: string, bad = false): Promise<Files> {
  const all = await items();
  const partners = await rows(`SELECT external_id, currency::text FROM partners ORDER BY id`);
  const files: Required<Files> = Object.fromEntries(Object.keys(HEADERS).map((f) => [f, []])) as unknown as Required<Files>;
  const chosen = new Set<string>();
  for (let n = r.int(1, 3); n > 0 && partners.length; n--) chosen.add(r.pick(partners).external_id!);
  if (r.chance(0.3) || !partners.length) {
    const id = `P${tag}`;
    files.partners.push([id, `New ${tag}`, 'DE', r.pick(['EUR', 'USD']), null, null, 'B2C', 'S1']);
    chosen.add(id);
  }
  let k = 0;
  const id = (prefix: string) => `${prefix}${tag}-${++k}`;
  for (const partner of chosen) {
    const own = all.filter((i) => i.partner === partner);
    const currency = partners.find((p) => p.external_id === partner)?.currency ?? 'EUR';
    const newItems: Array<{ id: string; currency: string }> = [];
    // Some partners only see their items change (one column each): nothing else marks them.
    const changesOnly = own.length > 0 && r.chance(0.4);
    for (const item of own) {
      if (!(changesOnly || r.chance(0.3))) continue;
      const open = Number(item.open_amount);
      const change: Partial<ItemRow> = r.pick([
        { open_amount: r.chance(0.3) ? '0' : ((open * r.int(0, 99)) / 100).toFixed(2) },
        { dunning_level: String((Number(item.dunning_level) + r.int(1, 3)) % 5) },
        { dunning_block: String(item.dunning_block !== 'true') },
        { due_date: addDays(item.due_date, r.pick([-20, -3, 4, 30])) },
        { company_code: item.company_code === '1000' ? '2000' : '1000' },
        { currency: item.currency === 'EUR' ? 'USD' : 'EUR' },
        { document_date: addDays(item.document_date, r.int(1, 90)) },
      ]);
      files.open_items.push(itemLine(item, change));
    }
    if (changesOnly) continue;
    for (let n = r.int(0, 2); n > 0; n--) {
      const documentDate = dateIn(r);
      const amount = money(r, 5, 900);
      const itemCurrency = r.chance(0.8) ? currency : r.pick(['EUR', 'USD']);
      const itemId = id('I');
      files.open_items.push([
        itemId,
        partner,
        r.pick(['1000', '2000']),
        documentDate,
        addDays(documentDate, r.int(-5, 40)),
        amount,
        amount,
        itemCurrency,
        0,
        false,
        null,
      ]);
      newItems.push({ id: itemId, currency: itemCurrency });
    }
    const payable = [...own.map((i) => ({ id: i.external_id, currency: i.currency })), ...newItems];
    for (let n = r.int(0, 2); n > 0; n--) {
      const item = payable.length && r.chance(0.8) ? r.pick(payable) : null;
      files.payments.push([id('Y'), partner, item?.id ?? null, dateIn(r), money(r, 1, 400), item?.currency ?? currency]);
    }
    if (payable.length && r.chance(0.5)) {
      const item = r.pick(payable);
      const created = dateIn(r);
      files.promises.push([
        id('Q'),
        partner,
        item.id,
        created,
        addDays(created, r.int(0, 20)),
        money(r, 10, 500),
        r.chance(0.85) ? item.currency : 'EUR',
        false,
      ]);
    }
    if (r.chance(0.4)) {
      const item = payable.length && r.chance(0.8) ? r.pick(payable) : null;
      files.disputes.push([
        id('D'),
        partner,
        item?.id ?? null,
        dateIn(r),
        money(r, 10, 300),
        item?.currency ?? currency,
        r.pick(['OPEN', 'IN_PROCESS', 'RESOLVED']),
        null,
      ]);
    }
    if (r.chance(0.5)) files.contacts.push([id('C'), partner, dateIn(r), 'PHONE', 'OUTBOUND', r.chance(0.5), null]);
  }
  const mine = [...chosen];
  const promises = await rows(
    `SELECT q.external_id, p.external_id AS partner, i.external_id AS item, q.created_date::text, q.promised_date::text, q.amount::text, q.currency::text
       FROM promises q JOIN partners p ON p.id = q.partner_id LEFT JOIN open_items i ON i.id = q.item_id
      WHERE NOT q.cancelled AND p.external_id = ANY($1)`,
    [mine],
  );
  for (const q of promises)
    if (r.chance(0.3)) files.promises.push([q.external_id, q.partner, q.item, q.created_date, q.promised_date, q.amount, q.currency, true]);
  const disputes = await rows(
    `SELECT d.external_id, p.external_id AS partner, i.external_id AS item, d.created_date::text, d.disputed_amount::text, d.currency::text
       FROM disputes d JOIN partners p ON p.id = d.partner_id LEFT JOIN open_items i ON i.id = d.item_id WHERE p.external_id = ANY($1)`,
    [mine],
  );
  for (const d of disputes) {
    if (r.chance(0.3))
      files.disputes.push([d.external_id, d.partner, d.item, d.created_date, d.disputed_amount, d.currency, r.pick(['OPEN', 'RESOLVED', 'CLOSED']), null]);
    if (r.chance(0.3)) files.dispute_history.push([d.external_id, dateIn(r, '2026-08-01', 60), r.pick(['OPEN', 'IN_PROCESS', 'REJECTED'])]);
  }
  for (const item of all.filter((i) => chosen.has(i.partner)))
    if (r.chance(0.25)) files.dunning_history.push([item.external_id, dateIn(r, '2026-08-01', 60), r.int(1, 4)]);
  if (r.chance(0.2)) files.company_codes.push(['2000', 'Company 2000', 'DE', 'EUR', r.int(0, 9), true]);
  if (bad) {
    const foreign = all.find((i) => !chosen.has(i.partner));
    files.payments.push([id('Y'), mine[0]!, foreign ? foreign.external_id : 'NO-SUCH-ITEM', dateIn(r), '1.00', 'EUR']);
  }
  // The importer needs the partners a file names in partners.csv or in the mirror: new partners are in partners.csv.
  return files;
}

// --- the steps -----------------------------------------------------------------------------------

const STEPS = [
  'import',
  'payment',
  'promise',
  'cancelPromise',
  'dispute',
  'disputeChange',
  'contact',
  'dunning',
  'resubmission',
  'resubmissionDone',
  'plan',
  'cancelPlan',
  'tolerance',
  'judge',
  'place',
  'recall',
  'legalCase',
  'closeCase',
  'rollback',
  'failedImport',
] as const;
type StepKind = (typeof STEPS)[number];
/** Imports are drawn four times as often as each event: they change the most at once. */
const IMPORT_WEIGHT: StepKind[] = ['import', 'import', 'import'];
interface Step {
  kind: StepKind;
  seed: number;
}

const openItems = async () => (await items()).filter((i) => Number(i.open_amount) > 0);
const pickRow = async (r: Rng, sql: string): Promise<Row | null> => {
  const found = await rows(sql);
  return found.length ? r.pick(found) : null;
};

/** Applies a step through the services (or the importer); false when it had nothing to act on. */
async function apply(step: Step, example: number): Promise<boolean> {
  const r = rng(step.seed);
  const date = dateIn(r);
  switch (step.kind) {
    case 'import':
      await importAr(db, sources(await deltaFiles(r, `${example}-${step.seed}`)));
      return true;
    case 'payment': {
      const item = (await openItems()).length && r.chance(0.8) ? r.pick(await openItems()) : null;
      const partner = item?.partner_id ?? (await pickRow(r, `SELECT id::text FROM partners`))?.id;
      if (!partner) return false;
      const amount = item && r.chance(0.5) ? item.open_amount : money(r, 1, 300);
      await recordPayment(db, { partnerId: partner, itemId: item?.id ?? null, paymentDate: date, amount, currency: item?.currency });
      return true;
    }
    case 'promise': {
      const open = await openItems();
      if (!open.length) return false;
      const item = r.pick(open);
      const others = open.filter((i) => i.partner_id === item.partner_id && i.currency === item.currency && r.chance(0.5));
      const itemIds = [...new Set([item.id, ...others.map((i) => i.id)])];
      await createPromises(db, { partnerId: item.partner_id, itemIds, createdDate: date, promisedDate: addDays(date, r.int(0, 20)), amount: money(r, 5, 300) });
      return true;
    }
    case 'cancelPromise': {
      const q = await pickRow(r, `SELECT id::text, created_date::text FROM promises WHERE NOT cancelled`);
      if (!q) return false;
      await cancelPromise(db, { promiseId: q.id!, cancelledDate: addDays(q.created_date!, r.int(0, 3)) });
      return true;
    }
    case 'dispute': {
      const open = await openItems();
      if (!open.length) return false;
      const item = r.pick(open);
      await openDispute(db, { partnerId: item.partner_id, itemId: r.chance(0.8) ? item.id : null, createdDate: date, disputedAmount: money(r, 5, 200) });
      return true;
    }
    case 'disputeChange': {
      const d = await pickRow(r, `SELECT id::text, status FROM disputes WHERE status IN ('OPEN', 'RESOLVED', 'REJECTED')`);
      if (!d) return false;
      await setDisputeStatus(db, d.id!, d.status === 'OPEN' ? r.pick(['RESOLVED', 'REJECTED', 'CLOSED'] as const) : 'CLOSED');
      return true;
    }
    case 'contact': {
      const p = await pickRow(r, `SELECT id::text FROM partners`);
      if (!p) return false;
      await recordContact(db, { partnerId: p.id!, contactDate: date, channel: 'PHONE', direction: 'OUTBOUND', reached: r.chance(0.5) });
      return true;
    }
    case 'dunning':
      await runDunning(db, { asOf: dateIn(r, '2026-03-01', 180), createdBy: 'fact-test', revaluate: false });
      return true;
    case 'resubmission': {
      const p = await pickRow(r, `SELECT id::text FROM partners`);
      if (!p) return false;
      await scheduleResubmission(db, { partnerId: p.id!, resubmissionDate: date, reason: 'call back' });
      return true;
    }
    case 'resubmissionDone': {
      const x = await pickRow(r, `SELECT id::text FROM resubmissions WHERE NOT done`);
      if (!x) return false;
      await markResubmissionDone(db, x.id!, 'fact-test');
      return true;
    }
    case 'plan': {
      const open = await openItems();
      if (!open.length) return false;
      const item = r.pick(open);
      const itemIds = open
        .filter((i) => i.partner_id === item.partner_id && i.currency === item.currency && (i.id === item.id || r.chance(0.5)))
        .map((i) => i.id);
      await createPaymentPlan(db, {
        partnerId: item.partner_id,
        itemIds,
        installmentCount: r.int(1, 4),
        frequency: r.pick(['WEEKLY', 'MONTHLY'] as const),
        firstDate: addDays(date, r.int(0, 15)),
        createdDate: date,
      });
      return true;
    }
    case 'cancelPlan': {
      const plan = await pickRow(r, `SELECT id::text, created_date::text FROM payment_plans WHERE NOT cancelled`);
      if (!plan) return false;
      await cancelPaymentPlan(db, { planId: plan.id!, cancelledDate: addDays(plan.created_date!, r.int(0, 30)) });
      return true;
    }
    case 'tolerance':
      await db.dataSource.transaction((m) =>
        saveCompanyCode(m, ACTOR, { code: r.pick(['1000', '2000']), name: 'Changed', promiseToleranceDays: r.int(0, 9) }, { kind: 'import' }),
      );
      return true;
    case 'judge':
      await judgeAll(db, { asOf: dateIn(r, '2026-03-01', 200) });
      return true;
    case 'place': {
      const item = await pickRow(r, `SELECT i.id::text, i.partner_id::text FROM open_items i WHERE i.open_amount > 0 AND ${NOT_HELD_NOW} ORDER BY i.id`);
      if (!item) return false;
      await db.dataSource.transaction((m) => placeItems(m, ACTOR, { partnerId: item.partner_id!, agency: 'FA', itemIds: [item.id!], placedOn: date }));
      return true;
    }
    case 'recall': {
      const pl = await pickRow(r, `SELECT id::text, placed_on::text, version::text FROM placements WHERE status = 'PLACED' ORDER BY id`);
      if (!pl) return false;
      const recalledOn = addDays(pl.placed_on!, r.int(0, 30));
      await db.dataSource.transaction((m) => recallPlacement(m, ACTOR, { placementId: pl.id!, reason: 'back', recalledOn, version: Number(pl.version) }));
      return true;
    }
    case 'legalCase': {
      const item = await pickRow(r, `SELECT i.id::text, i.partner_id::text FROM open_items i WHERE i.open_amount > 0 AND ${NOT_HELD_NOW} ORDER BY i.id`);
      if (!item) return false;
      await db.dataSource.transaction((m) => openLegalCase(m, ACTOR, { partnerId: item.partner_id!, itemIds: [item.id!], openedOn: date }));
      return true;
    }
    case 'closeCase': {
      const c = await pickRow(r, `SELECT id::text, opened_on::text, version::text FROM legal_cases WHERE status <> 'CLOSED' ORDER BY id`);
      if (!c) return false;
      const changedOn = addDays(c.opened_on!, r.int(0, 30));
      await db.dataSource.transaction((m) =>
        changeLegalCase(m, ACTOR, { caseId: c.id!, status: 'CLOSED', changedOn, outcome: 'PAID', version: Number(c.version) }),
      );
      return true;
    }
    case 'rollback':
      return rolledBack(r);
    case 'failedImport':
      return failedImport(r, `${example}-${step.seed}`);
  }
}

/** A transaction that writes the mirror, flushes the facts early (so they change inside it), then fails: the facts stay as they were. */
async function rolledBack(r: Rng): Promise<boolean> {
  const item = (await openItems())[0];
  if (!item) return false;
  const before = await storedFacts();
  await expect(
    db.dataSource.transaction(async (m) => {
      await m.query(`UPDATE open_items SET open_amount = 0, dunning_level = dunning_level + 1 WHERE partner_id = $1`, [item.partner_id]);
      await m.query(`INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached) VALUES ($1, $2, $3, 'PHONE', 'INBOUND', true)`, [
        `C-rollback-${r.int(1, 1e9)}`,
        item.partner_id,
        '2026-12-31',
      ]);
      await flushFacts(m);
      const [inside] = await m.query(`SELECT last_contact::text FROM partner_facts WHERE partner_id = $1`, [item.partner_id]);
      expect(inside.last_contact).toBe('2026-12-31');
      throw new Error('rolled back on purpose');
    }),
  ).rejects.toThrow('rolled back on purpose');
  expect(await storedFacts()).toBe(before);
  return true;
}

/** An import failing half way (a bad payments.csv row after good files): nothing is written, the facts stay as they were. */
async function failedImport(r: Rng, tag: string): Promise<boolean> {
  const before = await storedFacts();
  const files = await deltaFiles(r, tag, true);
  await expect(importAr(db, sources(files))).rejects.toBeInstanceOf(ImportError);
  expect(await storedFacts()).toBe(before);
  return true;
}

async function reset(): Promise<void> {
  // A TRUNCATE of the sources rebuilds the facts (none left).
  await db.dataSource.query(`TRUNCATE open_items, payments, promises, disputes, dispute_status_changes, dunning_level_changes, contacts, resubmissions,
    payment_plans, payment_plan_items, payment_plan_installments, fx_rates, dunning_notice_items, dunning_notices, dunning_runs, partners,
    item_holds, placements, legal_cases CASCADE`);
}

/** An item `i` without a hold in force (placement or legal case). */
const NOT_HELD_NOW = 'NOT EXISTS (SELECT 1 FROM item_holds h WHERE h.item_id = i.id AND h.ended_on IS NULL)';

/**
 * One partner with a bit of everything the facts read, each piece chosen so that changing any one
 * column a fact reads changes the facts (see `COLUMN_CHANGES`), and a second partner with a contact.
 * Returns both partners' ids.
 */
async function columnFixture(): Promise<{ p: string; p2: string }> {
  await reset();
  await db.dataSource.query(`INSERT INTO company_codes (code, name, promise_tolerance_days) VALUES ('1000', 'A', 3), ('2000', 'B', 7)
    ON CONFLICT (code) DO UPDATE SET promise_tolerance_days = EXCLUDED.promise_tolerance_days`);
  const [p, p2] = (
    await rows(`INSERT INTO partners (external_id, name, country, currency, customer_type, segment)
      VALUES ('FP', 'Fixture', 'DE', 'EUR', 'B2C', 'S1'), ('FP2', 'Other', 'DE', 'EUR', 'B2C', 'S1') RETURNING id::text`)
  ).map((r) => r.id!);
  await db.dataSource.query(
    `INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached) VALUES ('FC2', $1, '2026-01-02', 'PHONE', 'INBOUND', true)`,
    [p2],
  );
  const script = [
    `INSERT INTO open_items (external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency, dunning_level)
       VALUES ('FI1', $1, '1000', '2026-01-05', '2026-02-01', 100, 80, 'EUR', 0), ('FI2', $1, '2000', '2026-01-10', '2026-03-01', 50, 50, 'EUR', 0),
         ('FI3', $1, '3000', '2026-01-15', '2026-02-15', 40, 40, 'EUR', 0)`,
    `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) SELECT 'FY1', $1, id, '2026-02-20', 20, 'EUR' FROM open_items WHERE external_id = 'FI1'`,
    `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) SELECT 'FY3', $1, id, '2026-03-15', 10, 'EUR' FROM open_items WHERE external_id = 'FI2'`,
    `INSERT INTO payments (external_id, partner_id, payment_date, amount, currency) VALUES ('FY2', $1, '2026-03-10', 30, 'EUR')`,
    `INSERT INTO payments (external_id, partner_id, item_id, payment_date, amount, currency) SELECT 'FY4', $1, id, '2026-03-20', 20, 'EUR' FROM open_items WHERE external_id = 'FI3'`,
    `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency)
       SELECT 'FQ1', $1, id, '2026-02-15', '2026-03-01', 60, 'EUR' FROM open_items WHERE external_id = 'FI1'`,
    `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency)
       SELECT 'FQ2', $1, id, '2026-03-01', '2026-03-10', 5, 'EUR' FROM open_items WHERE external_id = 'FI2'`,
    `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency)
       SELECT 'FQ3', $1, id, '2026-02-16', '2026-02-28', 10, 'EUR' FROM open_items WHERE external_id = 'FI3'`,
    `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status)
       SELECT 'FD1', $1, id, '2026-02-20', 10, 'EUR', 'RESOLVED' FROM open_items WHERE external_id = 'FI2'`,
    `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status)
       SELECT 'FD2', $1, id, '2026-02-21', 5, 'EUR', 'OPEN' FROM open_items WHERE external_id = 'FI1'`,
    `INSERT INTO dispute_status_changes (dispute_id, changed_on, partner_id, status) SELECT id, '2026-02-25', $1, 'IN_PROCESS' FROM disputes WHERE external_id = 'FD1'`,
    `INSERT INTO dunning_level_changes (item_id, dunned_on, partner_id, level) SELECT id, '2026-02-05', $1, 1 FROM open_items WHERE external_id = 'FI1'`,
    `INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached) VALUES ('FC1', $1, '2026-03-05', 'PHONE', 'OUTBOUND', false)`,
    `INSERT INTO resubmissions (partner_id, resubmission_date, reason) VALUES ($1, '2026-04-01', 'call back')`,
    `INSERT INTO payment_plans (external_id, partner_id, currency, created_date, first_date, frequency, installment_count, principal, interest, total_amount, tolerance_days)
       VALUES ('FPL', $1, 'EUR', '2026-03-01', '2026-04-01', 'MONTHLY', 2, 30, 0, 30, 2)`,
    `INSERT INTO payment_plan_items (plan_id, item_id, partner_id, amount) SELECT pl.id, i.id, $1, 30 FROM payment_plans pl, open_items i WHERE pl.external_id = 'FPL' AND i.external_id = 'FI2'`,
    `INSERT INTO payment_plan_installments (plan_id, partner_id, seq, due_date, principal, interest, amount)
       SELECT id, $1, s, d::date, a, 0, a FROM payment_plans, (VALUES (1, '2026-04-01', 10), (2, '2026-05-01', 20)) x(s, d, a) WHERE external_id = 'FPL'`,
  ];
  for (const statement of script) await db.dataSource.query(statement, [p]);
  return { p: p!, p2: p2! };
}

/** One change of one column (or one row) the facts read, each a statement of its own; $1 = the fixture partner, $2 = the other. */
const COLUMN_CHANGES: Array<[string, string]> = [
  [
    'open_items insert',
    `INSERT INTO open_items (external_id, partner_id, company_code, document_date, due_date, amount, open_amount, currency)
    VALUES ('FI4', $1, '1000', '2026-02-01', '2026-02-20', 5, 5, 'EUR')`,
  ],
  ['payments insert', `INSERT INTO payments (external_id, partner_id, payment_date, amount, currency) VALUES ('FY5', $1, '2026-09-10', 1, 'EUR')`],
  [
    'promises insert',
    `INSERT INTO promises (external_id, partner_id, item_id, created_date, promised_date, amount, currency)
    SELECT 'FQ4', $1, id, '2026-03-02', '2026-03-09', 7, 'EUR' FROM open_items WHERE external_id = 'FI1'`,
  ],
  [
    'disputes insert',
    `INSERT INTO disputes (external_id, partner_id, item_id, created_date, disputed_amount, currency, status)
    SELECT 'FD3', $1, id, '2026-03-03', 4, 'EUR', 'OPEN' FROM open_items WHERE external_id = 'FI3'`,
  ],
  [
    'contacts insert',
    `INSERT INTO contacts (external_id, partner_id, contact_date, channel, direction, reached) VALUES ('FC3', $1, '2026-09-11', 'PHONE', 'INBOUND', true)`,
  ],
  [
    'payment_plans insert',
    `INSERT INTO payment_plans (external_id, partner_id, currency, created_date, first_date, frequency, installment_count, principal, interest, total_amount, tolerance_days)
    VALUES ('FPL2', $1, 'EUR', '2026-09-12', '2026-10-01', 'MONTHLY', 1, 5, 0, 5, 0)`,
  ],
  [
    'payment_plan_installments insert',
    `INSERT INTO payment_plan_installments (plan_id, partner_id, seq, due_date, principal, interest, amount)
    SELECT id, $1, 3, '2026-06-01', 5, 0, 5 FROM payment_plans WHERE external_id = 'FPL'`,
  ],
  [
    'payment_plan_items insert',
    `INSERT INTO payment_plan_items (plan_id, item_id, partner_id, amount)
    SELECT pl.id, i.id, $1, 40 FROM payment_plans pl, open_items i WHERE pl.external_id = 'FPL' AND i.external_id = 'FI3'`,
  ],
  [
    'dispute_status_changes insert',
    `INSERT INTO dispute_status_changes (dispute_id, changed_on, partner_id, status) SELECT id, '2026-03-04', $1, 'RESOLVED' FROM disputes WHERE external_id = 'FD2'`,
  ],
  [
    'dunning_level_changes insert',
    `INSERT INTO dunning_level_changes (item_id, dunned_on, partner_id, level) SELECT id, '2026-03-05', $1, 3 FROM open_items WHERE external_id = 'FI2'`,
  ],
  ['open_items.open_amount', `UPDATE open_items SET open_amount = 10 WHERE external_id = 'FI1'`],
  ['open_items.due_date', `UPDATE open_items SET due_date = due_date + 5 WHERE external_id = 'FI1'`],
  ['open_items.document_date', `UPDATE open_items SET document_date = '2026-09-01' WHERE external_id = 'FI1'`],
  ['open_items.dunning_level', `UPDATE open_items SET dunning_level = 2 WHERE external_id = 'FI2'`],
  ['open_items.dunning_block', `UPDATE open_items SET dunning_block = true WHERE external_id = 'FI1'`],
  ['open_items.company_code', `UPDATE open_items SET company_code = '2000' WHERE external_id = 'FI1'`],
  ['open_items.currency', `UPDATE open_items SET currency = 'USD' WHERE external_id = 'FI2'`],
  ['open_items.partner_id', `UPDATE open_items SET partner_id = $2 WHERE external_id = 'FI2' AND partner_id = $1`],
  ['open_items delete', `DELETE FROM open_items WHERE external_id = 'FI2'`],
  ['payments.payment_date', `UPDATE payments SET payment_date = '2026-03-20' WHERE external_id = 'FY1'`],
  ['payments.amount', `UPDATE payments SET amount = 60 WHERE external_id = 'FY1'`],
  ['payments.currency', `UPDATE payments SET currency = 'USD' WHERE external_id = 'FY1'`],
  ['payments.item_id', `UPDATE payments SET item_id = NULL WHERE external_id = 'FY1'`],
  ['payments.payment_plan_id', `UPDATE payments SET payment_plan_id = (SELECT id FROM payment_plans WHERE external_id = 'FPL') WHERE external_id = 'FY2'`],
  ['payments.partner_id', `UPDATE payments SET partner_id = $2 WHERE external_id = 'FY2' AND partner_id = $1`],
  ['payments delete', `DELETE FROM payments WHERE external_id = 'FY3'`],
  ['promises.promised_date', `UPDATE promises SET promised_date = promised_date + 10 WHERE external_id = 'FQ1'`],
  ['promises.created_date', `UPDATE promises SET created_date = '2026-02-25' WHERE external_id = 'FQ1'`],
  ['promises.amount', `UPDATE promises SET amount = 70 WHERE external_id = 'FQ1'`],
  ['promises.currency', `UPDATE promises SET currency = 'USD' WHERE external_id = 'FQ1'`],
  ['promises.cancelled', `UPDATE promises SET cancelled = true WHERE external_id = 'FQ1'`],
  ['promises.cancelled_date', `UPDATE promises SET cancelled_date = '2026-09-02' WHERE external_id = 'FQ1'`],
  ['promises.item_id', `UPDATE promises SET item_id = NULL WHERE external_id = 'FQ1'`],
  ['promises delete', `DELETE FROM promises WHERE external_id = 'FQ2'`],
  ['disputes.status', `UPDATE disputes SET status = 'RESOLVED' WHERE external_id = 'FD2'`],
  ['disputes.disputed_amount', `UPDATE disputes SET disputed_amount = 8 WHERE external_id = 'FD1'`],
  ['disputes.status_changed_at', `UPDATE disputes SET status_changed_at = '2026-09-03 10:00:00+00' WHERE external_id = 'FD2'`],
  ['disputes.created_date', `UPDATE disputes SET created_date = '2026-09-04' WHERE external_id = 'FD2'`],
  ['disputes.item_id', `UPDATE disputes SET item_id = NULL WHERE external_id = 'FD2'`],
  ['disputes.currency', `UPDATE disputes SET currency = 'USD' WHERE external_id = 'FD2'`],
  ['disputes delete', `DELETE FROM disputes WHERE external_id = 'FD2'`],
  ['contacts.contact_date', `UPDATE contacts SET contact_date = '2026-03-06' WHERE external_id = 'FC1'`],
  ['contacts.reached', `UPDATE contacts SET reached = true WHERE external_id = 'FC1'`],
  ['contacts.partner_id', `UPDATE contacts SET partner_id = $1 WHERE external_id = 'FC2'`],
  ['contacts delete', `DELETE FROM contacts WHERE external_id = 'FC1'`],
  ['resubmissions.resubmission_date', `UPDATE resubmissions SET resubmission_date = '2026-04-02' WHERE partner_id = $1`],
  ['resubmissions.done', `UPDATE resubmissions SET done = true WHERE partner_id = $1`],
  ['resubmissions.done_on', `UPDATE resubmissions SET done_on = '2026-09-05' WHERE partner_id = $1`],
  ['resubmissions insert', `INSERT INTO resubmissions (partner_id, resubmission_date, reason) VALUES ($1, '2026-03-20', 'earlier')`],
  ['payment_plans.tolerance_days', `UPDATE payment_plans SET tolerance_days = 5 WHERE external_id = 'FPL'`],
  ['payment_plans.cancelled', `UPDATE payment_plans SET cancelled = true WHERE external_id = 'FPL'`],
  ['payment_plans.cancelled_date', `UPDATE payment_plans SET cancelled_date = '2026-09-06' WHERE external_id = 'FPL'`],
  ['payment_plans.created_date', `UPDATE payment_plans SET created_date = '2026-09-07' WHERE external_id = 'FPL'`],
  ['payment_plans.currency', `UPDATE payment_plans SET currency = 'USD' WHERE external_id = 'FPL'`],
  ['payment_plan_installments.due_date', `UPDATE payment_plan_installments SET due_date = due_date + 3 WHERE seq = 2`],
  ['payment_plan_installments.amount', `UPDATE payment_plan_installments SET amount = 15 WHERE seq = 1`],
  ['payment_plan_installments.seq', `UPDATE payment_plan_installments SET seq = 0 WHERE seq = 2`],
  ['payment_plan_installments delete', `DELETE FROM payment_plan_installments WHERE seq = 2`],
  ['payment_plan_items.item_id', `UPDATE payment_plan_items SET item_id = (SELECT id FROM open_items WHERE external_id = 'FI1')`],
  ['payment_plan_items delete', `DELETE FROM payment_plan_items`],
  ['dispute_status_changes.status', `UPDATE dispute_status_changes SET status = 'RESOLVED'`],
  ['dispute_status_changes.changed_on', `UPDATE dispute_status_changes SET changed_on = '2026-09-08'`],
  ['dispute_status_changes delete', `DELETE FROM dispute_status_changes`],
  ['dunning_level_changes.level', `UPDATE dunning_level_changes SET level = 3`],
  ['dunning_level_changes.dunned_on', `UPDATE dunning_level_changes SET dunned_on = '2026-09-09'`],
  ['dunning_level_changes delete', `DELETE FROM dunning_level_changes`],
  ['company_codes.promise_tolerance_days', `UPDATE company_codes SET promise_tolerance_days = 10 WHERE code = '1000'`],
  ['company_codes.code', `UPDATE company_codes SET code = '2001' WHERE code = '2000'`],
  ['company_codes delete', `DELETE FROM company_codes WHERE code = '2000'`],
  ['company_codes insert', `INSERT INTO company_codes (code, name, promise_tolerance_days) VALUES ('3000', 'C', 9)`],
  ['open_items.company_code to a new code', `UPDATE open_items SET company_code = '3000' WHERE external_id = 'FI2'`],
  ['partners delete (its contact stays behind)', `DELETE FROM partners WHERE id = $2 AND id <> $1`],
];

// --- the tests -----------------------------------------------------------------------------------

describe(`maintained facts (${kind})`, () => {
  it(
    'equal the facts recomputed from the mirror after any sequence of imports and events',
    async () => {
      const applied = new Map<StepKind, number>();
      let changed = 0;
      let example = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          fc.array(fc.record({ kind: fc.constantFrom<StepKind>(...STEPS, ...IMPORT_WEIGHT), seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }) }), {
            minLength: 1,
            maxLength: 8,
          }),
          async (seed, steps) => {
            example++;
            await reset();
            await expectExact(`seed ${seed}: after the reset`);
            await importAr(db, sources(historyFiles(seed)));
            await expectExact(`seed ${seed}: after the first import`);
            for (const [n, step] of steps.entries()) {
              const context = `seed ${seed}, step ${n + 1} of ${JSON.stringify(steps)}`;
              const before = await storedFacts();
              const done = await apply(step, example).catch((error: unknown) => {
                // A service refusing the random request (a closed promise, an item already planned) is an event too: it wrote nothing.
                if (error instanceof DomainError) return false;
                throw new Error(`${context}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
              });
              if (done) applied.set(step.kind, (applied.get(step.kind) ?? 0) + 1);
              if ((await storedFacts()) !== before) changed++;
              await expectExact(context);
            }
          },
        ),
        { numRuns: RUNS },
      );
      // Not vacuous: the steps changed facts.
      expect(changed).toBeGreaterThan(RUNS / 2);
      console.log(`fact maintenance (${kind}): ${changed} steps changed facts; applied ${JSON.stringify(Object.fromEntries(applied))}`);
    },
    TIMEOUT,
  );

  it(
    'equal the recomputed facts after every kind of import and event, each in turn',
    async () => {
      const applied = new Set<StepKind>();
      for (const seed of [101, 202, 303]) {
        await reset();
        await importAr(db, sources(historyFiles(seed)));
        for (const [n, kind] of STEPS.entries()) {
          const done = await apply({ kind, seed: seed * 100 + n }, seed).catch((error: unknown) => {
            if (error instanceof DomainError) return false;
            throw error;
          });
          if (done) applied.add(kind);
          await expectExact(`seed ${seed}, ${kind}`);
        }
      }
      expect(STEPS.filter((s) => !applied.has(s))).toEqual([]);
    },
    TIMEOUT,
  );

  it('follow a change of each column the facts read, and of each row, on its own', async () => {
    const failures: string[] = [];
    for (const [label, sql] of COLUMN_CHANGES) {
      const { p, p2 } = await columnFixture();
      await expectExact(`${label}: the fixture`);
      const before = await storedFacts();
      // The statement names what it uses: $1 and $2 only where it needs them.
      const values = [p, p2].slice(0, sql.includes('$2') ? 2 : sql.includes('$1') ? 1 : 0);
      await db.dataSource.query(sql, values);
      // Each change matters (else the case could not fail), and the facts follow it.
      if ((await storedFacts()) === before) failures.push(`${label}: the facts did not change`);
      const { differences } = await verifyFacts(db);
      if (differences.length) failures.push(`${label}: ${JSON.stringify(differences)}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('catch a broken maintenance: with a trigger disabled, verify reports the stale partner', async () => {
    await reset();
    await importAr(db, sources(historyFiles(7)));
    const [partner] = await rows(`SELECT id::text FROM partners ORDER BY id LIMIT 1`);
    await db.dataSource.query(`ALTER TABLE contacts DISABLE TRIGGER recoup_facts_mark_contacts_insert`);
    try {
      await recordContact(db, { partnerId: partner!.id!, contactDate: '2026-12-30', channel: 'PHONE', direction: 'OUTBOUND', reached: true });
    } finally {
      await db.dataSource.query(`ALTER TABLE contacts ENABLE TRIGGER recoup_facts_mark_contacts_insert`);
    }
    const result = await verifyFacts(db);
    expect(result.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ partnerId: partner!.id, column: 'last_contact', recomputed: '2026-12-30' }),
        expect.objectContaining({ partnerId: partner!.id, column: 'horizon', recomputed: '2026-12-30' }),
      ]),
    );
    expect(result.differenceCount).toBe(result.differences.length);
    await rebuildFacts(db);
    await expectExact('after the rebuild');
  });

  it('rebuild once for a bulk import: rebuild mode, or more partners than the per-partner threshold', async () => {
    await reset();
    const partners = Array.from({ length: 1100 }, (_, k) => [`B${k}`, `Bulk ${k}`, 'DE', 'EUR', null, null, 'B2C', 'S1']);
    const openItemsCsv = partners.map(([id], k) => [
      `BI${k}`,
      id,
      '1000',
      '2026-02-01',
      addDays('2026-02-01', k % 90),
      '10.00',
      '7.50',
      'EUR',
      k % 3,
      false,
      null,
    ]);
    // Staged (not the direct load): 1100 partners in one statement is over the threshold (1000).
    await importAr(db, sources({ partners, open_items: openItemsCsv }), { direct: false });
    await expectExact('after the bulk import');
    expect((await rows(`SELECT count(*)::text AS n FROM partner_facts`))[0]!.n).toBe('1100');
    // A re-import changing a few partners recomputes just those.
    await importAr(db, sources({ open_items: openItemsCsv.slice(0, 3).map((l) => [...l.slice(0, 6), '1.00', ...l.slice(7)]) }));
    await expectExact('after a small delta');
    const [changed] = await rows(`SELECT due_amounts::text FROM partner_fact_currencies c JOIN partners p ON p.id = c.partner_id WHERE p.external_id = 'B0'`);
    expect(changed!.due_amounts).toBe('{1.0000}');
    // Rebuild mode (what a seed asks): the same facts.
    const before = await storedFacts();
    await importAr(db, sources({ open_items: openItemsCsv.slice(0, 3) }), { rebuildFacts: true });
    await importAr(db, sources({ open_items: openItemsCsv.slice(0, 3).map((l) => [...l.slice(0, 6), '1.00', ...l.slice(7)]) }), { rebuildFacts: true });
    expect(await storedFacts()).toBe(before);
    await expectExact('after the rebuild-mode imports');
  }, 300_000);

  it('stay exact when two connections write for the same partner at once', async () => {
    await reset();
    await importAr(db, sources(historyFiles(11)));
    const [partner] = await rows(`SELECT id::text FROM partners ORDER BY id LIMIT 1`);
    // Payment plans bump no AR revision, so nothing else serialises these writers.
    const plan = async (k: number) =>
      db.dataSource.transaction(async (m) => {
        const [pl] = await m.query(
          `INSERT INTO payment_plans (external_id, partner_id, currency, created_date, first_date, frequency, installment_count, principal, interest, total_amount, tolerance_days)
           VALUES ($1, $2, 'EUR', '2026-05-01', '2026-06-01', 'MONTHLY', 1, 100, 0, 100, $3) RETURNING id`,
          [`PL-${k}`, partner!.id, k],
        );
        await m.query(
          `INSERT INTO payment_plan_installments (plan_id, partner_id, seq, due_date, principal, interest, amount) VALUES ($1, $2, 1, '2026-06-01', 100, 0, 100)`,
          [pl.id, partner!.id],
        );
      });
    await Promise.all([plan(1), plan(2), plan(3), plan(4)]);
    await expectExact('after concurrent plans');
    const [facts] = await rows(`SELECT installment_deadlines::text FROM partner_facts WHERE partner_id = $1`, [partner!.id]);
    expect(facts!.installment_deadlines).toContain('2026-06-02');
    expect(facts!.installment_deadlines).toContain('2026-06-05');
  });

  it.skipIf(kind === 'embedded')(
    'make a concurrent flush of the same partner wait and see the other writer (Postgres: truly concurrent sessions)',
    async () => {
      await reset();
      await importAr(db, sources(historyFiles(13)));
      const [partner] = await rows(`SELECT id::text FROM partners ORDER BY id LIMIT 1`);
      const connect = async () => {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        return client;
      };
      const [a, b] = [await connect(), await connect()];
      const insertPlan = (client: pg.Client, k: number) =>
        client.query(
          `WITH pl AS (INSERT INTO payment_plans (external_id, partner_id, currency, created_date, first_date, frequency, installment_count, principal, interest, total_amount, tolerance_days)
           VALUES ($1, $2, 'EUR', '2026-05-01', '2026-06-01', 'MONTHLY', 1, 100, 0, 100, $3) RETURNING id)
         INSERT INTO payment_plan_installments (plan_id, partner_id, seq, due_date, principal, interest, amount) SELECT id, $2, 1, '2026-06-01', 100, 0, 100 FROM pl`,
          [`PL-c${k}`, partner!.id, k],
        );
      try {
        await a.query('BEGIN');
        await insertPlan(a, 1);
        await b.query('BEGIN');
        await insertPlan(b, 2);
        // A holds the partner's facts row as its flush does while it computes: B's flush at commit
        // must wait for A's commit (whose flush writes the row), then compute afresh, seeing A's plan.
        await a.query('SELECT 1 FROM partner_facts WHERE partner_id = $1 FOR UPDATE', [partner!.id]);
        const committing = b.query('COMMIT');
        const waiting = await Promise.race([committing.then(() => 'committed'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 500))]);
        expect(waiting).toBe('waiting');
        await a.query('COMMIT');
        await committing;
      } finally {
        await a.end();
        await b.end();
      }
      await expectExact('after the interleaved writers');
      const [facts] = await rows(`SELECT installment_deadlines::text FROM partner_facts WHERE partner_id = $1`, [partner!.id]);
      expect(facts!.installment_deadlines).toContain('2026-06-02');
      expect(facts!.installment_deadlines).toContain('2026-06-03');
    },
  );
});
