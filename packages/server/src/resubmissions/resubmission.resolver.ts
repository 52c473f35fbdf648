import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { liveItemAfter } from '../worklists';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError } from '../graphql/errors';
import { DateScalar, isIsoDate, keyDate } from '../graphql/scalars';
import { ownSpecialist, partnerInReach } from '../graphql/access';
import { pageSize } from '../graphql/paging';
import { WorklistItem } from '../worklists';
import { markResubmissionDone, resubmissionPartner } from './resubmission.service';

@ObjectType({ description: 'A resubmission: on its date the partner returns to the worklist until it is done.' })
export class ResubmissionRecord {
  @Field(() => ID) id!: string;
  @Field(() => ID) partnerId!: string;
  @Field(() => DateScalar) resubmissionDate!: string;
  @Field(() => String) reason!: string;
  @Field(() => Boolean) done!: boolean;
  @Field(() => String, { nullable: true, description: 'ISO timestamp.' }) doneAt!: string | null;
  @Field(() => String, { nullable: true }) doneBy!: string | null;
  @Field(() => String, { nullable: true }) createdBy!: string | null;
}

@ObjectType()
export class ResubmissionDone {
  @Field(() => ResubmissionRecord) resubmission!: ResubmissionRecord;
  @Field(() => WorklistItem, { nullable: true, description: "The partner's re-valuated live item; null when it left the list." }) worklistItem!: WorklistItem | null;
}

const COLUMNS = `id::text AS id, partner_id::text AS partner_id, resubmission_date, reason, done, done_at, done_by, created_by`;

const view = (r: any): ResubmissionRecord => ({
  id: r.id, partnerId: r.partner_id, resubmissionDate: r.resubmission_date, reason: r.reason, done: r.done,
  doneAt: r.done_at ? new Date(r.done_at).toISOString() : null, doneBy: r.done_by, createdBy: r.created_by,
});

/** Resubmissions (scheduled with `scheduleResubmission`): SPECIALIST on own partners, SUPERVISOR, ADMIN mark them done. */
@Resolver()
export class ResubmissionResolver {
  @Query(() => [ResubmissionRecord], { description: "Undone resubmissions due on or before the date (default today), oldest first; a SPECIALIST's own partners only." })
  async dueResubmissions(
    @Ctx() ctx: RequestContext,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 100 }) limit?: number,
  ): Promise<ResubmissionRecord[]> {
    const date = keyDate(asOf);
    if (!isIsoDate(date)) throw new BadUserInputError('asOf must be a date', 'asOf');
    const own = ownSpecialist(ctx);
    const rows = await ctx.db.dataSource.query(
      `SELECT ${COLUMNS} FROM resubmissions r WHERE NOT r.done AND r.resubmission_date <= $1::date
          AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM partners p WHERE p.id = r.partner_id AND p.specialist_id = $2)
            OR EXISTS (SELECT 1 FROM partners p JOIN collection_segments s ON s.key = p.segment
                JOIN worklist_items w ON w.run_id = s.live_run_id AND w.partner_id = p.id WHERE p.id = r.partner_id AND w.specialist_id = $2))
        ORDER BY r.resubmission_date, r.id LIMIT $3`, [date, own, pageSize(limit, 100, 1000)]);
    return rows.map(view);
  }

  @Mutation(() => ResubmissionDone, { description: 'Marks a resubmission done and re-valuates the partner (one transaction).' })
  async markResubmissionDone(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<ResubmissionDone> {
    const partnerId = await resubmissionPartner(ctx.db, id);
    const user = await partnerInReach(ctx, partnerId);
    const result = await markResubmissionDone(ctx.db, id, user.name);
    const [row] = await ctx.db.dataSource.query(`SELECT ${COLUMNS} FROM resubmissions WHERE id = $1`, [id]);
    return { resubmission: view(row), worklistItem: await liveItemAfter(ctx, partnerId, result.revaluation) };
  }
}
