import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';
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

/** Exact money as a decimal string, e.g. "1234.5000" (the `Decimal` scalar). */
export type Decimal = string;

export interface MoneyAmount {
  currency: string;
  amount: Decimal;
}

export interface SegmentOverview {
  key: string;
  name: string;
  partners: number;
  openItems: number;
  overdueItems: number;
  openAmounts: MoneyAmount[];
}

export interface ArOverview {
  partners: number;
  openItems: number;
  overdueItems: number;
  openAmounts: MoneyAmount[];
  segments: SegmentOverview[];
  asOf: string;
}

export interface Health {
  status: string;
  database: string;
  version: string;
}

export interface OverviewData {
  health: Health;
  arOverview: ArOverview;
}

/** The API's version for the sidebar; the same normalised Health object the overview reads. */
export const VERSION_QUERY: TypedDocumentNode<{ health: Health }, Record<string, never>> = gql`
  query StudioVersion {
    health {
      status
      database
      version
    }
  }
`;

export const OVERVIEW_QUERY: TypedDocumentNode<OverviewData, Record<string, never>> = gql`
  query StudioOverview {
    health {
      status
      database
      version
    }
    arOverview {
      partners
      openItems
      overdueItems
      openAmounts {
        currency
        amount
      }
      segments {
        key
        name
        partners
        openItems
        overdueItems
        openAmounts {
          currency
          amount
        }
      }
      asOf
    }
  }
`;
