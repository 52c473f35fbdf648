import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { cancelJob, cycleRuns, cycleSchedule, jobCounts, listJobs, retryJob, saveCycleSchedule } from './jobs.service';
import { CycleStepEntry, CycleStepInput, CycleStepRunEntry, Job, JobConnection, JobStateCount, JobStateEnum } from './jobs.types';

@Resolver()
export class JobResolver {
  @Query(() => JobConnection, { description: 'Background jobs, newest first (ADMIN, SUPERVISOR); state FAILED is the dead-letter view.' })
  jobs(
    @Ctx() ctx: RequestContext,
    @Arg('state', () => JobStateEnum, { nullable: true, description: 'Only jobs in this state.' }) state?: JobStateEnum,
    @Arg('type', () => String, { nullable: true, description: 'Only jobs of this type, e.g. cycle-import.' }) type?: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 200 (default 50).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after?: string,
  ): Promise<JobConnection> {
    return listJobs(ctx, { state, type, first, after });
  }

  @Query(() => [JobStateCount], { description: 'How many jobs are in each state, every state listed (ADMIN, SUPERVISOR).' })
  jobCounts(@Ctx() ctx: RequestContext): Promise<JobStateCount[]> {
    return jobCounts(ctx);
  }

  @Query(() => [CycleStepEntry], { description: 'The nightly cycle: every step with its cron, time zone and dependencies (ADMIN, SUPERVISOR).' })
  cycleSchedule(@Ctx() ctx: RequestContext): Promise<CycleStepEntry[]> {
    return cycleSchedule(ctx);
  }

  @Query(() => [CycleStepRunEntry], { description: 'The steps of the latest cycle dates, newest date first (ADMIN, SUPERVISOR).' })
  cycleRuns(
    @Ctx() ctx: RequestContext,
    @Arg('days', () => Int, { nullable: true, description: 'How many of the latest cycle dates, 1 to 60 (default 7).' }) days?: number,
  ): Promise<CycleStepRunEntry[]> {
    return cycleRuns(ctx, days);
  }

  @Mutation(() => [CycleStepEntry], { description: 'Changes steps of the nightly cycle (ADMIN); each change is audited. Returns the whole schedule.' })
  saveCycleSchedule(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => [CycleStepInput], { description: 'The steps to change; the others keep theirs.' }) input: CycleStepInput[],
  ): Promise<CycleStepEntry[]> {
    return saveCycleSchedule(ctx, input);
  }

  @Mutation(() => Job, { description: 'Queues a FAILED (dead-letter) job for one more attempt (ADMIN); audited.' })
  retryJob(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The job.' }) id: string): Promise<Job> {
    return retryJob(ctx, id);
  }

  @Mutation(() => Job, { description: 'Cancels a queued, retrying or running job (ADMIN); its cycle step fails; audited.' })
  cancelJob(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The job.' }) id: string): Promise<Job> {
    return cancelJob(ctx, id);
  }
}
