/**
 * What the API asks of agencies and placements: reads (an AGENCY caller sees its own agency's
 * placements only, graphql/access), the writes each in one transaction with a read-back, and the
 * placement proposal: a rules document in the strategy format scored over the facts at D.
 */
import { compileJs, factKey, factRowsSql, fxCheckSql, validateStrategy, type FactKey, type StrategyDocument } from '@recoup/rules';
import type { EntityManager } from 'typeorm';
import { caller, ownAgency, partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, ConflictError, NotFoundError } from '../graphql/errors';
import { decodeCursor, encodeCursor, pageOf, pageSize, type Page } from '../graphql/paging';
import { isIsoDate, parseId, parseIdInput } from '../graphql/scalars';
import { createContact } from '../contacts';
import { OrgFieldError, type WriteMode } from '../org';
import { createPromises } from '../promises';
import { agencyByKey, deleteAgency, saveAgency, type AgencyRow } from './agency.service';
import type {
  AgencyContactInput,
  AgencyContactView,
  AgencyCustomerView,
  AgencyInput,
  AgencyPromiseInput,
  AgencyPromiseView,
  PlaceInput,
  PlacedItemView,
  PlacementProposalView,
  PlacementView,
  RecallInput,
} from './agency.types';
import { placeItems, recallPlacement } from './placement.service';
import { agencySettlement, closeAgencySettlement, type Settlement } from './settlement.service';

const UNIQUE_VIOLATION = '23505';

/** One transaction for one write; a broken field rule names the argument, a lost race is a CONFLICT. */
async function write<T>(ctx: RequestContext, work: (m: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.dataSource.transaction(work);
  } catch (error) {
    if (error instanceof OrgFieldError) throw new BadUserInputError(error.message, `input.${error.field}`);
    if ((error as { code?: string }).code === UNIQUE_VIOLATION)
      throw new ConflictError('It was changed meanwhile by someone else: reload and apply your change again');
    throw error;
  }
}

// ---- agencies ------------------------------------------------------------------------------

export async function saveAgencyApi(ctx: RequestContext, input: AgencyInput): Promise<AgencyRow> {
  const mode: WriteMode = { kind: 'api', version: input.version ?? null };
  const { key } = await write(ctx, (m) => saveAgency(m, caller(ctx), input, mode));
  return (await agencyByKey(ctx, key))!;
}

export async function deleteAgencyApi(ctx: RequestContext, key: string, version: number): Promise<boolean> {
  await write(ctx, (m) => deleteAgency(m, caller(ctx), key, version));
  return true;
}

/** Agencies by key; an AGENCY caller sees its own only. */
export async function agencyList(ctx: RequestContext): Promise<AgencyRow[]> {
  const own = ownAgency(ctx);
  const rows: AgencyRow[] = await ctx.db.dataSource.query(
    `SELECT key, name, email, commission_percent::text AS "commissionPercent", count_direct_payments AS "countDirectPayments", active, version
       FROM agencies WHERE $1::text IS NULL OR key = $1 ORDER BY key`,
    [own],
  );
  return rows;
}

export async function agencyApi(ctx: RequestContext, key: string): Promise<AgencyRow | null> {
  const own = ownAgency(ctx);
  if (own !== null && own !== key) return null;
  return agencyByKey(ctx, key);
}

// ---- placements ----------------------------------------------------------------------------

const PLACEMENT_SELECT = `SELECT pl.id::text AS id, pl.partner_id::text AS "partnerId", p.external_id AS "partnerExternalId", p.name AS "partnerName",
    pl.agency_key AS agency, pl.status, pl.placed_on::text AS "placedOn", pl.placed_by AS "placedBy", pl.recalled_on::text AS "recalledOn",
    pl.recall_reason AS "recallReason", pl.version
  FROM placements pl JOIN partners p ON p.id = pl.partner_id`;

async function withItems(ctx: RequestContext, rows: Array<Omit<PlacementView, 'items'>>): Promise<PlacementView[]> {
  if (!rows.length) return [];
  const items: Array<PlacedItemView & { placementId: string }> = await ctx.db.dataSource.query(
    `SELECT x.placement_id::text AS "placementId", x.item_id::text AS "itemId", i.external_id AS "externalId", i.due_date::text AS "dueDate",
        x.placed_amount::text AS "placedAmount", i.open_amount::text AS "openAmount", x.currency::text AS currency,
        EXISTS (SELECT 1 FROM item_holds h WHERE h.item_id = x.item_id AND h.kind = 'PLACEMENT' AND h.holder_id = x.placement_id AND h.ended_on IS NULL) AS held
       FROM placement_items x JOIN open_items i ON i.id = x.item_id WHERE x.placement_id = ANY($1::bigint[]) ORDER BY x.item_id`,
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => ({ ...r, items: items.filter((i) => i.placementId === r.id).map(({ placementId: _p, ...item }) => item) }));
}

/** One placement; null when unknown or (for an AGENCY caller) another agency's. */
export async function placementApi(ctx: RequestContext, id: string): Promise<PlacementView | null> {
  const placementId = parseId(id, 'Placement');
  const own = ownAgency(ctx);
  const rows = await ctx.db.dataSource.query(`${PLACEMENT_SELECT} WHERE pl.id = $1 AND ($2::text IS NULL OR pl.agency_key = $2)`, [placementId, own]);
  return (await withItems(ctx, rows))[0] ?? null;
}

export interface PlacementListQuery {
  agency?: string | null;
  status?: string | null;
  partnerId?: string | null;
  first?: number | null;
  after?: string | null;
}

const STATUSES = ['PLACED', 'RECALLED', 'CLOSED'];

/** Placements newest first; an AGENCY caller's are its own agency's whatever `agency` says. */
export async function placementList(ctx: RequestContext, query: PlacementListQuery): Promise<Page<PlacementView>> {
  const first = pageSize(query.first, 50, 500);
  if (query.status != null && !STATUSES.includes(query.status)) throw new BadUserInputError(`status is one of ${STATUSES.join(', ')}`, 'status');
  const partnerId = query.partnerId == null ? null : parseIdInput(query.partnerId, 'partnerId');
  const own = ownAgency(ctx);
  if (own !== null && query.agency != null && query.agency !== own)
    return pageOf(
      [],
      first,
      () => '',
      (r: PlacementView) => r,
    );
  const [afterId] = query.after ? decodeCursor(query.after, 'PLACEMENTS', 1) : [null];
  const rows = await ctx.db.dataSource.query(
    `${PLACEMENT_SELECT} WHERE ($1::text IS NULL OR pl.agency_key = $1) AND ($2::text IS NULL OR pl.status = $2) AND ($3::bigint IS NULL OR pl.partner_id = $3)
        AND ($4::bigint IS NULL OR pl.id < $4) ORDER BY pl.id DESC LIMIT $5`,
    [own ?? query.agency ?? null, query.status ?? null, partnerId, afterId === null ? null : String(afterId), first + 1],
  );
  const page = pageOf(
    rows as Array<Omit<PlacementView, 'items'>>,
    first,
    (r) => encodeCursor('PLACEMENTS', [Number(r.id)]),
    (r) => r,
  );
  const withAll = await withItems(
    ctx,
    page.edges.map((e) => e.node),
  );
  return { ...page, edges: page.edges.map((e, i) => ({ ...e, node: withAll[i]! })) };
}

/** The partner's current placement (PLACED), for the customer 360; null when not placed. */
export async function currentPlacementOf(ctx: RequestContext, partnerId: string): Promise<PlacementView | null> {
  const rows = await ctx.db.dataSource.query(`${PLACEMENT_SELECT} WHERE pl.partner_id = $1 AND pl.status = 'PLACED'`, [partnerId]);
  return (await withItems(ctx, rows))[0] ?? null;
}

export async function placeApi(ctx: RequestContext, input: PlaceInput): Promise<PlacementView> {
  const partnerId = parseIdInput(input.partnerId, 'input.partnerId');
  const itemIds = (input.itemIds ?? []).map((id, i) => parseIdInput(id, `input.itemIds[${i}]`));
  if (!isIsoDate(input.placedOn)) throw new BadUserInputError('placedOn must be a date (YYYY-MM-DD)', 'input.placedOn');
  await partnerInReach(ctx, partnerId);
  const id = await write(ctx, (m) => placeItems(m, caller(ctx), { partnerId, agency: input.agency, itemIds, placedOn: input.placedOn }));
  return (await placementApi(ctx, id))!;
}

export async function recallApi(ctx: RequestContext, input: RecallInput): Promise<PlacementView> {
  const placementId = parseIdInput(input.placementId, 'input.placementId');
  await write(ctx, (m) => recallPlacement(m, caller(ctx), { ...input, placementId }));
  return (await placementApi(ctx, placementId))!;
}

// ---- the proposal --------------------------------------------------------------------------

export interface ProposalQuery {
  rules: unknown;
  asOf: string;
  segment?: string | null;
  first?: number | null;
}

/**
 * The partners a placement rules document proposes: scored like a worklist (DESIGN.md: not exited,
 * percent >= minPercent, with at least one open item not held), those already placed left out,
 * ordered by priority, valuation desc, open amount desc, partner id. Scored in JS over the facts'
 * rows of the segment (or all partners): fine for a department's review, not yet for millions.
 */
export async function placementProposal(ctx: RequestContext, query: ProposalQuery): Promise<PlacementProposalView[]> {
  const document = validRules(query.rules);
  if (!isIsoDate(query.asOf)) throw new BadUserInputError('asOf must be a date (YYYY-MM-DD)', 'asOf');
  const first = pageSize(query.first, 100, 1000);
  const missing: Array<{ from_currency: string; to_currency: string }> = await ctx.db.dataSource.query(
    ...sqlArgs(fxCheckSql({ currency: document.currency, asOf: query.asOf })),
  );
  if (missing.length)
    throw new BadUserInputError(`No exchange rate ${missing[0]!.from_currency} -> ${missing[0]!.to_currency} on or before ${query.asOf}`, 'asOf');
  const scorer = compileJs(document);
  const openItems = factKey('openItemCount');
  const openAmount = factKey('openAmount');
  const overdueAmount = factKey('overdueAmount');
  const keys = [...scorer.factKeys, ...[openItems, openAmount, overdueAmount].filter((k) => !scorer.factKeys.some((s) => s.column === k.column))];
  const rows: Array<Record<string, unknown>> = await ctx.db.dataSource.query(
    ...sqlArgs(factRowsSql(keys, { currency: document.currency, asOf: query.asOf, ...(query.segment ? { segment: query.segment } : {}) })),
  );
  const placed = new Set<string>(
    (await ctx.db.dataSource.query(`SELECT partner_id::text AS id FROM placements WHERE status = 'PLACED'`)).map((r: { id: string }) => r.id),
  );
  const proposed = rows
    .filter((row) => Number(row[openItems.column] ?? 0) > 0 && !placed.has(String(row.partner_id)))
    .map((row) => ({ row, score: scorer.score(asNumbers(row, keys)) }))
    .filter(({ score }) => !score.excluded && score.passesMinPercent)
    .map(({ row, score }) => ({
      partnerId: String(row.partner_id),
      score,
      openAmount: String(row[openAmount.column] ?? '0'),
      overdueAmount: String(row[overdueAmount.column] ?? '0'),
    }))
    .sort(
      (a, b) =>
        a.score.priority - b.score.priority ||
        b.score.valuation - a.score.valuation ||
        compareDecimal(b.openAmount, a.openAmount) ||
        Number(BigInt(a.partnerId) - BigInt(b.partnerId)),
    )
    .slice(0, first);
  const names: Array<{ id: string; external_id: string; name: string }> = await ctx.db.dataSource.query(
    `SELECT id::text AS id, external_id, name FROM partners WHERE id = ANY($1::bigint[])`,
    [proposed.map((p) => p.partnerId)],
  );
  const byId = new Map(names.map((n) => [n.id, n]));
  return proposed.map((p) => ({
    partnerId: p.partnerId,
    externalId: byId.get(p.partnerId)!.external_id,
    name: byId.get(p.partnerId)!.name,
    valuation: p.score.valuation,
    percent: p.score.percent.toFixed(2),
    priority: p.score.priority,
    firedRules: p.score.fired,
    openAmount: p.openAmount,
    overdueAmount: p.overdueAmount,
  }));
}

function validRules(input: unknown): StrategyDocument {
  const result = validateStrategy(input);
  if (result.valid) return result.document;
  const first = result.errors[0]!;
  throw new BadUserInputError(`Invalid rules: ${first.message}`, first.path ? `rules.${first.path}` : 'rules');
}

/** The row as the rules see it: pg returns numeric facts as decimal strings, json-rules-engine compares numbers. */
function asNumbers(row: Record<string, unknown>, keys: readonly FactKey[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const k of keys) if (k.type === 'number' && typeof out[k.column] === 'string') out[k.column] = Number(out[k.column]);
  return out;
}

const sqlArgs = (sql: { text: string; values: unknown[] }): [string, unknown[]] => [sql.text, sql.values];

/** Orders two non-negative decimal strings exactly (open amounts in the document currency). */
function compareDecimal(a: string, b: string): number {
  const [ai = '0', af = ''] = a.split('.');
  const [bi = '0', bf = ''] = b.split('.');
  const scale = Math.max(af.length, bf.length);
  const x = BigInt(ai + af.padEnd(scale, '0'));
  const y = BigInt(bi + bf.padEnd(scale, '0'));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A partner as its agency may see it: master basics and its current placement (NOT_FOUND for another agency's). */
export async function agencyCustomer(ctx: RequestContext, partnerId: string): Promise<AgencyCustomerView> {
  const id = parseId(partnerId, 'Partner');
  await partnerInReach(ctx, id);
  const [partner] = await ctx.db.dataSource.query(
    `SELECT id::text AS "partnerId", external_id AS "externalId", name, country::text AS country, currency::text AS currency FROM partners WHERE id = $1`,
    [id],
  );
  return { ...partner, placement: await currentPlacementOf(ctx, id) };
}

/** A contact an agency had with a partner placed with it (the contacts feature records it; NOT_FOUND for another agency's partner). */
export async function agencyRecordContact(ctx: RequestContext, input: AgencyContactInput): Promise<AgencyContactView> {
  const { contact } = await createContact(ctx, { ...input, partnerId: parseIdInput(input.partnerId, 'input.partnerId') });
  return { id: contact.id, contactDate: contact.contactDate, reached: contact.reached };
}

/** A promise an agency obtained (the promises feature records it; NOT_FOUND for another agency's partner). */
export async function agencyCreatePromise(ctx: RequestContext, input: AgencyPromiseInput): Promise<AgencyPromiseView[]> {
  const partnerId = parseIdInput(input.partnerId, 'input.partnerId');
  const itemIds = (input.itemIds ?? []).map((id, i) => parseIdInput(id, `input.itemIds[${i}]`));
  await assertPlacedWithCaller(ctx, partnerId, itemIds);
  const { promises } = await createPromises(ctx, { ...input, partnerId, itemIds });
  return promises.map((p) => ({ id: p.id, promisedDate: p.promisedDate, amount: p.amount, currency: p.currency, status: p.status }));
}

/** The agency's settlement of a period (an AGENCY caller: its own only, NOT_FOUND for another's). */
export async function agencySettlementApi(ctx: RequestContext, agency: string, from: string, to: string): Promise<Settlement> {
  const own = ownAgency(ctx);
  if (own !== null && own !== agency) throw new NotFoundError('Agency', agency);
  return agencySettlement(ctx.db.dataSource.manager, agency, from, to);
}

export async function closeAgencySettlementApi(ctx: RequestContext, agency: string, from: string, to: string): Promise<Settlement> {
  await write(ctx, (m) => closeAgencySettlement(m, caller(ctx), agency, from, to));
  return agencySettlement(ctx.db.dataSource.manager, agency, from, to);
}

/** An agency promises only on the items placed with it (another item of the partner: NOT_FOUND to it). */
async function assertPlacedWithCaller(ctx: RequestContext, partnerId: string, itemIds: readonly string[]): Promise<void> {
  const agency = ownAgency(ctx);
  if (agency === null || itemIds.length === 0) return;
  const placed: Array<{ id: string }> = await ctx.db.dataSource.query(
    `SELECT h.item_id::text AS id FROM item_holds h JOIN placements pl ON pl.id = h.holder_id
      WHERE h.kind = 'PLACEMENT' AND h.ended_on IS NULL AND h.partner_id = $1 AND pl.agency_key = $2 AND h.item_id = ANY($3::bigint[])`,
    [partnerId, agency, [...itemIds]],
  );
  const missing = itemIds.find((id) => !placed.some((p) => p.id === id));
  if (missing !== undefined) throw new NotFoundError('Placed item', missing);
}
