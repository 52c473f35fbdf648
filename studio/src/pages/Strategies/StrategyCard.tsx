import type { ReactElement } from 'react';
import { Link, useNavigate } from 'react-router';
import type { StrategySummaryFragment } from '../../gql/graphql';
import { formatAsOf, formatInteger } from '../../lib/format';
import { strategyPath } from '../../lib/paths';
import { asStrategyDoc, isExit, maxValuation, sortedBands, type StrategyDoc } from '../../lib/strategyDocument';

/** A strategy at a glance: live or not, its bands and rules, the groups that run it and its drafts. */
export function StrategyCard({ s, onCopy }: { s: StrategySummaryFragment; onCopy: () => void }): ReactElement {
  const navigate = useNavigate();
  const doc = s.activeVersion ? asStrategyDoc(s.activeVersion.document) : undefined;
  const drafts = s.versions.filter((v) => v.status === 'DRAFT');
  return (
    <article className="card strat-card" data-key={s.key}>
      <div className="strat-card-head">
        <div>
          <Link className="strat-card-title" to={strategyPath(s.key)}>
            {s.name}
          </Link>
          <div className="segment-key">{s.key}</div>
        </div>
        {s.activeVersion ? (
          <span className="badge badge-ok">
            <span className="dot" />
            Live v{s.activeVersion.version}
          </span>
        ) : (
          <span className="badge badge-warn">
            <span className="dot" />
            Not live
          </span>
        )}
      </div>
      {doc ? <LiveVersionSummary doc={doc} /> : <p className="muted strat-card-none">No live version yet: activate a draft to put it to work.</p>}
      <GroupsAndDrafts groups={s.groups} drafts={drafts} />
      <div className="strat-card-actions">
        <button type="button" className="button button-primary" onClick={() => void navigate(strategyPath(s.key))}>
          {drafts.length ? 'Continue draft' : 'Open'}
        </button>
        {s.activeVersion && (
          <button type="button" className="button" onClick={onCopy}>
            Copy as new strategy
          </button>
        )}
      </div>
    </article>
  );
}

/** The live version's bands as one bar, and how many rules, exits, points and bands it has. */
function LiveVersionSummary({ doc }: { doc: StrategyDoc }): ReactElement {
  const bands = sortedBands(doc.priorities);
  const rules = doc.rules ?? [];
  return (
    <>
      <div className="strat-card-bar" aria-label="Priority bands">
        {bands.map((b, i) => {
          const upper = i === 0 ? 100 : bands[i - 1]!.minPercent;
          return (
            <span
              key={b.priority}
              className={`prio-${Math.min(b.priority, 4)}`}
              style={{ flexGrow: Math.max(upper - b.minPercent, 1) }}
              title={`P${b.priority} ${b.label}: from ${b.minPercent} %`}
            />
          );
        })}
      </div>
      <div className="strat-card-stats">
        <span>
          <b>{formatInteger(rules.filter((r) => !isExit(r)).length)}</b> rules
        </span>
        <span>
          <b>{formatInteger(rules.filter(isExit).length)}</b> exit
        </span>
        <span>
          <b>{formatInteger(maxValuation(doc))}</b> max points
        </span>
        <span>
          <b>{bands.length}</b> bands
        </span>
        <span>{doc.currency}</span>
      </div>
    </>
  );
}

function GroupsAndDrafts({ groups, drafts }: { groups: string[]; drafts: StrategySummaryFragment['versions'] }): ReactElement {
  return (
    <div className="strat-card-meta">
      <div>
        <span className="muted">Groups </span>
        {groups.length ? (
          groups.map((g) => (
            <span key={g} className="tag">
              {g}
            </span>
          ))
        ) : (
          <span className="muted">none</span>
        )}
      </div>
      <div>
        {drafts.length ? (
          drafts.map((d) => (
            <span key={d.id} className="tag tag-draft">
              Draft v{d.version} · edited {formatAsOf(d.updatedAt)}
            </span>
          ))
        ) : (
          <span className="muted">No draft</span>
        )}
      </div>
    </div>
  );
}
