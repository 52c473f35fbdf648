/** The steps of the nightly cycle, in their usual order; each is one queue of the job engine. */
export const CYCLE_STEPS = ['IMPORT', 'JUDGE', 'DUNNING', 'WORKLISTS', 'ANALYTICS', 'CORRESPONDENCE'] as const;
export type CycleStepName = (typeof CYCLE_STEPS)[number];

/** What a cycle step's job carries: the cycle date is the key date of every step of that night. */
export interface CycleJobData {
  step: CycleStepName;
  cycleDate: string;
}

/** The queue (pg-boss job name) of a step: `cycle-import`, `cycle-judge`, ... */
export function queueOf(step: CycleStepName): string {
  return `cycle-${step.toLowerCase()}`;
}

/** The job key of a step of a cycle date: the engine queues it at most once while one is queued or running. */
export function jobKeyOf(step: CycleStepName, cycleDate: string): string {
  return `${step}:${cycleDate}`;
}

export function isCycleStep(value: string): value is CycleStepName {
  return (CYCLE_STEPS as readonly string[]).includes(value);
}

/** A step's work: a line for the log and the progress output (what it did), or an error (retried by the engine). */
export type StepHandler = (cycleDate: string) => Promise<string>;

/** The queue of the WORKLISTS step's segment jobs: one live worklist run of one segment each. */
export const SEGMENT_QUEUE = 'worklist-segment';

/** What a segment job carries: its segment and the cycle date (the run's key date). */
export interface SegmentJobData {
  segment: string;
  cycleDate: string;
}

/** The job key of a segment's job of a cycle date: `2026-12-07:CONSUMER`. */
export function segmentKeyOf(cycleDate: string, segment: string): string {
  return `${cycleDate}:${segment}`;
}
