/** The public entry of experiments/: champion/challenger tests of strategy versions on a collection group. */
export { ExperimentListing, StrategyExperiment } from './experiment.entity';
export { ExperimentArm } from './experiment-arm.types';
export { armBucket, armOf, inChallengerSql, BASIS_POINTS, type Arm } from './experiment-arm';
export { experimentForRun, runningExperimentOf, type RunExperiment } from './experiment-run';
