import { useState, type ReactElement, type ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ActionPanel, type ActionOutcome } from '../../components/ActionPanel';
import { Money } from '../../components/Money';
import { Amounts, ItemState, Prio, Score } from '../../components/WorkItem';
import { CUSTOMER_QUERY, type Customer } from '../../lib/customers';
import { CUSTOMERS_PATH } from '../../lib/paths';
import { useSearchParam } from '../../lib/searchParams';
import { isDone } from '../../lib/worklists';
import '../../components/work.css';
import './customer.css';

type RuleExplanation = NonNullable<NonNullable<Customer['worklistItem']>['explanation']>['rules'][number];

/** /customers/ID (or /customers/ext:EXTERNAL_ID): the customer 360; ?after=CURSOR pages its open items. */
export function CustomerPage(): ReactElement {
  const { id = '' } = useParams();
  return <Customer360 key={id} id={id} />;
}

function Customer360({ id }: { id: string }): ReactElement {
  const [after, setAfter] = useSearchParam('after');
  const external = id.startsWith('ext:') ? id.slice(4) : null;
  const { data, error, loading } = useQuery(CUSTOMER_QUERY, {
    variables: external ? { externalId: external, explain: true, after } : { partnerId: id, explain: true, after },
  });
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const c = data?.customer;

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

  const item = c.worklistItem;
  const items = c.openItems.edges.map((e) => e.node);
  return (
    <main className="main work-main work-360">
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
        </div>
        {item && (
          <div className="page-actions">
            <Prio priority={item.priority} />
            <ItemState item={item} done={isDone(item)} />
          </div>
        )}
      </header>

      <div className="figures">
        <Figure
          label="Open"
          value={<Money amount={c.credit.openAmount} currency={c.credit.currency} />}
          foot={
            <>
              overdue <Money amount={c.credit.overdueAmount} currency={c.credit.currency} />
            </>
          }
        />
        <Figure
          label="Credit limit"
          value={c.credit.creditLimit ? <Money amount={c.credit.creditLimit} currency={c.credit.currency} /> : '–'}
          foot={c.credit.utilizationPercent == null ? 'no limit set' : <Utilization percent={c.credit.utilizationPercent} risk={c.credit.riskClass} />}
        />
        <Figure
          label="DSO"
          value={c.keyFigures.daysSalesOutstanding == null ? '–' : `${c.keyFigures.daysSalesOutstanding.toFixed(1)} d`}
          foot={
            <>
              sales in 90 d: <Money amount={c.keyFigures.sales90Days} currency={c.credit.currency} />
            </>
          }
        />
        <Figure
          label="Kept promises"
          value={c.keyFigures.keptPromiseRatio == null ? '–' : `${Math.round(c.keyFigures.keptPromiseRatio * 100)}%`}
          foot={`${c.keyFigures.brokenPromises} broken in 365 d · last contact ${c.keyFigures.daysSinceLastContact ?? '–'} d · last payment ${c.keyFigures.daysSinceLastPayment ?? '–'} d`}
        />
      </div>

      <div className="work-360-grid">
        <div className="work-360-main">
          <AgingPicture aging={c.aging} currency={c.credit.currency} />
          <OpenItems c={c} onMore={(cursor) => setAfter(cursor)} />
          <Section title="Promises" count={c.promises.length}>
            <Table
              head={['Promised for', 'Made', 'Amount', 'Paid', 'Status']}
              rows={c.promises.map((p) => [
                p.promisedDate,
                p.createdDate,
                <Money amount={p.amount} currency={p.currency} />,
                <Money amount={p.paid} currency={p.currency} />,
                <Status s={p.status} />,
              ])}
            />
          </Section>
          <Section title="Payments" count={c.payments.length}>
            <Table
              head={['Date', 'Payment', 'Amount']}
              rows={c.payments.map((p) => [
                p.paymentDate,
                <span className="segment-key">{p.externalId}</span>,
                <Money amount={p.amount} currency={p.currency} />,
              ])}
            />
          </Section>
          <Section title="Disputes" count={c.disputes.length}>
            <Table
              head={['Opened', 'Reason', 'Amount', 'Status']}
              rows={c.disputes.map((d) => [d.createdDate, d.reason ?? '–', <Money amount={d.disputedAmount} currency={d.currency} />, <Status s={d.status} />])}
            />
          </Section>
          <Section title="Contacts" count={c.contacts.length}>
            <Table
              head={['Date', 'Channel', 'Reached', 'Result']}
              rows={c.contacts.map((x) => [
                `${x.contactDate}${x.contactTime ? ` ${x.contactTime.slice(0, 5)}` : ''}`,
                `${x.channel.toLowerCase()} · ${x.direction.toLowerCase()}`,
                x.reached ? 'yes' : 'no',
                x.result ?? '–',
              ])}
            />
          </Section>
          <Section title="Resubmissions" count={c.resubmissions.length}>
            <Table
              head={['Date', 'Reason', 'State']}
              rows={c.resubmissions.map((r) => [r.resubmissionDate, r.reason, <Status s={r.done ? 'DONE' : r.due ? 'DUE' : 'PLANNED'} />])}
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
        </div>
        <div className="work-360-side">
          <section className="card work-side-card" aria-label="Worklist item">
            <h2>On the worklist</h2>
            {item ? (
              <>
                <div className="work-panel-score">
                  <Score item={item} />
                </div>
                <Amounts item={item} />
                <p className="muted">
                  {item.specialist ? `Worked by ${item.specialist.name}` : 'Unassigned'}
                  {item.revaluatedAt ? ` · re-valuated ${new Date(item.revaluatedAt).toLocaleString()}` : ''}
                </p>
              </>
            ) : (
              <p className="muted">Not on a live worklist.</p>
            )}
          </section>
          {item && (
            <section className="card work-side-card">
              <h2>Record</h2>
              {outcome && (
                <div className={`work-toast${outcome.completed ? ' is-done' : ''}`} role="status">
                  {outcome.message}
                </div>
              )}
              <ActionPanel partnerId={c.partnerId} items={items} currency={c.partner.currency} onDone={setOutcome} />
            </section>
          )}
          {item?.explanation && <Explanation explanation={item.explanation} />}
        </div>
      </div>
    </main>
  );
}

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

function Figure({ label, value, foot }: { label: string; value: ReactNode; foot: ReactNode }): ReactElement {
  return (
    <div className="card figure">
      <div className="figure-label">{label}</div>
      <div className="figure-value work-figure">{value}</div>
      <div className="figure-foot">{foot}</div>
    </div>
  );
}

function Utilization({ percent, risk }: { percent: number; risk: string | null }): ReactElement {
  const level = percent >= 100 ? 'high' : percent >= 75 ? 'mid' : 'low';
  return (
    <span className="work-util">
      <span className={`work-util-track is-${level}`}>
        <span style={{ width: `${Math.min(percent, 100)}%` }} />
      </span>
      {percent.toFixed(0)}% used{risk ? ` · risk ${risk}` : ''}
    </span>
  );
}

function AgingPicture({ aging, currency }: { aging: Customer['aging']; currency: string }): ReactElement {
  const amountOf = (b: Customer['aging'][number]) => b.amounts.reduce((n, a) => n + Number(a.amount), 0);
  const max = Math.max(1, ...aging.map(amountOf));
  return (
    <section className="card work-section" aria-label="Ageing">
      <div className="mix-head">
        <h2>Ageing</h2>
        <span className="muted">open amount by days overdue</span>
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
            </div>
            <div className="work-aging-track">
              <span className={`work-aging-bar a-${Math.min(i, 4)}`} style={{ height: `${(amountOf(b) / max) * 100}%` }} />
            </div>
            <div className="work-aging-label">{b.label}</div>
            <div className="segment-key">
              {b.items} item{b.items === 1 ? '' : 's'}
            </div>
          </div>
        ))}
        {aging.length === 0 && <p className="muted">Nothing open in {currency}.</p>}
      </div>
    </section>
  );
}

function OpenItems({ c, onMore }: { c: Customer; onMore: (after: string | null) => void }): ReactElement {
  const rows = c.openItems.edges.map((e) => e.node);
  return (
    <Section title="Open items" count={rows.length} extra={c.openItems.pageInfo.hasNextPage ? 'more on the next page' : undefined}>
      <Table
        head={['Item', 'Due', 'Overdue', 'Amount', 'Open', 'Dunning', '']}
        numeric={[3, 4]}
        rows={rows.map((i) => [
          <span className="segment-key">{i.externalId}</span>,
          i.dueDate,
          <span className={`work-days${i.daysOverdue > 0 ? ' is-overdue' : ''}`}>{i.daysOverdue > 0 ? `${i.daysOverdue} d` : 'not due'}</span>,
          <Money amount={i.amount} currency={i.currency} />,
          <Money amount={i.openAmount} currency={i.currency} />,
          `L${i.dunningLevel}${i.dunningBlock ? ' · blocked' : ''}`,
          i.disputed ? <span className="work-tag">disputed</span> : '',
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

function Table({ head, rows, numeric = [] }: { head: string[]; rows: ReactNode[][]; numeric?: number[] }): ReactElement {
  const isNum = (i: number, h: string) => numeric.includes(i) || /amount|paid|open$/i.test(h);
  return (
    <div className="table-scroll">
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
            <tr key={j}>
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
  return <span className={`work-status s-${s.toLowerCase()}`}>{s.toLowerCase().replace('_', ' ')}</span>;
}

function Explanation({ explanation }: { explanation: NonNullable<NonNullable<Customer['worklistItem']>['explanation']> }): ReactElement {
  const fired = explanation.rules.filter((r) => r.fired);
  const notFired = explanation.rules.filter((r) => !r.fired);
  return (
    <section className="card work-side-card work-explain" aria-label="Why">
      <h2>Why this priority</h2>
      {explanation.exits.length > 0 && <p className="work-error">Exit: {explanation.exits.join(', ')}</p>}
      <ul className="work-rules">
        {fired.map((r) => (
          <Rule key={r.index} rule={r} />
        ))}
        {notFired.map((r) => (
          <Rule key={r.index} rule={r} />
        ))}
      </ul>
      <h3>Fact values</h3>
      <dl className="work-facts">
        {/* facts is JSON: an object of fact values by fact key */}
        {Object.entries((explanation.facts ?? {}) as Record<string, unknown>).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{factValue(v)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

interface Cond {
  fact?: string;
  operator?: string;
  value?: unknown;
  factValue?: unknown;
  result?: boolean;
  all?: Cond[];
  any?: Cond[];
  not?: Cond;
  conditions?: Cond[];
}

function leaves(c: unknown): Cond[] {
  if (!c || typeof c !== 'object') return [];
  const node = c as Cond;
  if (node.fact) return [node];
  return [...(node.all ?? []), ...(node.any ?? []), ...(node.conditions ?? []), ...(node.not ? [node.not] : [])].flatMap(leaves);
}

function Rule({ rule }: { rule: RuleExplanation }): ReactElement {
  return (
    <li className={rule.fired ? 'is-fired' : ''}>
      <div className="work-rule-head">
        <span className="work-rule-dot" aria-hidden="true" />
        <span className="work-rule-name">{rule.name}</span>
        <b className={rule.points < 0 ? 'is-negative' : ''}>{rule.role === 'exit' ? 'exit' : `${rule.points > 0 ? '+' : ''}${rule.points}`}</b>
      </div>
      {rule.fired && (
        <ul className="work-conds">
          {leaves(rule.conditions)
            .slice(0, 4)
            .map((c, i) => (
              <li key={i}>
                <code>{c.fact}</code> {c.operator} <code>{JSON.stringify(c.value)}</code>{' '}
                <span className="muted">was {JSON.stringify(c.factValue ?? null)}</span>
              </li>
            ))}
        </ul>
      )}
    </li>
  );
}

function factValue(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
