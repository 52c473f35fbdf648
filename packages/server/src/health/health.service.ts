import type { RequestContext } from '../graphql/context';
import type { Health } from './health.types';
import { RECOUP_VERSION } from './version';

/** Asks the database for one row: an error here means the API cannot serve. */
export async function health(ctx: RequestContext): Promise<Health> {
  await ctx.db.dataSource.query('SELECT 1');
  return { status: 'ok', database: ctx.db.kind, version: RECOUP_VERSION };
}
