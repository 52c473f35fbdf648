import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { MoneyList } from '../../components/Money';
import { SidePanel } from '../../components/SidePanel';
import type { RecoveryPlacementFieldsFragment } from '../../gql/graphql';
import { today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { customerPath } from '../../lib/paths';
import { useSearchParam } from '../../lib/searchParams';
import type { RecoveryRights } from './RecoveryPage';
import { AGENCIES_QUERY, PLACEMENTS_QUERY, RECALL_PLACEMENT } from './queries';

const STATUSES = ['PLACED', 'RECALLED', 'CLOSED'] as const;

/** Per currency, the sum of a field of the placement's items (exact: decimal strings added in minor units of 4 places). */
export function sumByCurrency<T extends { currency: string }>(items: readonly T[], amount: (i: T) => string): Array<{ amount: string; currency: string }> {
  const totals = new Map<string, bigint>();
  for (const i of items) totals.set(i.currency, (totals.get(i.currency) ?? 0n) + units(amount(i)));
  return [...totals].map(([currency, u]) => ({ currency, amount: decimal(u) }));
}

function units(value: string): bigint {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace('-', '').split('.');
  const u = BigInt(whole + fraction.padEnd(4, '0').slice(0, 4));
  return negative ? -u : u;
}

function decimal(u: bigint): string {
  const negative = u < 0n;
  const text = (negative ? -u : u).toString().padStart(5, '0');
  return `${negative ? '-' : ''}${text.slice(0, -4)}.${text.slice(-4)}`;
}

/** The placements (?status=&agency=), newest first, with a recall for supervisors. */
export function Placements({ rights }: { rights: RecoveryRights }): ReactElement {
  const [status, setStatus] = useSearchParam('status');
  const [agency, setAgency] = useSearchParam('agency');
  const agencies = useQuery(AGENCIES_QUERY);
  const shown = status ?? 'PLACED';
  const { data, error, loading } = useQuery(PLACEMENTS_QUERY, {
    variables: { status: shown === 'ALL' ? null : shown, agency },
    fetchPolicy: 'cache-and-network',
  });
  const [recalling, setRecalling] = useState<RecoveryPlacementFieldsFragment | null>(null);
  const rows = data?.placements.edges.map((e) => e.node) ?? [];
  return (
    <section className="card table-card" aria-label="Placements">
      <div className="card-header org-card-header">
        <div>
          <h2>Placements</h2>
          <p className="muted">Partners whose items an agency works; placed items leave the worklist and dunning until recalled or cleared.</p>
        </div>
        <div className="recovery-filters">
          <label className="work-field">
            Status
            <select value={shown} onChange={(e) => setStatus(e.target.value === 'PLACED' ? null : e.target.value)}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.toLowerCase()}
                </option>
              ))}
              <option value="ALL">any</option>
            </select>
          </label>
          <label className="work-field">
            Agency
            <select value={agency ?? ''} onChange={(e) => setAgency(e.target.value || null)}>
              <option value="">Every agency</option>
              {agencies.data?.agencies.map((a) => (
                <option key={a.key} value={a.key}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {error && (
        <div className="notice" role="alert">
          {errorMessage(error)}
        </div>
      )}
      {!data && loading && <div className="skeleton skeleton-row" />}
      {data && rows.length === 0 && <div className="empty">No placement {shown === 'ALL' ? '' : shown.toLowerCase()} yet.</div>}
      {rows.length > 0 && (
        <table className="table recovery-table">
          <thead>
            <tr>
              <th>Partner</th>
              <th>Agency</th>
              <th>Placed on</th>
              <th className="num">Items</th>
              <th className="num">Placed</th>
              <th className="num">Open now</th>
              <th>Status</th>
              {rights.supervise && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id} data-partner={p.partnerExternalId}>
                <td className="recovery-partner">
                  <Link className="work-link" to={customerPath(p.partnerId)}>
                    {p.partnerName}
                  </Link>
                  <span className="segment-key">{p.partnerExternalId}</span>
                </td>
                <td>{p.agency}</td>
                <td>
                  {p.placedOn}
                  <span className="segment-key">by {p.placedBy}</span>
                </td>
                <td className="num">{p.items.length}</td>
                <td className="num">
                  <MoneyList amounts={sumByCurrency(p.items, (i) => i.placedAmount)} />
                </td>
                <td className="num">
                  <MoneyList amounts={sumByCurrency(p.items, (i) => i.openAmount)} />
                </td>
                <td>
                  <span className={`org-pill ${p.status === 'PLACED' ? 'is-ok' : 'is-off'}`}>{p.status.toLowerCase()}</span>
                  {p.recallReason && <span className="segment-key">{`${p.recalledOn}: ${p.recallReason}`}</span>}
                </td>
                {rights.supervise && (
                  <td>
                    {p.status === 'PLACED' && (
                      <button type="button" className="button" aria-label={`Recall ${p.partnerName}`} onClick={() => setRecalling(p)}>
                        Recall…
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {recalling && <RecallForm key={recalling.id} placement={recalling} onClose={() => setRecalling(null)} />}
    </section>
  );
}

/** Takes a placement back with a reason; its items return to the worklist and dunning. */
export function RecallForm({ placement, onClose }: { placement: RecoveryPlacementFieldsFragment; onClose: () => void }): ReactElement {
  const [reason, setReason] = useState('');
  const [recalledOn, setRecalledOn] = useState(today());
  const [problem, setProblem] = useState<string | null>(null);
  const [recall, { loading }] = useMutation(RECALL_PLACEMENT, { refetchQueries: ['StudioRecoveryPlacements', 'StudioCustomerRecovery'] });
  return (
    <SidePanel title={`Recall ${placement.partnerName} from ${placement.agency}`} onClose={onClose}>
      <form
        className="org-form"
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(null);
          recall({ variables: { input: { placementId: placement.id, reason, recalledOn, version: placement.version } } })
            .then(() => onClose())
            .catch((err: unknown) => setProblem(errorMessage(err)));
        }}
      >
        <p className="muted">
          Its {placement.items.filter((i) => i.held).length} placed item(s) return to in-house collection: the worklist and dunning see them again.
        </p>
        <label className="work-field">
          Reason
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} rows={3} />
        </label>
        <label className="work-field">
          Recalled on
          <input type="date" value={recalledOn} onChange={(e) => setRecalledOn(e.target.value)} required />
        </label>
        {problem && (
          <div className="org-problem" role="alert">
            <p>{problem}</p>
          </div>
        )}
        <div className="org-form-foot">
          <button type="submit" className="button button-primary" disabled={loading || reason.trim() === ''}>
            {loading ? 'Recalling…' : 'Recall'}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </SidePanel>
  );
}
