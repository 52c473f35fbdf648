/**
 * The facts at key date D derived from the maintained parts (issue 19; the parts are defined and
 * computed by migration 1796690000000-MaintainedFacts): the same columns as the mirror path of
 * factRowsSql, exact for every partner whose horizon (latest event date) is on or before D, since
 * then every dated event is known at D and only the comparisons with D remain:
 * - partner_facts `pf` (one row per partner with AR data): levels, company codes, last dates, the
 *   next resubmission, kept promises, the deadlines of unpaid installments;
 * - partner_fact_currencies `c`, one row per partner and currency with the currency's rate, per
 *   partner into `mc`: open items as cumulative amounts and counts over their sorted distinct due
 *   dates, so an amount "due on or before X" is one binary search (width_bucket returns how many
 *   dates are <= X) and one array subscript;
 * - the few flagged items (`mf`) and judgeable promises (`mp`), parallel arrays of the currency
 *   rows that have any, unnested (set-based: no subquery per row) and aggregated per partner.
 * Each is joined only when a requested column reads it. Money is converted per currency (a sum
 * times its rate: exactly the sum of the items' converted amounts), and sums leave out the
 * currencies the mirror path has no rows of, so that every numeric has the same scale as there.
 */
import type { FactRowsQuery, FxSources } from './fact-rows';
import type { FactKey } from './facts';

/** What the derivation takes from the mirror path's definitions (fact-rows.ts). */
export interface MaintainedDefinitions {
  /** With the worklist figures: the ageing buckets of their limits (agingBuckets). */
  agingBuckets?: { from: number | null; to: number | null }[];
  /** A fact of the partner master data, as the mirror path computes it (undefined for other facts). */
  partnerFactSql: (k: FactKey) => string | undefined;
  /** What the mirror path's columns convert: w_fx_missing flags a missing rate of the same sources. */
  fxSources: FxSources;
}

const D = '$1::date';

/**
 * The derivation's SELECT over the selected partners (ending in its WHERE, so that a caller can
 * narrow it further) and its CTEs (not the rates' CTE: the caller's, shared with a mirror part).
 */
export function maintainedRowsSelect(q: FactRowsQuery, factKeys: FactKey[], defs: MaintainedDefinitions): { ctes: string[]; select: string } {
  const m = new Derivation(q);
  // The credit limit facts convert the limit: the rate of the partner currency (pfx).
  m.creditRate = defs.fxSources.creditLimit;
  const columns = factKeys.map((k) => `${defs.partnerFactSql(k) ?? factSql(m, k)} AS "${k.column}"`);
  if (defs.agingBuckets) columns.push(...worklistFigureColumns(m, defs.agingBuckets, defs.fxSources));
  const used = PER_CURRENCY.filter((a) => m.uses(a.alias));
  const joins = [
    m.partnerFacts ? `LEFT JOIN (SELECT * FROM partner_facts pf WHERE true${q.partnerFilter('pf.partner_id')}) pf ON pf.partner_id = p.id` : undefined,
    ...used.map((a) => `LEFT JOIN ${a.alias} ON ${a.alias}.partner_id = p.id`),
    m.creditRate ? q.fxJoin('pfx', 'p.currency') : undefined,
  ].filter((j) => j !== undefined);
  // The currency rows with the columns read and their rate, computed once per row (OFFSET 0 keeps
  // the planner from pulling the subquery up, which would evaluate a given-rates CASE at every
  // reference); all of them in partner order (the key's), so that they are grouped without a sort.
  const rows = (a: (typeof used)[number]) => `(SELECT ${m.rowColumns(a.alias, a.unnest).join(', ')}, cfx.rate
      FROM partner_fact_currencies c ${q.fxJoin('cfx', 'c.currency')}
      WHERE ${a.where}${q.partnerFilter('c.partner_id')}${a.unnest ? '' : ' ORDER BY c.partner_id'} OFFSET 0) c`;
  const ctes = used.map(
    (a) => `${a.alias} AS (SELECT c.partner_id${m.columns(a.alias)}
    FROM ${rows(a)}${a.unnest ? `, ${a.unnest}` : ''}
    GROUP BY c.partner_id)`,
  );
  const select = `SELECT ${['p.id AS partner_id', ...columns].join(',\n  ')}
FROM ${['partners p', ...joins].join('\n')}
WHERE true${q.partnerFilter('p.id', true)}`;
  return { ctes, select };
}

/**
 * The per-partner aggregates over the currency rows `c` (with `c.rate`): mc over every row; mf over
 * the flagged items f(due, amount, disputed, blocked, promised_until) and mp over the judgeable
 * promises u(deadline, promised_date, amount, paid) of the rows that have any.
 */
type PerCurrency = 'mc' | 'mf' | 'mp';
const PER_CURRENCY: Array<{ alias: PerCurrency; where: string; unnest?: string }> = [
  { alias: 'mc', where: 'true' },
  {
    alias: 'mf',
    where: 'c.flag_due_dates IS NOT NULL',
    unnest:
      'unnest(c.flag_due_dates, c.flag_amounts, c.flag_disputed, c.flag_blocked, c.flag_promised_until) f(due, amount, disputed, blocked, promised_until)',
  },
  {
    alias: 'mp',
    where: 'c.promise_deadlines IS NOT NULL',
    unnest: 'unnest(c.promise_deadlines, c.promise_dates, c.promise_amounts, c.promise_paid) u(deadline, promised_date, amount, paid)',
  },
];

/** The columns the derivation asks of each per-partner aggregate, and whether it reads pf. */
class Derivation {
  private readonly aggregates = new Map<PerCurrency, Map<string, string>>();
  private aliasSeq = 0;
  partnerFacts = false;
  creditRate = false;

  constructor(readonly q: FactRowsQuery) {}

  /** The per-partner aggregate `expr` of `src` (mc by default), as `src.aN`. */
  agg(expr: string, src: PerCurrency = 'mc'): string {
    let columns = this.aggregates.get(src);
    if (!columns) this.aggregates.set(src, (columns = new Map()));
    let alias = columns.get(expr);
    if (!alias) columns.set(expr, (alias = `a${++this.aliasSeq}`));
    return `${src}.${alias}`;
  }

  /** A column of partner_facts. */
  pf(column: string): string {
    this.partnerFacts = true;
    return `pf.${column}`;
  }

  uses(src: PerCurrency): boolean {
    return (this.aggregates.get(src)?.size ?? 0) > 0;
  }

  /** The columns of the currency rows (c) that src's aggregates (and `also`) read. */
  rowColumns(src: PerCurrency, also = ''): string[] {
    const text = [...(this.aggregates.get(src)?.keys() ?? []), also].join(' ');
    const read = new Set(['c.partner_id', ...[...text.matchAll(/\bc\.([a-z_]+)\b/g)].map((x) => `c.${x[1]}`)]);
    read.delete('c.rate');
    return [...read];
  }

  columns(src: PerCurrency): string {
    return [...(this.aggregates.get(src) ?? [])].map(([expr, alias]) => `,\n      ${expr} AS ${alias}`).join('');
  }

  int(value: unknown): string {
    return this.q.param(value, 'integer');
  }
}

/** The cumulative `cum` (amounts or counts) of the currency row's items due on or before `x` (NULL: none). */
const upTo = (dates: string, cum: string, x: string) => `c.${cum}[width_bucket(${x}, c.${dates})]`;
/** The cumulative `cum` over all the row's open items (NULL: none in this currency). */
const all = (cum: string) => `c.${cum}[cardinality(c.${cum})]`;
/** Items due on or before x, as a currency row's amount (NULL: none) and count. */
const amountUpTo = (x: string) => upTo('due_dates', 'due_amounts', x);
const countUpTo = (x: string) => upTo('due_dates', 'due_counts', x);

/** Flagged at D: an open dispute on the item, or a promise on it still OPEN (deadline on or after D). */
const FLAGGED_AT_D = `(f.disputed OR f.promised_until >= ${D})`;
const OVERDUE_FLAG = `f.due <= ${D} - 1`;

const openAmount = (m: Derivation) => m.agg(`sum(${all('due_amounts')} * c.rate)`);
const overdueAmount = (m: Derivation, minDaysOverdue: unknown) => m.agg(`sum(${amountUpTo(`${D} - ${m.int(minDaysOverdue)}`)} * c.rate)`);
/** Disputed amount, from the currencies with open disputes only (as the mirror path's rows). */
const disputedAmount = (m: Derivation) => m.agg('sum(CASE WHEN c.open_disputes > 0 THEN c.disputed_amount * c.rate END)');
const brokenWithin = (m: Derivation, withinDays: unknown) =>
  `u.deadline < ${D} AND NOT u.paid AND u.promised_date BETWEEN ${D} - ${m.int(withinDays)} AND ${D}`;

type MaintainedFactSql = (m: Derivation, params: FactKey['params']) => string;

/** Each fact (but the master data's) from the parts at D, in the strategy currency; the same type and value as the mirror path's. */
const FACT_SQL = new Map<string, MaintainedFactSql>(
  Object.entries({
    creditUtilization: (m) => `CASE WHEN p.credit_limit * pfx.rate > 0 THEN coalesce(${openAmount(m)}, 0) / (p.credit_limit * pfx.rate) * 100 END`,
    openAmount: (m) => `coalesce(${openAmount(m)}, 0)`,
    openItemCount: (m) => `coalesce(${m.agg(`sum(${all('due_counts')})`)}, 0)::numeric`,
    overdueAmount: (m, k) => `coalesce(${overdueAmount(m, k.minDaysOverdue)}, 0)`,
    overdueItemCount: (m, k) => `coalesce(${m.agg(`sum(${countUpTo(`${D} - ${m.int(k.minDaysOverdue)}`)})`)}, 0)::numeric`,
    // due from D to D + withinDays (none for a negative window, as the mirror path's filter); a
    // currency with nothing due then is left out (NULL), as it has no row there
    dueAmount: (m, k) =>
      `coalesce(${m.agg(
        `sum(nullif(coalesce(${amountUpTo(`greatest(${D} + ${m.int(k.withinDays)}, ${D} - 1)`)}, 0) - coalesce(${amountUpTo(`${D} - 1`)}, 0), 0) * c.rate)`,
      )}, 0)`,
    maxDaysOverdue: (m) => `(${D} - ${m.agg('min(c.due_dates[1])')})::numeric`,
    maxDunningLevel: (m) => `coalesce(${m.pf('max_dunning_level')}, 0)::numeric`,
    dunnedAmount: (m) => `coalesce(${m.agg('sum(CASE WHEN c.dunned_amount <> 0 THEN c.dunned_amount * c.rate END)')}, 0)`,
    amountToBeCollected: (m) => {
      // overdue open items with neither an open dispute nor an OPEN promise on the item
      const flagged = m.agg(`sum(f.amount * c.rate) FILTER (WHERE ${OVERDUE_FLAG} AND ${FLAGGED_AT_D})`, 'mf');
      return `coalesce(${overdueAmount(m, 1)}, 0) - coalesce(${flagged}, 0)`;
    },
    allOverdueDisputedOrBlocked: (m) => {
      // at least one overdue item, and every overdue item is blocked or (unblocked and) disputed
      const n = m.agg(`sum(${countUpTo(`${D} - 1`)})`);
      const blocked = m.agg(`sum(${upTo('blocked_due_dates', 'blocked_counts', `${D} - 1`)})`);
      const disputed = m.agg(`count(*) FILTER (WHERE ${OVERDUE_FLAG} AND f.disputed AND NOT f.blocked)`, 'mf');
      return `(coalesce(${n}, 0) > 0 AND ${n} = coalesce(${blocked}, 0) + coalesce(${disputed}, 0))`;
    },
    companyCodes: (m) => `coalesce(${m.pf('company_codes')}, '{}'::text[])`,
    disputedAmount: (m) => `coalesce(${disputedAmount(m)}, 0)`,
    openDisputeCount: (m) => `coalesce(${m.agg('sum(c.open_disputes)')}, 0)::numeric`,
    disputedShare: (m) => {
      const open = openAmount(m);
      return `CASE WHEN ${open} > 0 THEN coalesce(${disputedAmount(m)}, 0) / ${open} * 100 END`;
    },
    promisedAmount: (m) => `coalesce(${m.agg(`sum(u.amount * c.rate) FILTER (WHERE u.deadline >= ${D})`, 'mp')}, 0)`,
    brokenPromises: (m, k) => `coalesce(${m.agg(`count(*) FILTER (WHERE ${brokenWithin(m, k.withinDays)})`, 'mp')}, 0)::numeric`,
    brokenPromiseAmount: (m, k) => `coalesce(${m.agg(`sum(u.amount * c.rate) FILTER (WHERE ${brokenWithin(m, k.withinDays)})`, 'mp')}, 0)`,
    // judged by D: kept, or (judgeable) past the deadline; the deadlines are sorted, so a binary search counts them
    keptPromiseRatio: (m) =>
      `${m.pf('kept_promises')}::numeric / nullif(${m.pf('kept_promises')} + coalesce(${m.agg(`sum(width_bucket(${D} - 1, c.promise_deadlines))`)}, 0), 0)`,
    daysSinceLastContact: (m, k) => `(${D} - ${m.pf(k.reachedOnly ? 'last_reached_contact' : 'last_contact')})::numeric`,
    daysSinceLastPayment: (m) => `(${D} - ${m.pf('last_payment')})::numeric`,
    // an installment is in breach once its deadline is past
    brokenInstallments: (m) => `coalesce(width_bucket(${D} - 1, ${m.pf('installment_deadlines')}), 0)::numeric`,
    paymentPlanBroken: (m) => `coalesce(width_bucket(${D} - 1, ${m.pf('installment_deadlines')}) > 0, false)`,
    resubmissionDue: (m) => `coalesce(${m.pf('next_resubmission')} <= ${D}, false)`,
  } satisfies Record<string, MaintainedFactSql>),
);

function factSql(m: Derivation, k: FactKey): string {
  const sql = FACT_SQL.get(k.fact);
  if (!sql) throw new Error(`No maintained SQL for fact ${k.fact}`);
  return sql(m, k.params);
}

/** The `w_…` columns of FactRowsOptions.worklistFigures, as the mirror path's. */
function worklistFigureColumns(m: Derivation, buckets: NonNullable<MaintainedDefinitions['agingBuckets']>, fx: FxSources): string[] {
  const next = m.pf('next_resubmission');
  return [
    `${agingColumn(m, buckets)} AS w_aging`,
    `${m.pf('last_payment')} AS w_last_payment_date`,
    `CASE WHEN ${next} <= ${D} THEN ${next} END AS w_resubmission_date`,
    'p.specialist_id AS w_fixed_specialist_id',
    'p.collection_group_key::text AS w_group_key',
    `${fxMissingColumn(m, fx)} AS w_fx_missing`,
  ];
}

/** Open amount per ageing bucket [from, to] days overdue: due on or before D - from, less due on or before D - to - 1. */
function agingColumn(m: Derivation, buckets: NonNullable<MaintainedDefinitions['agingBuckets']>): string {
  const columns = buckets.map((b) => {
    const upper = b.from === null ? all('due_amounts') : amountUpTo(`${D} - ${m.int(b.from)}`);
    const lower = b.to === null ? '0' : `coalesce(${amountUpTo(`${D} - ${m.int(b.to)} - 1`)}, 0)`;
    // Display figures: rounded to the four decimals of stored money.
    return `round(coalesce(${m.agg(`sum((coalesce(${upper}, 0) - ${lower}) * c.rate)`)}, 0), 4)`;
  });
  return `ARRAY[${columns.join(', ')}]`;
}

/** A currency of what the mirror path's columns convert without a rate (FxSources), or the credit limit's. */
function fxMissingColumn(m: Derivation, fx: FxSources): string {
  const missing: string[] = [];
  if (fx.items) missing.push(m.agg('bool_or(c.due_dates IS NOT NULL AND c.rate IS NULL)'));
  if (fx.disputes) missing.push(m.agg('bool_or(c.open_disputes > 0 AND c.rate IS NULL)'));
  if (fx.promises) missing.push(m.agg('bool_or(c.has_promises AND c.rate IS NULL)'));
  if (fx.creditLimit) missing.push('(p.credit_limit IS NOT NULL AND pfx.rate IS NULL)');
  return `(${missing.map((x) => `coalesce(${x}, false)`).join(' OR ') || 'false'})`;
}
