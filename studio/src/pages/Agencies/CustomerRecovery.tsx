import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { Money } from '../../components/Money';
import { SidePanel } from '../../components/SidePanel';
import type { RecoveryLegalCaseFieldsFragment, RecoveryPlacementFieldsFragment } from '../../gql/graphql';
import { today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { recoveryPath, withSearch } from '../../lib/paths';
import { mayCall, SUPERVISORS } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import { RecallForm } from './Placements';
import { ADD_LEGAL_COST, CHANGE_LEGAL_CASE, CUSTOMER_RECOVERY_QUERY, OPEN_LEGAL_CASE } from './queries';
import './recovery.css';

const REFETCH = ['StudioCustomerRecovery', 'StudioCustomer'];
const NEXT: Record<string, string[]> = {
  PREPARED: ['FILED', 'CLOSED'],
  FILED: ['JUDGMENT', 'CLOSED'],
  JUDGMENT: ['ENFORCEMENT', 'CLOSED'],
  ENFORCEMENT: ['CLOSED'],
};
const OUTCOMES = ['PAID', 'SETTLED', 'WON_UNCOLLECTIBLE', 'LOST', 'WITHDRAWN'];

/**
 * The customer 360's debt recovery: the agency the partner is placed with (since when, which
 * items, what is still open) and its legal cases; supervisors recall, open and move cases on.
 * Says nothing when the partner is neither placed nor in court and the viewer may not act.
 */
export function CustomerRecovery({ partnerId }: { partnerId: string }): ReactElement | null {
  const { role } = useViewer();
  const supervise = mayCall(role, SUPERVISORS);
  const { data, error } = useQuery(CUSTOMER_RECOVERY_QUERY, { variables: { partnerId }, fetchPolicy: 'cache-and-network' });
  const [panel, setPanel] = useState<Panel>(null);
  if (error) return null;
  const c = data?.customer;
  if (!c || (!c.placement && c.legalCases.length === 0 && !supervise)) return null;
  const openCase = c.legalCases.find((l) => l.status !== 'CLOSED');
  return (
    <section className="card table-card work-section recovery-360" aria-label="Debt recovery">
      <div className="card-header">
        <h2>Debt recovery</h2>
        {supervise && (c.placement || !openCase) && (
          <span className="recovery-actions">
            {c.placement && (
              <button type="button" className="button" onClick={() => setPanel({ kind: 'recall', placement: c.placement! })}>
                Recall…
              </button>
            )}
            {!openCase && (
              <button type="button" className="button" onClick={() => setPanel({ kind: 'open' })}>
                Open a legal case…
              </button>
            )}
          </span>
        )}
      </div>
      {c.placement ? (
        <PlacementBlock placement={c.placement} />
      ) : (
        <p className="recovery-none muted">
          Not placed with a collection agency.{' '}
          {supervise && !openCase && (
            <Link className="work-link" to={recoveryPath()}>
              Review the placement proposal
            </Link>
          )}
        </p>
      )}
      {c.legalCases.map((l) => (
        <LegalBlock
          key={l.id}
          legal={l}
          supervise={supervise}
          onChange={() => setPanel({ kind: 'change', legal: l })}
          onCost={() => setPanel({ kind: 'cost', legal: l })}
        />
      ))}
      {panel?.kind === 'recall' && <RecallForm placement={panel.placement} onClose={() => setPanel(null)} />}
      {panel?.kind === 'open' && <OpenCaseForm partnerId={partnerId} onClose={() => setPanel(null)} />}
      {panel?.kind === 'change' && <ChangeCaseForm legal={panel.legal} onClose={() => setPanel(null)} />}
      {panel?.kind === 'cost' && <CostForm legal={panel.legal} onClose={() => setPanel(null)} />}
    </section>
  );
}

type Panel =
  | null
  | { kind: 'recall'; placement: RecoveryPlacementFieldsFragment }
  | { kind: 'open' }
  | { kind: 'change'; legal: RecoveryLegalCaseFieldsFragment }
  | { kind: 'cost'; legal: RecoveryLegalCaseFieldsFragment };

function PlacementBlock({ placement: p }: { placement: RecoveryPlacementFieldsFragment }): ReactElement {
  const held = p.items.filter((i) => i.held);
  return (
    <div className="recovery-block" data-placement={p.agency}>
      <p className="recovery-block-head">
        <span className="org-pill is-warn">Placed</span> with <strong>{p.agency}</strong> since {p.placedOn} <span className="muted">by {p.placedBy}</span>
        {' · '}
        <Link className="work-link" to={withSearch(recoveryPath('placements'), { agency: p.agency })}>
          the agency&apos;s placements
        </Link>
      </p>
      <table className="table work-table">
        <thead>
          <tr>
            <th>Item</th>
            <th>Due</th>
            <th className="num">Placed</th>
            <th className="num">Open now</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {p.items.map((i) => (
            <tr key={i.itemId}>
              <td>
                <span className="segment-key">{i.externalId}</span>
              </td>
              <td>{i.dueDate}</td>
              <td className="num">
                <Money amount={i.placedAmount} currency={i.currency} />
              </td>
              <td className="num">
                <Money amount={i.openAmount} currency={i.currency} />
              </td>
              <td>{i.held ? 'with the agency' : 'cleared'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted recovery-note">
        {held.length} item{held.length === 1 ? '' : 's'} with the agency: off the worklist and out of dunning until recalled or cleared.
      </p>
    </div>
  );
}

function LegalBlock({
  legal: l,
  supervise,
  onChange,
  onCost,
}: {
  legal: RecoveryLegalCaseFieldsFragment;
  supervise: boolean;
  onChange: () => void;
  onCost: () => void;
}): ReactElement {
  const open = l.status !== 'CLOSED';
  return (
    <div className="recovery-block" data-legal-case={l.id}>
      <p className="recovery-block-head">
        <span className={`org-pill ${open ? 'is-warn' : 'is-off'}`}>Legal · {l.status.toLowerCase()}</span> opened {l.openedOn}
        {l.reference && <span className="muted"> · ref. {l.reference}</span>}
        {l.closedOn && (
          <span>
            {' '}
            · closed {l.closedOn} ({l.outcome?.toLowerCase().replace(/_/g, ' ')})
          </span>
        )}
        {supervise && open && (
          <span className="recovery-block-action">
            <button type="button" className="button" onClick={onCost}>
              Record a cost…
            </button>{' '}
            <button type="button" className="button" onClick={onChange}>
              Move on…
            </button>
          </span>
        )}
      </p>
      <p className="recovery-note">
        Items:{' '}
        {l.items.map((i, n) => (
          <span key={i.itemId}>
            {n > 0 && ', '}
            <span className="segment-key work-inline">{i.externalId}</span> <Money amount={i.amount} currency={i.currency} />
          </span>
        ))}
      </p>
      {l.costs.length > 0 && (
        <p className="recovery-note">
          Costs charged:{' '}
          {l.costs.map((k, n) => (
            <span key={k.id}>
              {n > 0 && ', '}
              {k.costDate} {k.kind} <Money amount={k.amount} currency={k.currency} />
            </span>
          ))}
        </p>
      )}
    </div>
  );
}

function PanelForm({
  title,
  busy,
  submit,
  label,
  onClose,
  children,
}: {
  title: string;
  busy: boolean;
  submit: () => Promise<unknown>;
  label: string;
  onClose: () => void;
  children: ReactElement | ReactElement[];
}): ReactElement {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <SidePanel title={title} onClose={onClose}>
      <form
        className="org-form"
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(null);
          submit()
            .then(() => onClose())
            .catch((err: unknown) => setProblem(errorMessage(err)));
        }}
      >
        {children}
        {problem && (
          <div className="org-problem" role="alert">
            <p>{problem}</p>
          </div>
        )}
        <div className="org-form-foot">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : label}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </SidePanel>
  );
}

function OpenCaseForm({ partnerId, onClose }: { partnerId: string; onClose: () => void }): ReactElement {
  const [openedOn, setOpenedOn] = useState(today());
  const [reference, setReference] = useState('');
  const [run, { loading }] = useMutation(OPEN_LEGAL_CASE, { refetchQueries: REFETCH });
  return (
    <PanelForm
      title="Open a legal case"
      label="Open the case"
      busy={loading}
      onClose={onClose}
      submit={() => run({ variables: { input: { partnerId, openedOn, reference: reference.trim() || null } } })}
    >
      <p className="muted">Every open item not placed or under another case goes to court: it leaves the worklist, dunning and placement.</p>
      <label className="work-field">
        Opened on
        <input type="date" value={openedOn} onChange={(e) => setOpenedOn(e.target.value)} required />
      </label>
      <label className="work-field">
        Court reference or lawyer&apos;s file (optional)
        <input value={reference} onChange={(e) => setReference(e.target.value)} />
      </label>
    </PanelForm>
  );
}

function ChangeCaseForm({ legal, onClose }: { legal: RecoveryLegalCaseFieldsFragment; onClose: () => void }): ReactElement {
  const options = NEXT[legal.status] ?? [];
  const [status, setStatus] = useState(options[0] ?? 'CLOSED');
  const [changedOn, setChangedOn] = useState(today());
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [run, { loading }] = useMutation(CHANGE_LEGAL_CASE, { refetchQueries: REFETCH });
  return (
    <PanelForm
      title={`Legal case · ${legal.status.toLowerCase()}`}
      label={status === 'CLOSED' ? 'Close the case' : `Move to ${status.toLowerCase()}`}
      busy={loading}
      onClose={onClose}
      submit={() =>
        run({
          variables: {
            input: {
              caseId: legal.id,
              status,
              changedOn,
              outcome: status === 'CLOSED' ? outcome || null : null,
              note: note.trim() || null,
              version: legal.version,
            },
          },
        })
      }
    >
      <label className="work-field">
        Next state
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {o.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label className="work-field">
        On
        <input type="date" value={changedOn} onChange={(e) => setChangedOn(e.target.value)} required />
      </label>
      {status === 'CLOSED' ? (
        <label className="work-field">
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.target.value)} required>
            <option value="">Choose…</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o.toLowerCase().replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <></>
      )}
      <label className="work-field">
        Note (optional)
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
      </label>
    </PanelForm>
  );
}

function CostForm({ legal, onClose }: { legal: RecoveryLegalCaseFieldsFragment; onClose: () => void }): ReactElement {
  const [costDate, setCostDate] = useState(today());
  const [kind, setKind] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(legal.items[0]?.currency ?? '');
  const [run, { loading }] = useMutation(ADD_LEGAL_COST, { refetchQueries: REFETCH });
  return (
    <PanelForm
      title="Record a legal cost"
      label="Record the cost"
      busy={loading}
      onClose={onClose}
      submit={() => run({ variables: { input: { caseId: legal.id, costDate, kind, amount: amount.trim(), currency } } })}
    >
      <p className="muted">Charged to the partner on the case.</p>
      <label className="work-field">
        Day
        <input type="date" value={costDate} onChange={(e) => setCostDate(e.target.value)} required />
      </label>
      <label className="work-field">
        What (court fee, lawyer, bailiff, …)
        <input value={kind} onChange={(e) => setKind(e.target.value)} required />
      </label>
      <label className="work-field">
        Amount
        <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required />
      </label>
      <label className="work-field">
        Currency
        <input value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} maxLength={3} required />
      </label>
    </PanelForm>
  );
}
