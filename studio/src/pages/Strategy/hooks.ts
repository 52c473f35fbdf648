import { useEffect, useRef, useState } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { errorCode, errorMessage } from '../../lib/errors';
import { useSearchParam } from '../../lib/searchParams';
import type { StrategyDoc } from '../../lib/strategyDocument';
import { PREVIEW_QUERY, VALIDATE_QUERY, type CatalogueData, type ValidationError, type WorklistPreview } from './queries';

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

/** previewWorklist while editing: debounced ~300 ms, stale requests aborted, the last figures kept while a new one runs. */
export function usePreview(doc: StrategyDoc | null, asOf: string, segment: string | null): PreviewState {
  const client = useApolloClient();
  // The last answer and the request it is for: while that is not the current one, a preview is running.
  const [answer, setAnswer] = useState<Omit<PreviewState, 'loading'> & { for: PreviewRequest | null }>({
    for: null,
    data: null,
    error: null,
    invalid: false,
    took: null,
    serial: 0,
  });
  const serial = useRef(0);
  useEffect(() => {
    if (!doc) return;
    const request = { doc, asOf, segment };
    const controller = new AbortController();
    const t = setTimeout(() => {
      const started = performance.now();
      const mine = ++serial.current;
      client
        .query({
          query: PREVIEW_QUERY,
          variables: { strategy: doc, asOf, segment },
          fetchPolicy: 'no-cache',
          context: { fetchOptions: { signal: controller.signal }, queryDeduplication: false },
        })
        .then(({ data }) => {
          if (controller.signal.aborted || mine !== serial.current || !data) return;
          setAnswer((a) => ({
            for: request,
            data: data.previewWorklist,
            error: null,
            invalid: false,
            took: performance.now() - started,
            serial: a.serial + 1,
          }));
        })
        .catch((err: unknown) => {
          if (controller.signal.aborted || mine !== serial.current) return;
          const invalid = errorCode(err) === 'BAD_USER_INPUT';
          setAnswer((a) => ({ ...a, for: request, invalid, error: invalid ? null : errorMessage(err) }));
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(t);
      controller.abort();
    };
  }, [client, doc, asOf, segment]);
  const answered = answer.for !== null && answer.for.doc === doc && answer.for.asOf === asOf && answer.for.segment === segment;
  const { for: _request, ...state } = answer;
  return { ...state, loading: doc !== null && !answered };
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
