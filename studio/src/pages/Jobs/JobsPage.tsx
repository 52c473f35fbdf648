import type { ReactElement } from 'react';
import { mayCall, SUPERVISORS } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import { CycleRuns } from './CycleRuns';
import { CycleSchedule } from './CycleSchedule';
import { JobList } from './JobList';
import '../../components/work.css';
import './jobs.css';

/**
 * /jobs: the background jobs of the nightly cycle (?state= filters them; FAILED is the dead-letter
 * view), the cycle's schedule and its recent nights (ADMIN and SUPERVISOR; an ADMIN retries,
 * cancels and edits the schedule).
 */
export function JobsPage(): ReactElement {
  const { role, loading } = useViewer();
  const admin = role === 'ADMIN';
  return (
    <main className="main">
      <header className="page-header">
        <div>
          <h1>Jobs</h1>
          <p className="subtitle">
            The nightly cycle on the job engine: what is queued, running, failed or done, when each step fires and how the last nights went.
          </p>
        </div>
      </header>
      {!loading && !mayCall(role, SUPERVISORS) ? (
        <p className="card notice">An administrator or a supervisor sees the jobs.</p>
      ) : (
        role && (
          <>
            <JobList admin={admin} />
            <CycleSchedule admin={admin} />
            <CycleRuns />
          </>
        )
      )}
    </main>
  );
}
