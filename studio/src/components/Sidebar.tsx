import type { ComponentType, ReactElement, SVGProps } from 'react';
import { signOut } from '../lib/session';
import { CustomersIcon, LogoMark, OverviewIcon, StrategiesIcon, WorklistsIcon } from './Icons';

interface Section {
  label: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  /** Only sections that exist are links; the rest are announced, not faked. */
  available: boolean;
}

const sections: Section[] = [
  { label: 'Overview', icon: OverviewIcon, available: true },
  { label: 'Strategies', icon: StrategiesIcon, available: false },
  { label: 'Worklists', icon: WorklistsIcon, available: false },
  { label: 'Customers', icon: CustomersIcon, available: false },
];

export function Sidebar({ version }: { version?: string }): ReactElement {
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
          {sections.map(({ label, icon: SectionIcon, available }) => (
            <li key={label}>
              {available ? (
                <a className="nav-item is-active" href="/" aria-current="page">
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
