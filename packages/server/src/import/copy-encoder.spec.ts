import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportError } from './ar-import.errors';
import { encodeCsvForCopy, LookupMiss, type CopyOutput, type EncodeOptions } from './copy-encoder';
import { CSV_FILES, type CsvTable } from './csv-contract';
import { CsvSyntaxError, scanCsv } from './csv-reader';
import { escapeCopy, RowReader } from './row-encoder';

/** The file's bytes in pieces of `size` (splitting lines, quotes and UTF-8 sequences anywhere). */
function* pieces(text: string | Buffer, size: number): Generator<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const stageOutputs = (table: CsvTable): CopyOutput[] => [
  { kind: 'line' },
  ...CSV_FILES[table].columns.map((c): CopyOutput => ({ kind: 'cell', column: c.name })),
];

async function encode(table: CsvTable, text: string | Buffer, size: number, outputs = stageOutputs(table), options: EncodeOptions = {}) {
  const chunks: Buffer[] = [];
  const result = await encodeCsvForCopy(CSV_FILES[table], pieces(text, size), outputs, async (c) => void chunks.push(...c), { ...options, chunkBytes: 64 });
  return { ...result, copy: Buffer.concat(chunks).toString('utf8') };
}

/** The reference: string reader, cell parsers, COPY escaping. */
async function reference(table: CsvTable, text: string | Buffer): Promise<string> {
  const reader = new RowReader(CSV_FILES[table]);
  let copy = '';
  await scanCsv(pieces(text, 1 << 20), (line, cells) => {
    if (reader.read(line, cells)) copy += `${line}${reader.values.map((v) => `\t${v === null ? '\\N' : escapeCopy(v)}`).join('')}\n`;
  });
  reader.finish();
  return copy;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (e: unknown) => e,
  );
}

/** Cells of every shape a column meets: good ones, padded, other case, empty, escaped, quoted across lines, wrong. */
const CELLS: Record<string, string[]> = {
  id: ['P1', 'I00000042', 'a\\b', 'Ü1', ' P2 ', 'x'.repeat(40), 'x'.repeat(41), 'é'.repeat(41)],
  text: ['PC-MOBILE', '1000', 'Mü, An', 'tab\there', 'Two\nLines "q"', 'a\r\nb', ' PC ', '10000000000', 'x'.repeat(41)],
  date: ['2026-09-01', '2024-02-29', ' 2026-12-31', '2026-02-29', '1899-12-31', '2026-1-01', '2026/01/01'],
  amount: ['120.50', '-99.99', '0', '-0.0001', '15000.0001', '123456789012345', '1e5', '1.', '.5', '1.23456', '+1'],
  integer: ['1', '0002', ' 2 ', '12345', '-1'],
  boolean: ['true', 'false', 'TRUE', 'False', 'yes'],
  currency: ['EUR', 'eur', 'GbP', 'EU', 'ÄUR'],
  country: ['DE', 'de', 'D', 'DEU'],
};

/** A file of `table`: header in any order with extra columns, LF or CRLF, maybe a BOM; half the files valid, the others with a wrong cell now and then. */
const fileArb = (table: CsvTable) => {
  const columns = CSV_FILES[table].columns;
  const header = fc.shuffledSubarray([...columns.map((c) => c.name), 'extra'], { minLength: columns.length });
  return fc.tuple(header, fc.boolean()).chain(([header, valid]) => {
    const cellArb = (name: string) => {
      const column = columns.find((c) => c.name === name);
      const cells = CELLS[column?.type ?? 'text']!;
      const good = fc.constantFrom(...cells.slice(0, 3));
      if (valid) return column?.required === false ? fc.oneof(good, fc.constant('')) : good;
      return fc.oneof({ weight: 50, arbitrary: good }, { weight: 1, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(...cells) });
    };
    const quote = (cell: string, always: boolean) => (always || /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
    const record = fc
      .tuple(fc.tuple(...header.map(cellArb)), fc.boolean())
      .map(([cells, quoted]) => cells.map((c, i) => quote(c, quoted && i === 0)).join(','));
    return fc
      .record({ records: fc.array(record, { maxLength: 30 }), crlf: fc.boolean(), bom: fc.boolean(), size: fc.integer({ min: 1, max: 200 }) })
      .map(({ records, crlf, bom, size }) => ({ text: `${bom ? '\uFEFF' : ''}${[header.join(','), ...records].join(crlf ? '\r\n' : '\n')}\n`, size }));
  });
};

describe('encodeCsvForCopy on random files', () => {
  it.each(['open_items', 'partners'] as const)('writes what the reference writes, or fails as it does (%s)', async (table) => {
    await fc.assert(
      fc.asyncProperty(fileArb(table), async ({ text, size }) => {
        const message = (e: Error) => e.message;
        expect(await encode(table, text, size).then((r) => r.copy, message)).toBe(await reference(table, text).catch(message));
      }),
      { numRuns: 300 },
    );
  });
});

const PARTNERS =
  '\uFEFFsegment,partner_id,name,country,currency,risk_class,credit_limit,customer_type,extra\r\n' +
  'CONSUMER,P1,"Müller, Anna",de,eur,B,5000.00,POSTPAID,x\r\n' +
  'BUSINESS,P2,Acme Ltd,GB,GBP,,,CORPORATE,y\r\n' +
  '\r\n' +
  ' CONSUMER , P3 ,Tab\there,FR,EUR,A, 0.5 ,B2B,\r\n' +
  'CONSUMER,Pé,"Two\r\nLines ""quoted""",US,USD,C,12,B2B,z\r\n' +
  'CONSUMER,P5,Back\\slash,US,USD,C,1.2345,B2B,z\r\n' +
  'CONSUMER,P6,Ünïcödé ñame,ES,EUR,,0,B2B,z';

const ITEMS =
  'item_id,partner_id,company_code,document_date,due_date,amount,open_amount,currency,dunning_level,dunning_block,profit_center\n' +
  'I1,P1,1000,2026-09-01,2026-09-15,120.50,120.50,EUR,1,false,PC-MOBILE\n' +
  'I2,P1,1000,2024-02-29,2026-10-15,-99.99,40.01,EUR,,,\n' +
  'I3,P2,2000,2026-08-01,2026-08-31,15000.0001,15000.0001,gbp,0002,TRUE,PC-FIXED\n' +
  'I4,P2,2000,2026-08-01,2026-08-31,1,0,GBP, 2 ,False, PC \n';

describe('encodeCsvForCopy', () => {
  it.each([1, 2, 3, 7, 64, 1 << 20])('writes what the reference reader writes (input in pieces of %i bytes)', async (size) => {
    expect((await encode('partners', PARTNERS, size)).copy).toBe(await reference('partners', PARTNERS));
    expect((await encode('open_items', ITEMS, size)).copy).toBe(await reference('open_items', ITEMS));
  });

  it('copies checked cells byte for byte and normalises the rest', async () => {
    const { copy, rows } = await encode('open_items', ITEMS, 5);
    expect(rows).toBe(4);
    expect(copy.split('\n')[2]).toBe('4\tI3\tP2\t2000\t2026-08-01\t2026-08-31\t15000.0001\t15000.0001\tGBP\t0002\ttrue\tPC-FIXED');
    expect(copy.split('\n')[3]).toBe('5\tI4\tP2\t2000\t2026-08-01\t2026-08-31\t1\t0\tGBP\t2\tfalse\tPC');
  });

  it('writes the chosen outputs: fallbacks for empty cells and looked-up ids', async () => {
    const ids = new Map([
      ['P1', '101'],
      ['P2', '102'],
    ]);
    const outputs: CopyOutput[] = [
      { kind: 'cell', column: 'item_id' },
      { kind: 'lookup', column: 'partner_id', lookup: (id) => ids.get(id) },
      { kind: 'cell', column: 'dunning_level', fallback: '0' },
      { kind: 'cell', column: 'profit_center' },
    ];
    const { copy } = await encode('open_items', ITEMS, 3, outputs);
    expect(copy).toBe('I1\t101\t1\tPC-MOBILE\nI2\t101\t0\t\\N\nI3\t102\t0002\tPC-FIXED\nI4\t102\t2\tPC\n');
    const miss = await failure(encode('open_items', ITEMS.replace('I4,P2', 'I4,P9'), 3, outputs));
    expect(miss).toBeInstanceOf(LookupMiss);
    expect(miss).toMatchObject({ line: 5, column: 'partner_id' });
  });

  it('says whether the keys were strictly increasing and collects distinct values', async () => {
    const sorted = await encode('open_items', ITEMS, 4, undefined, { unique: 'item_id', distinct: 'company_code' });
    expect(sorted.uniqueChecked).toBe(true);
    expect([...sorted.distinct].sort()).toEqual(['1000', '2000']);
    const swapped = ITEMS.replace('I2,P1', 'I0,P1');
    expect((await encode('open_items', swapped, 4, undefined, { unique: 'item_id' })).uniqueChecked).toBe(false);
    const repeated = `${ITEMS}I4,P2,3000,2026-08-01,2026-08-31,1,0,GBP,,,\n`;
    const result = await encode('open_items', repeated, 4, undefined, { unique: 'item_id', distinct: 'company_code' });
    expect(result.uniqueChecked).toBe(false);
    expect(result.distinct.has('3000')).toBe(true);
  });

  it.each([
    ['a date that does not exist', ITEMS.replace('2026-08-31,15000', '2026-02-30,15000'), 4, 'due_date', /"2026-02-30" is not a valid ISO date/],
    ['five decimals', ITEMS.replace('120.50,120.50', '120.50,120.50001'), 2, 'open_amount', /not an amount/],
    ['an exponent', ITEMS.replace('-99.99', '1e5'), 3, 'amount', /not an amount/],
    ['a long dunning level', ITEMS.replace(',1,false', ',12345,false'), 2, 'dunning_level', /whole number/],
    ['a yes', ITEMS.replace('TRUE', 'yes'), 4, 'dunning_block', /not true or false/],
    ['a bad currency', ITEMS.replace('gbp', 'gb'), 4, 'currency', /ISO 4217/],
    ['a missing item id', ITEMS.replace('I2,P1', ',P1'), 3, 'item_id', /required/],
    ['a blank item id', ITEMS.replace('I2,P1', '  ,P1'), 3, 'item_id', /required/],
    ['a long id', ITEMS.replace('I2,P1', `${'x'.repeat(41)},P1`), 3, 'item_id', /longer than 40/],
    ['a long non-ASCII id', ITEMS.replace('I2,P1', `${'é'.repeat(41)},P1`), 3, 'item_id', /longer than 40/],
    ['a long company code', ITEMS.replace('P1,1000', 'P1,' + '1'.repeat(41)), 2, 'company_code', /longer than 40/],
    ['a row too short', ITEMS.replace(',PC-MOBILE', ''), 2, null, /has 10 cells where the header has 11/],
    ['a quoted row too long', ITEMS.replace('PC-MOBILE', '"PC,MOBILE",x'), 2, null, /has 12 cells/],
    ['a quote never closed', `${ITEMS}I5,P2,2000,2026-08-01,2026-08-31,1,0,GBP,,,"open\n`, 6, null, /never closed/],
  ])('refuses %s as the reference does', async (_label, text, line, column, message) => {
    const [error, expected] = await Promise.all([failure(encode('open_items', text, 3)), failure(reference('open_items', text))]);
    const normalise = (e: unknown) => (e instanceof CsvSyntaxError ? new ImportError('open_items.csv', e.line, null, e.message) : e);
    expect(normalise(error)).toBeInstanceOf(ImportError);
    expect(normalise(error)).toMatchObject({ line, column });
    expect((normalise(error) as Error).message).toMatch(message);
    expect((normalise(error) as Error).message).toBe((normalise(expected) as Error).message);
  });

  it('names the line of bytes that are not UTF-8, and refuses a file without header', async () => {
    const bytes = Buffer.concat([
      Buffer.from(ITEMS.slice(0, ITEMS.indexOf('I3'))),
      Buffer.from([0x49, 0xff, 0x33]),
      Buffer.from(ITEMS.slice(ITEMS.indexOf('I3') + 2)),
    ]);
    const error = await failure(encode('open_items', bytes, 16));
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect(error).toMatchObject({ line: 4, message: 'the file is not valid UTF-8' });
    await expect(encode('open_items', '', 4)).rejects.toThrow(/the file is empty/);
    await expect(encode('open_items', ITEMS.replace('due_date', 'due'), 4)).rejects.toThrow(/header has no column due_date/);
  });
});
