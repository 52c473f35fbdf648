import type { ReactElement } from 'react';
import { formatAsOf } from '../../lib/format';
import { statusLabel } from '../../lib/strategies';
import type { StrategyFull, VersionFull } from './queries';

/** Every version, newest first, with what can be done with it. */
export function VersionsTable({
  strategy,
  version,
  onVersion,
  onActivate,
  onDiscard,
}: {
  strategy: StrategyFull;
  version: VersionFull;
  onVersion: (version: number) => void;
  onActivate: (version: VersionFull) => void;
  onDiscard: (version: VersionFull) => void;
}): ReactElement {
  return (
    <section className="card table-card" aria-label="Versions">
      <div className="card-header">
        <h2>Versions</h2>
        <p className="muted">Newest first. One version is live at a time; activating another retires it.</p>
      </div>
      <table className="table versions-table">
        <thead>
          <tr>
            <th>Version</th>
            <th>Status</th>
            <th>Changed</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {strategy.versions.map((v) => (
            <VersionRow key={v.id} v={v} open={v.id === version.id} onOpen={() => onVersion(v.version)} onActivate={onActivate} onDiscard={onDiscard} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function VersionRow({
  v,
  open,
  onOpen,
  onActivate,
  onDiscard,
}: {
  v: VersionFull;
  open: boolean;
  onOpen: () => void;
  onActivate: (version: VersionFull) => void;
  onDiscard: (version: VersionFull) => void;
}): ReactElement {
  return (
    <tr className={open ? 'is-current' : ''} data-version={v.version}>
      <td>
        <button type="button" className="link-button" onClick={onOpen}>
          v{v.version}
        </button>
        {open && <span className="muted"> · open</span>}
      </td>
      <td>
        <span className={`status-pill is-${v.status.toLowerCase()}`}>{statusLabel(v.status)}</span>
      </td>
      <td className="muted" title={v.createdBy ? `created by ${v.createdBy}` : undefined}>
        {v.activatedAt && v.status === 'ACTIVE'
          ? `live since ${formatAsOf(v.activatedAt)}`
          : v.retiredAt
            ? `retired ${formatAsOf(v.retiredAt)}`
            : `edited ${formatAsOf(v.updatedAt)}`}
      </td>
      <td className="num">
        <div className="versions-actions">
          {v.status !== 'ACTIVE' && (
            <button type="button" className="button button-primary" onClick={() => onActivate(v)}>
              Activate v{v.version}
            </button>
          )}
          {v.status === 'DRAFT' && (
            <button type="button" className="button" onClick={() => onDiscard(v)}>
              Discard
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
