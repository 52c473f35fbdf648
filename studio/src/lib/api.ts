import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';

/** Where the studio finds the Recoup API: same origin (the dev server proxies it). */
export const GRAPHQL_PATH = '/graphql';

export function createApiClient(): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: GRAPHQL_PATH }),
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
