import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { me, specialists } from './org.service';
import { SpecialistSummary, Viewer } from './org.types';

@Resolver()
export class OrgResolver {
  @Query(() => Viewer, { description: 'The caller: the API token in use, its role and its specialist (the studio adapts to them).' })
  me(@Ctx() ctx: RequestContext): Promise<Viewer> {
    return me(ctx);
  }

  @Query(() => [SpecialistSummary], { description: 'Specialists (of a collection group), with their open live items now.' })
  specialists(
    @Ctx() ctx: RequestContext,
    @Arg('group', () => String, {
      nullable: true,
      description: 'Only the specialists of this collection group; absent: all. A SPECIALIST sees themselves only.',
    })
    group?: string | null,
  ): Promise<SpecialistSummary[]> {
    return specialists(ctx, group);
  }
}
