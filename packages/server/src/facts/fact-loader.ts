/**
 * One partner's facts at key date D within an API request (the customer 360's credit data and
 * key figures, a score's explanation): whatever facts the request's fields ask for before its
 * combined statement (loaders.rows) is sent are read in it, one factRowsSql per partner, currency
 * and date with the union of their keys. The maintained facts answer unless the
 * partner has events after D (its horizon); a horizon the request already read (noteHorizon)
 * spares the statement looking it up.
 */
import { factRowsSql, fxRatesSql, type FactKey, type FactRowsOptions, type ParameterisedSql } from '@recoup/rules';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { MAINTAINED_WITH_LOOKUP } from './fact-source';

export type FactRow = Record<string, unknown>;

interface Wanted {
  partnerId: string;
  currency: string;
  asOf: string;
  keys: readonly FactKey[];
}

/** The facts of one partner, currency and date asked for until the request's statement is sent. */
interface Pending {
  keys: Map<string, FactKey>;
  row: Promise<FactRow>;
}

interface RequestFacts {
  /** By partner, currency and date; dropped when the statement is sent (later asks start another). */
  pending: Map<string, Pending>;
  /** Partner id → partner_facts.horizon (null: no AR data, so no event after any D). */
  horizons: Map<string, string | null>;
  /** The AR revision (ar_revision) the request read, if it did: rates kept at it are current. */
  revision?: string;
  /** Rates asked for by this request (currency and date), to keep them. */
  ratesAsked: Set<string>;
}

const perRequest = new WeakMap<RequestContext, RequestFacts>();

/**
 * The partner's facts at `asOf` in `currency` (columns of `keys`; numbers as JSON numbers, as the
 * combined statement returns them), an empty row when the partner has none. Asked for together
 * with other keys of the same partner, currency and date before the request's statement is sent,
 * they are one query of it, for the union of the keys.
 */
export function partnerFacts(ctx: RequestContext, wanted: Wanted): Promise<FactRow> {
  const facts = requestFacts(ctx);
  const id = `${wanted.partnerId} ${wanted.currency} ${wanted.asOf}`;
  let pending = facts.pending.get(id);
  if (!pending) {
    const keys = new Map<string, FactKey>();
    const rates = ratesFor(ctx, facts, wanted.currency, wanted.asOf);
    const later = () => {
      facts.pending.delete(id);
      const union = [...keys.values()].sort((a, b) => (a.column < b.column ? -1 : 1));
      const known = sourceOf(facts.horizons, wanted.partnerId, wanted.asOf);
      return onePartnerFactsSql(union, { currency: wanted.currency, asOf: wanted.asOf, rates }, wanted.partnerId, known);
    };
    const row = ctx.loaders.rows.load({ later }).then((rows) => rows[0] ?? {});
    facts.pending.set(id, (pending = { keys, row }));
  }
  for (const k of wanted.keys) pending.keys.set(k.column, k);
  return pending.row;
}

/**
 * What the request read before its facts: the partner's horizon (partner_facts.horizon; null
 * without a row) and the AR revision, so that the facts' statement neither looks the horizon up
 * nor, once they are kept at this revision, reads the rates.
 */
export function noteFactState(ctx: RequestContext, state: { partnerId: string; horizon: string | null; arRevision: string | null }): void {
  const facts = requestFacts(ctx);
  facts.horizons.set(state.partnerId, state.horizon);
  // Without the revision's row nothing tells a change of the rates: none are kept then.
  if (state.arRevision !== null) facts.revision = state.arRevision;
}

function requestFacts(ctx: RequestContext): RequestFacts {
  let facts = perRequest.get(ctx);
  if (!facts) perRequest.set(ctx, (facts = { pending: new Map(), horizons: new Map(), ratesAsked: new Set() }));
  return facts;
}

// ---- rates --------------------------------------------------------------------------------

type Rates = NonNullable<FactRowsOptions['rates']>;

/**
 * The rates into each currency at each date as last read, with the AR revision they were read
 * at. Every change to fx_rates bumps the revision (its trigger), so rates kept at the revision a
 * request reads are the rates the request would read itself.
 */
const ratesKept = new WeakMap<Database, Map<string, { revision: string; rates: Rates }>>();
const RATES_KEPT = 200;

/**
 * The rates into `currency` at `asOf` (fxRatesSql) when kept at the request's revision: the facts'
 * statement then converts with them as parameters instead of reading fx_rates at each conversion.
 * Otherwise undefined (the statement reads them), and they are read beside the facts to be kept.
 */
function ratesFor(ctx: RequestContext, facts: RequestFacts, currency: string, asOf: string): Rates | undefined {
  const revision = facts.revision;
  if (revision === undefined) return undefined;
  const pair = `${currency} ${asOf}`;
  // Per database: revisions of different databases say nothing about each other.
  let ofDatabase = ratesKept.get(ctx.db);
  if (!ofDatabase) ratesKept.set(ctx.db, (ofDatabase = new Map()));
  const kept = ofDatabase.get(pair);
  if (kept?.revision === revision) return kept.rates;
  if (!facts.ratesAsked.has(pair)) {
    facts.ratesAsked.add(pair);
    ctx.loaders.rows.load(fxRatesSql({ currency, asOf })).then(
      (rows) => {
        if (ofDatabase.size >= RATES_KEPT) ofDatabase.clear();
        ofDatabase.set(pair, { revision, rates: rows as unknown as Rates });
      },
      () => undefined, // the sections fail with the same statement; nothing is kept
    );
  }
  return undefined;
}

/**
 * Where the partner's facts come from: with its horizon known, the maintained facts alone (the
 * usual case) or, for a partner with events after D, the mirror (as the lookup would find it);
 * unknown, the statement looks the horizon up.
 */
export type HorizonKnown = 'lookup' | 'maintained' | 'late';

function sourceOf(horizons: Map<string, string | null>, partnerId: string, asOf: string): HorizonKnown {
  if (!horizons.has(partnerId)) return 'lookup';
  const horizon = horizons.get(partnerId);
  return horizon !== null && horizon !== undefined && horizon > asOf ? 'late' : 'maintained';
}

function sourceOptions(known: HorizonKnown, ids: string[]): Pick<FactRowsOptions, 'source' | 'latePartnerIds'> {
  if (known === 'lookup') return MAINTAINED_WITH_LOOKUP;
  return { source: 'maintained', latePartnerIds: known === 'late' ? ids : [] };
}

// ---- the statement's text, built once per shape ----------------------------------------------

/**
 * factRowsSql's text for one partner depends on the keys, the currency, the date and the source,
 * not on which partner (its id is a parameter): built once per shape, the id put in its place.
 */
interface Template {
  text: string;
  values: unknown[];
  /** Positions of the values that are the partner id list. */
  idSlots: number[];
}

const TEMPLATES_KEPT = 500;
const templates = new Map<string, Template | null>();

export function onePartnerFactsSql(
  keys: readonly FactKey[],
  at: Pick<FactRowsOptions, 'currency' | 'asOf' | 'rates'>,
  partnerId: string,
  known: HorizonKnown,
): ParameterisedSql {
  const options = (ids: string[]): FactRowsOptions => ({ ...at, partnerIds: ids, ...sourceOptions(known, ids) });
  const shape = JSON.stringify([keys.map((k) => k.column), at.currency, at.asOf, at.rates ?? null, known]);
  let template = templates.get(shape);
  if (template === undefined) {
    template = templateOf(keys as FactKey[], options);
    if (templates.size >= TEMPLATES_KEPT) templates.clear();
    templates.set(shape, template);
  }
  if (template === null) return factRowsSql(keys as FactKey[], options([partnerId]));
  const values = template.values.slice();
  for (const slot of template.idSlots) values[slot] = [partnerId];
  return { text: template.text, values };
}

/**
 * The text and values for two different ids; a template when they differ only in the id lists
 * (anything else, e.g. an id deduplicated with another parameter, and the text is built per call).
 */
function templateOf(keys: FactKey[], options: (ids: string[]) => FactRowsOptions): Template | null {
  const a = factRowsSql(keys, options(['1']));
  const b = factRowsSql(keys, options(['2']));
  if (a.text !== b.text || a.values.length !== b.values.length) return null;
  const idSlots: number[] = [];
  for (let i = 0; i < a.values.length; i++) {
    const [x, y] = [JSON.stringify(a.values[i]), JSON.stringify(b.values[i])];
    if (x === y) continue;
    if (x !== '["1"]' || y !== '["2"]') return null;
    idSlots.push(i);
  }
  return idSlots.length ? { text: a.text, values: a.values, idSlots } : null;
}
