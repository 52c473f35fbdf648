import { useState, type FormEvent, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useNavigate } from 'react-router';
import { RichText } from '../../components/RichText';
import { graphql } from '../../gql';
import type { StrategySummaryFragment } from '../../gql/graphql';
import { describeProblem, errorMessage } from '../../lib/errors';
import { strategyPath } from '../../lib/paths';
import { COPY_VERSION, STRATEGIES_QUERY } from '../../lib/strategies';
import { StrategyCard } from './StrategyCard';
import './strategies.css';

/** A new strategy: version 1 as a draft with the given document, or the server's starting document (bands, an exit rule for nothing to collect). */
const CREATE_STRATEGY = graphql(`
  mutation StudioCreateStrategy($input: CreateStrategyInput!) {
    createStrategy(input: $input) {
      id
      version
      status
      revision
      strategy {
        key
      }
    }
  }
`);

/** /strategies: every strategy with its live version, the groups that run it and its draft; create or copy one. */
export function StrategiesPage(): ReactElement {
  const { data, error, loading } = useQuery(STRATEGIES_QUERY, { fetchPolicy: 'cache-and-network' });
  const [creating, setCreating] = useState<null | { from?: StrategySummaryFragment }>(null);
  const strategies = data?.strategies.edges.map((e) => e.node) ?? [];

  return (
    <main className="main strat-main">
      <header className="page-header">
        <div>
          <h1>Strategies</h1>
          <p className="subtitle">How each collection group decides who to chase first: rules, points and priority bands.</p>
        </div>
        <div className="page-actions">
          <button type="button" className="button button-primary" onClick={() => setCreating({})}>
            New strategy
          </button>
        </div>
      </header>
      {error && (
        <div className="notice" role="alert">
          <RichText text={describeProblem(error).title} />
        </div>
      )}
      {creating && <CreateStrategy from={creating.from} onClose={() => setCreating(null)} />}
      {!data && loading && (
        <div className="card table-card">
          <div className="skeleton skeleton-label" />
          {[0, 1, 2].map((i) => (
            <div key={i} className="skeleton skeleton-row" />
          ))}
        </div>
      )}
      <div className="strat-cards">
        {strategies.map((s) => (
          <StrategyCard key={s.id} s={s} onCopy={() => setCreating({ from: s })} />
        ))}
      </div>
      {data && strategies.length === 0 && <div className="card empty">No strategy yet. Create the first one.</div>}
    </main>
  );
}

function CreateStrategy({ from, onClose }: { from?: StrategySummaryFragment; onClose: () => void }): ReactElement {
  const [key, setKey] = useState(from ? `${from.key}_COPY` : '');
  const [name, setName] = useState(from ? `${from.name} (copy)` : '');
  const [currency, setCurrency] = useState('EUR');
  const [problem, setProblem] = useState<string | null>(null);
  const navigate = useNavigate();
  const [create, created] = useMutation(CREATE_STRATEGY, { refetchQueries: [STRATEGIES_QUERY] });
  const [copy, copied] = useMutation(COPY_VERSION, { refetchQueries: [STRATEGIES_QUERY] });
  const busy = created.loading || copied.loading;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    try {
      const k = key.trim().toUpperCase();
      if (from?.activeVersion) {
        await copy({ variables: { input: { versionId: from.activeVersion.id, key: k, name: name.trim() } } });
      } else {
        await create({ variables: { input: { key: k, name: name.trim(), currency: currency.trim().toUpperCase() } } });
      }
      await navigate(strategyPath(k));
    } catch (err) {
      setProblem(errorMessage(err));
    }
  };

  return (
    <form className="card strat-create" onSubmit={(e) => void submit(e)} aria-label="New strategy">
      <h2>{from ? `Copy ${from.name} (live v${from.activeVersion?.version}) into a new strategy` : 'New strategy'}</h2>
      <div className="strat-create-fields">
        <label>
          Key
          <input required value={key} onChange={(e) => setKey(e.target.value.toUpperCase().replace(/[^A-Z0-9_]/g, '_'))} placeholder="TELCO_POSTPAID" />
        </label>
        <label>
          Name
          <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="Postpaid consumer" />
        </label>
        {!from && (
          <label>
            Currency
            <input required value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value.toUpperCase())} />
          </label>
        )}
      </div>
      <p className="muted">
        {from
          ? 'The copy starts as a draft with every rule, point and band of the live version.'
          : 'Starts as a draft with three priority bands and one exit rule that keeps partners with nothing to collect off the list; add rules from templates.'}
      </p>
      {problem && (
        <p className="strat-error" role="alert">
          {problem}
        </p>
      )}
      <div className="strat-create-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create draft'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
