import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router';
import { graphql } from '../../gql';
import type { StudioWorklistQuery, StudioWorklistQueryVariables, WorklistOrder } from '../../gql/graphql';
import { useSetSearchParams } from '../../lib/searchParams';
import { effectiveDirection, orderInfo, paramsOfView, sortedBy, viewFromParams, type OrderInfo, type WorklistView } from './worklistUrl';
import { appendPage } from '../../lib/paging';

const WORKLIST_QUERY = graphql(`
  query StudioWorklist($segment: String!, $filter: WorklistFilter, $orderBy: WorklistOrder, $direction: SortDirection, $after: String) {
    worklistRun(segment: $segment) {
      id
      segment
      asOf
      currency
      partnersEvaluated
      partnersOnList
      partnersExcluded
      amountToBeCollected
      rules {
        name
        points
      }
      byPriority {
        priority
        count
        amountToBeCollected
      }
    }
    worklist(segment: $segment, first: 50, after: $after, orderBy: $orderBy, direction: $direction, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          ...WorkItemFields
          daysOverdue
        }
      }
    }
    specialists {
      id
      name
      active
      group
    }
  }
`);

export type WorklistRun = NonNullable<StudioWorklistQuery['worklistRun']>;
export type WorklistRow = StudioWorklistQuery['worklist']['edges'][number]['node'];
export type SpecialistOption = StudioWorklistQuery['specialists'][number];
/** The page's GraphQL variables, in one value (what the list shows; an export reads the same). */
export type WorklistVariables = Omit<StudioWorklistQueryVariables, 'after'>;

export interface SegmentWorklistData {
  /** Filters, order and direction as the URL has them. */
  view: WorklistView;
  /** The variables of the list's query, after excluded: the list as shown, for any other reader of it. */
  variables: WorklistVariables;
  order: OrderInfo;
  direction: 'ASC' | 'DESC';
  /** Shows another view (a history entry, so Back undoes it). */
  setView: (view: WorklistView) => void;
  /** A click on a column header: sort by it, or turn the current sort around. */
  sortBy: (orderBy: WorklistOrder) => void;
  /** Compatibility with the priority bar: one band or all. */
  priority: number | null;
  setPriority: (p: number | null) => void;
  data: StudioWorklistQuery | undefined;
  error: unknown;
  loading: boolean;
  run: WorklistRun | null | undefined;
  rows: WorklistRow[];
  specialists: SpecialistOption[];
  currency: string;
  /** Appends the next page of the list. */
  loadMore: () => Promise<void>;
  loadingMore: boolean;
  /** Reads the list again from its first page (after a change to it). */
  refetch: () => Promise<unknown>;
}

/** The live run of a segment and its list, filtered and sorted as the URL says, fifty partners a page. */
export function useSegmentWorklist(segment: string): SegmentWorklistData {
  const [params] = useSearchParams();
  const setParams = useSetSearchParams();
  const view = viewFromParams(params);
  const variables: WorklistVariables = { segment, filter: view.filter, orderBy: view.orderBy, direction: view.direction };
  const { data, error, loading, fetchMore, refetch } = useQuery(WORKLIST_QUERY, { variables, notifyOnNetworkStatusChange: true });
  const [loadingMore, setLoadingMore] = useState(false);
  const run = data?.worklistRun;
  const setView = (next: WorklistView) => setParams(paramsOfView(next));
  const priorities = view.filter.priorities ?? [];

  const loadMore = async () => {
    if (!data?.worklist.pageInfo.endCursor) return;
    setLoadingMore(true);
    try {
      await fetchMore({
        variables: { ...variables, after: data.worklist.pageInfo.endCursor },
        updateQuery: appendPage('worklist'),
      });
    } finally {
      setLoadingMore(false);
    }
  };

  return {
    view,
    variables,
    order: orderInfo(view.orderBy),
    direction: effectiveDirection(view),
    setView,
    sortBy: (orderBy) => setView(sortedBy(view, orderBy)),
    priority: priorities.length === 1 ? priorities[0]! : null,
    setPriority: (p) => setView({ ...view, filter: { ...view.filter, priorities: p === null ? null : [p] } }),
    data,
    error,
    loading,
    run,
    rows: data?.worklist.edges.map((e) => e.node) ?? [],
    specialists: data?.specialists ?? [],
    currency: run?.currency ?? 'EUR',
    loadMore,
    loadingMore,
    refetch: () => refetch(),
  };
}
