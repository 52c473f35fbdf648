/** The public entry of backtests/: outcomes of listed partners, their figures and bootstrap intervals, the backtest. */
export { bootstrapDifference, seededRandom } from './bootstrap';
export type { BootstrapDifference, BootstrapOptions } from './bootstrap';
export { auc, byRank, captureAtCapacity, collectedShareOf, isBad, outcomesByBand, reranked, summariseOutcomes } from './outcome-figures';
export type { ListedPartner, OutcomeFigures, OutcomeWindow, PartnerOutcome } from './outcome-figures';
export { measureOutcomes, measurePartnerOutcomes } from './outcome.service';
export type { OutcomeList, Queryable } from './outcome.service';
