/**
 * Set-based fact computation: one parameterised SELECT over the AR mirror returning, per
 * partner, `partner_id` and one column per requested fact key at key date D, money converted
 * into the strategy currency with the latest fx_rates row on or before D. The same SQL serves
 * live runs, previews, backtests, the customer 360 and the explanation of a score.
 *
 * Point in time (DESIGN.md "Point in time"): every fact at D sees the AR as it stood at the end
 * of D, from today's mirror and its dated history:
 * - an item exists at D when document_date <= D; its open amount at D is today's open_amount
 *   plus its payments (payments.item_id, in the item's currency) dated after D, at most its
 *   amount, and today's open_amount when nothing was paid on it after D; open at D when > 0;
 *   days overdue = D - due_date;
 * - the dunning level of an item at D is the highest level of its dunning_level_changes dated on
 *   or before D (0 when it has notices but none by D), today's open_items.dunning_level when it
 *   has no notice history;
 * - a dispute (created_date <= D) has at D the status of its latest dispute_status_changes row
 *   dated on or before D (OPEN when it has rows but none by D: creation opens without a row);
 *   without rows, today's status when OPEN/IN_PROCESS, else OPEN while D is before the (UTC) date
 *   of status_changed_at, else today's status (no date: closed from its creation);
 * - a promise or a payment plan is cancelled at D when cancelled and cancelled_date is NULL or
 *   <= D (cancelledAtSql); promises, plans count when created on or before D, payments and
 *   contacts when dated on or before D;
 * - a resubmission is due at D when dated on or before D and not done by D (done_on NULL or
 *   <= D counts as done);
 * - master data (risk class, credit limit, segment, dunning block) has no history: today's;
 * - an item held at D by a placement or a legal case is left out: a hold (item_holds) is in force at
 *   D when started_on <= D and (ended_on IS NULL or ended_on > D), so an item placed after D is still
 *   in and an item recalled on or before D is back (DESIGN.md "Point in time");
 * At today nothing is dated after D, so the facts are today's state.
 *
 * Shape (built to scale to millions of partners, DESIGN.md "Scale"): every source table is
 * aggregated once GROUP BY partner_id and LEFT JOINed to the selected partners, and only the
 * tables the requested facts need are read. No correlated subquery per partner or per item:
 * - history at D, narrowed to the selected partners like everything else: `pad` (item payments
 *   dated after D per item: an index range scan, empty at today), `dla` (dunning level at D per
 *   item with notices), `dsh` (status at D per dispute with a status history);
 * - open items: one pass over today's open items (`ia`) not paid after D, filtered by a lookup
 *   in pad made into one map (`pam`; no join, so the scan keeps its partner order and the
 *   aggregate needs no sort), joined only to the tiny per-currency rate relation `fx`; the items
 *   paid after D (`iz`, empty at today) are aggregated apart and the two combined per column;
 * - item flags (open dispute / OPEN promise on the item) touch only the few flagged items
 *   (`fi`), so amountToBeCollected = overdue amount - overdue amount of flagged items, and
 *   allOverdueDisputedOrBlocked compares counts;
 * - promise status at D (`prs`): promises LEFT JOIN their item's payments, GROUP BY promise;
 * - disputes, contacts, payments, resubmissions: one aggregate each.
 * `fx` is NOT MATERIALIZED so it is inlined (a materialised CTE scan is parallel-restricted).
 *
 * Run `fxCheckSql` first: a missing rate must fail the run naming the pair (DESIGN.md), and
 * this query would otherwise just yield NULL for the converted amounts.
 */
import { maintainedRowsSelect } from './fact-rows-maintained';
import type { FactKey } from './facts';

export interface FactRowsOptions {
  /** Strategy currency (ISO code). */
  currency: string;
  /** Key date D, 'YYYY-MM-DD'. */
  asOf: string;
  /** Restrict to these partner ids. */
  partnerIds?: (number | string)[];
  /** Restrict to partners of this segment (partners.segment). */
  segment?: string;
  /** Restrict to partners of these segments. */
  segments?: string[];
  /**
   * Also narrow each table's aggregate to the selected segments (default true). For segments
   * holding most partners it is cheaper to aggregate everything and keep only their rows.
   * Ids and ranges always narrow.
   */
  narrowAggregates?: boolean;
  /** Restrict to partners with from <= id < to (job splitting by partner range). */
  partnerRange?: [number | string, number | string];
  /** Leave out ORDER BY partner_id (bulk runs that materialise the rows). Default ordered. */
  unordered?: boolean;
  /**
   * Also return what a worklist item shows beyond the facts: `w_aging` (numeric[], open amount
   * per ageing bucket of `agingLimits`, see `agingBuckets`), `w_last_payment_date` (latest
   * payment on or before D), `w_resubmission_date` (earliest undone resubmission on or before D),
   * from the partner master `w_fixed_specialist_id` and `w_group_key` (collection group), and
   * `w_fx_missing`: some amount of the partner had no rate into the strategy currency.
   */
  worklistFigures?: { agingLimits: number[] };
  /**
   * The rates into the strategy currency at D (from `fxRatesSql`), when the caller has read them:
   * conversions become a CASE over these parameters instead of a join per row (cheaper for bulk
   * runs). A currency not listed converts to NULL, exactly as a missing rate does in the join.
   */
  rates?: Array<{ currency: string; rate: string }>;
  /**
   * Every company code's promise tolerance, when they are all the same: promise status then needs
   * no lookup of the promised item's company code (a promise without an item keeps the default 3).
   */
  uniformToleranceDays?: number;
  /**
   * Where the facts come from: `mirror` (default), computed from the AR mirror, exact at any D; or
   * `maintained`, derived from the maintained parts (partner_facts, partner_fact_currencies:
   * fact-rows-maintained.ts), exact for the partners whose horizon is on or before D. The others
   * (`latePartnerIds`: partner_facts.horizon > D) come from the mirror in the same statement.
   * Same columns either way.
   */
  source?: 'mirror' | 'maintained';
  /**
   * With source `maintained`: the selected partners whose horizon is after D (from the mirror), as
   * the caller found them; or `lookup`: found by the statement itself (for a selection of one or a
   * few partners: the customer 360, a score's explanation).
   */
  latePartnerIds?: (number | string)[] | 'lookup';
}

/** The latest rate on or before D from each currency into the strategy currency (the strategy currency itself at 1). */
export function fxRatesSql(options: Pick<FactRowsOptions, 'currency' | 'asOf'>): ParameterisedSql {
  return { text: `WITH ${FX} SELECT cur::text AS currency, rate::text AS rate FROM fx ORDER BY 1`, values: [options.asOf, options.currency] };
}

/**
 * Ageing buckets of a strategy's day limits l0 < l1 < …: days overdue <= l0, l0 < days <= l1, …,
 * days > l(n-1); with no limits, one bucket of everything open. Labels as a specialist reads them.
 */
export function agingBuckets(limits: readonly number[]): { label: string; from: number | null; to: number | null }[] {
  if (!limits.length) return [{ label: 'all', from: null, to: null }];
  const out: { label: string; from: number | null; to: number | null }[] = [
    { label: limits[0] === 0 ? 'not overdue' : `≤ ${limits[0]}`, from: null, to: limits[0]! },
  ];
  for (let i = 1; i < limits.length; i++) out.push({ label: `${limits[i - 1]! + 1}–${limits[i]}`, from: limits[i - 1]! + 1, to: limits[i]! });
  out.push({ label: `> ${limits[limits.length - 1]}`, from: limits[limits.length - 1]! + 1, to: null });
  return out;
}

/**
 * Status of a promise (or an installment) at key date D, DESIGN.md "Promise status at D" — the
 * one rule every judge uses (the facts below, the judging run, payments, the API): KEPT once paid
 * covers the amount; after the deadline (promised date + tolerance days) PARTIALLY_KEPT when
 * something was paid, else BROKEN; OPEN before; CANCELLED whatever was paid. Arguments are SQL
 * expressions (`deadline` = promised date + tolerance, `asOf` = D).
 */
export function judgedStatusSql(e: { cancelled: string; paid: string; amount: string; deadline: string; asOf: string }): string {
  return `CASE WHEN ${e.cancelled} THEN 'CANCELLED' WHEN ${e.paid} >= ${e.amount} THEN 'KEPT'
        WHEN ${e.asOf} > ${e.deadline} THEN CASE WHEN ${e.paid} > 0 THEN 'PARTIALLY_KEPT' ELSE 'BROKEN' END
        ELSE 'OPEN' END`;
}

/** A promise's status at D in parts, SQL over the promise `q` grouped by promise, for a select list. */
export interface PromiseStatusParts {
  /** The promise's tolerance days (integer). */
  toleranceDays: string;
  /** Paid towards it by D, in the currency compared in. */
  paid: string;
  /** Its amount in that currency. */
  amount: string;
  /** OPEN, KEPT, PARTIALLY_KEPT, BROKEN or CANCELLED (judgedStatusSql). */
  status: string;
}

export interface PromiseStatusOptions {
  /** Key date D, an SQL date expression. */
  asOf: string;
  /** A condition narrowing the promises (alias q); default all. */
  where?: string;
  /** The select list, one row per promise; default id, partner_id, item_id, tolerance_days, paid, status. */
  select?: (parts: PromiseStatusParts) => string[];
  /**
   * The currency paid and amount are compared in, as factors into it (SQL): `payment` converts a
   * payment (alias y), `promise` the promise amount (default 1: the promise's own currency).
   * `promiseJoin` and `paymentJoin` bring the factors in (after the promise, after its payments);
   * `groupBy` names what the promise factor is, for the GROUP BY.
   */
  rates: { payment: string; promise?: string; promiseJoin?: string; paymentJoin?: string; groupBy?: string };
  /**
   * One tolerance for every promise on an item (an SQL integer, when all company codes have the
   * same): no lookup of the item's company code; a promise without an item keeps the default 3.
   */
  uniformToleranceDays?: string;
}

/** Where a promise's tolerance days come from: its item's company code, default 3 (3 without an item). */
export const PROMISE_TOLERANCE_SQL = {
  /** Joins of the promise `q` to its item `it` and the item's company code `cc`. */
  joins: 'LEFT JOIN open_items it ON it.id = q.item_id LEFT JOIN company_codes cc ON cc.code = it.company_code',
  days: 'coalesce(cc.promise_tolerance_days, 3)',
} as const;

/**
 * Promise status at key date D in SQL, DESIGN.md "Promise status at D" — the one builder the facts,
 * the judging run, payments and the API use: paid = the payments on the promise's item dated from
 * its creation to promised date + tolerance days and on or before D, each converted into the
 * currency compared in (`rates`); the status by `judgedStatusSql`. Set-based: the promises made on
 * or before D LEFT JOIN their item's payments, GROUP BY promise (no statement per promise).
 */
export function promiseStatusSql(o: PromiseStatusOptions): string {
  const lookup = o.uniformToleranceDays === undefined;
  const tolerance = lookup ? PROMISE_TOLERANCE_SQL.days : `CASE WHEN q.item_id IS NULL THEN 3 ELSE ${o.uniformToleranceDays} END`;
  const paid = `coalesce(sum(y.amount * ${o.rates.payment}), 0)`;
  const amount = o.rates.promise === undefined ? 'q.amount' : `q.amount * ${o.rates.promise}`;
  const status = judgedStatusSql({ cancelled: cancelledAtSql('q', o.asOf), paid, amount, deadline: `q.promised_date + ${tolerance}`, asOf: o.asOf });
  const parts: PromiseStatusParts = { toleranceDays: tolerance, paid, amount, status };
  const select = o.select?.(parts) ?? [
    'q.id',
    'q.partner_id',
    'q.item_id',
    `${tolerance}::integer AS tolerance_days`,
    `${paid} AS paid`,
    `${status} AS status`,
  ];
  const groupBy = ['q.id', o.rates.groupBy, lookup ? 'cc.promise_tolerance_days' : undefined].filter((g) => g !== undefined);
  return `SELECT ${select.join(',\n      ')}
    FROM promises q${o.rates.promiseJoin ? ` ${o.rates.promiseJoin}` : ''}${
      lookup
        ? `
    ${PROMISE_TOLERANCE_SQL.joins}`
        : ''
    }
    LEFT JOIN payments y ON y.item_id = q.item_id AND y.payment_date >= q.created_date
      AND y.payment_date <= q.promised_date + ${tolerance} AND y.payment_date <= ${o.asOf}${
        o.rates.paymentJoin
          ? `
    ${o.rates.paymentJoin}`
          : ''
      }
    WHERE q.created_date <= ${o.asOf}${o.where === undefined ? '' : ` AND ${o.where}`}
    GROUP BY ${groupBy.join(', ')}`;
}

/**
 * Payment-plan installments with their status at D (`asOf`, an SQL date expression), set-based:
 * installments of plans made on or before D, each judged like a promise on the plan's payments
 * (payments on the plan's items, and payments on account posted against the plan, in the plan
 * currency, dated from the plan's creation to the installment's due date + the plan's tolerance
 * days and on or before D), cumulatively: installment k is paid by what those payments leave
 * after installments 1..k-1 (paid_k = clamp(P_k - sum(amount_1..k-1), 0, amount_k)). So a late
 * payment still counts towards later installments, never back towards a broken one.
 * Columns: id, plan_id, partner_id, seq, due_date, amount, paid, status. `where` narrows the
 * installments (alias n, e.g. `n.partner_id = ANY($3)`).
 */
export function installmentStatusSql(asOf: string, where = 'true'): string {
  const paid = 'least(greatest(coalesce(sum(pp.amount), 0) - n.before, 0), n.amount)';
  return `SELECT n.id, n.plan_id, n.partner_id, n.seq, n.due_date, n.amount, ${paid} AS paid,
    ${judgedStatusSql({ cancelled: 'n.cancelled', paid, amount: 'n.amount', deadline: 'n.due_date + n.tolerance_days', asOf })} AS status
  FROM (SELECT n.id, n.plan_id, n.partner_id, n.seq, n.due_date, n.amount, ${cancelledAtSql('pl', asOf)} AS cancelled, pl.tolerance_days, pl.created_date, pl.currency,
      coalesce(sum(n.amount) OVER (PARTITION BY n.plan_id ORDER BY n.seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
    FROM payment_plan_installments n JOIN payment_plans pl ON pl.id = n.plan_id
    WHERE pl.created_date <= ${asOf} AND ${where}) n
  LEFT JOIN (SELECT pi.plan_id, y.payment_date, y.amount, y.currency FROM payment_plan_items pi JOIN payments y ON y.item_id = pi.item_id
      UNION ALL SELECT y.payment_plan_id, y.payment_date, y.amount, y.currency FROM payments y WHERE y.payment_plan_id IS NOT NULL AND y.item_id IS NULL) pp
    ON pp.plan_id = n.plan_id AND pp.currency = n.currency AND pp.payment_date >= n.created_date
      AND pp.payment_date <= n.due_date + n.tolerance_days AND pp.payment_date <= ${asOf}
  GROUP BY n.id, n.plan_id, n.partner_id, n.seq, n.due_date, n.amount, n.before, n.cancelled, n.tolerance_days`;
}

/**
 * A promise or payment plan (alias `t`) counts as cancelled at D (`asOf`, SQL) when it was
 * cancelled on or before D; a cancellation without a date counts at any D.
 */
export function cancelledAtSql(t: string, asOf: string): string {
  return `(${t}.cancelled AND (${t}.cancelled_date IS NULL OR ${t}.cancelled_date <= ${asOf}))`;
}

export interface ParameterisedSql {
  text: string;
  values: unknown[];
}

// Latest rate per currency into the strategy currency ($2), plus the strategy currency at 1.
const FX = `fx AS NOT MATERIALIZED (SELECT $2::text::char(3) AS cur, 1::numeric AS rate
    UNION ALL SELECT * FROM (SELECT DISTINCT ON (from_currency) from_currency, rate FROM fx_rates
      WHERE to_currency = $2::text AND from_currency <> $2::text AND rate_date <= $1::date
      ORDER BY from_currency, rate_date DESC) r)`;

/**
 * Currency pairs (from -> strategy currency) with no rate on or before D, among those of what the
 * facts at D convert: the items open at D, payments dated on or before D, promises made and
 * disputes open at D, credit limits.
 */
export function fxCheckSql(options: Pick<FactRowsOptions, 'currency' | 'asOf'>): ParameterisedSql {
  const q = new FactRowsQuery(options);
  return {
    text: `WITH ${FX},
  ${paidAfterD(q)},
  ${PAID_MAP},
  ${disputeHistoryAtD(q)},
  used AS (SELECT i.currency FROM (${itemsAtD(q)}) i
    UNION SELECT currency FROM payments WHERE payment_date <= $1::date
    UNION SELECT currency FROM promises WHERE created_date <= $1::date
    UNION SELECT d.currency FROM ${disputesOpenAtD(q)}
    UNION SELECT currency FROM partners WHERE credit_limit IS NOT NULL)
SELECT used.currency::text AS from_currency, $2::text AS to_currency FROM used
WHERE NOT EXISTS (SELECT 1 FROM fx WHERE fx.cur = used.currency) ORDER BY 1`,
    values: q.values,
  };
}

export function factRowsSql(factKeys: FactKey[], options: FactRowsOptions): ParameterisedSql {
  if (options.source === 'maintained') return maintainedFactRowsSql(factKeys, options);
  const q = new FactRowsQuery(options);
  const { ctes, select } = mirrorRows(q, factKeys);
  return { text: `WITH ${ctes.join(',\n  ')}\n${select}${q.options.unordered ? '' : '\nORDER BY p.id'}`, values: q.values };
}

/**
 * The facts derived from the maintained parts, and for the late partners (horizon after D) from the
 * mirror, in one statement (UNION ALL): the mirror part narrows every aggregate to the late
 * partners; both share the key date, the currency, the rates and the facts' parameters.
 */
function maintainedFactRowsSql(factKeys: FactKey[], options: FactRowsOptions): ParameterisedSql {
  const q = new FactRowsQuery(options);
  const maintained = maintainedRowsSelect(q, factKeys, {
    agingBuckets: options.worklistFigures ? agingBuckets(options.worklistFigures.agingLimits) : undefined,
    partnerFactSql: (k) => PARTNER_FACT_SQL.get(k.fact)?.(),
    fxSources: fxSourcesOf(factKeys, options),
  });
  const ctes = [...(conversionRates(q).ctes ?? []), ...maintained.ctes];
  const selects = [maintained.select];
  const late = options.latePartnerIds;
  if (late === 'lookup' || late?.length) {
    let lateIds: string;
    if (late === 'lookup') {
      ctes.push(`late AS MATERIALIZED (SELECT coalesce(array_agg(l.partner_id), '{}') AS ids FROM partner_facts l
    WHERE l.horizon > $1::date${q.partnerFilter('l.partner_id')})`);
      lateIds = '(SELECT late.ids FROM late)::bigint[]';
    } else lateIds = q.param(late.map(String), 'bigint[]');
    selects[0] += ` AND p.id <> ALL(${lateIds})`;
    // The late partners by the mirror path, every aggregate narrowed to them (and to the range), within the selection.
    const m = new FactRowsQuery({ ...options, partnerIds: undefined, segment: undefined, segments: undefined }, q, lateIds);
    const mirror = mirrorRows(m, factKeys, { rates: false });
    ctes.push(...mirror.ctes);
    selects.push(`${mirror.select}${q.partnerFilter('p.id', true)}`);
  }
  const order = options.unordered ? '' : '\nORDER BY partner_id';
  return { text: `WITH ${ctes.join(',\n  ')}\n${selects.join('\nUNION ALL\n')}${order}`, values: q.values };
}

/**
 * What a conversion in the mirror path's columns reads, so that a derivation flags a missing rate
 * (w_fx_missing) from exactly the same sources: the items open at D, the disputes open at D, the
 * promises (any made by D), the credit limit.
 */
export interface FxSources {
  items: boolean;
  disputes: boolean;
  promises: boolean;
  /** The credit limit facts are asked for (they convert the limit with the partner currency's rate). */
  creditLimit: boolean;
}

/** The FxSources of the mirror path's columns for these keys and options (its columns built on a probe). */
function fxSourcesOf(factKeys: FactKey[], options: FactRowsOptions): FxSources {
  const probe = new FactRowsQuery({ ...options, rates: undefined });
  for (const k of factKeys) factSql(probe, k);
  if (options.worklistFigures) agingColumn(probe, options.worklistFigures.agingLimits);
  return {
    items: probe.uses('ia'),
    disputes: probe.uses('da'),
    promises: probe.needsPromiseStatus(),
    creditLimit: factKeys.some((k) => CREDIT_FACTS.has(k.fact)),
  };
}

const CREDIT_FACTS = new Set(['creditLimit', 'creditUtilization']);

/** The mirror path's CTEs and SELECT (without ORDER BY); `rates: false` leaves out the rates' CTE (another part has it). */
function mirrorRows(q: FactRowsQuery, factKeys: FactKey[], o: { rates: boolean } = { rates: true }): { ctes: string[]; select: string } {
  const options = q.options;
  // Columns first: they decide which aggregates (and which of their columns) the relations below hold.
  const factColumns = factKeys.map((k) => `${factSql(q, k)} AS "${k.column}"`);
  const creditFx = factKeys.some((k) => CREDIT_FACTS.has(k.fact));
  const figureColumns = options.worklistFigures ? worklistFigureColumns(q, options.worklistFigures.agingLimits, creditFx) : [];
  // Kept in this order: a CTE precedes its readers (prs before fi and pa), and parameters (rates,
  // tolerance) are numbered as first used, so another order would be another statement.
  const relations = [
    o.rates ? conversionRates(q) : undefined,
    creditFx ? creditLimitRate(q) : undefined,
    historyAtD(q),
    promiseStatusAtD(q),
    openItemsAggregate(q),
    flaggedItemsAggregate(q),
    companyCodesAggregate(q),
    disputesAggregate(q),
    promisesAggregate(q),
    contactsAggregate(q),
    paymentsAggregate(q),
    installmentsAggregate(q),
    resubmissionsAggregate(q),
  ];
  return finalSelect(q, [...factColumns, ...figureColumns], relations);
}

/** The per-partner aggregates a fact row reads (one CTE each, aliased as the source). */
type Source = 'ia' | 'fi' | 'da' | 'pa' | 'ca' | 'ya' | 'ib';

/** CTEs of the query and the join of their result to the selected partners. */
interface Relation {
  ctes?: string[];
  join?: string;
}

/**
 * The open amount at D of an item `i` with its payments after D `a` (pad): today's open amount
 * plus what was paid on it (in its currency) after D, at most its amount; today's open amount
 * when nothing was paid on it after D.
 */
const OPEN_AT_D = 'CASE WHEN a.paid IS NULL THEN i.open_amount ELSE least(i.amount, i.open_amount + a.paid) END';

/**
 * The status at D of a dispute `d` with its status at D from its history `h` (dsh): the history's
 * when it has rows; without rows, today's when open (OPEN, IN_PROCESS); a dispute closed today
 * was OPEN before the (UTC) date of its last status change, and one without that date counts as
 * closed from its creation.
 */
const DISPUTE_STATUS_AT_D = `CASE WHEN h.dispute_id IS NOT NULL THEN h.status
      WHEN d.status IN ('OPEN', 'IN_PROCESS') OR d.status_changed_at IS NULL THEN d.status
      WHEN $1::date < (d.status_changed_at AT TIME ZONE 'UTC')::date THEN 'OPEN' ELSE d.status END`;

/**
 * What the steps of factRowsSql share: the parameter list, the partner selection, the columns
 * asked of each aggregate, which further relations the columns read, and currency conversion.
 * Parameters are numbered as first used and shared by equal value and type, also with the query
 * `shared` whose parameter list this one continues (two parts of one statement).
 * Internal to the rules package (fact-rows-maintained.ts builds on it).
 */
export class FactRowsQuery {
  readonly values: unknown[];
  private readonly params: Map<string, string>;
  /** Aggregate columns per source, deduplicated by expression; each gets a short alias. */
  private readonly aggregates = new Map<Source, Map<string, string>>();
  private aliasSeq = 0;
  private readonly selection: { ids?: string; segment?: string; range?: [string, string] };
  private readonly rateCase?: (col: string) => string;
  resubmissions = false;
  companyCodes = false;
  /** amountToBeCollected: the flagged items include those with an OPEN promise (so prs is read). */
  flagsNeedPromises = false;
  /** maxDunningLevel, dunnedAmount: the open items carry their dunning level at D (dla is read). */
  dunningAtD = false;

  /** `ids`: the selected partner ids as SQL (a bigint[] expression) instead of options.partnerIds. */
  constructor(
    readonly options: FactRowsOptions,
    shared?: FactRowsQuery,
    private readonly ids?: string,
  ) {
    this.values = shared?.values ?? [options.asOf, options.currency];
    this.params = shared?.params ?? new Map();
    this.selection = this.partnerSelection();
    if (options.rates) this.rateCase = this.rateCaseOver(options.rates);
  }

  param(value: unknown, type: string): string {
    const key = `${type} ${JSON.stringify(value)}`;
    let ref = this.params.get(key);
    if (!ref) this.params.set(key, (ref = `$${this.values.push(value)}::${type}`));
    return ref;
  }

  /**
   * The aggregate column `src.aN` computing `expr` per partner. The open items' `ia` is computed in
   * two parts (openItemsAggregate), today's open items and the items cleared after D: their
   * columns combined.
   */
  agg(src: Source, expr: string): string {
    let columns = this.aggregates.get(src);
    if (!columns) this.aggregates.set(src, (columns = new Map()));
    let alias = columns.get(expr);
    if (!alias) columns.set(expr, (alias = `a${++this.aliasSeq}`));
    return src === 'ia' ? combinedAggregate(expr, `ia.${alias}`, `iz.${alias}`) : `${src}.${alias}`;
  }

  uses(src: Source): boolean {
    return (this.aggregates.get(src)?.size ?? 0) > 0;
  }

  /** The select list of a source's aggregate after its partner_id: `,\n      expr AS aN` each. */
  columns(src: Source): string {
    return [...(this.aggregates.get(src) ?? [])].map(([expr, alias]) => `,\n      ${expr} AS ${alias}`).join('');
  }

  needsPromiseStatus(): boolean {
    return this.uses('pa') || (this.uses('fi') && this.flagsNeedPromises);
  }

  /**
   * The partner selection as ` AND …` conditions on `col`: applied to partners (p.id, `onPartners`)
   * and pushed into every aggregate (x.partner_id), segments there only when narrowing.
   */
  partnerFilter(col: string, onPartners = false): string {
    const { ids, segment, range } = this.selection;
    const c: string[] = [];
    if (ids) c.push(`${col} = ANY(${ids})`);
    if (range) c.push(`${col} >= ${range[0]} AND ${col} < ${range[1]}`);
    if (segment && (onPartners || (this.options.narrowAggregates ?? true)))
      c.push(onPartners ? `p.segment ${segment}` : `${col} IN (SELECT sp.id FROM partners sp WHERE sp.segment ${segment})`);
    return c.map((x) => ` AND ${x}`).join('');
  }

  /** The conversion rate of a row's currency as `alias.rate`: a join to the fx CTE, or a CASE over the given rates. */
  fxJoin(alias: string, currency: string): string {
    return this.rateCase ? `CROSS JOIN LATERAL (SELECT ${this.rateCase(currency)} AS rate) ${alias}` : `LEFT JOIN fx ${alias} ON ${alias}.cur = ${currency}`;
  }

  get ratesGiven(): boolean {
    return this.rateCase !== undefined;
  }

  private partnerSelection(): FactRowsQuery['selection'] {
    const o = this.options;
    return {
      ids: this.ids ?? (o.partnerIds ? this.param(o.partnerIds.map(String), 'bigint[]') : undefined),
      segment:
        o.segment !== undefined ? `= ${this.param(o.segment, 'text')}` : o.segments !== undefined ? `= ANY(${this.param(o.segments, 'text[]')})` : undefined,
      range: o.partnerRange ? [this.param(String(o.partnerRange[0]), 'bigint'), this.param(String(o.partnerRange[1]), 'bigint')] : undefined,
    };
  }

  private rateCaseOver(rates: NonNullable<FactRowsOptions['rates']>): (col: string) => string {
    let arms: string[] | undefined;
    // Parameters only once a conversion is used (unused ones would be an error); the strategy
    // currency first (most rows), at 1.
    return (col) => {
      arms ??= [
        'WHEN $2::text::char(3) THEN 1::numeric',
        ...rates
          .filter((r) => r.currency !== this.options.currency)
          .map((r) => `WHEN ${this.param(r.currency, 'char(3)')} THEN ${this.param(r.rate, 'numeric')}`),
      ];
      return `CASE ${col} ${arms.join(' ')} END`;
    };
  }
}

type FactSql = (q: FactRowsQuery, params: FactKey['params']) => string;

/**
 * One aggregate over two disjoint sets of rows from its values over each (`x`, `y`; NULL where a
 * set has no row of the partner): sums and counts add, max is the greater, bool_or either.
 */
function combinedAggregate(expr: string, x: string, y: string): string {
  const kind = /^(sum|count|max|bool_or)\(/.exec(expr)?.[1];
  if (kind === 'max') return `greatest(${x}, ${y})`;
  if (kind === undefined) throw new Error(`No combination of ${expr}`);
  return `(CASE WHEN ${y} IS NULL THEN ${x} WHEN ${x} IS NULL THEN ${y} ELSE ${x} ${kind === 'bool_or' ? 'OR' : '+'} ${y} END)`;
}

const openAmount = (q: FactRowsQuery) => q.agg('ia', 'sum(oi.amount)');
const disputedAmount = (q: FactRowsQuery) => q.agg('da', 'sum(d.disputed_amount * dfx.rate)');
const brokenWithin = (q: FactRowsQuery, withinDays: unknown) =>
  `s.status = 'BROKEN' AND s.promised_date BETWEEN $1::date - ${q.param(withinDays, 'integer')} AND $1::date`;
// payment plans: an installment in breach = not paid in full by due date + tolerance (BROKEN or PARTIALLY_KEPT)
const IN_BREACH = "n.status IN ('BROKEN', 'PARTIALLY_KEPT')";

/** The facts of the partner master data (p, and pfx: the rate of the partner currency), the partner's legal cases and its worklist stays, as every path computes them. */
const PARTNER_FACT_SQL = new Map<string, () => string>(
  Object.entries({
    currency: () => 'p.currency::text',
    country: () => 'p.country::text',
    segment: () => 'p.segment::text',
    customerType: () => 'p.customer_type::text',
    riskClass: () => 'p.risk_class::text',
    creditLimit: () => '(p.credit_limit * pfx.rate)',
    // Few partners have a case: an index probe per partner, and the same on the maintained path (dated, so exact at any D).
    legalCaseOpen: () =>
      'EXISTS (SELECT 1 FROM legal_cases lc WHERE lc.partner_id = p.id AND lc.opened_on <= $1::date AND (lc.closed_on IS NULL OR lc.closed_on > $1::date))',
    // The stay covering D (stays of a partner and segment are disjoint in run order): an index probe per partner, dated, so
    // exact at any D and the same on the maintained path (nothing of it is maintained: the live runs date it).
    daysOnWorklist: () =>
      `coalesce((SELECT ($1::date - ws.start_as_of)::numeric FROM worklist_stays ws WHERE ws.partner_id = p.id AND ws.segment_key = p.segment
        AND ws.start_as_of <= $1::date AND (ws.end_as_of IS NULL OR ws.end_as_of > $1::date) ORDER BY ws.start_as_of DESC LIMIT 1), 0)`,
  }),
);

/** Each fact's SQL expression over the partner (p) and the aggregates, in the strategy currency. */
const FACT_SQL = new Map<string, FactSql>([
  ...PARTNER_FACT_SQL,
  ...Object.entries({
    creditUtilization: (q) => `CASE WHEN p.credit_limit * pfx.rate > 0 THEN coalesce(${openAmount(q)}, 0) / (p.credit_limit * pfx.rate) * 100 END`,
    openAmount: (q) => `coalesce(${openAmount(q)}, 0)`,
    openItemCount: (q) => `coalesce(${q.agg('ia', 'count(*)')}, 0)::numeric`,
    overdueAmount: (q, k) => `coalesce(${q.agg('ia', `sum(oi.amount) FILTER (WHERE oi.dd >= ${q.param(k.minDaysOverdue, 'integer')})`)}, 0)`,
    overdueItemCount: (q, k) => `coalesce(${q.agg('ia', `count(*) FILTER (WHERE oi.dd >= ${q.param(k.minDaysOverdue, 'integer')})`)}, 0)::numeric`,
    dueAmount: (q, k) => `coalesce(${q.agg('ia', `sum(oi.amount) FILTER (WHERE oi.dd <= 0 AND oi.dd >= -${q.param(k.withinDays, 'integer')})`)}, 0)`,
    maxDaysOverdue: (q) => `${q.agg('ia', 'max(oi.dd)')}::numeric`,
    maxDunningLevel: (q) => {
      q.dunningAtD = true;
      return `coalesce(${q.agg('ia', 'max(oi.dunning_level)')}, 0)::numeric`;
    },
    dunnedAmount: (q) => {
      q.dunningAtD = true;
      return `coalesce(${q.agg('ia', 'sum(oi.amount) FILTER (WHERE oi.dunning_level >= 1)')}, 0)`;
    },
    amountToBeCollected: (q) => {
      // overdue open items with neither an open dispute nor an OPEN promise on the item
      q.flagsNeedPromises = true;
      const overdue = q.agg('ia', 'sum(oi.amount) FILTER (WHERE oi.dd >= 1)');
      return `coalesce(${overdue}, 0) - coalesce(${q.agg('fi', 'sum(i.open_at * ifx.rate) FILTER (WHERE $1::date - i.due_date >= 1)')}, 0)`;
    },
    allOverdueDisputedOrBlocked: (q) => {
      // at least one overdue item, and every overdue item is blocked or (unblocked and) disputed
      const n = q.agg('ia', 'count(*) FILTER (WHERE oi.dd >= 1)');
      const blocked = q.agg('ia', 'count(*) FILTER (WHERE oi.dd >= 1 AND oi.dunning_block)');
      const disputed = q.agg('fi', 'count(*) FILTER (WHERE $1::date - i.due_date >= 1 AND f.disputed AND NOT i.dunning_block)');
      return `(coalesce(${n}, 0) > 0 AND ${n} = ${blocked} + coalesce(${disputed}, 0))`;
    },
    companyCodes: (q) => {
      q.companyCodes = true;
      return `coalesce(icc.codes, '{}'::text[])`;
    },
    disputedAmount: (q) => `coalesce(${disputedAmount(q)}, 0)`,
    openDisputeCount: (q) => `coalesce(${q.agg('da', 'count(*)')}, 0)::numeric`,
    disputedShare: (q) => {
      const open = openAmount(q);
      return `CASE WHEN ${open} > 0 THEN coalesce(${disputedAmount(q)}, 0) / ${open} * 100 END`;
    },
    promisedAmount: (q) => `coalesce(${q.agg('pa', "sum(s.amount) FILTER (WHERE s.status = 'OPEN')")}, 0)`,
    brokenPromises: (q, k) => `coalesce(${q.agg('pa', `count(*) FILTER (WHERE ${brokenWithin(q, k.withinDays)})`)}, 0)::numeric`,
    brokenPromiseAmount: (q, k) => `coalesce(${q.agg('pa', `sum(s.amount) FILTER (WHERE ${brokenWithin(q, k.withinDays)})`)}, 0)`,
    keptPromiseRatio: (q) =>
      `${q.agg('pa', "count(*) FILTER (WHERE s.status = 'KEPT')")}::numeric / nullif(${q.agg('pa', "count(*) FILTER (WHERE s.status IN ('KEPT', 'PARTIALLY_KEPT', 'BROKEN'))")}, 0)`,
    daysSinceLastContact: (q, k) => `($1::date - ${q.agg('ca', `max(c.contact_date)${k.reachedOnly ? ' FILTER (WHERE c.reached)' : ''}`)})::numeric`,
    daysSinceLastPayment: (q) => `($1::date - ${q.agg('ya', 'max(y.payment_date)')})::numeric`,
    brokenInstallments: (q) => `coalesce(${q.agg('ib', `count(*) FILTER (WHERE ${IN_BREACH})`)}, 0)::numeric`,
    paymentPlanBroken: (q) => `coalesce(${q.agg('ib', `bool_or(${IN_BREACH})`)}, false)`,
    resubmissionDue: (q) => {
      q.resubmissions = true;
      return '(ra.partner_id IS NOT NULL)';
    },
  } satisfies Record<string, FactSql>),
]);

function factSql(q: FactRowsQuery, k: FactKey): string {
  const sql = FACT_SQL.get(k.fact);
  if (!sql) throw new Error(`No SQL for fact ${k.fact}`);
  return sql(q, k.params);
}

/** The `w_…` columns of FactRowsOptions.worklistFigures. */
function worklistFigureColumns(q: FactRowsQuery, agingLimits: number[], creditFx: boolean): string[] {
  const aging = `${agingColumn(q, agingLimits)} AS w_aging`;
  const lastPayment = `${q.agg('ya', 'max(y.payment_date)')} AS w_last_payment_date`;
  q.resubmissions = true;
  // After every other column: it flags a conversion by each aggregate that converts.
  const fxMissing = `${fxMissingColumn(q, creditFx)} AS w_fx_missing`;
  return [
    aging,
    lastPayment,
    'ra.resubmission_date AS w_resubmission_date',
    'p.specialist_id AS w_fixed_specialist_id',
    'p.collection_group_key::text AS w_group_key',
    fxMissing,
  ];
}

function agingColumn(q: FactRowsQuery, agingLimits: number[]): string {
  const buckets = agingBuckets(agingLimits).map((b) => {
    const c: string[] = [];
    if (b.from !== null) c.push(`oi.dd >= ${q.param(b.from, 'integer')}`);
    if (b.to !== null) c.push(`oi.dd <= ${q.param(b.to, 'integer')}`);
    // Display figures: rounded to the four decimals of stored money.
    return `round(coalesce(${q.agg('ia', c.length ? `sum(oi.amount) FILTER (WHERE ${c.join(' AND ')})` : 'sum(oi.amount)')}, 0), 4)`;
  });
  return `ARRAY[${buckets.join(', ')}]`;
}

/**
 * A row converted with a missing rate: the caller then fails the run naming the pair (fxCheckSql),
 * without a separate scan of every table up front.
 */
function fxMissingColumn(q: FactRowsQuery, creditFx: boolean): string {
  const missing: string[] = [];
  if (q.uses('ia')) missing.push(q.agg('ia', 'bool_or(oi.nofx)'));
  if (q.uses('da')) missing.push(q.agg('da', 'bool_or(dfx.rate IS NULL)'));
  if (q.needsPromiseStatus()) missing.push(q.agg('pa', 'bool_or(s.nofx)'));
  if (creditFx) missing.push('(p.credit_limit IS NOT NULL AND pfx.rate IS NULL)');
  return `(${missing.map((m) => `coalesce(${m}, false)`).join(' OR ') || 'false'})`;
}

/** The fx CTE, or with the rates given, a CTE that types the key date (master-data facts alone might not reference it). */
function conversionRates(q: FactRowsQuery): Relation {
  return { ctes: [q.ratesGiven ? 'params AS (SELECT $1::date AS as_of, $2::text AS currency)' : FX] };
}

/** pfx: the rate of the partner currency, for the credit limit. */
function creditLimitRate(q: FactRowsQuery): Relation {
  return { join: q.fxJoin('pfx', 'p.currency') };
}

/** An aggregate CTE `alias AS (…)` LEFT JOINed to the partners by partner_id. */
const perPartner = (alias: string, ctes: string[]): Relation => ({ ctes, join: `LEFT JOIN ${alias} ON ${alias}.partner_id = p.id` });

/** prs: promise status at D (promiseStatusSql), compared in the strategy currency. */
function promiseStatusAtD(q: FactRowsQuery): Relation | undefined {
  if (!q.needsPromiseStatus()) return undefined;
  const uniform = q.options.uniformToleranceDays;
  // Parameters are numbered as first used: the tolerance, then the rates of the joins.
  const uniformToleranceDays = uniform === undefined ? undefined : q.param(uniform, 'integer');
  const rates = {
    promise: 'qfx.rate',
    payment: 'yfx.rate',
    promiseJoin: q.fxJoin('qfx', 'q.currency'),
    paymentJoin: q.fxJoin('yfx', 'y.currency'),
    groupBy: 'qfx.rate',
  };
  const prs = promiseStatusSql({
    asOf: '$1::date',
    where: `true${q.partnerFilter('q.partner_id')}`,
    rates,
    uniformToleranceDays,
    select: ({ amount, status }) => [
      'q.partner_id',
      'q.item_id',
      'q.promised_date',
      `${amount} AS amount`,
      `${status} AS status`,
      'qfx.rate IS NULL OR bool_or(y.id IS NOT NULL AND yfx.rate IS NULL) AS nofx',
    ],
  });
  return { ctes: [`prs AS (${prs})`] };
}

/**
 * The history relations of the facts at D, each narrowed to the selected partners and read only
 * when a fact needs it: pad (payments on items dated after D, per item and currency: empty at
 * today, so a small hash-joined aggregate), dla (dunning level at D per item with a notice
 * history), dsh (status at D per dispute with a status history). NOT MATERIALIZED: each reader
 * gets its own (cheap) scan, and the big item scan stays parallel-safe.
 */
function historyAtD(q: FactRowsQuery): Relation | undefined {
  const ctes: string[] = [];
  if (q.uses('ia') || q.uses('fi') || q.companyCodes) ctes.push(paidAfterD(q), PAID_MAP);
  if (q.dunningAtD) ctes.push(dunningLevelAtD(q), LEVEL_MAP);
  if (q.uses('da') || q.uses('fi')) ctes.push(disputeHistoryAtD(q));
  return ctes.length ? { ctes } : undefined;
}

/** pad: per item and currency, the payments on the item dated after D. */
function paidAfterD(q: FactRowsQuery): string {
  return `pad AS NOT MATERIALIZED (SELECT y.item_id, y.currency, sum(y.amount) AS paid FROM payments y
    WHERE y.item_id IS NOT NULL AND y.payment_date > $1::date${q.partnerFilter('y.partner_id')} GROUP BY y.item_id, y.currency)`;
}

/** dla: per item with a notice history, the highest level dunned on or before D (NULL: none by D, so 0). */
function dunningLevelAtD(q: FactRowsQuery): string {
  return `dla AS NOT MATERIALIZED (SELECT c.item_id, max(c.level) FILTER (WHERE c.dunned_on <= $1::date) AS level
    FROM dunning_level_changes c WHERE true${q.partnerFilter('c.partner_id')} GROUP BY c.item_id)`;
}

/** dsh: per dispute with a status history, its status at D: its latest change on or before D, else OPEN (opened without a row). */
function disputeHistoryAtD(q: FactRowsQuery): string {
  return `dsh AS NOT MATERIALIZED (SELECT DISTINCT ON (c.dispute_id) c.dispute_id,
      CASE WHEN c.changed_on <= $1::date THEN c.status ELSE 'OPEN' END AS status
    FROM dispute_status_changes c WHERE true${q.partnerFilter('c.partner_id')}
    ORDER BY c.dispute_id, c.changed_on <= $1::date DESC, c.changed_on DESC)`;
}

/**
 * pam, dlm: pad and dla as one jsonb map each (item id and currency -> paid after D; item id ->
 * level at D), NULL when empty (as at today). Today's open items look their item up in them
 * (cheap, and no join: the big item scan keeps its partner order, so the aggregate needs no sort);
 * MATERIALIZED so that each lookup's InitPlan reads the map, not pad again.
 */
const PAID_MAP = 'pam AS MATERIALIZED (SELECT jsonb_object_agg(x.item_id::text || x.currency::text, x.paid) AS m FROM pad x)';
const LEVEL_MAP = 'dlm AS MATERIALIZED (SELECT jsonb_object_agg(x.item_id::text, coalesce(x.level, 0)) AS m FROM dla x)';

/** True when the item `i` was paid after D (in its currency); written so that the planner sees it as rarely true (a null test on an expression). */
const PAID_AFTER_D_SQL = `(CASE WHEN (SELECT m FROM pam) IS NULL THEN 0 WHEN (SELECT m FROM pam) -> (i.id::text || i.currency::text) IS NULL THEN 0 END) IS NULL`;

/** The dunning level at D of an item `i`: from its notice history (dlm), else today's. */
const DUNNING_LEVEL_AT_D_SQL = `coalesce(CASE WHEN (SELECT m FROM dlm) IS NOT NULL THEN ((SELECT m FROM dlm) ->> i.id::text)::integer END, i.dunning_level)`;

/**
 * An item `i` not held at D (item_holds, issue 22): placed with a collection agency or under a legal
 * case, it is out of in-house collection, so out of every fact. Holds are dated (kept when they end):
 * in force at the end of D when started on or before D and not ended by D. An anti-join on the few
 * holds (by partner too: colocated on Citus); at today it leaves out exactly the holds in force.
 */
const NOT_HELD_SQL = `NOT EXISTS (SELECT 1 FROM item_holds hd WHERE hd.partner_id = i.partner_id AND hd.item_id = i.id
        AND hd.started_on <= $1::date AND (hd.ended_on IS NULL OR hd.ended_on > $1::date))`;

/**
 * The items open at D (documented on or before D, open amount at D > 0) with their open amount
 * at D (`open_at`, OPEN_AT_D), in two disjoint parts: `today`, today's open items not paid after D
 * (open_at = today's open amount: the bulk, one scan, nothing joined), and `paid`, the items paid
 * after D (through pad: none at today), open or cleared today; `all` is both.
 */
function itemsAtD(q: FactRowsQuery, part: 'today' | 'paid' | 'all' = 'all'): string {
  const columns = 'i.id, i.partner_id, i.company_code, i.due_date, i.currency, i.dunning_level, i.dunning_block';
  const where = `i.document_date <= $1::date${q.partnerFilter('i.partner_id')} AND ${NOT_HELD_SQL}`;
  const today = `SELECT ${columns}, i.open_amount AS open_at FROM open_items i
      WHERE i.open_amount > 0 AND ${where} AND NOT ${PAID_AFTER_D_SQL}`;
  const paid = `SELECT ${columns}, ${OPEN_AT_D} AS open_at
      FROM pad a JOIN open_items i ON i.id = a.item_id AND i.currency = a.currency WHERE ${where} AND ${OPEN_AT_D} > 0`;
  return part === 'today' ? today : part === 'paid' ? paid : `${today}\n    UNION ALL ${paid}`;
}

/** FROM and WHERE of the disputes `d` open at D (created on or before D, OPEN or IN_PROCESS then); `join` after the history's. */
function disputesOpenAtD(q: FactRowsQuery, join = ''): string {
  return `disputes d LEFT JOIN dsh h ON h.dispute_id = d.id${join ? ` ${join}` : ''}
    WHERE d.created_date <= $1::date AND (${DISPUTE_STATUS_AT_D}) IN ('OPEN', 'IN_PROCESS')${q.partnerFilter('d.partner_id')}`;
}

/**
 * ia: the one pass over today's open items not paid after D, at D (open amount, aged: dd = days
 * overdue at D, with their dunning level at D when asked), converted; iz: the same over the items
 * paid after D (none at today). Two aggregates rather than one over a UNION ALL of both, whose
 * group count the planner cannot estimate (its hash aggregate spilled); their columns are combined
 * (agg).
 */
function openItemsAggregate(q: FactRowsQuery): Relation | undefined {
  if (!q.uses('ia')) return undefined;
  const level = q.dunningAtD ? `, ${DUNNING_LEVEL_AT_D_SQL} AS dunning_level` : '';
  const aggregate = (alias: string, part: 'today' | 'paid') => `${alias} AS (SELECT oi.partner_id${q.columns('ia')}
    FROM (SELECT i.partner_id${level}, i.dunning_block, $1::date - i.due_date AS dd, i.open_at * ifx.rate AS amount,
        ifx.rate IS NULL AS nofx
      FROM (${itemsAtD(q, part)}) i ${q.fxJoin('ifx', 'i.currency')}) oi
    GROUP BY oi.partner_id)`;
  return { ctes: [aggregate('ia', 'today'), aggregate('iz', 'paid')], join: 'LEFT JOIN ia ON ia.partner_id = p.id LEFT JOIN iz ON iz.partner_id = p.id' };
}

/**
 * fi: the few items open at D with a dispute open at D (or an OPEN promise) on them
 * (disputes are narrowed by their own partner_id: a dispute carries its item's partner, DESIGN.md "Scale").
 */
function flaggedItemsAggregate(q: FactRowsQuery): Relation | undefined {
  if (!q.uses('fi')) return undefined;
  const flagged = [`SELECT d.item_id, true AS disputed FROM ${disputesOpenAtD(q)} AND d.item_id IS NOT NULL`];
  if (q.flagsNeedPromises) flagged.push("SELECT s.item_id, false FROM prs s WHERE s.item_id IS NOT NULL AND s.status = 'OPEN'");
  return perPartner('fi', [
    `fi AS (SELECT i.partner_id${q.columns('fi')}
    FROM (SELECT u.item_id, bool_or(u.disputed) AS disputed FROM (${flagged.join('\n      UNION ALL ')}) u GROUP BY u.item_id) f
    JOIN (SELECT i.id, i.partner_id, i.due_date, i.currency, i.dunning_block, ${OPEN_AT_D} AS open_at
      FROM open_items i LEFT JOIN pad a ON a.item_id = i.id AND a.currency = i.currency
      WHERE i.document_date <= $1::date${q.partnerFilter('i.partner_id')} AND ${NOT_HELD_SQL}) i ON i.id = f.item_id ${q.fxJoin('ifx', 'i.currency')}
    WHERE i.open_at > 0
    GROUP BY i.partner_id)`,
  ]);
}

/** icc: the sorted distinct company codes of the items open at D. */
function companyCodesAggregate(q: FactRowsQuery): Relation | undefined {
  if (!q.companyCodes) return undefined;
  return perPartner('icc', [
    `icc AS (SELECT x.partner_id, array_agg(x.code ORDER BY x.code) AS codes
    FROM (SELECT DISTINCT i.partner_id, i.company_code::text AS code FROM (${itemsAtD(q)}) i) x
    GROUP BY x.partner_id)`,
  ]);
}

/** da: the disputes open at D. */
function disputesAggregate(q: FactRowsQuery): Relation | undefined {
  if (!q.uses('da')) return undefined;
  return perPartner('da', [
    `da AS (SELECT d.partner_id${q.columns('da')}
    FROM ${disputesOpenAtD(q, q.fxJoin('dfx', 'd.currency'))} GROUP BY d.partner_id)`,
  ]);
}

/** pa: promises by their status at D (prs). */
function promisesAggregate(q: FactRowsQuery): Relation | undefined {
  if (!q.uses('pa')) return undefined;
  return perPartner('pa', [
    `pa AS (SELECT s.partner_id${q.columns('pa')}
    FROM prs s GROUP BY s.partner_id)`,
  ]);
}

/** ca: contacts on or before D. */
function contactsAggregate(q: FactRowsQuery): Relation | undefined {
  if (!q.uses('ca')) return undefined;
  return perPartner('ca', [
    `ca AS (SELECT c.partner_id${q.columns('ca')}
    FROM contacts c WHERE c.contact_date <= $1::date${q.partnerFilter('c.partner_id')} GROUP BY c.partner_id)`,
  ]);
}

/** ya: payments on or before D. */
function paymentsAggregate(q: FactRowsQuery): Relation | undefined {
  if (!q.uses('ya')) return undefined;
  return perPartner('ya', [
    `ya AS (SELECT y.partner_id${q.columns('ya')}
    FROM payments y WHERE y.payment_date <= $1::date${q.partnerFilter('y.partner_id')} GROUP BY y.partner_id)`,
  ]);
}

/** ib: payment-plan installments by their status at D (ins). */
function installmentsAggregate(q: FactRowsQuery): Relation | undefined {
  if (!q.uses('ib')) return undefined;
  return perPartner('ib', [
    `ins AS (${installmentStatusSql('$1::date', `true${q.partnerFilter('n.partner_id')}`)})`,
    `ib AS (SELECT n.partner_id${q.columns('ib')}
    FROM ins n GROUP BY n.partner_id)`,
  ]);
}

/** ra: the earliest resubmission dated on or before D and not done by D (done on a later date: undone at D). */
function resubmissionsAggregate(q: FactRowsQuery): Relation | undefined {
  if (!q.resubmissions) return undefined;
  return perPartner('ra', [
    `ra AS (SELECT r.partner_id, min(r.resubmission_date) AS resubmission_date FROM resubmissions r
    WHERE r.resubmission_date <= $1::date AND NOT (r.done AND (r.done_on IS NULL OR r.done_on <= $1::date))${q.partnerFilter('r.partner_id')}
    GROUP BY r.partner_id)`,
  ]);
}

/** One row per selected partner: partner_id and the columns, from the partners and the relations (their CTEs apart). */
function finalSelect(q: FactRowsQuery, columns: string[], relations: (Relation | undefined)[]): { ctes: string[]; select: string } {
  const ctes = relations.flatMap((r) => r?.ctes ?? []);
  const joins = relations.flatMap((r) => (r?.join ? [r.join] : []));
  const select = `SELECT ${['p.id AS partner_id', ...columns].join(',\n  ')}
FROM ${['partners p', ...joins].join('\n')}
WHERE true${q.partnerFilter('p.id', true)}`;
  return { ctes, select };
}
