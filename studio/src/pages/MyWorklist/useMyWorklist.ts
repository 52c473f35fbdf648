import { useQuery } from '@apollo/client/react';
import { graphql } from '../../gql';
import type { StudioMyWorklistQuery, StudioMyWorklistSummaryQuery } from '../../gql/graphql';
import { MY_WORKLIST_QUERY, isDone } from '../../lib/worklists';

/** The whole list's figures (not only the pages loaded); refetched by name after every action. */
const MY_WORKLIST_SUMMARY_QUERY = graphql(`
  query StudioMyWorklistSummary($specialistId: ID) {
    worklist(first: 0, filter: { specialistId: $specialistId }) {
      summary {
        count
        completed
        amountsToBeCollected {
          currency
          amount
        }
      }
    }
  }
`);

export type WorklistSummary = StudioMyWorklistSummaryQuery['worklist']['summary'];

export interface MyWorklist {
  data: StudioMyWorklistQuery | undefined;
  loading: boolean;
  error: { message: string } | undefined;
  rows: StudioMyWorklistQuery['worklist']['edges'][number]['node'][];
  /** Partners on the whole list, and how many of them are done. */
  total: number;
  done: number;
  /** Undefined until the summary has answered. */
  summary: WorklistSummary | undefined;
  /** Appends the next page of the list. */
  showMore: () => void;
}

/** A specialist's list, a page at a time, with the whole list's figures (or those of the pages loaded until they answer). */
export function useMyWorklist(specialistId: string | null): MyWorklist {
  const { data, loading, error, fetchMore } = useQuery(MY_WORKLIST_QUERY, { variables: { specialistId } });
  const summary = useQuery(MY_WORKLIST_SUMMARY_QUERY, { variables: { specialistId } }).data?.worklist.summary;
  const rows = data?.worklist.edges.map((e) => e.node) ?? [];
  const showMore = () =>
    void fetchMore({
      variables: { specialistId, after: data!.worklist.pageInfo.endCursor },
      updateQuery: (prev, { fetchMoreResult }) => ({
        worklist: { ...fetchMoreResult.worklist, edges: [...prev.worklist.edges, ...fetchMoreResult.worklist.edges] },
      }),
    });
  return {
    data,
    loading,
    error,
    rows,
    total: summary?.count ?? data?.worklist.totalCount ?? 0,
    done: summary?.completed ?? rows.filter((r) => isDone(r)).length,
    summary,
    showMore,
  };
}
