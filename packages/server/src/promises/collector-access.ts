/**
 * Shared by the promise, plan and payment resolvers: who may act on a partner, and the partner's
 * live worklist item read after a write committed.
 */
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { isIsoDate } from '../graphql/scalars';
import { assertPartnerVisible, COLLECTORS, READERS, requireRole } from '../worklists/worklist-query.service';
import { itemView, type WorklistItem } from '../worklists/worklist.types';

/** ADMIN, SUPERVISOR, or a SPECIALIST on their own partner (fixed specialist or live item); else FORBIDDEN. */
export async function assertMayCollect(ctx: RequestContext, partnerId: string): Promise<void> {
  requireRole(ctx, COLLECTORS);
  if (!/^\d+$/.test(partnerId) || !(await ctx.loaders.partner.load(partnerId))) throw new NotFoundError('Partner', partnerId);
  await assertPartnerVisible(ctx, partnerId);
}

/** Every role reads; a SPECIALIST only their own partners. */
export async function assertMayRead(ctx: RequestContext, partnerId: string): Promise<void> {
  requireRole(ctx, READERS);
  if (!/^\d+$/.test(partnerId) || !(await ctx.loaders.partner.load(partnerId))) throw new NotFoundError('Partner', partnerId);
  await assertPartnerVisible(ctx, partnerId);
}

export function keyDate(asOf: string | null | undefined): string {
  const d = asOf ?? new Date().toISOString().slice(0, 10);
  if (!isIsoDate(d)) throw new BadUserInputError('asOf must be a date (YYYY-MM-DD)', 'asOf');
  return d;
}

/** The item after the write's transaction committed (the request's loader may hold the old one). */
export async function liveItemAfter(ctx: RequestContext, partnerId: string): Promise<WorklistItem | null> {
  ctx.loaders.liveItem.clear(partnerId);
  const row = await ctx.loaders.liveItem.load(partnerId);
  return row ? itemView(row) : null;
}
