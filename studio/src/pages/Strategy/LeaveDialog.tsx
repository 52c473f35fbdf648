import type { ReactElement } from 'react';
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
}): ReactElement {
  return (
    <div className="modal-backdrop" onClick={onStay}>
      <div className="modal card" role="dialog" aria-modal="true" aria-labelledby="leave-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="leave-title">Leave without saving?</h2>
        <p>
          Your edits to v{version.version} of {strategy.name} are not saved. Leaving this version discards them.
        </p>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onStay} autoFocus>
            Stay and keep editing
          </button>
          <button type="button" className="button button-primary" onClick={onLeave}>
            Leave without saving
          </button>
        </div>
      </div>
    </div>
  );
}
