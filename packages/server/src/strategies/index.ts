/** The public entry of strategies/: what other features and the composition root may use. */
export { Strategy, StrategyVersion } from './strategy.entity';
export { activateVersionIn } from './strategy.service';
export { StrategyResolver, StrategyVersionResolver } from './strategy.resolver';
export { PriorityBandType } from './strategy.types';
