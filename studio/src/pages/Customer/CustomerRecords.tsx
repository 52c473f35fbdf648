import { useState, type ReactElement, type ReactNode } from 'react';
import { Money } from '../../components/Money';
import { codeWords, statusWords } from '../../lib/format';
import type { Customer } from '../../lib/customers';
import { DisputePanel } from './DisputePanel';
import { PaymentPlans } from './PaymentPlans';
import { PromiseTasks, ResubmissionTasks } from './RowTasks';
import './tasks.css';

type Bucket = Customer['aging'][number];

/** Adds the amounts of a bucket across currencies: only to scale the bars, never shown. */
const sizeOf = (amounts: Bucket['amounts']) => amounts.reduce((n, a) => n + Number(a.amount), 0);

/**
 * The open amount by days overdue, one column per ageing bucket. The items held at the key date
 * (with an agency or in a legal case) are not in the open amount: each bar shows them as a hatched
 * segment on top of the worked part and says their amount apart, as the Open figure's held line does.
 */
export function AgingPicture({ aging, currency }: { aging: Customer['aging']; currency: string }): ReactElement {
  const max = Math.max(1, ...aging.map((b) => sizeOf(b.amounts) + sizeOf(b.heldAmounts)));
  const worked = aging.reduce((n, b) => n + b.items, 0);
  const held = aging.reduce((n, b) => n + b.heldItems, 0);
  return (
    <section className="card work-section" aria-label="Ageing">
      <div className="mix-head">
        <h2>Ageing</h2>
        <span className="muted">
          open amount by days overdue
          {held > 0 && (
            <span className="work-aging-key">
              <i className="work-aging-swatch" aria-hidden="true" /> held
            </span>
          )}
        </span>
      </div>
      <div className="work-aging">
        {aging.map((b, i) => (
          <div key={b.label} className="work-aging-col">
            <div className="work-aging-amount">
              {b.amounts.length ? (
                b.amounts.map((a) => (
                  <div key={a.currency}>
                    <Money amount={a.amount} currency={a.currency} />
                  </div>
                ))
              ) : (
                <span className="muted">–</span>
              )}
              {b.heldAmounts.map((a) => (
                <div key={a.currency} className="work-aging-held">
                  + <Money amount={a.amount} currency={a.currency} /> held
                </div>
              ))}
            </div>
            <div className="work-aging-track">
              {b.heldItems > 0 && (
                <span
                  className="work-aging-bar is-held"
                  style={{ height: `${(sizeOf(b.heldAmounts) / max) * 100}%` }}
                  title={`${b.heldItems} held item${b.heldItems === 1 ? '' : 's'}: with an agency or in a legal case`}
                />
              )}
              {/* The worked part, a thin line when none, unless a held part stands there instead. */}
              {(b.items > 0 || b.heldItems === 0) && (
                <span
                  className={`work-aging-bar a-${Math.min(i, 4)}${b.heldItems > 0 ? ' is-under' : ''}`}
                  style={{ height: `${(sizeOf(b.amounts) / max) * 100}%` }}
                />
              )}
            </div>
            <div className="work-aging-label">{b.label}</div>
            <div className="segment-key">
              {b.items} item{b.items === 1 ? '' : 's'}
              {b.heldItems > 0 && <span className="work-aging-held"> + {b.heldItems} held</span>}
            </div>
          </div>
        ))}
      </div>
      {worked === 0 &&
        (held > 0 ? (
          <p className="work-aging-note">
            Nothing open for in-house collection: {held} held item{held === 1 ? ' is' : 's are'} worked by an agency or a legal case.
          </p>
        ) : (
          <p className="muted">Nothing open in {currency}.</p>
        ))}
    </section>
  );
}

/** A page of the open items, oldest due first. */
export function OpenItems({ c, onMore }: { c: Customer; onMore: (after: string | null) => void }): ReactElement {
  const rows = c.openItems.edges.map((e) => e.node);
  // Held items are listed (they are still open) but worked elsewhere: say so where their count is.
  const held = rows.filter((i) => i.heldBy).length;
  const extra = [held > 0 ? `${held} held: not in the open amount` : null, c.openItems.pageInfo.hasNextPage ? 'more on the next page' : null]
    .filter(Boolean)
    .join('; ');
  return (
    <Section title="Open items" count={rows.length} extra={extra || undefined}>
      <Table
        // One amount column: the open amount, with the original under it only when part was paid (both Decimal strings of 4 places).
        head={['Item', 'Due', 'Overdue', 'Open', 'Dunning', 'Status']}
        numeric={[3]}
        rows={rows.map((i) => [
          <span className="segment-key">{i.externalId}</span>,
          i.dueDate,
          <span className={`work-days${i.daysOverdue > 0 ? ' is-overdue' : ''}`}>{i.daysOverdue > 0 ? `${i.daysOverdue} d` : 'not due'}</span>,
          <>
            <Money amount={i.openAmount} currency={i.currency} />
            {i.openAmount !== i.amount && (
              <span className="work-of-amount">
                of <Money amount={i.amount} currency={i.currency} />
              </span>
            )}
          </>,
          // The level as the dunning history below shows it.
          <span className="work-nowrap">
            <span className={`work-level l-${Math.min(i.dunningLevel, 4)}`}>{i.dunningLevel}</span>
            {i.dunningBlock ? ' blocked' : ''}
          </span>,
          <span className="work-nowrap">
            {i.disputed && <span className="work-tag">disputed</span>}
            {i.heldBy && <HeldTag kind={i.heldBy} />}
          </span>,
        ])}
      />
      <div className="table-foot work-pager">
        <button type="button" className="button" onClick={() => onMore(null)}>
          First page
        </button>
        <button type="button" className="button" disabled={!c.openItems.pageInfo.hasNextPage} onClick={() => onMore(c.openItems.pageInfo.endCursor)}>
          Next page →
        </button>
      </div>
    </Section>
  );
}

/** Which hold works the item at the key date, in the open amount's place: the agency or the legal case. */
function HeldTag({ kind }: { kind: NonNullable<Customer['openItems']['edges'][number]['node']['heldBy']> }): ReactElement {
  return (
    <span
      className="work-tag work-held-tag"
      title={kind === 'PLACEMENT' ? 'Placed with a collection agency: not in the open amount' : 'In a legal case: not in the open amount'}
    >
      {kind === 'PLACEMENT' ? 'Agency' : 'Legal'}
    </span>
  );
}

/** What happened with the customer: promises, payments, disputes, contacts, resubmissions and dunning. */
export function CustomerHistory({ customer: c }: { customer: Customer }): ReactElement {
  // The dispute whose workflow panel is open.
  const [disputeId, setDisputeId] = useState<string | null>(null);
  return (
    <>
      <Section title="Promises" count={c.promises.length}>
        <Table
          head={['Promised for', 'Made', 'Amount', 'Paid', 'Status', '']}
          rows={c.promises.map((p) => [
            p.promisedDate,
            p.createdDate,
            <Money amount={p.amount} currency={p.currency} />,
            <Money amount={p.paid} currency={p.currency} />,
            <Status s={p.status} />,
            <PromiseTasks promise={p} />,
          ])}
        />
      </Section>
      <PaymentPlans customer={c} />
      <Section title="Payments" count={c.payments.length}>
        <Table
          head={['Date', 'Payment', 'Amount']}
          rows={c.payments.map((p) => [p.paymentDate, <span className="segment-key">{p.externalId}</span>, <Money amount={p.amount} currency={p.currency} />])}
        />
      </Section>
      <Section title="Disputes" count={c.disputes.length}>
        <Table
          head={['Opened', 'Reason', 'Amount', 'Status']}
          rows={c.disputes.map((d) => [
            d.createdDate,
            d.reason ? codeWords(d.reason) : '–',
            <Money amount={d.disputedAmount} currency={d.currency} />,
            // The row opens the panel too; the status button is the keyboard's way in.
            <button type="button" className="tasks-status-button" onClick={() => setDisputeId(d.id)} aria-label={`Work dispute ${d.externalId}`}>
              <Status s={d.status} /> <span aria-hidden="true">›</span>
            </button>,
          ])}
          onRow={(j) => setDisputeId(c.disputes[j]!.id)}
        />
      </Section>
      {disputeId && <DisputePanel disputeId={disputeId} onClose={() => setDisputeId(null)} />}
      <Section title="Contacts" count={c.contacts.length}>
        <Table
          head={['Date', 'Channel', 'Reached', 'Result']}
          rows={c.contacts.map((x) => [
            `${x.contactDate}${x.contactTime ? ` ${x.contactTime.slice(0, 5)}` : ''}`,
            `${x.channel.toLowerCase()} · ${x.direction.toLowerCase()}`,
            x.reached ? 'yes' : 'no',
            x.result ? codeWords(x.result) : '–',
          ])}
        />
      </Section>
      <Section title="Resubmissions" count={c.resubmissions.length}>
        <Table
          head={['Date', 'Reason', 'State', '']}
          rows={c.resubmissions.map((r) => [
            r.resubmissionDate,
            r.reason,
            <Status s={r.done ? 'DONE' : r.due ? 'DUE' : 'PLANNED'} />,
            <ResubmissionTasks resubmission={r} />,
          ])}
        />
      </Section>
      <Section title="Dunning" count={c.dunningHistory.length}>
        <Table
          head={['Item', 'Due', 'Level', 'Block', 'Open']}
          rows={c.dunningHistory.map((d) => [
            <span className="segment-key">{d.externalId}</span>,
            d.dueDate,
            <span className={`work-level l-${Math.min(d.dunningLevel, 4)}`}>{d.dunningLevel}</span>,
            d.dunningBlock ? 'blocked' : '–',
            <Money amount={d.openAmount} currency={d.currency} />,
          ])}
        />
      </Section>
    </>
  );
}

function Section({ title, count, extra, children }: { title: string; count: number; extra?: string; children: ReactNode }): ReactElement {
  return (
    <section className="card table-card work-section" aria-label={title}>
      <div className="card-header">
        <h2>
          {title} <span className="work-count">{count}</span>
        </h2>
        {extra && <p className="muted">{extra}</p>}
      </div>
      {count === 0 ? <p className="empty">None.</p> : children}
    </section>
  );
}

function Table({
  head,
  rows,
  numeric = [],
  onRow,
}: {
  head: string[];
  rows: ReactNode[][];
  numeric?: number[];
  /** A click on row j (rows that open a panel also carry a button for the keyboard). */
  onRow?: (j: number) => void;
}): ReactElement {
  const isNum = (i: number, h: string) => numeric.includes(i) || /amount|paid|open$/i.test(h);
  return (
    // Focusable: a long list scrolls inside its section, and keyboard users must be able to scroll it too.
    <div className="table-scroll" tabIndex={0}>
      <table className="table work-table">
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} className={isNum(i, h) ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, j) => (
            <tr key={j} className={onRow ? 'tasks-clickable' : undefined} onClick={onRow ? () => onRow(j) : undefined}>
              {r.map((cell, i) => (
                <td key={i} className={isNum(i, head[i] ?? '') ? 'num' : undefined}>
                  {dateCell(cell)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A date (and time) is read at a glance: never broken over two lines. */
function dateCell(cell: ReactNode): ReactNode {
  return typeof cell === 'string' && /^\d{4}-\d{2}-\d{2}/.test(cell) ? <span className="work-cell-date">{cell}</span> : cell;
}

function Status({ s }: { s: string }): ReactElement {
  return <span className={`work-status is-words s-${s.toLowerCase()}`}>{statusWords(s)}</span>;
}
