import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { Money } from '../../components/Money';
import { Prio, Score } from '../../components/WorkItem';
import { WorkTabs } from '../../components/WorkTabs';
import { graphql } from '../../gql';
import type { WorkItemFieldsFragment } from '../../gql/graphql';
import { errorMessage } from '../../lib/errors';
import { formatInteger } from '../../lib/format';
import { customerPath } from '../../lib/paths';
import { useSearchParam } from '../../lib/searchParams';
import { MY_WORKLIST_QUERY, totalsBySpecialist, useRunLoads, type SpecialistTotal } from '../../lib/worklists';
import '../../components/work.css';
import './loads.css';

/** Moves an item to another specialist until the next run; the answer updates the item everywhere in the cache. */
const REASSIGN_MUTATION = graphql(`
  mutation StudioReassign($partnerId: ID!, $specialistId: ID!, $runId: ID) {
    reassignWorklistItem(partnerId: $partnerId, specialistId: $specialistId, runId: $runId) {
      ...WorkItemFields
    }
  }
`);

/** /worklists/loads, for supervisors: the load of each specialist as bars (?specialist=ID picks one), and moving items between them. */
export function LoadsPage(): ReactElement {
  const [refresh, setRefresh] = useState(0);
  const loads = useRunLoads(refresh);
  const totals = totalsBySpecialist(loads.runs);
  const [picked, setPicked] = useSearchParam('specialist');
  const current = picked ?? totals.find((t) => t.specialistId)?.specialistId ?? null;
  const currency = loads.runs[0]?.currency ?? 'EUR';

  return (
    <main className="main work-main">
      <header className="page-header">
        <div>
          <h1>Loads</h1>
          <p className="subtitle">Items not yet worked and their amount to be collected per specialist on the live worklists; move items to balance them.</p>
        </div>
      </header>
      <WorkTabs current="loads" specialist={false} />
      {loads.error && (
        <div className="notice" role="alert">
          {loads.error}
        </div>
      )}
      <LoadBars totals={totals} loading={loads.loading} current={current} onPick={setPicked} currency={currency} />
      {current && (
        <SpecialistItems
          key={current}
          specialistId={current}
          name={totals.find((t) => t.specialistId === current)?.name ?? ''}
          others={totals.filter((t) => t.specialistId && t.specialistId !== current)}
          onMoved={() => setRefresh((n) => n + 1)}
        />
      )}
    </main>
  );
}

/** Each specialist's items still to work and their amount to be collected, as two bars; a click picks the specialist. */
function LoadBars({
  totals,
  loading,
  current,
  onPick,
  currency,
}: {
  totals: SpecialistTotal[];
  loading: boolean;
  current: string | null;
  onPick: (specialistId: string) => void;
  currency: string;
}): ReactElement {
  const maxCount = Math.max(1, ...totals.map((t) => t.count));
  const maxAmount = Math.max(1, ...totals.map((t) => sum(t)));
  return (
    <section className="card work-loads" aria-label="Load per specialist">
      <div className="mix-head">
        <h2>Per specialist</h2>
        <span className="muted">
          still to work, now · <span className="work-key is-count" /> items <span className="work-key is-amount" /> to be collected
        </span>
      </div>
      {loading && totals.length === 0 && [0, 1, 2, 3].map((i) => <div key={i} className="skeleton skeleton-row" />)}
      <ul className="work-bars">
        {totals.map((t) => (
          <li key={t.specialistId ?? 'none'}>
            <button
              type="button"
              className={`work-bar-row${t.specialistId === current ? ' is-active' : ''}`}
              disabled={!t.specialistId}
              onClick={() => t.specialistId && onPick(t.specialistId)}
              data-specialist={t.specialistId ?? ''}
            >
              <span className="work-bar-name">
                {t.name}
                {t.group && <span className="segment-key">{t.group}</span>}
              </span>
              <span className="work-bar-tracks">
                <span className="work-bar is-count" style={{ width: `${(t.count / maxCount) * 100}%` }} />
                <span className="work-bar is-amount" style={{ width: `${(sum(t) / maxAmount) * 100}%` }} />
              </span>
              <span className="work-bar-figures">
                <span>
                  <b className="work-bar-count">{formatInteger(t.count)}</b> <span className="muted">{t.count === 1 ? 'item' : 'items'}</span>
                </span>
                <span className="muted">
                  <Money amount={sum(t).toFixed(2)} currency={currency} />
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function sum(t: SpecialistTotal): number {
  return [...t.amounts.values()].reduce((n, v) => n + v, 0);
}

function SpecialistItems({
  specialistId,
  name,
  others,
  onMoved,
}: {
  specialistId: string;
  name: string;
  others: SpecialistTotal[];
  onMoved: () => void;
}): ReactElement {
  const { data, loading, error, refetch } = useQuery(MY_WORKLIST_QUERY, { variables: { specialistId }, fetchPolicy: 'cache-and-network' });
  const [message, setMessage] = useState<string | null>(null);
  const rows = data?.worklist.edges.map((e) => e.node) ?? [];
  return (
    <section className="card table-card">
      <div className="card-header">
        <h2>
          {name} · {formatInteger(data?.worklist.totalCount ?? 0)} items now
        </h2>
        <p className="muted">Highest priority first. A reassignment holds until the next run.</p>
      </div>
      {message && (
        <div className="work-toast is-inline" role="status">
          {message}
        </div>
      )}
      {error && (
        <div className="notice" role="alert">
          {error.message}
        </div>
      )}
      {loading && !data && <div className="skeleton skeleton-row" />}
      <table className="table work-table">
        <thead>
          <tr>
            <th>Priority</th>
            <th>Partner</th>
            <th>Score</th>
            <th className="num">To be collected</th>
            <th>Move to</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <ReassignRow
              key={row.id}
              row={row}
              others={others}
              onMoved={(to) => {
                setMessage(`${row.partner.name} moved to ${to}.`);
                void refetch();
                onMoved();
              }}
            />
          ))}
          {rows.length === 0 && !loading && (
            <tr>
              <td colSpan={5} className="empty">
                No items.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function ReassignRow({ row, others, onMoved }: { row: WorkItemFieldsFragment; others: SpecialistTotal[]; onMoved: (to: string) => void }): ReactElement {
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [reassign, { loading }] = useMutation(REASSIGN_MUTATION);
  const move = async () => {
    setError(null);
    try {
      await reassign({ variables: { partnerId: row.partnerId, specialistId: to, runId: row.runId } });
      onMoved(others.find((o) => o.specialistId === to)?.name ?? to);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <tr data-partner={row.partnerId}>
      <td>
        <Prio priority={row.priority} />
      </td>
      <td>
        <Link className="work-link" to={customerPath(row.partnerId)}>
          {row.partner.name}
        </Link>
        <div className="segment-key">
          {row.partner.externalId}
          {row.specialistOrigin === 'TEMPORARY' ? ' · reassigned' : ''}
        </div>
      </td>
      <td>
        <Score item={row} />
      </td>
      <td className="num">
        <Money amount={row.amounts.toBeCollected} currency={row.currency ?? 'EUR'} />
      </td>
      <td>
        <div className="work-move">
          <select aria-label={`Move ${row.partner.name} to`} value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="">Specialist…</option>
            {others.map((o) => (
              <option key={o.specialistId} value={o.specialistId!}>
                {o.name}
              </option>
            ))}
          </select>
          <button type="button" className="button" disabled={!to || loading} onClick={() => void move()}>
            {loading ? 'Moving…' : 'Move'}
          </button>
        </div>
        {error && (
          <p className="work-error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
