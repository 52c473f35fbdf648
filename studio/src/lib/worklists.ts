/** What the worklist pages share: the item's fields, the segments, a specialist's list and the loads. */
import { useEffect, useState } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { graphql } from '../gql';
import type { StudioRunLoadsQuery } from '../gql/graphql';

/** The fields every view of a worklist item asks for, so a mutation's re-valuated item updates them all in the cache. */
export const WORK_ITEM_FIELDS = graphql(`
  fragment WorkItemFields on WorklistItem {
    id
    runId
    partnerId
    priority
    valuation
    percent
    currency
    specialistOrigin
    arm
    revaluatedAt
    completedAt
    resubmissionDate
    partner {
      id
      name
      externalId
      customerType
      riskClass
      segment
    }
    specialist {
      id
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
`);

export const SEGMENTS_QUERY = graphql(`
  query StudioSegments {
    arOverview {
      segments {
        key
        name
        partners
      }
    }
  }
`);

/** A specialist's live items in worklist order (all of them for a SPECIALIST token: the API narrows it). */
export const MY_WORKLIST_QUERY = graphql(`
  query StudioMyWorklist($specialistId: ID, $after: String) {
    worklist(first: 50, after: $after, orderBy: WORKLIST, filter: { specialistId: $specialistId }) {
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

const RUN_LOADS_QUERY = graphql(`
  query StudioRunLoads($segment: String!) {
    worklistRun(segment: $segment) {
      id
      segment
      currency
      asOf
      # The work still to do now (reassignments and completed items included), not the run's statistics.
      loads {
        specialistId
        count
        amountToBeCollected
        specialist {
          id
          name
          group
          active
        }
      }
    }
  }
`);

export type RunLoads = NonNullable<StudioRunLoadsQuery['worklistRun']>;

/** Whether the item is done (a promise, a dispute or a completing contact finished it). */
export function isDone(item: { completedAt?: string | null }): boolean {
  return item.completedAt != null;
}

/** Every segment's live run with the work still to do per specialist; `refresh` bumps re-read it. */
export function useRunLoads(refresh = 0): { runs: RunLoads[]; loading: boolean; error: string | null } {
  const client = useApolloClient();
  const segments = useQuery(SEGMENTS_QUERY);
  const keys = segments.data?.arOverview.segments.filter((s) => s.partners > 0).map((s) => s.key) ?? [];
  const [state, setState] = useState<{ runs: RunLoads[]; loading: boolean; error: string | null }>({ runs: [], loading: true, error: null });
  const joined = keys.join(',');
  useEffect(() => {
    if (!joined) return;
    let live = true;
    Promise.all(joined.split(',').map((segment) => client.query({ query: RUN_LOADS_QUERY, variables: { segment }, fetchPolicy: 'network-only' })))
      .then((results) => {
        if (live) setState({ runs: results.flatMap((r) => (r.data?.worklistRun ? [r.data.worklistRun] : [])), loading: false, error: null });
      })
      .catch((e: unknown) => {
        if (live) setState({ runs: [], loading: false, error: e instanceof Error ? e.message : String(e) });
      });
    return () => {
      live = false;
    };
  }, [client, joined, refresh]);
  return { ...state, loading: state.loading || segments.loading, error: state.error ?? segments.error?.message ?? null };
}

export interface SpecialistTotal {
  specialistId: string | null;
  name: string;
  group: string | null;
  count: number;
  /** Amount to be collected per currency, over every segment's live run. */
  amounts: Map<string, number>;
}

/** The loads of every run added up per specialist (unassigned last), per currency. */
export function totalsBySpecialist(runs: RunLoads[]): SpecialistTotal[] {
  const totals = new Map<string, SpecialistTotal>();
  for (const run of runs) {
    for (const load of run.loads) {
      const key = load.specialistId ?? '';
      const total = totals.get(key) ?? {
        specialistId: load.specialistId ?? null,
        name: load.specialist?.name ?? 'Unassigned',
        group: load.specialist?.group ?? null,
        count: 0,
        amounts: new Map(),
      };
      total.count += load.count;
      const currency = run.currency ?? 'EUR';
      total.amounts.set(currency, (total.amounts.get(currency) ?? 0) + Number(load.amountToBeCollected));
      totals.set(key, total);
    }
  }
  return [...totals.values()].sort((a, b) => (a.specialistId === null ? 1 : b.specialistId === null ? -1 : a.name.localeCompare(b.name)));
}
