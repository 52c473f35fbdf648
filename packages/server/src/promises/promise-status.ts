/**
 * Promise status at a key date D, in SQL (DESIGN.md "Promise status at D"), with the status
 * expression the facts use (`judgedStatusSql` of the rules package), so the worklist facts, the
 * judging run, payments and the API judge alike. Here in the promise's own currency: paid = the
 * payments on the promise's item dated from its creation to promised date + tolerance days (the
 * item's company code, default 3; 3 without an item) and on or before D, a payment in another
 * currency converted with the latest rate on or before D. (The facts compare the same sums in the
 * strategy currency; both sides convert alike, so the status is the same.)
 */
import { judgedStatusSql } from '@recoup/rules';
import { fxRateSql } from '../fx/money';

/**
 * Set-based: one LEFT JOIN of the promises to their item's payments, grouped by promise (no
 * statement per promise). `asOf` is an SQL date expression, `where` narrows the promises (alias q).
 * Columns: id, partner_id, item_id, tolerance_days, paid, status.
 */
export function promiseStatusSql(asOf: string, where = 'true'): string {
  const tolerance = 'coalesce(cc.promise_tolerance_days, 3)';
  const paid = `coalesce(sum(y.amount * ${fxRateSql('y.currency', 'q.currency', asOf)}), 0)`;
  return `SELECT q.id, q.partner_id, q.item_id, ${tolerance}::integer AS tolerance_days, ${paid} AS paid,
    ${judgedStatusSql({ cancelled: 'q.cancelled', paid, amount: 'q.amount', deadline: `q.promised_date + ${tolerance}`, asOf })} AS status
  FROM promises q
  LEFT JOIN open_items it ON it.id = q.item_id
  LEFT JOIN company_codes cc ON cc.code = it.company_code
  LEFT JOIN payments y ON y.item_id = q.item_id AND y.payment_date >= q.created_date
    AND y.payment_date <= q.promised_date + ${tolerance} AND y.payment_date <= ${asOf}
  WHERE q.created_date <= ${asOf} AND ${where}
  GROUP BY q.id, cc.promise_tolerance_days`;
}

export const PROMISE_STATUSES = ['OPEN', 'KEPT', 'PARTIALLY_KEPT', 'BROKEN', 'CANCELLED'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];
