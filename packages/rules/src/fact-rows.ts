/**
 * Set-based fact computation: one parameterised SELECT over the AR mirror returning, per
 * partner, `partner_id` and one column per requested fact key at key date D, money converted
 * into the strategy currency with the latest fx_rates row on or before D.
 *
 * Shape (built to scale to millions of partners, DESIGN.md "Scale"): every source table is
 * aggregated once GROUP BY partner_id and LEFT JOINed to the selected partners, and only the
 * tables the requested facts need are read. No correlated subquery per partner or per item:
 * - open items: one pass (`ia`), joined only to the tiny per-currency rate relation `fx`;
 * - item flags (open dispute / OPEN promise on the item) touch only the few flagged items
 *   (`fi`), so amountToBeCollected = overdue amount - overdue amount of flagged items, and
 *   allOverdueDisputedOrBlocked compares counts; the big item scan stays join-free, which
 *   keeps it parallel (partial aggregation in the workers);
 * - promise status at D (`prs`): promises LEFT JOIN their item's payments, GROUP BY promise;
 * - disputes, contacts, payments, resubmissions: one aggregate each.
 * `fx` is NOT MATERIALIZED so it is inlined (a materialised CTE scan is parallel-restricted).
 *
 * Run `fxCheckSql` first: a missing rate must fail the run naming the pair (DESIGN.md), and
 * this query would otherwise just yield NULL for the converted amounts.
 */
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
  FROM (SELECT n.id, n.plan_id, n.partner_id, n.seq, n.due_date, n.amount, pl.cancelled, pl.tolerance_days, pl.created_date, pl.currency,
      coalesce(sum(n.amount) OVER (PARTITION BY n.plan_id ORDER BY n.seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
    FROM payment_plan_installments n JOIN payment_plans pl ON pl.id = n.plan_id
    WHERE pl.created_date <= ${asOf} AND ${where}) n
  LEFT JOIN (SELECT pi.plan_id, y.payment_date, y.amount, y.currency FROM payment_plan_items pi JOIN payments y ON y.item_id = pi.item_id
      UNION ALL SELECT y.payment_plan_id, y.payment_date, y.amount, y.currency FROM payments y WHERE y.payment_plan_id IS NOT NULL AND y.item_id IS NULL) pp
    ON pp.plan_id = n.plan_id AND pp.currency = n.currency AND pp.payment_date >= n.created_date
      AND pp.payment_date <= n.due_date + n.tolerance_days AND pp.payment_date <= ${asOf}
  GROUP BY n.id, n.plan_id, n.partner_id, n.seq, n.due_date, n.amount, n.before, n.cancelled, n.tolerance_days`;
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

/** Currency pairs (from -> strategy currency) used by the AR mirror with no rate on or before D. */
export function fxCheckSql(options: Pick<FactRowsOptions, 'currency' | 'asOf'>): ParameterisedSql {
  return {
    text: `WITH ${FX},
  used AS (SELECT currency FROM open_items WHERE open_amount > 0 UNION SELECT currency FROM payments
    UNION SELECT currency FROM promises UNION SELECT currency FROM disputes
    UNION SELECT currency FROM partners WHERE credit_limit IS NOT NULL)
SELECT used.currency::text AS from_currency, $2::text AS to_currency FROM used
WHERE NOT EXISTS (SELECT 1 FROM fx WHERE fx.cur = used.currency) ORDER BY 1`,
    values: [options.asOf, options.currency],
  };
}

export function factRowsSql(factKeys: FactKey[], options: FactRowsOptions): ParameterisedSql {
  const values: unknown[] = [options.asOf, options.currency];
  const param = (v: unknown, type: string) => `$${values.push(v)}::${type}`;

  // Partner selection, applied to partners (p.id) and pushed into every aggregate (x.partner_id).
  const ids = options.partnerIds ? param(options.partnerIds.map(String), 'bigint[]') : undefined;
  const segment = options.segment !== undefined ? `= ${param(options.segment, 'text')}`
    : options.segments !== undefined ? `= ANY(${param(options.segments, 'text[]')})` : undefined;
  const narrow = options.narrowAggregates ?? true;
  const range = options.partnerRange ? [param(String(options.partnerRange[0]), 'bigint'), param(String(options.partnerRange[1]), 'bigint')] : undefined;
  const filter = (col: string, isPartners = false): string => {
    const c: string[] = [];
    if (ids) c.push(`${col} = ANY(${ids})`);
    if (range) c.push(`${col} >= ${range[0]} AND ${col} < ${range[1]}`);
    if (segment && (isPartners || narrow)) c.push(isPartners ? `p.segment ${segment}` : `${col} IN (SELECT sp.id FROM partners sp WHERE sp.segment ${segment})`);
    return c.map((x) => ` AND ${x}`).join('');
  };

  // Aggregate columns per source, deduplicated by expression; each gets a short alias.
  type Source = Map<string, string>;
  const sources: Record<'ia' | 'fi' | 'da' | 'pa' | 'ca' | 'ya' | 'ib', Source> = {
    ia: new Map(), fi: new Map(), da: new Map(), pa: new Map(), ca: new Map(), ya: new Map(), ib: new Map(),
  };
  let resubmissions = false;
  let flagsNeedPromises = false;
  let companyCodes = false;
  let aliasSeq = 0;
  const agg = (src: keyof typeof sources, expr: string): string => {
    let alias = sources[src].get(expr);
    if (!alias) sources[src].set(expr, (alias = `a${++aliasSeq}`));
    return `${src}.${alias}`;
  };
  const dd = 'oi.dd';
  const openAmount = () => agg('ia', 'sum(oi.amount)');
  const overdue1 = () => agg('ia', `sum(oi.amount) FILTER (WHERE ${dd} >= 1)`);

  const select: string[] = [];
  for (const k of factKeys) {
    switch (k.fact) {
      case 'currency': case 'country': case 'segment': select.push(`p.${k.fact}::text`); break;
      case 'customerType': select.push('p.customer_type::text'); break;
      case 'riskClass': select.push('p.risk_class::text'); break;
      case 'creditLimit': select.push('(p.credit_limit * pfx.rate)'); break;
      case 'creditUtilization':
        select.push(`CASE WHEN p.credit_limit * pfx.rate > 0 THEN coalesce(${openAmount()}, 0) / (p.credit_limit * pfx.rate) * 100 END`);
        break;
      case 'openAmount': select.push(`coalesce(${openAmount()}, 0)`); break;
      case 'openItemCount': select.push(`coalesce(${agg('ia', 'count(*)')}, 0)::numeric`); break;
      case 'overdueAmount':
        select.push(`coalesce(${agg('ia', `sum(oi.amount) FILTER (WHERE ${dd} >= ${param(k.params.minDaysOverdue, 'integer')})`)}, 0)`);
        break;
      case 'overdueItemCount':
        select.push(`coalesce(${agg('ia', `count(*) FILTER (WHERE ${dd} >= ${param(k.params.minDaysOverdue, 'integer')})`)}, 0)::numeric`);
        break;
      case 'dueAmount':
        select.push(`coalesce(${agg('ia', `sum(oi.amount) FILTER (WHERE ${dd} <= 0 AND ${dd} >= -${param(k.params.withinDays, 'integer')})`)}, 0)`);
        break;
      case 'maxDaysOverdue': select.push(`${agg('ia', `max(${dd})`)}::numeric`); break;
      case 'maxDunningLevel': select.push(`coalesce(${agg('ia', 'max(oi.dunning_level)')}, 0)::numeric`); break;
      case 'dunnedAmount': select.push(`coalesce(${agg('ia', 'sum(oi.amount) FILTER (WHERE oi.dunning_level >= 1)')}, 0)`); break;
      case 'amountToBeCollected':
        // overdue open items with neither an open dispute nor an OPEN promise on the item
        flagsNeedPromises = true;
        select.push(`coalesce(${overdue1()}, 0) - coalesce(${agg('fi', `sum(i.open_amount * ifx.rate) FILTER (WHERE $1::date - i.due_date >= 1)`)}, 0)`);
        break;
      case 'allOverdueDisputedOrBlocked': {
        // at least one overdue item, and every overdue item is blocked or (unblocked and) disputed
        const n = agg('ia', `count(*) FILTER (WHERE ${dd} >= 1)`);
        const blocked = agg('ia', `count(*) FILTER (WHERE ${dd} >= 1 AND oi.dunning_block)`);
        const disputed = agg('fi', 'count(*) FILTER (WHERE $1::date - i.due_date >= 1 AND f.disputed AND NOT i.dunning_block)');
        select.push(`(coalesce(${n}, 0) > 0 AND ${n} = ${blocked} + coalesce(${disputed}, 0))`);
        break;
      }
      case 'companyCodes': companyCodes = true; select.push(`coalesce(icc.codes, '{}'::text[])`); break;
      case 'disputedAmount': select.push(`coalesce(${agg('da', 'sum(d.disputed_amount * dfx.rate)')}, 0)`); break;
      case 'openDisputeCount': select.push(`coalesce(${agg('da', 'count(*)')}, 0)::numeric`); break;
      case 'disputedShare': {
        const oa = openAmount();
        select.push(`CASE WHEN ${oa} > 0 THEN coalesce(${agg('da', 'sum(d.disputed_amount * dfx.rate)')}, 0) / ${oa} * 100 END`);
        break;
      }
      case 'promisedAmount': select.push(`coalesce(${agg('pa', "sum(s.amount) FILTER (WHERE s.status = 'OPEN')")}, 0)`); break;
      case 'brokenPromises':
        select.push(`coalesce(${agg('pa', `count(*) FILTER (WHERE s.status = 'BROKEN' AND s.promised_date BETWEEN $1::date - ${param(k.params.withinDays, 'integer')} AND $1::date)`)}, 0)::numeric`);
        break;
      case 'brokenPromiseAmount':
        select.push(`coalesce(${agg('pa', `sum(s.amount) FILTER (WHERE s.status = 'BROKEN' AND s.promised_date BETWEEN $1::date - ${param(k.params.withinDays, 'integer')} AND $1::date)`)}, 0)`);
        break;
      case 'keptPromiseRatio':
        select.push(`${agg('pa', "count(*) FILTER (WHERE s.status = 'KEPT')")}::numeric / nullif(${agg('pa', "count(*) FILTER (WHERE s.status IN ('KEPT', 'PARTIALLY_KEPT', 'BROKEN'))")}, 0)`);
        break;
      case 'daysSinceLastContact':
        select.push(`($1::date - ${agg('ca', `max(c.contact_date)${k.params.reachedOnly ? ' FILTER (WHERE c.reached)' : ''}`)})::numeric`);
        break;
      case 'daysSinceLastPayment': select.push(`($1::date - ${agg('ya', 'max(y.payment_date)')})::numeric`); break;
      // payment plans: an installment in breach = not paid in full by due date + tolerance (BROKEN or PARTIALLY_KEPT)
      case 'brokenInstallments':
        select.push(`coalesce(${agg('ib', "count(*) FILTER (WHERE n.status IN ('BROKEN', 'PARTIALLY_KEPT'))")}, 0)::numeric`);
        break;
      case 'paymentPlanBroken':
        select.push(`coalesce(${agg('ib', "bool_or(n.status IN ('BROKEN', 'PARTIALLY_KEPT'))")}, false)`);
        break;
      case 'resubmissionDue': resubmissions = true; select.push('(ra.partner_id IS NOT NULL)'); break;
      default: throw new Error(`No SQL for fact ${k.fact}`);
    }
  }

  const creditFx = factKeys.some((k) => k.fact === 'creditLimit' || k.fact === 'creditUtilization');
  const figures: string[] = [];
  if (options.worklistFigures) {
    const limits = options.worklistFigures.agingLimits;
    const buckets = agingBuckets(limits).map((b) => {
      const c: string[] = [];
      if (b.from !== null) c.push(`${dd} >= ${param(b.from, 'integer')}`);
      if (b.to !== null) c.push(`${dd} <= ${param(b.to, 'integer')}`);
      // Display figures: rounded to the four decimals of stored money.
      return `round(coalesce(${agg('ia', c.length ? `sum(oi.amount) FILTER (WHERE ${c.join(' AND ')})` : 'sum(oi.amount)')}, 0), 4)`;
    });
    figures.push(`ARRAY[${buckets.join(', ')}] AS w_aging`);
    figures.push(`${agg('ya', 'max(y.payment_date)')} AS w_last_payment_date`);
    resubmissions = true;
    figures.push('ra.resubmission_date AS w_resubmission_date');
    figures.push('p.specialist_id AS w_fixed_specialist_id', 'p.collection_group_key::text AS w_group_key');
    // A row converted with a missing rate: the caller then fails the run naming the pair (fxCheckSql),
    // without a separate scan of every table up front.
    const missing: string[] = [];
    if (sources.ia.size) missing.push(agg('ia', 'bool_or(oi.nofx)'));
    if (sources.da.size) missing.push(agg('da', 'bool_or(dfx.rate IS NULL)'));
    if (sources.pa.size || (sources.fi.size && flagsNeedPromises)) missing.push(agg('pa', 'bool_or(s.nofx)'));
    if (creditFx) missing.push('(p.credit_limit IS NOT NULL AND pfx.rate IS NULL)');
    figures.push(`(${missing.map((m) => `coalesce(${m}, false)`).join(' OR ') || 'false'}) AS w_fx_missing`);
  }

  // Conversion rate of a row's currency: a join to the fx CTE, or a CASE over the given rates.
  let rateCase: ((col: string) => string) | undefined;
  if (options.rates) {
    const rates = options.rates;
    let arms: string[] | undefined;
    // Parameters only once a conversion is used (unused ones would be an error); the strategy
    // currency first (most rows), at 1.
    rateCase = (col) => {
      arms ??= ['WHEN $2::text::char(3) THEN 1::numeric', ...rates.filter((r) => r.currency !== options.currency)
        .map((r) => `WHEN ${param(r.currency, 'char(3)')} THEN ${param(r.rate, 'numeric')}`)];
      return `CASE ${col} ${arms.join(' ')} END`;
    };
  }
  const fxJoin = (alias: string, currency: string) => rateCase
    ? `CROSS JOIN LATERAL (SELECT ${rateCase(currency)} AS rate) ${alias}`
    : `LEFT JOIN fx ${alias} ON ${alias}.cur = ${currency}`;

  const cols = (src: Source) => [...src].map(([expr, alias]) => `,\n      ${expr} AS ${alias}`).join('');
  const needFlags = sources.fi.size > 0;
  const needPromises = sources.pa.size > 0 || (needFlags && flagsNeedPromises);
  const openDispute = `d.status IN ('OPEN', 'IN_PROCESS') AND d.created_date <= $1::date`;
  // Without the fx CTE the key date might go unreferenced (master-data facts only); this types it.
  const ctes: string[] = rateCase ? ['params AS (SELECT $1::date AS as_of, $2::text AS currency)'] : [FX];
  const joins: string[] = [];
  if (creditFx) joins.push(fxJoin('pfx', 'p.currency'));

  if (needPromises) {
    // promise status at D (DESIGN.md): paid on the item from creation to promised date + tolerance, and by D
    const uniform = options.uniformToleranceDays;
    const tolerance = uniform === undefined ? 'coalesce(cc.promise_tolerance_days, 3)'
      : `CASE WHEN q.item_id IS NULL THEN 3 ELSE ${param(uniform, 'integer')} END`;
    const paid = 'coalesce(sum(y.amount * yfx.rate), 0)';
    ctes.push(`prs AS (SELECT q.partner_id, q.item_id, q.promised_date, q.amount * qfx.rate AS amount,
      ${judgedStatusSql({ cancelled: 'q.cancelled', paid, amount: 'q.amount * qfx.rate', deadline: `q.promised_date + ${tolerance}`, asOf: '$1::date' })} AS status,
      qfx.rate IS NULL OR bool_or(y.id IS NOT NULL AND yfx.rate IS NULL) AS nofx
    FROM promises q ${fxJoin('qfx', 'q.currency')}${uniform === undefined ? `
    LEFT JOIN open_items it ON it.id = q.item_id LEFT JOIN company_codes cc ON cc.code = it.company_code` : ''}
    LEFT JOIN payments y ON y.item_id = q.item_id AND y.payment_date >= q.created_date
      AND y.payment_date <= q.promised_date + ${tolerance} AND y.payment_date <= $1::date
    ${fxJoin('yfx', 'y.currency')}
    WHERE q.created_date <= $1::date${filter('q.partner_id')}
    GROUP BY q.id, qfx.rate${uniform === undefined ? ', cc.promise_tolerance_days' : ''})`);
  }
  if (sources.ia.size) {
    ctes.push(`ia AS (SELECT oi.partner_id${cols(sources.ia)}
    FROM (SELECT i.partner_id, i.dunning_level, i.dunning_block, $1::date - i.due_date AS dd, i.open_amount * ifx.rate AS amount,
        ifx.rate IS NULL AS nofx
      FROM open_items i ${fxJoin('ifx', 'i.currency')}
      WHERE i.open_amount > 0${filter('i.partner_id')}) oi
    GROUP BY oi.partner_id)`);
    joins.push('LEFT JOIN ia ON ia.partner_id = p.id');
  }
  if (needFlags) {
    // the few items with an open dispute (or an OPEN promise) on them
    // (disputes are narrowed by their own partner_id: a dispute carries its item's partner, DESIGN.md "Scale")
    const flagged = [`SELECT d.item_id, true AS disputed FROM disputes d WHERE d.item_id IS NOT NULL AND ${openDispute}${filter('d.partner_id')}`];
    if (flagsNeedPromises) flagged.push("SELECT s.item_id, false FROM prs s WHERE s.item_id IS NOT NULL AND s.status = 'OPEN'");
    ctes.push(`fi AS (SELECT i.partner_id${cols(sources.fi)}
    FROM (SELECT u.item_id, bool_or(u.disputed) AS disputed FROM (${flagged.join('\n      UNION ALL ')}) u GROUP BY u.item_id) f
    JOIN open_items i ON i.id = f.item_id ${fxJoin('ifx', 'i.currency')}
    WHERE i.open_amount > 0${filter('i.partner_id')}
    GROUP BY i.partner_id)`);
    joins.push('LEFT JOIN fi ON fi.partner_id = p.id');
  }
  if (companyCodes) {
    ctes.push(`icc AS (SELECT x.partner_id, array_agg(x.code ORDER BY x.code) AS codes
    FROM (SELECT DISTINCT i.partner_id, i.company_code::text AS code FROM open_items i WHERE i.open_amount > 0${filter('i.partner_id')}) x
    GROUP BY x.partner_id)`);
    joins.push('LEFT JOIN icc ON icc.partner_id = p.id');
  }
  if (sources.da.size) {
    ctes.push(`da AS (SELECT d.partner_id${cols(sources.da)}
    FROM disputes d ${fxJoin('dfx', 'd.currency')} WHERE ${openDispute}${filter('d.partner_id')} GROUP BY d.partner_id)`);
    joins.push('LEFT JOIN da ON da.partner_id = p.id');
  }
  if (sources.pa.size) {
    ctes.push(`pa AS (SELECT s.partner_id${cols(sources.pa)}
    FROM prs s GROUP BY s.partner_id)`);
    joins.push('LEFT JOIN pa ON pa.partner_id = p.id');
  }
  if (sources.ca.size) {
    ctes.push(`ca AS (SELECT c.partner_id${cols(sources.ca)}
    FROM contacts c WHERE c.contact_date <= $1::date${filter('c.partner_id')} GROUP BY c.partner_id)`);
    joins.push('LEFT JOIN ca ON ca.partner_id = p.id');
  }
  if (sources.ya.size) {
    ctes.push(`ya AS (SELECT y.partner_id${cols(sources.ya)}
    FROM payments y WHERE y.payment_date <= $1::date${filter('y.partner_id')} GROUP BY y.partner_id)`);
    joins.push('LEFT JOIN ya ON ya.partner_id = p.id');
  }
  if (sources.ib.size) {
    ctes.push(`ins AS (${installmentStatusSql('$1::date', `true${filter('n.partner_id')}`)})`);
    ctes.push(`ib AS (SELECT n.partner_id${cols(sources.ib)}
    FROM ins n GROUP BY n.partner_id)`);
    joins.push('LEFT JOIN ib ON ib.partner_id = p.id');
  }
  if (resubmissions) {
    ctes.push(`ra AS (SELECT r.partner_id, min(r.resubmission_date) AS resubmission_date FROM resubmissions r
    WHERE NOT r.done AND r.resubmission_date <= $1::date${filter('r.partner_id')} GROUP BY r.partner_id)`);
    joins.push('LEFT JOIN ra ON ra.partner_id = p.id');
  }
  const text = `${ctes.length ? `WITH ${ctes.join(',\n  ')}\n` : ''}SELECT p.id AS partner_id${factKeys.map((k, i) => `,\n  ${select[i]} AS "${k.column}"`).join('')}${figures.map((f) => `,\n  ${f}`).join('')}
FROM partners p${joins.map((j) => `\n${j}`).join('')}
WHERE true${filter('p.id', true)}${options.unordered ? '' : '\nORDER BY p.id'}`;
  return { text, values };
}
