import { useState, type ReactElement, type ReactNode } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { errorMessage } from '../../lib/errors';
import { formatAsOf } from '../../lib/format';
import { STRATEGIES_QUERY, statusLabel } from '../../lib/strategies';
import { ACTIVATE_VERSION, AUDIT_QUERY, DIFF_QUERY, RETIRE_VERSION, type StrategyDiff, type StrategyFull, type VersionFull } from './queries';

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
  const live = strategy.versions.find((v) => v.status === 'ACTIVE');
  const [confirming, setConfirming] = useState<VersionFull | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const client = useApolloClient();
  const audit = useQuery(AUDIT_QUERY, { variables: { key: strategy.key }, fetchPolicy: 'network-only' });
  const [activate, activating] = useMutation(ACTIVATE_VERSION);
  const [retire] = useMutation(RETIRE_VERSION);

  const confirm = async () => {
    if (!confirming) return;
    setProblem(null);
    try {
      const r = await activate({ variables: { versionId: confirming.id } });
      const a = r.data!.activateStrategyVersion;
      setDone(`v${a.version.version} is live${a.groups.length ? ` for ${a.groups.join(', ')}` : ''}${a.retired ? `; v${a.retired.version} retired` : ''}.`);
      setConfirming(null);
      await reload();
      await client.refetchQueries({ include: [STRATEGIES_QUERY, AUDIT_QUERY] });
    } catch (err) {
      setProblem(errorMessage(err));
    }
  };

  return (
    <div className="versions">
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
      <div className="versions-grid">
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
                <tr key={v.id} className={v.id === version.id ? 'is-current' : ''} data-version={v.version}>
                  <td>
                    <button type="button" className="link-button" onClick={() => onVersion(v.version)}>
                      v{v.version}
                    </button>
                    {v.id === version.id && <span className="muted"> · open</span>}
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
                        <button
                          type="button"
                          className="button button-primary"
                          onClick={() => {
                            setProblem(null);
                            setDone(null);
                            setConfirming(v);
                          }}
                        >
                          Activate v{v.version}
                        </button>
                      )}
                      {v.status === 'DRAFT' && (
                        <button
                          type="button"
                          className="button"
                          onClick={() =>
                            void retire({ variables: { versionId: v.id } })
                              .then(reload)
                              .catch((e: unknown) => setProblem(errorMessage(e)))
                          }
                        >
                          Discard
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <section className="card diff-card" aria-label="Changes against the live version">
          <h2>{live && live.id !== version.id ? `v${version.version} against live v${live.version}` : 'Changes'}</h2>
          {!live && <p className="muted">Nothing is live yet: activating v{version.version} puts every rule to work.</p>}
          {live && live.id === version.id && <p className="muted">This is the live version. Open a draft to see what it changes.</p>}
          {live && live.id !== version.id && <Diff from={live.id} to={version.id} dirty={dirty} />}
        </section>
      </div>

      <section className="card table-card" aria-label="History">
        <div className="card-header">
          <h2>History</h2>
          <p className="muted">From the audit log: who changed what, and when.</p>
        </div>
        <ol className="history">
          {audit.data?.auditLog.edges.map(({ node: e }) => (
            <li key={e.id} data-action={e.action}>
              <span className={`history-dot is-${e.action.split('_').pop()!.toLowerCase()}`} />
              <div>
                <div>
                  <b>{actionLabel(e.action)}</b> {describeDetails(e.details)}
                </div>
                <div className="muted">
                  {formatAsOf(e.at)} · {e.actorName} ({e.actorRole.toLowerCase()})
                </div>
              </div>
            </li>
          ))}
          {audit.data && audit.data.auditLog.edges.length === 0 && (
            <li className="muted history-empty">No recorded change yet (the seeded version was loaded directly).</li>
          )}
        </ol>
      </section>

      {confirming && (
        <div className="modal-backdrop" onClick={() => setConfirming(null)}>
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
            {problem && (
              <p className="strat-error" role="alert">
                {problem}
              </p>
            )}
            <div className="modal-actions">
              <button type="button" className="button" onClick={() => setConfirming(null)} autoFocus>
                Cancel
              </button>
              <button type="button" className="button button-primary" onClick={() => void confirm()} disabled={activating.loading}>
                {activating.loading ? 'Activating…' : `Yes, activate v${confirming.version}`}
              </button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

const ACTIONS: Record<string, string> = {
  STRATEGY_CREATED: 'Created',
  STRATEGY_DRAFT_UPDATED: 'Draft saved',
  STRATEGY_VERSION_ACTIVATED: 'Activated',
  STRATEGY_VERSION_RETIRED: 'Retired',
  STRATEGY_VERSION_COPIED: 'New draft',
};

function actionLabel(a: string): string {
  return (
    ACTIONS[a] ??
    a
      .replace(/^STRATEGY_/, '')
      .replace(/_/g, ' ')
      .toLowerCase()
      .replace(/^./, (c) => c.toUpperCase())
  );
}

function describeDetails(details: unknown): string {
  const d = (details ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (d.version !== undefined) parts.push(`v${String(d.version)}`);
  if (d.revision !== undefined) parts.push(`revision ${String(d.revision)}`);
  if (d.fromVersion !== undefined) parts.push(`from v${String(d.fromVersion)}`);
  if (d.retiredVersion !== undefined) parts.push(`(v${String(d.retiredVersion)} retired)`);
  if (Array.isArray(d.groups) && d.groups.length) parts.push(`for ${d.groups.join(', ')}`);
  return parts.join(' ');
}

function Diff({ from, to, dirty }: { from: string; to: string; dirty: boolean }): ReactElement {
  const { data, error, loading } = useQuery(DIFF_QUERY, { variables: { from, to }, fetchPolicy: 'network-only' });
  if (error) return <p className="strat-error">{errorMessage(error)}</p>;
  if (!data) return <p className="muted">{loading ? 'Comparing…' : ''}</p>;
  const d: StrategyDiff = data.strategyDiff;
  return (
    <div className="diff">
      {dirty && <p className="muted diff-note">Saved version; your unsaved edits are not included.</p>}
      {d.identical && <p className="muted">No difference: same rules, points, bands and settings.</p>}
      {d.pointsChanged.length > 0 && (
        <DiffBlock title="Points">
          {d.pointsChanged.map((p) => (
            <li key={p.name} className="diff-changed">
              <span>{p.name}</span>
              <span className="diff-val">
                {p.before} → <b>{p.after}</b> pts
              </span>
            </li>
          ))}
        </DiffBlock>
      )}
      {d.rulesAdded.length > 0 && (
        <DiffBlock title="Rules added">
          {d.rulesAdded.map((r) => (
            <li key={r.name} className="diff-added">
              <span>+ {r.name}</span>
              <span className="diff-val">{r.role === 'exit' ? 'exit' : `${r.points} pts`}</span>
            </li>
          ))}
        </DiffBlock>
      )}
      {d.rulesRemoved.length > 0 && (
        <DiffBlock title="Rules removed">
          {d.rulesRemoved.map((r) => (
            <li key={r.name} className="diff-removed">
              <span>− {r.name}</span>
              <span className="diff-val">{r.role === 'exit' ? 'exit' : `${r.points} pts`}</span>
            </li>
          ))}
        </DiffBlock>
      )}
      {d.rulesChanged.filter((r) => r.changes.some((c) => c !== 'points')).length > 0 && (
        <DiffBlock title="Rules changed">
          {d.rulesChanged
            .filter((r) => r.changes.some((c) => c !== 'points'))
            .map((r) => (
              <li key={r.name} className="diff-changed">
                <span>{r.name}</span>
                <span className="diff-val">{r.changes.join(', ')}</span>
              </li>
            ))}
        </DiffBlock>
      )}
      {[...d.bandsAdded, ...d.bandsChanged, ...d.bandsRemoved].length > 0 && (
        <DiffBlock title="Priority bands">
          {d.bandsAdded.map((b) => (
            <li key={`a${b.priority}`} className="diff-added">
              <span>
                + P{b.priority} {b.after?.label}
              </span>
              <span className="diff-val">from {b.after?.minPercent} %</span>
            </li>
          ))}
          {d.bandsChanged.map((b) => (
            <li key={`c${b.priority}`} className="diff-changed">
              <span>
                P{b.priority} {b.after?.label}
              </span>
              <span className="diff-val">
                {b.before?.label !== b.after?.label ? `${b.before?.label} → ${b.after?.label}, ` : ''}from {b.before?.minPercent} → <b>{b.after?.minPercent}</b>{' '}
                %
              </span>
            </li>
          ))}
          {d.bandsRemoved.map((b) => (
            <li key={`r${b.priority}`} className="diff-removed">
              <span>
                − P{b.priority} {b.before?.label}
              </span>
              <span className="diff-val">from {b.before?.minPercent} %</span>
            </li>
          ))}
        </DiffBlock>
      )}
      {d.settingsChanged.length > 0 && (
        <DiffBlock title="Settings">
          {d.settingsChanged.map((s) => (
            <li key={s.field} className="diff-changed">
              <span>{s.field}</span>
              <span className="diff-val">
                {short(s.before)} → <b>{short(s.after)}</b>
              </span>
            </li>
          ))}
        </DiffBlock>
      )}
    </div>
  );
}

function short(v: unknown): string {
  const s = v === null || v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function DiffBlock({ title, children }: { title: string; children: ReactNode }): ReactElement {
  return (
    <div className="diff-block">
      <h3>{title}</h3>
      <ul>{children}</ul>
    </div>
  );
}
