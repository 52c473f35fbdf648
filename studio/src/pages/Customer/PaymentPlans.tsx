import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Money } from '../../components/Money';
import { graphql } from '../../gql';
import type { PlanFrequency, StudioPaymentPlansQuery } from '../../gql/graphql';
import type { Customer } from '../../lib/customers';
import { today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { COLLECTORS, mayCall } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import { SidePanel } from '../../components/SidePanel';
import '../Organisation/organisation.css';

export const PLAN_FIELDS = graphql(`
  fragment StudioPlanFields on PaymentPlanView {
    id
    externalId
    createdDate
    firstDate
    frequency
    installmentCount
    currency
    principal
    interest
    totalAmount
    status
    cancelledDate
    itemIds
    installments {
      id
      seq
      dueDate
      amount
      paid
      status
    }
  }
`);

const PLANS_QUERY = graphql(`
  query StudioPaymentPlans($partnerId: ID!) {
    paymentPlans(partnerId: $partnerId) {
      ...StudioPlanFields
    }
  }
`);

const CREATE_PLAN_MUTATION = graphql(`
  mutation StudioCreatePaymentPlan($input: PaymentPlanInput!) {
    createPaymentPlan(input: $input) {
      plan {
        ...StudioPlanFields
      }
    }
  }
`);

const CANCEL_PLAN_MUTATION = graphql(`
  mutation StudioCancelPaymentPlan($id: ID!, $cancelledDate: Date!) {
    cancelPaymentPlan(id: $id, cancelledDate: $cancelledDate) {
      plan {
        ...StudioPlanFields
      }
    }
  }
`);

/** The plans, and the figures that read them (the 360's promised amounts, the list's). */
const REFETCH = ['StudioPaymentPlans', 'StudioCustomer', 'StudioMyWorklistSummary'];

type Plan = StudioPaymentPlansQuery['paymentPlans'][number];

const label = (s: string) => s.toLowerCase().replace('_', ' ');

/** The partner's payment plans with their installments, and a new plan over chosen open items. */
export function PaymentPlans({ customer: c }: { customer: Customer }): ReactElement {
  const { role } = useViewer();
  const canWrite = mayCall(role, COLLECTORS);
  const { data, error } = useQuery(PLANS_QUERY, { variables: { partnerId: c.partnerId } });
  const [creating, setCreating] = useState(false);
  const plans = data?.paymentPlans ?? [];
  return (
    <section className="card table-card work-section" aria-label="Payment plans">
      <div className="card-header">
        <h2>
          Payment plans <span className="work-count">{plans.length}</span>
        </h2>
        {canWrite && (
          <button type="button" className="button" onClick={() => setCreating(true)} disabled={c.openItems.edges.length === 0}>
            New plan
          </button>
        )}
      </div>
      {error && (
        <p className="work-error" role="alert">
          {error.message}
        </p>
      )}
      {data && plans.length === 0 && <p className="empty">None.</p>}
      {plans.map((p) => (
        <PlanView key={p.id} plan={p} canCancel={canWrite} />
      ))}
      {creating && <NewPlanPanel customer={c} onClose={() => setCreating(false)} />}
    </section>
  );
}

function PlanView({ plan: p, canCancel }: { plan: Plan; canCancel: boolean }): ReactElement {
  const [cancel, { loading }] = useMutation(CANCEL_PLAN_MUTATION, { refetchQueries: REFETCH });
  const [problem, setProblem] = useState<string | null>(null);
  const now = today();
  // The first installment not yet settled is the one the customer pays next.
  const next = p.installments.find((i) => i.status === 'OPEN');
  return (
    <div className="tasks-plan" aria-label={`Plan ${p.externalId}`} role="group">
      <div className="tasks-plan-head">
        <div>
          <span className={`work-status s-${p.status.toLowerCase()}`}>{label(p.status)}</span> <Money amount={p.totalAmount} currency={p.currency} /> in{' '}
          {p.installmentCount} {p.frequency === 'WEEKLY' ? 'weekly' : 'monthly'} installments from {p.firstDate}
          <span className="muted"> · made {p.createdDate}</span>
          {p.cancelledDate && <span className="muted"> · cancelled {p.cancelledDate}</span>}
        </div>
        {canCancel && (p.status === 'ACTIVE' || p.status === 'BROKEN') && (
          <button
            type="button"
            className="button"
            disabled={loading}
            aria-label={`Cancel plan ${p.externalId}`}
            onClick={() => {
              setProblem(null);
              cancel({ variables: { id: p.id, cancelledDate: now } }).catch((e: unknown) => setProblem(errorMessage(e)));
            }}
          >
            {loading ? 'Cancelling…' : 'Cancel plan'}
          </button>
        )}
      </div>
      {problem && (
        <p className="work-error" role="alert">
          {problem}
        </p>
      )}
      <div className="table-scroll" tabIndex={0}>
        <table className="table work-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Due</th>
              <th className="num">Amount</th>
              <th className="num">Paid</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {p.installments.map((i) => (
              <tr key={i.id} className={i === next ? 'tasks-next' : undefined}>
                <td>{i.seq}</td>
                <td>
                  <span className="work-cell-date">{i.dueDate}</span>
                  {/* An open installment at or past its date is due now; the next one otherwise. */}
                  {i.status === 'OPEN' && i.dueDate <= now ? (
                    <span className="work-tag tasks-due">due</span>
                  ) : i === next ? (
                    <span className="muted"> next</span>
                  ) : null}
                </td>
                <td className="num">
                  <Money amount={i.amount} currency={p.currency} />
                </td>
                <td className="num">
                  <Money amount={i.paid} currency={p.currency} />
                </td>
                <td>
                  <span className={`work-status s-${i.status.toLowerCase()}`}>{label(i.status)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Items (one currency, the page of open items shown), installment count, weekly or monthly, first date. */
function NewPlanPanel({ customer: c, onClose }: { customer: Customer; onClose: () => void }): ReactElement {
  const items = c.openItems.edges.map((e) => e.node);
  const [chosen, setChosen] = useState<string[]>([]);
  const [count, setCount] = useState('3');
  const [frequency, setFrequency] = useState<PlanFrequency>('MONTHLY');
  const [firstDate, setFirstDate] = useState(today());
  const [problem, setProblem] = useState<string | null>(null);
  const [create, { loading }] = useMutation(CREATE_PLAN_MUTATION, { refetchQueries: REFETCH });
  // A plan has one currency: once an item is chosen, items in other currencies cannot join.
  const currency = items.find((i) => chosen.includes(i.id))?.currency ?? null;
  const total = items.filter((i) => chosen.includes(i.id)).reduce((n, i) => n + Number(i.openAmount), 0);
  return (
    <SidePanel title="New payment plan" onClose={onClose}>
      <form
        className="work-form"
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(null);
          const input = { partnerId: c.partnerId, itemIds: chosen, installmentCount: Number(count), frequency, firstDate, createdDate: today() };
          create({ variables: { input } })
            .then(() => onClose())
            .catch((err: unknown) => setProblem(errorMessage(err)));
        }}
      >
        <fieldset className="work-radios tasks-items">
          <legend>Items</legend>
          {items.map((i) => (
            <label key={i.id} className="work-check">
              <input
                type="checkbox"
                checked={chosen.includes(i.id)}
                disabled={currency !== null && i.currency !== currency}
                onChange={(e) => setChosen((s) => (e.target.checked ? [...s, i.id] : s.filter((x) => x !== i.id)))}
              />
              <span className="segment-key">{i.externalId}</span> due {i.dueDate} · <Money amount={i.openAmount} currency={i.currency} />
            </label>
          ))}
        </fieldset>
        {currency && (
          <p className="work-hint">
            Principal <Money amount={total.toFixed(2)} currency={currency} />
          </p>
        )}
        <div className="tasks-plan-row">
          <label className="work-field">
            Installments
            <input type="number" min={1} max={120} value={count} onChange={(e) => setCount(e.target.value)} required />
          </label>
          <label className="work-field">
            Every
            <select value={frequency} onChange={(e) => setFrequency(e.target.value as PlanFrequency)}>
              <option value={'MONTHLY'}>month</option>
              <option value={'WEEKLY'}>week</option>
            </select>
          </label>
          <label className="work-field">
            First date
            <input type="date" value={firstDate} onChange={(e) => setFirstDate(e.target.value)} required />
          </label>
        </div>
        {problem && (
          <p className="work-error" role="alert">
            {problem}
          </p>
        )}
        <div className="work-form-foot">
          <button type="submit" className="button button-primary" disabled={loading || chosen.length === 0}>
            {loading ? 'Saving…' : 'Create plan'}
          </button>
        </div>
      </form>
    </SidePanel>
  );
}
