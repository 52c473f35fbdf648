import type { ReactElement } from 'react';
import { ActivateDialog } from './ActivateDialog';
import type { StrategyFull, VersionFull } from './queries';
import { useActivation } from './useActivation';
import { VersionDiff } from './VersionDiff';
import { VersionHistory } from './VersionHistory';
import { VersionsTable } from './VersionsTable';

/** Versions of a strategy: the diff against the live one, activation (confirmed), and the audit history. */
export function Versions({
  strategy,
  version,
  reload,
  onVersion,
  dirty,
}: {
  strategy: StrategyFull;
  version: VersionFull;
  reload: () => Promise<void>;
  onVersion: (version: number) => void;
  dirty: boolean;
}): ReactElement {
  const activation = useActivation(reload);
  return (
    <div className="versions">
      <ActivationBanners done={activation.done} problem={activation.problem} />
      <div className="versions-grid">
        <VersionsTable strategy={strategy} version={version} onVersion={onVersion} onActivate={activation.ask} onDiscard={activation.discard} />
        <ChangesAgainstLive strategy={strategy} version={version} dirty={dirty} />
      </div>
      <VersionHistory strategyKey={strategy.key} />
      {activation.confirming && (
        <ActivateDialog strategy={strategy} version={version} activation={activation} confirming={activation.confirming} dirty={dirty} />
      )}
    </div>
  );
}

function ActivationBanners({ done, problem }: { done: string | null; problem: string | null }): ReactElement {
  return (
    <>
      {done && (
        <div className="strat-banner is-ok" role="status">
          <div>
            <b>Activated</b>
            <p>{done}</p>
          </div>
        </div>
      )}
      {problem && (
        <div className="strat-banner" role="alert">
          <div>
            <b>Not activated</b>
            <p>{problem}</p>
          </div>
        </div>
      )}
    </>
  );
}

/** What the version open changes against the live one. */
function ChangesAgainstLive({ strategy, version, dirty }: { strategy: StrategyFull; version: VersionFull; dirty: boolean }): ReactElement {
  const live = strategy.versions.find((v) => v.status === 'ACTIVE');
  return (
    <section className="card diff-card" aria-label="Changes against the live version">
      <h2>{live && live.id !== version.id ? `v${version.version} against live v${live.version}` : 'Changes'}</h2>
      {!live && <p className="muted">Nothing is live yet: activating v{version.version} puts every rule to work.</p>}
      {live && live.id === version.id && <p className="muted">This is the live version. Open a draft to see what it changes.</p>}
      {live && live.id !== version.id && <VersionDiff from={live.id} to={version.id} dirty={dirty} />}
    </section>
  );
}
