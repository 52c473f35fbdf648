/**
 * First cut of the set-based fact computation: one parameterised SELECT over the AR mirror
 * returning, per partner, `partner_id` and one column per requested fact key at key date D,
 * money converted into the strategy currency with the latest fx_rates row on or before D.
 * Run `fxCheckSql` first: a missing rate must fail the run naming the pair (DESIGN.md), and
 * this query would otherwise just yield NULL for the converted amounts.
 */
import type { FactKey } from './facts';

export interface FactRowsOptions {
  /** Strategy currency (ISO code). */
  currency: string;
  /** Key date D, 'YYYY-MM-DD'. */
  asOf: string;
  /** Restrict to these partner ids (else all partners). */
  partnerIds?: (number | string)[];
}

export interface ParameterisedSql {
  text: string;
  values: unknown[];
}

// Amount of a row with currency column `cur`, in the strategy currency ($2).
const conv = (amount: string, cur: string) => `(${amount} * CASE WHEN ${cur} = $2::text THEN 1 ELSE (SELECT fx.rate FROM fx WHERE fx.cur = ${cur}) END)`;

const FX = `fx AS (SELECT DISTINCT ON (from_currency) from_currency AS cur, rate FROM fx_rates
    WHERE to_currency = $2::text AND rate_date <= $1::date ORDER BY from_currency, rate_date DESC)`;

/** Currency pairs (from -> strategy currency) used by the AR mirror with no rate on or before D. */
export function fxCheckSql(options: Omit<FactRowsOptions, 'partnerIds'>): ParameterisedSql {
  return {
    text: `WITH ${FX},
  used AS (SELECT currency FROM open_items WHERE open_amount > 0 UNION SELECT currency FROM payments
    UNION SELECT currency FROM promises UNION SELECT currency FROM disputes
    UNION SELECT currency FROM partners WHERE credit_limit IS NOT NULL)
SELECT used.currency::text AS from_currency, $2::text AS to_currency FROM used
WHERE used.currency <> $2::text AND NOT EXISTS (SELECT 1 FROM fx WHERE fx.cur = used.currency) ORDER BY 1`,
    values: [options.asOf, options.currency],
  };
}

export function factRowsSql(factKeys: FactKey[], options: FactRowsOptions): ParameterisedSql {
  const values: unknown[] = [options.asOf, options.currency];
  const param = (v: unknown, type: string) => `$${values.push(v)}::${type}`;
  const partnerFilter = options.partnerIds ? `WHERE id = ANY(${param(options.partnerIds.map(String), 'bigint[]')})` : '';

  const item = (k: FactKey): string => {
    const dd = 'oi.days_overdue';
    switch (k.fact) {
      case 'openAmount': return 'coalesce(sum(oi.amount), 0)';
      case 'openItemCount': return 'count(oi.id)::numeric';
      case 'overdueAmount': return `coalesce(sum(oi.amount) FILTER (WHERE ${dd} >= ${param(k.params.minDaysOverdue, 'integer')}), 0)`;
      case 'overdueItemCount': return `count(oi.id) FILTER (WHERE ${dd} >= ${param(k.params.minDaysOverdue, 'integer')})::numeric`;
      case 'dueAmount': return `coalesce(sum(oi.amount) FILTER (WHERE ${dd} <= 0 AND ${dd} >= -${param(k.params.withinDays, 'integer')}), 0)`;
      case 'maxDaysOverdue': return `max(${dd})::numeric`;
      case 'maxDunningLevel': return 'coalesce(max(oi.dunning_level), 0)::numeric';
      case 'amountToBeCollected': return `coalesce(sum(oi.amount) FILTER (WHERE ${dd} >= 1 AND NOT oi.disputed AND NOT oi.promised), 0)`;
      case 'allOverdueDisputedOrBlocked': return `coalesce(bool_and(oi.disputed OR oi.dunning_block) FILTER (WHERE ${dd} >= 1), false)`;
      case 'companyCodes': return `coalesce(array_agg(DISTINCT oi.company_code::text ORDER BY oi.company_code::text) FILTER (WHERE oi.id IS NOT NULL), '{}'::text[])`;
      default: throw new Error(`not an item fact: ${k.fact}`);
    }
  };
  const ITEM_FACTS = new Set(['openAmount', 'openItemCount', 'overdueAmount', 'overdueItemCount', 'dueAmount', 'maxDaysOverdue',
    'maxDunningLevel', 'amountToBeCollected', 'allOverdueDisputedOrBlocked', 'companyCodes']);

  const itemColumns: string[] = [];
  const select: string[] = [];
  for (const k of factKeys) {
    const col = `"${k.column}"`;
    if (ITEM_FACTS.has(k.fact)) {
      itemColumns.push(`${item(k)} AS ${col}`);
      select.push(`ia.${col}`);
      continue;
    }
    switch (k.fact) {
      case 'currency': case 'country': case 'segment': select.push(`p.${k.fact}::text`); break;
      case 'customerType': select.push('p.customer_type::text'); break;
      case 'riskClass': select.push('p.risk_class::text'); break;
      case 'creditLimit': select.push(conv('p.credit_limit', 'p.currency')); break;
      case 'creditUtilization': select.push(`CASE WHEN ${conv('p.credit_limit', 'p.currency')} > 0 THEN ia.open_amount / ${conv('p.credit_limit', 'p.currency')} * 100 END`); break;
      case 'disputedAmount': select.push('coalesce(da.amount, 0)'); break;
      case 'openDisputeCount': select.push('coalesce(da.n, 0)::numeric'); break;
      case 'disputedShare': select.push('CASE WHEN ia.open_amount > 0 THEN coalesce(da.amount, 0) / ia.open_amount * 100 END'); break;
      case 'promisedAmount': select.push("coalesce((SELECT sum(s.amount) FROM prs s WHERE s.partner_id = p.id AND s.status = 'OPEN'), 0)"); break;
      case 'brokenPromises':
        select.push(`(SELECT count(*) FROM prs s WHERE s.partner_id = p.id AND s.status = 'BROKEN' AND s.promised_date BETWEEN $1::date - ${param(k.params.withinDays, 'integer')} AND $1::date)::numeric`);
        break;
      case 'keptPromiseRatio':
        select.push(`(SELECT count(*) FILTER (WHERE s.status = 'KEPT')::numeric / nullif(count(*) FILTER (WHERE s.status IN ('KEPT', 'PARTIALLY_KEPT', 'BROKEN')), 0) FROM prs s WHERE s.partner_id = p.id)`);
        break;
      case 'daysSinceLastContact':
        select.push(`($1::date - (SELECT max(c.contact_date) FROM contacts c WHERE c.partner_id = p.id AND c.contact_date <= $1::date${k.params.reachedOnly ? ' AND c.reached' : ''}))::numeric`);
        break;
      case 'daysSinceLastPayment':
        select.push('($1::date - (SELECT max(y.payment_date) FROM payments y WHERE y.partner_id = p.id AND y.payment_date <= $1::date))::numeric');
        break;
      case 'resubmissionDue':
        select.push('EXISTS (SELECT 1 FROM resubmissions r WHERE r.partner_id = p.id AND NOT r.done AND r.resubmission_date <= $1::date)');
        break;
      default: throw new Error(`No SQL for fact ${k.fact}`);
    }
  }
  const openDispute = `d.status IN ('OPEN', 'IN_PROCESS') AND d.created_date <= $1::date`;
  const text = `WITH ${FX},
  p AS (SELECT * FROM partners ${partnerFilter}),
  -- promise status at D (DESIGN.md): paid on the item from creation to promised date + tolerance, and by D
  pr AS (SELECT q.partner_id, q.item_id, q.promised_date, q.cancelled, ${conv('q.amount', 'q.currency')} AS amount,
      q.promised_date + coalesce(cc.promise_tolerance_days, 3) AS deadline,
      coalesce((SELECT sum(${conv('y.amount', 'y.currency')}) FROM payments y WHERE q.item_id IS NOT NULL AND y.item_id = q.item_id
        AND y.payment_date >= q.created_date AND y.payment_date <= q.promised_date + coalesce(cc.promise_tolerance_days, 3)
        AND y.payment_date <= $1::date), 0) AS paid
    FROM promises q JOIN p ON p.id = q.partner_id
    LEFT JOIN open_items it ON it.id = q.item_id LEFT JOIN company_codes cc ON cc.code = it.company_code
    WHERE q.created_date <= $1::date),
  prs AS (SELECT partner_id, item_id, promised_date, amount,
      CASE WHEN cancelled THEN 'CANCELLED' WHEN paid >= amount THEN 'KEPT'
        WHEN $1::date > deadline THEN CASE WHEN paid > 0 THEN 'PARTIALLY_KEPT' ELSE 'BROKEN' END ELSE 'OPEN' END AS status
    FROM pr),
  oi AS (SELECT i.id, i.partner_id, i.company_code, i.dunning_level, i.dunning_block, ($1::date - i.due_date) AS days_overdue,
      ${conv('i.open_amount', 'i.currency')} AS amount,
      EXISTS (SELECT 1 FROM disputes d WHERE d.item_id = i.id AND ${openDispute}) AS disputed,
      EXISTS (SELECT 1 FROM prs s WHERE s.item_id = i.id AND s.status = 'OPEN') AS promised
    FROM open_items i JOIN p ON p.id = i.partner_id WHERE i.open_amount > 0),
  ia AS (SELECT p.id AS partner_id, coalesce(sum(oi.amount), 0) AS open_amount${itemColumns.map((c) => `,\n      ${c}`).join('')}
    FROM p LEFT JOIN oi ON oi.partner_id = p.id GROUP BY p.id),
  da AS (SELECT d.partner_id, sum(${conv('d.disputed_amount', 'd.currency')}) AS amount, count(*) AS n
    FROM disputes d JOIN p ON p.id = d.partner_id WHERE ${openDispute} GROUP BY d.partner_id)
SELECT p.id AS partner_id${factKeys.map((k, i) => `,\n  ${select[i]} AS "${k.column}"`).join('')}
FROM p JOIN ia ON ia.partner_id = p.id LEFT JOIN da ON da.partner_id = p.id
ORDER BY p.id`;
  return { text, values };
}
