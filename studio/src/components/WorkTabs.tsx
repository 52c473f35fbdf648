import type { ReactElement } from 'react';
import { Link } from 'react-router';
import { LOADS_PATH, MY_WORKLIST_PATH, WORKLISTS_PATH } from '../lib/paths';
import './work.css';

/** The views of the worklists section; a specialist has no supervisor view. */
export function WorkTabs({ current, specialist }: { current: 'mine' | 'segments' | 'loads'; specialist: boolean }): ReactElement {
  const tabs = [
    { id: 'mine', to: MY_WORKLIST_PATH, label: specialist ? 'My worklist' : 'By specialist' },
    { id: 'segments', to: WORKLISTS_PATH, label: 'Segments' },
    ...(specialist ? [] : [{ id: 'loads', to: LOADS_PATH, label: 'Loads & reassign' }]),
  ];
  return (
    <div className="tabs" role="tablist" aria-label="Worklist view">
      {tabs.map((t) => (
        <Link key={t.id} to={t.to} role="tab" aria-selected={current === t.id} className={`tab${current === t.id ? ' is-active' : ''}`}>
          {t.label}
        </Link>
      ))}
    </div>
  );
}
