import type { ReactElement } from 'react';
import type { StrategyFull, VersionFull } from './queries';
import type { Activation } from './useActivation';

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
          {strategy.groups.length ? (
            <>
              It becomes the live strategy of <b>{strategy.groups.join(', ')}</b>;{' '}
            </>
          ) : (
            <>No collection group runs {strategy.key} yet; </>
          )}
          {live ? <>v{live.version} is retired.</> : <>it is the first live version.</>} The next worklist run scores every partner with it.
        </p>
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
