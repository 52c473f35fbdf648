/** The public entry of jobs/: the job engine, the nightly cycle's scheduler and its by-hand run. */
export { CycleScheduler, SYSTEM_CLOCK, latestFire, localDate } from './cycle-scheduler';
export type { Clock, SchedulerOptions } from './cycle-scheduler';
export { JobEngine } from './job-engine';
export type { JobEngineOptions } from './job-engine';
export { CYCLE_STEPS, jobKeyOf, queueOf } from './job-types';
export type { CycleStepName, StepHandler } from './job-types';
export { CycleStep, CycleStepRun } from './cycle.entity';
export { JobResolver } from './jobs.resolver';
export { runCycle } from './cycle-run';
export type { CycleRunOptions, CycleStepOutcome } from './cycle-run';
