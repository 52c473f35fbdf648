import { useEffect, useRef, useState } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { PREVIEW_QUERY, VALIDATE_QUERY, type ValidationError, type WorklistPreview } from './queries';
import type { StrategyDoc } from './model';
import { errorCode, errorMessage } from './util';

const DEBOUNCE_MS = 300;

/** validateStrategy on every change (debounced): the errors with their JSON paths. */
export function useValidation(doc: StrategyDoc): { errors: ValidationError[]; checking: boolean } {
  const client = useApolloClient();
  const [state, setState] = useState<{ errors: ValidationError[]; checking: boolean }>({ errors: [], checking: true });
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, checking: true }));
    const t = setTimeout(() => {
      client.query({ query: VALIDATE_QUERY, variables: { document: doc }, fetchPolicy: 'no-cache', context: { fetchOptions: { signal: controller.signal }, queryDeduplication: false } })
        .then(({ data }) => {
          if (controller.signal.aborted || !data) return;
          const r = data.validateStrategy;
          setState({ errors: r.__typename === 'InvalidStrategy' ? r.errors : [], checking: false });
        })
        .catch(() => { if (!controller.signal.aborted) setState((s) => ({ ...s, checking: false })); });
    }, DEBOUNCE_MS);
    return () => { clearTimeout(t); controller.abort(); };
  }, [client, doc]);
  return state;
}

export interface PreviewState {
  data: WorklistPreview | null;
  loading: boolean;
  error: string | null;
  invalid: boolean;
  /** ms the last answer took */
  took: number | null;
  /** bumps on every answer (for the "updated" flash) */
  serial: number;
}

/** previewWorklist while editing: debounced ~300 ms, stale requests aborted, the last figures kept while a new one runs. */
export function usePreview(doc: StrategyDoc | null, asOf: string, segment: string | null): PreviewState {
  const client = useApolloClient();
  const [state, setState] = useState<PreviewState>({ data: null, loading: true, error: null, invalid: false, took: null, serial: 0 });
  const serial = useRef(0);
  useEffect(() => {
    if (!doc) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const t = setTimeout(() => {
      const started = performance.now();
      const mine = ++serial.current;
      client.query({ query: PREVIEW_QUERY, variables: { strategy: doc, asOf, segment }, fetchPolicy: 'no-cache', context: { fetchOptions: { signal: controller.signal }, queryDeduplication: false } })
        .then(({ data }) => {
          if (controller.signal.aborted || mine !== serial.current || !data) return;
          setState((s) => ({ data: data.previewWorklist, loading: false, error: null, invalid: false, took: performance.now() - started, serial: s.serial + 1 }));
        })
        .catch((err: unknown) => {
          if (controller.signal.aborted || mine !== serial.current) return;
          const invalid = errorCode(err) === 'BAD_USER_INPUT';
          setState((s) => ({ ...s, loading: false, invalid, error: invalid ? null : errorMessage(err) }));
        });
    }, DEBOUNCE_MS);
    return () => { clearTimeout(t); controller.abort(); };
  }, [client, doc, asOf, segment]);
  return state;
}
