import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { experimentResults } from './experiment-results';
import { armSizes, findExperiment, listExperiments, promoteExperiment, startExperiment, stopExperiment } from './experiment.service';
import { Experiment, ExperimentArmSize, ExperimentConnection, ExperimentResults, StartExperimentInput } from './experiment.types';

/** Champion/challenger tests: supervisors start, stop and promote them; analysts read them. */
@Resolver(() => Experiment)
export class ExperimentResolver {
  @Query(() => ExperimentConnection, { description: 'Champion/challenger experiments, newest first.' })
  experiments(
    @Ctx() ctx: RequestContext,
    @Arg('group', () => String, { nullable: true, description: "Only this collection group's experiments." }) group?: string | null,
    @Arg('running', () => Boolean, { nullable: true, description: 'Only running (true) or ended (false) experiments.' }) running?: boolean | null,
    @Arg('first', () => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' }) first = 20,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page; absent for the first page.' }) after?: string | null,
  ): Promise<ExperimentConnection> {
    return listExperiments(ctx, { group, running, first, after });
  }

  @Query(() => Experiment, { description: 'One experiment.' })
  experiment(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The experiment.' }) id: string): Promise<Experiment> {
    return findExperiment(ctx, id);
  }

  @Query(() => ExperimentResults, {
    description: "The arms' realised outcomes since the start (each live run of the experiment whose window has passed), compared with bootstrap intervals.",
  })
  experimentResults(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'The experiment.' }) id: string,
    @Arg('horizonDays', () => Int, { nullable: true, description: 'Days after each run the outcomes are measured over, 1 to 365 (default 30).' })
    horizonDays?: number | null,
  ): Promise<ExperimentResults> {
    return experimentResults(ctx, id, { horizonDays });
  }

  @Mutation(() => Experiment, {
    description:
      "Starts a champion/challenger test on a collection group: the challenger's share of its partners is scored with the challenger version from the next live run on.",
  })
  startExperiment(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => StartExperimentInput, { description: 'The group, challenger and share.' }) input: StartExperimentInput,
  ): Promise<Experiment> {
    return startExperiment(ctx, input);
  }

  @Mutation(() => Experiment, { description: 'Ends a running experiment; the champion stays the strategy and the next run scores everyone with it.' })
  stopExperiment(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The running experiment.' }) id: string): Promise<Experiment> {
    return stopExperiment(ctx, id);
  }

  @Mutation(() => Experiment, {
    description: "Makes the challenger the group's strategy (audited) and ends the experiment PROMOTED; the next run scores everyone with it.",
  })
  promoteExperiment(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The running experiment.' }) id: string): Promise<Experiment> {
    return promoteExperiment(ctx, id);
  }

  @FieldResolver(() => [ExperimentArmSize], { description: "The group's partners per arm now, and on the latest run's list." })
  arms(@Ctx() ctx: RequestContext, @Root() experiment: Experiment): Promise<ExperimentArmSize[]> {
    return armSizes(ctx, experiment);
  }
}
