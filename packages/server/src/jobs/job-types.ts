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
