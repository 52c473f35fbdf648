import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { describeProblem } from '../lib/errors';
import { formatAsOf } from '../lib/format';
import { navigate } from '../lib/router';
import { RichText } from '../components/RichText';
import { COPY_VERSION, STRATEGIES_QUERY, STRATEGY_QUERY, UPDATE_DRAFT, CATALOGUE_QUERY, type CatalogueData, type StrategyFull, type VersionFull } from './queries';
import type { StrategyDoc } from './model';
import { Builder } from './Builder';
import { Compare } from './Compare';
import { Versions } from './Versions';
import { errorCode, errorMessage } from './util';

type Tab = 'build' | 'compare' | 'versions';
const TABS: { id: Tab; label: string }[] = [{ id: 'build', label: 'Build' }, { id: 'compare', label: 'Compare' }, { id: 'versions', label: 'Versions' }];

function defaultVersion(s: StrategyFull): VersionFull | undefined {
  return s.versions.find((v) => v.status === 'DRAFT') ?? s.versions.find((v) => v.status === 'ACTIVE') ?? s.versions[0];
}

function param(name: string): string | null {
  return new URLSearchParams(window.location.search).get(name);
}

function setParam(name: string, value: string | null): void {
  const url = new URL(window.location.href);
  if (value === null) url.searchParams.delete(name); else url.searchParams.set(name, value);
  history.replaceState(null, '', url);
}

/** One strategy: its builder with the live preview, the comparison of two versions, and its versions. */
export function StrategyWorkspace({ strategyKey }: { strategyKey: string }): ReactElement {
  const { data, error, refetch } = useQuery(STRATEGY_QUERY, { variables: { key: strategyKey }, fetchPolicy: 'cache-and-network' });
  const catalogue = useQuery(CATALOGUE_QUERY);
  const [tab, setTab] = useState<Tab>(() => (param('tab') as Tab) || 'build');
  const [versionId, setVersionId] = useState<string | null>(() => param('version'));
  // Bumped when the page must start over from the server's copy (a reload after a conflict).
  const [generation, setGeneration] = useState(0);
  const strategy = data?.strategy;
  const version = strategy ? (strategy.versions.find((v) => v.id === versionId) ?? defaultVersion(strategy)) : undefined;

  useEffect(() => setParam('tab', tab === 'build' ? null : tab), [tab]);
  useEffect(() => { if (version) setParam('version', version.id); }, [version?.id]);

  if (error) {
    const p = describeProblem(error);
    return (
      <main className="main strat-main">
        <a className="strat-back" href="/strategies" onClick={(e) => { e.preventDefault(); navigate('/strategies'); }}>← Strategies</a>
        <div className="card problem" role="alert"><div className="problem-body"><h2>{strategyKey} could not be loaded</h2>{p.messages?.map((m) => <p key={m}>{m}</p>)}</div></div>
      </main>
    );
  }
  if (!strategy || !version || !catalogue.data) {
    return <main className="main strat-main"><div className="card table-card"><div className="skeleton skeleton-label" />{[0, 1, 2, 3].map((i) => <div key={i} className="skeleton skeleton-row" />)}</div></main>;
  }
  return (
    <Editor key={`${version.id}:${generation}`} strategy={strategy} version={version} tab={tab} setTab={setTab}
      onVersion={(id) => setVersionId(id)} reload={async () => { await refetch(); setGeneration((g) => g + 1); }} refresh={async () => { await refetch(); }} catalogue={catalogue.data} />
  );
}

function Editor({ strategy, version, tab, setTab, onVersion, reload, refresh, catalogue }: {
  strategy: StrategyFull; version: VersionFull; tab: Tab; setTab: (t: Tab) => void;
  onVersion: (id: string) => void; reload: () => Promise<void>; refresh: () => Promise<void>; catalogue: CatalogueData;
}): ReactElement {
  const client = useApolloClient();
  const [doc, setDoc] = useState<StrategyDoc>(version.document);
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

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => { e.preventDefault(); };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

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
        onVersion(draft.id);
      }
    } catch (err) {
      const conflict = errorCode(err) === 'CONFLICT';
      setProblem({ conflict, message: conflict ? 'Someone saved this draft while you were editing it. Your edits are still here; reload the latest draft to see theirs (your unsaved edits will be lost), or copy your JSON first.' : errorMessage(err) });
    } finally {
      setSaving(false);
    }
  };

  const newDraft = async () => {
    try {
      const c = await copy({ variables: { input: { versionId: version.id } } });
      await reload();
      onVersion(c.data!.copyStrategyVersion.id);
      setTab('build');
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
      <a className="strat-back" href="/strategies" onClick={(e) => { e.preventDefault(); navigate('/strategies'); }}>← Strategies</a>
      <header className="page-header strat-header">
        <div>
          <h1>{doc.name || strategy.name}</h1>
          <p className="subtitle">
            <span className="segment-key strat-inline">{strategy.key}</span>
            {' · '}{strategy.groups.length ? `run by ${strategy.groups.join(', ')}` : 'not run by any collection group'}
            {live ? ` · live: v${live.version}` : ' · nothing live yet'}
          </p>
        </div>
        <div className="page-actions">
          <label className="strat-version-pick">
            <span className="muted">Version</span>
            <select value={version.id} onChange={(e) => onVersion(e.target.value)} aria-label="Version">
              {strategy.versions.map((v) => <option key={v.id} value={v.id}>v{v.version} · {v.status.toLowerCase()}</option>)}
            </select>
          </label>
          <span className={`badge ${isDraft ? 'badge-warn' : version.status === 'ACTIVE' ? 'badge-ok' : 'badge-extra'}`}><span className="dot" />{statusLabel(version.status)}</span>
          {dirty && <span className="strat-dirty" role="status">Unsaved changes</span>}
          {flash && !dirty && <span className="strat-saved" role="status">{flash}</span>}
          <button type="button" className="button button-primary" onClick={() => void save()} disabled={saving || !dirty}>
            {saving ? 'Saving…' : isDraft ? 'Save draft' : 'Save as new draft'}
          </button>
        </div>
      </header>

      {problem && (
        <div className={`strat-banner${problem.conflict ? ' is-conflict' : ''}`} role="alert">
          <div>
            <b>{problem.conflict ? 'This draft changed since you opened it' : 'Not saved'}</b>
            <p><RichText text={problem.message} /></p>
          </div>
          <div className="strat-banner-actions">
            {problem.conflict && <button type="button" className="button button-primary" onClick={() => void reload().then(() => setProblem(null))}>Reload latest draft</button>}
            <button type="button" className="button" onClick={() => setProblem(null)}>Dismiss</button>
          </div>
        </div>
      )}
      {!isDraft && (
        <div className="notice strat-readonly">
          You are looking at {statusLabel(version.status).toLowerCase()} v{version.version}{version.activatedAt ? `, activated ${formatAsOf(version.activatedAt)}` : ''}. Edit freely to preview; saving creates a new draft.
          <button type="button" className="button" onClick={() => void newDraft()}>New draft from v{version.version}</button>
        </div>
      )}

      <div className="tabs" role="tablist" aria-label="Strategy">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={`tab${tab === t.id ? ' is-active' : ''}`} onClick={() => setTab(t.id)}>{t.label}</button>
        ))}
      </div>

      {tab === 'build' && <Builder doc={doc} setDoc={setDoc} catalogue={catalogue} />}
      {tab === 'compare' && <Compare strategy={strategy} working={{ doc, label: dirty ? `v${version.version} with your unsaved edits` : `v${version.version}` }} catalogue={catalogue} current={version} />}
      {tab === 'versions' && <Versions strategy={strategy} version={version} reload={refresh} onVersion={onVersion} dirty={dirty} />}
    </main>
  );
}

export function statusLabel(status: string): string {
  return status === 'ACTIVE' ? 'Live' : status === 'DRAFT' ? 'Draft' : status === 'RETIRED' ? 'Retired' : status;
}
