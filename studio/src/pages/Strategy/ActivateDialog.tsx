import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../../gql';
import { organisationPath } from '../../lib/paths';
import type { StrategyFull, VersionFull } from './queries';
import type { Activation } from './useActivation';

/** The collection groups and the strategy each runs: who will run the version once it is live. */
const GROUPS_QUERY = graphql(`
  query StudioActivationGroups {
    collectionGroups {
      key
      name
      segment
      active
      strategy
    }
  }
`);

/** Asked before a version goes live: who runs it from then on, and what it retires. */
export function ActivateDialog({
  strategy,
  version,
  confirming,
  activation,
  dirty,
}: {
  strategy: StrategyFull;
  /** The version open (its unsaved edits are not what is activated). */
  version: VersionFull;
  confirming: VersionFull;
  activation: Pick<Activation, 'cancel' | 'confirm' | 'activating' | 'problem'>;
  dirty: boolean;
}): ReactElement {
  const live = strategy.versions.find((v) => v.status === 'ACTIVE');
  return (
    <div className="modal-backdrop" onClick={activation.cancel}>
      <div className="modal card" role="dialog" aria-modal="true" aria-labelledby="activate-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="activate-title">
          Activate v{confirming.version} of {strategy.name}?
        </h2>
        <p>
          {live && live.id !== confirming.id ? (
            <>
              v{live.version} is retired and v{confirming.version} becomes the live version of {strategy.name}.
            </>
          ) : (
            <>
              v{confirming.version} becomes the first live version of {strategy.name}.
            </>
          )}
        </p>
        <RunningGroups strategyKey={strategy.key} />
        {dirty && confirming.id === version.id && (
          <p className="strat-error">You have unsaved edits: the saved v{confirming.version} is activated, not your edits.</p>
        )}
        {activation.problem && (
          <p className="strat-error" role="alert">
            {activation.problem}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="button" onClick={activation.cancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button-primary" onClick={() => void activation.confirm()} disabled={activation.activating}>
            {activation.activating ? 'Activating…' : `Yes, activate v${confirming.version}`}
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * Who runs the version: the active collection groups whose strategy it is, by name with their
 * segment; or, when none does, that nothing will score with it and where to assign it.
 */
function RunningGroups({ strategyKey }: { strategyKey: string }): ReactElement {
  const { data, error } = useQuery(GROUPS_QUERY, { fetchPolicy: 'network-only' });
  if (error) return <p className="muted">The collection groups could not be read: {error.message}</p>;
  if (!data) return <p className="muted">Looking up the collection groups that run {strategyKey}…</p>;
  const groups = data.collectionGroups.filter((g) => g.active && g.strategy === strategyKey);
  if (groups.length === 0) {
    return (
      <p className="activate-groups is-none" data-testid="activate-groups">
        <b>No collection group runs {strategyKey}</b>, so no worklist run will score with it until one does.{' '}
        <Link to={organisationPath('groups')}>Assign it to groups on the Organisation page</Link>.
      </p>
    );
  }
  const segments = [...new Set(groups.map((g) => g.segment))];
  return (
    <div className="activate-groups" data-testid="activate-groups">
      <p>
        {groups.length === 1 ? 'One collection group runs' : `${groups.length} collection groups run`} it; the next worklist run of{' '}
        {segments.length === 1 ? 'segment' : 'segments'} {segments.join(', ')} scores their partners with it:
      </p>
      <ul>
        {groups.map((g) => (
          <li key={g.key}>
            <b>{g.name}</b>{' '}
            <span className="muted">
              ({g.key}, segment {g.segment})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
