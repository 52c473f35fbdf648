import { useState, type ReactElement } from 'react';
import { useMutation } from '@apollo/client/react';
import { Money } from '../../components/Money';
import { graphql } from '../../gql';
import { addDays, today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import type { Customer } from '../../lib/customers';
import { COLLECTORS, mayCall } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import { SidePanel } from '../../components/SidePanel';
import '../Organisation/organisation.css';
import './tasks.css';

const CANCEL_PROMISE_MUTATION = graphql(`
  mutation StudioCancelPromise($id: ID!, $cancelledDate: Date!) {
    cancelPromise(id: $id, cancelledDate: $cancelledDate) {
      promise {
        id
        status
      }
    }
  }
`);

const RENEW_PROMISE_MUTATION = graphql(`
  mutation StudioRenewPromise($input: RenewPromiseInput!) {
    renewPromise(input: $input) {
      promise {
        id
        status
        promisedDate
        amount
      }
      previous {
        id
        status
      }
    }
  }
`);

const RESUBMISSION_DONE_MUTATION = graphql(`
  mutation StudioResubmissionDone($id: ID!) {
    markResubmissionDone(id: $id) {
      resubmission {
        id
        done
      }
    }
  }
`);

/** What shows the partner's records and the list's figures, by operation name. */
const REFETCH = ['StudioCustomer', 'StudioMyWorklistSummary'];

type PromiseRow = Customer['promises'][number];

/** Only an OPEN promise is cancelled; OPEN, BROKEN and PARTIALLY_KEPT ones are renewed (README, promises). */
const CANCELLABLE = ['OPEN'];
const RENEWABLE = ['OPEN', 'BROKEN', 'PARTIALLY_KEPT'];

/** Cancel and renew of one promise row of the 360 (nothing for roles that may not call them). */
export function PromiseTasks({ promise: p }: { promise: PromiseRow }): ReactElement | null {
  const { role } = useViewer();
  const [open, setOpen] = useState<'cancel' | 'renew' | null>(null);
  if (!mayCall(role, COLLECTORS)) return null;
  const canCancel = CANCELLABLE.includes(p.status);
  const canRenew = RENEWABLE.includes(p.status);
  if (!canCancel && !canRenew) return null;
  // The panels sit beside the buttons, not inside them: nothing of the row's layout reaches them.
  return (
    <>
      <PromiseButtons promise={p} canCancel={canCancel} canRenew={canRenew} onOpen={setOpen} />
      {open === 'cancel' && <CancelPromisePanel promise={p} onClose={() => setOpen(null)} />}
      {open === 'renew' && <RenewPromisePanel promise={p} onClose={() => setOpen(null)} />}
    </>
  );
}

function PromiseButtons({
  promise: p,
  canCancel,
  canRenew,
  onOpen,
}: {
  promise: PromiseRow;
  canCancel: boolean;
  canRenew: boolean;
  onOpen: (task: 'cancel' | 'renew') => void;
}): ReactElement {
  return (
    <div className="tasks-row-actions">
      {canRenew && (
        <button type="button" className="button" onClick={() => onOpen('renew')} aria-label={`Renew promise ${p.externalId}`}>
          Renew
        </button>
      )}
      {canCancel && (
        <button type="button" className="button" onClick={() => onOpen('cancel')} aria-label={`Cancel promise ${p.externalId}`}>
          Cancel
        </button>
      )}
    </div>
  );
}

function PromiseFacts({ promise: p }: { promise: PromiseRow }): ReactElement {
  return (
    <dl className="tasks-facts">
      <dt>Promised</dt>
      <dd>
        <Money amount={p.amount} currency={p.currency} /> by {p.promisedDate}
      </dd>
      <dt>Paid</dt>
      <dd>
        <Money amount={p.paid} currency={p.currency} />
      </dd>
      <dt>Status</dt>
      <dd>
        <span className={`work-status s-${p.status.toLowerCase()}`}>{p.status.toLowerCase().replace('_', ' ')}</span>
      </dd>
    </dl>
  );
}

function CancelPromisePanel({ promise: p, onClose }: { promise: PromiseRow; onClose: () => void }): ReactElement {
  const [cancel, { loading }] = useMutation(CANCEL_PROMISE_MUTATION, { refetchQueries: REFETCH });
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <SidePanel title={`Cancel promise ${p.externalId}`} onClose={onClose}>
      <PromiseFacts promise={p} />
      <p className="muted">A cancelled promise no longer counts as kept or broken.</p>
      {problem && (
        <p className="work-error" role="alert">
          {problem}
        </p>
      )}
      <div className="work-form-foot">
        <button
          type="button"
          className="button button-primary"
          disabled={loading}
          onClick={() => {
            setProblem(null);
            cancel({ variables: { id: p.id, cancelledDate: today() } })
              .then(() => onClose())
              .catch((e: unknown) => setProblem(errorMessage(e)));
          }}
        >
          {loading ? 'Saving…' : 'Cancel promise'}
        </button>
      </div>
    </SidePanel>
  );
}

/** A renewal: the next level for what is unpaid, by a new date (an OPEN original is replaced). */
function RenewPromisePanel({ promise: p, onClose }: { promise: PromiseRow; onClose: () => void }): ReactElement {
  const [renew, { loading }] = useMutation(RENEW_PROMISE_MUTATION, { refetchQueries: REFETCH });
  const [promisedDate, setPromisedDate] = useState(addDays(today(), 14));
  const [amount, setAmount] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <SidePanel title={`Renew promise ${p.externalId}`} onClose={onClose}>
      <PromiseFacts promise={p} />
      <form
        className="work-form"
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(null);
          const input = { promiseId: p.id, createdDate: today(), promisedDate, amount: amount.trim() || null };
          renew({ variables: { input } })
            .then(() => onClose())
            .catch((err: unknown) => setProblem(errorMessage(err)));
        }}
      >
        <label className="work-field">
          New promised date
          <input type="date" value={promisedDate} min={today()} onChange={(e) => setPromisedDate(e.target.value)} required />
        </label>
        <label className="work-field">
          Amount ({p.currency}; empty: what is unpaid)
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="unpaid amount" />
        </label>
        {problem && (
          <p className="work-error" role="alert">
            {problem}
          </p>
        )}
        <div className="work-form-foot">
          <button type="submit" className="button button-primary" disabled={loading}>
            {loading ? 'Saving…' : 'Renew promise'}
          </button>
        </div>
      </form>
    </SidePanel>
  );
}

/** "Done" on an undone resubmission row (once: the server answers CONFLICT after). */
export function ResubmissionTasks({ resubmission: r }: { resubmission: Customer['resubmissions'][number] }): ReactElement | null {
  const { role } = useViewer();
  const [done, { loading }] = useMutation(RESUBMISSION_DONE_MUTATION, { refetchQueries: REFETCH });
  const [problem, setProblem] = useState<string | null>(null);
  if (r.done || !mayCall(role, COLLECTORS)) return null;
  return (
    <div className="tasks-row-actions">
      {problem && (
        <span className="work-error" role="alert">
          {problem}
        </span>
      )}
      <button
        type="button"
        className="button"
        disabled={loading}
        aria-label={`Mark resubmission of ${r.resubmissionDate} done`}
        onClick={() => {
          setProblem(null);
          done({ variables: { id: r.id } }).catch((e: unknown) => setProblem(errorMessage(e)));
        }}
      >
        {loading ? 'Saving…' : 'Done'}
      </button>
    </div>
  );
}
