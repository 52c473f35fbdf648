/**
 * What the API asks of dunning, one call per operation: the caller's reach (a SPECIALIST on their
 * own partners, graphql/access), the write through dunning.service, then what was written read
 * back as the API shows it.
 */
import { caller, ownSpecialist, partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { DomainError } from '../graphql/errors';
import { decodeCursor, encodeCursor, pageOf, pageSize } from '../graphql/paging';
import { keyDate, parseId } from '../graphql/scalars';
import type { DunningChannel, DunningExclusionKind } from './dunning.entity';
import * as dunning from './dunning.service';
import type {
  CorrespondenceAddressInput,
  DunningExclusionEntry,
  DunningExclusionInput,
  DunningNoticeConnection,
  DunningNoticeEntry,
  DunningProcedureEntry,
  DunningProcedureInput,
  DunningRunConnection,
  DunningRunReport,
  DunningTemplateEntry,
  DunningTemplateInput,
  DunningTemplatePreview,
} from './dunning.types';

const NOTICE_COLUMNS = `n.id::text AS id, n.run_id::text AS run_id, n.partner_id::text AS partner_id, n.level, n.channel, n.recipient, n.currency::text AS currency,
  n.total_amount::text AS total_amount, n.charge::text AS charge, n.charge_currency::text AS charge_currency, n.subject, n.body, n.status, n.error,
  ARRAY(SELECT ni.item_id::text FROM dunning_notice_items ni WHERE ni.notice_id = n.id ORDER BY ni.item_id) AS item_ids`;

const noticeView = (r: any): DunningNoticeEntry => ({
  id: r.id,
  runId: r.run_id,
  partnerId: r.partner_id,
  level: Number(r.level),
  channel: r.channel,
  recipient: r.recipient,
  currency: r.currency,
  totalAmount: r.total_amount,
  charge: r.charge,
  chargeCurrency: r.charge_currency,
  subject: r.subject,
  body: r.body,
  status: r.status,
  error: r.error,
  itemIds: r.item_ids ?? [],
});

/** Every procedure by key, with its levels ascending. */
export async function dunningProcedures(ctx: RequestContext): Promise<DunningProcedureEntry[]> {
  const procedures = await ctx.db.dataSource.query(
    `SELECT key, name, segment_key AS "segmentKey", grace_days AS "graceDays", currency::text AS currency, active FROM dunning_procedures ORDER BY key`,
  );
  const levels = await ctx.db.dataSource.query(
    `SELECT procedure_key, level, days_overdue AS "daysOverdue", charge::text AS charge, channel, template_key AS "templateKey", legal FROM dunning_levels ORDER BY procedure_key, level`,
  );
  return procedures.map((p: any) => ({ ...p, levels: levels.filter((l: any) => l.procedure_key === p.key) }));
}

/** Every notice template by key. */
export function dunningTemplates(ctx: RequestContext): Promise<DunningTemplateEntry[]> {
  return ctx.db.dataSource.query(`SELECT key, subject, body FROM dunning_templates ORDER BY key`);
}

/** The exclusion rows of a partner in reach (item dunning blocks are the items' own flags). */
export async function dunningExclusions(ctx: RequestContext, partnerId: string): Promise<DunningExclusionEntry[]> {
  await partnerInReach(ctx, partnerId);
  return ctx.db.dataSource.query(
    `SELECT id::text AS id, partner_id::text AS "partnerId", item_id::text AS "itemId", kind, reason, created_by AS "createdBy"
       FROM dunning_exclusions WHERE partner_id = $1 ORDER BY id`,
    [partnerId],
  );
}

export interface DunningNoticeArgs {
  runId?: string | null;
  partnerId?: string | null;
  status?: string | null;
  first?: number | null;
  after?: string | null;
}

/** The outbox, newest first, keyset-paged on id; a SPECIALIST names one of their partners. */
export async function dunningNotices(ctx: RequestContext, args: DunningNoticeArgs): Promise<DunningNoticeConnection> {
  if (args.partnerId != null) {
    await partnerInReach(ctx, args.partnerId);
  } else if (ownSpecialist(ctx) !== null) {
    throw new DomainError('FORBIDDEN', 'A specialist reads the notices of one of their partners');
  }
  const runId = args.runId == null ? null : parseId(args.runId, 'Dunning run');
  const n = pageSize(args.first);
  const cursor = args.after ? String(decodeCursor(args.after, 'NOTICES', 1)[0]) : null;
  const rows = await ctx.db.dataSource.query(
    `SELECT ${NOTICE_COLUMNS} FROM dunning_notices n WHERE ($1::bigint IS NULL OR n.run_id = $1) AND ($2::bigint IS NULL OR n.partner_id = $2)
        AND ($3::text IS NULL OR n.status = $3) AND ($4::bigint IS NULL OR n.id < $4) ORDER BY n.id DESC LIMIT $5`,
    [runId, args.partnerId ?? null, args.status ?? null, cursor, n + 1],
  );
  return pageOf(rows, n, (r: any) => encodeCursor('NOTICES', [r.id]), noticeView);
}

/** Creates or replaces a procedure with its levels, and reads it back. */
export async function saveDunningProcedure(ctx: RequestContext, input: DunningProcedureInput): Promise<DunningProcedureEntry> {
  await dunning.saveProcedure(ctx.db, { ...input, levels: input.levels.map((l) => ({ ...l, channel: l.channel as DunningChannel })) });
  return (await dunningProcedures(ctx)).find((p) => p.key === input.key)!;
}

/** Creates or replaces a notice template (its placeholders checked). */
export async function saveDunningTemplate(ctx: RequestContext, input: DunningTemplateInput): Promise<DunningTemplateEntry> {
  await dunning.saveTemplate(ctx.db, input);
  return { key: input.key, subject: input.subject ?? null, body: input.body };
}

/** Saves the correspondence address of a partner in reach. */
export async function saveCorrespondenceAddress(ctx: RequestContext, input: CorrespondenceAddressInput): Promise<boolean> {
  await partnerInReach(ctx, input.partnerId);
  await dunning.saveAddress(ctx.db, input);
  return true;
}

/** Sets or lifts an exclusion of a partner in reach, by the caller; the partner's exclusions after it. */
export async function setDunningExclusion(ctx: RequestContext, input: DunningExclusionInput): Promise<DunningExclusionEntry[]> {
  const user = await partnerInReach(ctx, input.partnerId);
  await dunning.setExclusion(ctx.db, { ...input, kind: input.kind as DunningExclusionKind, by: user.name });
  return dunningExclusions(ctx, input.partnerId);
}

/** A dunning run by the caller at the key date (default today); after the commit, its e-mails go out when SMTP is configured. */
export async function runDunning(ctx: RequestContext, asOf?: string | null, dryRun?: boolean | null): Promise<DunningRunReport> {
  const user = caller(ctx);
  const result = await dunning.runDunning(ctx.db, { asOf: keyDate(asOf), dryRun: dryRun ?? undefined, createdBy: user.name });
  const transport = !result.dryRun ? dunning.smtpTransport() : null;
  const emails = transport ? await dunning.deliverEmails(ctx.db, transport, result.runId) : { sent: 0 };
  return {
    ...result,
    emailsSent: emails.sent,
    sample: result.sample.map((s) => ({ ...s, runId: null, status: 'DRY_RUN', error: null })),
  };
}

/** Dunning runs newest first, keyset-paged on id. */
export async function dunningRuns(ctx: RequestContext, args: { first?: number | null; after?: string | null }): Promise<DunningRunConnection> {
  const n = pageSize(args.first, 20, 100);
  const cursor = args.after ? String(decodeCursor(args.after, 'DUNNING_RUNS', 1)[0]) : null;
  const rows = await ctx.db.dataSource.query(
    `SELECT id::text AS id, as_of, started_at, finished_at, created_by, partners, notices, items FROM dunning_runs
      WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
    [cursor, n + 1],
  );
  return pageOf(
    rows,
    n,
    (r: any) => encodeCursor('DUNNING_RUNS', [r.id]),
    (r: any) => ({
      id: r.id,
      asOf: r.as_of,
      startedAt: new Date(r.started_at).toISOString(),
      finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
      createdBy: r.created_by,
      partners: r.partners,
      notices: r.notices,
      items: r.items,
    }),
  );
}

export interface TemplatePreviewArgs {
  body: string;
  subject?: string | null;
  partnerId?: string | null;
  level?: number | null;
  asOf?: string | null;
}

/** A template rendered for a partner (given, or a sample of the AR) by the run's renderer; null when there is none to show. */
export function dunningTemplatePreview(ctx: RequestContext, args: TemplatePreviewArgs): Promise<DunningTemplatePreview | null> {
  return dunning.previewTemplate(ctx.db, { ...args, level: args.level ?? 1, asOf: keyDate(args.asOf) });
}
