import { useState } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { errorMessage } from '../../lib/errors';
import { STRATEGIES_QUERY } from '../../lib/strategies';
import { ACTIVATE_VERSION, AUDIT_QUERY, RETIRE_VERSION, type VersionFull } from './queries';

export interface Activation {
  /** The version whose activation is being confirmed. */
  confirming: VersionFull | null;
  ask: (version: VersionFull) => void;
  cancel: () => void;
  /** Activates the version being confirmed. */
  confirm: () => Promise<void>;
  activating: boolean;
  /** Discards a draft. */
  discard: (version: VersionFull) => void;
  /** What was activated, or why it was not. */
  done: string | null;
  problem: string | null;
}

/** Putting a version live (after a confirmation) or discarding a draft; `reload` refetches the strategy after either. */
export function useActivation(reload: () => Promise<void>): Activation {
  const [confirming, setConfirming] = useState<VersionFull | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const client = useApolloClient();
  const [activate, activating] = useMutation(ACTIVATE_VERSION);
  const [retire] = useMutation(RETIRE_VERSION);

  const confirm = async () => {
    if (!confirming) return;
    setProblem(null);
    try {
      const r = await activate({ variables: { versionId: confirming.id } });
      const a = r.data!.activateStrategyVersion;
      setDone(
        `v${a.version.version} is live${a.retired ? `, v${a.retired.version} retired` : ''}. ${a.groups.length ? `Run by ${a.groups.join(', ')}.` : 'No collection group runs it yet.'}`,
      );
      setConfirming(null);
      await reload();
      await client.refetchQueries({ include: [STRATEGIES_QUERY, AUDIT_QUERY] });
    } catch (err) {
      setProblem(errorMessage(err));
    }
  };
  const ask = (version: VersionFull) => {
    setProblem(null);
    setDone(null);
    setConfirming(version);
  };
  const discard = (version: VersionFull) =>
    void retire({ variables: { versionId: version.id } })
      .then(reload)
      .catch((e: unknown) => setProblem(errorMessage(e)));

  return { confirming, ask, cancel: () => setConfirming(null), confirm, activating: activating.loading, discard, done, problem };
}
