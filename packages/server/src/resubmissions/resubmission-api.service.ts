/**
 * What the API asks of resubmissions, one call per operation: the caller's reach (a SPECIALIST on
 * their own partners, graphql/access), the write through resubmission.service (one transaction
 * with the partner's re-valuation), then the resubmission read back.
 */
import { ownSpecialist, partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { pageSize } from '../graphql/paging';
import { keyDate, today } from '../graphql/scalars';
import { liveItemAfter } from '../worklists';
import * as resubmissions from './resubmission.service';
import type { ResubmissionDone, ResubmissionInput, ResubmissionRecord, ResubmissionScheduled } from './resubmission.types';

const COLUMNS = `id::text AS id, partner_id::text AS partner_id, resubmission_date, reason, done, done_at, done_by, created_by`;

const view = (r: any): ResubmissionRecord => ({
  id: r.id,
  partnerId: r.partner_id,
  resubmissionDate: r.resubmission_date,
  reason: r.reason,
  done: r.done,
  doneAt: r.done_at ? new Date(r.done_at).toISOString() : null,
  doneBy: r.done_by,
  createdBy: r.created_by,
});

/**
 * Undone resubmissions due on or before the key date (default today), oldest first; a
 * SPECIALIST's own partners only (fixed to them or on their live worklist).
 */
export async function dueResubmissions(ctx: RequestContext, asOf?: string | null, limit?: number | null): Promise<ResubmissionRecord[]> {
  const own = ownSpecialist(ctx);
  const rows = await ctx.db.dataSource.query(
    `SELECT ${COLUMNS} FROM resubmissions r WHERE NOT r.done AND r.resubmission_date <= $1::date
        AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM partners p WHERE p.id = r.partner_id AND p.specialist_id = $2)
          OR EXISTS (SELECT 1 FROM partners p JOIN collection_segments s ON s.key = p.segment
              JOIN worklist_items w ON w.run_id = s.live_run_id AND w.partner_id = p.id WHERE p.id = r.partner_id AND w.specialist_id = $2))
      ORDER BY r.resubmission_date, r.id LIMIT $3`,
    [keyDate(asOf), own, pageSize(limit, 100, 1000, 'limit')],
  );
  return rows.map(view);
}

/** Schedules a resubmission of a partner in reach; `due` is read at today's date. */
export async function scheduleResubmission(ctx: RequestContext, input: ResubmissionInput): Promise<ResubmissionScheduled> {
  await partnerInReach(ctx, input.partnerId);
  const result = await resubmissions.scheduleResubmission(ctx.db, input);
  const [row] = await ctx.db.dataSource.query(
    `SELECT id::text AS id, resubmission_date, reason, done, (NOT done AND resubmission_date <= $2::date) AS due FROM resubmissions WHERE id = $1`,
    [result.id, today()],
  );
  return {
    resubmission: { id: row.id, resubmissionDate: row.resubmission_date, reason: row.reason, done: row.done, due: row.due },
    worklistItem: await liveItemAfter(ctx, input.partnerId, result.revaluation),
  };
}

/** Marks a resubmission done, by the caller. */
export async function markResubmissionDone(ctx: RequestContext, id: string): Promise<ResubmissionDone> {
  const partnerId = await resubmissions.resubmissionPartner(ctx.db, id);
  const user = await partnerInReach(ctx, partnerId);
  const result = await resubmissions.markResubmissionDone(ctx.db, id, user.name);
  const [row] = await ctx.db.dataSource.query(`SELECT ${COLUMNS} FROM resubmissions WHERE id = $1`, [id]);
  return { resubmission: view(row), worklistItem: await liveItemAfter(ctx, partnerId, result.revaluation) };
}
