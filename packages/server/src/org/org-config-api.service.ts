/**
 * The organisation over GraphQL: reads (lists, one object, pages where lists grow long) and the
 * write operations, each one transaction around the shared write (org-config.service) and a
 * read-back. A broken field rule becomes BAD_USER_INPUT naming the argument (`input.currency`).
 */
import type { EntityManager } from 'typeorm';
import { caller } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError, ConflictError } from '../graphql/errors';
import { decodeCursor, encodeCursor, pageOf, pageSize, type Page } from '../graphql/paging';
import { isIsoDate, parseId, parseIdInput } from '../graphql/scalars';
import {
  assignPartner,
  deleteOrgObject,
  saveAbsence,
  saveCompanyCode,
  saveGroup,
  saveProfile,
  saveSegment,
  saveSpecialist,
  type OrgObject,
  type WriteMode,
} from './org-config.service';
import type {
  CollectionGroupInput,
  CollectionGroupView,
  CollectionProfileInput,
  CollectionProfileView,
  CollectionSegmentInput,
  CollectionSegmentView,
  CompanyCodeInput,
  CompanyCodeView,
  PartnerAssignment,
  PartnerAssignmentInput,
  SpecialistAbsenceInput,
  SpecialistAbsenceView,
  SpecialistInput,
  SpecialistView,
} from './org-config.types';
import { OrgFieldError } from './org-rules';

// ---- reads ---------------------------------------------------------------------------------

const COMPANY_CODE_SELECT = `SELECT code, name, country, currency, promise_tolerance_days AS "promiseToleranceDays", active, version FROM company_codes`;
const SEGMENT_SELECT = `SELECT s.key, s.name, s.currency, s.version,
    coalesce((SELECT array_agg(c.company_code ORDER BY c.company_code) FROM collection_segment_company_codes c WHERE c.segment_key = s.key), '{}') AS "companyCodes",
    coalesce((SELECT array_agg(g.key ORDER BY g.key) FROM collection_groups g WHERE g.segment_key = s.key), '{}') AS groups,
    (SELECT count(*)::integer FROM partners p WHERE p.segment = s.key) AS partners
  FROM collection_segments s`;
const PROFILE_SELECT = `SELECT p.key, p.name, p.version,
    coalesce((SELECT array_agg(x.segment_key ORDER BY x.segment_key) FROM collection_profile_segments x WHERE x.profile_key = p.key), '{}') AS segments
  FROM collection_profiles p`;
const GROUP_SELECT = `SELECT g.key, g.name, g.segment_key AS segment, g.strategy_key AS strategy, g.active, g.version, g.daily_capacity AS "dailyCapacity",
    (SELECT count(*)::integer FROM specialists s WHERE s.group_key = g.key) AS "specialistCount"
  FROM collection_groups g`;
const SPECIALIST_SELECT = `SELECT s.id::text AS id, s.user_name AS "userName", s.name, s.email, s.group_key AS "group", s.active, s.version FROM specialists s`;
const ABSENCE_SELECT = `SELECT a.id::text AS id, s.user_name AS "userName", s.name, s.group_key AS "group", a.starts_on AS "startsOn", a.ends_on AS "endsOn",
    sub.user_name AS substitute, sub.name AS "substituteName", a.version
  FROM specialist_absences a JOIN specialists s ON s.id = a.specialist_id LEFT JOIN specialists sub ON sub.id = a.substitute_id`;

export function companyCodes(ctx: RequestContext): Promise<CompanyCodeView[]> {
  return ctx.db.dataSource.query(`${COMPANY_CODE_SELECT} ORDER BY code`);
}

export async function companyCode(ctx: RequestContext, code: string): Promise<CompanyCodeView | null> {
  const [row] = await ctx.db.dataSource.query(`${COMPANY_CODE_SELECT} WHERE code = $1`, [code]);
  return row ?? null;
}

export function collectionSegments(ctx: RequestContext): Promise<CollectionSegmentView[]> {
  return ctx.db.dataSource.query(`${SEGMENT_SELECT} ORDER BY s.key`);
}

export async function collectionSegment(ctx: RequestContext, key: string): Promise<CollectionSegmentView | null> {
  const [row] = await ctx.db.dataSource.query(`${SEGMENT_SELECT} WHERE s.key = $1`, [key]);
  return row ?? null;
}

export function collectionProfiles(ctx: RequestContext): Promise<CollectionProfileView[]> {
  return ctx.db.dataSource.query(`${PROFILE_SELECT} ORDER BY p.key`);
}

export async function collectionProfile(ctx: RequestContext, key: string): Promise<CollectionProfileView | null> {
  const [row] = await ctx.db.dataSource.query(`${PROFILE_SELECT} WHERE p.key = $1`, [key]);
  return row ?? null;
}

export function collectionGroups(ctx: RequestContext, segment?: string | null): Promise<CollectionGroupView[]> {
  return ctx.db.dataSource.query(`${GROUP_SELECT} WHERE $1::text IS NULL OR g.segment_key = $1 ORDER BY g.key`, [segment ?? null]);
}

export async function collectionGroup(ctx: RequestContext, key: string): Promise<CollectionGroupView | null> {
  const [row] = await ctx.db.dataSource.query(`${GROUP_SELECT} WHERE g.key = $1`, [key]);
  return row ?? null;
}

export async function specialistByUserName(ctx: RequestContext, userName: string): Promise<SpecialistView | null> {
  const [row] = await ctx.db.dataSource.query(`${SPECIALIST_SELECT} WHERE s.user_name = $1`, [userName]);
  return row ?? null;
}

export interface SpecialistListQuery {
  group?: string | null;
  search?: string | null;
  includeInactive?: boolean | null;
  first?: number | null;
  after?: string | null;
}

/** Specialists by group (none last) and user name; `search` matches name or user name, any case. */
export async function specialistList(ctx: RequestContext, query: SpecialistListQuery): Promise<Page<SpecialistView>> {
  const first = pageSize(query.first, 50, 500);
  const [afterGroup, afterUser] = query.after ? decodeCursor(query.after, 'SPECIALISTS', 2, 'after', true) : [null, null];
  const rows: Array<SpecialistView & { sort_group: string }> = await ctx.db.dataSource.query(
    `SELECT * FROM (SELECT s.*, coalesce(s."group", '~') AS sort_group FROM (${SPECIALIST_SELECT}) s) x
      WHERE ($1::text IS NULL OR x."group" = $1)
        AND ($2::text IS NULL OR x.name ILIKE '%' || $2 || '%' OR x."userName" ILIKE '%' || $2 || '%')
        AND ($3 OR x.active)
        AND ($4::text IS NULL OR (x.sort_group, x."userName") > ($4::text, $5::text))
      ORDER BY x.sort_group, x."userName" LIMIT $6`,
    [query.group ?? null, likePattern(query.search), query.includeInactive ?? true, afterGroup, afterUser, first + 1],
  );
  return pageOf(
    rows,
    first,
    (r) => encodeCursor('SPECIALISTS', [r.sort_group, r.userName]),
    ({ sort_group: _sort, ...node }) => node,
  );
}

export interface AbsenceListQuery {
  userName?: string | null;
  group?: string | null;
  from?: string | null;
  to?: string | null;
  first?: number | null;
  after?: string | null;
}

/** Absences overlapping from..to (either open), by first day then id. */
export async function specialistAbsences(ctx: RequestContext, query: AbsenceListQuery): Promise<Page<SpecialistAbsenceView>> {
  const first = pageSize(query.first, 50, 500);
  const [afterDay, afterId] = query.after ? decodeCursor(query.after, 'ABSENCES', 2, 'after', true) : [null, null];
  if (afterDay !== null && !isIsoDate(String(afterDay))) throw new BadUserInputError('after is not a cursor of this list', 'after');
  const rows: SpecialistAbsenceView[] = await ctx.db.dataSource.query(
    `${ABSENCE_SELECT}
      WHERE ($1::text IS NULL OR s.user_name = $1) AND ($2::text IS NULL OR s.group_key = $2)
        AND ($3::date IS NULL OR a.ends_on >= $3::date) AND ($4::date IS NULL OR a.starts_on <= $4::date)
        AND ($5::date IS NULL OR (a.starts_on, a.id) > ($5::date, $6::bigint))
      ORDER BY a.starts_on, a.id LIMIT $7`,
    [query.userName ?? null, query.group ?? null, query.from ?? null, query.to ?? null, afterDay, afterId === null ? null : String(afterId), first + 1],
  );
  return pageOf(
    rows,
    first,
    (r) => encodeCursor('ABSENCES', [r.startsOn, r.id]),
    (r) => r,
  );
}

export async function partnerAssignment(ctx: RequestContext, partnerId: string): Promise<PartnerAssignment | null> {
  const id = parseId(partnerId, 'Partner');
  const [row] = await ctx.db.dataSource.query(
    `SELECT p.id::text AS "partnerId", p.external_id AS "externalId", p.name, p.segment, p.profile_key AS profile,
        p.collection_group_key AS "collectionGroup", s.user_name AS specialist
       FROM partners p LEFT JOIN specialists s ON s.id = p.specialist_id WHERE p.id = $1`,
    [id],
  );
  return row ?? null;
}

function likePattern(search: string | null | undefined): string | null {
  const text = search?.trim();
  return text ? text.replace(/[\\%_]/g, (c) => `\\${c}`) : null;
}

// ---- writes --------------------------------------------------------------------------------

/** One transaction for one write; a broken field rule names the argument it came in. */
async function write<T>(ctx: RequestContext, argument: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.dataSource.transaction(work);
  } catch (error) {
    if (error instanceof OrgFieldError) throw new BadUserInputError(error.message, `${argument}.${error.field}`);
    // Two creates of one key at once: the loser finds no row to lock, then meets the winner's key.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION)
      throw new ConflictError('It was created meanwhile by someone else: reload and apply your change again');
    throw error;
  }
}

const UNIQUE_VIOLATION = '23505';

const apiMode = (version: number | null | undefined): WriteMode => ({ kind: 'api', version: version ?? null });

export async function saveCompanyCodeApi(ctx: RequestContext, input: CompanyCodeInput): Promise<CompanyCodeView> {
  const { key } = await write(ctx, 'input', (m) => saveCompanyCode(m, caller(ctx), input, apiMode(input.version)));
  return (await companyCode(ctx, key))!;
}

export async function saveSegmentApi(ctx: RequestContext, input: CollectionSegmentInput): Promise<CollectionSegmentView> {
  const { key } = await write(ctx, 'input', (m) => saveSegment(m, caller(ctx), input, apiMode(input.version)));
  return (await collectionSegment(ctx, key))!;
}

export async function saveProfileApi(ctx: RequestContext, input: CollectionProfileInput): Promise<CollectionProfileView> {
  const { key } = await write(ctx, 'input', (m) => saveProfile(m, caller(ctx), input, apiMode(input.version)));
  return (await collectionProfile(ctx, key))!;
}

export async function saveGroupApi(ctx: RequestContext, input: CollectionGroupInput): Promise<CollectionGroupView> {
  const { key } = await write(ctx, 'input', (m) => saveGroup(m, caller(ctx), input, apiMode(input.version)));
  return (await collectionGroup(ctx, key))!;
}

export async function saveSpecialistApi(ctx: RequestContext, input: SpecialistInput): Promise<SpecialistView> {
  const { key } = await write(ctx, 'input', (m) => saveSpecialist(m, caller(ctx), input, apiMode(input.version)));
  return (await specialistByUserName(ctx, key))!;
}

export async function saveAbsenceApi(ctx: RequestContext, input: SpecialistAbsenceInput): Promise<SpecialistAbsenceView> {
  const id = input.id == null ? null : parseIdInput(input.id, 'input.id');
  if (id !== null && input.version == null) throw new BadUserInputError('input.version is required to change an absence', 'input.version');
  const result = await write(ctx, 'input', (m) => saveAbsence(m, caller(ctx), { ...input, id }, apiMode(input.version)));
  const [row] = await ctx.db.dataSource.query(`${ABSENCE_SELECT} WHERE a.id = $1`, [result.id]);
  return row;
}

export async function assignPartnerApi(ctx: RequestContext, input: PartnerAssignmentInput): Promise<PartnerAssignment> {
  const partnerId = parseId(input.partnerId, 'Partner');
  await write(ctx, 'input', (m) => assignPartner(m, caller(ctx), { ...input, partnerId }));
  return (await partnerAssignment(ctx, partnerId))!;
}

/** Deletes an object nothing refers to (CONFLICT naming the referrers otherwise); true when deleted. */
export async function deleteOrgObjectApi(ctx: RequestContext, object: OrgObject, key: string, version: number): Promise<boolean> {
  if (object === 'absence') parseIdInput(key, 'id');
  await write(ctx, 'input', (m) => deleteOrgObject(m, caller(ctx), object, key, version));
  return true;
}
