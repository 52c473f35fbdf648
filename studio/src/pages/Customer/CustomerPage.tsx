import { useState, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { ActionOutcome } from '../../components/ActionPanel';
import { ItemState, Prio } from '../../components/WorkItem';
import { CUSTOMER_QUERY, type Customer } from '../../lib/customers';
import { CUSTOMERS_PATH } from '../../lib/paths';
import { useSearchParam } from '../../lib/searchParams';
import { isDone } from '../../lib/worklists';
import { CustomerRecovery } from '../Agencies/CustomerRecovery';
import { CustomerFigures } from './CustomerFigures';
import { AgingPicture, CustomerHistory, OpenItems } from './CustomerRecords';
import { WorklistSide } from './WorklistSide';
import '../../components/work.css';
import './customer.css';

/** /customers/ID (or /customers/ext:EXTERNAL_ID): the customer 360; ?after=CURSOR pages its open items. */
export function CustomerPage(): ReactElement {
  const { id = '' } = useParams();
  return <Customer360 key={id} id={id} />;
}

/** Who the customer is, their key figures, what is open and what happened, and their worklist item with why and what to record. */
function Customer360({ id }: { id: string }): ReactElement {
  const { customer: c, error, loading, showPage } = useCustomer360(id);
  // What the last action recorded; kept while another page of open items loads.
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);

  if (error)
    return (
      <main className="main work-main">
        <div className="notice" role="alert">
          {error.message}
        </div>
      </main>
    );
  if (!c)
    return (
      <main className="main work-main">
        {loading && (
          <>
            <div className="skeleton skeleton-label" />
            <div className="skeleton skeleton-row" />
            <div className="skeleton skeleton-row" />
          </>
        )}
      </main>
    );

  return (
    <main className="main work-main work-360">
      <CustomerHeader customer={c} />
      <CustomerFigures customer={c} />
      <div className="work-360-grid">
        <div className="work-360-main">
          <AgingPicture aging={c.aging} currency={c.credit.currency} />
          <OpenItems c={c} onMore={showPage} />
          <CustomerRecovery partnerId={c.partnerId} />
          <CustomerHistory customer={c} />
        </div>
        <WorklistSide customer={c} outcome={outcome} onDone={setOutcome} />
      </div>
    </main>
  );
}

/** The customer by id or by external id (ext:…), with the page of open items ?after= names. */
function useCustomer360(id: string): {
  customer: Customer | undefined;
  error: { message: string } | undefined;
  loading: boolean;
  showPage: (after: string | null) => void;
} {
  const [after, setAfter] = useSearchParam('after');
  const external = id.startsWith('ext:') ? id.slice(4) : null;
  const { data, error, loading } = useQuery(CUSTOMER_QUERY, {
    variables: external ? { externalId: external, explain: true, after } : { partnerId: id, explain: true, after },
  });
  return { customer: data?.customer, error, loading, showPage: (cursor) => setAfter(cursor) };
}

function CustomerHeader({ customer: c }: { customer: Customer }): ReactElement {
  const item = c.worklistItem;
  return (
    <header className="page-header">
      <div>
        <div className="work-crumbs">
          <BackLink />
        </div>
        <h1>{c.partner.name}</h1>
        <p className="subtitle">
          <span className="segment-key work-inline">{c.partner.externalId}</span> · {c.partner.customerType.toLowerCase()} · {c.partner.country} · segment{' '}
          {c.partner.segment}
          {c.partner.specialist ? ` · fixed specialist ${c.partner.specialist.name}` : ''} · at {c.asOf}
        </p>
        <p className="subtitle work-recency">
          Last contact {daysAgo(c.keyFigures.daysSinceLastContact)} · last payment {daysAgo(c.keyFigures.daysSinceLastPayment)}
        </p>
      </div>
      {item && (
        <div className="page-actions">
          <Prio priority={item.priority} />
          <ItemState item={item} done={isDone(item)} />
        </div>
      )}
    </header>
  );
}

/** Days before the key date in words ("never" when nothing happened on or before it). */
const daysAgo = (days: number | null) => (days == null ? 'never' : days === 0 ? 'today' : `${days} d ago`);

/** Back where the person came from, or to the customer search when the 360 was opened directly. */
function BackLink(): ReactElement {
  const navigate = useNavigate();
  const location = useLocation();
  // The first entry of this tab has the key "default": there is nothing of the studio's to go back to.
  const canGoBack = location.key !== 'default';
  return (
    <Link
      to={CUSTOMERS_PATH}
      onClick={(e) => {
        if (canGoBack) {
          e.preventDefault();
          void navigate(-1);
        }
      }}
    >
      ← Back
    </Link>
  );
}
