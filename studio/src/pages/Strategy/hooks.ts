import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { ApolloClient } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { errorCode, errorMessage } from '../../lib/errors';
import { useSearchParam } from '../../lib/searchParams';
import type { StrategyDoc } from '../../lib/strategyDocument';
import { PREVIEW_QUERY, VALIDATE_QUERY, type CatalogueData, type ValidationError, type WorklistPreview } from './queries';

/** validateStrategy waits for a pause in typing: its errors need not follow every key. */
const DEBOUNCE_MS = 300;

/** validateStrategy on every change (debounced): the errors with their JSON paths. */
export function useValidation(doc: StrategyDoc): { errors: ValidationError[]; checking: boolean } {
  const client = useApolloClient();
  // The last answer and the document it is for: while that is not this document, a check is running.
  const [answer, setAnswer] = useState<{ doc: StrategyDoc | null; errors: ValidationError[] }>({ doc: null, errors: [] });
  useEffect(() => {
    const controller = new AbortController();
    const t = setTimeout(() => {
      client
        .query({
          query: VALIDATE_QUERY,
          variables: { document: doc },
          fetchPolicy: 'no-cache',
          context: { fetchOptions: { signal: controller.signal }, queryDeduplication: false },
        })
        .then(({ data }) => {
          if (controller.signal.aborted || !data) return;
          const r = data.validateStrategy;
          setAnswer({ doc, errors: r.__typename === 'InvalidStrategy' ? r.errors : [] });
        })
        .catch(() => {
          if (!controller.signal.aborted) setAnswer((a) => ({ doc, errors: a.errors }));
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(t);
      controller.abort();
    };
  }, [client, doc]);
  return { errors: answer.errors, checking: answer.doc !== doc };
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

interface PreviewRequest {
  doc: StrategyDoc;
  asOf: string;
  segment: string | null;
}

/**
 * previewWorklist while editing: an edit is previewed at once when no preview is running, else
 * once the running one has answered (only the latest edit by then; never two at a time: on the
 * embedded database the second would only wait for the first). Every answer is shown as it comes
 * (an earlier edit's answer as stale, `loading` until the current one's), the last figures kept
 * while a new one runs.
 */
export function usePreview(doc: StrategyDoc | null, asOf: string, segment: string | null): PreviewState {
  const client = useApolloClient();
  // The last answer and the request it is for: while that is not the current one, a preview is running.
  const [answer, setAnswer] = useState<Answer>({ for: null, data: null, error: null, invalid: false, took: null, serial: 0 });
  const queue = useRef<PreviewQueue>({ running: null, waiting: null, wanted: null });

  useEffect(() => {
    const q = queue.current;
    if (!doc) {
      q.wanted = null;
      q.waiting = null;
      return;
    }
    const request = { doc, asOf, segment };
    q.wanted = request;
    const current = q.running?.request;
    if (current && sameRequest(current, request)) q.waiting = null;
    else if (current) q.waiting = request;
    else sendPreview(client, q, setAnswer, request);
  }, [client, doc, asOf, segment]);

  // Leaving the page: the running preview's answer is for nobody.
  useEffect(() => {
    const q = queue.current;
    return () => {
      q.waiting = null;
      q.running?.controller.abort();
    };
  }, []);

  const answered = answer.for !== null && sameRequest(answer.for, { doc, asOf, segment });
  const { for: _request, ...state } = answer;
  return { ...state, loading: doc !== null && !answered };
}

type Answer = Omit<PreviewState, 'loading'> & { for: PreviewRequest | null };

/** The preview running, the edit waiting for it (the latest), and the one the page shows now. */
interface PreviewQueue {
  running: { request: PreviewRequest; controller: AbortController } | null;
  waiting: PreviewRequest | null;
  wanted: PreviewRequest | null;
}

/** Runs the request's preview, then the one waiting by then. */
function sendPreview(client: ApolloClient, q: PreviewQueue, setAnswer: Dispatch<SetStateAction<Answer>>, request: PreviewRequest): void {
  const controller = new AbortController();
  q.running = { request, controller };
  const started = performance.now();
  client
    .query({
      query: PREVIEW_QUERY,
      variables: { strategy: request.doc, asOf: request.asOf, segment: request.segment },
      fetchPolicy: 'no-cache',
      context: { fetchOptions: { signal: controller.signal }, queryDeduplication: false },
    })
    .then(({ data }) => {
      if (controller.signal.aborted || !data) return;
      const took = performance.now() - started;
      setAnswer((a) => ({ for: request, data: data.previewWorklist, error: null, invalid: false, took, serial: a.serial + 1 }));
    })
    .catch((err: unknown) => {
      // An earlier edit's failure says nothing about the current document.
      if (controller.signal.aborted || request !== q.wanted) return;
      const invalid = errorCode(err) === 'BAD_USER_INPUT';
      setAnswer((a) => ({ ...a, for: request, invalid, error: invalid ? null : errorMessage(err) }));
    })
    .finally(() => {
      if (q.running?.controller !== controller) return;
      q.running = null;
      const next = q.waiting;
      q.waiting = null;
      if (next && !controller.signal.aborted) sendPreview(client, q, setAnswer, next);
    });
}

function sameRequest(a: PreviewRequest, b: { doc: StrategyDoc | null; asOf: string; segment: string | null }): boolean {
  return a.doc === b.doc && a.asOf === b.asOf && a.segment === b.segment;
}

export interface PreviewScope {
  /** The segments with partners, to preview or compare on. */
  segments: CatalogueData['arOverview']['segments'];
  segment: string;
  setSegment: (segment: string) => void;
  asOf: string;
  setAsOf: (asOf: string) => void;
}

/**
 * The segment and key date the preview and the comparison run on: ?segment= and ?asOf=, shared by
 * the tabs; by default CONSUMER (else the first segment with partners) at the AR's key date.
 * Changing them replaces the history entry: they are settings of the page, not places.
 */
export function usePreviewScope(catalogue: CatalogueData): PreviewScope {
  const segments = catalogue.arOverview.segments.filter((s) => s.partners > 0);
  const [segmentParam, setSegmentParam] = useSearchParam('segment');
  const [asOfParam, setAsOfParam] = useSearchParam('asOf');
  return {
    segments,
    segment: segmentParam ?? segments.find((s) => s.key === 'CONSUMER')?.key ?? segments[0]?.key ?? '',
    setSegment: (segment) => setSegmentParam(segment, { replace: true }),
    asOf: asOfParam ?? catalogue.arOverview.asOf,
    setAsOf: (asOf) => setAsOfParam(asOf, { replace: true }),
  };
}
