import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Money } from '../../components/Money';
import { graphql } from '../../gql';
import type { StudioDisputeQuery } from '../../gql/graphql';
import { errorMessage } from '../../lib/errors';
import { codeWords, statusWords } from '../../lib/format';
import { COLLECTORS, mayCall } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import { SidePanel } from '../../components/SidePanel';
import '../Organisation/organisation.css';

/** One dispute as the workflow needs it: where it may go next, and what is set. */
const DISPUTE_QUERY = graphql(`
  query StudioDispute($id: ID!) {
    dispute(id: $id) {
      id
      externalId
      createdDate
      disputedAmount
      currency
      status
      reason
      notes
      rootCause
      resolution
      processorId
      statusChangedAt
      allowedTransitions
    }
    disputeRootCauses {
      code
      description
      active
    }
    specialists {
      id
      name
    }
  }
`);

const CHANGE_DISPUTE_MUTATION = graphql(`
  mutation StudioChangeDispute($input: ChangeDisputeInput!) {
    changeDispute(input: $input) {
      dispute {
        id
        status
        reason
        notes
        rootCause
        resolution
        processorId
        allowedTransitions
      }
    }
  }
`);

/** As the API's ChangeDisputeInput.notes allows. */
const MAX_NOTES = 4000;

/** The settlements RESOLVED needs (REJECTED is always CUSTOMER_PAYS, set by the server). */
const RESOLUTIONS = [
  { code: 'CREDIT_MEMO', label: 'Credit memo' },
  { code: 'WRITE_OFF', label: 'Write-off' },
  { code: 'CUSTOMER_PAYS', label: 'Customer pays' },
];

/** The dispute workflow of one row of the 360: status (only the allowed moves), processor, root cause, resolution, notes. */
export function DisputePanel({ disputeId, onClose }: { disputeId: string; onClose: () => void }): ReactElement {
  const { data, error, loading } = useQuery(DISPUTE_QUERY, { variables: { id: disputeId } });
  const d = data?.dispute;
  return (
    <SidePanel title={d ? `Dispute ${d.externalId}` : 'Dispute'} onClose={onClose}>
      {error && (
        <p className="work-error" role="alert">
          {error.message}
        </p>
      )}
      {loading && <div className="skeleton skeleton-row" />}
      {data && !d && <p className="muted">This dispute no longer exists.</p>}
      {data && d && <DisputeForm dispute={d} rootCauses={data.disputeRootCauses} specialists={data.specialists} onClose={onClose} />}
    </SidePanel>
  );
}

type Loaded = StudioDisputeQuery;

function DisputeForm({
  dispute: d,
  rootCauses,
  specialists,
  onClose,
}: {
  dispute: NonNullable<Loaded['dispute']>;
  rootCauses: Loaded['disputeRootCauses'];
  specialists: Loaded['specialists'];
  onClose: () => void;
}): ReactElement {
  const { role } = useViewer();
  const canChange = mayCall(role, COLLECTORS);
  const [status, setStatus] = useState('');
  const [rootCause, setRootCause] = useState(d.rootCause ?? '');
  const [resolution, setResolution] = useState(d.resolution ?? '');
  const [processorId, setProcessorId] = useState(d.processorId ?? '');
  const [notes, setNotes] = useState(d.notes ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  // The 360 lists the dispute's status: read it again after a change.
  const [change, { loading }] = useMutation(CHANGE_DISPUTE_MUTATION, { refetchQueries: ['StudioCustomer', 'StudioMyWorklistSummary'] });
  const next = status || d.status;
  // Only active causes can be chosen; the one set stays shown even when it was deactivated since.
  const causes = rootCauses.filter((c) => c.active || c.code === d.rootCause);

  const submit = () => {
    setProblem(null);
    const input = {
      disputeId: d.id,
      status: status || null,
      rootCause: rootCause && rootCause !== d.rootCause ? rootCause : null,
      resolution: next === 'RESOLVED' && resolution ? resolution : null,
      processorId: processorId && processorId !== d.processorId ? processorId : null,
      // "" clears the notes; null keeps them.
      notes: notes !== (d.notes ?? '') ? notes : null,
    };
    change({ variables: { input } })
      .then(() => onClose())
      .catch((e: unknown) => setProblem(errorMessage(e)));
  };

  return (
    <form
      className="work-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <dl className="tasks-facts">
        <dt>Status</dt>
        <dd>
          <span className={`work-status is-words s-${d.status.toLowerCase()}`}>{statusWords(d.status)}</span>
          {d.statusChangedAt ? <span className="muted"> since {d.statusChangedAt.slice(0, 10)}</span> : null}
        </dd>
        <dt>Amount</dt>
        <dd>
          <Money amount={d.disputedAmount} currency={d.currency} />
        </dd>
        <dt>Opened</dt>
        <dd>{d.createdDate}</dd>
        <dt>Reason</dt>
        <dd className="tasks-text">{d.reason ? codeWords(d.reason) : <span className="muted">not given</span>}</dd>
      </dl>
      {!canChange ? (
        <p className="muted">Your role reads disputes; a collector changes them.</p>
      ) : (
        <>
          <label className="work-field">
            Move to
            <select value={status} onChange={(e) => setStatus(e.target.value)} disabled={d.allowedTransitions.length === 0}>
              <option value="">{d.allowedTransitions.length ? `Keep ${statusWords(d.status).toLowerCase()}` : `${statusWords(d.status)} is final`}</option>
              {d.allowedTransitions.map((s) => (
                <option key={s} value={s}>
                  {statusWords(s)}
                </option>
              ))}
            </select>
          </label>
          {next === 'RESOLVED' && (
            <label className="work-field">
              Resolution
              <select value={resolution} onChange={(e) => setResolution(e.target.value)} required>
                <option value="">choose how it was settled</option>
                {RESOLUTIONS.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          {next === 'IN_PROCESS' && (
            <label className="work-field">
              Processor
              <select value={processorId} onChange={(e) => setProcessorId(e.target.value)} required>
                <option value="">choose a specialist</option>
                {specialists.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="work-field">
            Root cause
            <select value={rootCause} onChange={(e) => setRootCause(e.target.value)}>
              <option value="">{causes.length ? 'not set' : 'none configured'}</option>
              {causes.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.description} ({c.code})
                </option>
              ))}
            </select>
          </label>
          <label className="work-field">
            Notes
            <textarea rows={3} maxLength={MAX_NOTES} value={notes} onChange={(e) => setNotes(e.target.value)} />
          </label>
          {problem && (
            <p className="work-error" role="alert">
              {problem}
            </p>
          )}
          <div className="work-form-foot">
            <button type="submit" className="button button-primary" disabled={loading}>
              {loading ? 'Saving…' : 'Save dispute'}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
