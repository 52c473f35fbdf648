import { useEffect, useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Money } from '../../components/Money';
import { graphql } from '../../gql';
import type { StudioRunFieldsFragment, StudioRunHistoryQuery, StudioRunHistoryQueryVariables } from '../../gql/graphql';
import { today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { mayCall, SUPERVISORS } from '../../lib/roles';
import { useSearchParam } from '../../lib/searchParams';
import { useViewer } from '../../lib/viewer';
import '../../components/work.css';
import './runs.css';
import { appendPage } from '../../lib/paging';

export const RUN_FIELDS = graphql(`
  fragment StudioRunFields on WorklistRun {
    id
    segment
    asOf
    status
    error
    live
    mode
    currency
    startedAt
    finishedAt
    partnersEvaluated
    partnersOnList
    partnersExcluded
    amountToBeCollected
    progress {
      phase
      partnersScored
      partnersTotal
      partsDone
      partsTotal
    }
    bands {
      priority
      label
    }
    byPriority {
      ...StudioPriorityFigureFields
    }
    bySpecialist {
      ...StudioSpecialistLoadFields
    }
  }
`);

const SEGMENTS_QUERY = graphql(`
  query StudioRunSegments {
    collectionSegments {
      key
      name
    }
  }
`);

const RUN_QUERY = graphql(`
  query StudioRun($id: ID, $segment: String) {
    worklistRun(id: $id, segment: $segment) {
      ...StudioRunFields
    }
  }
`);

/** Starts the run and answers at once with it RUNNING; the page then polls it. */
const START_MUTATION = graphql(`
  mutation StudioStartWorklistRun($segment: String!, $asOf: Date!) {
    startWorklistRun(segment: $segment, asOf: $asOf) {
      ...StudioRunFields
    }
  }
`);

const HISTORY_QUERY = graphql(`
  query StudioRunHistory($segment: String!, $after: String) {
    worklistRuns(segment: $segment, mode: "LIVE", first: 10, after: $after) {
      edges {
        node {
          id
          asOf
          status
          error
          live
          startedAt
          finishedAt
          partnersEvaluated
          partnersOnList
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** /runs?segment=KEY: a segment's live run and its statistics; SUPERVISORS generate a new one and follow it. */
export function GenerateWorklistPage(): ReactElement {
  const segments = useQuery(SEGMENTS_QUERY);
  const [param, setSegment] = useSearchParam('segment');
  const segment = param ?? segments.data?.collectionSegments[0]?.key ?? null;
  return (
    <main className="main">
      <header className="page-header">
        <div>
          <h1>Worklist runs</h1>
          <p className="subtitle">Score a segment with its groups&apos; active strategy and make the result its live worklist.</p>
        </div>
      </header>
      {segments.error && (
        <div className="notice" role="alert">
          {segments.error.message}
        </div>
      )}
      {segments.data && (
        <label className="work-field runs-segment">
          Segment
          <select value={segment ?? ''} onChange={(e) => setSegment(e.target.value)}>
            {segments.data.collectionSegments.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name} ({s.key})
              </option>
            ))}
          </select>
        </label>
      )}
      {segment && <SegmentRun key={segment} segment={segment} />}
    </main>
  );
}

function SegmentRun({ segment }: { segment: string }): ReactElement {
  const { role } = useViewer();
  const [asOf, setAsOf] = useState(today());
  const [start, starting] = useMutation(START_MUTATION);
  const [problem, setProblem] = useState<string | null>(null);
  // The run the last Start returned; while it is RUNNING it is polled until it ends.
  const [runId, setRunId] = useState<string | null>(null);
  const run = useQuery(RUN_QUERY, { variables: runId ? { id: runId } : { segment } });
  const history = useQuery(HISTORY_QUERY, { variables: { segment } });
  const shown = run.data?.worklistRun ?? null;
  const running = starting.loading || shown?.status === 'RUNNING';
  const { startPolling, stopPolling } = run;
  const { refetch: refetchHistory } = history;
  useEffect(() => {
    if (shown?.status === 'RUNNING') startPolling(1000);
    else stopPolling();
    return () => stopPolling();
  }, [shown?.status, startPolling, stopPolling]);
  // A run that ends (or starts) changes the history.
  useEffect(() => {
    if (shown?.status) void refetchHistory();
  }, [shown?.id, shown?.status, refetchHistory]);

  return (
    <>
      {mayCall(role, SUPERVISORS) && (
        <form
          className="card runs-generate"
          aria-label="Generate worklist"
          onSubmit={(e) => {
            e.preventDefault();
            setProblem(null);
            start({ variables: { segment, asOf } })
              .then(({ data }) => setRunId(data?.startWorklistRun.id ?? null))
              .catch((err: unknown) => setProblem(errorMessage(err)));
          }}
        >
          <label className="work-field">
            Key date
            <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} required />
          </label>
          <button type="submit" className="button button-primary" disabled={running}>
            {running ? 'Generating…' : `Generate ${segment} worklist`}
          </button>
          {problem && (
            <p className="work-error" role="alert">
              {problem}
            </p>
          )}
        </form>
      )}
      {run.error && (
        <div className="notice" role="alert">
          {run.error.message}
        </div>
      )}
      {shown?.status === 'RUNNING' && <RunProgress run={shown} />}
      {run.data && !shown && <p className="muted">{segment} has no live worklist yet.</p>}
      {shown && shown.status !== 'RUNNING' && <RunStatistics run={shown} fresh={runId === shown.id} />}
      <RunHistory segment={segment} query={history} />
    </>
  );
}

/** Seconds since the ISO timestamp, ticking while shown. */
function useSecondsSince(iso: string): number {
  const since = Date.parse(iso);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.floor((now - since) / 1000));
}

/** A RUNNING run: its phase, partners scored of all and parts done, as the server last committed them. */
function RunProgress({ run: r }: { run: StudioRunFieldsFragment }): ReactElement {
  const seconds = useSecondsSince(r.startedAt);
  const { phase, partnersScored, partnersTotal, partsDone, partsTotal } = r.progress;
  const share = partnersTotal > 0 ? partnersScored / partnersTotal : 0;
  return (
    <section className="card runs-running" aria-label="Run progress">
      <div className="card-header">
        <h2>
          Run #{r.id} of {r.segment} at {r.asOf}
        </h2>
        <span className="work-status s-running">running</span>
      </div>
      <div className="runs-meter">
        <div
          className="runs-meter-track"
          role="progressbar"
          aria-label="Partners scored"
          aria-valuemin={0}
          aria-valuemax={partnersTotal}
          aria-valuenow={partnersScored}
          aria-valuetext={`${partnersScored.toLocaleString()} of ${partnersTotal.toLocaleString()} partners scored`}
        >
          <span className="runs-meter-fill" style={{ width: `${Math.round(share * 1000) / 10}%` }} />
        </div>
        <p className="runs-meter-text" role="status">
          <b>{phaseText(phase)}</b>
          <span>
            {partnersScored.toLocaleString()} of {partnersTotal.toLocaleString()} partners scored
          </span>
          {partsTotal > 1 && (
            <span>
              part {partsDone} of {partsTotal} done
            </span>
          )}
          <span className="muted">{seconds} s</span>
        </p>
      </div>
    </section>
  );
}

/** The server's phase, as a sentence start. */
function phaseText(phase: string): string {
  switch (phase) {
    case 'queued':
      return 'Starting';
    case 'waiting for the segment':
      return 'Waiting for another run of the segment to end';
    case 'scoring':
      return 'Scoring partners';
    case 'checking FX rates':
      return 'Checking FX rates';
    case 'distributing':
      return 'Dealing the list to specialists';
    case 'building indexes':
      return 'Building the list’s indexes';
    case 'switching':
      return 'Switching the live list';
    case 'done':
      return 'Done';
    default:
      return phase;
  }
}

type HistoryQuery = ReturnType<typeof useQuery<StudioRunHistoryQuery, StudioRunHistoryQueryVariables>>;

/** The segment's live runs, newest first, ten at a time. */
function RunHistory({ segment, query }: { segment: string; query: HistoryQuery }): ReactElement {
  const { data, error, fetchMore } = query;
  const [more, setMore] = useState(false);
  const runs = data?.worklistRuns.edges.map((e) => e.node) ?? [];
  return (
    <section className="card table-card runs-history" aria-label="Run history">
      <div className="card-header">
        <h2>Recent runs of {segment}</h2>
        <span className="muted">newest first</span>
      </div>
      {error && (
        <div className="notice" role="alert">
          {error.message}
        </div>
      )}
      {data && runs.length === 0 && <p className="empty">No run of {segment} yet.</p>}
      {runs.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Run</th>
                <th>Status</th>
                <th>Key date</th>
                <th>Started</th>
                <th className="num">Duration</th>
                <th className="num">Partners</th>
                <th className="num">On the list</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    #{r.id}
                    {r.live && <span className="work-tag runs-live">live</span>}
                  </td>
                  <td>
                    <span className={`work-status s-${r.status.toLowerCase()}`}>{r.status.toLowerCase()}</span>
                  </td>
                  <td>{r.asOf}</td>
                  <td>{formatStarted(r.startedAt)}</td>
                  <td className="num">{r.finishedAt ? formatDuration(Date.parse(r.finishedAt) - Date.parse(r.startedAt)) : '–'}</td>
                  <td className="num">{r.status === 'SUCCEEDED' ? r.partnersEvaluated.toLocaleString() : '–'}</td>
                  <td className="num">{r.status === 'SUCCEEDED' ? r.partnersOnList.toLocaleString() : '–'}</td>
                  <td className="runs-error">{r.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.worklistRuns.pageInfo.hasNextPage && (
        <div className="runs-more">
          <button
            type="button"
            className="button"
            disabled={more}
            onClick={() => {
              setMore(true);
              void fetchMore({
                variables: { after: data.worklistRuns.pageInfo.endCursor },
                updateQuery: appendPage('worklistRuns'),
              }).finally(() => setMore(false));
            }}
          >
            Older runs
          </button>
        </div>
      )}
    </section>
  );
}

const startedFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatStarted(iso: string): string {
  return startedFormat.format(new Date(iso));
}

/** 850 ms, 12.4 s, 3 min 05 s. */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function RunStatistics({ run: r, fresh }: { run: StudioRunFieldsFragment; fresh: boolean }): ReactElement {
  const currency = r.currency ?? '';
  const labels = new Map(r.bands.map((b) => [b.priority, b.label]));
  const done = r.status === 'SUCCEEDED';
  return (
    <section className="card runs-stats" aria-label="Run statistics">
      <div className="card-header">
        <h2>
          {fresh ? 'The run just generated' : 'The live run'} · #{r.id}
        </h2>
        <span className={`work-status s-${r.status.toLowerCase()}`}>{r.status.toLowerCase()}</span>
      </div>
      {r.error && (
        <p className="work-error runs-failed" role="alert">
          {r.error}
        </p>
      )}
      <dl className="runs-figures">
        <Figure label="Key date" value={r.asOf} />
        {/* A running or failed run has counted nothing yet: its zeros are not figures. */}
        <Figure label="Partners evaluated" value={done ? r.partnersEvaluated.toLocaleString() : '–'} />
        <Figure label="On the list" value={done ? r.partnersOnList.toLocaleString() : '–'} />
        <Figure label="Excluded" value={done ? r.partnersExcluded.toLocaleString() : '–'} />
        <Figure label="To be collected" value={r.amountToBeCollected ? <Money amount={r.amountToBeCollected} currency={currency} /> : '–'} />
        {r.finishedAt && <Figure label="Duration" value={formatDuration(Date.parse(r.finishedAt) - Date.parse(r.startedAt))} />}
      </dl>
      {done && (
        <div className="runs-tables">
          <table className="table" aria-label="By priority">
            <thead>
              <tr>
                <th>Band</th>
                <th className="num">Partners</th>
                <th className="num">To be collected</th>
              </tr>
            </thead>
            <tbody>
              {r.byPriority.map((p) => (
                <tr key={p.priority}>
                  <td>
                    <span className={`prio prio-${Math.min(p.priority, 4)}`}>P{p.priority}</span> {labels.get(p.priority) ?? ''}
                  </td>
                  <td className="num">{p.count.toLocaleString()}</td>
                  <td className="num">
                    <Money amount={p.amountToBeCollected} currency={currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="table" aria-label="By specialist">
            <thead>
              <tr>
                <th>Specialist</th>
                <th className="num">Partners</th>
                <th className="num">To be collected</th>
              </tr>
            </thead>
            <tbody>
              {r.bySpecialist.map((s) => (
                <tr key={s.specialistId ?? 'none'}>
                  <td>{s.specialist?.name ?? 'no specialist'}</td>
                  <td className="num">{s.count.toLocaleString()}</td>
                  <td className="num">
                    <Money amount={s.amountToBeCollected} currency={currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Figure({ label, value }: { label: string; value: ReactElement | string }): ReactElement {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
