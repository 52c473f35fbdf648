/** The backtest's GraphQL field: arguments to one service call (access in graphql/access.ts). */
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { backtestStrategies } from './backtest.service';
import { Backtest, BacktestInput } from './backtest.types';

@Resolver()
export class BacktestResolver {
  @Query(() => Backtest, {
    description:
      'Strategies (saved versions or drafts) scored at past key dates through the preview path and measured by what happened over (D, D + h]: ' +
      'collected share, cure, roll to 90+, broken promises, capture at capacity and AUC, per band and pooled, next to two naive baselines, with the ' +
      'differences to the first strategy and bootstrap intervals over partners. ADMIN, CONFIGURATOR, SUPERVISOR. BAD_USER_INPUT names the argument ' +
      '(input.keyDates, input.strategies[1].document.rules[0]…); NOT_FOUND for an unknown segment, strategy or version.',
  })
  backtestStrategies(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => BacktestInput, { description: 'What to backtest.' }) input: BacktestInput,
  ): Promise<Backtest> {
    return backtestStrategies(ctx.db, input, { path: 'input' });
  }
}
