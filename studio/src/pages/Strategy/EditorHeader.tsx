import type { ReactElement } from 'react';
import { Link, useLocation } from 'react-router';
import { RichText } from '../../components/RichText';
import { formatAsOf } from '../../lib/format';
import { STRATEGIES_PATH, STRATEGY_TABS, strategyPath, type StrategyTab } from '../../lib/paths';
import { statusLabel } from '../../lib/strategies';
import type { StrategyFull, VersionFull } from './queries';
import type { DraftSaving, SaveProblem } from './useStrategyDraft';

const TAB_LABELS: Record<StrategyTab, string> = { builder: 'Build', compare: 'Compare', versions: 'Versions' };

export function BackToStrategies(): ReactElement {
  return (
    <Link className="strat-back" to={STRATEGIES_PATH}>
      ← Strategies
    </Link>
  );
}

/** The strategy's name and who runs it; the version open, its status, and saving. */
export function EditorHeader({
  strategy,
  version,
  title,
  dirty,
  saving,
  onVersion,
}: {
  strategy: StrategyFull;
  version: VersionFull;
  title: string;
  dirty: boolean;
  saving: Pick<DraftSaving, 'save' | 'saving' | 'flash'>;
  onVersion: (versionNumber: number) => void;
}): ReactElement {
  const live = strategy.versions.find((v) => v.status === 'ACTIVE');
  const isDraft = version.status === 'DRAFT';
  return (
    <header className="page-header strat-header">
      <div>
        <h1>{title}</h1>
        <p className="subtitle">
          <span className="segment-key strat-inline">{strategy.key}</span>
          {' · '}
          {strategy.groups.length ? `run by ${strategy.groups.join(', ')}` : 'not run by any collection group'}
          {live ? ` · live: v${live.version}` : ' · nothing live yet'}
        </p>
      </div>
      <div className="page-actions">
        <VersionPicker strategy={strategy} version={version} onVersion={onVersion} />
        <span className={`badge ${isDraft ? 'badge-warn' : version.status === 'ACTIVE' ? 'badge-ok' : 'badge-extra'}`}>
          <span className="dot" />
          {statusLabel(version.status)}
        </span>
        {dirty && (
          <span className="strat-dirty" role="status">
            Unsaved changes
          </span>
        )}
        {saving.flash && !dirty && (
          <span className="strat-saved" role="status">
            {saving.flash}
          </span>
        )}
        <button type="button" className="button button-primary" onClick={() => void saving.save()} disabled={saving.saving || !dirty}>
          {saving.saving ? 'Saving…' : isDraft ? 'Save draft' : 'Save as new draft'}
        </button>
      </div>
    </header>
  );
}

function VersionPicker({
  strategy,
  version,
  onVersion,
}: {
  strategy: StrategyFull;
  version: VersionFull;
  onVersion: (versionNumber: number) => void;
}): ReactElement {
  return (
    <label className="strat-version-pick">
      <span className="muted">Version</span>
      <select value={version.version} onChange={(e) => onVersion(Number(e.target.value))} aria-label="Version">
        {strategy.versions.map((v) => (
          <option key={v.id} value={v.version}>
            v{v.version} · {v.status.toLowerCase()}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Why the edits were not saved; a conflict offers the latest draft instead. */
export function SaveProblemBanner({ problem, onReload, onDismiss }: { problem: SaveProblem; onReload: () => void; onDismiss: () => void }): ReactElement {
  return (
    <div className={`strat-banner${problem.conflict ? ' is-conflict' : ''}`} role="alert">
      <div>
        <b>{problem.conflict ? 'This draft changed since you opened it' : 'Not saved'}</b>
        <p>
          <RichText text={problem.message} />
        </p>
      </div>
      <div className="strat-banner-actions">
        {problem.conflict && (
          <button type="button" className="button button-primary" onClick={onReload}>
            Reload latest draft
          </button>
        )}
        <button type="button" className="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}

/** A version that is not a draft: edits are previewed, and saved as a new draft. */
export function ReadOnlyNotice({ version, onNewDraft }: { version: VersionFull; onNewDraft: () => void }): ReactElement {
  return (
    <div className="notice strat-readonly">
      You are looking at {statusLabel(version.status).toLowerCase()} v{version.version}
      {version.activatedAt ? `, activated ${formatAsOf(version.activatedAt)}` : ''}. Edit freely to preview; saving creates a new draft.
      <button type="button" className="button" onClick={onNewDraft}>
        New draft from v{version.version}
      </button>
    </div>
  );
}

/** Build, Compare and Versions: the same version and search params on each. */
export function StrategyTabs({ strategyKey, tab }: { strategyKey: string; tab: StrategyTab }): ReactElement {
  const location = useLocation();
  return (
    <div className="tabs" role="tablist" aria-label="Strategy">
      {STRATEGY_TABS.map((t) => (
        <Link
          key={t}
          to={{ pathname: strategyPath(strategyKey, t), search: location.search }}
          preventScrollReset
          role="tab"
          aria-selected={tab === t}
          className={`tab${tab === t ? ' is-active' : ''}`}
        >
          {TAB_LABELS[t]}
        </Link>
      ))}
    </div>
  );
}
