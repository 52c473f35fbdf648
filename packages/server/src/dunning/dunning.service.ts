/**
 * Dunning: procedures (levels by days overdue, grace days, charges, channel and template per
 * level), exclusions (dunning block, legal-dunning exclusion; per item or partner), the dunning
 * run and the delivery of e-mail notices.
 *
 * The run, at key date D, in one transaction:
 * 1. proposes set-based, per open item (open amount > 0, no dunning block on the item or its
 *    partner, no OPEN/IN_PROCESS dispute on it) under its partner's procedure (the one of its
 *    segment, else the one without segment): the item's next level = the lowest level above its
 *    current one that D has reached, where days overdue d = D - due date reaches a level when
 *    d >= days of the level (+ grace days for levels with days > 0). Reminder levels (days <= 0)
 *    only apply while the item is not yet overdue (d <= 0); an overdue item skips them. A level
 *    marked legal is skipped for items or partners excluded from legal dunning (they stay put).
 *    So each run raises an item by one (non-skipped) level at most.
 * 2. groups the proposals into notices per partner, level and item currency; renders each from
 *    its level's template into the outbox (dunning_notices + dunning_notice_items), with the
 *    level's charge. EMAIL/SMS without an address of the partner fall back to LETTER.
 * 3. raises the items' dunning levels (one UPDATE);
 * 4. re-valuates the live worklist item of every partner dunned (maxDunningLevel is a fact), unless
 *    told not to (a very large run may leave that to the next worklist run).
 * A dry run does 1 and 2 in memory and writes nothing. E-mails are sent after the commit.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { EntityManager } from 'typeorm';
import type { Database } from '../db/database';
import { fromUnits, isAmount, toUnits } from '../fx/money';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { isIsoDate, parseId } from '../graphql/scalars';
import { revaluatePartner } from '../worklists';
import { DUNNING_CHANNELS, DUNNING_EXCLUSION_KINDS, type DunningChannel, type DunningExclusionKind } from './dunning.entity';
import { parseTemplate, renderTemplate, type ItemValues, type NoticeValues } from './dunning-template';

// ---- configuration -------------------------------------------------------------------------

export interface DunningLevelInput {
  level: number;
  daysOverdue: number;
  charge?: string | null;
  channel: DunningChannel;
  templateKey: string;
  legal?: boolean | null;
}
export interface DunningProcedureInput {
  key: string;
  name: string;
  segmentKey?: string | null;
  graceDays?: number | null;
  currency: string;
  active?: boolean | null;
  levels: DunningLevelInput[];
}

const KEY = /^[A-Z0-9_]{1,40}$/;
/** More levels than any dunning practice uses; a longer list is a mistake (or an attack). */
export const MAX_DUNNING_LEVELS = 20;
const CHANNEL_WORDS: Record<DunningChannel, string> = { LETTER: 'letter', EMAIL: 'e-mail', SMS: 'SMS' };

/**
 * The fields of a procedure, checked before anything is written; each refusal names its field
 * (`levels[1].daysOverdue`, as the input lists them) in words a consultant reads.
 */
function checkProcedure(input: DunningProcedureInput): DunningLevelInput[] {
  if (!KEY.test(input.key)) throw new BadUserInputError('The key is 1 to 40 capital letters, digits or _ (for example STANDARD)', 'key');
  if (!input.name.trim()) throw new BadUserInputError('Give the procedure a name', 'name');
  if (input.name.length > 200) throw new BadUserInputError('The name is at most 200 characters', 'name');
  if (!/^[A-Z]{3}$/.test(input.currency)) throw new BadUserInputError('The charge currency is a three-letter ISO code such as EUR', 'currency');
  const grace = input.graceDays ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > 365) throw new BadUserInputError('Grace days are a whole number from 0 to 365', 'graceDays');
  if (!input.levels.length) throw new BadUserInputError('A procedure needs at least one level', 'levels');
  if (input.levels.length > MAX_DUNNING_LEVELS) throw new BadUserInputError(`A procedure has at most ${MAX_DUNNING_LEVELS} levels`, 'levels');
  const levels = [...input.levels].sort((a, b) => a.level - b.level);
  levels.forEach((l, n) => {
    const path = `levels[${input.levels.indexOf(l)}]`;
    if (l.level !== n + 1) throw new BadUserInputError('Levels are numbered 1, 2, 3, … without gaps or repeats', `${path}.level`);
    if (!Number.isInteger(l.daysOverdue) || Math.abs(l.daysOverdue) > 3650)
      throw new BadUserInputError('Days overdue is a whole number of days, at most 3650 before or after the due date', `${path}.daysOverdue`);
    const previous = levels[n - 1];
    if (previous && l.daysOverdue <= previous.daysOverdue)
      throw new BadUserInputError(
        `Level ${l.level} must come later than level ${previous.level}: more than ${previous.daysOverdue} days overdue`,
        `${path}.daysOverdue`,
      );
    if (l.charge != null && !isAmount(l.charge)) throw new BadUserInputError('The charge is an amount of 0 or more, with at most 4 decimals', `${path}.charge`);
    if (!DUNNING_CHANNELS.includes(l.channel))
      throw new BadUserInputError(`The channel is ${DUNNING_CHANNELS.map((c) => CHANNEL_WORDS[c]).join(', ')}`, `${path}.channel`);
  });
  return levels;
}

/** Creates or replaces a procedure with its levels (levels numbered 1.., days strictly rising). */
export async function saveProcedure(db: Database, input: DunningProcedureInput): Promise<void> {
  const levels = checkProcedure(input);
  const grace = input.graceDays ?? 0;
  await db.dataSource.transaction(async (m) => {
    // One procedure per segment, one default: the run picks a partner's procedure by its segment.
    if (input.segmentKey != null) {
      const [segment] = await m.query(`SELECT key FROM collection_segments WHERE key = $1`, [input.segmentKey]);
      if (!segment) throw new BadUserInputError(`There is no segment ${input.segmentKey}`, 'segmentKey');
    }
    const [other] = await m.query(`SELECT key FROM dunning_procedures WHERE segment_key IS NOT DISTINCT FROM $1 AND key <> $2`, [
      input.segmentKey ?? null,
      input.key,
    ]);
    if (other)
      throw new BadUserInputError(
        input.segmentKey == null
          ? `Procedure ${other.key} is already the default (for segments without their own): choose a segment for this one`
          : `Procedure ${other.key} already applies to segment ${input.segmentKey}`,
        'segmentKey',
      );
    const templates: Array<{ key: string }> = await m.query(`SELECT key FROM dunning_templates WHERE key = ANY($1::text[])`, [
      levels.map((l) => l.templateKey),
    ]);
    const known = new Set(templates.map((t) => t.key));
    for (const l of levels)
      if (!known.has(l.templateKey))
        throw new BadUserInputError(
          `There is no template ${l.templateKey}: save it first, or choose another`,
          `levels[${input.levels.indexOf(l)}].templateKey`,
        );
    await m.query(
      `INSERT INTO dunning_procedures (key, name, segment_key, grace_days, currency, active) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, segment_key = EXCLUDED.segment_key, grace_days = EXCLUDED.grace_days,
         currency = EXCLUDED.currency, active = EXCLUDED.active`,
      [input.key, input.name.trim(), input.segmentKey ?? null, grace, input.currency, input.active ?? true],
    );
    await m.query(`DELETE FROM dunning_levels WHERE procedure_key = $1`, [input.key]);
    for (const l of levels) {
      await m.query(
        `INSERT INTO dunning_levels (procedure_key, level, days_overdue, charge, channel, template_key, legal) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [input.key, l.level, l.daysOverdue, l.charge ?? '0', l.channel, l.templateKey, l.legal ?? false],
      );
    }
  });
}

export async function saveTemplate(db: Database, input: { key: string; subject?: string | null; body: string }): Promise<void> {
  if (!KEY.test(input.key)) throw new BadUserInputError('key is 1 to 40 of A-Z, 0-9, _', 'key');
  if (!input.body.trim()) throw new BadUserInputError('A template needs a body', 'body');
  parseTemplate(input.body, 'body');
  if (input.subject != null) parseTemplate(input.subject, 'subject');
  await db.dataSource.query(
    `INSERT INTO dunning_templates (key, subject, body) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body`,
    [input.key, input.subject ?? null, input.body],
  );
}

export async function saveAddress(
  db: Database,
  input: { partnerId: string; email?: string | null; phone?: string | null; postalAddress?: string | null },
): Promise<void> {
  if (input.email != null && !/^[^\s@]+@[^\s@]+$/.test(input.email)) throw new BadUserInputError('email is not an e-mail address', 'email');
  await db.dataSource.query(
    `INSERT INTO correspondence_addresses (partner_id, email, phone, postal_address) VALUES ($1, $2, $3, $4)
     ON CONFLICT (partner_id) DO UPDATE SET email = EXCLUDED.email, phone = EXCLUDED.phone, postal_address = EXCLUDED.postal_address`,
    [input.partnerId, input.email ?? null, input.phone ?? null, input.postalAddress ?? null],
  );
}

// ---- exclusions ------------------------------------------------------------------------------

export interface ExclusionInput {
  partnerId: string;
  itemId?: string | null;
  kind: DunningExclusionKind;
  excluded: boolean;
  reason?: string | null;
  by?: string | null;
}

/**
 * Sets or lifts a dunning block or a legal-dunning exclusion. An item's dunning block is the
 * item's own `dunning_block` flag (the one the facts read, and a later import may set again);
 * every other exclusion is a row of dunning_exclusions. Re-valuates the partner.
 */
export async function setExclusion(db: Database, input: ExclusionInput) {
  if (!DUNNING_EXCLUSION_KINDS.includes(input.kind)) throw new BadUserInputError(`kind is one of ${DUNNING_EXCLUSION_KINDS.join(', ')}`, 'kind');
  return db.dataSource.transaction(async (m) => {
    const [partner] = await m.query(`SELECT id::text AS id FROM partners WHERE id = $1`, [parseId(input.partnerId, 'Partner')]);
    if (!partner) throw new NotFoundError('Partner', input.partnerId);
    const itemId = input.itemId ?? null;
    if (itemId !== null) {
      const [item] = await m.query(`SELECT partner_id::text AS partner_id FROM open_items WHERE id = $1 FOR UPDATE`, [parseId(itemId, 'Open item')]);
      if (!item) throw new NotFoundError('Open item', itemId);
      if (item.partner_id !== partner.id) throw new BadUserInputError(`Open item ${itemId} belongs to another partner`, 'itemId');
    }
    if (input.kind === 'BLOCK' && itemId !== null) {
      await m.query(`UPDATE open_items SET dunning_block = $2 WHERE id = $1`, [itemId, input.excluded]);
    } else {
      await m.query(`DELETE FROM dunning_exclusions WHERE partner_id = $1 AND kind = $2 AND item_id IS NOT DISTINCT FROM $3::bigint`, [
        partner.id,
        input.kind,
        itemId,
      ]);
      if (input.excluded) {
        await m.query(`INSERT INTO dunning_exclusions (partner_id, item_id, kind, reason, created_by) VALUES ($1, $2, $3, $4, $5)`, [
          partner.id,
          itemId,
          input.kind,
          input.reason ?? null,
          input.by ?? null,
        ]);
      }
    }
    return { revaluation: await revaluatePartner(m, partner.id) };
  });
}

// ---- the run ---------------------------------------------------------------------------------

export interface DunningRunOptions {
  asOf: string;
  dryRun?: boolean;
  /** Re-valuate the dunned partners' live worklist items in the run (default true). */
  revaluate?: boolean;
  createdBy?: string | null;
  /** Notices rendered per batch (default 1000). */
  batchSize?: number;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
  /** How many rendered notices a dry run returns (default 20). */
  sampleSize?: number;
}

export interface RenderedNotice {
  id: string | null;
  partnerId: string;
  level: number;
  channel: DunningChannel;
  recipient: string | null;
  currency: string;
  totalAmount: string;
  charge: string;
  chargeCurrency: string;
  subject: string | null;
  body: string;
  itemIds: string[];
}

export interface DunningRunResult {
  runId: string | null;
  asOf: string;
  dryRun: boolean;
  partners: number;
  notices: number;
  items: number;
  byLevel: Array<{ level: number; notices: number; items: number }>;
  revaluated: number;
  /** A dry run: the first notices as they would be written. */
  sample: RenderedNotice[];
}

/**
 * Step 1: the proposals, in a temporary table of the run's transaction. Dunning acts on today's items:
 * an item held by a placement or a legal case in force now (item_holds.ended_on NULL) is not dunned.
 */
const PROPOSAL_SQL = `CREATE TEMP TABLE dunning_proposal ON COMMIT DROP AS
SELECT i.id AS item_id, i.partner_id, i.external_id, i.document_date, i.due_date, i.currency::text AS currency, i.open_amount,
    i.dunning_level AS previous_level, ($1::date - i.due_date) AS days_overdue, pr.key AS procedure_key, nl.level
  FROM open_items i
  JOIN partners p ON p.id = i.partner_id
  CROSS JOIN LATERAL (SELECT dp.key, dp.grace_days FROM dunning_procedures dp
      WHERE dp.active AND (dp.segment_key = p.segment OR dp.segment_key IS NULL) ORDER BY dp.segment_key NULLS LAST LIMIT 1) pr
  CROSS JOIN LATERAL (SELECT l.level, l.legal FROM dunning_levels l
      WHERE l.procedure_key = pr.key AND l.level > i.dunning_level
        AND $1::date - i.due_date >= l.days_overdue + CASE WHEN l.days_overdue > 0 THEN pr.grace_days ELSE 0 END
        AND (l.days_overdue > 0 OR $1::date - i.due_date <= 0)
      ORDER BY l.level LIMIT 1) nl
 WHERE i.open_amount > 0 AND NOT i.dunning_block
   AND NOT EXISTS (SELECT 1 FROM item_holds h WHERE h.partner_id = i.partner_id AND h.item_id = i.id AND h.ended_on IS NULL)
   AND NOT EXISTS (SELECT 1 FROM dunning_exclusions x WHERE x.partner_id = i.partner_id AND x.kind = 'BLOCK' AND (x.item_id IS NULL OR x.item_id = i.id))
   AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.item_id = i.id AND d.partner_id = i.partner_id AND d.status IN ('OPEN', 'IN_PROCESS') AND d.created_date <= $1::date)
   AND NOT (nl.legal AND EXISTS (SELECT 1 FROM dunning_exclusions x WHERE x.partner_id = i.partner_id AND x.kind = 'LEGAL' AND (x.item_id IS NULL OR x.item_id = i.id)))`;

interface GroupRow {
  partner_id: string;
  external_id: string;
  name: string;
  level: number;
  currency: string;
  total: string;
  item_count: number;
  procedure_key: string;
  procedure_name: string;
  charge: string;
  charge_currency: string;
  channel: DunningChannel;
  subject: string | null;
  body: string;
  email: string | null;
  phone: string | null;
  postal_address: string | null;
}

interface ProposalItem {
  partner_id: string;
  level: number;
  currency: string;
  item_id: string;
  external_id: string;
  document_date: string;
  due_date: string;
  days_overdue: number;
  open_amount: string;
}

/** The run at options.asOf, in one transaction: propose, open the run, render the notices, raise the levels and re-valuate. */
export async function runDunning(db: Database, options: DunningRunOptions): Promise<DunningRunResult> {
  if (!isIsoDate(options.asOf)) throw new BadUserInputError('asOf must be a date (YYYY-MM-DD)', 'asOf');
  const dryRun = options.dryRun ?? false;
  const progress = options.onProgress ?? (() => {});
  return db.dataSource.transaction(async (m) => {
    const { totals, byLevel } = await propose(m, options.asOf, progress);
    const runId = dryRun ? null : await openRun(m, options);
    const sample = await renderNotices(m, { ...options, dryRun, runId, progress }, totals.notices);
    const revaluated = dryRun ? 0 : await raiseLevels(m, runId!, options.asOf, totals, options.revaluate ?? true, progress);
    return { runId, asOf: options.asOf, dryRun, partners: totals.partners, notices: totals.notices, items: totals.items, byLevel, revaluated, sample };
  });
}

type Progress = NonNullable<DunningRunOptions['onProgress']>;

interface ProposalTotals {
  items: number;
  partners: number;
  notices: number;
}

/** Step 1: the proposals into the run's temporary table, with their totals and per-level counts. */
async function propose(m: EntityManager, asOf: string, progress: Progress): Promise<{ totals: ProposalTotals; byLevel: DunningRunResult['byLevel'] }> {
  progress({ phase: 'propose', done: 0, total: 1 });
  await m.query(PROPOSAL_SQL, [asOf]);
  await m.query(`CREATE INDEX ON dunning_proposal (partner_id, level, currency)`);
  await m.query(`ANALYZE dunning_proposal`);
  const [totals] = await m.query(`SELECT count(*)::int AS items, count(DISTINCT partner_id)::int AS partners,
      count(DISTINCT (partner_id, level, currency))::int AS notices FROM dunning_proposal`);
  const byLevel: DunningRunResult['byLevel'] = (
    await m.query(
      `SELECT level, count(DISTINCT (partner_id, currency))::int AS notices, count(*)::int AS items FROM dunning_proposal GROUP BY level ORDER BY level`,
    )
  ).map((r: any) => ({ level: Number(r.level), notices: r.notices, items: r.items }));
  return { totals, byLevel };
}

/** The run's row (not in a dry run). */
async function openRun(m: EntityManager, options: DunningRunOptions): Promise<string> {
  const [run] = await m.query(`INSERT INTO dunning_runs (as_of, created_by) VALUES ($1, $2) RETURNING id::text AS id`, [
    options.asOf,
    options.createdBy ?? null,
  ]);
  return run.id;
}

type TemplateCache = Map<string, { subject: ReturnType<typeof parseTemplate> | null; body: ReturnType<typeof parseTemplate> }>;

interface RenderRun extends DunningRunOptions {
  dryRun: boolean;
  runId: string | null;
  progress: Progress;
}

/**
 * Step 2: the notices, rendered in batches of partners (keyset over partner ids) and written to
 * the outbox; a dry run keeps the first ones as its sample instead.
 */
async function renderNotices(m: EntityManager, run: RenderRun, total: number): Promise<RenderedNotice[]> {
  const batchSize = run.batchSize ?? 1000;
  const sampleSize = run.sampleSize ?? 20;
  const sample: RenderedNotice[] = [];
  const templates: TemplateCache = new Map();
  let done = 0;
  let after = '0';
  for (;;) {
    const partners: Array<{ partner_id: string }> = await m.query(
      `SELECT DISTINCT partner_id::text AS partner_id FROM dunning_proposal WHERE partner_id > $1 ORDER BY 1 LIMIT $2`,
      [after, batchSize],
    );
    if (!partners.length) break;
    const ids = partners.map((p) => p.partner_id);
    after = ids.at(-1)!;
    const rendered = await renderBatch(m, ids, run.asOf, templates);
    if (run.dryRun) {
      sample.push(...rendered.slice(0, Math.max(0, sampleSize - sample.length)));
    } else {
      await writeNotices(m, run.runId!, rendered);
    }
    done += rendered.length;
    run.progress({ phase: run.dryRun ? 'render (dry run)' : 'render', done, total });
  }
  return sample;
}

/** The notices of a batch of partners: one per partner, level and currency, each with its items. */
async function renderBatch(m: EntityManager, ids: string[], asOf: string, templates: TemplateCache): Promise<RenderedNotice[]> {
  const groups: GroupRow[] = await m.query(
    `SELECT g.partner_id::text AS partner_id, p.external_id, p.name, g.level, g.currency, g.total::text AS total, g.item_count, g.procedure_key,
        dp.name AS procedure_name, l.charge::text AS charge, dp.currency::text AS charge_currency, l.channel, t.subject, t.body,
        a.email, a.phone, a.postal_address
       FROM (SELECT partner_id, level, currency, procedure_key, sum(open_amount) AS total, count(*)::int AS item_count
               FROM dunning_proposal WHERE partner_id = ANY($1::bigint[]) GROUP BY 1, 2, 3, 4) g
       JOIN partners p ON p.id = g.partner_id
       JOIN dunning_procedures dp ON dp.key = g.procedure_key
       JOIN dunning_levels l ON l.procedure_key = g.procedure_key AND l.level = g.level
       JOIN dunning_templates t ON t.key = l.template_key
       LEFT JOIN correspondence_addresses a ON a.partner_id = g.partner_id
      ORDER BY g.partner_id, g.level, g.currency`,
    [ids],
  );
  const items: ProposalItem[] = await m.query(
    `SELECT partner_id::text AS partner_id, level, currency, item_id::text AS item_id, external_id, document_date, due_date, days_overdue,
        open_amount::text AS open_amount FROM dunning_proposal WHERE partner_id = ANY($1::bigint[]) ORDER BY partner_id, level, currency, due_date, item_id`,
    [ids],
  );
  const itemsOf = new Map<string, ProposalItem[]>();
  for (const i of items) {
    const k = `${i.partner_id}|${i.level}|${i.currency}`;
    (itemsOf.get(k) ?? itemsOf.set(k, []).get(k)!).push(i);
  }
  return groups.map((g) => renderNotice(g, itemsOf.get(`${g.partner_id}|${g.level}|${g.currency}`) ?? [], asOf, templates));
}

/** One notice from its level's template (parsed once per run); EMAIL and SMS without an address fall back to LETTER. */
function renderNotice(g: GroupRow, list: ProposalItem[], asOf: string, templates: TemplateCache): RenderedNotice {
  const key = `${g.procedure_key}|${g.level}`;
  if (!templates.has(key)) templates.set(key, { subject: g.subject === null ? null : parseTemplate(g.subject, 'subject'), body: parseTemplate(g.body) });
  const template = templates.get(key)!;
  const values = noticeValues(g, asOf);
  const itemValues = itemValuesOf(list, g.level);
  const [channel, recipient] =
    g.channel === 'EMAIL' && g.email
      ? (['EMAIL', g.email] as const)
      : g.channel === 'SMS' && g.phone
        ? (['SMS', g.phone] as const)
        : (['LETTER', g.postal_address] as const);
  return {
    id: null,
    partnerId: g.partner_id,
    level: Number(g.level),
    channel,
    recipient,
    currency: g.currency,
    totalAmount: g.total,
    charge: g.charge,
    chargeCurrency: g.charge_currency,
    subject: template.subject ? renderTemplate(template.subject, values, itemValues) : null,
    body: renderTemplate(template.body, values, itemValues),
    itemIds: list.map((i) => i.item_id),
  };
}

type NoticeSource = Pick<
  GroupRow,
  | 'partner_id'
  | 'external_id'
  | 'name'
  | 'postal_address'
  | 'level'
  | 'currency'
  | 'total'
  | 'item_count'
  | 'charge'
  | 'charge_currency'
  | 'procedure_key'
  | 'procedure_name'
>;

/** The placeholders' values of a notice. */
function noticeValues(g: NoticeSource, asOf: string): NoticeValues {
  return {
    'partner.id': g.partner_id,
    'partner.externalId': g.external_id,
    'partner.name': g.name,
    'partner.postalAddress': g.postal_address ?? '',
    level: String(g.level),
    asOf,
    currency: g.currency,
    total: money(g.total),
    itemCount: String(g.item_count),
    charge: money(g.charge),
    chargeCurrency: g.charge_currency,
    'procedure.key': g.procedure_key,
    'procedure.name': g.procedure_name,
  };
}

/** The placeholders' values of each item of a notice. */
function itemValuesOf(list: Array<Omit<ProposalItem, 'partner_id' | 'level' | 'item_id'>>, level: number): ItemValues[] {
  return list.map((i) => ({
    'item.externalId': i.external_id,
    'item.documentDate': i.document_date,
    'item.dueDate': i.due_date,
    'item.daysOverdue': String(i.days_overdue),
    'item.openAmount': money(i.open_amount),
    'item.currency': i.currency,
    'item.level': String(level),
  }));
}

export interface TemplatePreviewInput {
  subject?: string | null;
  body: string;
  /** The partner to render for; default a sample: the lowest partner id with an overdue open item at asOf. */
  partnerId?: string | null;
  level: number;
  asOf: string;
}

export interface TemplatePreview {
  partnerId: string;
  partnerName: string;
  level: number;
  subject: string | null;
  body: string;
  itemCount: number;
}

/** Items a preview shows at most (a notice lists all; a preview need not). */
const PREVIEW_ITEMS = 10;

/**
 * A template, saved or not, rendered by the run's own renderer for a real partner: its overdue
 * open items in the currency of the oldest (at most 10), its procedure's charge at the level.
 * Null when there is no partner to show (no overdue item at all, or the partner has none).
 * Unknown placeholders are BAD_USER_INPUT at `body` or `subject`, as when saving.
 */
export async function previewTemplate(db: Database, input: TemplatePreviewInput): Promise<TemplatePreview | null> {
  if (!isIsoDate(input.asOf)) throw new BadUserInputError('asOf must be a date (YYYY-MM-DD)', 'asOf');
  if (!Number.isInteger(input.level) || input.level < 1 || input.level > MAX_DUNNING_LEVELS)
    throw new BadUserInputError(`The level is 1 to ${MAX_DUNNING_LEVELS}`, 'level');
  const subject = input.subject == null ? null : parseTemplate(input.subject, 'subject');
  const body = parseTemplate(input.body, 'body');
  const partnerId =
    input.partnerId != null
      ? parseId(input.partnerId, 'Partner')
      : ((
          await db.dataSource.query(`SELECT partner_id::text AS id FROM open_items WHERE open_amount > 0 AND due_date < $1 ORDER BY partner_id LIMIT 1`, [
            input.asOf,
          ])
        )[0]?.id ?? null);
  if (partnerId === null) return null;
  const [partner] = await db.dataSource.query(
    `SELECT p.id::text AS partner_id, p.external_id, p.name, a.postal_address, coalesce(pr.key, '') AS procedure_key, coalesce(pr.name, '') AS procedure_name,
        coalesce(pr.currency, p.currency)::text AS charge_currency, coalesce(l.charge, 0)::text AS charge
       FROM partners p
       LEFT JOIN correspondence_addresses a ON a.partner_id = p.id
       LEFT JOIN LATERAL (SELECT dp.key, dp.name, dp.currency FROM dunning_procedures dp
           WHERE dp.segment_key = p.segment OR dp.segment_key IS NULL ORDER BY dp.segment_key NULLS LAST LIMIT 1) pr ON true
       LEFT JOIN dunning_levels l ON l.procedure_key = pr.key AND l.level = $2
      WHERE p.id = $1`,
    [partnerId, input.level],
  );
  if (!partner) throw new NotFoundError('Partner', String(input.partnerId));
  const items: Array<Omit<ProposalItem, 'partner_id' | 'level' | 'item_id'>> = await db.dataSource.query(
    `SELECT external_id, document_date, due_date, ($2::date - due_date) AS days_overdue, open_amount::text AS open_amount, currency::text AS currency
       FROM open_items WHERE partner_id = $1 AND open_amount > 0 AND due_date < $2
        AND currency = (SELECT currency FROM open_items WHERE partner_id = $1 AND open_amount > 0 AND due_date < $2 ORDER BY due_date, id LIMIT 1)
      ORDER BY due_date, id LIMIT $3`,
    [partnerId, input.asOf, PREVIEW_ITEMS],
  );
  if (!items.length) return null;
  const total = items.reduce((sum, i) => sum + toUnits(i.open_amount), 0n);
  const values = noticeValues({ ...partner, level: input.level, currency: items[0]!.currency, total: fromUnits(total), item_count: items.length }, input.asOf);
  const itemValues = itemValuesOf(items, input.level);
  return {
    partnerId: partner.partner_id,
    partnerName: partner.name,
    level: input.level,
    subject: subject ? renderTemplate(subject, values, itemValues) : null,
    body: renderTemplate(body, values, itemValues),
    itemCount: items.length,
  };
}

/** A batch of rendered notices into the outbox (one statement). */
async function writeNotices(m: EntityManager, runId: string, rendered: RenderedNotice[]): Promise<void> {
  const col = <K extends keyof RenderedNotice>(k: K) => rendered.map((n) => n[k]);
  await m.query(
    `INSERT INTO dunning_notices (run_id, partner_id, procedure_key, level, channel, recipient, currency, total_amount, charge, charge_currency, subject, body)
     SELECT $1, u.partner_id, g.procedure_key, u.level, u.channel, u.recipient, u.currency, u.total, u.charge, u.charge_currency, u.subject, u.body
       FROM unnest($2::bigint[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::text[], $10::text[], $11::text[])
            AS u(partner_id, level, channel, recipient, currency, total, charge, charge_currency, subject, body)
       CROSS JOIN LATERAL (SELECT procedure_key FROM dunning_proposal p WHERE p.partner_id = u.partner_id AND p.level = u.level LIMIT 1) g`,
    [
      runId,
      col('partnerId'),
      col('level'),
      col('channel'),
      col('recipient'),
      col('currency'),
      col('totalAmount'),
      col('charge'),
      col('chargeCurrency'),
      col('subject'),
      col('body'),
    ],
  );
}

/**
 * Steps 3 and 4: the notices' items, the items' levels raised (one UPDATE), the run's totals; then
 * the live item of every partner dunned re-valuated (unless told not to). The count re-valuated.
 */
async function raiseLevels(m: EntityManager, runId: string, asOf: string, totals: ProposalTotals, revaluate: boolean, progress: Progress): Promise<number> {
  progress({ phase: 'raise levels', done: 0, total: 1 });
  await m.query(
    `INSERT INTO dunning_notice_items (notice_id, item_id, partner_id, previous_level, level, days_overdue, open_amount)
     SELECT n.id, p.item_id, p.partner_id, p.previous_level, p.level, p.days_overdue, p.open_amount
       FROM dunning_notices n JOIN dunning_proposal p ON p.partner_id = n.partner_id AND p.level = n.level AND p.currency = n.currency
      WHERE n.run_id = $1`,
    [runId],
  );
  await m.query(`UPDATE open_items i SET dunning_level = p.level FROM dunning_proposal p WHERE i.id = p.item_id`);
  // The dated level history (DESIGN.md "Point in time"): a second run on the same date keeps the higher level.
  await m.query(
    `INSERT INTO dunning_level_changes (item_id, dunned_on, partner_id, level)
     SELECT item_id, $1::date, partner_id, max(level) FROM dunning_proposal GROUP BY item_id, partner_id
     ON CONFLICT (item_id, dunned_on) DO UPDATE SET level = greatest(dunning_level_changes.level, EXCLUDED.level)`,
    [asOf],
  );
  await m.query(`UPDATE dunning_runs SET finished_at = now(), partners = $2, notices = $3, items = $4 WHERE id = $1`, [
    runId,
    totals.partners,
    totals.notices,
    totals.items,
  ]);
  let revaluated = 0;
  if (revaluate) {
    const dunned: Array<{ partner_id: string }> = await m.query(`SELECT DISTINCT partner_id::text AS partner_id FROM dunning_proposal ORDER BY 1`);
    for (const [n, p] of dunned.entries()) {
      // At the notices' date when later than the worklist's key date: facts are point in time.
      if (await revaluatePartner(m, p.partner_id, asOf)) revaluated++;
      if (n % 100 === 0) progress({ phase: 're-valuate', done: n, total: dunned.length });
    }
  }
  return revaluated;
}

/** Money as text with two decimals at least (numeric(19,4) comes as 4). */
function money(v: string): string {
  const [int, frac = ''] = v.split('.');
  const trimmed = frac.replace(/0+$/, '');
  return `${int}.${trimmed.padEnd(2, '0')}`;
}

// ---- delivery --------------------------------------------------------------------------------

/** The SMTP transport of RECOUP_SMTP_URL (smtp://user:pass@host:port), or null: the outbox only. */
export function smtpTransport(): Transporter | null {
  const url = process.env.RECOUP_SMTP_URL;
  return url ? mailTransport(url) : null;
}

/** A nodemailer transport from an SMTP URL or nodemailer options (tests use `{ jsonTransport: true }`). */
export function mailTransport(options: string | Parameters<typeof nodemailer.createTransport>[0]): Transporter {
  return nodemailer.createTransport(options as any);
}

/**
 * Sends the PENDING e-mail notices (of a run, or all) through the transport, one by one, marking
 * each SENT or FAILED (with the error); never inside the run's transaction.
 */
export async function deliverEmails(db: Database, transport: Transporter, runId?: string | null): Promise<{ sent: number; failed: number }> {
  const from = process.env.RECOUP_SMTP_FROM || 'Recoup <recoup@localhost>';
  const notices: Array<{ id: string; recipient: string; subject: string | null; body: string }> = await db.dataSource.query(
    `SELECT id::text AS id, recipient, subject, body FROM dunning_notices
      WHERE channel = 'EMAIL' AND status = 'PENDING' AND recipient IS NOT NULL AND ($1::bigint IS NULL OR run_id = $1) ORDER BY id`,
    [runId ?? null],
  );
  let sent = 0;
  let failed = 0;
  for (const n of notices) {
    try {
      await transport.sendMail({ from, to: n.recipient, subject: n.subject ?? 'Payment reminder', text: n.body });
      await db.dataSource.query(`UPDATE dunning_notices SET status = 'SENT', sent_at = now(), error = NULL WHERE id = $1`, [n.id]);
      sent++;
    } catch (error) {
      await db.dataSource.query(`UPDATE dunning_notices SET status = 'FAILED', error = $2 WHERE id = $1`, [
        n.id,
        error instanceof Error ? error.message : String(error),
      ]);
      failed++;
    }
  }
  return { sent, failed };
}
