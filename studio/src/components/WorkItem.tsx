import type { ReactElement } from 'react';
import { navigate } from '../lib/router';
import { Money } from '../components/Money';
import type { WorkItem } from './queries';

/** The views of the worklists section. */
export function WorkTabs({ path, specialist }: { path: string; specialist: boolean }): ReactElement {
  const tabs = [
    { to: '/worklists/mine', label: specialist ? 'My worklist' : 'By specialist' },
    { to: '/worklists', label: 'Segments' },
    ...(specialist ? [] : [{ to: '/worklists/loads', label: 'Loads & reassign' }]),
  ];
  return (
    <div className="tabs" role="tablist" aria-label="Worklist view">
      {tabs.map((t) => (
        <a key={t.to} href={t.to} role="tab" aria-selected={path === t.to} className={`tab work-tab${path === t.to ? ' is-active' : ''}`}
          onClick={(e) => { e.preventDefault(); navigate(t.to); }}>{t.label}</a>
      ))}
    </div>
  );
}

export function Prio({ priority }: { priority: number }): ReactElement {
  return <span className={`prio prio-${Math.min(priority, 4)}`}>P{priority}</span>;
}

export function Score({ item }: { item: Pick<WorkItem, 'valuation' | 'percent'> }): ReactElement {
  const percent = Number(item.percent);
  return (
    <div className="score">
      <span className="score-points">{item.valuation} pts</span>
      <span className="score-track" aria-hidden="true"><span className="score-fill" style={{ width: `${Math.max(0, Math.min(percent, 100))}%` }} /></span>
      <span className="score-percent">{percent.toFixed(0)}%</span>
    </div>
  );
}

/** Done, re-valuated or still to work. */
export function ItemState({ item, done }: { item: WorkItem; done: boolean }): ReactElement {
  if (done) return <span className="work-state is-done">✓ Done</span>;
  if (item.revaluatedAt) return <span className="work-state is-revaluated" title={`Re-valuated ${new Date(item.revaluatedAt).toLocaleString()}`}>Re-valuated</span>;
  return <span className="work-state">To work</span>;
}

export function Amounts({ item }: { item: WorkItem }): ReactElement {
  const currency = item.currency ?? 'EUR';
  return (
    <dl className="work-amounts">
      <div><dt>To be collected</dt><dd data-field="toBeCollected"><Money amount={item.amounts.toBeCollected} currency={currency} /></dd></div>
      <div><dt>Overdue</dt><dd><Money amount={item.amounts.overdue} currency={currency} /></dd></div>
      <div><dt>Promised</dt><dd data-field="promised"><Money amount={item.amounts.promised} currency={currency} /></dd></div>
      <div><dt>Disputed</dt><dd><Money amount={item.amounts.disputed} currency={currency} /></dd></div>
    </dl>
  );
}

export function openCustomer(partnerId: string): void {
  navigate(`/customers/${partnerId}`);
}
