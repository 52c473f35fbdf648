/** The public entry of experiments/: champion/challenger tests of strategy versions on a collection group (the run's split itself is the worklists'). */
export { ExperimentListing, StrategyExperiment } from './experiment.entity';
export { ExperimentResolver } from './experiment.resolver';
export { experimentResults } from './experiment-results';
