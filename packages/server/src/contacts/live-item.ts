/** Shared by the collection-event resolvers: caller checks and the re-valuated live item after a commit. */
import type { RequestContext } from '../graphql/context';
import { NotFoundError } from '../graphql/errors';
import type { Revaluation } from '../worklists/worklist-revaluation.service';
import { assertPartnerVisible, COLLECTORS, requireRole } from '../worklists/worklist-query.service';
import { itemView, type WorklistItem } from '../worklists/worklist.types';

/** A collector (SPECIALIST on own partners, SUPERVISOR, ADMIN) acting on the partner. */
export async function collectorOn(ctx: RequestContext, partnerId: string) {
  const user = requireRole(ctx, COLLECTORS);
  if (!/^\d+$/.test(partnerId) || !(await ctx.loaders.partner.load(partnerId))) throw new NotFoundError('Partner', partnerId);
  await assertPartnerVisible(ctx, partnerId);
  return user;
}

/** The partner's live item after the event's transaction committed (the request's loader may hold the old one). */
export async function liveItemAfter(ctx: RequestContext, partnerId: string, revaluation: Revaluation | null): Promise<WorklistItem | null> {
  if (!revaluation?.onList) return null;
  ctx.loaders.liveItem.clear(partnerId);
  const row = await ctx.loaders.liveItem.load(partnerId);
  return row ? itemView(row) : null;
}
