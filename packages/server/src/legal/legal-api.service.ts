/** What the API asks of legal cases: reads, and each write in one transaction with a read-back. */
import { caller, partnerInReach } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError } from '../graphql/errors';
import { parseId, parseIdInput } from '../graphql/scalars';
import type { ChangeLegalCaseInput, LegalCaseView, LegalCostInput, OpenLegalCaseInput } from './legal.types';
import { LEGAL_STATUSES } from './legal.entity';
import { addLegalCost, changeLegalCase, openLegalCase } from './legal.service';

const CASE_SELECT = `SELECT c.id::text AS id, c.partner_id::text AS "partnerId", c.status, c.opened_on::text AS "openedOn", c.closed_on::text AS "closedOn",
    c.outcome, c.reference, c.version FROM legal_cases c`;

async function withDetails(ctx: RequestContext, rows: Array<Omit<LegalCaseView, 'items' | 'history' | 'costs'>>): Promise<LegalCaseView[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [items, history, costs] = await Promise.all([
    ctx.db.dataSource.query(
      `SELECT x.case_id::text AS c, x.item_id::text AS "itemId", i.external_id AS "externalId", x.amount::text AS amount, x.currency::text AS currency
         FROM legal_case_items x JOIN open_items i ON i.id = x.item_id WHERE x.case_id = ANY($1::bigint[]) ORDER BY x.item_id`,
      [ids],
    ),
    ctx.db.dataSource.query(
      `SELECT case_id::text AS c, status, changed_on::text AS "changedOn", note FROM legal_case_events WHERE case_id = ANY($1::bigint[]) ORDER BY id`,
      [ids],
    ),
    ctx.db.dataSource.query(
      `SELECT case_id::text AS c, id::text AS id, cost_date::text AS "costDate", kind, amount::text AS amount, currency::text AS currency
         FROM legal_case_costs WHERE case_id = ANY($1::bigint[]) ORDER BY cost_date, id`,
      [ids],
    ),
  ]);
  const of = <T extends { c: string }>(list: T[], id: string) => list.filter((x) => x.c === id).map(({ c: _c, ...x }) => x);
  return rows.map((r) => ({ ...r, items: of(items, r.id), history: of(history, r.id), costs: of(costs, r.id) })) as LegalCaseView[];
}

export async function legalCase(ctx: RequestContext, id: string): Promise<LegalCaseView | null> {
  const rows = await ctx.db.dataSource.query(`${CASE_SELECT} WHERE c.id = $1`, [parseId(id, 'Legal case')]);
  return (await withDetails(ctx, rows))[0] ?? null;
}

/** A partner's cases, or every case (of a status), newest first; at most 500. */
export async function legalCases(ctx: RequestContext, args: { partnerId?: string | null; status?: string | null }): Promise<LegalCaseView[]> {
  const partnerId = args.partnerId == null ? null : parseIdInput(args.partnerId, 'partnerId');
  if (partnerId !== null) await partnerInReach(ctx, partnerId);
  if (args.status != null && !(LEGAL_STATUSES as readonly string[]).includes(args.status)) {
    throw new BadUserInputError(`status is one of ${LEGAL_STATUSES.join(', ')}`, 'status');
  }
  const rows = await ctx.db.dataSource.query(
    `${CASE_SELECT} WHERE ($1::bigint IS NULL OR c.partner_id = $1) AND ($2::text IS NULL OR c.status = $2) ORDER BY c.id DESC LIMIT 500`,
    [partnerId, args.status ?? null],
  );
  return withDetails(ctx, rows);
}

export async function openLegalCaseApi(ctx: RequestContext, input: OpenLegalCaseInput): Promise<LegalCaseView> {
  const partnerId = parseIdInput(input.partnerId, 'input.partnerId');
  const itemIds = (input.itemIds ?? []).map((id, i) => parseIdInput(id, `input.itemIds[${i}]`));
  await partnerInReach(ctx, partnerId);
  const id = await ctx.db.dataSource.transaction((m) => openLegalCase(m, caller(ctx), { ...input, partnerId, itemIds }));
  return (await legalCase(ctx, id))!;
}

export async function changeLegalCaseApi(ctx: RequestContext, input: ChangeLegalCaseInput): Promise<LegalCaseView> {
  const caseId = parseIdInput(input.caseId, 'input.caseId');
  await ctx.db.dataSource.transaction((m) => changeLegalCase(m, caller(ctx), { ...input, caseId }));
  return (await legalCase(ctx, caseId))!;
}

export async function addLegalCostApi(ctx: RequestContext, input: LegalCostInput): Promise<LegalCaseView> {
  const caseId = parseIdInput(input.caseId, 'input.caseId');
  await ctx.db.dataSource.transaction((m) => addLegalCost(m, caller(ctx), { ...input, caseId }));
  return (await legalCase(ctx, caseId))!;
}
