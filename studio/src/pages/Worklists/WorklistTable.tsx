import { useState, type ReactElement, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Money } from '../../components/Money';
import type { WorklistOrder } from '../../gql/graphql';
import { formatCount, formatInteger } from '../../lib/format';
import { customerPath } from '../../lib/paths';
import { BulkReassign } from './BulkReassign';
import type { SegmentWorklistData, WorklistRow } from './useSegmentWorklist';
import { WorklistFilters } from './WorklistFilters';
import { filterCount } from './worklistUrl';

const ORIGIN: Record<string, string> = { FIXED: 'fixed', STANDARD: 'dealt', SUBSTITUTE: 'substitute', TEMPORARY: 'reassigned' };

/** The columns a person sorts by a click on their header, each with the API's order. */
const COLUMNS: Array<{ label: string; orderBy: WorklistOrder | null; numeric?: boolean; width: string }> = [
  { label: 'Priority', orderBy: 'WORKLIST', width: '11%' },
  { label: 'Partner', orderBy: 'PARTNER_NAME', width: '17%' },
  { label: 'Score', orderBy: 'VALUATION', width: '10%' },
  { label: 'To be collected', orderBy: 'AMOUNT_TO_BE_COLLECTED', numeric: true, width: '13%' },
  { label: 'Overdue', orderBy: 'AMOUNT_OVERDUE', numeric: true, width: '13%' },
  { label: 'Days overdue', orderBy: 'DAYS_OVERDUE', numeric: true, width: '8%' },
  { label: 'Specialist', orderBy: 'SPECIALIST', width: '10%' },
  { label: 'Why', orderBy: null, width: '18%' },
];

/**
 * The list itself: filtered and sorted as the URL says, each partner with its score, amounts,
 * specialist and why. Supervisors select rows to reassign them in one go.
 */
export function WorklistTable({
  list,
  totalCount,
  hasNextPage,
  canReassign,
}: {
  list: SegmentWorklistData;
  totalCount: number;
  hasNextPage: boolean;
  canReassign: boolean;
}): ReactElement {
  const { view, order, direction, rows, currency } = list;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [moved, setMoved] = useState<string | null>(null);
  // A selection belongs to the rows it was made on: another view starts without one.
  const viewKey = JSON.stringify(list.variables);
  const [selectedIn, setSelectedIn] = useState(viewKey);
  if (selectedIn !== viewKey) {
    setSelectedIn(viewKey);
    setSelected(new Set());
  }
  const selectable = rows.filter((r) => !r.completedAt);
  const allOnPage = selectable.length > 0 && selectable.every((r) => selected.has(r.partnerId));
  const toggle = (partnerId: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(partnerId)) next.delete(partnerId);
      else next.add(partnerId);
      return next;
    });
  const select = (next: ReadonlySet<string>) => {
    setMoved(null);
    setSelected(next);
  };
  const filters = filterCount(view.filter);
  const others = filterCount({ ...view.filter, priorities: null });
  const priorities = view.filter.priorities ?? [];
  const title = priorities.length === 1 ? `Priority ${priorities[0]}` : priorities.length ? `Priorities ${priorities.join(', ')}` : 'All priorities';

  return (
    <section className="card table-card">
      <div className="card-header worklist-head">
        <div>
          <h2>
            {title} · {formatCount(totalCount, 'partner')}
          </h2>
          <p className="muted">
            {order.says[direction]}
            {others ? ` · ${others} more filter${others === 1 ? '' : 's'} applied` : ''}
          </p>
        </div>
        <WorklistFilters list={list} />
      </div>
      {canReassign && selected.size > 0 && (
        <BulkReassign
          segment={list.variables.segment}
          runId={list.run?.id ?? null}
          partnerIds={[...selected]}
          specialists={list.specialists}
          onDone={async (message) => {
            setSelected(new Set());
            setMoved(message);
            await list.refetch();
          }}
          onClear={() => setSelected(new Set())}
        />
      )}
      {moved && selected.size === 0 && (
        <div className="bulk-bar bulk-done" role="status">
          {moved}
          <button type="button" className="link-button" onClick={() => setMoved(null)}>
            Dismiss
          </button>
        </div>
      )}
      <div className="table-scroll">
        <table className="table worklist-table">
          <colgroup>
            {COLUMNS.map((c) => (
              <col key={c.label} style={{ width: c.width }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              {COLUMNS.map((c, i) => (
                <SortHeader key={c.label} label={c.label} orderBy={c.orderBy} numeric={c.numeric} list={list}>
                  {i === 0 && canReassign && (
                    <input
                      type="checkbox"
                      className="select-box"
                      aria-label="Select all partners on this page"
                      checked={allOnPage}
                      disabled={selectable.length === 0}
                      onChange={() => select(allOnPage ? new Set() : new Set(selectable.map((r) => r.partnerId)))}
                    />
                  )}
                </SortHeader>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <Row
                key={row.id}
                row={row}
                currency={currency}
                selectable={canReassign}
                selected={selected.has(row.partnerId)}
                onToggle={() => {
                  setMoved(null);
                  toggle(row.partnerId);
                }}
              />
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={COLUMNS.length} className="empty">
                  Nobody on this list{filters ? ' with these filters' : ''}.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {hasNextPage && (
        <div className="table-foot">
          <button type="button" className="button" onClick={() => void list.loadMore()} disabled={list.loadingMore}>
            {list.loadingMore ? 'Loading…' : `Show more (${formatInteger(rows.length)} of ${formatInteger(totalCount)})`}
          </button>
        </div>
      )}
    </section>
  );
}

/** A column header: a button that sorts by the column (or turns the sort around), aria-sort on the sorted one. */
function SortHeader({
  label,
  orderBy,
  numeric,
  list,
  children,
}: {
  label: string;
  orderBy: WorklistOrder | null;
  numeric?: boolean;
  list: SegmentWorklistData;
  /** Shown before the button (the select-all box of the first column). */
  children?: ReactNode;
}): ReactElement {
  if (!orderBy) return <th>{label}</th>;
  const active = list.view.orderBy === orderBy;
  const sort = active ? (list.direction === 'ASC' ? 'ascending' : 'descending') : 'none';
  return (
    <th className={numeric ? 'num' : children ? 'with-select' : undefined} aria-sort={sort}>
      {children}
      <button
        type="button"
        className={`sort-button${active ? ' is-sorted' : ''}`}
        onClick={() => list.sortBy(orderBy)}
        title={active ? `Sorted ${sort}; click to reverse` : `Sort by ${label.toLowerCase()}`}
      >
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (list.direction === 'ASC' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

function Row({
  row,
  currency,
  selectable,
  selected,
  onToggle,
}: {
  row: WorklistRow;
  currency: string;
  selectable: boolean;
  selected: boolean;
  onToggle: () => void;
}): ReactElement {
  const percent = Number(row.percent);
  const shown = row.firedRules.slice(0, 3);
  return (
    <tr className={selected ? 'is-selected' : undefined}>
      <td className={selectable ? 'with-select' : undefined}>
        {selectable && (
          <input
            type="checkbox"
            className="select-box"
            aria-label={`Select ${row.partner.name}`}
            checked={selected}
            disabled={row.completedAt != null}
            title={row.completedAt != null ? 'Worked: completed items are not reassigned' : undefined}
            onChange={onToggle}
          />
        )}
        <span className={`prio prio-${Math.min(row.priority, 4)}`}>P{row.priority}</span>
      </td>
      <td>
        <Link className="segment-name work-link" to={customerPath(row.partnerId)}>
          {row.partner.name}
        </Link>
        <div className="segment-key">
          {row.partner.externalId} · {row.partner.customerType.toLowerCase()}
          {row.partner.riskClass ? ` · risk\u00a0${row.partner.riskClass}` : ''}
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
        {row.arm === 'CHALLENGER' && (
          <div className="segment-key" title="Scored with the challenger strategy of the group's champion/challenger experiment">
            challenger arm
          </div>
        )}
      </td>
      <td className="num">
        <Money amount={row.amounts.toBeCollected} currency={currency} />
      </td>
      <td className="num">
        <Money amount={row.amounts.overdue} currency={currency} />
      </td>
      <td className="num">{row.daysOverdue == null ? <span className="muted">–</span> : formatInteger(row.daysOverdue)}</td>
      <td>
        {row.specialist ? row.specialist.name : <span className="muted">unassigned</span>}
        {row.specialistOrigin && row.specialistOrigin !== 'STANDARD' && (
          <div className="segment-key">{ORIGIN[row.specialistOrigin] ?? row.specialistOrigin}</div>
        )}
      </td>
      <td>
        <div className="rule-chips">
          {shown.map((r) => (
            <span key={r.name} className={`rule-chip${r.points < 0 ? ' is-negative' : ''}`} title={`${r.name}: ${r.points} points`}>
              <span className="rule-chip-name">{r.name}</span>
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
