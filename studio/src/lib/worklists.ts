import { gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';
import type { Decimal } from './api';

export interface WorklistRunSummary {
  id: string;
  segment: string;
  asOf: string;
  currency: string | null;
  partnersEvaluated: number;
  partnersOnList: number;
  partnersExcluded: number;
  strategyVersionId: string | null;
  amountToBeCollected: Decimal | null;
  byPriority: { priority: number; count: number; amountToBeCollected: Decimal }[];
}

export interface WorklistRow {
  id: string;
  partnerId: string;
  priority: number;
  valuation: number;
  percent: Decimal;
  specialistOrigin: string | null;
  lastPaymentDate: string | null;
  maxDunningLevel: number;
  partner: { name: string; externalId: string; customerType: string; riskClass: string | null };
  specialist: { name: string } | null;
  firedRules: { name: string; points: number }[];
  amounts: { open: Decimal; overdue: Decimal; toBeCollected: Decimal; promised: Decimal; disputed: Decimal };
}

export interface WorklistPageData {
  segments: { arOverview: { segments: { key: string; name: string }[] } };
}

export const SEGMENTS_QUERY: TypedDocumentNode<{ arOverview: { segments: { key: string; name: string; partners: number }[] } }, Record<string, never>> = gql`
  query StudioSegments {
    arOverview {
      segments {
        key
        name
        partners
      }
    }
  }
`;

export interface WorklistData {
  worklistRun: WorklistRunSummary | null;
  worklist: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: WorklistRow }[];
  };
}

export interface WorklistVariables {
  segment: string;
  priorities?: number[] | null;
  after?: string | null;
}

export const WORKLIST_QUERY: TypedDocumentNode<WorklistData, WorklistVariables> = gql`
  query StudioWorklist($segment: String!, $priorities: [Int!], $after: String) {
    worklistRun(segment: $segment) {
      id
      segment
      asOf
      currency
      partnersEvaluated
      partnersOnList
      partnersExcluded
      strategyVersionId
      amountToBeCollected
      byPriority {
        priority
        count
        amountToBeCollected
      }
    }
    worklist(segment: $segment, first: 50, after: $after, filter: { priorities: $priorities }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          partnerId
          priority
          valuation
          percent
          specialistOrigin
          lastPaymentDate
          maxDunningLevel
          partner {
            name
            externalId
            customerType
            riskClass
          }
          specialist {
            name
          }
          firedRules {
            name
            points
          }
          amounts {
            open
            overdue
            toBeCollected
            promised
            disputed
          }
        }
      }
    }
  }
`;
