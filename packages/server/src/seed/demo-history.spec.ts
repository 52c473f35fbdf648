import { describe, expect, it } from 'vitest';
import { CSV_FILES, CSV_TABLES, type CsvTable } from '../import/csv-contract';
import { demoArTable } from './demo-ar';
import { demoHistoryTable, parseHistoryLength, simulateDemoHistory, topK, type DemoHistory, type DemoHistoryOptions } from './demo-history';

const AS_OF = '2026-11-23';
const ASOF_DAY = Date.parse(`${AS_OF}T00:00:00Z`) / 86_400_000;
const OPTIONS: DemoHistoryOptions = { partners: 3000, months: 12, asOf: AS_OF, seed: 1, workedEffect: 1 };

type Row = Record<string, string>;

/** RFC 4180 records (quoted cells with doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === '\n') {
      row.push(cell);
      cell = '';
      if (ch === '\n') {
        rows.push(row);
        row = [];
      }
    } else cell += ch;
  }
  return rows;
}

const histories = new Map<string, DemoHistory>();
function history(options: DemoHistoryOptions = OPTIONS): DemoHistory {
  const key = JSON.stringify(options);
  let h = histories.get(key);
  if (!h) histories.set(key, (h = simulateDemoHistory(options)));
  return h;
}

const tables = new Map<string, Row[]>();
function rows(table: CsvTable, options: DemoHistoryOptions = OPTIONS): Row[] {
  const key = `${table}|${JSON.stringify(options)}`;
  let result = tables.get(key);
  if (!result) {
    const [header, ...records] = parseCsv([...demoHistoryTable(history(options), table)].join(''));
    result = records.map((r) => Object.fromEntries(header!.map((name, k) => [name, r[k]!])));
    tables.set(key, result);
  }
  return result;
}

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
/** A decimal string as exact minor units (4 decimals), so sums are exact. */
const units = (amount: string): bigint => {
  const [int, frac = ''] = amount.split('.');
  return BigInt(int!) * 10000n + BigInt(frac.padEnd(4, '0'));
};

/** Day each item's payments cleared it; null while open. */
function clearedOn(options: DemoHistoryOptions): Map<string, number | null> {
  const paid = new Map<string, bigint>();
  const cleared = new Map<string, number | null>();
  const items = new Map(rows('open_items', options).map((i) => [i.item_id!, i]));
  const payments = [...rows('payments', options)].sort((a, b) => day(a.payment_date!) - day(b.payment_date!));
  for (const i of items.keys()) cleared.set(i, null);
  for (const p of payments) {
    const total = (paid.get(p.item_id!) ?? 0n) + units(p.amount!);
    paid.set(p.item_id!, total);
    if (total >= units(items.get(p.item_id!)!.amount!) && cleared.get(p.item_id!) === null) cleared.set(p.item_id!, day(p.payment_date!));
  }
  return cleared;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('demo history', () => {
  it('refuses bad options', () => {
    expect(() => simulateDemoHistory({ ...OPTIONS, months: 0 })).toThrow(/months/);
    expect(() => simulateDemoHistory({ ...OPTIONS, months: 1.5 })).toThrow(/months/);
    expect(() => simulateDemoHistory({ ...OPTIONS, asOf: '2026-02-30' })).toThrow(/asOf/);
    expect(() => simulateDemoHistory({ ...OPTIONS, partners: -1 })).toThrow(/partners/);
    expect(() => simulateDemoHistory({ ...OPTIONS, workedEffect: -0.5 })).toThrow(/workedEffect/);
    expect(parseHistoryLength('12m')).toBe(12);
    expect(parseHistoryLength('2y')).toBe(24);
    expect(parseHistoryLength('0m')).toBeNull();
    expect(parseHistoryLength('12')).toBeNull();
  });

  it('writes every table of the contract with its header, and the demo partner master', () => {
    for (const table of CSV_TABLES) {
      const chunks = [...demoHistoryTable(history(), table)];
      expect(chunks[0]).toBe(CSV_FILES[table].columns.map((c) => c.name).join(',') + '\n');
      expect(rows(table).length, table).toBeGreaterThan(0);
    }
    const small = { ...OPTIONS, partners: 200 };
    expect([...demoHistoryTable(history(small), 'partners')].join('')).toBe([...demoArTable('partners', small)].join(''));
  });

  it('is deterministic per options and differs across seeds', () => {
    const small = { ...OPTIONS, partners: 300, months: 4 };
    const text = (o: DemoHistoryOptions, t: CsvTable) => [...demoHistoryTable(simulateDemoHistory(o), t)].join('');
    for (const table of ['open_items', 'payments', 'contacts', 'dispute_history'] as const) {
      expect(text(small, table)).toBe(text(small, table));
      expect(text({ ...small, seed: 2 }, table)).not.toBe(text(small, table));
    }
  });

  it('bills every partner on its cycle over the whole period: consumers small single items, wholesale few big ones', () => {
    const partners = new Map(rows('partners').map((p) => [p.partner_id!, p]));
    const perSegment = new Map<string, { items: number; partners: Set<string>; eur: number[] }>();
    for (const i of rows('open_items')) {
      const segment = partners.get(i.partner_id!)!.segment!;
      const s = perSegment.get(segment) ?? { items: 0, partners: new Set<string>(), eur: [] };
      s.items++;
      s.partners.add(i.partner_id!);
      if (i.currency === 'EUR') s.eur.push(Number(i.amount));
      perSegment.set(segment, s);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const consumer = perSegment.get('CONSUMER')!;
    const business = perSegment.get('BUSINESS')!;
    const wholesale = perSegment.get('WHOLESALE')!;
    expect(median(consumer.eur)).toBeLessThan(100);
    expect(median(business.eur)).toBeGreaterThan(5 * median(consumer.eur));
    expect(median(wholesale.eur)).toBeGreaterThan(5 * median(business.eur));
    expect(business.items / business.partners.size).toBeGreaterThan(consumer.items / consumer.partners.size);
    // Invoices every month of the period.
    const months = new Set(rows('open_items').map((i) => i.document_date!.slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(12);
  });

  it('opens the period on a built-up book: overdue items in every ageing bucket on its first day (warm-up months)', () => {
    const start = day(history().stats().periodStart);
    expect(start).toBe(day('2025-11-24'));
    const paidAfter = new Map<string, bigint>();
    for (const p of rows('payments')) if (day(p.payment_date!) > start) paidAfter.set(p.item_id!, (paidAfter.get(p.item_id!) ?? 0n) + units(p.amount!));
    const buckets = [0, 0, 0, 0];
    let overdue = 0;
    for (const i of rows('open_items')) {
      if (day(i.document_date!) > start || units(i.open_amount!) + (paidAfter.get(i.item_id!) ?? 0n) <= 0n) continue;
      const age = start - day(i.due_date!);
      if (age < 1) continue;
      overdue++;
      buckets[age <= 30 ? 0 : age <= 60 ? 1 : age <= 90 ? 2 : 3]!++;
    }
    for (const n of buckets) expect(n).toBeGreaterThan(overdue * 0.03);
    // Without the warm-up the first day finds only older debt.
    const cold = simulateDemoHistory({ ...OPTIONS, partners: 500, warmUpMonths: 0 });
    expect(cold.stats().firstDay).toBe(cold.stats().periodStart);
    expect(() => simulateDemoHistory({ ...OPTIONS, warmUpMonths: -1 })).toThrow(/warmUpMonths/);
  });

  it("explains every item's open amount at asOf exactly by its payments, in the item's currency", () => {
    const items = new Map(rows('open_items').map((i) => [i.item_id!, i]));
    const paid = new Map<string, bigint>();
    for (const p of rows('payments')) {
      const item = items.get(p.item_id!);
      expect(item, p.payment_id).toBeDefined();
      expect(p.partner_id).toBe(item!.partner_id);
      expect(p.currency).toBe(item!.currency);
      expect(day(p.payment_date!)).toBeGreaterThan(day(item!.document_date!));
      paid.set(p.item_id!, (paid.get(p.item_id!) ?? 0n) + units(p.amount!));
    }
    let open = 0;
    for (const i of items.values()) {
      expect(units(i.open_amount!), i.item_id).toBe(units(i.amount!) - (paid.get(i.item_id!) ?? 0n));
      expect(units(i.open_amount!)).toBeGreaterThanOrEqual(0n);
      if (units(i.open_amount!) > 0n) open++;
    }
    // Most of a year's items are paid; some are open.
    expect(open / items.size).toBeGreaterThan(0.03);
    expect(open / items.size).toBeLessThan(0.4);
  });

  it('dates every row on or before asOf (only promised dates and due dates may be later)', () => {
    const dated: Array<[CsvTable, string]> = [
      ['open_items', 'document_date'],
      ['payments', 'payment_date'],
      ['promises', 'created_date'],
      ['disputes', 'created_date'],
      ['contacts', 'contact_date'],
      ['dispute_history', 'changed_on'],
      ['dunning_history', 'dunned_on'],
      ['fx_rates', 'rate_date'],
    ];
    for (const [table, column] of dated) {
      const latest = Math.max(...rows(table).map((r) => day(r[column]!)));
      expect(latest, `${table}.${column}`).toBeLessThanOrEqual(ASOF_DAY);
    }
    expect(Math.max(...rows('promises').map((r) => day(r.promised_date!)))).toBeGreaterThan(ASOF_DAY - 30);
  });

  it("dates each dispute's status changes from its creation, ending in its status in disputes.csv", () => {
    const disputes = new Map(rows('disputes').map((d) => [d.dispute_id!, d]));
    const last = new Map<string, Row>();
    for (const h of rows('dispute_history')) {
      const d = disputes.get(h.dispute_id!);
      expect(d, h.dispute_id).toBeDefined();
      expect(day(h.changed_on!)).toBeGreaterThanOrEqual(day(d!.created_date!));
      const before = last.get(h.dispute_id!);
      if (before) expect(day(h.changed_on!)).toBeGreaterThan(day(before.changed_on!));
      last.set(h.dispute_id!, h);
    }
    const statuses = new Set<string>();
    for (const d of disputes.values()) {
      statuses.add(d.status!);
      expect(last.get(d.dispute_id!)?.status ?? 'OPEN', d.dispute_id).toBe(d.status);
    }
    expect([...statuses].sort()).toEqual(['CLOSED', 'IN_PROCESS', 'OPEN', 'REJECTED', 'RESOLVED']);
  });

  it('dunns by days overdue: notices at levels 1-4 with the item at its last level; wholesale is not dunned', () => {
    const items = new Map(rows('open_items').map((i) => [i.item_id!, i]));
    const highest = new Map<string, number>();
    const levels = new Set<string>();
    for (const n of rows('dunning_history')) {
      const item = items.get(n.item_id!)!;
      expect(item.dunning_level).not.toBe('');
      expect(day(n.dunned_on!) - day(item.due_date!)).toBeGreaterThanOrEqual([4, 22, 46, 76][Number(n.level) - 1]!);
      highest.set(n.item_id!, Math.max(highest.get(n.item_id!) ?? 0, Number(n.level)));
      levels.add(n.level!);
    }
    expect([...levels].sort()).toEqual(['1', '2', '3', '4']);
    for (const i of items.values()) expect(Number(i.dunning_level || 0), i.item_id).toBe(highest.get(i.item_id!) ?? 0);
  });

  it('pays later the worse the risk class: E later than A, and E leaves more unpaid', () => {
    const risk = new Map(rows('partners').map((p) => [p.partner_id!, p.risk_class!]));
    const cleared = clearedOn(OPTIONS);
    const delays: Record<string, number[]> = { A: [], E: [] };
    const unpaid: Record<string, number[]> = { A: [], E: [] };
    for (const i of rows('open_items')) {
      const r = risk.get(i.partner_id!)!;
      const due = day(i.due_date!);
      if (!(r in delays) || due > ASOF_DAY - 120) continue; // items due long enough ago to be judged
      const c = cleared.get(i.item_id!);
      unpaid[r]!.push(c == null ? 1 : 0);
      if (c != null) delays[r]!.push(c - due);
    }
    expect(mean(delays.E!)).toBeGreaterThan(mean(delays.A!) + 10);
    expect(mean(unpaid.E!)).toBeGreaterThan(2 * mean(unpaid.A!));
  });

  it('keeps, partly keeps and breaks promises in realistic shares (judged as DESIGN.md says, tolerance 3 days)', () => {
    const payments = new Map<string, Row[]>();
    for (const p of rows('payments')) payments.set(p.item_id!, [...(payments.get(p.item_id!) ?? []), p]);
    const counts = { KEPT: 0, PARTIALLY_KEPT: 0, BROKEN: 0, OPEN: 0, CANCELLED: 0 };
    for (const r of rows('promises')) {
      if (r.cancelled === 'true') {
        counts.CANCELLED++;
        continue;
      }
      const from = day(r.created_date!);
      const until = day(r.promised_date!) + 3;
      const paid = (payments.get(r.item_id!) ?? [])
        .filter((p) => day(p.payment_date!) >= from && day(p.payment_date!) <= Math.min(until, ASOF_DAY))
        .reduce((s, p) => s + units(p.amount!), 0n);
      if (paid >= units(r.amount!)) counts.KEPT++;
      else if (ASOF_DAY <= until) counts.OPEN++;
      else if (paid > 0n) counts.PARTIALLY_KEPT++;
      else counts.BROKEN++;
    }
    const judged = counts.KEPT + counts.PARTIALLY_KEPT + counts.BROKEN;
    expect(judged).toBeGreaterThan(300);
    expect(counts.KEPT / judged).toBeGreaterThan(0.45);
    expect(counts.KEPT / judged).toBeLessThan(0.85);
    expect(counts.BROKEN / judged).toBeGreaterThan(0.08);
    expect(counts.BROKEN / judged).toBeLessThan(0.4);
    expect(counts.PARTIALLY_KEPT).toBeGreaterThan(0);
    expect(counts.CANCELLED).toBeGreaterThan(0);
    expect(counts.OPEN).toBeGreaterThan(0);
  });

  it('works the list within a daily capacity: contacts go to overdue partners, and reached ones give promises', () => {
    const contacts = rows('contacts');
    const outbound = contacts.filter((c) => c.direction === 'OUTBOUND');
    const perDay = new Map<string, number>();
    for (const c of outbound) perDay.set(c.contact_date!, (perDay.get(c.contact_date!) ?? 0) + 1);
    // 3000 partners: about 0.6% of consumers, 2% of business, 6% of wholesale a working day.
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(40);
    for (const d of perDay.keys()) expect([0, 6]).not.toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    expect(outbound.filter((c) => c.result === 'PROMISE_GIVEN').length).toBe(rows('promises').length);
    expect(new Set(outbound.map((c) => c.partner_id)).size).toBeGreaterThan(300);
  });

  it('lets worked partners pay measurably earlier with workedEffect 2 than the same partners with 0', () => {
    // The same partners and invoices, worked the same way; only the effect of being reached differs.
    const base = { ...OPTIONS, partners: 4000 };
    const daysToPay = (workedEffect: number): number => {
      const options = { ...base, workedEffect };
      const worked = new Set(
        rows('contacts', options)
          .filter((c) => c.direction === 'OUTBOUND' && c.reached === 'true')
          .map((c) => c.partner_id!),
      );
      const cleared = clearedOn(options);
      const delays: number[] = [];
      for (const i of rows('open_items', options)) {
        const due = day(i.due_date!);
        if (!worked.has(i.partner_id!) || due > ASOF_DAY - 120) continue;
        const c = cleared.get(i.item_id!);
        if (c != null && c > due) delays.push(c - due);
      }
      return mean(delays);
    };
    const none = daysToPay(0);
    const strong = daysToPay(2);
    expect(strong).toBeLessThan(none * 0.85);
  });

  it('picks the top k by score, best first', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const score = (v: number) => (v * 7919) % 1000;
    const expected = [...values].sort((a, b) => score(b) - score(a)).slice(0, 25);
    expect(topK(values, 25, score)).toEqual(expected);
    expect(topK([3, 1, 2], 5, (v) => v)).toEqual([3, 2, 1]);
  });
});
