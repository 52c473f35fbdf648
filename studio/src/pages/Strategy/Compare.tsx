import { ScopeFields } from './ScopeFields';
import { useMemo, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { errorMessage } from '../../lib/errors';
import { formatInteger } from '../../lib/format';
import { useSearchParam } from '../../lib/searchParams';
import { STRATEGIES_QUERY, statusLabel } from '../../lib/strategies';
import { asStrategyDoc, type StrategyDoc } from '../../lib/strategyDocument';
import { ComparisonView } from './ComparisonView';
import { usePreviewScope, type PreviewScope } from './hooks';
import { COMPARE_QUERY, type CatalogueData, type StrategyFull, type VersionFull } from './queries';

/** A side to compare; its id is what ?a= and ?b= say: `working`, `v2` (a version of this strategy) or another strategy's key (its live version). */
interface Option {
  id: string;
  label: string;
  doc: StrategyDoc;
}

/** Two versions (or the working copy, or another strategy's live version) side by side on one segment. */
export function Compare({
  strategy,
  working,
  catalogue,
  current,
}: {
  strategy: StrategyFull;
  working: { doc: StrategyDoc; label: string };
  catalogue: CatalogueData;
  current: VersionFull;
}): ReactElement {
  const options = useCompareOptions(strategy, working);
  const sides = useComparedSides(strategy, current, options);
  const scope = usePreviewScope(catalogue);
  const { data, error, loading } = useQuery(COMPARE_QUERY, {
    variables: { a: sides.docA, b: sides.docB, asOf: scope.asOf, segment: scope.segment },
    skip: !sides.docA || !sides.docB || !scope.segment,
    fetchPolicy: 'no-cache',
  });
  const c = data?.compareStrategies;

  return (
    <div className="compare">
      <ComparePicker
        options={options}
        sides={sides}
        scope={scope}
        status={loading ? 'Comparing…' : c ? `${formatInteger(c.partnersEvaluated)} partners evaluated` : ''}
      />
      {error && (
        <div className="strat-banner" role="alert">
          <div>
            <b>The comparison failed</b>
            <p>{errorMessage(error)}</p>
          </div>
        </div>
      )}
      {c && sides.docA && sides.docB && <ComparisonView c={c} docA={sides.docA} docB={sides.docB} stale={loading} />}
      {!c && loading && (
        <div className="card table-card">
          <div className="skeleton skeleton-label" />
          {[0, 1, 2].map((i) => (
            <div key={i} className="skeleton skeleton-row" />
          ))}
        </div>
      )}
    </div>
  );
}

/** What can be compared: the working copy, every version of this strategy, and the live version of every other strategy. */
function useCompareOptions(strategy: StrategyFull, working: { doc: StrategyDoc; label: string }): Option[] {
  const others = useQuery(STRATEGIES_QUERY);
  return useMemo(() => {
    const list: Option[] = [{ id: 'working', label: `Working copy: ${working.label}`, doc: working.doc }];
    for (const v of strategy.versions)
      list.push({ id: `v${v.version}`, label: `v${v.version} · ${statusLabel(v.status).toLowerCase()}`, doc: asStrategyDoc(v.document) });
    for (const e of others.data?.strategies.edges ?? []) {
      const s = e.node;
      if (s.key !== strategy.key && s.activeVersion)
        list.push({ id: s.key, label: `${s.key} · live v${s.activeVersion.version}`, doc: asStrategyDoc(s.activeVersion.document) });
    }
    return list;
  }, [strategy, working, others.data]);
}

interface ComparedSides {
  a: string;
  setA: (id: string) => void;
  b: string;
  setB: (id: string) => void;
  docA: StrategyDoc | undefined;
  docB: StrategyDoc | undefined;
}

/** The two sides compared, ?a= and ?b=: before, the live version (or another one); after, the working copy. */
function useComparedSides(strategy: StrategyFull, current: VersionFull, options: Option[]): ComparedSides {
  const live = strategy.versions.find((v) => v.status === 'ACTIVE');
  const defaultA = `v${(live && live.id !== current.id ? live : (strategy.versions.find((v) => v.id !== current.id) ?? current)).version}`;
  const [aParam, setAParam] = useSearchParam('a');
  const [bParam, setBParam] = useSearchParam('b');
  const a = aParam ?? defaultA;
  const b = bParam ?? 'working';
  return {
    a,
    setA: (id) => setAParam(id, { replace: true }),
    b,
    setB: (id) => setBParam(id, { replace: true }),
    docA: options.find((o) => o.id === a)?.doc,
    docB: options.find((o) => o.id === b)?.doc,
  };
}

function ComparePicker({ options, sides, scope, status }: { options: Option[]; sides: ComparedSides; scope: PreviewScope; status: string }): ReactElement {
  return (
    <section className="card compare-pick" aria-label="What to compare">
      <SidePicker label="A (before)" ariaLabel="Compare A" value={sides.a} onChange={sides.setA} options={options} />
      <span className="compare-arrow">→</span>
      <SidePicker label="B (after)" ariaLabel="Compare B" value={sides.b} onChange={sides.setB} options={options} />
      <ScopeFields scope={scope} name="Compare" />
      <span className="muted compare-status">{status}</span>
    </section>
  );
}

function SidePicker({
  label,
  ariaLabel,
  value,
  onChange,
  options,
}: {
  label: string;
  ariaLabel: string;
  value: string;
  onChange: (id: string) => void;
  options: Option[];
}): ReactElement {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={ariaLabel}>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
