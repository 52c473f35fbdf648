/**
 * Who is asking (the studio adapts to the caller's role) and the specialists a supervisor can
 * assign work to, with their open work on the live worklists now.
 */
import { caller, rowScope } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { SpecialistSummary, Viewer } from './org.types';

/** The caller's token, with the name of its specialist. */
export async function me(ctx: RequestContext): Promise<Viewer> {
  const user = caller(ctx);
  const [s] = user.specialistId ? await ctx.db.dataSource.query(`SELECT name FROM specialists WHERE id = $1`, [user.specialistId]) : [];
  const { groupKeys } = await rowScope(ctx);
  return { name: user.name, role: user.role, specialistId: user.specialistId, specialistName: s?.name ?? null, groups: groupKeys };
}

/** Specialists (of a collection group, or all) by group and name, with their open live items; a SPECIALIST sees themselves only. */
export async function specialists(ctx: RequestContext, group?: string | null): Promise<SpecialistSummary[]> {
  const rows: Array<{ id: string; name: string; group_key: string | null; active: boolean; absent: boolean; open_items: number; amount: string }> =
    await ctx.db.dataSource.query(
      `SELECT s.id::text AS id, s.name, s.group_key, s.active,
        EXISTS (SELECT 1 FROM specialist_absences a WHERE a.specialist_id = s.id AND current_date BETWEEN a.starts_on AND a.ends_on) AS absent,
        coalesce(w.n, 0)::integer AS open_items, coalesce(w.amount, 0)::text AS amount
       FROM specialists s
       LEFT JOIN (SELECT w.specialist_id, count(*) AS n, sum(w.amount_to_be_collected) AS amount
           FROM worklist_items w JOIN collection_segments g ON g.live_run_id = w.run_id
          WHERE w.completed_at IS NULL GROUP BY w.specialist_id) w ON w.specialist_id = s.id
      WHERE $1::text IS NULL OR s.group_key = $1
      ORDER BY s.group_key NULLS LAST, s.name`,
      [group ?? null],
    );
  const own = ctx.user?.role === 'SPECIALIST' ? ctx.user.specialistId : null;
  return rows
    .filter((r) => own === null || r.id === own)
    .map((r) => ({
      id: r.id,
      name: r.name,
      group: r.group_key,
      active: r.active,
      absentToday: r.absent,
      openItems: r.open_items,
      amountToBeCollected: r.amount,
    }));
}
