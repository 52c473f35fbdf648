import { createHash, randomBytes } from 'node:crypto';
import { isEntityId } from '../graphql/scalars';
import { IsNull } from 'typeorm';
import type { Database } from '../db/database';
import { BadUserInputError, DomainError, NotFoundError } from '../graphql/errors';
import { ApiToken, ApiTokenGroup } from './api-token.entity';
import { ROLES, type AuthUser, type Role } from '../graphql/roles';

/** Tokens carry a recognisable prefix so a leaked one is easy to spot in logs and secret scanners. */
const TOKEN_PREFIX = 'rcp_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface CreateApiTokenInput {
  name: string;
  role: Role | string;
  specialistId?: string | null;
  /** AGENCY only: the key of the agency the token acts for. */
  agencyKey?: string | null;
  /** SUPERVISOR only: the collection groups the token answers for (none: department-wide). */
  groups?: string[] | null;
}

export interface CreatedApiToken {
  /** The secret; shown once, never stored. */
  token: string;
  record: ApiToken;
}

export async function createApiToken(db: Database, input: CreateApiTokenInput): Promise<CreatedApiToken> {
  const name = input.name.trim();
  if (!name) throw new BadUserInputError('A token needs a name', 'name');
  if (!isRole(input.role)) throw new BadUserInputError(`Unknown role ${input.role}; one of ${ROLES.join(', ')}`, 'role');
  const specialistId = input.specialistId ?? null;
  if (input.role === 'SPECIALIST') {
    if (!specialistId) throw new BadUserInputError('A SPECIALIST token needs --specialist ID', 'specialistId');
    if (!isEntityId(specialistId) || !(await db.dataSource.query(`SELECT 1 FROM specialists WHERE id = $1`, [specialistId])).length) {
      throw new NotFoundError('Specialist', specialistId);
    }
  } else if (specialistId) {
    throw new BadUserInputError('Only a SPECIALIST token belongs to a specialist', 'specialistId');
  }
  const agencyKey = input.agencyKey ?? null;
  if (input.role === 'AGENCY') {
    if (!agencyKey) throw new BadUserInputError('An AGENCY token needs --agency KEY', 'agencyKey');
    if (!(await db.dataSource.query(`SELECT 1 FROM agencies WHERE key = $1`, [agencyKey])).length) throw new NotFoundError('Agency', agencyKey);
  } else if (agencyKey) {
    throw new BadUserInputError('Only an AGENCY token belongs to an agency', 'agencyKey');
  }
  const groups = [...new Set(input.groups ?? [])];
  if (groups.length && input.role !== 'SUPERVISOR') throw new BadUserInputError('Only a SUPERVISOR token answers for collection groups', 'groups');
  for (const group of groups) {
    if (!(await db.dataSource.query(`SELECT 1 FROM collection_groups WHERE key = $1`, [group])).length) throw new NotFoundError('Collection group', group);
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const record = await db.dataSource.transaction(async (manager) => {
    const saved = await manager.getRepository(ApiToken).save({ name, role: input.role as Role, specialistId, agencyKey, tokenHash: hashToken(token) });
    if (groups.length) await manager.getRepository(ApiTokenGroup).insert(groups.map((groupKey) => ({ tokenId: saved.id, groupKey })));
    return saved;
  });
  return { token, record };
}

export function listApiTokens(db: Database): Promise<ApiToken[]> {
  return db.dataSource.getRepository(ApiToken).find({ order: { id: 'ASC' } });
}

export async function revokeApiToken(db: Database, id: string): Promise<ApiToken> {
  const repository = db.dataSource.getRepository(ApiToken);
  const token = isEntityId(id) ? await repository.findOneBy({ id }) : null;
  if (!token) throw new NotFoundError('API token', id);
  if (!token.revokedAt) {
    token.revokedAt = new Date();
    await repository.update({ id, revokedAt: IsNull() }, { revokedAt: token.revokedAt });
  }
  return token;
}

/** Seconds between last_used_at writes: a busy client should not turn every read into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The user of an `Authorization` header value: null without a header, an UNAUTHENTICATED
 * error for a malformed, unknown or revoked token (a bad token is never treated as anonymous).
 */
export async function authenticate(db: Database, authorization: string | undefined): Promise<AuthUser | null> {
  if (authorization === undefined || authorization === '') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new DomainError('UNAUTHENTICATED', 'Authorization must be "Bearer <token>"');
  // Every request asks this: a prepared read, not the ORM's query builder.
  const [token] = await db.read<{
    id: string;
    name: string;
    role: Role;
    specialistId: string | null;
    agencyKey: string | null;
    revoked: boolean;
    lastUsedAt: Date | null;
  }>(
    `SELECT id::text AS id, name, role, specialist_id::text AS "specialistId", agency_key AS "agencyKey", revoked_at IS NOT NULL AS revoked, last_used_at AS "lastUsedAt"
       FROM api_tokens WHERE token_hash = $1`,
    [hashToken(match[1]!)],
  );
  if (!token || token.revoked) throw new DomainError('UNAUTHENTICATED', 'Invalid or revoked API token');
  const now = Date.now();
  if (!token.lastUsedAt || now - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.dataSource.getRepository(ApiToken).update({ id: token.id }, { lastUsedAt: new Date(now) });
  }
  return { tokenId: token.id, name: token.name, role: token.role, specialistId: token.specialistId, agencyKey: token.agencyKey };
}
