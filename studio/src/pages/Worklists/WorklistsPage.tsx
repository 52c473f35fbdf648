import { useState, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, Navigate, useParams, useSearchParams } from 'react-router';
import { Money } from '../../components/Money';
import { RichText } from '../../components/RichText';
import { WorkTabs } from '../../components/WorkTabs';
import { graphql } from '../../gql';
import type { StudioWorklistQuery, WorklistOrder } from '../../gql/graphql';
import { describeProblem } from '../../lib/errors';
import { formatAsOf, formatInteger } from '../../lib/format';
import { customerPath, segmentWorklistPath } from '../../lib/paths';
import { useSetSearchParams } from '../../lib/searchParams';
import { useViewer } from '../../lib/viewer';
import { SEGMENTS_QUERY } from '../../lib/worklists';
import '../../components/work.css';
import './worklists.css';

const WORKLIST_QUERY = graphql(`
  query StudioWorklist($segment: String!, $priorities: [Int!], $orderBy: WorklistOrder, $after: String) {
    worklistRun(segment: $segment) {
      id
      segment
      asOf
      currency
      partnersEvaluated
      partnersOnList
      partnersExcluded
      amountToBeCollected
      byPriority {
        priority
        count
        amountToBeCollected
      }
    }
    worklist(segment: $segment, first: 50, after: $after, orderBy: $orderBy, filter: { priorities: $priorities }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          partnerId
          priority
          valuation
          percent
          specialistOrigin
          partner {
            name
            externalId
            customerType
            riskClass
          }
          specialist {
            name
          }
          firedRules {
            name
            points
          }
          amounts {
            open
            overdue
            toBeCollected
            promised
            disputed
          }
        }
      }
    }
  }
`);

type WorklistRun = NonNullable<StudioWorklistQuery['worklistRun']>;
type WorklistRow = StudioWorklistQuery['worklist']['edges'][number]['node'];

const PRIORITIES = [1, 2, 3, 4];
const ORIGIN: Record<string, string> = { FIXED: 'fixed', STANDARD: 'dealt', SUBSTITUTE: 'substitute', TEMPORARY: 'reassigned' };

/** The orders a list can be read in: the ?order= value, the API's order and how the page says it. */
const ORDERS: { param: string; orderBy: WorklistOrder; label: string; says: string }[] = [
  { param: '', orderBy: 'WORKLIST', label: 'Worklist order', says: 'Ordered by priority, valuation and amount to be collected.' },
  { param: 'to-be-collected', orderBy: 'AMOUNT_TO_BE_COLLECTED', label: 'Amount to be collected', says: 'Largest amount to be collected first.' },
  { param: 'overdue', orderBy: 'AMOUNT_OVERDUE', label: 'Amount overdue', says: 'Largest overdue amount first.' },
  { param: 'partner', orderBy: 'PARTNER', label: 'Partner', says: 'By partner.' },
];

/**
 * /worklists/SEGMENT: the live worklist of a segment, in worklist order: who to chase first, and
 * why. ?priority=N narrows it to one band, ?order=… reads it in another order. /worklists opens
 * the first segment with partners.
 */
export function WorklistsPage(): ReactElement {
  const { segment } = useParams();
  const [params] = useSearchParams();
  const segments = useQuery(SEGMENTS_QUERY);
  const withPartners = segments.data?.arOverview.segments.filter((s) => s.partners > 0) ?? [];
  // Links of older studios named the segment as ?segment=KEY.
  const current = segment ?? params.get('segment') ?? withPartners[0]?.key ?? null;
  const viewer = useViewer();

  if (!segment && current) return <Navigate replace to={segmentWorklistPath(current)} />;
  return (
    <main className="main">
      <header className="page-header">
        <div>
          <h1>Worklists</h1>
          <p className="subtitle">The live worklist of each collection segment, highest priority first.</p>
        </div>
      </header>
      <WorkTabs current="segments" specialist={viewer.specialist} />
      {segments.error && (
        <div className="notice">
          <RichText text={describeProblem(segments.error).title} />
        </div>
      )}
      <div className="tabs" role="tablist" aria-label="Segment">
        {withPartners.map((s) => (
          <Link
            key={s.key}
            to={segmentWorklistPath(s.key)}
            role="tab"
            aria-selected={s.key === current}
            className={`tab${s.key === current ? ' is-active' : ''}`}
          >
            {s.name}
          </Link>
        ))}
      </div>
      {current && <SegmentWorklist key={current} segment={current} />}
    </main>
  );
}

function SegmentWorklist({ segment }: { segment: string }): ReactElement {
  const [params] = useSearchParams();
  const setParams = useSetSearchParams();
  const priority = Number(params.get('priority')) || null;
  const order = ORDERS.find((o) => o.param === (params.get('order') ?? '')) ?? ORDERS[0]!;
  const onPriority = (p: number | null) => setParams({ priority: p === null ? null : String(p) });
  const variables = { segment, priorities: priority ? [priority] : null, orderBy: order.orderBy };
  const { data, error, loading, fetchMore } = useQuery(WORKLIST_QUERY, { variables, notifyOnNetworkStatusChange: true });
  const [more, setMore] = useState(false);
  const run = data?.worklistRun;
  const rows = data?.worklist.edges.map((e) => e.node) ?? [];
  const currency = run?.currency ?? 'EUR';

  const loadMore = async () => {
    if (!data?.worklist.pageInfo.endCursor) return;
    setMore(true);
    try {
      await fetchMore({
        variables: { ...variables, after: data.worklist.pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) => ({
          ...fetchMoreResult,
          worklist: { ...fetchMoreResult.worklist, edges: [...previous.worklist.edges, ...fetchMoreResult.worklist.edges] },
        }),
      });
    } finally {
      setMore(false);
    }
  };

  if (error) {
    const problem = describeProblem(error);
    return (
      <div className="card problem" role="alert">
        <div className="problem-body">
          <h2>
            <RichText text={problem.title} />
          </h2>
          {problem.detail && (
            <p>
              <RichText text={problem.detail} />
            </p>
          )}
        </div>
      </div>
    );
  }
  if (!data && loading)
    return (
      <div className="card table-card">
        <div className="skeleton skeleton-label" />
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="skeleton skeleton-row" />
        ))}
      </div>
    );
  if (!run) {
    return (
      <div className="notice">
        {segment} has no live worklist yet. Generate one with <code>pnpm recoup worklist generate --segment {segment}</code>.
      </div>
    );
  }

  return (
    <>
      <div className="figures">
        <div className="card figure">
          <div className="figure-label">On the list</div>
          <div className="figure-value">{formatInteger(run.partnersOnList)}</div>
          <div className="figure-foot">of {formatInteger(run.partnersEvaluated)} partners evaluated</div>
        </div>
        <div className="card figure">
          <div className="figure-label">Excluded by exit rules</div>
          <div className="figure-value">{formatInteger(run.partnersExcluded)}</div>
          <div className="figure-foot">disputed, blocked or otherwise taken off</div>
        </div>
        <div className="card figure">
          <div className="figure-label">Key date</div>
          <div className="figure-value figure-date">{formatAsOf(run.asOf)}</div>
          <div className="figure-foot">amounts in {currency}</div>
        </div>
      </div>

      <PriorityMix run={run} currency={currency} selected={priority} onSelect={onPriority} />

      <section className="card table-card">
        <div className="card-header">
          <div>
            <h2>
              {priority ? `Priority ${priority}` : 'All priorities'} · {formatInteger(data.worklist.totalCount)} partners
            </h2>
            <p className="muted">{order.says}</p>
          </div>
          <div className="worklist-tools">
            <div className="chips" role="group" aria-label="Priority">
              <button type="button" className={`chip${priority === null ? ' is-active' : ''}`} onClick={() => onPriority(null)}>
                All
              </button>
              {PRIORITIES.map((p) => (
                <button key={p} type="button" className={`chip prio-${p}${priority === p ? ' is-active' : ''}`} onClick={() => onPriority(p)}>
                  P{p}
                </button>
              ))}
            </div>
            <label className="worklist-order">
              <span className="muted">Order</span>
              <select aria-label="Order" value={order.param} onChange={(e) => setParams({ order: e.target.value || null })}>
                {ORDERS.map((o) => (
                  <option key={o.orderBy} value={o.param}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>
        <div className="table-scroll">
          <table className="table worklist-table">
            <thead>
              <tr>
                <th>Priority</th>
                <th>Partner</th>
                <th>Score</th>
                <th className="num">To be collected</th>
                <th className="num">Overdue</th>
                <th>Specialist</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <Row key={row.id} row={row} currency={currency} />
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={7} className="empty">
                    Nobody on this list{priority ? ` at priority ${priority}` : ''}.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {data.worklist.pageInfo.hasNextPage && (
          <div className="table-foot">
            <button type="button" className="button" onClick={() => void loadMore()} disabled={more}>
              {more ? 'Loading…' : `Show more (${formatInteger(rows.length)} of ${formatInteger(data.worklist.totalCount)})`}
            </button>
          </div>
        )}
      </section>
    </>
  );
}

/** Partners per priority as one bar (a picture of the list), with each band's amount to collect. */
function PriorityMix({
  run,
  currency,
  selected,
  onSelect,
}: {
  run: WorklistRun;
  currency: string;
  selected: number | null;
  onSelect: (p: number | null) => void;
}): ReactElement | null {
  const total = run.byPriority.reduce((n, b) => n + b.count, 0);
  if (total === 0) return null;
  return (
    <section className="card mix-card" aria-label="Partners by priority">
      <div className="mix-head">
        <h2>By priority</h2>
        {run.amountToBeCollected && (
          <span className="muted">
            to be collected: <Money amount={run.amountToBeCollected} currency={currency} />
          </span>
        )}
      </div>
      <div className="mix-bar">
        {run.byPriority.map((b) => (
          <button
            key={b.priority}
            type="button"
            className={`mix-seg prio-${Math.min(b.priority, 4)}${selected === b.priority ? ' is-active' : ''}`}
            style={{ flexGrow: b.count }}
            title={`P${b.priority}: ${formatInteger(b.count)} partners`}
            onClick={() => onSelect(selected === b.priority ? null : b.priority)}
          >
            {b.count / total > 0.06 ? `P${b.priority}` : ''}
          </button>
        ))}
      </div>
      <ul className="mix-legend">
        {run.byPriority.map((b) => (
          <li key={b.priority}>
            <span className={`prio prio-${Math.min(b.priority, 4)}`}>P{b.priority}</span>
            <span>{formatInteger(b.count)} partners</span>
            <span className="muted">
              <Money amount={b.amountToBeCollected} currency={currency} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Row({ row, currency }: { row: WorklistRow; currency: string }): ReactElement {
  const percent = Number(row.percent);
  const shown = row.firedRules.slice(0, 3);
  return (
    <tr>
      <td>
        <span className={`prio prio-${Math.min(row.priority, 4)}`}>P{row.priority}</span>
      </td>
      <td>
        <Link className="segment-name work-link" to={customerPath(row.partnerId)}>
          {row.partner.name}
        </Link>
        <div className="segment-key">
          {row.partner.externalId} · {row.partner.customerType.toLowerCase()}
          {row.partner.riskClass ? ` · risk ${row.partner.riskClass}` : ''}
        </div>
      </td>
      <td>
        <div className="score">
          <span className="score-points">{row.valuation} pts</span>
          <span className="score-track" aria-hidden="true">
            <span className="score-fill" style={{ width: `${Math.max(0, Math.min(percent, 100))}%` }} />
          </span>
          <span className="score-percent">{percent.toFixed(0)}%</span>
        </div>
      </td>
      <td className="num">
        <Money amount={row.amounts.toBeCollected} currency={currency} />
      </td>
      <td className="num">
        <Money amount={row.amounts.overdue} currency={currency} />
      </td>
      <td>
        {row.specialist ? row.specialist.name : <span className="muted">unassigned</span>}
        {row.specialistOrigin && row.specialistOrigin !== 'STANDARD' && (
          <div className="segment-key">{ORIGIN[row.specialistOrigin] ?? row.specialistOrigin}</div>
        )}
      </td>
      <td>
        <div className="rule-chips">
          {shown.map((r) => (
            <span key={r.name} className={`rule-chip${r.points < 0 ? ' is-negative' : ''}`} title={`${r.points} points`}>
              {r.name}{' '}
              <b>
                {r.points > 0 ? '+' : ''}
                {r.points}
              </b>
            </span>
          ))}
          {row.firedRules.length > shown.length && <span className="rule-chip is-more">+{row.firedRules.length - shown.length}</span>}
          {row.firedRules.length === 0 && <span className="muted">no rule fired</span>}
        </div>
      </td>
    </tr>
  );
}
