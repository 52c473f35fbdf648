import type { ReactElement } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { isRecoveryTab, recoveryPath, RECOVERY_TABS, type RecoveryTab } from '../../lib/paths';
import { mayCall, SUPERVISORS } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import { Agencies } from './Agencies';
import { PaymentReport } from './PaymentReport';
import { Placements } from './Placements';
import { Proposal } from './Proposal';
import { Settlement } from './Settlement';
import '../../components/work.css';
import '../Organisation/organisation.css';
import './recovery.css';

const LABELS: Record<RecoveryTab, string> = {
  proposal: 'Placement proposal',
  placements: 'Placements',
  payments: 'Payment reports',
  settlement: 'Settlement',
  agencies: 'Agencies',
};

/** What a view may do: supervisors place, recall and import reports; ADMIN configures agencies and closes settlements. */
export interface RecoveryRights {
  supervise: boolean;
  admin: boolean;
}

/**
 * /recovery/TAB: accounts the company hands to collection agencies — the proposal a placement
 * rules document makes, the placements and their recall, the agencies' payment reports, the
 * commission settlement per period, and the agencies themselves.
 */
export function RecoveryPage(): ReactElement {
  const { tab } = useParams();
  const viewer = useViewer();
  const rights: RecoveryRights = { supervise: mayCall(viewer.role, SUPERVISORS), admin: viewer.role === 'ADMIN' };
  if (tab !== undefined && !isRecoveryTab(tab)) return <Navigate replace to={recoveryPath()} />;
  const current: RecoveryTab = tab ?? 'proposal';
  return (
    <main className="main org-main recovery-main">
      <header className="page-header">
        <div>
          <h1>Debt recovery</h1>
          <p className="subtitle">
            Accounts handed to collection agencies: what the placement rules propose, what is placed, what the agencies collected and earn.
          </p>
        </div>
      </header>
      <nav className="tabs" aria-label="Debt recovery">
        {RECOVERY_TABS.map((t) => (
          <Link key={t} to={recoveryPath(t)} aria-current={t === current ? 'page' : undefined} className={`tab${t === current ? ' is-active' : ''}`}>
            {LABELS[t]}
          </Link>
        ))}
      </nav>
      {current === 'proposal' && <Proposal rights={rights} loading={viewer.loading} />}
      {current === 'placements' && <Placements rights={rights} />}
      {current === 'payments' && <PaymentReport rights={rights} loading={viewer.loading} />}
      {current === 'settlement' && <Settlement rights={rights} />}
      {current === 'agencies' && <Agencies rights={rights} />}
    </main>
  );
}
