import { useEffect, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { useSearchParam } from '../../lib/searchParams';
import { CATALOGUE_QUERY, STRATEGY_QUERY, type CatalogueData, type StrategyFull, type VersionFull } from './queries';

export interface StrategyWorkspaceData {
  strategy: StrategyFull | undefined;
  /** The version open: ?version=N, else the draft, else the live one, else the newest. */
  version: VersionFull | undefined;
  catalogue: CatalogueData | undefined;
  error: unknown;
  /** Bumped when the page must start over from the server's copy (a reload after a conflict). */
  generation: number;
  /** Refetches the strategy and starts the editor over from it. */
  reload: () => Promise<void>;
  /** Refetches the strategy, keeping the edits. */
  refresh: () => Promise<void>;
}

function defaultVersion(s: StrategyFull): VersionFull | undefined {
  return s.versions.find((v) => v.status === 'DRAFT') ?? s.versions.find((v) => v.status === 'ACTIVE') ?? s.versions[0];
}

/** The strategy, the version open and the rule catalogue; the version shown goes into the URL. */
export function useStrategyWorkspace(strategyKey: string): StrategyWorkspaceData {
  const { data, error, refetch } = useQuery(STRATEGY_QUERY, { variables: { key: strategyKey }, fetchPolicy: 'cache-and-network' });
  const catalogue = useQuery(CATALOGUE_QUERY);
  const [versionParam, setVersionParam] = useSearchParam('version');
  const [generation, setGeneration] = useState(0);
  const strategy = data?.strategy;
  const version = strategy ? (strategy.versions.find((v) => String(v.version) === versionParam) ?? defaultVersion(strategy)) : undefined;

  // The version shown goes into the URL, so a reload or a shared link opens the same one.
  useEffect(() => {
    if (version && versionParam !== String(version.version)) setVersionParam(String(version.version), { replace: true });
  }, [version, versionParam, setVersionParam]);

  return {
    strategy,
    version,
    catalogue: catalogue.data,
    error,
    generation,
    reload: async () => {
      await refetch();
      setGeneration((g) => g + 1);
    },
    refresh: async () => {
      await refetch();
    },
  };
}
