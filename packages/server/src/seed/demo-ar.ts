/**
 * Deterministic, realistic synthetic accounts receivable for a telecom operator with a
 * B2B business, written in the CSV import contract (../import/csv-contract.ts).
 *
 * Every table can be generated on its own, in one pass over the partners: everything of
 * partner i is derived from a small PRNG keyed by (seed, i), so a table that references
 * another (payments -> open items) simply rebuilds the partner's model, which is cheap.
 * Ids are derived from the partner index (partner i owns item ids i*100+1 .. i*100+99,
 * payment ids likewise, promises and disputes i*10+1 .. i*10+9), so they are stable for a
 * given (seed, i) whatever the number of partners, and a re-import upserts the same rows.
 *
 * Everything is relative to `asOf`: documents, payments, contacts and disputes are dated on
 * or before it; only due dates and open promises' promised dates may lie after it.
 *
 * Promise judging semantics the data is built for (tolerance 3 days, asOf = D): paid = sum
 * of payments on the promise's item dated from created_date to promised_date + 3 and on or
 * before D; paid >= amount -> KEPT; otherwise, once D > promised_date + 3, PARTIALLY_KEPT if
 * paid > 0 else BROKEN; otherwise OPEN.
 */
import { CSV_FILES, DISPUTE_STATUSES, type CsvTable } from '../import';

export interface DemoArOptions {
  /** Number of business partners (customers) to generate. */
  partners: number;
  /** PRNG seed, default 1. Same (seed, partner index, asOf) -> same rows. */
  seed?: number;
  /** ISO date (YYYY-MM-DD): the "today" the data is generated around. */
  asOf: string;
}

/** Every currency the generator uses (partners, items, payments); fx_rates covers all ordered pairs. */
export const DEMO_CURRENCIES = ['EUR', 'GBP', 'USD', 'CHF', 'PLN', 'SEK', 'JPY'] as const;
/** Collection segment keys (partners.segment), derived from the customer type. */
export const DEMO_SEGMENTS = ['CONSUMER', 'BUSINESS', 'WHOLESALE'] as const;
/** partners.customer_type values. */
export const DEMO_CUSTOMER_TYPES = ['PREPAID', 'POSTPAID', 'B2B', 'CORPORATE', 'WHOLESALE'] as const;
/** Segment of each customer type. */
export const DEMO_SEGMENT_OF_TYPE: Readonly<Record<(typeof DEMO_CUSTOMER_TYPES)[number], (typeof DEMO_SEGMENTS)[number]>> = {
  PREPAID: 'CONSUMER',
  POSTPAID: 'CONSUMER',
  B2B: 'BUSINESS',
  CORPORATE: 'BUSINESS',
  WHOLESALE: 'WHOLESALE',
};
export const DEMO_RISK_CLASSES = ['A', 'B', 'C', 'D', 'E'] as const;
export const DEMO_PROFIT_CENTERS = ['PC-MOBILE', 'PC-FIXED', 'PC-TV', 'PC-DEVICES', 'PC-ICT', 'PC-WHOLESALE', 'PC-ROAMING'] as const;
/** Company codes: each books in one currency (an item's company code follows its currency). */
export const DEMO_COMPANY_CODES = [
  { code: '1000', country: 'DE', currency: 'EUR' },
  { code: '1100', country: 'FR', currency: 'EUR' },
  { code: '1200', country: 'ES', currency: 'EUR' },
  { code: '1300', country: 'IT', currency: 'EUR' },
  { code: '1400', country: 'NL', currency: 'EUR' },
  { code: '2000', country: 'GB', currency: 'GBP' },
  { code: '3000', country: 'US', currency: 'USD' },
  { code: '4000', country: 'CH', currency: 'CHF' },
  { code: '5000', country: 'PL', currency: 'PLN' },
  { code: '6000', country: 'SE', currency: 'SEK' },
  { code: '7000', country: 'JP', currency: 'JPY' },
] as const;
export const DEMO_DISPUTE_REASONS = [
  'PRICE',
  'QUANTITY',
  'SERVICE_OUTAGE',
  'BILLING_ERROR',
  'ROAMING_CHARGES',
  'CONTRACT_TERMS',
  'DUPLICATE_INVOICE',
  'NOT_RECEIVED',
  'TRAFFIC_VOLUME',
  'RATE_DISAGREEMENT',
] as const;
export const DEMO_CONTACT_CHANNELS = ['PHONE', 'EMAIL', 'SMS', 'LETTER'] as const;
export const DEMO_CONTACT_RESULTS = [
  'PROMISE_GIVEN',
  'NO_ANSWER',
  'VOICEMAIL',
  'WRONG_NUMBER',
  'CALLBACK',
  'PAYMENT_CONFIRMED',
  'REFUSED_TO_PAY',
  'HARDSHIP',
  'INFO_PROVIDED',
  'DISPUTE_RAISED',
  'REMINDER_SENT',
  'BOUNCED',
  'BILLING_QUESTION',
] as const;

/** RFC 4180 cell: quoted (with doubled quotes) only if it contains a comma, quote or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The CSV text of one table: the header line first, then batches of whole lines (~512 KB),
 * each ending in "\n". Options are validated eagerly; the rows are generated lazily.
 */
export function demoArTable(table: CsvTable, options: DemoArOptions): IterableIterator<string> {
  const spec = CSV_FILES[table];
  if (!spec) throw new Error(`unknown CSV table ${String(table)}`);
  return generateTable(table, spec.columns, makeContext(options));
}

function* generateTable(table: CsvTable, columns: readonly { name: string }[], ctx: Context): Generator<string, void, undefined> {
  yield columns.map((c) => c.name).join(',') + '\n';
  if (table === 'fx_rates') {
    yield fxRatesCsv(ctx);
    return;
  }
  const writer = WRITERS[table];
  const model = new PartnerModel(ctx);
  const level = table === 'partners' ? LEVEL_PARTNER : table === 'contacts' ? LEVEL_CONTACTS : LEVEL_ITEMS;
  let out = '';
  for (let i = 0; i < ctx.partners; i++) {
    model.build(i, level);
    out += writer(model);
    if (out.length >= FLUSH_CHARS) {
      yield out;
      out = '';
    }
  }
  if (out.length > 0) yield out;
}

/** One partner of the demo's master data, as partners.csv has it, with what a simulation of its AR needs. */
export interface DemoPartner {
  /** partners.csv line (with its newline). */
  line: string;
  partnerId: string;
  /** Index into DEMO_CUSTOMER_TYPES. */
  type: number;
  /** Index into DEMO_SEGMENTS. */
  segment: number;
  /** Index into DEMO_CURRENCIES. */
  currency: number;
  /** Index into DEMO_RISK_CLASSES, -1 without a risk class. */
  risk: number;
  /** The company code its items are booked in. */
  companyCode: string;
}

/** Decimals of each of DEMO_CURRENCIES (JPY has none). */
export const DEMO_CURRENCY_DECIMALS: readonly number[] = [2, 2, 2, 2, 2, 2, 0];
/** Units of each of DEMO_CURRENCIES per EUR (the level the fx rates drift around). */
export const DEMO_UNITS_PER_EUR: readonly number[] = [1, 0.85, 1.08, 0.95, 4.3, 11.3, 160];

/**
 * The partner master of the demo (exactly partners.csv of `demoArTable`): the same partners,
 * names, segments and risk classes for the same (seed, index), so a simulated history keeps the
 * demo's organisation and what tests know of it.
 */
export function* demoPartners(options: DemoArOptions): Generator<DemoPartner, void, undefined> {
  const ctx = makeContext(options);
  const model = new PartnerModel(ctx);
  for (let i = 0; i < ctx.partners; i++) {
    model.build(i, LEVEL_PARTNER);
    const risk = DEMO_RISK_CLASSES.indexOf(model.risk as (typeof DEMO_RISK_CLASSES)[number]);
    yield {
      line: WRITERS.partners(model),
      partnerId: model.pid,
      type: model.type,
      segment: TYPE_SEGMENT[model.type]!,
      currency: model.currency,
      risk,
      companyCode: DEMO_COMPANY_CODES[COUNTRIES[model.country]!.company]!.code,
    };
  }
}

// ---------------------------------------------------------------------------------------
// Context, PRNG, formatting

const FLUSH_CHARS = 512 * 1024;
const DAYS_BACK = 2200;
const DAYS_AHEAD = 500;

interface Context {
  partners: number;
  seed: number;
  asOf: number; // day number (days since 1970-01-01)
  asOfIso: string;
  firstDay: number;
  days: string[]; // ISO string of day firstDay + k
}

function parseIsoDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`asOf must be an ISO date (YYYY-MM-DD), got ${JSON.stringify(iso)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== iso) throw new Error(`asOf is not a valid date: ${iso}`);
  return ms / 86_400_000;
}

function makeContext(options: DemoArOptions): Context {
  const { partners, asOf } = options;
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(partners) || partners < 0) throw new Error(`partners must be a non-negative integer, got ${partners}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const day = parseIsoDay(asOf);
  const firstDay = day - DAYS_BACK;
  const days: string[] = new Array(DAYS_BACK + DAYS_AHEAD + 1);
  for (let k = 0; k < days.length; k++) days[k] = new Date((firstDay + k) * 86_400_000).toISOString().slice(0, 10);
  return { partners, seed, asOf: day, asOfIso: asOf, firstDay, days };
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit key of the PRNG stream `stream` of partner i. */
export function streamKey(seed: number, i: number, stream: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  let h = fmix32(lo ^ 0x9e3779b9);
  h = fmix32(h ^ hi ^ Math.imul(stream + 1, 0x27d4eb2f));
  h = fmix32(h ^ Math.imul(i + 1, 0x165667b1));
  return fmix32(h ^ (Math.floor(i / 4294967296) >>> 0));
}

/** mulberry32. */
export class Rng {
  private s = 0;
  reset(key: number): void {
    this.s = key | 0;
  }
  next(): number {
    const s = (this.s = (this.s + 0x6d2b79f5) | 0);
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Approximately standard normal (Irwin-Hall of 4). */
  normal(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7320508075688772;
  }
  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)]!;
  }
  /** Index drawn with the given (not necessarily normalised) weights. */
  weighted(weights: readonly number[], total: number): number {
    let r = this.next() * total;
    const last = weights.length - 1;
    for (let k = 0; k < last; k++) {
      r -= weights[k]!;
      if (r < 0) return k;
    }
    return last;
  }
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000', '000000000'];
function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : ZEROS[width - s.length] + s;
}
const partnerId = (i: number): string => 'P' + pad(i + 1, 7);

// ---------------------------------------------------------------------------------------
// Reference data

const CUR_EUR = 0;
const CUR_USD = 2;
const CUR_DECIMALS = DEMO_CURRENCY_DECIMALS;
/** Units of the currency per EUR (base for the fx drift and for scaling amounts). */
const CUR_PER_EUR = DEMO_UNITS_PER_EUR;
/** Company code (index into DEMO_COMPANY_CODES) for items booked in a currency other than the partner country's. */
const CUR_COMPANY = [0, 5, 6, 7, 8, 9, 10];

const LANG_DE = 0,
  LANG_FR = 1,
  LANG_ES = 2,
  LANG_IT = 3,
  LANG_NL = 4,
  LANG_EN = 5,
  LANG_PL = 6,
  LANG_SV = 7,
  LANG_JA = 8;

interface Country {
  code: string;
  currency: number;
  lang: number;
  company: number; // company code index for items in the country's currency
  legal: readonly string[];
}
const COUNTRIES: readonly Country[] = [
  { code: 'DE', currency: 0, lang: LANG_DE, company: 0, legal: ['GmbH', 'GmbH', 'AG', 'GmbH & Co KG', 'KG'] },
  { code: 'AT', currency: 0, lang: LANG_DE, company: 0, legal: ['GmbH', 'AG', 'KG'] },
  { code: 'FR', currency: 0, lang: LANG_FR, company: 1, legal: ['SARL', 'SAS', 'SA'] },
  { code: 'BE', currency: 0, lang: LANG_FR, company: 1, legal: ['SRL', 'SA', 'BV'] },
  { code: 'ES', currency: 0, lang: LANG_ES, company: 2, legal: ['SL', 'SL', 'SA'] },
  { code: 'IT', currency: 0, lang: LANG_IT, company: 3, legal: ['Srl', 'Srl', 'SpA'] },
  { code: 'NL', currency: 0, lang: LANG_NL, company: 4, legal: ['BV', 'BV', 'NV'] },
  { code: 'GB', currency: 1, lang: LANG_EN, company: 5, legal: ['Ltd', 'Ltd', 'plc', 'LLP'] },
  { code: 'US', currency: 2, lang: LANG_EN, company: 6, legal: ['Inc', 'LLC', 'Corp'] },
  { code: 'CH', currency: 3, lang: LANG_DE, company: 7, legal: ['AG', 'GmbH', 'SA'] },
  { code: 'PL', currency: 4, lang: LANG_PL, company: 8, legal: ['Sp z o.o.', 'Sp z o.o.', 'SA'] },
  { code: 'SE', currency: 5, lang: LANG_SV, company: 9, legal: ['AB'] },
  { code: 'JP', currency: 6, lang: LANG_JA, company: 10, legal: ['KK', 'Co Ltd'] },
];
//                          DE  AT  FR  BE  ES  IT  NL  GB  US  CH  PL  SE  JP
const COUNTRY_W_CONSUMER = [30, 3, 14, 3, 11, 11, 6, 10, 0, 4, 5, 3, 0];
const COUNTRY_W_BUSINESS = [28, 3, 12, 3, 9, 9, 7, 12, 4, 5, 4, 4, 0];
const COUNTRY_W_WHOLESALE = [12, 2, 8, 3, 5, 5, 6, 14, 18, 5, 5, 5, 12];

const T_PREPAID = 0,
  T_POSTPAID = 1,
  T_B2B = 2,
  T_CORPORATE = 3,
  T_WHOLESALE = 4;
const TYPE_W = [12, 72, 10, 5, 1];
const TYPE_SEGMENT = [0, 0, 1, 1, 2];

const B_GOOD = 0,
  B_SLOW = 1,
  B_BAD = 2,
  B_DEFAULTED = 3;
const BEHAVIOUR_W = [
  [70, 15, 11, 4], // PREPAID
  [64, 21, 11, 4], // POSTPAID
  [58, 26, 12, 4], // B2B
  [52, 38, 9, 1], // CORPORATE
  [45, 42, 11, 2], // WHOLESALE
];
const RISK_W = [
  [45, 40, 12, 3, 0],
  [10, 35, 40, 12, 3],
  [2, 13, 35, 35, 15],
  [0, 5, 15, 35, 45],
];
const RISK_EMPTY = [0.25, 0.1, 0.06, 0.03, 0.02];

interface TypeParams {
  minItems: number;
  maxItems: number;
  /** Number of billing accounts / contracts billed separately (items per month). */
  minContracts: number;
  maxContracts: number;
  terms: readonly number[];
  median: number; // EUR
  partnerSigma: number;
  itemSigma: number;
  pcW: readonly number[];
  disputeP: number;
  onAccountP: number;
}
//           PC:  MOBILE FIXED TV DEVICES ICT WHOLESALE ROAMING
const PC_FACTOR = [1, 0.9, 0.75, 1.6, 1.2, 1, 0.6];
const PC_DEVICES = 3;
const TYPES: readonly TypeParams[] = [
  {
    minItems: 1,
    maxItems: 3,
    minContracts: 1,
    maxContracts: 1,
    terms: [14],
    median: 18,
    partnerSigma: 0.4,
    itemSigma: 0.3,
    pcW: [60, 0, 0, 40, 0, 0, 0],
    disputeP: 0.01,
    onAccountP: 0.02,
  },
  {
    minItems: 1,
    maxItems: 8,
    minContracts: 1,
    maxContracts: 1,
    terms: [14, 14, 14, 30],
    median: 42,
    partnerSigma: 0.45,
    itemSigma: 0.25,
    pcW: [55, 28, 17, 0, 0, 0, 0],
    disputeP: 0.025,
    onAccountP: 0.03,
  },
  {
    minItems: 3,
    maxItems: 13,
    minContracts: 1,
    maxContracts: 2,
    terms: [30],
    median: 380,
    partnerSigma: 0.8,
    itemSigma: 0.35,
    pcW: [40, 35, 0, 0, 25, 0, 0],
    disputeP: 0.06,
    onAccountP: 0.06,
  },
  {
    minItems: 8,
    maxItems: 22,
    minContracts: 2,
    maxContracts: 4,
    terms: [30, 30, 60],
    median: 5500,
    partnerSigma: 1.0,
    itemSigma: 0.4,
    pcW: [30, 25, 0, 0, 45, 0, 0],
    disputeP: 0.12,
    onAccountP: 0.1,
  },
  {
    minItems: 6,
    maxItems: 18,
    minContracts: 1,
    maxContracts: 3,
    terms: [30, 60],
    median: 45000,
    partnerSigma: 1.0,
    itemSigma: 0.5,
    pcW: [0, 0, 0, 0, 0, 70, 30],
    disputeP: 0.25,
    onAccountP: 0.1,
  },
];
const TYPE_W_TOTAL = sum(TYPE_W);

const DISPUTE_REASONS_RETAIL = [0, 1, 2, 3, 3, 3, 4, 5, 6, 7];
const DISPUTE_REASONS_WHOLESALE = [0, 3, 6, 8, 8, 9, 9, 5];

const CH_PHONE = 0,
  CH_EMAIL = 1,
  CH_SMS = 2; // 3 = LETTER
const R_PROMISE = 0,
  R_NO_ANSWER = 1,
  R_VOICEMAIL = 2,
  R_WRONG_NUMBER = 3,
  R_CALLBACK = 4,
  R_PAYMENT_CONFIRMED = 5;
const R_REFUSED = 6,
  R_HARDSHIP = 7,
  R_INFO = 8,
  R_DISPUTE = 9,
  R_REMINDER = 10,
  R_BOUNCED = 11,
  R_BILLING_QUESTION = 12;
const CHANNEL_W_CONSUMER = [30, 25, 30, 15];
const CHANNEL_W_BUSINESS = [50, 40, 0, 10];
const REACHED_CALL_RESULTS = [R_CALLBACK, R_CALLBACK, R_PAYMENT_CONFIRMED, R_PAYMENT_CONFIRMED, R_REFUSED, R_HARDSHIP, R_INFO, R_INFO];
const INBOUND_CALL_RESULTS = [R_PAYMENT_CONFIRMED, R_PAYMENT_CONFIRMED, R_INFO, R_HARDSHIP, R_BILLING_QUESTION];
const UNREACHED_CALL_RESULTS = [R_NO_ANSWER, R_NO_ANSWER, R_NO_ANSWER, R_VOICEMAIL, R_VOICEMAIL, R_WRONG_NUMBER];

// Names (ASCII). '|' separated so that names may contain spaces.
const words = (s: string): string[] => s.split('|');
const FIRST = [
  words('Lukas|Anna|Jonas|Lea|Felix|Marie|Paul|Sophie|Maximilian|Laura|Leon|Julia|Tobias|Katharina|Stefan|Sabine|Michael|Petra|Thomas|Claudia'),
  words('Jean|Marie|Pierre|Camille|Louis|Chloe|Nicolas|Julie|Antoine|Manon|Thomas|Lea|Hugo|Sarah|Philippe|Nathalie'),
  words('Antonio|Maria|Jose|Carmen|Manuel|Ana|Francisco|Laura|David|Lucia|Javier|Marta|Carlos|Elena|Pablo|Sara'),
  words('Giuseppe|Maria|Giovanni|Anna|Antonio|Francesca|Marco|Giulia|Luca|Chiara|Andrea|Sara|Alessandro|Elena|Matteo|Paola'),
  words('Daan|Emma|Sem|Julia|Lucas|Sophie|Milan|Tess|Jesse|Anna|Thijs|Lotte|Bram|Eva|Ruben|Sanne'),
  words('James|Olivia|William|Emily|Oliver|Charlotte|Harry|Sophie|George|Amelia|Jack|Jessica|Thomas|Grace|Daniel|Hannah|Michael|Sarah'),
  words('Jan|Anna|Piotr|Maria|Krzysztof|Katarzyna|Andrzej|Malgorzata|Tomasz|Agnieszka|Pawel|Barbara|Michal|Ewa|Marcin|Joanna'),
  words('Erik|Anna|Lars|Maria|Karl|Eva|Anders|Karin|Johan|Sara|Per|Emma|Nils|Elin|Oskar|Ingrid'),
  words('Hiroshi|Yuki|Takeshi|Akiko|Kenji|Naoko|Satoshi|Yumi'),
];
const LAST = [
  words(
    'Mueller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Koch|Richter|Klein|Wolf|Neumann|Schwarz|Zimmermann|Braun|Hartmann|Krueger',
  ),
  words('Martin|Bernard|Dubois|Durand|Lefebvre|Moreau|Laurent|Simon|Michel|Garnier|David|Bertrand|Roux|Vincent|Fournier|Morel|Girard|Lambert'),
  words('Garcia|Rodriguez|Gonzalez|Fernandez|Lopez|Martinez|Sanchez|Perez|Gomez|Martin|Jimenez|Ruiz|Hernandez|Diaz|Moreno|Alvarez'),
  words('Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno|Gallo|Conti|De Luca|Costa|Giordano'),
  words('de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters'),
  words('Smith|Jones|Williams|Taylor|Brown|Davies|Evans|Wilson|Thomas|Johnson|Roberts|Robinson|Thompson|Wright|Walker|White|Hughes|Edwards'),
  words('Nowak|Kowalski|Wisniewski|Wojcik|Kowalczyk|Kaminski|Lewandowski|Zielinski|Szymanski|Wozniak|Dabrowski|Kozlowski|Jankowski|Mazur|Kwiatkowski|Krawczyk'),
  words('Andersson|Johansson|Karlsson|Nilsson|Eriksson|Larsson|Olsson|Persson|Svensson|Gustafsson|Pettersson|Jonsson|Lindberg|Lindqvist|Berg|Holm'),
  words('Sato|Suzuki|Takahashi|Tanaka|Watanabe|Ito|Yamamoto|Nakamura|Kobayashi|Kato'),
];
const TRADE = [
  words('Logistik|Bau|Consulting|Elektro|Technik|Handel|Medien|Immobilien|Maschinenbau|Software|Energie|Transport'),
  words('Logistique|Conseil|Batiment|Transports|Distribution|Informatique|Industrie|Services|Immobilier|Energie'),
  words('Construcciones|Logistica|Consultoria|Distribuciones|Servicios|Informatica|Transportes|Energia|Inmobiliaria'),
  words('Costruzioni|Logistica|Consulenze|Trasporti|Servizi|Informatica|Impianti|Distribuzione|Energia|Immobiliare'),
  words('Logistiek|Bouw|Advies|Techniek|Transport|Installatie|Handel|Software|Vastgoed|Energie'),
  words('Logistics|Consulting|Engineering|Construction|Retail|Media|Systems|Solutions|Trading|Holdings|Foods|Transport|Software|Energy'),
  words('Logistyka|Budownictwo|Doradztwo|Transport|Handel|Serwis|Energia|Informatyka'),
  words('Logistik|Bygg|Konsult|Teknik|Transport|Handel|Energi|Data|Fastigheter'),
  words('Shoji|Sangyo|Denki|Systems|Trading|Logistics'),
];
const BRAND_PREFIX = words(
  'Nordic|Atlantic|Pacific|Alpine|Continental|Euro|Global|Baltic|Iberia|Meridian|Polar|Trans|United|Helix|Orbit|Summit|Crescent|Vertex',
);
const CARRIER_CORE = words('Telecom|Carrier Services|Networks|Communications|Mobile|Connect|Fibre|Voice|Wireless|Interconnect');

// ---------------------------------------------------------------------------------------
// The per-partner model

const LEVEL_PARTNER = 0;
const LEVEL_ITEMS = 1; // items, payments, promises, disputes
const LEVEL_CONTACTS = 2;

const MAX_ITEMS = 24;
const PAY_SLOTS = 4;
const MAX_PROMISES = 3;
const MAX_DISPUTES = 2;
const MAX_ON_ACCOUNT = 2;
const MAX_CONTACTS = 32;
const ITEM_STRIDE = 100;
const PAYMENT_STRIDE = 100;
const PROMISE_STRIDE = 10;
const DISPUTE_STRIDE = 10;
const CONTACT_STRIDE = 100;
if (
  MAX_ITEMS >= ITEM_STRIDE ||
  MAX_ITEMS * PAY_SLOTS + MAX_ON_ACCOUNT >= PAYMENT_STRIDE ||
  MAX_PROMISES >= PROMISE_STRIDE ||
  MAX_DISPUTES >= DISPUTE_STRIDE ||
  MAX_CONTACTS >= CONTACT_STRIDE ||
  Math.max(...TYPES.map((t) => t.maxItems)) > MAX_ITEMS
) {
  throw new Error('demo-ar: id strides too small for the per-partner maxima');
}

const PO_OPEN = 0,
  PO_KEPT = 1,
  PO_PARTIAL = 2,
  PO_BROKEN = 3,
  PO_CANCELLED = 4;
const DS_OPEN = 0,
  DS_IN_PROCESS = 1;
const DISPUTE_STATUS_W = [
  [60, 40, 0, 0, 0], // younger than 30 days
  [20, 40, 20, 15, 5], // 30..90 days
  [5, 15, 35, 20, 25], // older
];

/** What the items of one partner share, drawn once before them. */
interface ItemPlan {
  /** Billing accounts billed separately (items per month). */
  contracts: number;
  /** Days between two invoices. */
  interval: number;
  /** Age in days of the next item's document date (items are built newest first). */
  age: number;
  /** Payment terms in days. */
  terms: number;
  /** The partner's typical item amount, EUR. */
  partnerScale: number;
  mainPc: number;
  /** A second currency some items are billed in, -1 = none. */
  foreignCur: number;
  /** A defaulted customer's newest items, never paid. */
  unpaidRecent: number;
}

class PartnerModel {
  private readonly rng = new Rng();
  private readonly ctx: Context;
  readonly asOf: number;

  index = 0;
  pid = '';
  type = 0;
  country = 0;
  currency = 0;
  behaviour = 0;
  risk = '';
  /** Minor units of the partner currency, -1 = none. */
  creditLimit = -1;
  name = '';

  nItems = 0;
  readonly doc = new Int32Array(MAX_ITEMS);
  readonly due = new Int32Array(MAX_ITEMS);
  /** Minor units (cents; yen for JPY). */
  readonly amount = new Float64Array(MAX_ITEMS);
  readonly itemCur = new Uint8Array(MAX_ITEMS);
  readonly company = new Uint8Array(MAX_ITEMS);
  readonly pc = new Int8Array(MAX_ITEMS);
  readonly block = new Uint8Array(MAX_ITEMS);
  readonly payN = new Uint8Array(MAX_ITEMS);
  readonly payDay = new Int32Array(MAX_ITEMS * PAY_SLOTS);
  readonly payAmt = new Float64Array(MAX_ITEMS * PAY_SLOTS);

  nPromises = 0;
  readonly promItem = new Int8Array(MAX_PROMISES);
  readonly promCreated = new Int32Array(MAX_PROMISES);
  readonly promPromised = new Int32Array(MAX_PROMISES);
  readonly promAmt = new Float64Array(MAX_PROMISES);
  readonly promCancelled = new Uint8Array(MAX_PROMISES);

  nDisputes = 0;
  readonly dispItem = new Int8Array(MAX_DISPUTES);
  readonly dispCreated = new Int32Array(MAX_DISPUTES);
  readonly dispAmt = new Float64Array(MAX_DISPUTES);
  readonly dispStatus = new Uint8Array(MAX_DISPUTES);
  readonly dispReason = new Int8Array(MAX_DISPUTES);

  nOnAccount = 0;
  readonly onAccDay = new Int32Array(MAX_ON_ACCOUNT);
  readonly onAccAmt = new Float64Array(MAX_ON_ACCOUNT);

  nContacts = 0;
  readonly conDay = new Int32Array(MAX_CONTACTS);
  readonly conChannel = new Uint8Array(MAX_CONTACTS);
  readonly conInbound = new Uint8Array(MAX_CONTACTS);
  readonly conReached = new Uint8Array(MAX_CONTACTS);
  readonly conResult = new Int8Array(MAX_CONTACTS);
  readonly conOrder = new Uint8Array(MAX_CONTACTS);

  constructor(ctx: Context) {
    this.ctx = ctx;
    this.asOf = ctx.asOf;
  }

  /** The partner's PRNG for its history rows: a stream of its own, so the other tables are drawn as before. */
  historyRng(): Rng {
    this.historyStream.reset(streamKey(this.ctx.seed, this.index, 3));
    return this.historyStream;
  }
  private readonly historyStream = new Rng();

  date(day: number): string {
    return this.ctx.days[day - this.ctx.firstDay]!;
  }

  build(i: number, level: number): void {
    this.index = i;
    this.pid = partnerId(i);
    this.rng.reset(streamKey(this.ctx.seed, i, 0));
    this.buildPartner();
    if (level === LEVEL_PARTNER) return;
    this.buildItems();
    this.buildPromises();
    this.buildDisputes();
    this.buildOnAccount();
    if (level === LEVEL_CONTACTS) {
      this.rng.reset(streamKey(this.ctx.seed, i, 1));
      this.buildContacts();
    }
  }

  // --- partner -------------------------------------------------------------------------

  private buildPartner(): void {
    const rng = this.rng;
    const type = (this.type = rng.weighted(TYPE_W, TYPE_W_TOTAL));
    const cw = type <= T_POSTPAID ? COUNTRY_W_CONSUMER : type === T_WHOLESALE ? COUNTRY_W_WHOLESALE : COUNTRY_W_BUSINESS;
    this.country = rng.weighted(cw, 100);
    const country = COUNTRIES[this.country]!;
    this.currency = country.currency;
    const behaviour = (this.behaviour = rng.weighted(BEHAVIOUR_W[type]!, 100));
    this.risk = rng.chance(RISK_EMPTY[type]!) ? '' : DEMO_RISK_CLASSES[rng.weighted(RISK_W[behaviour]!, 100)]!;

    let limitEur = -1;
    switch (type) {
      case T_PREPAID:
        if (rng.chance(0.03)) limitEur = 50 * rng.int(1, 4);
        break;
      case T_POSTPAID:
        if (rng.chance(0.3)) limitEur = rng.pick([100, 150, 200, 300, 500, 800, 1000, 1500]);
        break;
      case T_B2B:
        if (rng.chance(0.85)) limitEur = 15_000 * Math.exp(0.8 * rng.normal());
        break;
      case T_CORPORATE:
        if (rng.chance(0.95)) limitEur = 300_000 * Math.exp(0.9 * rng.normal());
        break;
      default:
        limitEur = 1_500_000 * Math.exp(0.8 * rng.normal());
    }
    this.creditLimit = limitEur < 0 ? -1 : niceRound(limitEur * CUR_PER_EUR[this.currency]!) * 10 ** CUR_DECIMALS[this.currency]!;
    this.name = this.makeName(country);
  }

  private makeName(country: Country): string {
    const rng = this.rng;
    const lang = country.lang;
    const first = FIRST[lang]!;
    const last = LAST[lang]!;
    switch (this.type) {
      case T_PREPAID:
      case T_POSTPAID:
        return `${rng.pick(first)} ${rng.pick(last)}`;
      case T_B2B: {
        const r = rng.next();
        if (r < 0.3) return `${rng.pick(first)} ${rng.pick(last)} ${rng.pick(TRADE[lang]!)}`;
        if (r < 0.8) return `${rng.pick(last)} ${rng.pick(TRADE[lang]!)} ${rng.pick(country.legal)}`;
        return `${rng.pick(last)} & ${rng.pick(last)} ${rng.pick(country.legal)}`;
      }
      case T_CORPORATE: {
        const r = rng.next();
        if (r < 0.5) return `${rng.pick(BRAND_PREFIX)} ${rng.pick(TRADE[lang]!)} ${rng.pick(country.legal)}`;
        if (r < 0.85) return `${rng.pick(last)} ${rng.pick(TRADE[lang]!)} ${rng.pick(country.legal)}`;
        return `${rng.pick(last)} Group ${rng.pick(country.legal)}`;
      }
      default:
        return `${rng.pick(BRAND_PREFIX)} ${rng.pick(CARRIER_CORE)} ${rng.pick(country.legal)}`;
    }
  }

  // --- items and their payment history ---------------------------------------------------

  private addPayment(j: number, day: number, amt: number): void {
    const k = this.payN[j]!;
    if (k >= PAY_SLOTS) throw new Error('demo-ar: too many payments on one item');
    this.payDay[j * PAY_SLOTS + k] = day;
    this.payAmt[j * PAY_SLOTS + k] = amt;
    this.payN[j] = k + 1;
  }

  /** Drops the item's payments dated on or after `day`; returns what is still open before `day`. */
  private truncatePayments(j: number, day: number): number {
    let kept = 0;
    let paid = 0;
    const base = j * PAY_SLOTS;
    for (let k = 0; k < this.payN[j]!; k++) {
      const d = this.payDay[base + k]!;
      if (d < day) {
        const a = this.payAmt[base + k]!;
        this.payDay[base + kept] = d;
        this.payAmt[base + kept] = a;
        paid += a;
        kept++;
      }
    }
    this.payN[j] = kept;
    return this.amount[j]! - paid;
  }

  openAmount(j: number): number {
    let open = this.amount[j]!;
    const base = j * PAY_SLOTS;
    for (let k = 0; k < this.payN[j]!; k++) open -= this.payAmt[base + k]!;
    return open;
  }

  lastPaymentDay(j: number): number {
    let last = -Infinity;
    const base = j * PAY_SLOTS;
    for (let k = 0; k < this.payN[j]!; k++) last = Math.max(last, this.payDay[base + k]!);
    return last;
  }

  /** A share of `total` (minor units) in [lo, hi], rounded to whole currency units when large enough, kept in [1, total - 1]. */
  private share(total: number, lo: number, hi: number, cur: number): number {
    let x = total * (lo + (hi - lo) * this.rng.next());
    const unit = 10 ** CUR_DECIMALS[cur]!;
    x = x >= 20 * unit ? Math.round(x / unit) * unit : Math.round(x);
    return Math.min(Math.max(x, 1), total - 1);
  }

  private buildItems(): void {
    const plan = this.planItems();
    for (let j = 0; j < this.nItems; j++) {
      this.dateItem(j, plan);
      this.priceItem(j, plan);
      this.block[j] = 0;
      this.payN[j] = 0;
      this.payItem(j, plan.unpaidRecent);
    }
  }

  /** Draws what the partner's items share: how many, how often billed, on what terms, how large. */
  private planItems(): ItemPlan {
    const rng = this.rng;
    const tp = TYPES[this.type]!;
    const defaulted = this.behaviour === B_DEFAULTED;
    this.nItems = Math.min(MAX_ITEMS, rng.int(tp.minItems, tp.maxItems));
    const contracts = rng.int(tp.minContracts, tp.maxContracts);
    const interval = Math.round(30 / contracts);
    // A defaulted customer's service was barred some time ago: no invoices since then.
    const barred = defaulted ? rng.int(20, 520) : 0;
    const unpaidRecent = defaulted ? rng.int(2, 5) : 0;
    const age = barred + rng.int(0, interval - 1);
    const terms = rng.pick(tp.terms);
    const partnerScale = tp.median * Math.exp(tp.partnerSigma * rng.normal());
    const mainPc = rng.weighted(tp.pcW, 100);
    const foreignCur = this.type >= T_CORPORATE && rng.chance(0.3) ? (this.currency === CUR_EUR ? CUR_USD : CUR_EUR) : -1;
    return { contracts, interval, age, terms, partnerScale, mainPc, foreignCur, unpaidRecent };
  }

  /** Item j's document and due dates; each item is one billing interval (give or take) older than the one before. */
  private dateItem(j: number, plan: ItemPlan): void {
    const doc = this.asOf - plan.age;
    plan.age += plan.interval + (plan.contracts > 1 ? this.rng.int(-2, 2) : this.rng.int(0, 1));
    this.doc[j] = doc;
    this.due[j] = doc + plan.terms;
  }

  /** Item j's profit center, currency (and with it the company code) and amount. */
  private priceItem(j: number, plan: ItemPlan): void {
    const rng = this.rng;
    const tp = TYPES[this.type]!;
    let pc = rng.chance(0.8) ? plan.mainPc : rng.weighted(tp.pcW, 100);
    let eur = plan.partnerScale * PC_FACTOR[pc]! * Math.exp(tp.itemSigma * rng.normal());
    if (this.type === T_POSTPAID && rng.chance(0.04)) {
      pc = PC_DEVICES; // one-off handset invoice
      eur = 380 * Math.exp(0.5 * rng.normal());
    }
    this.pc[j] = rng.chance(0.02) ? -1 : pc;
    const cur = plan.foreignCur >= 0 && rng.chance(0.35) ? plan.foreignCur : this.currency;
    this.itemCur[j] = cur;
    this.company[j] = cur === this.currency ? COUNTRIES[this.country]!.company : CUR_COMPANY[cur]!;
    const unit = 10 ** CUR_DECIMALS[cur]!;
    this.amount[j] = Math.max(unit, Math.round(Math.max(eur, 1) * CUR_PER_EUR[cur]! * unit));
  }

  /** Item j's natural payment behaviour: paid (now and then in two parts) some days after due, part-paid, or not at all. */
  private payItem(j: number, unpaidRecent: number): void {
    const rng = this.rng;
    const asOf = this.asOf;
    const doc = this.doc[j]!;
    const due = this.due[j]!;
    const amt = this.amount[j]!;
    const cur = this.itemCur[j]!;
    let never: boolean;
    let delay: number;
    switch (this.behaviour) {
      case B_GOOD:
        never = rng.chance(0.03);
        delay = rng.chance(0.7) ? rng.int(-4, 0) : rng.int(1, 12);
        break;
      case B_SLOW:
        never = rng.chance(0.06);
        delay = rng.int(3, 20) + rng.int(0, 55);
        break;
      case B_BAD:
        never = rng.chance(0.3);
        delay = rng.int(20, 80) + rng.int(0, 160);
        break;
      default:
        never = j < unpaidRecent || rng.chance(0.3);
        delay = rng.int(20, 80) + rng.int(0, 160);
    }
    let payDay = due + delay;
    if (payDay <= doc) payDay = doc + 1;
    if (!never && payDay <= asOf) {
      if (amt >= 2 && rng.chance(0.08)) {
        const first = this.share(amt, 0.3, 0.7, cur);
        this.addPayment(j, Math.max(doc + 1, payDay - rng.int(7, 30)), first);
        this.addPayment(j, payDay, amt - first);
      } else {
        this.addPayment(j, payDay, amt);
      }
    } else if (due < asOf && this.behaviour !== B_GOOD && amt >= 2 && rng.chance(0.25)) {
      this.addPayment(j, rng.int(due + 1, asOf), this.share(amt, 0.2, 0.7, cur));
    }
  }

  // --- promises to pay -------------------------------------------------------------------

  private buildPromises(): void {
    const rng = this.rng;
    const asOf = this.asOf;
    this.nPromises = 0;
    const candidates: number[] = [];
    for (let j = 0; j < this.nItems; j++) {
      if (this.due[j]! <= asOf - 5 && this.openAmount(j) > 0) candidates.push(j);
    }
    if (candidates.length === 0) return;
    const p = [0.3, 0.4, 0.55, 0.35][this.behaviour]!;
    if (!rng.chance(p)) return;
    const wanted = rng.chance(0.75) ? 1 : 2;
    for (let t = 0; t < wanted && candidates.length > 0; t++) {
      const c = rng.int(0, candidates.length - 1);
      const j = candidates[c]!;
      candidates.splice(c, 1);
      this.promiseOn(j);
    }
    // Rarely a promise over the whole balance, not tied to an item: still pending.
    if (rng.chance(0.04)) {
      const k = this.nPromises++;
      const created = asOf - rng.int(0, 5);
      this.promItem[k] = -1;
      this.promCreated[k] = created;
      this.promPromised[k] = asOf + rng.int(1, 20);
      let total = 0;
      for (let j = 0; j < this.nItems; j++) if (this.itemCur[j] === this.currency) total += this.openAmount(j);
      const unit = 10 ** CUR_DECIMALS[this.currency]!;
      this.promAmt[k] = Math.max(unit, Math.round(total / unit) * unit);
      this.promCancelled[k] = 0;
    }
  }

  /** A promise on item j: its outcome decides its dates, and the payments on the item from its creation on. */
  private promiseOn(j: number): void {
    const rng = this.rng;
    const asOf = this.asOf;
    const cur = this.itemCur[j]!;
    const earliest = Math.max(this.due[j]! + 3, this.doc[j]! + 1);
    let outcome = this.promiseOutcome(earliest);
    let created: number;
    let promised: number;
    if (outcome === PO_OPEN) {
      created = Math.max(earliest, asOf - rng.int(0, 12));
      promised = Math.max(created + 2, asOf + rng.int(-3, 18));
    } else {
      created = rng.int(Math.max(earliest, asOf - 120), asOf - 8);
      promised = Math.min(created + rng.int(3, 21), asOf - 4);
    }
    const open = this.truncatePayments(j, created); // payments from `created` on are decided here
    const amount = open >= 2 && rng.chance(0.3) ? this.share(open, 0.3, 0.7, cur) : open;
    if (amount < 2 && outcome === PO_PARTIAL) outcome = PO_BROKEN;
    this.payPromise(j, outcome, created, promised, amount, open);

    const k = this.nPromises++;
    this.promItem[k] = j;
    this.promCreated[k] = created;
    this.promPromised[k] = promised;
    this.promAmt[k] = amount;
    this.promCancelled[k] = outcome === PO_CANCELLED ? 1 : 0;
  }

  /** How the promise ends; one made too late to be judged yet (after `earliest`, within 8 days of asOf) is still open. */
  private promiseOutcome(earliest: number): number {
    const r = this.rng.next();
    const outcome = r < 0.08 ? PO_CANCELLED : r < 0.26 ? PO_OPEN : r < 0.63 ? PO_KEPT : r < 0.77 ? PO_PARTIAL : PO_BROKEN;
    return outcome !== PO_OPEN && earliest > this.asOf - 8 ? PO_OPEN : outcome;
  }

  /** The payments on item j that make the promise (of `amount` out of `open`) end as `outcome`. */
  private payPromise(j: number, outcome: number, created: number, promised: number, amount: number, open: number): void {
    const rng = this.rng;
    const asOf = this.asOf;
    const cur = this.itemCur[j]!;
    const windowEnd = Math.min(promised + 3, asOf);
    switch (outcome) {
      case PO_OPEN:
        if (amount >= 2 && rng.chance(0.3)) this.addPayment(j, rng.int(created, asOf), this.share(amount, 0.2, 0.6, cur));
        break;
      case PO_KEPT: {
        if (amount >= 2 && rng.chance(0.12)) {
          const first = this.share(amount, 0.3, 0.7, cur);
          this.addPayment(j, rng.int(created, Math.max(created, promised - 1)), first);
          this.addPayment(j, Math.min(windowEnd, Math.max(created, promised + rng.int(-3, 3))), amount - first);
        } else {
          this.addPayment(j, Math.min(windowEnd, Math.max(created, promised + rng.int(-6, 3))), amount);
        }
        if (amount < open && rng.chance(0.5)) this.addPayment(j, rng.int(promised + 4, asOf), open - amount);
        break;
      }
      case PO_PARTIAL: {
        const paid = this.share(amount, 0.2, 0.8, cur);
        this.addPayment(j, rng.int(created, windowEnd), paid);
        if (rng.chance(0.3)) this.addPayment(j, rng.int(promised + 4, asOf), open - paid);
        break;
      }
      case PO_BROKEN:
        if (rng.chance(0.25)) this.addPayment(j, rng.int(promised + 4, asOf), open);
        break;
      default: // cancelled
        if (rng.chance(0.3)) this.addPayment(j, rng.int(created, asOf), open);
    }
  }

  // --- disputes ----------------------------------------------------------------------------

  private buildDisputes(): void {
    const rng = this.rng;
    const asOf = this.asOf;
    this.nDisputes = 0;
    if (!rng.chance(TYPES[this.type]!.disputeP)) return;
    const count = this.nItems > 1 && rng.chance(0.2) ? 2 : 1;
    const reasons = this.type === T_WHOLESALE ? DISPUTE_REASONS_WHOLESALE : DISPUTE_REASONS_RETAIL;
    for (let t = 0; t < count; t++) {
      let j = -1;
      if (!rng.chance(0.08)) {
        j = rng.int(0, this.nItems - 1);
        // prefer an item that is still open
        if (this.openAmount(j) <= 0 && rng.chance(0.7)) {
          for (let k = 0; k < this.nItems; k++)
            if (this.openAmount(k) > 0) {
              j = k;
              break;
            }
        }
        if (t === 1 && j === this.dispItem[0]) j = -1;
      }
      let created: number;
      let amount: number;
      if (j >= 0) {
        created = Math.min(asOf, this.doc[j]! + rng.int(3, 45));
        const amt = this.amount[j]!;
        amount = amt < 2 || rng.chance(0.35) ? amt : this.share(amt, 0.1, 0.9, this.itemCur[j]!);
      } else {
        created = asOf - rng.int(1, 200);
        const unit = 10 ** CUR_DECIMALS[this.currency]!;
        amount = Math.round(TYPES[this.type]!.median * CUR_PER_EUR[this.currency]! * Math.exp(0.5 * rng.normal())) * unit || unit;
      }
      const ageDays = asOf - created;
      const status = rng.weighted(DISPUTE_STATUS_W[ageDays < 30 ? 0 : ageDays <= 90 ? 1 : 2]!, 100);
      const k = this.nDisputes++;
      this.dispItem[k] = j;
      this.dispCreated[k] = created;
      this.dispAmt[k] = amount;
      this.dispStatus[k] = status;
      this.dispReason[k] = rng.chance(0.05) ? -1 : rng.pick(reasons);
      if (j >= 0 && (status === DS_OPEN || status === DS_IN_PROCESS) && rng.chance(0.85)) this.block[j] = 1;
    }
  }

  private buildOnAccount(): void {
    const rng = this.rng;
    this.nOnAccount = 0;
    // a few items blocked for other reasons (payment plan, insolvency check, ...)
    for (let j = 0; j < this.nItems; j++) {
      if (!this.block[j] && rng.chance(0.006) && this.openAmount(j) > 0) this.block[j] = 1;
    }
    if (!rng.chance(TYPES[this.type]!.onAccountP)) return;
    const count = rng.chance(0.85) ? 1 : 2;
    const unit = 10 ** CUR_DECIMALS[this.currency]!;
    for (let k = 0; k < count; k++) {
      this.onAccDay[k] = this.asOf - rng.int(0, 90);
      const eur = TYPES[this.type]!.median * rng.pick([0.5, 1, 1, 2, 3]);
      this.onAccAmt[k] = Math.max(1, niceRound(eur * CUR_PER_EUR[this.currency]!)) * unit;
    }
    this.nOnAccount = count;
  }

  // --- contacts (own PRNG stream) -------------------------------------------------------

  private addContact(day: number, channel: number, inbound: boolean, reached: boolean, result: number): void {
    if (this.nContacts >= MAX_CONTACTS) return;
    const k = this.nContacts++;
    this.conDay[k] = day;
    this.conChannel[k] = channel;
    this.conInbound[k] = inbound ? 1 : 0;
    this.conReached[k] = reached ? 1 : 0;
    this.conResult[k] = this.rng.chance(0.04) ? -1 : result;
  }

  private buildContacts(): void {
    this.nContacts = 0;
    this.promiseAndDisputeContacts();
    const firstOverdue = this.firstOverdueDay();
    if (firstOverdue < this.asOf) this.collectionContacts(firstOverdue);
    else if (this.nItems > 0) this.occasionalContacts();
    this.sortContacts();
  }

  /** The due date of the oldest overdue item still open; asOf when none is. */
  private firstOverdueDay(): number {
    let firstOverdue = this.asOf;
    for (let j = 0; j < this.nItems; j++) {
      const due = this.due[j]!;
      if (due < this.asOf && this.openAmount(j) > 0) firstOverdue = Math.min(firstOverdue, due);
    }
    return firstOverdue;
  }

  /** The call or e-mail each promise was given in, and each dispute raised in. */
  private promiseAndDisputeContacts(): void {
    const rng = this.rng;
    for (let k = 0; k < this.nPromises; k++) {
      const inbound = rng.chance(0.3);
      this.addContact(this.promCreated[k]!, rng.chance(0.75) ? CH_PHONE : CH_EMAIL, inbound, true, R_PROMISE);
    }
    for (let k = 0; k < this.nDisputes; k++) {
      this.addContact(this.dispCreated[k]!, rng.chance(0.6) ? CH_PHONE : CH_EMAIL, true, true, R_DISPUTE);
    }
  }

  /** Collection contacts since the first overdue item (at most 180 days back), more the longer it is overdue. */
  private collectionContacts(firstOverdue: number): void {
    const rng = this.rng;
    const asOf = this.asOf;
    const channelW = this.type <= T_POSTPAID ? CHANNEL_W_CONSUMER : CHANNEL_W_BUSINESS;
    const count = Math.min(14, 1 + Math.floor((asOf - firstOverdue) / 25) + rng.int(0, 2));
    const from = Math.max(firstOverdue + 1, asOf - 180);
    for (let c = 0; c < count; c++) {
      const day = rng.int(from, asOf);
      const channel = rng.weighted(channelW, 100);
      const inbound = (channel === CH_PHONE || channel === CH_EMAIL) && rng.chance(0.12);
      if (channel === CH_PHONE && inbound) {
        this.addContact(day, channel, true, true, rng.pick(INBOUND_CALL_RESULTS));
      } else if (channel === CH_PHONE) {
        const reached = rng.chance(0.45);
        this.addContact(day, channel, inbound, reached, reached ? rng.pick(REACHED_CALL_RESULTS) : rng.pick(UNREACHED_CALL_RESULTS));
      } else if (inbound) {
        this.addContact(day, channel, true, true, rng.chance(0.5) ? R_PAYMENT_CONFIRMED : R_INFO);
      } else {
        const reached = rng.chance(channel === CH_EMAIL ? 0.9 : 0.96);
        this.addContact(day, channel, false, reached, reached ? R_REMINDER : R_BOUNCED);
      }
    }
  }

  /** A customer with nothing overdue: now and then a question of theirs, or a preventive reminder. */
  private occasionalContacts(): void {
    const rng = this.rng;
    const asOf = this.asOf;
    if (rng.chance(0.08)) {
      this.addContact(asOf - rng.int(0, 180), rng.chance(0.7) ? CH_PHONE : CH_EMAIL, true, true, rng.chance(0.6) ? R_BILLING_QUESTION : R_INFO);
    }
    if (this.type <= T_POSTPAID && rng.chance(0.05)) {
      this.addContact(asOf - rng.int(0, 30), CH_SMS, false, true, R_REMINDER); // preventive reminder
    }
  }

  /** `conOrder`: the contacts in chronological order (insertion sort on a handful of entries). */
  private sortContacts(): void {
    const order = this.conOrder;
    for (let k = 0; k < this.nContacts; k++) {
      let m = k;
      while (m > 0 && this.conDay[order[m - 1]!]! > this.conDay[k]!) {
        order[m] = order[m - 1]!;
        m--;
      }
      order[m] = k;
    }
  }
}

/** Two significant digits. */
function niceRound(x: number): number {
  if (x <= 0) return 0;
  const p = 10 ** Math.max(0, Math.floor(Math.log10(x)) - 1);
  return Math.round(x / p) * p;
}

function money(minor: number, cur: number): string {
  if (CUR_DECIMALS[cur] === 0) return String(minor);
  const whole = Math.floor(minor / 100);
  const cents = minor - whole * 100;
  return whole + (cents < 10 ? '.0' : '.') + cents;
}

function dunningLevel(daysPastDue: number): number {
  return daysPastDue <= 3 ? 0 : daysPastDue <= 21 ? 1 : daysPastDue <= 45 ? 2 : daysPastDue <= 75 ? 3 : 4;
}
/** Days past due on which `dunningLevel` reaches level k + 1: the dates of the notices. */
const DUNNING_STEPS = [4, 22, 46, 76];

/** The item's dunning level today ('' for wholesale, which is not dunned). */
function itemDunningLevel(m: PartnerModel, j: number): string {
  if (m.type === T_WHOLESALE) return '';
  const until = m.openAmount(j) > 0 ? m.asOf : m.lastPaymentDay(j);
  return String(dunningLevel(until - m.due[j]!));
}

// ---------------------------------------------------------------------------------------
// Writers: one partner's rows of a table

type Writer = (m: PartnerModel) => string;

const itemId = (m: PartnerModel, j: number): string => 'I' + pad(m.index * ITEM_STRIDE + j + 1, 8);

const WRITERS: Record<Exclude<CsvTable, 'fx_rates'>, Writer> = {
  partners(m) {
    const limit = m.creditLimit < 0 ? '' : money(m.creditLimit, m.currency);
    return `${m.pid},${csvField(m.name)},${COUNTRIES[m.country]!.code},${DEMO_CURRENCIES[m.currency]},${m.risk},${limit},${DEMO_CUSTOMER_TYPES[m.type]},${DEMO_SEGMENTS[TYPE_SEGMENT[m.type]!]}\n`;
  },

  open_items(m) {
    let s = '';
    for (let j = 0; j < m.nItems; j++) {
      const cur = m.itemCur[j]!;
      const open = m.openAmount(j);
      const due = m.due[j]!;
      const level = itemDunningLevel(m, j);
      const pc = m.pc[j]!;
      s += `${itemId(m, j)},${m.pid},${DEMO_COMPANY_CODES[m.company[j]!]!.code},${m.date(m.doc[j]!)},${m.date(due)},${money(m.amount[j]!, cur)},${money(open, cur)},${DEMO_CURRENCIES[cur]},${level},${m.block[j] ? 'true' : 'false'},${pc < 0 ? '' : DEMO_PROFIT_CENTERS[pc]}\n`;
    }
    return s;
  },

  payments(m) {
    let s = '';
    let seq = m.index * PAYMENT_STRIDE;
    for (let j = 0; j < m.nItems; j++) {
      const n = m.payN[j]!;
      if (n === 0) continue;
      const cur = DEMO_CURRENCIES[m.itemCur[j]!];
      const id = itemId(m, j);
      for (let k = 0; k < n; k++) {
        s += `Y${pad(++seq, 8)},${m.pid},${id},${m.date(m.payDay[j * PAY_SLOTS + k]!)},${money(m.payAmt[j * PAY_SLOTS + k]!, m.itemCur[j]!)},${cur}\n`;
      }
    }
    for (let k = 0; k < m.nOnAccount; k++) {
      s += `Y${pad(++seq, 8)},${m.pid},,${m.date(m.onAccDay[k]!)},${money(m.onAccAmt[k]!, m.currency)},${DEMO_CURRENCIES[m.currency]}\n`;
    }
    return s;
  },

  promises(m) {
    let s = '';
    for (let k = 0; k < m.nPromises; k++) {
      const j = m.promItem[k]!;
      const cur = j >= 0 ? m.itemCur[j]! : m.currency;
      s += `R${pad(m.index * PROMISE_STRIDE + k + 1, 8)},${m.pid},${j >= 0 ? itemId(m, j) : ''},${m.date(m.promCreated[k]!)},${m.date(m.promPromised[k]!)},${money(m.promAmt[k]!, cur)},${DEMO_CURRENCIES[cur]},${m.promCancelled[k] ? 'true' : 'false'}\n`;
    }
    return s;
  },

  disputes(m) {
    let s = '';
    for (let k = 0; k < m.nDisputes; k++) {
      const j = m.dispItem[k]!;
      const cur = j >= 0 ? m.itemCur[j]! : m.currency;
      const reason = m.dispReason[k]!;
      s += `D${pad(m.index * DISPUTE_STRIDE + k + 1, 8)},${m.pid},${j >= 0 ? itemId(m, j) : ''},${m.date(m.dispCreated[k]!)},${money(m.dispAmt[k]!, cur)},${DEMO_CURRENCIES[cur]},${DISPUTE_STATUSES[m.dispStatus[k]!]},${reason < 0 ? '' : DEMO_DISPUTE_REASONS[reason]}\n`;
    }
    return s;
  },

  /**
   * The status changes that led each dispute to today's status: an open one has none (creation
   * opens it), one in process was taken up some days after creation, a closed one was taken up
   * and later closed. The last row's status is today's.
   */
  dispute_history(m) {
    let s = '';
    const rng = m.historyRng();
    for (let k = 0; k < m.nDisputes; k++) {
      const status = m.dispStatus[k]!;
      if (status === DS_OPEN) continue;
      const id = `D${pad(m.index * DISPUTE_STRIDE + k + 1, 8)}`;
      const created = m.dispCreated[k]!;
      const span = m.asOf - created;
      const takenUp = created + rng.int(0, Math.min(14, Math.floor(span / 2)));
      s += `${id},${m.date(takenUp)},IN_PROCESS\n`;
      if (status !== DS_IN_PROCESS && takenUp < m.asOf) s += `${id},${m.date(rng.int(takenUp + 1, m.asOf))},${DISPUTE_STATUSES[status]}\n`;
    }
    return s;
  },

  /** One notice per level an item reached, on the day past due that raised it (the item's level is the last). */
  dunning_history(m) {
    let s = '';
    for (let j = 0; j < m.nItems; j++) {
      const level = Number(itemDunningLevel(m, j) || 0);
      for (let l = 0; l < level; l++) s += `${itemId(m, j)},${m.date(m.due[j]! + DUNNING_STEPS[l]!)},${l + 1}\n`;
    }
    return s;
  },

  contacts(m) {
    let s = '';
    for (let n = 0; n < m.nContacts; n++) {
      const k = m.conOrder[n]!;
      const result = m.conResult[k]!;
      s += `C${pad(m.index * CONTACT_STRIDE + n + 1, 8)},${m.pid},${m.date(m.conDay[k]!)},${DEMO_CONTACT_CHANNELS[m.conChannel[k]!]},${m.conInbound[k] ? 'INBOUND' : 'OUTBOUND'},${m.conReached[k] ? 'true' : 'false'},${result < 0 ? '' : DEMO_CONTACT_RESULTS[result]}\n`;
    }
    return s;
  },
};

// ---------------------------------------------------------------------------------------
// fx rates: monthly (first of month) for the 15 months before asOf's month and asOf's month,
// every ordered pair of distinct DEMO_CURRENCIES; B->A is 1/(A->B), both rounded to 8 decimals.

function round8(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}

function rate(x: number): string {
  let s = x.toFixed(8);
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

function fxRatesCsv(ctx: Context): string {
  const rng = new Rng();
  rng.reset(streamKey(ctx.seed, 0, 2));
  const asOf = new Date(ctx.asOf * 86_400_000);
  const monthIndex = asOf.getUTCFullYear() * 12 + asOf.getUTCMonth();
  const n = DEMO_CURRENCIES.length;
  const level = CUR_PER_EUR.slice();
  let s = '';
  for (let back = 15; back >= 0; back--) {
    const mi = monthIndex - back;
    const date = new Date(Date.UTC(Math.floor(mi / 12), mi % 12, 1)).toISOString().slice(0, 10);
    // mild mean-reverting random walk of each currency against EUR
    for (let c = 1; c < n; c++) {
      const base = CUR_PER_EUR[c]!;
      level[c] = base + (level[c]! * (1 + 0.03 * (rng.next() - 0.5)) - base) * 0.9;
    }
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (a === b) continue;
        const forward = a < b ? round8(level[b]! / level[a]!) : round8(1 / round8(level[a]! / level[b]!));
        s += `${date},${DEMO_CURRENCIES[a]},${DEMO_CURRENCIES[b]},${rate(forward)}\n`;
      }
    }
  }
  return s;
}
