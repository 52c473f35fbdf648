import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { CSV_FILES, CSV_TABLES, type CsvColumn, type CsvTable } from '../import/csv-contract';
import {
  DEMO_COMPANY_CODES,
  DEMO_CURRENCIES,
  DEMO_CUSTOMER_TYPES,
  DEMO_SEGMENTS,
  DEMO_SEGMENT_OF_TYPE,
  csvField,
  demoArTable,
  type DemoArOptions,
} from './demo-ar';

const AS_OF = '2025-06-30';
const OPTIONS: DemoArOptions = { partners: 3000, seed: 7, asOf: AS_OF };

/** RFC 4180: comma separated, cells optionally quoted with doubled quotes, records end in "\n". */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && cell === '') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted cell');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += text[i++];
      }
      if (i < text.length && text[i] !== ',' && text[i] !== '\n') throw new Error(`garbage after quoted cell at ${i}`);
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      if (ch === '\r') throw new Error('unexpected CR');
      cell += ch;
      i++;
    }
  }
  if (cell !== '' || row.length > 0) throw new Error('last record does not end in a newline');
  return rows;
}

type Row = Record<string, string>;

function tableText(table: CsvTable, options: DemoArOptions): string {
  return [...demoArTable(table, options)].join('');
}

const cache = new Map<string, Row[]>();
function rows(table: CsvTable, options: DemoArOptions = OPTIONS): Row[] {
  const key = `${table}|${JSON.stringify(options)}`;
  let result = cache.get(key);
  if (!result) {
    const [header, ...records] = parseCsv(tableText(table, options));
    result = records.map((r) => Object.fromEntries(header!.map((name, k) => [name, r[k]!])));
    cache.set(key, result);
  }
  return result;
}

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const cents = (amount: string): number => Math.round(Number(amount) * 100);
const ASOF_DAY = day(AS_OF);

function checkCell(column: CsvColumn, value: string): string | undefined {
  if (value === '') return column.required ? 'required cell is empty' : undefined;
  if (column.values && !column.values.includes(value)) return `not one of ${column.values.join('/')}`;
  switch (column.type) {
    case 'id':
      return /^[A-Z][0-9]{7,}$/.test(value) ? undefined : 'bad id';
    case 'text':
      return value.trim() === value ? undefined : 'untrimmed text';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value) ? undefined : 'bad date';
    case 'amount':
      return /^\d+(\.\d{1,2})?$/.test(value) ? undefined : 'bad amount';
    case 'rate':
      return /^\d+(\.\d{1,8})?$/.test(value) && Number(value) > 0 ? undefined : 'bad rate';
    case 'integer':
      return /^-?\d+$/.test(value) ? undefined : 'bad integer';
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : 'bad boolean';
    case 'currency':
      return /^[A-Z]{3}$/.test(value) && (DEMO_CURRENCIES as readonly string[]).includes(value) ? undefined : 'bad currency';
    case 'country':
      return /^[A-Z]{2}$/.test(value) ? undefined : 'bad country';
  }
}

/** The promise judging semantics the data is built for (tolerance 3 days). */
function judge(promise: Row, paymentsByItem: Map<string, Row[]>): 'KEPT' | 'PARTIALLY_KEPT' | 'BROKEN' | 'OPEN' {
  const created = day(promise.created_date!);
  const promised = day(promise.promised_date!);
  let paid = 0;
  for (const p of paymentsByItem.get(promise.item_id!) ?? []) {
    const d = day(p.payment_date!);
    if (d >= created && d <= promised + 3 && d <= ASOF_DAY) paid += cents(p.amount!);
  }
  if (paid >= cents(promise.amount!)) return 'KEPT';
  if (ASOF_DAY > promised + 3) return paid > 0 ? 'PARTIALLY_KEPT' : 'BROKEN';
  return 'OPEN';
}

function countBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

describe('csvField', () => {
  it('quotes only when needed, doubling quotes', () => {
    expect(csvField('Smith Logistics Ltd')).toBe('Smith Logistics Ltd');
    expect(csvField('Barker, Hale & Co')).toBe('"Barker, Hale & Co"');
    expect(csvField('The "Best" Telecom')).toBe('"The ""Best"" Telecom"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const line = ['a', 'b,c', 'd"e', 'f\ng', ''].map(csvField).join(',') + '\n';
    expect(parseCsv(line)).toEqual([['a', 'b,c', 'd"e', 'f\ng', '']]);
  });
});

describe('demoArTable', () => {
  it('rejects bad options eagerly', () => {
    expect(() => demoArTable('partners', { partners: 1, asOf: '2025-02-30' })).toThrow();
    expect(() => demoArTable('partners', { partners: 1, asOf: '30.06.2025' })).toThrow();
    expect(() => demoArTable('partners', { partners: -1, asOf: AS_OF })).toThrow();
    expect(() => demoArTable('partners', { partners: 1.5, asOf: AS_OF })).toThrow();
    expect(() => demoArTable('nope' as CsvTable, { partners: 1, asOf: AS_OF })).toThrow();
  });

  it('yields the header first, then chunks of whole lines', () => {
    for (const table of CSV_TABLES) {
      const chunks = [...demoArTable(table, OPTIONS)];
      expect(chunks[0]).toBe(CSV_FILES[table].columns.map((c) => c.name).join(',') + '\n');
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    }
    expect([...demoArTable('open_items', { ...OPTIONS, partners: 0 })]).toHaveLength(1);
  });

  it('is deterministic per (seed, asOf) and differs across seeds', () => {
    const sha = (table: CsvTable, options: DemoArOptions) => createHash('sha256').update(tableText(table, options)).digest('hex');
    const small = { partners: 500, asOf: AS_OF };
    for (const table of CSV_TABLES) {
      expect(sha(table, small)).toBe(sha(table, { ...small, seed: 1 })); // seed defaults to 1
      expect(sha(table, { ...small, seed: 42 })).toBe(sha(table, { ...small, seed: 42 }));
      expect(sha(table, { ...small, seed: 42 })).not.toBe(sha(table, small));
    }
  });

  it("keeps a partner's rows and ids stable whatever the number of partners", () => {
    for (const table of CSV_TABLES) {
      if (table === 'fx_rates') continue;
      const fewer = rows(table, { ...OPTIONS, partners: 200 });
      // History rows name their dispute (partner i owns D i*10+k) or item (I i*100+j).
      const partnerOf = (r: Row): number =>
        r.partner_id !== undefined
          ? Number(r.partner_id.slice(1))
          : r.dispute_id !== undefined
            ? Math.ceil(Number(r.dispute_id.slice(1)) / 10)
            : Math.ceil(Number(r.item_id!.slice(1)) / 100);
      const more = rows(table, { ...OPTIONS, partners: 400 }).filter((r) => partnerOf(r) <= 200);
      expect(more).toEqual(fewer);
    }
  });

  it('writes cells of the contract types, with unique keys', () => {
    for (const table of CSV_TABLES) {
      const columns = CSV_FILES[table].columns;
      const [header, ...records] = parseCsv(tableText(table, OPTIONS));
      expect(header).toEqual(columns.map((c) => c.name));
      expect(records.length).toBeGreaterThan(0);
      const keys = new Set<string>();
      for (const record of records) {
        expect(record.length, `${table}: ${record.join(',')}`).toBe(columns.length);
        columns.forEach((column, k) => {
          const problem = checkCell(column, record[k]!);
          if (problem) expect.fail(`${table}.${column.name} = ${JSON.stringify(record[k])}: ${problem}`);
        });
        keys.add(table === 'fx_rates' ? record.slice(0, 3).join('|') : table.endsWith('_history') ? record.slice(0, 2).join('|') : record[0]!);
      }
      expect(keys.size, `${table} keys unique`).toBe(records.length);
    }
  });

  it('keeps references and partner/currency/company consistent', () => {
    const partners = new Map(rows('partners').map((p) => [p.partner_id!, p]));
    const items = new Map(rows('open_items').map((i) => [i.item_id!, i]));
    const companyCurrency = new Map<string, string>(DEMO_COMPANY_CODES.map((c) => [c.code, c.currency]));
    const countryCurrency: Record<string, string> = {
      DE: 'EUR',
      AT: 'EUR',
      FR: 'EUR',
      BE: 'EUR',
      ES: 'EUR',
      IT: 'EUR',
      NL: 'EUR',
      GB: 'GBP',
      US: 'USD',
      CH: 'CHF',
      PL: 'PLN',
      SE: 'SEK',
      JP: 'JPY',
    };
    expect(partners.size).toBe(OPTIONS.partners);
    for (const p of partners.values()) {
      expect(countryCurrency[p.country!]).toBe(p.currency);
      expect(DEMO_SEGMENT_OF_TYPE[p.customer_type as (typeof DEMO_CUSTOMER_TYPES)[number]]).toBe(p.segment);
    }
    for (const i of items.values()) {
      expect(partners.has(i.partner_id!)).toBe(true);
      expect(companyCurrency.get(i.company_code!)).toBe(i.currency);
      expect(day(i.document_date!)).toBeLessThanOrEqual(ASOF_DAY);
      expect([14, 30, 60]).toContain(day(i.due_date!) - day(i.document_date!));
      expect(cents(i.open_amount!)).toBeLessThanOrEqual(cents(i.amount!));
      expect(cents(i.amount!)).toBeGreaterThan(0);
    }
    for (const table of ['payments', 'promises', 'disputes', 'contacts'] as const) {
      for (const r of rows(table)) {
        expect(partners.has(r.partner_id!), `${table} ${r.partner_id}`).toBe(true);
        if ('item_id' in r && r.item_id !== '') {
          const item = items.get(r.item_id);
          expect(item, `${table} ${r.item_id}`).toBeDefined();
          expect(item!.partner_id).toBe(r.partner_id);
          expect(item!.currency).toBe(r.currency);
        }
      }
    }
  });

  it("explains every item's open amount by its payments", () => {
    const paidByItem = new Map<string, number>();
    for (const p of rows('payments')) {
      const d = day(p.payment_date!);
      expect(d).toBeLessThanOrEqual(ASOF_DAY);
      expect(cents(p.amount!)).toBeGreaterThan(0);
      if (p.item_id === '') continue;
      paidByItem.set(p.item_id!, (paidByItem.get(p.item_id!) ?? 0) + cents(p.amount!));
    }
    const items = rows('open_items');
    const itemById = new Map(items.map((i) => [i.item_id!, i]));
    for (const p of rows('payments')) {
      if (p.item_id !== '') expect(day(p.payment_date!)).toBeGreaterThan(day(itemById.get(p.item_id!)!.document_date!));
    }
    for (const i of items) expect(paidByItem.get(i.item_id!) ?? 0, i.item_id).toBe(cents(i.amount!) - cents(i.open_amount!));
    const onAccount = rows('payments').filter((p) => p.item_id === '').length;
    expect(onAccount).toBeGreaterThan(0);
  });

  it('has promises that are kept, partly kept, broken and still open at asOf', () => {
    const paymentsByItem = new Map<string, Row[]>();
    for (const p of rows('payments')) if (p.item_id) paymentsByItem.set(p.item_id, [...(paymentsByItem.get(p.item_id) ?? []), p]);
    const items = new Map(rows('open_items').map((i) => [i.item_id!, i]));
    const promises = rows('promises');
    for (const r of promises) {
      expect(day(r.created_date!)).toBeLessThanOrEqual(ASOF_DAY);
      expect(day(r.promised_date!)).toBeGreaterThanOrEqual(day(r.created_date!));
      if (r.item_id) {
        const item = items.get(r.item_id)!;
        expect(day(r.created_date!)).toBeGreaterThan(day(item.due_date!)); // promised on an overdue item
        expect(cents(r.amount!)).toBeLessThanOrEqual(cents(item.amount!));
      }
    }
    const live = promises.filter((r) => r.item_id && r.cancelled !== 'true');
    const verdicts = countBy(live, (r) => judge(r, paymentsByItem));
    for (const v of ['KEPT', 'PARTIALLY_KEPT', 'BROKEN', 'OPEN']) expect(verdicts.get(v) ?? 0, v).toBeGreaterThanOrEqual(10);
    expect(promises.some((r) => r.cancelled === 'true')).toBe(true);
    expect(promises.some((r) => day(r.promised_date!) > ASOF_DAY)).toBe(true);
    const items2 = rows('open_items').filter((i) => day(i.due_date!) < ASOF_DAY - 5);
    expect(promises.length).toBeLessThan(items2.length); // a share of partners, not everyone
  });

  it('has disputes on items in several statuses', () => {
    const items = new Map(rows('open_items').map((i) => [i.item_id!, i]));
    const disputes = rows('disputes');
    const partnersWithDisputes = new Set(disputes.map((d) => d.partner_id)).size;
    expect(partnersWithDisputes / OPTIONS.partners).toBeGreaterThan(0.01);
    expect(partnersWithDisputes / OPTIONS.partners).toBeLessThan(0.1);
    for (const d of disputes) {
      expect(day(d.created_date!)).toBeLessThanOrEqual(ASOF_DAY);
      if (d.item_id) {
        const item = items.get(d.item_id)!;
        expect(cents(d.disputed_amount!)).toBeLessThanOrEqual(cents(item.amount!));
        expect(day(d.created_date!)).toBeGreaterThanOrEqual(day(item.document_date!));
      }
    }
    expect(countBy(disputes, (d) => d.status!).size).toBeGreaterThanOrEqual(4);
    expect(disputes.filter((d) => d.item_id).length / disputes.length).toBeGreaterThan(0.8);
    expect(new Set(disputes.map((d) => d.reason)).size).toBeGreaterThanOrEqual(5);
    // open disputes mostly block dunning of their item
    const openDisputed = disputes.filter((d) => d.item_id && (d.status === 'OPEN' || d.status === 'IN_PROCESS'));
    const blocked = openDisputed.filter((d) => items.get(d.item_id!)!.dunning_block === 'true');
    expect(blocked.length / openDisputed.length).toBeGreaterThan(0.6);
  });

  it("dates each dispute's status changes from its creation to asOf, ending in today's status", () => {
    const disputes = new Map(rows('disputes').map((d) => [d.dispute_id!, d]));
    const last = new Map<string, Row>();
    for (const h of rows('dispute_history')) {
      const d = disputes.get(h.dispute_id!);
      expect(d, h.dispute_id).toBeDefined();
      expect(day(h.changed_on!)).toBeGreaterThanOrEqual(day(d!.created_date!));
      expect(day(h.changed_on!)).toBeLessThanOrEqual(ASOF_DAY);
      const before = last.get(h.dispute_id!);
      if (before) expect(day(h.changed_on!)).toBeGreaterThan(day(before.changed_on!));
      last.set(h.dispute_id!, h);
    }
    for (const d of disputes.values()) {
      if (d.status === 'OPEN') expect(last.has(d.dispute_id!), d.dispute_id).toBe(false);
      else expect(last.get(d.dispute_id!)?.status, d.dispute_id).toBe(d.status);
    }
  });

  it("dates one dunning notice per level an item reached, the last one at the item's level", () => {
    const items = new Map(rows('open_items').map((i) => [i.item_id!, i]));
    const highest = new Map<string, number>();
    for (const h of rows('dunning_history')) {
      const item = items.get(h.item_id!);
      expect(item, h.item_id).toBeDefined();
      expect(day(h.dunned_on!)).toBeGreaterThan(day(item!.due_date!));
      expect(day(h.dunned_on!)).toBeLessThanOrEqual(ASOF_DAY);
      highest.set(h.item_id!, Math.max(highest.get(h.item_id!) ?? 0, Number(h.level)));
    }
    for (const item of items.values()) expect(highest.get(item.item_id!) ?? 0, item.item_id).toBe(Number(item.dunning_level || 0));
    expect(highest.size).toBeGreaterThan(0);
  });

  it('has contacts, more of them for partners with overdue items', () => {
    const contacts = rows('contacts');
    for (const c of contacts) expect(day(c.contact_date!)).toBeLessThanOrEqual(ASOF_DAY);
    const overdue = new Set(
      rows('open_items')
        .filter((i) => cents(i.open_amount!) > 0 && day(i.due_date!) < ASOF_DAY)
        .map((i) => i.partner_id),
    );
    const perPartner = countBy(contacts, (c) => c.partner_id!);
    let overdueContacts = 0;
    let otherContacts = 0;
    for (const [pid, n] of perPartner) {
      if (overdue.has(pid)) overdueContacts += n;
      else otherContacts += n;
    }
    const others = OPTIONS.partners - overdue.size;
    expect(overdueContacts / overdue.size).toBeGreaterThan(3 * (otherContacts / others));
    expect(new Set(contacts.map((c) => c.channel)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(contacts.map((c) => c.direction))).toEqual(new Set(['INBOUND', 'OUTBOUND']));
    expect(new Set(contacts.map((c) => c.reached))).toEqual(new Set(['true', 'false']));
    for (const r of ['PROMISE_GIVEN', 'NO_ANSWER', 'CALLBACK', 'DISPUTE_RAISED'])
      expect(
        contacts.some((c) => c.result === r),
        r,
      ).toBe(true);
  });

  it('covers every currency pair with monthly fx rates up to asOf', () => {
    const fx = rows('fx_rates');
    const used = new Set([...rows('partners').map((p) => p.currency!), ...rows('open_items').map((i) => i.currency!)]);
    expect(used.size).toBeGreaterThanOrEqual(5);
    const dates = [...new Set(fx.map((r) => r.rate_date!))].sort();
    expect(dates).toHaveLength(16);
    expect(dates.every((d) => d.endsWith('-01'))).toBe(true);
    expect(dates.at(-1)).toBe('2025-06-01');
    expect(dates[0]).toBe('2024-03-01');
    const rate = new Map(fx.map((r) => [`${r.rate_date}|${r.from_currency}|${r.to_currency}`, Number(r.rate)]));
    for (const a of used) {
      for (const b of used) {
        if (a === b) continue;
        const onOrBefore = fx.filter((r) => r.from_currency === a && r.to_currency === b && r.rate_date! <= AS_OF);
        expect(onOrBefore.length, `${a}->${b}`).toBe(16);
      }
    }
    for (const r of fx) {
      expect(r.from_currency).not.toBe(r.to_currency);
      const back = rate.get(`${r.rate_date}|${r.to_currency}|${r.from_currency}`)!;
      expect(Math.abs(Number(r.rate) * back - 1)).toBeLessThan(1e-5);
    }
    const eurUsd = fx.filter((r) => r.from_currency === 'EUR' && r.to_currency === 'USD').map((r) => Number(r.rate));
    expect(new Set(eurUsd).size).toBeGreaterThan(1); // drifts
    expect(Math.max(...eurUsd) / Math.min(...eurUsd)).toBeLessThan(1.2); // mildly
  });

  it('looks like a telecom operator with a B2B business', () => {
    const partners = rows('partners');
    const types = countBy(partners, (p) => p.customer_type!);
    expect([...types.keys()].sort()).toEqual([...DEMO_CUSTOMER_TYPES].sort());
    expect(types.get('POSTPAID')! / partners.length).toBeGreaterThan(0.5);
    expect(new Set(partners.map((p) => p.segment))).toEqual(new Set(DEMO_SEGMENTS));
    const currencies = countBy(partners, (p) => p.currency!);
    expect(currencies.size).toBeGreaterThanOrEqual(5);
    expect(currencies.get('EUR')! / partners.length).toBeGreaterThan(0.5);
    const emptyRisk = partners.filter((p) => p.risk_class === '').length / partners.length;
    expect(emptyRisk).toBeGreaterThan(0.03);
    expect(emptyRisk).toBeLessThan(0.25);
    expect(new Set(partners.map((p) => p.risk_class)).size).toBeGreaterThanOrEqual(5);
    expect(partners.some((p) => p.credit_limit === '')).toBe(true);

    const items = rows('open_items');
    const perPartner = items.length / partners.length;
    expect(perPartner).toBeGreaterThan(4);
    expect(perPartner).toBeLessThan(6.5);
    const typeOf = new Map(partners.map((p) => [p.partner_id!, p.customer_type!]));
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
    const amounts = (type: string) => median(items.filter((i) => typeOf.get(i.partner_id!) === type && i.currency === 'EUR').map((i) => cents(i.amount!)));
    expect(amounts('CORPORATE')).toBeGreaterThan(20 * amounts('POSTPAID'));

    const open = items.filter((i) => cents(i.open_amount!) > 0);
    const dpd = (i: Row) => ASOF_DAY - day(i.due_date!);
    expect(open.filter((i) => dpd(i) > 180).length).toBeGreaterThan(0);
    expect(open.filter((i) => dpd(i) > 90).length / items.length).toBeGreaterThan(0.02);
    expect(open.filter((i) => dpd(i) <= 0).length / items.length).toBeGreaterThan(0.05);
    const cleared = items.filter((i) => cents(i.open_amount!) === 0).length / items.length;
    expect(cleared).toBeGreaterThan(0.3);
    expect(cleared).toBeLessThan(0.9);
    expect(open.some((i) => i.open_amount !== i.amount)).toBe(true); // partly paid
    expect(new Set(items.map((i) => i.currency)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(items.map((i) => i.profit_center)).size).toBeGreaterThanOrEqual(5);
    expect(items.some((i) => i.dunning_block === 'true')).toBe(true);
    // dunning grows with age
    const meanLevel = (xs: Row[]) => xs.reduce((s, i) => s + Number(i.dunning_level || 0), 0) / xs.length;
    expect(meanLevel(open.filter((i) => dpd(i) > 90 && i.dunning_level !== ''))).toBeGreaterThan(3);
    expect(meanLevel(open.filter((i) => dpd(i) <= 0))).toBe(0);
    expect(new Set(items.map((i) => i.dunning_level))).toEqual(new Set(['', '0', '1', '2', '3', '4']));
  });
});
