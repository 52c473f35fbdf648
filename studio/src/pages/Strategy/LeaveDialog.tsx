import { useState, type ReactElement } from 'react';
import type { StrategyFull, VersionFull } from './queries';

/** Asked when a navigation would drop unsaved edits. */
export function LeaveDialog({
  strategy,
  version,
  onStay,
  onLeave,
}: {
  strategy: StrategyFull;
  version: VersionFull;
  onStay: () => void;
  onLeave: () => void;
}): ReactElement | null {
  // The router applies the answer in a transition, a moment later: the dialog goes at once.
  const [answered, setAnswered] = useState(false);
  if (answered) return null;
  const answer = (then: () => void) => () => {
    setAnswered(true);
    then();
  };
  return (
    <div className="modal-backdrop" onClick={answer(onStay)}>
      <div className="modal card" role="dialog" aria-modal="true" aria-labelledby="leave-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="leave-title">Leave without saving?</h2>
        <p>
          Your edits to v{version.version} of {strategy.name} are not saved. Leaving this version discards them.
        </p>
        <div className="modal-actions">
          <button type="button" className="button" onClick={answer(onStay)} autoFocus>
            Stay and keep editing
          </button>
          <button type="button" className="button button-primary" onClick={answer(onLeave)}>
            Leave without saving
          </button>
        </div>
      </div>
    </div>
  );
}
