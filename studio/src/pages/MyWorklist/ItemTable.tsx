import type { ReactElement } from 'react';
import { Money } from '../../components/Money';
import { ItemState, Prio, Score } from '../../components/WorkItem';
import type { WorkItemFieldsFragment } from '../../gql/graphql';
import { formatInteger } from '../../lib/format';
import { isDone } from '../../lib/worklists';

/** The items in worklist order; a click (or Enter) opens the partner beside the list. */
export function ItemTable({
  rows,
  open,
  onOpen,
  hasMore,
  total,
  onMore,
}: {
  rows: WorkItemFieldsFragment[];
  /** The partner open. */
  open: string | null;
  onOpen: (partnerId: string | null) => void;
  hasMore: boolean;
  /** Items on the list, loaded or not. */
  total: number;
  onMore: () => void;
}): ReactElement {
  return (
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
              onOpen={() => onOpen(row.partnerId === open ? null : row.partnerId)}
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
      {hasMore && (
        <div className="table-foot">
          <button type="button" className="button" onClick={onMore}>
            Show more ({formatInteger(rows.length)} of {formatInteger(total)})
          </button>
        </div>
      )}
    </section>
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
