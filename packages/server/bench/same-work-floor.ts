/**
 * The "same-work floor" of `pnpm bench:worklist` (issue 19): the facts and figures a live run of
 * the demo strategy (DEMO_STRATEGY) reads, computed by one hand-written statement over the AR
 * mirror, one GROUP BY per source table, nothing the run does not need and no generated SQL. It
 * is what a person would write for exactly this strategy at this key date: the reference the
 * run's fact phase and the whole run are measured against.
 *
 * The columns are named as the run's fact rows name them (factRowsFor), so the bench can check
 * row by row that the floor computes the same values as the run (`compareWithFloor`): a floor
 * that computed less would flatter the run.
 *
 * What the strategy reads (DEMO_STRATEGY and the worklist figures, see worklist-run.sql.ts):
 * - partners: segment, risk class, credit limit (converted), fixed specialist, collection group;
 * - open items open at D: count, open, overdue (>= 1 day), due today, dunned (level >= 1), max
 *   level, max days overdue, the ageing buckets of the strategy's limits, and per item whether it
 *   is flagged (an open dispute or an OPEN promise on it) for the amount to be collected and
 *   "all overdue disputed or blocked"; the level of an item at D comes from its notice history
 *   (dunning_level_changes) when it has one;
 * - disputes open at D (status at D from dispute_status_changes): disputed amount, flagged items;
 * - promises by status at D (their item's payments from creation to deadline): promised amount,
 *   broken promises within 90 days, broken promise amount within 365 days, flagged items;
 * - contacts: last reached contact; payments: last payment; resubmissions: the earliest due;
 * - whether an amount had no rate (w_fx_missing).
 * Written for key date D = the data's today: no payment is dated after D (the bench checks it),
 * so an item's open amount at D is today's and no cleared item reopens.
 */

/** The fact keys this floor computes (factKeysFor(DEMO_STRATEGY) at the time of writing), and the figures. */
export const FLOOR_FACT_KEYS = [
  'openItemCount',
  'resubmissionDue',
  'openAmount',
  'overdueAmount{"minDaysOverdue":1}',
  'dueAmount{"withinDays":0}',
  'amountToBeCollected',
  'promisedAmount',
  'disputedAmount',
  'brokenPromiseAmount{"withinDays":365}',
  'dunnedAmount',
  'maxDunningLevel',
  'maxDaysOverdue',
  'segment',
  'allOverdueDisputedOrBlocked',
  'brokenPromises{"withinDays":90}',
  'riskClass',
  'creditUtilization',
  'daysSinceLastContact{"reachedOnly":true}',
];
export const FLOOR_FIGURES = ['w_aging', 'w_last_payment_date', 'w_resubmission_date', 'w_fixed_specialist_id', 'w_group_key', 'w_fx_missing'];

export interface FloorParams {
  asOf: string;
  currency: string;
  segments: string[];
  /** Rates into the strategy currency at D (fxRatesSql's rows), the strategy currency among them or not. */
  rates: Array<{ currency: string; rate: string }>;
  /** The one promise tolerance of every company code (a promise without an item: 3). */
  toleranceDays: number;
  /** The strategy's ageing limits (DEMO_STRATEGY.agingBuckets: 0, 30, 60, 90). */
  agingLimits: number[];
}

/**
 * The per-partner rows of the floor: partner_id and the run's fact and figure columns; with a
 * range, only the partners with from <= id < to, every table read for them only.
 */
export function sameWorkRowsSql(o: FloorParams, range?: [string, string]): { text: string; values: unknown[] } {
  const values: unknown[] = [o.asOf, o.currency, o.segments, o.toleranceDays];
  const param = (v: unknown, type: string) => `$${values.push(v)}::${type}`;
  const bounds = range && [param(range[0], 'bigint'), param(range[1], 'bigint')];
  const inRange = (column: string) => (bounds ? ` AND ${column} >= ${bounds[0]} AND ${column} < ${bounds[1]}` : '');
  const others = o.rates.filter((r) => r.currency !== o.currency);
  const arms = others.map((r) => `WHEN ${param(r.currency, 'char(3)')} THEN ${param(r.rate, 'numeric')}`).join(' ');
  const rate = (currency: string) => `(CASE ${currency} WHEN $2::char(3) THEN 1::numeric ${arms} END)`;
  const l = o.agingLimits;
  // Ageing buckets: days <= l0, l(k-1) < days <= lk, days > l(n-1) (agingBuckets of fact-rows.ts).
  const buckets = [`i.dd <= ${l[0]}`, ...l.slice(1).map((to, k) => `i.dd > ${l[k]} AND i.dd <= ${to}`), `i.dd > ${l[l.length - 1]}`];
  const text = `WITH
  -- an item's dunning level at D from its notice history (0 when none by D)
  dl AS (SELECT c.partner_id, c.item_id, coalesce(max(c.level) FILTER (WHERE c.dunned_on <= $1::date), 0) AS level
    FROM dunning_level_changes c WHERE true${inRange('c.partner_id')} GROUP BY c.partner_id, c.item_id),
  -- a dispute's status at D from its history: the latest change by D, OPEN when none by D
  dh AS (SELECT c.dispute_id, coalesce((array_agg(c.status ORDER BY c.changed_on DESC) FILTER (WHERE c.changed_on <= $1::date))[1], 'OPEN') AS status
    FROM dispute_status_changes c WHERE true${inRange('c.partner_id')} GROUP BY c.dispute_id),
  dop AS MATERIALIZED (SELECT d.partner_id, d.item_id, d.disputed_amount * ${rate('d.currency')} AS amount, ${rate('d.currency')} IS NULL AS nofx
    FROM disputes d LEFT JOIN dh ON dh.dispute_id = d.id
    WHERE d.created_date <= $1::date${inRange('d.partner_id')}
      AND CASE WHEN dh.dispute_id IS NOT NULL THEN dh.status
        WHEN d.status IN ('OPEN', 'IN_PROCESS') OR d.status_changed_at IS NULL THEN d.status
        WHEN $1::date < (d.status_changed_at AT TIME ZONE 'UTC')::date THEN 'OPEN' ELSE d.status END IN ('OPEN', 'IN_PROCESS')),
  -- promises by status at D: paid = payments on the item from creation to deadline, by D
  pr AS MATERIALIZED (SELECT q.partner_id, q.item_id, q.promised_date, q.amount * ${rate('q.currency')} AS amount,
      CASE WHEN q.cancelled AND (q.cancelled_date IS NULL OR q.cancelled_date <= $1::date) THEN 'C'
        WHEN coalesce(sum(y.amount * ${rate('y.currency')}), 0) >= q.amount * ${rate('q.currency')} THEN 'K'
        WHEN $1::date > q.promised_date + CASE WHEN q.item_id IS NULL THEN 3 ELSE $4::integer END
          THEN CASE WHEN coalesce(sum(y.amount * ${rate('y.currency')}), 0) > 0 THEN 'P' ELSE 'B' END
        ELSE 'O' END AS status,
      ${rate('q.currency')} IS NULL OR bool_or(y.id IS NOT NULL AND ${rate('y.currency')} IS NULL) AS nofx
    FROM promises q LEFT JOIN payments y ON y.item_id = q.item_id AND y.payment_date >= q.created_date
      AND y.payment_date <= q.promised_date + CASE WHEN q.item_id IS NULL THEN 3 ELSE $4::integer END AND y.payment_date <= $1::date${inRange('y.partner_id')}
    WHERE q.created_date <= $1::date${inRange('q.partner_id')}
    GROUP BY q.id),
  -- today's open items, in partner order, with their level at D
  it AS (SELECT i.partner_id, count(*) AS n, sum(i.a) AS open,
      sum(i.a) FILTER (WHERE i.dd >= 1) AS overdue,
      sum(i.a) FILTER (WHERE i.dd = 0) AS due_today,
      sum(i.a) FILTER (WHERE i.level >= 1) AS dunned,
      max(i.level) AS max_level, max(i.dd) AS max_dd,
      count(*) FILTER (WHERE i.dd >= 1) AS n_overdue,
      count(*) FILTER (WHERE i.dd >= 1 AND i.blocked) AS n_overdue_blocked,
      ${buckets.map((b, k) => `sum(i.a) FILTER (WHERE ${b}) AS b${k}`).join(',\n      ')},
      bool_or(i.nofx) AS nofx
    FROM (SELECT i.partner_id, i.open_amount * ${rate('i.currency')} AS a, ${rate('i.currency')} IS NULL AS nofx, $1::date - i.due_date AS dd,
        i.dunning_block AS blocked, coalesce(dl.level, i.dunning_level) AS level
      FROM open_items i LEFT JOIN dl ON dl.partner_id = i.partner_id AND dl.item_id = i.id
      WHERE i.open_amount > 0 AND i.document_date <= $1::date${inRange('i.partner_id')}) i
    GROUP BY i.partner_id),
  -- the few open items with an open dispute or an OPEN promise on them
  fa AS (SELECT i.partner_id, sum(i.open_amount * ${rate('i.currency')}) FILTER (WHERE $1::date - i.due_date >= 1) AS overdue,
      count(*) FILTER (WHERE $1::date - i.due_date >= 1 AND f.disputed AND NOT i.dunning_block) AS n_overdue_disputed
    FROM (SELECT f.item_id, bool_or(f.disputed) AS disputed FROM (
        SELECT d.item_id, true AS disputed FROM dop d WHERE d.item_id IS NOT NULL
        UNION ALL SELECT s.item_id, false FROM pr s WHERE s.status = 'O' AND s.item_id IS NOT NULL) f GROUP BY f.item_id) f
    JOIN open_items i ON i.id = f.item_id
    WHERE i.open_amount > 0 AND i.document_date <= $1::date
    GROUP BY i.partner_id),
  da AS (SELECT d.partner_id, sum(d.amount) AS amount, bool_or(d.nofx) AS nofx FROM dop d GROUP BY d.partner_id),
  pa AS (SELECT s.partner_id, sum(s.amount) FILTER (WHERE s.status = 'O') AS promised,
      sum(s.amount) FILTER (WHERE s.status = 'B' AND s.promised_date BETWEEN $1::date - 365 AND $1::date) AS broken_365,
      count(*) FILTER (WHERE s.status = 'B' AND s.promised_date BETWEEN $1::date - 90 AND $1::date) AS broken_90,
      bool_or(s.nofx) AS nofx
    FROM pr s GROUP BY s.partner_id),
  ca AS (SELECT c.partner_id, max(c.contact_date) AS last_reached FROM contacts c
    WHERE c.reached AND c.contact_date <= $1::date${inRange('c.partner_id')} GROUP BY c.partner_id),
  ya AS (SELECT y.partner_id, max(y.payment_date) AS last FROM payments y WHERE y.payment_date <= $1::date${inRange('y.partner_id')} GROUP BY y.partner_id),
  rs AS (SELECT r.partner_id, min(r.resubmission_date) AS first FROM resubmissions r
    WHERE r.resubmission_date <= $1::date AND NOT (r.done AND (r.done_on IS NULL OR r.done_on <= $1::date))${inRange('r.partner_id')} GROUP BY r.partner_id)
SELECT p.id AS partner_id,
  coalesce(it.n, 0)::numeric AS f_openitemcount,
  rs.partner_id IS NOT NULL AS f_resubmissiondue,
  coalesce(it.open, 0) AS f_openamount,
  coalesce(it.overdue, 0) AS f_overdueamount_mindaysoverdue_1,
  coalesce(it.due_today, 0) AS f_dueamount_withindays_0,
  coalesce(it.overdue, 0) - coalesce(fa.overdue, 0) AS f_amounttobecollected,
  coalesce(pa.promised, 0) AS f_promisedamount,
  coalesce(da.amount, 0) AS f_disputedamount,
  coalesce(pa.broken_365, 0) AS f_brokenpromiseamount_withindays_365,
  coalesce(it.dunned, 0) AS f_dunnedamount,
  coalesce(it.max_level, 0)::numeric AS f_maxdunninglevel,
  it.max_dd::numeric AS f_maxdaysoverdue,
  p.segment::text AS f_segment,
  coalesce(it.n_overdue, 0) > 0 AND it.n_overdue = it.n_overdue_blocked + coalesce(fa.n_overdue_disputed, 0) AS f_alloverduedisputedorblocked,
  coalesce(pa.broken_90, 0)::numeric AS f_brokenpromises_withindays_90,
  p.risk_class::text AS f_riskclass,
  CASE WHEN p.credit_limit * ${rate('p.currency')} > 0 THEN coalesce(it.open, 0) / (p.credit_limit * ${rate('p.currency')}) * 100 END AS f_creditutilization,
  ($1::date - ca.last_reached)::numeric AS f_dayssincelastcontact_reachedonly_true,
  ARRAY[${buckets.map((_, k) => `round(coalesce(it.b${k}, 0), 4)`).join(', ')}] AS w_aging,
  ya.last AS w_last_payment_date,
  rs.first AS w_resubmission_date,
  p.specialist_id AS w_fixed_specialist_id,
  p.collection_group_key::text AS w_group_key,
  coalesce(it.nofx, false) OR coalesce(da.nofx, false) OR coalesce(pa.nofx, false)
    OR (p.credit_limit IS NOT NULL AND ${rate('p.currency')} IS NULL) AS w_fx_missing
FROM partners p
LEFT JOIN it ON it.partner_id = p.id
LEFT JOIN fa ON fa.partner_id = p.id
LEFT JOIN da ON da.partner_id = p.id
LEFT JOIN pa ON pa.partner_id = p.id
LEFT JOIN ca ON ca.partner_id = p.id
LEFT JOIN ya ON ya.partner_id = p.id
LEFT JOIN rs ON rs.partner_id = p.id
WHERE p.segment = ANY($3::text[])${inRange('p.id')}`;
  return { text, values };
}

/**
 * The timed form: every column of every row computed (a row test reads them all, so the planner
 * keeps every aggregate), one row returned.
 */
export function sameWorkFloorSql(o: FloorParams, range?: [string, string]): { text: string; values: unknown[] } {
  const rows = sameWorkRowsSql(o, range);
  return { text: `SELECT count(*) AS partners, count(*) FILTER (WHERE x IS NULL) AS empty FROM (${rows.text}) x`, values: rows.values };
}
