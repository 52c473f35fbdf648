import type { ReactElement, ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { errorMessage } from '../../lib/errors';
import { DIFF_QUERY, type StrategyDiff } from './queries';

/** What changes from one saved version to another: points, rules, bands and settings. */
export function VersionDiff({ from, to, dirty }: { from: string; to: string; dirty: boolean }): ReactElement {
  const { data, error, loading } = useQuery(DIFF_QUERY, { variables: { from, to }, fetchPolicy: 'network-only' });
  if (error) return <p className="strat-error">{errorMessage(error)}</p>;
  if (!data) return <p className="muted">{loading ? 'Comparing…' : ''}</p>;
  const d: StrategyDiff = data.strategyDiff;
  return (
    <div className="diff">
      {dirty && <p className="muted diff-note">Saved version; your unsaved edits are not included.</p>}
      {d.identical && <p className="muted">No difference: same rules, points, bands and settings.</p>}
      <PointChanges diff={d} />
      <RuleChanges diff={d} />
      <BandChanges diff={d} />
      <SettingChanges diff={d} />
    </div>
  );
}

function PointChanges({ diff: d }: { diff: StrategyDiff }): ReactElement | null {
  if (d.pointsChanged.length === 0) return null;
  return (
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
  );
}

/** Rules added, removed, and changed in more than their points. */
function RuleChanges({ diff: d }: { diff: StrategyDiff }): ReactElement {
  const changed = d.rulesChanged.filter((r) => r.changes.some((c) => c !== 'points'));
  return (
    <>
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
      {changed.length > 0 && (
        <DiffBlock title="Rules changed">
          {changed.map((r) => (
            <li key={r.name} className="diff-changed">
              <span>{r.name}</span>
              <span className="diff-val">{r.changes.join(', ')}</span>
            </li>
          ))}
        </DiffBlock>
      )}
    </>
  );
}

function BandChanges({ diff: d }: { diff: StrategyDiff }): ReactElement | null {
  if ([...d.bandsAdded, ...d.bandsChanged, ...d.bandsRemoved].length === 0) return null;
  return (
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
            {b.before?.label !== b.after?.label ? `${b.before?.label} → ${b.after?.label}, ` : ''}from {b.before?.minPercent} → <b>{b.after?.minPercent}</b> %
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
  );
}

function SettingChanges({ diff: d }: { diff: StrategyDiff }): ReactElement | null {
  if (d.settingsChanged.length === 0) return null;
  return (
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
