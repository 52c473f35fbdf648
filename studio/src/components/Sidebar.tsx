import type { ComponentType, ReactElement, SVGProps } from 'react';
import { NavLink } from 'react-router';
import {
  ANALYTICS_PATH,
  BACKTESTS_PATH,
  CUSTOMERS_PATH,
  DUNNING_PATH,
  EXPERIMENTS_PATH,
  JOBS_PATH,
  ORGANISATION_PATH,
  OVERVIEW_PATH,
  RECOVERY_PATH,
  RUNS_PATH,
  SETTINGS_PATH,
  STRATEGIES_PATH,
  WORKLISTS_PATH,
} from '../lib/paths';
import { mayCall, SUPERVISORS } from '../lib/roles';
import { signOut } from '../lib/session';
import { useViewer } from '../lib/viewer';
import {
  AlertIcon,
  AnalyticsIcon,
  BacktestIcon,
  CustomersIcon,
  ExperimentsIcon,
  JobsIcon,
  LogoMark,
  OrganisationIcon,
  OverviewIcon,
  RecoveryIcon,
  RefreshIcon,
  SettingsIcon,
  StrategiesIcon,
  WorklistsIcon,
} from './Icons';

interface Section {
  label: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  /** Only sections that exist are links; the rest are announced, not faked. */
  available: boolean;
  path: string;
  /** Shown only to these roles (all when absent). */
  roles?: readonly string[];
}

const sections: Section[] = [
  { label: 'Overview', icon: OverviewIcon, available: true, path: OVERVIEW_PATH },
  { label: 'Analytics', icon: AnalyticsIcon, available: true, path: ANALYTICS_PATH },
  { label: 'Strategies', icon: StrategiesIcon, available: true, path: STRATEGIES_PATH },
  { label: 'Backtests', icon: BacktestIcon, available: true, path: BACKTESTS_PATH },
  { label: 'Experiments', icon: ExperimentsIcon, available: true, path: EXPERIMENTS_PATH },
  { label: 'Worklists', icon: WorklistsIcon, available: true, path: WORKLISTS_PATH },
  { label: 'Customers', icon: CustomersIcon, available: true, path: CUSTOMERS_PATH },
  { label: 'Organisation', icon: OrganisationIcon, available: true, path: ORGANISATION_PATH },
  { label: 'Worklist runs', icon: RefreshIcon, available: true, path: RUNS_PATH },
  { label: 'Dunning', icon: AlertIcon, available: true, path: DUNNING_PATH },
  { label: 'Recovery', icon: RecoveryIcon, available: true, path: RECOVERY_PATH },
  { label: 'Settings', icon: SettingsIcon, available: true, path: SETTINGS_PATH },
  { label: 'Jobs', icon: JobsIcon, available: true, path: JOBS_PATH, roles: SUPERVISORS },
];

export function Sidebar({ version }: { version?: string }): ReactElement {
  const { role } = useViewer();
  const shown = sections.filter((s) => !s.roles || mayCall(role, s.roles));
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
          {shown.map(({ label, icon: SectionIcon, available, path: to }) => (
            <li key={label}>
              {available ? (
                // A section is current on its own path and the paths under it (/customers/42); NavLink sets aria-current.
                <NavLink to={to} end={to === OVERVIEW_PATH} className={({ isActive }) => `nav-item${isActive ? ' is-active' : ''}`}>
                  <SectionIcon />
                  <span>{label}</span>
                </NavLink>
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
        <button type="button" className="link-button" onClick={() => signOut()}>
          Sign out
        </button>
      </div>
    </aside>
  );
}
