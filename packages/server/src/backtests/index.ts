/** The public entry of backtests/: outcomes of listed partners, their figures and bootstrap intervals, the backtest. */
export { bootstrapDifference, bootstrapListFigures, seededRandom } from './bootstrap';
export type { BootstrapDifference, BootstrapOptions, ListFigureIntervals } from './bootstrap';
export { auc, byRank, captureAtCapacity, collectedShareOf, isBad, outcomesByBand, reranked, summariseOutcomes } from './outcome-figures';
export type { ListedPartner, OutcomeFigures, OutcomeWindow, PartnerOutcome } from './outcome-figures';
export { measureOutcomes, measurePartnerOutcomes } from './outcome.service';
export type { OutcomeList, Queryable } from './outcome.service';
export { BASELINES, MAX_KEY_DATES, MAX_STRATEGIES, PARTNERS_PER_SPECIALIST_DAY, backtestStrategies, verdictOf } from './backtest.service';
export type {
  BacktestArgs,
  BacktestComparison,
  BacktestFigures,
  BacktestResult,
  BacktestStrategyArgs,
  FigureDifference,
  StrategyBacktest,
} from './backtest.service';
export { BacktestResolver } from './backtest.resolver';
