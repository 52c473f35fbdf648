import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { currentToken, signOut } from './session';

/** Where the studio finds the Recoup API: same origin (the dev server proxies it). */
export const GRAPHQL_PATH = '/graphql';

/** Every request carries the signed-in token; a 401 (unknown, revoked) signs the studio out. */
const authorizedFetch: typeof fetch = async (input, init) => {
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
