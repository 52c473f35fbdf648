import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DomainError, NotFoundError } from '../graphql/errors';
import { DateScalar, isEntityId, keyDate } from '../graphql/scalars';
import { caller, ownSpecialist, partnerInReach } from '../graphql/access';
import { decodeCursor, encodeCursor, pageSize } from '../graphql/paging';
import type { DunningChannel, DunningExclusionKind } from './dunning.entity';
import { deliverEmails, runDunning, saveAddress, saveProcedure, saveTemplate, setExclusion, smtpTransport } from './dunning.service';
import {
  CorrespondenceAddressInput, DunningExclusionEntry, DunningExclusionInput, DunningNoticeConnection, DunningNoticeEntry, DunningProcedureEntry,
  DunningProcedureInput, DunningRunReport, DunningTemplateEntry, DunningTemplateInput,
} from './dunning.types';

const NOTICE_COLUMNS = `n.id::text AS id, n.run_id::text AS run_id, n.partner_id::text AS partner_id, n.level, n.channel, n.recipient, n.currency::text AS currency,
  n.total_amount::text AS total_amount, n.charge::text AS charge, n.charge_currency::text AS charge_currency, n.subject, n.body, n.status, n.error,
  ARRAY(SELECT ni.item_id::text FROM dunning_notice_items ni WHERE ni.notice_id = n.id ORDER BY ni.item_id) AS item_ids`;

const noticeView = (r: any): DunningNoticeEntry => ({
  id: r.id, runId: r.run_id, partnerId: r.partner_id, level: Number(r.level), channel: r.channel, recipient: r.recipient, currency: r.currency,
  totalAmount: r.total_amount, charge: r.charge, chargeCurrency: r.charge_currency, subject: r.subject, body: r.body, status: r.status, error: r.error,
  itemIds: r.item_ids ?? [],
});

/** Dunning: configuration (ADMIN, CONFIGURATOR), exclusions (collectors), runs (ADMIN, SUPERVISOR), the outbox (readers). */
@Resolver()
export class DunningResolver {
  @Query(() => [DunningProcedureEntry])
  async dunningProcedures(@Ctx() ctx: RequestContext): Promise<DunningProcedureEntry[]> {
    const procedures = await ctx.db.dataSource.query(
      `SELECT key, name, segment_key AS "segmentKey", grace_days AS "graceDays", currency::text AS currency, active FROM dunning_procedures ORDER BY key`);
    const levels = await ctx.db.dataSource.query(
      `SELECT procedure_key, level, days_overdue AS "daysOverdue", charge::text AS charge, channel, template_key AS "templateKey", legal FROM dunning_levels ORDER BY procedure_key, level`);
    return procedures.map((p: any) => ({ ...p, levels: levels.filter((l: any) => l.procedure_key === p.key) }));
  }

  @Query(() => [DunningTemplateEntry])
  async dunningTemplates(@Ctx() ctx: RequestContext): Promise<DunningTemplateEntry[]> {
    return ctx.db.dataSource.query(`SELECT key, subject, body FROM dunning_templates ORDER BY key`);
  }

  @Query(() => [DunningExclusionEntry])
  async dunningExclusions(@Ctx() ctx: RequestContext, @Arg('partnerId', () => ID) partnerId: string): Promise<DunningExclusionEntry[]> {
    await partnerInReach(ctx, partnerId);
    return ctx.db.dataSource.query(
      `SELECT id::text AS id, partner_id::text AS "partnerId", item_id::text AS "itemId", kind, reason, created_by AS "createdBy"
         FROM dunning_exclusions WHERE partner_id = $1 ORDER BY id`, [partnerId]);
  }

  @Query(() => DunningNoticeConnection, { description: 'The outbox, newest first; a SPECIALIST names one of their partners.' })
  async dunningNotices(
    @Ctx() ctx: RequestContext,
    @Arg('runId', () => ID, { nullable: true }) runId?: string,
    @Arg('partnerId', () => ID, { nullable: true }) partnerId?: string,
    @Arg('status', () => String, { nullable: true }) status?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<DunningNoticeConnection> {
    if (partnerId != null) {
      await partnerInReach(ctx, partnerId);
    } else if (ownSpecialist(ctx) !== null) {
      throw new DomainError('FORBIDDEN', 'A specialist reads the notices of one of their partners');
    }
    if (runId != null && !isEntityId(runId)) throw new NotFoundError('Dunning run', runId);
    const n = pageSize(first);
    const cursor = after ? String(decodeCursor(after, 'NOTICES', 1)[0]) : null;
    const rows = await ctx.db.dataSource.query(
      `SELECT ${NOTICE_COLUMNS} FROM dunning_notices n WHERE ($1::bigint IS NULL OR n.run_id = $1) AND ($2::bigint IS NULL OR n.partner_id = $2)
          AND ($3::text IS NULL OR n.status = $3) AND ($4::bigint IS NULL OR n.id < $4) ORDER BY n.id DESC LIMIT $5`,
      [runId ?? null, partnerId ?? null, status ?? null, cursor, n + 1]);
    const edges = rows.slice(0, n).map((r: any) => ({ cursor: encodeCursor('NOTICES', [r.id]), node: noticeView(r) }));
    return { edges, pageInfo: { hasNextPage: rows.length > n, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @Mutation(() => DunningProcedureEntry, { description: 'Creates or replaces a dunning procedure with its levels (ADMIN, CONFIGURATOR).' })
  async saveDunningProcedure(@Ctx() ctx: RequestContext, @Arg('input', () => DunningProcedureInput) input: DunningProcedureInput): Promise<DunningProcedureEntry> {
    await saveProcedure(ctx.db, { ...input, levels: input.levels.map((l) => ({ ...l, channel: l.channel as DunningChannel })) });
    return (await this.dunningProcedures(ctx)).find((p) => p.key === input.key)!;
  }

  @Mutation(() => DunningTemplateEntry, { description: 'Creates or replaces a notice template; unknown placeholders are refused (ADMIN, CONFIGURATOR).' })
  async saveDunningTemplate(@Ctx() ctx: RequestContext, @Arg('input', () => DunningTemplateInput) input: DunningTemplateInput): Promise<DunningTemplateEntry> {
    await saveTemplate(ctx.db, input);
    return { key: input.key, subject: input.subject ?? null, body: input.body };
  }

  @Mutation(() => Boolean, { description: "A partner's e-mail, phone and postal address for notices (collectors)." })
  async saveCorrespondenceAddress(@Ctx() ctx: RequestContext, @Arg('input', () => CorrespondenceAddressInput) input: CorrespondenceAddressInput): Promise<boolean> {
    await partnerInReach(ctx, input.partnerId);
    await saveAddress(ctx.db, input);
    return true;
  }

  @Mutation(() => [DunningExclusionEntry], { description: 'Sets or lifts a dunning block or legal-dunning exclusion of an item or partner; re-valuates the partner.' })
  async setDunningExclusion(@Ctx() ctx: RequestContext, @Arg('input', () => DunningExclusionInput) input: DunningExclusionInput): Promise<DunningExclusionEntry[]> {
    const user = await partnerInReach(ctx, input.partnerId);
    await setExclusion(ctx.db, { ...input, kind: input.kind as DunningExclusionKind, by: user.name });
    return this.dunningExclusions(ctx, input.partnerId);
  }

  @Mutation(() => DunningRunReport, { description: 'A dunning run at the key date (default today): notices into the outbox, item levels raised, partners re-valuated; dryRun writes nothing.' })
  async runDunning(
    @Ctx() ctx: RequestContext,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string,
    @Arg('dryRun', () => Boolean, { nullable: true, defaultValue: false }) dryRun?: boolean,
  ): Promise<DunningRunReport> {
    const user = caller(ctx);
    const result = await runDunning(ctx.db, { asOf: keyDate(asOf), dryRun, createdBy: user.name });
    const transport = !result.dryRun ? smtpTransport() : null;
    const emails = transport ? await deliverEmails(ctx.db, transport, result.runId) : { sent: 0 };
    return {
      ...result, emailsSent: emails.sent,
      sample: result.sample.map((s) => ({ ...s, runId: null, status: 'DRY_RUN', error: null })),
    };
  }
}
