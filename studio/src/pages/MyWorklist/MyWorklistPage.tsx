import { useEffect, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Money } from '../../components/Money';
import { ItemState, Prio, Score } from '../../components/WorkItem';
import { WorkTabs } from '../../components/WorkTabs';
import { graphql } from '../../gql';
import type { WorkItemFieldsFragment } from '../../gql/graphql';
import { formatInteger } from '../../lib/format';
import { useSearchParam, useSetSearchParams } from '../../lib/searchParams';
import { useViewer } from '../../lib/viewer';
import { MY_WORKLIST_QUERY, isDone, totalsBySpecialist, useRunLoads } from '../../lib/worklists';
import { PartnerPanel } from './PartnerPanel';
import '../../components/work.css';
import './my-worklist.css';

/** The whole list's figures (not only the pages loaded); refetched by name after every action. */
const MY_WORKLIST_SUMMARY_QUERY = graphql(`
  query StudioMyWorklistSummary($specialistId: ID) {
    worklist(first: 0, filter: { specialistId: $specialistId }) {
      summary {
        count
        completed
        amountsToBeCollected {
          currency
          amount
        }
      }
    }
  }
`);

/**
 * /worklists/mine: a specialist's worklist in priority order; open a partner and work it without
 * leaving the page. A supervisor picks the specialist (?specialist=ID); ?partner=ID is the one open.
 */
export function MyWorklistPage(): ReactElement {
  const viewer = useViewer();
  const loads = useRunLoads();
  const specialists = totalsBySpecialist(loads.runs).filter((s) => s.specialistId !== null);
  const [picked, setPicked] = useSearchParam('specialist');
  const setParams = useSetSearchParams();
  const specialistId = viewer.specialist ? null : (picked ?? specialists[0]?.specialistId ?? null);

  // The first specialist, once known, goes into the URL so a reload shows the same list.
  useEffect(() => {
    if (!viewer.specialist && !picked && specialistId) setPicked(specialistId, { replace: true });
  }, [viewer.specialist, picked, specialistId, setPicked]);

  const name = viewer.specialist ? viewer.self?.name : specialists.find((s) => s.specialistId === specialistId)?.name;
  return (
    <main className="main work-main">
      <header className="page-header">
        <div>
          <h1>{viewer.specialist ? 'My worklist' : 'Worklist by specialist'}</h1>
          <p className="subtitle">{name ? `${name} · ` : ''}highest priority first. Open a partner to record what happened.</p>
        </div>
        {!viewer.specialist && !viewer.loading && (
          <label className="work-picker">
            <span>Specialist</span>
            <select aria-label="Specialist" value={specialistId ?? ''} onChange={(e) => setParams({ specialist: e.target.value, partner: null })}>
              {specialists.map((s) => (
                <option key={s.specialistId} value={s.specialistId!}>
                  {s.name} · {s.count}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      <WorkTabs current="mine" specialist={viewer.specialist} />
      {!viewer.loading && (viewer.specialist || specialistId) && <ItemList specialistId={specialistId} />}
      {!viewer.loading && !viewer.specialist && !loads.loading && specialists.length === 0 && (
        <div className="notice">No live worklist has items assigned to a specialist yet.</div>
      )}
    </main>
  );
}

function ItemList({ specialistId }: { specialistId: string | null }): ReactElement {
  const { data, loading, error, fetchMore } = useQuery(MY_WORKLIST_QUERY, { variables: { specialistId } });
  const summary = useQuery(MY_WORKLIST_SUMMARY_QUERY, { variables: { specialistId } }).data?.worklist.summary;
  const [open, setOpen] = useSearchParam('partner');
  const rows = data?.worklist.edges.map((e) => e.node) ?? [];
  const total = summary?.count ?? data?.worklist.totalCount ?? 0;
  const done = summary?.completed ?? rows.filter((r) => isDone(r)).length;
  const selected = rows.find((r) => r.partnerId === open) ?? null;

  if (error)
    return (
      <div className="notice" role="alert">
        {error.message}
      </div>
    );
  if (!data && loading)
    return (
      <div className="card table-card">
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="skeleton skeleton-row" />
        ))}
      </div>
    );

  return (
    <div className={`work-split${selected ? ' has-panel' : ''}`}>
      <div className="work-list-col">
        <div className="figures figures-3">
          <div className="card figure">
            <div className="figure-label">On the list</div>
            <div className="figure-value">{formatInteger(total)}</div>
            <div className="figure-foot">partners, in worklist order</div>
          </div>
          <div className="card figure">
            <div className="figure-label">Done</div>
            <div className="figure-value" data-testid="done-count">
              {formatInteger(done)}
            </div>
            <div className="figure-foot">
              <span className="work-progress" title={`${done} of ${total}`}>
                <span style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
              </span>
            </div>
          </div>
          <div className="card figure">
            <div className="figure-label">Still to be collected</div>
            <div className="figure-value" data-testid="still-to-collect">
              {!summary ? (
                <span className="skeleton skeleton-value" />
              ) : summary.amountsToBeCollected.length === 0 ? (
                <Money amount="0" currency={rows[0]?.currency ?? 'EUR'} />
              ) : (
                summary.amountsToBeCollected.map((a) => (
                  <div key={a.currency}>
                    <Money amount={a.amount} currency={a.currency} />
                  </div>
                ))
              )}
            </div>
            <div className="figure-foot">on the whole list, items not done</div>
          </div>
        </div>
        <section className="card table-card">
          <table className="table work-table">
            <thead>
              <tr>
                <th>Priority</th>
                <th>Partner</th>
                <th>Score</th>
                <th className="num">To be collected</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <ItemRow
                  key={row.id}
                  row={row}
                  done={isDone(row)}
                  active={row.partnerId === open}
                  onOpen={() => setOpen(row.partnerId === open ? null : row.partnerId)}
                />
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={5} className="empty">
                    Nothing on this list. Well done.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          {data!.worklist.pageInfo.hasNextPage && (
            <div className="table-foot">
              <button
                type="button"
                className="button"
                onClick={() =>
                  void fetchMore({
                    variables: { specialistId, after: data!.worklist.pageInfo.endCursor },
                    updateQuery: (prev, { fetchMoreResult }) => ({
                      worklist: { ...fetchMoreResult.worklist, edges: [...prev.worklist.edges, ...fetchMoreResult.worklist.edges] },
                    }),
                  })
                }
              >
                Show more ({formatInteger(rows.length)} of {formatInteger(data!.worklist.totalCount)})
              </button>
            </div>
          )}
        </section>
      </div>
      {selected && <PartnerPanel key={selected.partnerId} item={selected} done={isDone(selected)} onClose={() => setOpen(null)} />}
    </div>
  );
}

function ItemRow({ row, done, active, onOpen }: { row: WorkItemFieldsFragment; done: boolean; active: boolean; onOpen: () => void }): ReactElement {
  return (
    <tr
      className={`work-row-item${active ? ' is-active' : ''}${done ? ' is-done' : ''}`}
      data-partner={row.partnerId}
      onClick={onOpen}
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen();
        }
      }}
    >
      <td>
        <Prio priority={row.priority} />
      </td>
      <td>
        <div className="segment-name">{row.partner.name}</div>
        <div className="segment-key">
          {row.partner.externalId} · {row.partner.segment}
        </div>
      </td>
      <td>
        <Score item={row} />
      </td>
      <td className="num" key={row.revaluatedAt ?? 'run'}>
        <span className={row.revaluatedAt ? 'work-flash' : ''}>
          <Money amount={row.amounts.toBeCollected} currency={row.currency ?? 'EUR'} />
        </span>
      </td>
      <td>
        <ItemState item={row} done={done} />
      </td>
    </tr>
  );
}
