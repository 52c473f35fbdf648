import { useEffect, useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { StudioJobsQuery } from '../../gql/graphql';
import { errorMessage } from '../../lib/errors';
import { appendPage } from '../../lib/paging';
import { useSearchParam } from '../../lib/searchParams';
import { ACTIVE_STATES, durationWords, isJobState, JOB_STATES, jobTypeLabel, STATE_WORDS, whenWords } from './jobWords';
import { CANCEL_JOB, JOBS_QUERY, RETRY_JOB } from './queries';

type JobRow = StudioJobsQuery['jobs']['edges'][number]['node'];

/** While a job is queued or running, the list is read again this often. */
const REFRESH_MS = 2000;

/** The jobs, newest first, filtered by ?state=; an ADMIN retries a dead one or cancels one still to finish. */
export function JobList({ admin }: { admin: boolean }): ReactElement {
  const [stateParam, setState] = useSearchParam('state');
  const state = isJobState(stateParam) ? stateParam : null;
  const { data, error, fetchMore, startPolling, stopPolling, refetch } = useQuery(JOBS_QUERY, {
    variables: { state },
  });
  const counts = new Map((data?.jobCounts ?? []).map((c) => [c.state as string, c.count]));
  const active = ACTIVE_STATES.some((s) => (counts.get(s) ?? 0) > 0);
  useEffect(() => {
    if (!active) return;
    startPolling(REFRESH_MS);
    return () => stopPolling();
  }, [active, startPolling, stopPolling]);

  const [asking, setAsking] = useState<{ job: JobRow; action: 'retry' | 'cancel' } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [retry, retrying] = useMutation(RETRY_JOB);
  const [cancel, cancelling] = useMutation(CANCEL_JOB);
  const act = (job: JobRow, action: 'retry' | 'cancel') => {
    setAsking(null);
    setProblem(null);
    setDone(null);
    const run = action === 'retry' ? retry({ variables: { id: job.id } }) : cancel({ variables: { id: job.id } });
    run
      .then(() => {
        setDone(`${jobTypeLabel(job.type)} of ${job.cycleDate ?? 'no date'} ${action === 'retry' ? 'queued for one more attempt' : 'cancelled'}.`);
        return refetch();
      })
      .catch((err: unknown) => setProblem(`Could not ${action} the job: ${errorMessage(err)}`));
  };

  const jobs = data?.jobs.edges.map((e) => e.node) ?? [];
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return (
    <section className="card table-card jobs-list" aria-label="Jobs">
      <div className="card-header jobs-list-head">
        <h2>Jobs</h2>
        <span className="muted" role="status">
          {active ? 'Refreshing every 2 s while jobs are queued or running' : 'newest first'}
        </span>
      </div>
      <div className="chips jobs-filter" role="group" aria-label="Job state">
        <button type="button" className={`chip${state === null ? ' is-active' : ''}`} aria-pressed={state === null} onClick={() => setState(null)}>
          All {data ? `(${total})` : ''}
        </button>
        {JOB_STATES.map((s) => (
          <button key={s} type="button" className={`chip${state === s ? ' is-active' : ''}`} aria-pressed={state === s} onClick={() => setState(s)}>
            {s === 'FAILED' ? 'Failed (dead letters)' : STATE_WORDS[s]} {data ? `(${counts.get(s) ?? 0})` : ''}
          </button>
        ))}
      </div>
      {error && (
        <div className="notice" role="alert">
          {errorMessage(error)}
        </div>
      )}
      {problem && (
        <p className="work-error jobs-message" role="alert">
          {problem}
        </p>
      )}
      {done && (
        <p className="work-hint is-ok jobs-message" role="status">
          {done}
        </p>
      )}
      {data && jobs.length === 0 && (
        <p className="empty">{state ? `No ${STATE_WORDS[state].toLowerCase()} job.` : 'No job yet: the cycle queues them at its times.'}</p>
      )}
      {jobs.length > 0 && (
        <div className="table-scroll">
          <table className="table jobs-table">
            <thead>
              <tr>
                <th>Step</th>
                <th>Cycle date</th>
                <th>State</th>
                <th className="num">Attempts</th>
                <th>Queued</th>
                <th className="num">Duration</th>
                <th>Error</th>
                {admin && <th aria-label="Actions" />}
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id} data-job={job.id}>
                  <td>
                    <span className="jobs-type">
                      {jobTypeLabel(job.type)}
                      {job.segment ? ` ${job.segment}` : ''}
                    </span>
                    <span className="muted jobs-id" title={job.id}>
                      {job.type}
                    </span>
                  </td>
                  <td>{job.cycleDate ?? '–'}</td>
                  <td>
                    <span className={`jobs-state s-${job.state.toLowerCase()}`}>{STATE_WORDS[job.state] ?? job.state}</span>
                  </td>
                  <td className="num">
                    {job.attempts} of {job.maxAttempts}
                  </td>
                  <td>{whenWords(job.createdAt)}</td>
                  <td className="num">{durationOf(job)}</td>
                  <td className="jobs-error">{job.error ?? ''}</td>
                  {admin && (
                    <td className="jobs-actions">
                      {job.state === 'FAILED' && (
                        <button type="button" className="button" disabled={retrying.loading} onClick={() => setAsking({ job, action: 'retry' })}>
                          Retry
                        </button>
                      )}
                      {ACTIVE_STATES.includes(job.state) && (
                        <button type="button" className="button" disabled={cancelling.loading} onClick={() => setAsking({ job, action: 'cancel' })}>
                          Cancel
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.jobs.pageInfo.hasNextPage && (
        <div className="jobs-more">
          <button
            type="button"
            className="button"
            onClick={() => void fetchMore({ variables: { after: data.jobs.pageInfo.endCursor }, updateQuery: appendPage('jobs') })}
          >
            Older jobs
          </button>
        </div>
      )}
      {asking && <ConfirmJob job={asking.job} action={asking.action} onCancel={() => setAsking(null)} onConfirm={() => act(asking.job, asking.action)} />}
    </section>
  );
}

/** A finished job's duration; a running one's time so far. */
function durationOf(job: JobRow): string {
  if (job.durationSeconds !== null && job.durationSeconds !== undefined) return durationWords(job.durationSeconds);
  if (job.state === 'RUNNING' && job.startedAt) return `${durationWords(Math.max(0, (Date.now() - new Date(job.startedAt).getTime()) / 1000))} so far`;
  return '–';
}

/** Says what a retry or a cancel does before it does it. */
function ConfirmJob({
  job,
  action,
  onCancel,
  onConfirm,
}: {
  job: JobRow;
  action: 'retry' | 'cancel';
  onCancel: () => void;
  onConfirm: () => void;
}): ReactElement {
  const what = `${jobTypeLabel(job.type)} of ${job.cycleDate ?? 'no date'}`;
  return (
    <div className="modal-backdrop" onClick={onCancel}>
      <div className="modal card" role="dialog" aria-modal="true" aria-labelledby="jobs-confirm-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="jobs-confirm-title">{action === 'retry' ? `Retry ${what}?` : `Cancel ${what}?`}</h2>
        {action === 'retry' ? (
          <p>
            The job failed {job.maxAttempts === 1 ? 'its only attempt' : `all its ${job.maxAttempts} attempts`}
            {job.error ? ` (last error: ${job.error})` : ''}. Retrying queues it for one more attempt; a worker takes it within seconds. The retry is recorded
            in the audit log.
          </p>
        ) : (
          <p>
            The job will not run{job.state === 'RUNNING' ? ' again (the attempt under way finishes, its result is dropped)' : ''}, and its step of the cycle is
            marked failed, so the steps waiting for it do not start. The cancellation is recorded in the audit log.
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Keep it
          </button>
          <button type="button" className="button button-primary" onClick={onConfirm}>
            {action === 'retry' ? 'Retry the job' : 'Cancel the job'}
          </button>
        </div>
      </div>
    </div>
  );
}
