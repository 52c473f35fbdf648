/**
 * Promise status at a key date D, in SQL (DESIGN.md "Promise status at D"): the rules package's
 * `promiseStatusSql`, the one builder the worklist facts use too, so the facts, the judging run,
 * payments and the API judge alike. Here in the promise's own currency: a payment in another
 * currency is converted with the latest rate on or before D. (The facts compare the same sums in
 * the strategy currency; both sides convert alike, so the status is the same.)
 */
import { PROMISE_TOLERANCE_SQL, promiseStatusSql as promiseStatusQuery, type PromiseStatusParts } from '@recoup/rules';
import { fxRateSql } from '../fx/money';

export { PROMISE_TOLERANCE_SQL };

/**
 * The promises made on or before D (`asOf`, an SQL date expression) matching `where` (alias q)
 * with their status at D; by default the columns id, partner_id, item_id, tolerance_days, paid,
 * status (`select` chooses others, over q and the parts).
 */
export function promiseStatusSql(asOf: string, where = 'true', select?: (parts: PromiseStatusParts) => string[]): string {
  return promiseStatusQuery({ asOf, where, select, rates: { payment: fxRateSql('y.currency', 'q.currency', asOf) } });
}

export const PROMISE_STATUSES = ['OPEN', 'KEPT', 'PARTIALLY_KEPT', 'BROKEN', 'CANCELLED'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];
