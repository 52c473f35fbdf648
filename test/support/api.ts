import type { Role } from '../../packages/server/src/graphql/roles';
import { createApiToken } from '../../packages/server/src/auth/auth.service';
import type { Database } from '../../packages/server/src/db/database';

let tokens = 0;

/** A fresh bearer token of the role (a SPECIALIST one needs the specialist's id). */
export async function createTestToken(db: Database, role: Role, specialistId?: string | null): Promise<string> {
  // An AGENCY token acts for an agency: the tests' own, made on first use.
  if (role === 'AGENCY') {
    await db.dataSource.query(`INSERT INTO agencies (key, name, commission_percent) VALUES ('TEST_AGENCY', 'Test agency', 10) ON CONFLICT DO NOTHING`);
  }
  const agencyKey = role === 'AGENCY' ? 'TEST_AGENCY' : null;
  const { token } = await createApiToken(db, { name: `test-${role.toLowerCase()}-${++tokens}`, role, specialistId: specialistId ?? null, agencyKey });
  return token;
}

export interface GqlResponse<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** POSTs one GraphQL operation to `${url}/graphql` (url as RunningApp.url gives it), with the token if any. */
export async function gql<T = any>(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${url.replace(/\/$/, '').replace(/\/graphql$/, '')}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: variables ?? {} }),
  });
  return (await response.json()) as GqlResponse<T>;
}
