import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link, useSearchParams } from 'react-router';
import { Money } from '../../components/Money';
import type { StudioRecoveryProposalQuery } from '../../gql/graphql';
import { today } from '../../lib/dates';
import { errorMessage } from '../../lib/errors';
import { customerPath, recoveryPath } from '../../lib/paths';
import { useSetSearchParams } from '../../lib/searchParams';
import type { RecoveryRights } from './RecoveryPage';
import { PARTNER_ITEMS_QUERY, PLACE_PARTNER, PROPOSAL_OPTIONS_QUERY, PROPOSAL_QUERY } from './queries';

type Proposed = StudioRecoveryProposalQuery['placementProposal'][number];
/** Per selected partner: null places every open item not held; a set places those items only. */
type Selection = Map<string, Set<string> | null>;

/**
 * The placement proposal (?rules=STRATEGY&asOf=D&segment=KEY): a strategy's live version used as
 * placement rules, scored over the facts at D; the supervisor picks partners (or some items of
 * one) and places them with an agency.
 */
export function Proposal({ rights, loading }: { rights: RecoveryRights; loading: boolean }): ReactElement {
  const [params] = useSearchParams();
  const setParams = useSetSearchParams();
  const options = useQuery(PROPOSAL_OPTIONS_QUERY, { skip: !rights.supervise, fetchPolicy: 'cache-and-network' });
  const rulesKey = params.get('rules');
  const asOf = params.get('asOf');
  const segment = params.get('segment');
  const strategies = options.data?.strategies.edges.map((e) => e.node).filter((s) => s.activeVersion) ?? [];
  const document = strategies.find((s) => s.key === rulesKey)?.activeVersion?.document;
  const proposal = useQuery(PROPOSAL_QUERY, {
    variables: { rules: document, asOf: asOf ?? '', segment },
    skip: !document || !asOf,
    fetchPolicy: 'network-only',
  });
  const [draft, setDraft] = useState({ rules: rulesKey ?? '', asOf: asOf ?? today(), segment: segment ?? '' });

  if (!loading && !rights.supervise) return <p className="notice">Reviewing and placing the proposal takes a SUPERVISOR or ADMIN token.</p>;
  const currency = (document as { currency?: string } | undefined)?.currency ?? '';
  return (
    <>
      <form
        className="card recovery-form"
        aria-label="Proposal settings"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ rules: draft.rules, asOf: draft.asOf, segment: draft.segment || null });
        }}
      >
        <label className="work-field">
          Placement rules
          <select value={draft.rules} onChange={(e) => setDraft({ ...draft, rules: e.target.value })} required>
            <option value="">Choose a strategy…</option>
            {strategies.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name} ({s.key} · live v{s.activeVersion!.version})
              </option>
            ))}
          </select>
        </label>
        <label className="work-field">
          Key date
          <input type="date" value={draft.asOf} onChange={(e) => setDraft({ ...draft, asOf: e.target.value })} required />
        </label>
        <label className="work-field">
          Segment
          <select value={draft.segment} onChange={(e) => setDraft({ ...draft, segment: e.target.value })}>
            <option value="">All segments</option>
            {options.data?.collectionSegments.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name} ({s.key})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button-primary">
          Propose
        </button>
        <p className="muted recovery-form-note">
          A strategy&apos;s live version serves as placement rules: partners it does not exclude and that reach its minimum percent are proposed, those placed
          or under a legal case left out.
        </p>
      </form>
      {proposal.error && (
        <div className="notice" role="alert">
          {errorMessage(proposal.error)}
        </div>
      )}
      {proposal.loading && <div className="skeleton skeleton-row" />}
      {proposal.data && asOf && (
        <ProposalList
          key={`${rulesKey}:${asOf}:${segment}`}
          rows={proposal.data.placementProposal}
          currency={currency}
          asOf={asOf}
          agencies={options.data?.agencies.filter((a) => a.active) ?? []}
          onPlaced={() => void proposal.refetch()}
        />
      )}
    </>
  );
}

function ProposalList({
  rows,
  currency,
  asOf,
  agencies,
  onPlaced,
}: {
  rows: Proposed[];
  currency: string;
  asOf: string;
  agencies: Array<{ key: string; name: string; commissionPercent: string }>;
  onPlaced: () => void;
}): ReactElement {
  const [selected, setSelected] = useState<Selection>(new Map());
  const [open, setOpen] = useState<string | null>(null);
  const [agency, setAgency] = useState('');
  const [placedOn, setPlacedOn] = useState(asOf);
  const [place] = useMutation(PLACE_PARTNER, { refetchQueries: ['StudioRecoveryPlacements'] });
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ placed: string[]; failed: string[] } | null>(null);
  const all = rows.length > 0 && rows.every((r) => selected.has(r.partnerId));
  const toggle = (id: string, on: boolean) => {
    const next = new Map(selected);
    if (on) next.set(id, null);
    else next.delete(id);
    setSelected(next);
  };
  const setItems = (id: string, items: Set<string> | null) => {
    const next = new Map(selected);
    if (items && items.size === 0) next.delete(id);
    else next.set(id, items);
    setSelected(next);
  };
  const placeSelected = async () => {
    setBusy(true);
    const placed: string[] = [];
    const failed: string[] = [];
    // One placement per partner, one after the other: a refusal names its partner and the others still go.
    for (const row of rows.filter((r) => selected.has(r.partnerId))) {
      const items = selected.get(row.partnerId);
      try {
        await place({ variables: { input: { partnerId: row.partnerId, agency, placedOn, itemIds: items ? [...items] : null } } });
        placed.push(row.name);
      } catch (err) {
        failed.push(`${row.name}: ${errorMessage(err)}`);
      }
    }
    setOutcome({ placed, failed });
    setSelected(new Map());
    setBusy(false);
    onPlaced();
  };
  const chosen = rows.filter((r) => selected.has(r.partnerId));
  return (
    <section className="card table-card" aria-label="Proposal">
      <div className="card-header org-card-header">
        <div>
          <h2>
            {rows.length} partner{rows.length === 1 ? '' : 's'} proposed at {asOf}
          </h2>
          <p className="muted">
            By priority, valuation and open amount. Amounts in {currency || 'the rules currency'}, items placed or under a legal case left out.
          </p>
        </div>
      </div>
      {outcome && (
        <div className={`notice recovery-outcome${outcome.failed.length ? '' : ' is-ok'}`} role="status">
          {outcome.placed.length > 0 && (
            <p>
              Placed {outcome.placed.length} partner{outcome.placed.length === 1 ? '' : 's'} with {agency}: {outcome.placed.join(', ')}.{' '}
              <Link to={recoveryPath('placements')}>See the placements</Link>
            </p>
          )}
          {outcome.failed.map((f) => (
            <p key={f} role="alert">
              Not placed: {f}
            </p>
          ))}
        </div>
      )}
      {rows.length === 0 ? (
        <div className="empty">The rules propose no partner at this date.</div>
      ) : (
        <table className="table recovery-table">
          <thead>
            <tr>
              <th className="recovery-check">
                <input
                  type="checkbox"
                  aria-label="Select every proposed partner"
                  checked={all}
                  onChange={(e) => setSelected(e.target.checked ? new Map(rows.map((r) => [r.partnerId, null])) : new Map())}
                />
              </th>
              <th>Partner</th>
              <th className="num">Priority</th>
              <th className="num">Valuation</th>
              <th className="num">Open</th>
              <th className="num">Overdue</th>
              <th>Why (rules fired)</th>
              <th aria-label="Items" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <ProposalRow
                key={r.partnerId}
                row={r}
                currency={currency}
                asOf={asOf}
                selection={selected.get(r.partnerId)}
                selected={selected.has(r.partnerId)}
                open={open === r.partnerId}
                onToggle={(on) => toggle(r.partnerId, on)}
                onOpen={() => setOpen(open === r.partnerId ? null : r.partnerId)}
                onItems={(items) => setItems(r.partnerId, items)}
              />
            ))}
          </tbody>
        </table>
      )}
      {rows.length > 0 && (
        <div className="recovery-place">
          <label className="work-field">
            Agency
            <select value={agency} onChange={(e) => setAgency(e.target.value)}>
              <option value="">Choose an agency…</option>
              {agencies.map((a) => (
                <option key={a.key} value={a.key}>
                  {a.name} ({a.key}, {a.commissionPercent} %)
                </option>
              ))}
            </select>
          </label>
          <label className="work-field">
            Placed on
            <input type="date" value={placedOn} onChange={(e) => setPlacedOn(e.target.value)} />
          </label>
          <button type="button" className="button button-primary" disabled={busy || !agency || chosen.length === 0} onClick={() => void placeSelected()}>
            {busy ? 'Placing…' : chosen.length === 0 ? 'Place the selected partners' : `Place ${chosen.length} partner${chosen.length === 1 ? '' : 's'}`}
          </button>
          {agencies.length === 0 && <span className="muted">No active agency yet: an ADMIN adds one under Agencies.</span>}
        </div>
      )}
    </section>
  );
}

function ProposalRow({
  row: r,
  currency,
  asOf,
  selection,
  selected,
  open,
  onToggle,
  onOpen,
  onItems,
}: {
  row: Proposed;
  currency: string;
  asOf: string;
  selection: Set<string> | null | undefined;
  selected: boolean;
  open: boolean;
  onToggle: (on: boolean) => void;
  onOpen: () => void;
  onItems: (items: Set<string> | null) => void;
}): ReactElement {
  return (
    <>
      <tr data-partner={r.externalId} className={selected ? 'is-selected' : undefined}>
        <td className="recovery-check">
          <input type="checkbox" aria-label={`Select ${r.name}`} checked={selected} onChange={(e) => onToggle(e.target.checked)} />
        </td>
        <td className="recovery-partner">
          <Link className="work-link" to={customerPath(r.partnerId)}>
            {r.name}
          </Link>
          <span className="segment-key">{r.externalId}</span>
        </td>
        <td className="num">P{r.priority}</td>
        <td className="num">
          {r.valuation} <span className="muted">({r.percent} %)</span>
        </td>
        <td className="num">
          <Money amount={r.openAmount} currency={currency} />
        </td>
        <td className="num">
          <Money amount={r.overdueAmount} currency={currency} />
        </td>
        <td className="recovery-rules">{r.firedRules.length ? r.firedRules.join(', ') : <span className="muted">none</span>}</td>
        <td>
          <button type="button" className="link-button" aria-expanded={open} onClick={onOpen}>
            {selection ? `${selection.size} item${selection.size === 1 ? '' : 's'}` : 'Items…'}
          </button>
        </td>
      </tr>
      {open && (
        <tr className="recovery-items-row">
          <td />
          <td colSpan={7}>
            <PartnerItems partnerId={r.partnerId} asOf={asOf} selection={selection ?? null} onChange={onItems} />
          </td>
        </tr>
      )}
    </>
  );
}

/** A partner's open items to place some of (none ticked: every open item not held). */
function PartnerItems({
  partnerId,
  asOf,
  selection,
  onChange,
}: {
  partnerId: string;
  asOf: string;
  selection: Set<string> | null;
  onChange: (items: Set<string> | null) => void;
}): ReactElement {
  const { data, error } = useQuery(PARTNER_ITEMS_QUERY, { variables: { partnerId, asOf } });
  if (error) return <p className="work-error">{errorMessage(error)}</p>;
  if (!data) return <div className="skeleton skeleton-row" />;
  const items = data.customer.openItems.edges.map((e) => e.node);
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selection ?? []);
    if (on) next.add(id);
    else next.delete(id);
    onChange(next);
  };
  return (
    <fieldset className="recovery-items">
      <legend className="muted">Tick items to place only those; none ticked places every open item not placed or under a legal case.</legend>
      <ul>
        {items.map((i) => (
          <li key={i.id}>
            <label className="org-check">
              <input type="checkbox" checked={selection?.has(i.id) ?? false} onChange={(e) => toggle(i.id, e.target.checked)} />
              <span className="org-key">{i.externalId}</span>
              <span>due {i.dueDate}</span>
              <span className="muted">{i.daysOverdue > 0 ? `${i.daysOverdue} d overdue` : 'not overdue'}</span>
              <Money amount={i.openAmount} currency={i.currency} />
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
