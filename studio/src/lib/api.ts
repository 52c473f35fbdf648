import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { currentToken, signOut } from './session';

/** Where the studio finds the Recoup API: same origin (the dev server proxies it). */
export const GRAPHQL_PATH = '/graphql';

/** The CSV download of a worklist, next to the API (GET, the `worklist` query's arguments as parameters). */
export const WORKLIST_EXPORT_PATH = '/exports/worklist.csv';

export interface WorklistExportVariables {
  segment?: string | null;
  runId?: string | null;
  /** The WorklistFilter input, as the page sends it to the `worklist` query. */
  filter?: Record<string, unknown> | null;
  orderBy?: string | null;
  direction?: string | null;
}

/** The export's URL for a page's `worklist` variables; unset values left out (the filter as JSON). */
export function worklistExportUrl(variables: WorklistExportVariables): string {
  const params = new URLSearchParams();
  const filter = Object.fromEntries(Object.entries(variables.filter ?? {}).filter(([, v]) => v !== null && v !== undefined));
  if (variables.segment) params.set('segment', variables.segment);
  if (variables.runId) params.set('runId', variables.runId);
  if (Object.keys(filter).length) params.set('filter', JSON.stringify(filter));
  if (variables.orderBy) params.set('orderBy', variables.orderBy);
  if (variables.direction) params.set('direction', variables.direction);
  const query = params.toString();
  return query ? `${WORKLIST_EXPORT_PATH}?${query}` : WORKLIST_EXPORT_PATH;
}

/** Every request carries the signed-in token; a 401 (unknown, revoked) signs the studio out. */
export const authorizedFetch: typeof fetch = async (input, init) => {
  const token = currentToken();
  const headers = new Headers(init?.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(input, { ...init, headers });
  if (response.status === 401) signOut('The API did not accept the token (unknown or revoked). Sign in with another one.');
  return response;
};

export function createApiClient(): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: GRAPHQL_PATH, fetch: authorizedFetch }),
    cache: new InMemoryCache(),
  });
}
