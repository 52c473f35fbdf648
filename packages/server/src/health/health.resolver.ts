import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { RECOUP_VERSION } from './version';

@ObjectType()
export class Health {
  @Field(() => String)
  status!: string;

  @Field(() => String, { description: 'embedded (PGlite) or postgres' })
  database!: string;

  @Field(() => String)
  version!: string;
}

@Resolver()
export class HealthResolver {
  @Query(() => Health)
  async health(@Ctx() ctx: RequestContext): Promise<Health> {
    await ctx.db.dataSource.query('SELECT 1');
    return { status: 'ok', database: ctx.db.kind, version: RECOUP_VERSION };
  }
}
