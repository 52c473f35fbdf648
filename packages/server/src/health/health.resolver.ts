import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { health } from './health.service';
import { Health } from './health.types';

@Resolver()
export class HealthResolver {
  @Query(() => Health, { description: 'Liveness for load balancers and the studio: the database answers. Needs no token.' })
  health(@Ctx() ctx: RequestContext): Promise<Health> {
    return health(ctx);
  }
}
