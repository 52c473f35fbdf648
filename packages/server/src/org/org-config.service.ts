/**
 * Writing the organisation: company codes, segments, profiles, groups, specialists, absences
 * and partner assignments. One function per object, shared by the GraphQL mutations and the
 * CSV import, each run inside the caller's transaction: check the fields (org-rules), check
 * what they refer to, compare with the stored row (locked), write only a change, audit it.
 *
 * `mode` says how a write meets the stored row: `api` names the version it read (null: a new
 * object) and is refused on a stale one; `import` upserts by key, as the AR import does.
 */
import type { EntityManager } from 'typeorm';
import { recordAudit, type Actor } from '../audit';
import { ConflictError, NotFoundError } from '../graphql/errors';
import {
  OrgFieldError,
  calendarDate,
  dailyCapacity,
  currencyCode,
  displayName,
  keyList,
  optionalCountry,
  optionalCurrency,
  optionalEmail,
  orgKey,
  toleranceDays,
  userName,
} from './org-rules';

export type WriteMode = { kind: 'api'; version: number | null } | { kind: 'import' };

export interface CompanyCodeValues {
  code: string;
  name: string;
  country?: string | null;
  currency?: string | null;
  promiseToleranceDays?: number | null;
  active?: boolean | null;
}

export interface SegmentValues {
  key: string;
  name: string;
  currency: string;
  companyCodes: readonly string[];
}

export interface ProfileValues {
  key: string;
  name: string;
  segments: readonly string[];
}

export interface GroupValues {
  key: string;
  name: string;
  segment: string;
  strategy?: string | null;
  active?: boolean | null;
  /** Partners worked a day; undefined keeps the stored value, null clears it. */
  dailyCapacity?: number | null;
}

export interface SpecialistValues {
  userName: string;
  name: string;
  email?: string | null;
  group?: string | null;
  active?: boolean | null;
}

export interface AbsenceValues {
  userName: string;
  startsOn: string;
  endsOn: string;
  substitute?: string | null;
}

export interface AssignmentValues {
  partnerId: string;
  profile?: string | null;
  collectionGroup?: string | null;
  specialist?: string | null;
}

/** What a write did: the object's key and version after it, and whether anything changed. */
export interface WriteResult {
  key: string;
  version: number;
  changed: boolean;
}

// ---- the objects ---------------------------------------------------------------------------

export async function saveCompanyCode(m: EntityManager, actor: Actor, input: CompanyCodeValues, mode: WriteMode): Promise<WriteResult> {
  const code = orgKey('code', input.code, 'a company code');
  const row = {
    name: displayName('name', input.name),
    country: optionalCountry('country', input.country),
    currency: optionalCurrency('currency', input.currency),
    promise_tolerance_days: toleranceDays('promiseToleranceDays', input.promiseToleranceDays ?? 3),
    active: input.active ?? true,
  };
  return writeRow(m, actor, TABLES.companyCode, code, row, mode);
}

export async function saveSegment(m: EntityManager, actor: Actor, input: SegmentValues, mode: WriteMode): Promise<WriteResult> {
  const key = orgKey('key', input.key, 'a segment key');
  const row = { name: displayName('name', input.name), currency: currencyCode('currency', input.currency) };
  const companyCodes = keyList('companyCodes', input.companyCodes, 'a company code');
  await assertKeysExist(m, 'companyCodes', 'company_codes', 'code', companyCodes, 'company code');
  return writeRow(m, actor, TABLES.segment, key, row, mode, {
    table: 'collection_segment_company_codes',
    owner: 'segment_key',
    member: 'company_code',
    keys: companyCodes,
  });
}

export async function saveProfile(m: EntityManager, actor: Actor, input: ProfileValues, mode: WriteMode): Promise<WriteResult> {
  const key = orgKey('key', input.key, 'a profile key');
  const row = { name: displayName('name', input.name) };
  const segments = keyList('segments', input.segments, 'a segment key');
  await assertKeysExist(m, 'segments', 'collection_segments', 'key', segments, 'segment');
  return writeRow(m, actor, TABLES.profile, key, row, mode, {
    table: 'collection_profile_segments',
    owner: 'profile_key',
    member: 'segment_key',
    keys: segments,
  });
}

export async function saveGroup(m: EntityManager, actor: Actor, input: GroupValues, mode: WriteMode): Promise<WriteResult> {
  const key = orgKey('key', input.key, 'a group key');
  const segment = orgKey('segment', input.segment, 'a segment key');
  await assertKeysExist(m, 'segment', 'collection_segments', 'key', [segment], 'segment');
  const strategy = input.strategy === null || input.strategy === undefined || input.strategy === '' ? null : input.strategy;
  if (strategy !== null) {
    if (typeof strategy !== 'string' || strategy.length > 60) throw new OrgFieldError('strategy', 'strategy must be a strategy key');
    await assertKeysExist(m, 'strategy', 'strategies', 'key', [strategy], 'strategy');
  }
  const row: Record<string, unknown> = { name: displayName('name', input.name), segment_key: segment, strategy_key: strategy, active: input.active ?? true };
  // Left out when not given, so a caller that does not know the field keeps it.
  if (input.dailyCapacity !== undefined) row.daily_capacity = dailyCapacity('dailyCapacity', input.dailyCapacity);
  return writeRow(m, actor, TABLES.group, key, row, mode);
}

export async function saveSpecialist(m: EntityManager, actor: Actor, input: SpecialistValues, mode: WriteMode): Promise<WriteResult & { id: string }> {
  const user = userName('userName', input.userName);
  const group = input.group === null || input.group === undefined || input.group === '' ? null : orgKey('group', input.group, 'a group key');
  if (group !== null) await assertKeysExist(m, 'group', 'collection_groups', 'key', [group], 'collection group');
  const row = { name: displayName('name', input.name), email: optionalEmail('email', input.email), group_key: group, active: input.active ?? true };
  const result = await writeRow(m, actor, TABLES.specialist, user, row, mode);
  const [{ id }] = await m.query(`SELECT id::text AS id FROM specialists WHERE user_name = $1`, [user]);
  return { ...result, id };
}

/**
 * An absence of a specialist, with the substitute who takes their fixed partners meanwhile: an
 * active specialist of the same group, not absent on any of those days (no chains), and no
 * overlap with another absence of the same specialist. `id` names the absence to change (api);
 * the import finds it by specialist and first day.
 */
export async function saveAbsence(
  m: EntityManager,
  actor: Actor,
  input: AbsenceValues & { id?: string | null },
  mode: WriteMode,
): Promise<WriteResult & { id: string }> {
  const startsOn = calendarDate('startsOn', input.startsOn);
  const endsOn = calendarDate('endsOn', input.endsOn);
  if (endsOn < startsOn) throw new OrgFieldError('endsOn', `the absence would end (${endsOn}) before it starts (${startsOn})`);
  const absent = await specialistByUserName(m, 'userName', input.userName);
  const substitute = input.substitute ? await specialistByUserName(m, 'substitute', input.substitute) : null;
  const existingId = mode.kind === 'api' ? (input.id ?? null) : await absenceIdOf(m, absent.id, startsOn);
  if (substitute) assertSubstituteFits(absent, substitute);
  await assertNoOverlap(m, absent, substitute, startsOn, endsOn, existingId);
  const row = { specialist_id: absent.id, starts_on: startsOn, ends_on: endsOn, substitute_id: substitute?.id ?? null };
  const result = await writeById(m, actor, TABLES.absence, existingId, row, mode, `${absent.user_name} ${startsOn}..${endsOn}`);
  return { ...result, id: result.key };
}

/**
 * Where a partner is worked: its profile, its collection group (working the partner's segment)
 * and a fixed specialist (an active member of that group). Null clears a field. Partners carry
 * no version: the last assignment wins, and each is audited.
 */
export async function assignPartner(m: EntityManager, actor: Actor, input: AssignmentValues): Promise<WriteResult> {
  const [partner]: Array<{ id: string; segment: string; profile_key: string | null; collection_group_key: string | null; specialist_id: string | null }> =
    await m.query(
      `SELECT id::text AS id, segment, profile_key, collection_group_key, specialist_id::text AS specialist_id FROM partners WHERE id = $1 FOR UPDATE`,
      [input.partnerId],
    );
  if (!partner) throw new NotFoundError('Partner', input.partnerId);
  const profile = input.profile ? orgKey('profile', input.profile, 'a profile key') : null;
  if (profile) await assertKeysExist(m, 'profile', 'collection_profiles', 'key', [profile], 'profile');
  const group = input.collectionGroup ? await groupWorking(m, input.collectionGroup, partner.segment) : null;
  const specialist = input.specialist ? await specialistByUserName(m, 'specialist', input.specialist) : null;
  if (specialist) assertFixedSpecialistFits(specialist, group ?? (await onlyGroupOf(m, partner.segment)));
  const next = { profile_key: profile, collection_group_key: group, specialist_id: specialist?.id ?? null };
  const changes = changedColumns(partner, next);
  if (Object.keys(changes).length === 0) return { key: partner.id, version: 0, changed: false };
  await m.query(`UPDATE partners SET profile_key = $2, collection_group_key = $3, specialist_id = $4 WHERE id = $1`, [
    partner.id,
    next.profile_key,
    next.collection_group_key,
    next.specialist_id,
  ]);
  await recordAudit(m, actor, { action: 'ASSIGN', entityType: 'PARTNER', entityId: partner.id, details: { changes } });
  return { key: partner.id, version: 0, changed: true };
}

// ---- retiring ------------------------------------------------------------------------------

/** What still refers to an object: a kind and how many (counted up to a cap: a delete needs only to know it is refused). */
export interface Reference {
  kind: string;
  count: number;
}

export type OrgObject = 'companyCode' | 'segment' | 'profile' | 'group' | 'specialist' | 'absence';

/**
 * Deletes an object nothing refers to; otherwise CONFLICT naming what still refers to it (the
 * way to retire it then is to deactivate it). An absence refers to no one's history and always goes.
 */
export async function deleteOrgObject(m: EntityManager, actor: Actor, object: OrgObject, key: string, version: number): Promise<void> {
  const table = TABLES[object];
  const stored = await lockRow(m, table, key);
  if (!stored) throw new NotFoundError(table.label, key);
  if (stored.version !== version) throw staleVersion(table, key, version, stored.version);
  const references = await referencesTo(m, object, String(stored[table.id ?? table.key]));
  if (references.length > 0) {
    const list = references.map((r) => `${r.count >= REFERENCE_CAP ? `${REFERENCE_CAP}+` : r.count} ${r.kind}`).join(', ');
    const retire = table.retire ? `; ${table.retire}` : '';
    throw new ConflictError(`${table.label} ${key} is still referred to by ${list}${retire}`, { referencedBy: references });
  }
  await m.query(`DELETE FROM ${table.table} WHERE ${table.key} = $1`, [key]);
  await recordAudit(m, actor, { action: 'DELETE', entityType: table.entityType, entityId: key, details: { version } });
}

const REFERENCE_CAP = 10_000;

/** Each object's referrers: [kind, SQL counting rows that refer to $1 (capped)]. */
const REFERRERS: Record<OrgObject, Array<[string, string]>> = {
  companyCode: [
    ['open items', `SELECT 1 FROM open_items WHERE company_code = $1`],
    ['segments', `SELECT 1 FROM collection_segment_company_codes WHERE company_code = $1`],
  ],
  segment: [
    ['partners', `SELECT 1 FROM partners WHERE segment = $1`],
    ['collection groups', `SELECT 1 FROM collection_groups WHERE segment_key = $1`],
    ['profiles', `SELECT 1 FROM collection_profile_segments WHERE segment_key = $1`],
    ['worklist runs', `SELECT 1 FROM worklist_runs WHERE segment_key = $1`],
  ],
  profile: [['partners', `SELECT 1 FROM partners WHERE profile_key = $1`]],
  group: [
    ['specialists', `SELECT 1 FROM specialists WHERE group_key = $1`],
    ['partners', `SELECT 1 FROM partners WHERE collection_group_key = $1`],
  ],
  specialist: [
    ['partners with them as fixed specialist', `SELECT 1 FROM partners WHERE specialist_id = $1::bigint`],
    ['worklist items', `SELECT 1 FROM worklist_items WHERE specialist_id = $1::bigint`],
    ['absences', `SELECT 1 FROM specialist_absences WHERE specialist_id = $1::bigint OR substitute_id = $1::bigint`],
    ['API tokens', `SELECT 1 FROM api_tokens WHERE specialist_id = $1::bigint`],
  ],
  absence: [],
};

async function referencesTo(m: EntityManager, object: OrgObject, id: string): Promise<Reference[]> {
  const found: Reference[] = [];
  for (const [kind, sql] of REFERRERS[object]) {
    const [{ n }] = await m.query(`SELECT count(*)::integer AS n FROM (${sql} LIMIT ${REFERENCE_CAP}) r`, [id]);
    if (n > 0) found.push({ kind, count: n });
  }
  return found;
}

// ---- the shared write ----------------------------------------------------------------------

interface OrgTable {
  table: string;
  /** The column a client names the object by. */
  key: string;
  /** The primary key when it is not the client's key (specialists: id). */
  id?: string;
  entityType: string;
  label: string;
  /** How to retire it instead of deleting, when it has an `active` flag. */
  retire?: string;
}

const TABLES: Record<OrgObject, OrgTable> = {
  companyCode: { table: 'company_codes', key: 'code', entityType: 'COMPANY_CODE', label: 'Company code', retire: 'deactivate it instead (active: false)' },
  segment: { table: 'collection_segments', key: 'key', entityType: 'SEGMENT', label: 'Segment' },
  profile: { table: 'collection_profiles', key: 'key', entityType: 'PROFILE', label: 'Profile' },
  group: { table: 'collection_groups', key: 'key', entityType: 'GROUP', label: 'Collection group', retire: 'deactivate it instead (active: false)' },
  specialist: {
    table: 'specialists',
    key: 'user_name',
    id: 'id',
    entityType: 'SPECIALIST',
    label: 'Specialist',
    retire: 'deactivate them instead (active: false)',
  },
  absence: { table: 'specialist_absences', key: 'id', entityType: 'ABSENCE', label: 'Absence' },
};

interface MemberSet {
  table: string;
  owner: string;
  member: string;
  keys: readonly string[];
}

type StoredRow = Record<string, unknown> & { version: number };

async function lockRow(m: EntityManager, table: OrgTable, key: string): Promise<StoredRow | undefined> {
  const [row] = await m.query(`SELECT * FROM ${table.table} WHERE ${table.key} = $1 FOR UPDATE`, [key]);
  return row;
}

function staleVersion(table: OrgTable, key: string, expected: number, current: number): ConflictError {
  return new ConflictError(`${table.label} ${key} was changed meanwhile (version ${current}, not ${expected}): reload it and apply your change again`, {
    version: current,
  });
}

/** Whether the stored row may be written as `mode` asks: a new object must not exist, a change must name the current version. */
function assertWritable(table: OrgTable, key: string, stored: StoredRow | undefined, mode: WriteMode): void {
  if (mode.kind === 'import') return;
  if (mode.version === null && stored) throw new ConflictError(`${table.label} ${key} already exists (version ${stored.version})`, { version: stored.version });
  if (mode.version !== null && !stored) throw new NotFoundError(table.label, key);
  if (mode.version !== null && stored && stored.version !== mode.version) throw staleVersion(table, key, mode.version, stored.version);
}

/** Inserts or updates one keyed row (and its member list), bumping the version and auditing only a real change. */
async function writeRow(
  m: EntityManager,
  actor: Actor,
  table: OrgTable,
  key: string,
  row: Record<string, unknown>,
  mode: WriteMode,
  members?: MemberSet,
): Promise<WriteResult> {
  const stored = await lockRow(m, table, key);
  assertWritable(table, key, stored, mode);
  const columns = Object.keys(row);
  if (!stored) {
    await m.query(`INSERT INTO ${table.table} (${table.key}, ${columns.join(', ')}) VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})`, [
      key,
      ...columns.map((c) => row[c]),
    ]);
    if (members) await replaceMembers(m, members, key);
    await recordAudit(m, actor, { action: 'CREATE', entityType: table.entityType, entityId: key, details: { values: { ...row, ...memberDetail(members) } } });
    return { key, version: 1, changed: true };
  }
  const changes = changedColumns(stored, row);
  const memberChange = members ? await memberChanges(m, members, key) : null;
  if (memberChange) changes[members!.member] = memberChange;
  if (Object.keys(changes).length === 0) return { key, version: stored.version, changed: false };
  await m.query(`UPDATE ${table.table} SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, version = version + 1 WHERE ${table.key} = $1`, [
    key,
    ...columns.map((c) => row[c]),
  ]);
  if (memberChange) await replaceMembers(m, members!, key);
  await recordAudit(m, actor, { action: 'UPDATE', entityType: table.entityType, entityId: key, details: { version: stored.version + 1, changes } });
  return { key, version: stored.version + 1, changed: true };
}

/** Like `writeRow` for a table keyed by a generated id (absences): no id creates one. */
async function writeById(
  m: EntityManager,
  actor: Actor,
  table: OrgTable,
  id: string | null,
  row: Record<string, unknown>,
  mode: WriteMode,
  describe: string,
): Promise<WriteResult> {
  const stored = id === null ? undefined : await lockRow(m, table, id);
  if (id !== null && !stored) throw new NotFoundError(table.label, id);
  if (mode.kind === 'api' && stored && stored.version !== mode.version) throw staleVersion(table, id!, mode.version ?? 0, stored.version);
  const columns = Object.keys(row);
  if (!stored) {
    const [created] = await m.query(
      `INSERT INTO ${table.table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id::text AS id`,
      columns.map((c) => row[c]),
    );
    await recordAudit(m, actor, { action: 'CREATE', entityType: table.entityType, entityId: created.id, details: { absence: describe, values: row } });
    return { key: created.id, version: 1, changed: true };
  }
  const changes = changedColumns(stored, row);
  if (Object.keys(changes).length === 0) return { key: id!, version: stored.version, changed: false };
  await m.query(`UPDATE ${table.table} SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, version = version + 1 WHERE id = $1`, [
    id,
    ...columns.map((c) => row[c]),
  ]);
  await recordAudit(m, actor, {
    action: 'UPDATE',
    entityType: table.entityType,
    entityId: id!,
    details: { absence: describe, version: stored.version + 1, changes },
  });
  return { key: id!, version: stored.version + 1, changed: true };
}

/** The columns whose value differs from the stored one, as { from, to } (compared as text: pg returns ids and numerics as strings). */
function changedColumns(stored: Record<string, unknown>, next: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [column, value] of Object.entries(next)) {
    const before = stored[column] ?? null;
    if ((before === null ? null : String(before)) !== (value === null || value === undefined ? null : String(value)))
      changes[column] = { from: before, to: value };
  }
  return changes;
}

async function memberChanges(m: EntityManager, set: MemberSet, owner: string): Promise<{ from: string[]; to: string[] } | null> {
  const rows: Array<{ k: string }> = await m.query(`SELECT ${set.member} AS k FROM ${set.table} WHERE ${set.owner} = $1 ORDER BY 1`, [owner]);
  const before = rows.map((r) => r.k);
  const after = [...set.keys].sort();
  return before.length === after.length && before.every((k, i) => k === after[i]) ? null : { from: before, to: [...set.keys] };
}

async function replaceMembers(m: EntityManager, set: MemberSet, owner: string): Promise<void> {
  await m.query(`DELETE FROM ${set.table} WHERE ${set.owner} = $1`, [owner]);
  if (set.keys.length > 0) {
    await m.query(`INSERT INTO ${set.table} (${set.owner}, ${set.member}) SELECT $1, k FROM unnest($2::text[]) AS k`, [owner, [...set.keys]]);
  }
}

function memberDetail(set: MemberSet | undefined): Record<string, unknown> {
  return set ? { [set.member]: set.keys } : {};
}

// ---- references ----------------------------------------------------------------------------

/** Every key must name a stored row; the first missing one is a bad field. */
async function assertKeysExist(m: EntityManager, field: string, table: string, column: string, keys: readonly string[], what: string): Promise<void> {
  if (keys.length === 0) return;
  const [missing] = await m.query(
    `SELECT k FROM unnest($1::text[]) WITH ORDINALITY AS u(k, n) WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.${column} = u.k) ORDER BY n LIMIT 1`,
    [[...keys]],
  );
  if (missing) throw new OrgFieldError(field, `${field} names ${what} ${missing.k}, which does not exist`);
}

interface SpecialistRef {
  id: string;
  user_name: string;
  group_key: string | null;
  active: boolean;
}

async function specialistByUserName(m: EntityManager, field: string, value: unknown): Promise<SpecialistRef> {
  const name = userName(field, value);
  const [row] = await m.query(`SELECT id::text AS id, user_name, group_key, active FROM specialists WHERE user_name = $1`, [name]);
  if (!row) throw new OrgFieldError(field, `${field} names specialist ${name}, who does not exist`);
  return row;
}

async function absenceIdOf(m: EntityManager, specialistId: string, startsOn: string): Promise<string | null> {
  const [row] = await m.query(`SELECT id::text AS id FROM specialist_absences WHERE specialist_id = $1 AND starts_on = $2`, [specialistId, startsOn]);
  return row?.id ?? null;
}

function assertSubstituteFits(absent: SpecialistRef, substitute: SpecialistRef): void {
  if (substitute.id === absent.id) throw new OrgFieldError('substitute', `a specialist cannot stand in for themselves`);
  if (!substitute.active) throw new OrgFieldError('substitute', `substitute ${substitute.user_name} is inactive`);
  if (substitute.group_key !== absent.group_key) {
    throw new OrgFieldError(
      'substitute',
      `substitute ${substitute.user_name} works in group ${substitute.group_key ?? '(none)'}, not in ${absent.user_name}'s group ${absent.group_key ?? '(none)'}`,
    );
  }
}

/**
 * No two absences of one specialist overlap, and no chains: the substitute is not absent on
 * any of the days, and the absent specialist stands in for no one on them.
 */
async function assertNoOverlap(
  m: EntityManager,
  absent: SpecialistRef,
  substitute: SpecialistRef | null,
  startsOn: string,
  endsOn: string,
  ownId: string | null,
): Promise<void> {
  const overlapping = `starts_on <= $3::date AND ends_on >= $2::date AND ($4::bigint IS NULL OR id <> $4::bigint)`;
  const [own] = await m.query(`SELECT starts_on, ends_on FROM specialist_absences WHERE specialist_id = $1 AND ${overlapping} LIMIT 1`, [
    absent.id,
    startsOn,
    endsOn,
    ownId,
  ]);
  if (own) throw new OrgFieldError('startsOn', `${absent.user_name} is already absent from ${own.starts_on} to ${own.ends_on}`);
  if (substitute) {
    const [away] = await m.query(`SELECT starts_on, ends_on FROM specialist_absences WHERE specialist_id = $1 AND ${overlapping} LIMIT 1`, [
      substitute.id,
      startsOn,
      endsOn,
      ownId,
    ]);
    if (away) throw new OrgFieldError('substitute', `substitute ${substitute.user_name} is absent from ${away.starts_on} to ${away.ends_on}`);
  }
  const [standing] = await m.query(
    `SELECT a.starts_on, a.ends_on, s.user_name FROM specialist_absences a JOIN specialists s ON s.id = a.specialist_id
      WHERE a.substitute_id = $1 AND a.starts_on <= $3::date AND a.ends_on >= $2::date AND ($4::bigint IS NULL OR a.id <> $4::bigint) LIMIT 1`,
    [absent.id, startsOn, endsOn, ownId],
  );
  if (standing) {
    throw new OrgFieldError(
      'startsOn',
      `${absent.user_name} stands in for ${standing.user_name} from ${standing.starts_on} to ${standing.ends_on}: choose another substitute there first`,
    );
  }
}

/** A group key for a partner: it must exist, be active and work the partner's segment. */
async function groupWorking(m: EntityManager, value: unknown, segment: string): Promise<string> {
  const key = orgKey('collectionGroup', value, 'a group key');
  const [group] = await m.query(`SELECT key, segment_key, active FROM collection_groups WHERE key = $1`, [key]);
  if (!group) throw new OrgFieldError('collectionGroup', `collectionGroup names group ${key}, which does not exist`);
  if (!group.active) throw new OrgFieldError('collectionGroup', `collection group ${key} is inactive`);
  if (group.segment_key !== segment)
    throw new OrgFieldError('collectionGroup', `collection group ${key} works segment ${group.segment_key}, not the partner's segment ${segment}`);
  return key;
}

/** The group of a segment with exactly one (DESIGN: a partner without a group belongs to its segment's only group). */
async function onlyGroupOf(m: EntityManager, segment: string): Promise<string | null> {
  const rows: Array<{ key: string }> = await m.query(`SELECT key FROM collection_groups WHERE segment_key = $1 AND active`, [segment]);
  return rows.length === 1 ? rows[0]!.key : null;
}

function assertFixedSpecialistFits(specialist: SpecialistRef, group: string | null): void {
  if (!specialist.active) throw new OrgFieldError('specialist', `specialist ${specialist.user_name} is inactive`);
  if (group === null) throw new OrgFieldError('collectionGroup', `a fixed specialist needs the partner's collection group (its segment has none or several)`);
  if (specialist.group_key !== group) {
    throw new OrgFieldError(
      'specialist',
      `specialist ${specialist.user_name} works in group ${specialist.group_key ?? '(none)'}, not in the partner's group ${group}`,
    );
  }
}

// ---- organisation data of other features (agencies, issue 22) ------------------------------

/** The table of a keyed organisational object kept by another feature, written as these are. */
export type OrgTableSpec = OrgTable;

/** `writeRow` for another feature's keyed object: version check, change-only update, audit. */
export function writeOrgRow(
  m: EntityManager,
  actor: Actor,
  table: OrgTableSpec,
  key: string,
  row: Record<string, unknown>,
  mode: WriteMode,
): Promise<WriteResult> {
  return writeRow(m, actor, table, key, row, mode);
}

/** `deleteOrgObject` for another feature's keyed object, with its own referrers ([kind, SQL selecting rows that refer to $1]). */
export async function deleteOrgRow(
  m: EntityManager,
  actor: Actor,
  table: OrgTableSpec,
  key: string,
  version: number,
  referrers: ReadonlyArray<readonly [string, string]>,
): Promise<void> {
  const stored = await lockRow(m, table, key);
  if (!stored) throw new NotFoundError(table.label, key);
  if (stored.version !== version) throw staleVersion(table, key, version, stored.version);
  const references: Reference[] = [];
  for (const [kind, sql] of referrers) {
    const [{ n }] = await m.query(`SELECT count(*)::integer AS n FROM (${sql} LIMIT ${REFERENCE_CAP}) r`, [key]);
    if (n > 0) references.push({ kind, count: n });
  }
  if (references.length > 0) {
    const list = references.map((r) => `${r.count >= REFERENCE_CAP ? `${REFERENCE_CAP}+` : r.count} ${r.kind}`).join(', ');
    throw new ConflictError(`${table.label} ${key} is still referred to by ${list}${table.retire ? `; ${table.retire}` : ''}`, { referencedBy: references });
  }
  await m.query(`DELETE FROM ${table.table} WHERE ${table.key} = $1`, [key]);
  await recordAudit(m, actor, { action: 'DELETE', entityType: table.entityType, entityId: key, details: { version } });
}
