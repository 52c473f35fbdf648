import { useState, type ReactElement, type ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { ActionPanel, type ActionOutcome } from '../../components/ActionPanel';
import { Money } from '../../components/Money';
import { Amounts, ItemState, Prio, Score, WhyPriority } from '../../components/WorkItem';
import type { WorkItemFieldsFragment } from '../../gql/graphql';
import { CUSTOMER_QUERY, keptPromises, type Customer } from '../../lib/customers';
import { codeWords } from '../../lib/format';
import { customerPath } from '../../lib/paths';
import { ResubmissionTasks } from '../Customer/RowTasks';

/** A partner opened from the list: its item, what is open, and the forms to record what happened. */
export function PartnerPanel({ item, done, onClose }: { item: WorkItemFieldsFragment; done: boolean; onClose: () => void }): ReactElement {
  const { data, loading, error } = useQuery(CUSTOMER_QUERY, { variables: { partnerId: item.partnerId, explain: true } });
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const c = data?.customer;

  return (
    <aside className="card work-panel" aria-label={`Partner ${item.partner.name}`}>
      <PanelHead item={item} onClose={onClose} />
      <PanelItem item={item} done={done} />
      {outcome && (
        <div className={`work-toast${outcome.completed ? ' is-done' : ''}`} role="status">
          {outcome.message}
          {!outcome.item && !outcome.completed && <> The partner is no longer on the list.</>}
        </div>
      )}
      {error && (
        <div className="notice" role="alert">
          {error.message}
        </div>
      )}
      {loading && !c && <div className="skeleton skeleton-row" />}
      {c && (
        <>
          <PartnerFacts customer={c} />
          {c.worklistItem?.explanation && <WhyPriority rules={c.worklistItem.explanation.rules} currency={item.currency ?? c.partner.currency} />}
          <ActionPanel partnerId={item.partnerId} items={c.openItems.edges.map((e) => e.node)} currency={c.partner.currency} onDone={setOutcome} />
          <RecentActivity customer={c} />
        </>
      )}
    </aside>
  );
}

function PanelHead({ item, onClose }: { item: WorkItemFieldsFragment; onClose: () => void }): ReactElement {
  return (
    <header className="work-panel-head">
      <div className="work-panel-title">
        <Prio priority={item.priority} /> <h2>{item.partner.name}</h2>
      </div>
      <button type="button" className="work-close" aria-label="Close" onClick={onClose}>
        ×
      </button>
      <div className="segment-key">
        {item.partner.externalId} · {item.partner.customerType.toLowerCase()}
        {item.partner.riskClass ? ` · risk ${item.partner.riskClass}` : ''}
      </div>
      <Link className="button" to={customerPath(item.partnerId)}>
        Customer 360 →
      </Link>
    </header>
  );
}

/** The item's score, state and amounts, and the rules that fired. */
function PanelItem({ item, done }: { item: WorkItemFieldsFragment; done: boolean }): ReactElement {
  return (
    <div className="work-panel-item" data-state={done ? 'done' : item.revaluatedAt ? 'revaluated' : 'open'}>
      <div className="work-panel-score">
        <Score item={item} />
        <ItemState item={item} done={done} />
      </div>
      <Amounts item={item} />
      {item.firedRules.length > 0 && (
        <div className="rule-chips">
          {item.firedRules.map((r) => (
            <span key={r.name} className={`rule-chip${r.points < 0 ? ' is-negative' : ''}`}>
              {r.name}{' '}
              <b>
                {r.points > 0 ? '+' : ''}
                {r.points}
              </b>
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

/** Open amount, credit limit, last contact and kept promises, in one line. */
function PartnerFacts({ customer: c }: { customer: Customer }): ReactElement {
  const kept = keptPromises(c);
  return (
    <div className="work-panel-facts">
      <span>
        Open{' '}
        <b>
          <Money amount={c.credit.openAmount} currency={c.credit.currency} />
        </b>
      </span>
      <span>
        Limit <b>{c.credit.creditLimit ? <Money amount={c.credit.creditLimit} currency={c.credit.currency} /> : '–'}</b>
      </span>
      <span>
        Last contact <b>{c.keyFigures.daysSinceLastContact ?? '–'} d</b>
      </span>
      <span>
        Kept promises <b>{[kept.share, kept.open].filter(Boolean).join(' · ')}</b>
      </span>
    </div>
  );
}

interface ActivityEvent {
  key: string;
  date: string;
  text: ReactNode;
  /** A status, result or state, shown as a tag. */
  tag: string;
  /** What can be done with it here (an undone resubmission: mark it done). */
  action?: ReactNode;
}

/** The newest promises, contacts, disputes and resubmissions, newest first: eight at most. */
function recentEvents(c: Customer): ActivityEvent[] {
  return [
    ...c.promises.slice(0, 4).map((p) => ({
      key: `p${p.id}`,
      date: p.createdDate,
      text: (
        <>
          Promise <Money amount={p.amount} currency={p.currency} /> by {p.promisedDate}
        </>
      ),
      tag: p.status,
    })),
    ...c.contacts.slice(0, 4).map((x) => ({
      key: `c${x.id}`,
      date: x.contactDate,
      text: (
        <>
          {x.channel.toLowerCase()} {x.direction.toLowerCase()}
          {x.reached ? '' : ' (not reached)'}
        </>
      ),
      tag: x.result ?? '',
    })),
    ...c.disputes.slice(0, 3).map((d) => ({
      key: `d${d.id}`,
      date: d.createdDate,
      text: (
        <>
          Dispute <Money amount={d.disputedAmount} currency={d.currency} />
          {d.reason ? `: ${codeWords(d.reason)}` : ''}
        </>
      ),
      tag: d.status,
    })),
    ...c.resubmissions.slice(0, 3).map((r) => ({
      key: `r${r.id}`,
      date: r.resubmissionDate,
      text: <>Resubmission: {r.reason}</>,
      tag: r.done ? 'DONE' : r.due ? 'DUE' : 'PLANNED',
      action: <ResubmissionTasks resubmission={r} />,
    })),
  ]
    .sort((a, b) => b.date.localeCompare(a.date))
    .slice(0, 8);
}

function RecentActivity({ customer: c }: { customer: Customer }): ReactElement {
  const events = recentEvents(c);
  return (
    <section className="work-activity">
      <h3>Recent activity</h3>
      {events.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <ul>
          {events.map((e) => (
            <li key={e.key}>
              <span className="work-date">{e.date}</span>
              <span>{e.text}</span>
              {e.tag && <span className={`work-status is-words s-${e.tag.toLowerCase()}`}>{codeWords(e.tag)}</span>}
              {e.action}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
