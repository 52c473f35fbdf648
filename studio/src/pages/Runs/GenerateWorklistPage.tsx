import { useEffect, useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Money } from '../../components/Money';
import { graphql } from '../../gql';
import type { StudioRunFieldsFragment } from '../../gql/graphql';
import { today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { mayCall, SUPERVISORS } from '../../lib/roles';
import { useSearchParam } from '../../lib/searchParams';
import { useViewer } from '../../lib/viewer';
import './runs.css';

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
    partnersEvaluated
    partnersOnList
    partnersExcluded
    amountToBeCollected
    byPriority {
      priority
      count
      amountToBeCollected
    }
    bySpecialist {
      specialistId
      specialist {
        name
      }
      count
      amountToBeCollected
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

const GENERATE_MUTATION = graphql(`
  mutation StudioGenerateWorklist($segment: String!, $asOf: Date!) {
    generateWorklist(segment: $segment, asOf: $asOf) {
      ...StudioRunFields
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
  const [generate, generating] = useMutation(GENERATE_MUTATION);
  const [problem, setProblem] = useState<string | null>(null);
  // The run the last Generate returned; while it is RUNNING it is polled until it ends.
  const [runId, setRunId] = useState<string | null>(null);
  const run = useQuery(RUN_QUERY, { variables: runId ? { id: runId } : { segment } });
  const shown = run.data?.worklistRun ?? null;
  const running = generating.loading || shown?.status === 'RUNNING';
  const { startPolling, stopPolling } = run;
  useEffect(() => {
    if (shown?.status === 'RUNNING') startPolling(1000);
    else stopPolling();
    return () => stopPolling();
  }, [shown?.status, startPolling, stopPolling]);
  const elapsed = useElapsed(running);

  return (
    <>
      {mayCall(role, SUPERVISORS) && (
        <form
          className="card runs-generate"
          aria-label="Generate worklist"
          onSubmit={(e) => {
            e.preventDefault();
            setProblem(null);
            generate({ variables: { segment, asOf } })
              .then(({ data }) => setRunId(data?.generateWorklist.id ?? null))
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
          {running && (
            <div className="runs-progress" role="status">
              <span className="runs-bar" aria-hidden="true" />
              Running for {elapsed} s: scoring every partner of {segment}, then switching the live list.
            </div>
          )}
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
      {run.data && !shown && <p className="muted">{segment} has no live worklist yet.</p>}
      {shown && <RunStatistics run={shown} fresh={runId === shown.id} />}
    </>
  );
}

/** Seconds since `on` became true (0 while off). */
function useElapsed(on: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!on) return;
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 500);
    // Back to 0 when the run ends, ready for the next one.
    return () => {
      clearInterval(timer);
      setSeconds(0);
    };
  }, [on]);
  return seconds;
}

function RunStatistics({ run: r, fresh }: { run: StudioRunFieldsFragment; fresh: boolean }): ReactElement {
  const currency = r.currency ?? '';
  return (
    <section className="card runs-stats" aria-label="Run statistics">
      <div className="card-header">
        <h2>
          {fresh ? 'The run just generated' : 'The live run'} · #{r.id}
        </h2>
        <span className={`work-status s-${r.status.toLowerCase()}`}>{r.status.toLowerCase()}</span>
      </div>
      {r.error && (
        <p className="work-error" role="alert">
          {r.error}
        </p>
      )}
      <dl className="runs-figures">
        <Figure label="Key date" value={r.asOf} />
        <Figure label="Partners evaluated" value={r.partnersEvaluated.toLocaleString()} />
        <Figure label="On the list" value={r.partnersOnList.toLocaleString()} />
        <Figure label="Excluded" value={r.partnersExcluded.toLocaleString()} />
        <Figure label="To be collected" value={r.amountToBeCollected ? <Money amount={r.amountToBeCollected} currency={currency} /> : '–'} />
      </dl>
      <div className="runs-tables">
        <table className="table" aria-label="By priority">
          <thead>
            <tr>
              <th>Priority</th>
              <th className="num">Partners</th>
              <th className="num">To be collected</th>
            </tr>
          </thead>
          <tbody>
            {r.byPriority.map((p) => (
              <tr key={p.priority}>
                <td>P{p.priority}</td>
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
