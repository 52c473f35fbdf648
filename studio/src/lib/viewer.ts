import { useEffect, useState } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { SEGMENTS_QUERY } from '../lib/worklists';
import { ME_QUERY, RUN_LOADS_QUERY, type RunLoads } from './queries';

/** Whether the item is done (a promise, a dispute or a completing contact finished it). */
export function isDone(item: { completedAt: string | null }): boolean {
  return item.completedAt !== null;
}

export interface Viewer {
  loading: boolean;
  /** A SPECIALIST token: reads only their own list and partners. */
  specialist: boolean;
  /** The specialist a SPECIALIST token belongs to. */
  self: { id: string; name: string } | null;
}

/** Who signed in (the `me` query). */
export function useViewer(): Viewer {
  const me = useQuery(ME_QUERY, { fetchPolicy: 'cache-first' });
  const viewer = me.data?.me;
  return {
    loading: me.loading,
    specialist: viewer?.role === 'SPECIALIST',
    self: viewer?.specialistId ? { id: viewer.specialistId, name: viewer.specialistName ?? 'me' } : null,
  };
}

export interface SpecialistTotal {
  specialistId: string | null;
  name: string;
  group: string | null;
  count: number;
  /** Amount to be collected per currency when the runs finished. */
  amounts: Map<string, number>;
}

/** Every segment's live run with its load per specialist (as the runs left them). */
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
      .then((results) => { if (live) setState({ runs: results.flatMap((r) => (r.data?.worklistRun ? [r.data.worklistRun] : [])), loading: false, error: null }); })
      .catch((e: unknown) => { if (live) setState({ runs: [], loading: false, error: e instanceof Error ? e.message : String(e) }); });
    return () => { live = false; };
  }, [client, joined, refresh]);
  return { ...state, loading: state.loading || segments.loading, error: state.error ?? segments.error?.message ?? null };
}

export function totalsBySpecialist(runs: RunLoads[]): SpecialistTotal[] {
  const totals = new Map<string, SpecialistTotal>();
  for (const run of runs) {
    for (const load of run.bySpecialist) {
      const key = load.specialistId ?? '';
      const total = totals.get(key) ?? { specialistId: load.specialistId, name: load.specialist?.name ?? 'Unassigned', group: load.specialist?.group ?? null, count: 0, amounts: new Map() };
      total.count += load.count;
      const currency = run.currency ?? 'EUR';
      total.amounts.set(currency, (total.amounts.get(currency) ?? 0) + Number(load.amountToBeCollected));
      totals.set(key, total);
    }
  }
  return [...totals.values()].sort((a, b) => (a.specialistId === null ? 1 : b.specialistId === null ? -1 : a.name.localeCompare(b.name)));
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The message of a failed mutation, for the person who tried it. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
