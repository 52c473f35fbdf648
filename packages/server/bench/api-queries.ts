/**
 * The GraphQL reads the API benches time (bench:api and c360-profile): a specialist's worklist
 * page of 50 items, and a customer 360 with every section, the explanation included.
 */

/** A worklist page of 50 items with partner and specialist, following `after`. */
export const WORKLIST_PAGE_QUERY = `query($after: String) { worklist(first: 50, after: $after) {
  edges { cursor node { partnerId valuation percent priority currency partner { externalId name } specialist { name }
    firedRules { name points } amounts { open overdue toBeCollected disputed promised } } }
  pageInfo { hasNextPage endCursor } } }`;

/** Every section of a partner's customer 360 at `asOf`. */
export const c360Query = (asOf: string) => `query($p: ID!) { customer(partnerId: $p, asOf: "${asOf}") {
  partner { id externalId name currency creditLimit riskClass specialist { name } }
  openItems(first: 20) { edges { node { id externalId dueDate daysOverdue openAmount currency dunningLevel disputed } } pageInfo { hasNextPage endCursor } }
  aging { label items amounts { currency amount } }
  payments(limit: 20) { id paymentDate amount currency } promises(limit: 20) { id promisedDate amount status paid }
  disputes(limit: 20) { id status disputedAmount } contacts(limit: 20) { id contactDate channel reached }
  resubmissions(limit: 20) { id resubmissionDate due } dunningHistory { itemId dunningLevel }
  worklistItem { valuation percent priority specialist { name } firedRules { name points } amounts { toBeCollected }
    explanation { valuation rules { name fired } } }
  credit { creditLimit openAmount utilizationPercent }
  keyFigures { daysSalesOutstanding keptPromiseRatio brokenPromises daysSinceLastPayment }
} }`;
