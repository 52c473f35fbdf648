import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Money, MoneyList } from '../../components/Money';
import type { RecoverySettlementFieldsFragment } from '../../gql/graphql';
import { today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { useSetSearchParams } from '../../lib/searchParams';
import { Link, useSearchParams } from 'react-router';
import { sumByCurrency } from './Placements';
import type { RecoveryRights } from './RecoveryPage';
import { AGENCIES_QUERY, CLOSE_SETTLEMENT, SETTLEMENT_QUERY } from './queries';

/** The first and last day of a YYYY-MM month. */
export function monthPeriod(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The month before today's, the period a settlement is usually closed for. */
function lastMonth(): string {
  const [y, m] = today().split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * An agency's settlement of a month (?agency=KEY&month=YYYY-MM): what was placed with it in the
 * month, what was collected on its placements and the commission due; ADMIN closes an ended
 * period (once) and anyone may export its lines.
 */
export function Settlement({ rights }: { rights: RecoveryRights }): ReactElement {
  const [params] = useSearchParams();
  const setParams = useSetSearchParams();
  const agencies = useQuery(AGENCIES_QUERY);
  const agency = params.get('agency') ?? agencies.data?.agencies[0]?.key ?? null;
  const month = params.get('month') ?? lastMonth();
  const { from, to } = monthPeriod(month);
  const { data, error, loading } = useQuery(SETTLEMENT_QUERY, {
    variables: { agency: agency ?? '', from, to },
    skip: !agency,
    fetchPolicy: 'cache-and-network',
  });
  return (
    <>
      <form className="card recovery-form" aria-label="Settlement period" onSubmit={(e) => e.preventDefault()}>
        <label className="work-field">
          Agency
          <select value={agency ?? ''} onChange={(e) => setParams({ agency: e.target.value || null })}>
            {agencies.data?.agencies.map((a) => (
              <option key={a.key} value={a.key}>
                {a.name} ({a.key})
              </option>
            ))}
          </select>
        </label>
        <label className="work-field">
          Month of payment dates
          <input type="month" value={month} onChange={(e) => e.target.value && setParams({ month: e.target.value })} />
        </label>
        {/* The six months up to this one across agencies, with the analytics filters and reporting currency. */}
        {rights.supervise && (
          <Link className="button" to={`/analytics?tab=agencies&to=${to}`}>
            Recovery by agency and month
          </Link>
        )}
      </form>
      {agencies.data && agencies.data.agencies.length === 0 && <div className="empty">No agency yet.</div>}
      {error && (
        <div className="notice" role="alert">
          {errorMessage(error)}
        </div>
      )}
      {!data && loading && <div className="skeleton skeleton-row" />}
      {data && <SettlementView settlement={data.agencySettlement} placed={data.agencyAnalytics} rights={rights} />}
    </>
  );
}

function SettlementView({
  settlement: s,
  placed,
  rights,
}: {
  settlement: RecoverySettlementFieldsFragment;
  placed: Array<{ currency: string; placements: number; placedAmount: string }>;
  rights: RecoveryRights;
}): ReactElement {
  const [close, closing] = useMutation(CLOSE_SETTLEMENT, { refetchQueries: ['StudioRecoverySettlement'], awaitRefetchQueries: true });
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const closed = s.settlementId !== null && s.settlementId !== undefined;
  const ended = s.periodTo < today();
  const placements = placed.reduce((n, p) => n + p.placements, 0);
  return (
    <section className="card table-card recovery-settlement" aria-label="Settlement">
      <div className="card-header org-card-header">
        <div>
          <h2>
            {s.agency} · {s.periodFrom} to {s.periodTo}
          </h2>
          <p className="muted">
            Commission {s.commissionPercent} % of the payments dated in the period on its placed items
            {s.countDirectPayments ? ', those paid to the company directly included' : ', only those the agency reported'}; each rounded to the cent.
          </p>
        </div>
        <div className="recovery-settlement-state">
          {closed ? (
            <span className="org-pill is-ok" title={s.closedAt ? `Closed ${new Date(s.closedAt).toLocaleString()}` : undefined}>
              Closed
            </span>
          ) : ended ? (
            <span className="org-pill is-warn">Open</span>
          ) : (
            <span className="org-pill is-off">Period not ended</span>
          )}
        </div>
      </div>
      <dl className="recovery-figures">
        <div>
          <dt>Placed in the period</dt>
          <dd data-figure="placed">
            <MoneyList amounts={placed.map((p) => ({ amount: p.placedAmount, currency: p.currency }))} />
            <span className="muted">
              {placements} placement{placements === 1 ? '' : 's'}
            </span>
          </dd>
        </div>
        <div>
          <dt>Collected</dt>
          <dd data-figure="collected">
            <MoneyList amounts={s.totals.map((t) => ({ amount: t.collected, currency: t.currency }))} />
            <span className="muted">
              {s.lines.length} payment{s.lines.length === 1 ? '' : 's'}
            </span>
          </dd>
        </div>
        <div>
          <dt>Commission due</dt>
          <dd data-figure="commission">
            <MoneyList amounts={s.totals.map((t) => ({ amount: t.commission, currency: t.currency }))} />
          </dd>
        </div>
      </dl>
      {s.lines.length === 0 ? (
        <div className="empty">No payment on this agency&apos;s placements is dated in the period.</div>
      ) : (
        <table className="table recovery-table">
          <thead>
            <tr>
              <th>Paid on</th>
              <th>Partner</th>
              <th>Item</th>
              <th>Received by</th>
              <th className="num">Amount</th>
              <th className="num">Commission</th>
            </tr>
          </thead>
          <tbody>
            {s.lines.map((l) => (
              <tr key={l.paymentId} data-item={l.itemExternalId}>
                <td>{l.paymentDate}</td>
                <td>{l.partnerExternalId}</td>
                <td>{l.itemExternalId}</td>
                <td>{l.viaAgency ? 'agency' : 'company (direct)'}</td>
                <td className="num">
                  <Money amount={l.amount} currency={l.currency} />
                </td>
                <td className="num">
                  <Money amount={l.commission} currency={l.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="recovery-place">
        <button type="button" className="button" disabled={s.lines.length === 0} onClick={() => download(s)}>
          Export CSV
        </button>
        {rights.admin && !closed && ended && !asking && (
          <button type="button" className="button button-primary" onClick={() => setAsking(true)}>
            Close the settlement…
          </button>
        )}
        {asking && (
          <span className="org-confirm">
            <span>
              Close {s.periodFrom} to {s.periodTo}? Its lines are frozen with the commission <MoneyList amounts={sumByCurrency(s.lines, (l) => l.commission)} />
            </span>
            <button
              type="button"
              className="button button-primary"
              disabled={closing.loading}
              onClick={() => {
                setProblem(null);
                close({ variables: { agency: s.agency, from: s.periodFrom, to: s.periodTo } })
                  .catch((err: unknown) => setProblem(errorMessage(err)))
                  .finally(() => setAsking(false));
              }}
            >
              {closing.loading ? 'Closing…' : 'Yes, close'}
            </button>
            <button type="button" className="button" onClick={() => setAsking(false)}>
              Keep open
            </button>
          </span>
        )}
        {!rights.admin && !closed && ended && <span className="muted">Closing the settlement takes an ADMIN token.</span>}
        {!closed && !ended && <span className="muted">The period has not ended: it can be closed from {nextDay(s.periodTo)}.</span>}
        {closed && <span className="muted">Closed: the figures are frozen as they were at closing.</span>}
        {problem && (
          <span className="work-error" role="alert">
            {problem}
          </span>
        )}
      </div>
    </section>
  );
}

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const COLUMNS = ['agency', 'period_from', 'period_to', 'payment_date', 'partner', 'item', 'received_by', 'amount', 'currency', 'commission'];

/** The settlement's lines as a CSV file (the figures exactly as the server gave them). */
function download(s: RecoverySettlementFieldsFragment): void {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = s.lines.map((l) =>
    [
      s.agency,
      s.periodFrom,
      s.periodTo,
      l.paymentDate,
      l.partnerExternalId,
      l.itemExternalId,
      l.viaAgency ? 'AGENCY' : 'DIRECT',
      l.amount,
      l.currency,
      l.commission,
    ]
      .map(cell)
      .join(','),
  );
  const blob = new Blob([[COLUMNS.join(','), ...rows].join('\n') + '\n'], { type: 'text/csv' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `settlement-${s.agency}-${s.periodFrom}-${s.periodTo}.csv`;
  a.click();
  URL.revokeObjectURL(url);
}
