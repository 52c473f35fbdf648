import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../graphql/paging';
import { DateScalar, JSONScalar } from '../graphql/scalars';

export enum JobStateEnum {
  QUEUED = 'QUEUED',
  RETRY = 'RETRY',
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
  FAILED = 'FAILED',
}
registerEnumType(JobStateEnum, {
  name: 'JobState',
  description: "A job's state in the engine.",
  valuesConfig: {
    QUEUED: { description: 'Waiting for a worker.' },
    RETRY: { description: 'Failed an attempt; waits for its next one (exponential backoff).' },
    RUNNING: { description: 'Taken by a worker.' },
    DONE: { description: 'Finished successfully.' },
    CANCELLED: { description: 'Cancelled by an ADMIN before it finished.' },
    FAILED: { description: 'Dead letter: failed its last allowed attempt; an ADMIN may retry it.' },
  },
});

@ObjectType({
  description: 'A background job of the engine: a step of the nightly cycle for a cycle date, a segment of its WORKLISTS step, or a part of a worklist run.',
})
export class Job {
  @Field(() => ID, { description: 'The engine’s id of the job (a UUID).' }) id!: string;
  @Field(() => String, {
    description: 'The job type (engine queue), e.g. cycle-import, cycle-worklists, worklist-segment (one segment of the WORKLISTS step), worklist-part.',
  })
  type!: string;
  @Field(() => JobStateEnum, { description: 'Where the job stands.' }) state!: JobStateEnum;
  @Field(() => String, { nullable: true, description: 'The job key (STEP:date, date:segment, run:part): one such job queued or running at most.' }) key!:
    string | null;
  @Field(() => JSONScalar, { description: 'What the job carries (step and cycle date; segment and cycle date; a run part).' }) data!: Record<string, unknown>;
  @Field(() => String, { nullable: true, description: 'The segment whose live worklist a worklist-segment job generates; null for other jobs.' })
  segment!: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'The cycle date the job works for (its key date); null for a job that carries none.' })
  cycleDate!: string | null;
  @Field(() => Int, { description: 'Attempts started so far (0 while first queued).' }) attempts!: number;
  @Field(() => Int, { description: 'Attempts allowed before the job is a dead letter.' }) maxAttempts!: number;
  @Field(() => Date, { description: 'When the job was queued.' }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When its last attempt started; null if none has.' }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it finished (done, failed for good or cancelled); null before.' }) finishedAt!: Date | null;
  @Field(() => Float, { nullable: true, description: 'Seconds from its last start to its end; null while not finished.' }) durationSeconds!: number | null;
  @Field(() => String, { nullable: true, description: 'The error of its last failed attempt; null if none failed.' }) error!: string | null;
}

@ObjectType({ description: 'A job with its cursor.' })
export class JobEdge {
  @Field(() => String, { description: 'Opaque cursor of this job; pass it as `after` for the jobs that follow.' }) cursor!: string;
  @Field(() => Job, { description: 'The job.' }) node!: Job;
}

@ObjectType({ description: 'A page of jobs, newest first.' })
export class JobConnection {
  @Field(() => [JobEdge], { description: 'The jobs of this page, newest first.' }) edges!: JobEdge[];
  @Field(() => PageInfo, { description: 'Paging state of this page.' }) pageInfo!: PageInfo;
}

@ObjectType({ description: 'How many jobs are in a state (live and archived).' })
export class JobStateCount {
  @Field(() => JobStateEnum, { description: 'The state.' }) state!: JobStateEnum;
  @Field(() => Int, { description: 'Jobs in that state.' }) count!: number;
}

@ObjectType({ description: 'A step of the nightly cycle as configured: when it fires and what it waits for.' })
export class CycleStepEntry {
  @Field(() => String, { description: 'The step: IMPORT, JUDGE, DUNNING, WORKLISTS, ANALYTICS or CORRESPONDENCE.' }) step!: string;
  @Field(() => String, { description: 'Five-field cron expression (minute hour day-of-month month day-of-week) in timeZone.' }) cron!: string;
  @Field(() => String, { description: 'IANA time zone of the cron expression; the cycle date is the fire time’s date there.' }) timeZone!: string;
  @Field(() => [String], { description: 'Steps of the same cycle date that must be done before this one starts (disabled ones are skipped).' })
  dependsOn!: string[];
  @Field(() => Boolean, { description: 'Whether the step takes part in the cycle.' }) enabled!: boolean;
  @Field(() => Date, { description: 'When the step was last changed.' }) updatedAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When its cron expression fires next (after now); null while the step is disabled.' })
  nextRunAt!: Date | null;
}

@InputType({ description: 'A step of the nightly cycle to save; the steps not given keep their configuration.' })
export class CycleStepInput {
  @Field(() => String, { description: 'The step: IMPORT, JUDGE, DUNNING, WORKLISTS, ANALYTICS or CORRESPONDENCE.' }) step!: string;
  @Field(() => String, { description: 'Five-field cron expression, e.g. "0 2 * * *" (02:00 every day).' }) cron!: string;
  @Field(() => String, { description: 'IANA time zone, e.g. Europe/Berlin or UTC.' }) timeZone!: string;
  @Field(() => [String], { description: 'Steps it waits for on the same cycle date; no cycles, not itself.' }) dependsOn!: string[];
  @Field(() => Boolean, { description: 'Whether the step takes part in the cycle.' }) enabled!: boolean;
}

@ObjectType({ description: 'A step of one cycle date: waiting for its time or dependencies, queued, done or failed.' })
export class CycleStepRunEntry {
  @Field(() => DateScalar, { description: 'The cycle date (the key date of every step of that night).' }) cycleDate!: string;
  @Field(() => String, { description: 'The step.' }) step!: string;
  @Field(() => String, { description: 'WAITING (dependencies not done), QUEUED (its job queued or running), DONE or FAILED.' }) state!: string;
  @Field(() => ID, { nullable: true, description: 'Its job, once queued.' }) jobId!: string | null;
  @Field(() => Date, { description: 'When its fire time came.' }) dueAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it finished; null before.' }) finishedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why it failed (its job’s last error); null unless FAILED.' }) error!: string | null;
}
