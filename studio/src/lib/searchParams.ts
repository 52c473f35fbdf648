import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export interface SetParamOptions {
  /** Replace the history entry instead of adding one (defaults, fine-grained controls). */
  replace?: boolean;
}

/**
 * One search param as state: its value (null when absent) and a setter that keeps the other
 * params. A selection the person makes adds a history entry, so Back undoes it.
 */
export function useSearchParam(name: string): [string | null, (value: string | null, options?: SetParamOptions) => void] {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (value: string | null, options: SetParamOptions = {}) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value === null || value === '') next.delete(name);
          else next.set(name, value);
          return next;
        },
        { replace: options.replace ?? false, preventScrollReset: true },
      );
    },
    [name, setParams],
  );
  return [params.get(name), set];
}

/** Several search params changed in one navigation (null removes one). */
export function useSetSearchParams(): (changes: Record<string, string | null>, options?: SetParamOptions) => void {
  const [, setParams] = useSearchParams();
  return useCallback(
    (changes, options = {}) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(changes))
            if (value === null || value === '') next.delete(name);
            else next.set(name, value);
          return next;
        },
        { replace: options.replace ?? false, preventScrollReset: true },
      );
    },
    [setParams],
  );
}
