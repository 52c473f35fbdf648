import type { ReactElement } from 'react';
import { Navigate, useParams } from 'react-router';
import { describeProblem } from '../../lib/errors';
import { isStrategyTab, strategyPath, type StrategyTab } from '../../lib/paths';
import { Builder } from './Builder';
import { Compare } from './Compare';
import { BackToStrategies, EditorHeader, ReadOnlyNotice, SaveProblemBanner, StrategyTabs } from './EditorHeader';
import { LeaveDialog } from './LeaveDialog';
import type { CatalogueData, StrategyFull, VersionFull } from './queries';
import { useDraftSaving, useLeaveGuard, useOpenVersion, useStrategyDraft } from './useStrategyDraft';
import { useStrategyWorkspace } from './useStrategyWorkspace';
import { Versions } from './Versions';
import './strategy.css';

/**
 * /strategies/KEY (the builder), /strategies/KEY/compare and /strategies/KEY/versions, with the
 * version open as ?version=N. The edits live above the tabs, so switching tabs keeps them.
 */
export function StrategyPage(): ReactElement {
  const { key = '', tab } = useParams();
  if (tab !== undefined && !isStrategyTab(tab)) return <Navigate replace to={strategyPath(key)} />;
  return <StrategyWorkspace key={key} strategyKey={key} tab={tab ?? 'builder'} />;
}

/** One strategy: its builder with the live preview, the comparison of two versions, and its versions. */
function StrategyWorkspace({ strategyKey, tab }: { strategyKey: string; tab: StrategyTab }): ReactElement {
  const { strategy, version, catalogue, error, generation, reload, refresh } = useStrategyWorkspace(strategyKey);
  if (error) return <StrategyLoadProblem strategyKey={strategyKey} error={error} />;
  if (!strategy || !version || !catalogue) return <StrategySkeleton />;
  return <Editor key={`${version.id}:${generation}`} strategy={strategy} version={version} tab={tab} catalogue={catalogue} reload={reload} refresh={refresh} />;
}

/** The version open, edited on the tab open; the edits are saved from the header and guarded against leaving. */
function Editor({
  strategy,
  version,
  tab,
  catalogue,
  reload,
  refresh,
}: {
  strategy: StrategyFull;
  version: VersionFull;
  tab: StrategyTab;
  catalogue: CatalogueData;
  reload: () => Promise<void>;
  refresh: () => Promise<void>;
}): ReactElement {
  const draft = useStrategyDraft(version);
  const { blocker, allowLeaving } = useLeaveGuard(draft.dirty);
  const openVersion = useOpenVersion(strategy.key, tab);
  const saving = useDraftSaving({ version, draft, reload, openVersion, allowLeaving });
  const working = { doc: draft.doc, label: draft.dirty ? `v${version.version} with your unsaved edits` : `v${version.version}` };

  return (
    <main className="main strat-main">
      <BackToStrategies />
      <EditorHeader strategy={strategy} version={version} title={draft.doc.name || strategy.name} dirty={draft.dirty} saving={saving} onVersion={openVersion} />
      {saving.problem && (
        <SaveProblemBanner problem={saving.problem} onReload={() => void reload().then(saving.dismissProblem)} onDismiss={saving.dismissProblem} />
      )}
      {version.status !== 'DRAFT' && <ReadOnlyNotice version={version} onNewDraft={() => void saving.newDraft()} />}

      <StrategyTabs strategyKey={strategy.key} tab={tab} />
      {tab === 'builder' && <Builder doc={draft.doc} setDoc={draft.setDoc} catalogue={catalogue} />}
      {tab === 'compare' && <Compare strategy={strategy} working={working} catalogue={catalogue} current={version} />}
      {tab === 'versions' && <Versions strategy={strategy} version={version} reload={refresh} onVersion={(v) => openVersion(v)} dirty={draft.dirty} />}
      {blocker.state === 'blocked' && (
        <LeaveDialog key={blocker.location.key} version={version} strategy={strategy} onStay={() => blocker.reset()} onLeave={() => blocker.proceed()} />
      )}
    </main>
  );
}

function StrategyLoadProblem({ strategyKey, error }: { strategyKey: string; error: unknown }): ReactElement {
  const p = describeProblem(error);
  return (
    <main className="main strat-main">
      <BackToStrategies />
      <div className="card problem" role="alert">
        <div className="problem-body">
          <h2>{strategyKey} could not be loaded</h2>
          {p.messages?.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      </div>
    </main>
  );
}

function StrategySkeleton(): ReactElement {
  return (
    <main className="main strat-main">
      <div className="card table-card">
        <div className="skeleton skeleton-label" />
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="skeleton skeleton-row" />
        ))}
      </div>
    </main>
  );
}
