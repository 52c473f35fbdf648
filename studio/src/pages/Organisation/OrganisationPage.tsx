import type { ReactElement } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { isOrgTab, organisationPath, ORG_TABS, type OrgTab } from '../../lib/paths';
import { useViewer } from '../../lib/viewer';
import { Absences } from './Absences';
import { CompanyCodes } from './CompanyCodes';
import { Groups } from './Groups';
import { Profiles } from './Profiles';
import { Segments } from './Segments';
import '../../components/work.css';
import './organisation.css';

const LABELS: Record<OrgTab, string> = {
  'company-codes': 'Company codes',
  segments: 'Segments',
  profiles: 'Profiles',
  groups: 'Groups',
  absences: 'Absences',
};

/** What a view may do: ADMIN changes the organisation; ADMIN and SUPERVISOR generate worklists; everyone reads. */
export interface OrgRights {
  edit: boolean;
  generate: boolean;
  /** A SPECIALIST token: reads only their own work. */
  specialist: boolean;
}

/**
 * /organisation/TAB: the organisation as configuration — company codes, segments, profiles,
 * collection groups with their strategy and specialists, and absences with their substitutes.
 */
export function OrganisationPage(): ReactElement {
  const { tab } = useParams();
  const viewer = useViewer();
  const rights: OrgRights = { edit: viewer.role === 'ADMIN', generate: viewer.role === 'ADMIN' || viewer.role === 'SUPERVISOR', specialist: viewer.specialist };
  if (tab !== undefined && !isOrgTab(tab)) return <Navigate replace to={organisationPath()} />;
  const current: OrgTab = tab ?? 'company-codes';
  return (
    <main className="main org-main">
      <header className="page-header">
        <div>
          <h1>Organisation</h1>
          <p className="subtitle">Who collects what: company codes, segments and profiles, collection groups with their strategy and specialists, absences.</p>
        </div>
      </header>
      <nav className="tabs" aria-label="Organisation">
        {ORG_TABS.map((t) => (
          <Link key={t} to={organisationPath(t)} aria-current={t === current ? 'page' : undefined} className={`tab${t === current ? ' is-active' : ''}`}>
            {LABELS[t]}
          </Link>
        ))}
      </nav>
      {!viewer.loading && !rights.edit && <p className="notice org-readonly">Read only: changing the organisation takes an ADMIN token.</p>}
      {current === 'company-codes' && <CompanyCodes rights={rights} />}
      {current === 'segments' && <Segments rights={rights} />}
      {current === 'profiles' && <Profiles rights={rights} />}
      {current === 'groups' && <Groups rights={rights} />}
      {current === 'absences' && <Absences rights={rights} />}
    </main>
  );
}
