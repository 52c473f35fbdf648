import type { ComponentType, ReactElement, SVGProps } from 'react';
import { navigate } from '../lib/router';
import { signOut } from '../lib/session';
import { CustomersIcon, LogoMark, OverviewIcon, StrategiesIcon, WorklistsIcon } from './Icons';

interface Section {
  label: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  /** Only sections that exist are links; the rest are announced, not faked. */
  available: boolean;
  path: string;
}

const sections: Section[] = [
  { label: 'Overview', icon: OverviewIcon, available: true, path: '/' },
  { label: 'Strategies', icon: StrategiesIcon, available: true, path: '/strategies' },
  { label: 'Worklists', icon: WorklistsIcon, available: true, path: '/worklists' },
  { label: 'Customers', icon: CustomersIcon, available: true, path: '/customers' },
];

export function Sidebar({ version, path }: { version?: string; path: string }): ReactElement {
  return (
    <aside className="sidebar">
      <div className="brand">
        <LogoMark />
        <div>
          <div className="brand-name">Recoup</div>
          <div className="brand-sub">Collections studio</div>
        </div>
      </div>

      <nav aria-label="Main">
        <ul className="nav">
          {sections.map(({ label, icon: SectionIcon, available, path: to }) => (
            <li key={label}>
              {available ? (
                <a className={`nav-item${isCurrent(to, path) ? ' is-active' : ''}`} href={to} aria-current={isCurrent(to, path) ? 'page' : undefined}
                  onClick={(e) => { e.preventDefault(); navigate(to); }}>
                  <SectionIcon />
                  <span>{label}</span>
                </a>
              ) : (
                <span className="nav-item is-disabled" aria-disabled="true" title={`${label} is coming soon`}>
                  <SectionIcon />
                  <span>{label}</span>
                  <span className="soon">Soon</span>
                </span>
              )}
            </li>
          ))}
        </ul>
      </nav>

      <div className="sidebar-foot">
        <span>{version ? `API ${version}` : 'API version unknown'}</span>
        <button type="button" className="link-button" onClick={() => signOut()}>Sign out</button>
      </div>
    </aside>
  );
}

/** A section is current on its own path and the paths under it (/customers/42). */
function isCurrent(to: string, path: string): boolean {
  return to === path || (to !== '/' && path.startsWith(`${to}/`));
}
