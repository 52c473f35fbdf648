import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Link, Navigate, useBlocker, useLocation, useNavigate, useParams, type Location } from 'react-router';
import { RichText } from '../../components/RichText';
import { describeProblem, errorCode, errorMessage } from '../../lib/errors';
import { formatAsOf } from '../../lib/format';
import { STRATEGIES_PATH, STRATEGY_TABS, isStrategyTab, strategyKeyOf, strategyPath, type StrategyTab } from '../../lib/paths';
import { useSearchParam } from '../../lib/searchParams';
import { COPY_VERSION, STRATEGIES_QUERY, statusLabel } from '../../lib/strategies';
import { asStrategyDoc, type StrategyDoc } from '../../lib/strategyDocument';
import { Builder } from './Builder';
import { Compare } from './Compare';
import { CATALOGUE_QUERY, STRATEGY_QUERY, UPDATE_DRAFT, type CatalogueData, type StrategyFull, type VersionFull } from './queries';
import { Versions } from './Versions';
import './strategy.css';

const TAB_LABELS: Record<StrategyTab, string> = { builder: 'Build', compare: 'Compare', versions: 'Versions' };

/**
 * /strategies/KEY (the builder), /strategies/KEY/compare and /strategies/KEY/versions, with the
 * version open as ?version=N. The edits live above the tabs, so switching tabs keeps them.
 */
export function StrategyPage(): ReactElement {
  const { key = '', tab } = useParams();
  if (tab !== undefined && !isStrategyTab(tab)) return <Navigate replace to={strategyPath(key)} />;
  return <StrategyWorkspace key={key} strategyKey={key} tab={tab ?? 'builder'} />;
}

function defaultVersion(s: StrategyFull): VersionFull | undefined {
  return s.versions.find((v) => v.status === 'DRAFT') ?? s.versions.find((v) => v.status === 'ACTIVE') ?? s.versions[0];
}

/** One strategy: its builder with the live preview, the comparison of two versions, and its versions. */
function StrategyWorkspace({ strategyKey, tab }: { strategyKey: string; tab: StrategyTab }): ReactElement {
  const { data, error, refetch } = useQuery(STRATEGY_QUERY, { variables: { key: strategyKey }, fetchPolicy: 'cache-and-network' });
  const catalogue = useQuery(CATALOGUE_QUERY);
  const [versionParam, setVersionParam] = useSearchParam('version');
  // Bumped when the page must start over from the server's copy (a reload after a conflict).
  const [generation, setGeneration] = useState(0);
  const strategy = data?.strategy;
  const version = strategy ? (strategy.versions.find((v) => String(v.version) === versionParam) ?? defaultVersion(strategy)) : undefined;

  // The version shown goes into the URL, so a reload or a shared link opens the same one.
  useEffect(() => {
    if (version && versionParam !== String(version.version)) setVersionParam(String(version.version), { replace: true });
  }, [version, versionParam, setVersionParam]);

  if (error) {
    const p = describeProblem(error);
    return (
      <main className="main strat-main">
        <Link className="strat-back" to={STRATEGIES_PATH}>
          ← Strategies
        </Link>
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
  if (!strategy || !version || !catalogue.data) {
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
  return (
    <Editor
      key={`${version.id}:${generation}`}
      strategy={strategy}
      version={version}
      tab={tab}
      catalogue={catalogue.data}
      reload={async () => {
        await refetch();
        setGeneration((g) => g + 1);
      }}
      refresh={async () => {
        await refetch();
      }}
    />
  );
}

/** Whether a navigation leaves the document being edited: another page, strategy or version (not a tab). */
function leavesDocument(current: Location, next: Location): boolean {
  const versionOf = (location: Location) => new URLSearchParams(location.search).get('version');
  return strategyKeyOf(next.pathname) !== strategyKeyOf(current.pathname) || versionOf(next) !== versionOf(current);
}

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
  const client = useApolloClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [doc, setDoc] = useState<StrategyDoc>(() => asStrategyDoc(version.document));
  const [saved, setSaved] = useState<string>(() => JSON.stringify(version.document));
  const [revision, setRevision] = useState(version.revision);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<{ conflict: boolean; message: string } | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [update] = useMutation(UPDATE_DRAFT);
  const [copy] = useMutation(COPY_VERSION);
  const dirty = useMemo(() => JSON.stringify(doc) !== saved, [doc, saved]);
  const isDraft = version.status === 'DRAFT';
  const live = strategy.versions.find((v) => v.status === 'ACTIVE');

  // Unsaved edits are not lost by accident: closing the tab asks the browser's question, leaving
  // the document inside the studio (a link, Back, another version) asks ours.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  // Set before the editor itself moves to the draft it just made from these edits.
  const leaving = useRef(false);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !leaving.current && leavesDocument(currentLocation, nextLocation));

  /** Opens another version (of this strategy), on the given tab or the current one. */
  const openVersion = (versionNumber: number, on: StrategyTab = tab) => {
    const params = new URLSearchParams(location.search);
    params.set('version', String(versionNumber));
    void navigate({ pathname: strategyPath(strategy.key, on), search: `?${params}` });
  };

  const save = async () => {
    setSaving(true);
    setProblem(null);
    try {
      if (isDraft) {
        const r = await update({ variables: { input: { versionId: version.id, revision, document: doc } } });
        const v = r.data!.updateStrategyDraft;
        setRevision(v.revision);
        setSaved(JSON.stringify(doc));
        setFlash(`Draft v${v.version} saved (revision ${v.revision}).`);
        await client.refetchQueries({ include: [STRATEGIES_QUERY] });
      } else {
        const c = await copy({ variables: { input: { versionId: version.id } } });
        const draft = c.data!.copyStrategyVersion;
        await update({ variables: { input: { versionId: draft.id, revision: draft.revision, document: doc } } });
        await reload();
        leaving.current = true;
        openVersion(draft.version);
      }
    } catch (err) {
      const conflict = errorCode(err) === 'CONFLICT';
      setProblem({
        conflict,
        message: conflict
          ? 'Someone saved this draft while you were editing it. Your edits are still here; reload the latest draft to see theirs (your unsaved edits will be lost), or copy your JSON first.'
          : errorMessage(err),
      });
    } finally {
      setSaving(false);
    }
  };

  const newDraft = async () => {
    try {
      const c = await copy({ variables: { input: { versionId: version.id } } });
      await reload();
      openVersion(c.data!.copyStrategyVersion.version, 'builder');
    } catch (err) {
      setProblem({ conflict: false, message: errorMessage(err) });
    }
  };

  useEffect(() => {
    if (!flash) return;
    const t = setTimeout(() => setFlash(null), 3500);
    return () => clearTimeout(t);
  }, [flash]);

  return (
    <main className="main strat-main">
      <Link className="strat-back" to={STRATEGIES_PATH}>
        ← Strategies
      </Link>
      <header className="page-header strat-header">
        <div>
          <h1>{doc.name || strategy.name}</h1>
          <p className="subtitle">
            <span className="segment-key strat-inline">{strategy.key}</span>
            {' · '}
            {strategy.groups.length ? `run by ${strategy.groups.join(', ')}` : 'not run by any collection group'}
            {live ? ` · live: v${live.version}` : ' · nothing live yet'}
          </p>
        </div>
        <div className="page-actions">
          <label className="strat-version-pick">
            <span className="muted">Version</span>
            <select value={version.version} onChange={(e) => openVersion(Number(e.target.value))} aria-label="Version">
              {strategy.versions.map((v) => (
                <option key={v.id} value={v.version}>
                  v{v.version} · {v.status.toLowerCase()}
                </option>
              ))}
            </select>
          </label>
          <span className={`badge ${isDraft ? 'badge-warn' : version.status === 'ACTIVE' ? 'badge-ok' : 'badge-extra'}`}>
            <span className="dot" />
            {statusLabel(version.status)}
          </span>
          {dirty && (
            <span className="strat-dirty" role="status">
              Unsaved changes
            </span>
          )}
          {flash && !dirty && (
            <span className="strat-saved" role="status">
              {flash}
            </span>
          )}
          <button type="button" className="button button-primary" onClick={() => void save()} disabled={saving || !dirty}>
            {saving ? 'Saving…' : isDraft ? 'Save draft' : 'Save as new draft'}
          </button>
        </div>
      </header>

      {problem && (
        <div className={`strat-banner${problem.conflict ? ' is-conflict' : ''}`} role="alert">
          <div>
            <b>{problem.conflict ? 'This draft changed since you opened it' : 'Not saved'}</b>
            <p>
              <RichText text={problem.message} />
            </p>
          </div>
          <div className="strat-banner-actions">
            {problem.conflict && (
              <button type="button" className="button button-primary" onClick={() => void reload().then(() => setProblem(null))}>
                Reload latest draft
              </button>
            )}
            <button type="button" className="button" onClick={() => setProblem(null)}>
              Dismiss
            </button>
          </div>
        </div>
      )}
      {!isDraft && (
        <div className="notice strat-readonly">
          You are looking at {statusLabel(version.status).toLowerCase()} v{version.version}
          {version.activatedAt ? `, activated ${formatAsOf(version.activatedAt)}` : ''}. Edit freely to preview; saving creates a new draft.
          <button type="button" className="button" onClick={() => void newDraft()}>
            New draft from v{version.version}
          </button>
        </div>
      )}

      <div className="tabs" role="tablist" aria-label="Strategy">
        {STRATEGY_TABS.map((t) => (
          <Link
            key={t}
            to={{ pathname: strategyPath(strategy.key, t), search: location.search }}
            preventScrollReset
            role="tab"
            aria-selected={tab === t}
            className={`tab${tab === t ? ' is-active' : ''}`}
          >
            {TAB_LABELS[t]}
          </Link>
        ))}
      </div>

      {tab === 'builder' && <Builder doc={doc} setDoc={setDoc} catalogue={catalogue} />}
      {tab === 'compare' && (
        <Compare
          strategy={strategy}
          working={{ doc, label: dirty ? `v${version.version} with your unsaved edits` : `v${version.version}` }}
          catalogue={catalogue}
          current={version}
        />
      )}
      {tab === 'versions' && <Versions strategy={strategy} version={version} reload={refresh} onVersion={(v) => openVersion(v)} dirty={dirty} />}
      {blocker.state === 'blocked' && <LeaveDialog version={version} strategy={strategy} onStay={() => blocker.reset()} onLeave={() => blocker.proceed()} />}
    </main>
  );
}

/** Asked when a navigation would drop unsaved edits. */
function LeaveDialog({
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
