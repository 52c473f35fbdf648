/**
 * Who is asking (the studio adapts to the caller's role) and the specialists a supervisor can
 * assign work to.
 */
import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';

@ObjectType({ description: 'The caller: the API token in use.' })
export class Viewer {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'ADMIN, CONFIGURATOR, SUPERVISOR, SPECIALIST or CLIENT.' })
  role!: string;

  @Field(() => ID, { nullable: true, description: 'The specialist a SPECIALIST token belongs to.' })
  specialistId!: string | null;

  @Field(() => String, { nullable: true })
  specialistName!: string | null;
}

@ObjectType('SpecialistSummary', { description: 'A specialist and the work on the live worklists now.' })
export class SpecialistSummary {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Collection group key.' })
  group!: string | null;

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => Boolean, { description: 'Absent today (an absence covers the current date).' })
  absentToday!: boolean;

  @Field(() => Number, { description: 'Open (not completed) items on the live worklists now, after reassignments.' })
  openItems!: number;

  @Field(() => String, { description: 'Their amount to be collected (in each run\'s strategy currency, summed as is).' })
  amountToBeCollected!: string;
}

@Resolver()
export class OrgResolver {
  @Query(() => Viewer)
  async me(@Ctx() ctx: RequestContext): Promise<Viewer> {
    const user = ctx.user!;
    const [s] = user.specialistId ? await ctx.db.dataSource.query(`SELECT name FROM specialists WHERE id = $1`, [user.specialistId]) : [];
    return { name: user.name, role: user.role, specialistId: user.specialistId, specialistName: s?.name ?? null };
  }

  @Query(() => [SpecialistSummary], { description: 'Specialists (of a collection group), with their open live items now.' })
  async specialists(@Ctx() ctx: RequestContext, @Arg('group', () => String, { nullable: true }) group?: string | null): Promise<SpecialistSummary[]> {
    const rows: Array<{ id: string; name: string; group_key: string | null; active: boolean; absent: boolean; open_items: number; amount: string }> = await ctx.db.dataSource.query(
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
    // A specialist sees themselves only.
    const own = ctx.user?.role === 'SPECIALIST' ? ctx.user.specialistId : null;
    return rows.filter((r) => own === null || r.id === own).map((r) => ({
      id: r.id, name: r.name, group: r.group_key, active: r.active, absentToday: r.absent, openItems: r.open_items, amountToBeCollected: r.amount,
    }));
  }
}
