import type { ReactElement } from 'react';
import { Link } from 'react-router';
import { Money } from '../../components/Money';
import { formatInteger } from '../../lib/format';
import { customerPath } from '../../lib/paths';
import { ORDERS, type SegmentWorklistData, type WorklistRow } from './useSegmentWorklist';

const PRIORITIES = [1, 2, 3, 4];
const ORIGIN: Record<string, string> = { FIXED: 'fixed', STANDARD: 'dealt', SUBSTITUTE: 'substitute', TEMPORARY: 'reassigned' };

/** The list itself: narrowed to a priority and read in an order, each partner with its score, amounts, specialist and why. */
export function WorklistTable({ list, totalCount, hasNextPage }: { list: SegmentWorklistData; totalCount: number; hasNextPage: boolean }): ReactElement {
  const { priority, order, rows, currency } = list;
  return (
    <section className="card table-card">
      <div className="card-header">
        <div>
          <h2>
            {priority ? `Priority ${priority}` : 'All priorities'} · {formatInteger(totalCount)} partners
          </h2>
          <p className="muted">{order.says}</p>
        </div>
        <WorklistTools list={list} />
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

/** One priority or all, and the order. */
function WorklistTools({ list: { priority, setPriority, order, setOrder } }: { list: SegmentWorklistData }): ReactElement {
  return (
    <div className="worklist-tools">
      <div className="chips" role="group" aria-label="Priority">
        <button type="button" className={`chip${priority === null ? ' is-active' : ''}`} onClick={() => setPriority(null)}>
          All
        </button>
        {PRIORITIES.map((p) => (
          <button key={p} type="button" className={`chip prio-${p}${priority === p ? ' is-active' : ''}`} onClick={() => setPriority(p)}>
            P{p}
          </button>
        ))}
      </div>
      <label className="worklist-order">
        <span className="muted">Order</span>
        <select aria-label="Order" value={order.param} onChange={(e) => setOrder(e.target.value)}>
          {ORDERS.map((o) => (
            <option key={o.orderBy} value={o.param}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
    </div>
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
