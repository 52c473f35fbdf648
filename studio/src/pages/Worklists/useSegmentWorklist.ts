import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router';
import { graphql } from '../../gql';
import type { StudioWorklistQuery, WorklistOrder } from '../../gql/graphql';
import { useSetSearchParams } from '../../lib/searchParams';

const WORKLIST_QUERY = graphql(`
  query StudioWorklist($segment: String!, $priorities: [Int!], $orderBy: WorklistOrder, $after: String) {
    worklistRun(segment: $segment) {
      id
      segment
      asOf
      currency
      partnersEvaluated
      partnersOnList
      partnersExcluded
      amountToBeCollected
      byPriority {
        priority
        count
        amountToBeCollected
      }
    }
    worklist(segment: $segment, first: 50, after: $after, orderBy: $orderBy, filter: { priorities: $priorities }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...WorkItemFields
        }
      }
    }
  }
`);

export type WorklistRun = NonNullable<StudioWorklistQuery['worklistRun']>;
export type WorklistRow = StudioWorklistQuery['worklist']['edges'][number]['node'];

export interface Order {
  /** The ?order= value ('' for the worklist order). */
  param: string;
  orderBy: WorklistOrder;
  label: string;
  /** How the page says it. */
  says: string;
}

/** The orders a list can be read in: the ?order= value, the API's order and how the page says it. */
export const ORDERS: Order[] = [
  { param: '', orderBy: 'WORKLIST', label: 'Worklist order', says: 'Ordered by priority, valuation and amount to be collected.' },
  { param: 'to-be-collected', orderBy: 'AMOUNT_TO_BE_COLLECTED', label: 'Amount to be collected', says: 'Largest amount to be collected first.' },
  { param: 'overdue', orderBy: 'AMOUNT_OVERDUE', label: 'Amount overdue', says: 'Largest overdue amount first.' },
  { param: 'partner', orderBy: 'PARTNER', label: 'Partner', says: 'By partner.' },
];

export interface SegmentWorklistData {
  /** ?priority=N, or null for all. */
  priority: number | null;
  setPriority: (p: number | null) => void;
  order: Order;
  setOrder: (param: string) => void;
  data: StudioWorklistQuery | undefined;
  error: unknown;
  loading: boolean;
  run: WorklistRun | null | undefined;
  rows: WorklistRow[];
  currency: string;
  /** Appends the next page of the list. */
  loadMore: () => Promise<void>;
  loadingMore: boolean;
}

/** The live run of a segment and its list, narrowed to ?priority= and read in ?order=, fifty partners a page. */
export function useSegmentWorklist(segment: string): SegmentWorklistData {
  const [params] = useSearchParams();
  const setParams = useSetSearchParams();
  const priority = Number(params.get('priority')) || null;
  const order = ORDERS.find((o) => o.param === (params.get('order') ?? '')) ?? ORDERS[0]!;
  const variables = { segment, priorities: priority ? [priority] : null, orderBy: order.orderBy };
  const { data, error, loading, fetchMore } = useQuery(WORKLIST_QUERY, { variables, notifyOnNetworkStatusChange: true });
  const [loadingMore, setLoadingMore] = useState(false);
  const run = data?.worklistRun;

  const loadMore = async () => {
    if (!data?.worklist.pageInfo.endCursor) return;
    setLoadingMore(true);
    try {
      await fetchMore({
        variables: { ...variables, after: data.worklist.pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) => ({
          ...fetchMoreResult,
          worklist: { ...fetchMoreResult.worklist, edges: [...previous.worklist.edges, ...fetchMoreResult.worklist.edges] },
        }),
      });
    } finally {
      setLoadingMore(false);
    }
  };

  return {
    priority,
    setPriority: (p) => setParams({ priority: p === null ? null : String(p) }),
    order,
    setOrder: (param) => setParams({ order: param || null }),
    data,
    error,
    loading,
    run,
    rows: data?.worklist.edges.map((e) => e.node) ?? [],
    currency: run?.currency ?? 'EUR',
    loadMore,
    loadingMore,
  };
}
