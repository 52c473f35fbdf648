/**
 * Collection agencies as organisation data (issue 22): saved and deleted exactly as collection
 * groups are (org's shared keyed write: version check, change-only update, audit), by the GraphQL
 * mutations and the org CSV import alike.
 */
import type { EntityManager } from 'typeorm';
import type { Actor } from '../audit';
import type { RequestContext } from '../graphql/context';
import { deleteOrgRow, displayName, optionalEmail, orgKey, OrgFieldError, writeOrgRow, type OrgTableSpec, type WriteMode, type WriteResult } from '../org';

export interface AgencyValues {
  key: string;
  name: string;
  email?: string | null;
  /** Percent of the amount collected during a placement, 0 to 100 with at most two decimals (a decimal string). */
  commissionPercent: string;
  /** Undefined (or null) keeps the stored setting; a new agency counts direct payments. */
  countDirectPayments?: boolean | null;
  active?: boolean | null;
}

export interface AgencyRow {
  key: string;
  name: string;
  email: string | null;
  commissionPercent: string;
  countDirectPayments: boolean;
  active: boolean;
  version: number;
}

const AGENCIES: OrgTableSpec = {
  table: 'agencies',
  key: 'key',
  entityType: 'AGENCY',
  label: 'Agency',
  retire: 'deactivate it instead (active: false)',
};

/** What refers to an agency: its placements and its tokens (its history stays; retire it instead). */
const AGENCY_REFERRERS = [
  ['placements', `SELECT 1 FROM placements WHERE agency_key = $1`],
  ['API tokens', `SELECT 1 FROM api_tokens WHERE agency_key = $1`],
] as const;

const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;

/** A commission percent: an exact decimal from 0 to 100 with at most two decimals. */
export function commissionPercent(field: string, value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!PERCENT.test(text) || Number(text.split('.')[0]) > 100 || (text.startsWith('100') && /[1-9]/.test(text.slice(3)))) {
    throw new OrgFieldError(field, `${field} must be a percent from 0 to 100 with at most two decimals (got ${JSON.stringify(value)})`);
  }
  return text;
}

export function saveAgency(m: EntityManager, actor: Actor, input: AgencyValues, mode: WriteMode): Promise<WriteResult> {
  const key = orgKey('key', input.key, 'an agency key');
  const row: Record<string, unknown> = {
    name: displayName('name', input.name),
    email: optionalEmail('email', input.email),
    commission_percent: commissionPercent('commissionPercent', input.commissionPercent),
    active: input.active ?? true,
  };
  // Left out when not given (the CSV has no column for it), so the stored setting stays.
  if (input.countDirectPayments != null) row.count_direct_payments = input.countDirectPayments;
  return writeOrgRow(m, actor, AGENCIES, key, row, mode);
}

export function deleteAgency(m: EntityManager, actor: Actor, key: string, version: number): Promise<void> {
  return deleteOrgRow(m, actor, AGENCIES, key, version, AGENCY_REFERRERS);
}

const AGENCY_SELECT = `SELECT key, name, email, commission_percent::text AS "commissionPercent", count_direct_payments AS "countDirectPayments", active, version FROM agencies`;

export function agencies(ctx: RequestContext | { db: RequestContext['db'] }): Promise<AgencyRow[]> {
  return ctx.db.dataSource.query(`${AGENCY_SELECT} ORDER BY key`);
}

export async function agencyByKey(ctx: RequestContext | { db: RequestContext['db'] }, key: string): Promise<AgencyRow | null> {
  const [row] = await ctx.db.dataSource.query(`${AGENCY_SELECT} WHERE key = $1`, [key]);
  return row ?? null;
}
