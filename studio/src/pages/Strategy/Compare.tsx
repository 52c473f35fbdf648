import { useMemo, type CSSProperties, type ReactElement, type ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { Money } from '../../components/Money';
import { errorMessage } from '../../lib/errors';
import { formatInteger } from '../../lib/format';
import { useSearchParam } from '../../lib/searchParams';
import { STRATEGIES_QUERY, statusLabel } from '../../lib/strategies';
import { asStrategyDoc, sortedBands, type StrategyDoc } from '../../lib/strategyDocument';
import { COMPARE_QUERY, type CatalogueData, type Comparison, type StrategyFull, type VersionFull } from './queries';
import { usePreviewScope } from './hooks';

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
  const others = useQuery(STRATEGIES_QUERY);
  const options: Option[] = useMemo(() => {
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
  const live = strategy.versions.find((v) => v.status === 'ACTIVE');
  // Before: the live version (or another one) unless the URL names a side; after: the working copy.
  const defaultA = `v${(live && live.id !== current.id ? live : (strategy.versions.find((v) => v.id !== current.id) ?? current)).version}`;
  const [aParam, setA] = useSearchParam('a');
  const [bParam, setB] = useSearchParam('b');
  const a = aParam ?? defaultA;
  const b = bParam ?? 'working';
  const { segments, segment, setSegment, asOf, setAsOf } = usePreviewScope(catalogue);
  const docA = options.find((o) => o.id === a)?.doc;
  const docB = options.find((o) => o.id === b)?.doc;
  const { data, error, loading } = useQuery(COMPARE_QUERY, {
    variables: { a: docA, b: docB, asOf, segment },
    skip: !docA || !docB || !segment,
    fetchPolicy: 'no-cache',
  });
  const c = data?.compareStrategies;

  return (
    <div className="compare">
      <section className="card compare-pick" aria-label="What to compare">
        <label>
          A (before)
          <select value={a} onChange={(e) => setA(e.target.value, { replace: true })} aria-label="Compare A">
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <span className="compare-arrow">→</span>
        <label>
          B (after)
          <select value={b} onChange={(e) => setB(e.target.value, { replace: true })} aria-label="Compare B">
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Segment
          <select value={segment} onChange={(e) => setSegment(e.target.value)} aria-label="Compare segment">
            {segments.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Key date
          <input type="date" value={asOf} onChange={(e) => e.target.value && setAsOf(e.target.value)} />
        </label>
        <span className="muted compare-status">{loading ? 'Comparing…' : c ? `${formatInteger(c.partnersEvaluated)} partners evaluated` : ''}</span>
      </section>
      {error && (
        <div className="strat-banner" role="alert">
          <div>
            <b>The comparison failed</b>
            <p>{errorMessage(error)}</p>
          </div>
        </div>
      )}
      {c && docA && docB && <ComparisonView c={c} docA={docA} docB={docB} stale={loading} />}
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

function ComparisonView({ c, docA, docB, stale }: { c: Comparison; docA: StrategyDoc; docB: StrategyDoc; stale: boolean }): ReactElement {
  const currency = docB.currency || 'EUR';
  const rowsA: (number | null)[] = [...sortedBands(docA.priorities).map((b) => b.priority), null];
  const colsB: (number | null)[] = [...sortedBands(docB.priorities).map((b) => b.priority), null];
  const cell = (from: number | null, to: number | null) => c.matrix.find((m) => m.from === from && m.to === to);
  const max = Math.max(1, ...c.matrix.filter((m) => m.from !== m.to).map((m) => m.count), ...c.matrix.map((m) => m.count));
  const label = (p: number | null) => (p === null ? 'off list' : `P${p}`);
  const delta = c.b.partners - c.a.partners;

  return (
    <div className={stale ? 'is-stale' : ''}>
      <div className="figures figures-3 compare-figures">
        <div className="card figure">
          <div className="figure-label">Partners that change priority</div>
          <div className="figure-value" data-testid="moved-count">
            {formatInteger(c.movedCount)}
          </div>
          <div className="figure-foot">
            of {formatInteger(c.partnersEvaluated)} evaluated on {c.segment}
          </div>
        </div>
        <div className="card figure">
          <div className="figure-label">On the list</div>
          <div className="figure-value">
            {formatInteger(c.a.partners)} → {formatInteger(c.b.partners)}{' '}
            <span className={`delta${delta > 0 ? ' is-up' : delta < 0 ? ' is-down' : ''}`}>
              {delta > 0 ? '+' : ''}
              {delta}
            </span>
          </div>
          <div className="figure-foot">
            excluded {formatInteger(c.a.excluded)} → {formatInteger(c.b.excluded)}
          </div>
        </div>
        <div className="card figure">
          <div className="figure-label">To be collected on the list</div>
          <div className="figure-value compare-money">
            <Money amount={c.b.amountToBeCollected} currency={currency} />
          </div>
          <div className="figure-foot">
            was <Money amount={c.a.amountToBeCollected} currency={currency} />
          </div>
        </div>
      </div>

      <div className="compare-grid">
        <section className="card compare-matrix" aria-label="Migration matrix">
          <h2>Migration between priorities</h2>
          <p className="muted">Rows: priority under A · columns: under B. The diagonal stayed put.</p>
          <table className="heat">
            <thead>
              <tr>
                <th className="heat-corner">A ↓ · B →</th>
                {colsB.map((p) => (
                  <th key={String(p)} scope="col">
                    {p === null ? 'off list' : <span className={`prio prio-${Math.min(p, 4)}`}>P{p}</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rowsA.map((from) => (
                <tr key={String(from)}>
                  <th scope="row">{from === null ? 'off list' : <span className={`prio prio-${Math.min(from, 4)}`}>P{from}</span>}</th>
                  {colsB.map((to) => {
                    const m = cell(from, to);
                    const n = m?.count ?? 0;
                    const same = from === to;
                    const up = from !== null && to !== null ? to < from : to !== null;
                    const intensity = n ? (same ? 0.08 + 0.3 * (n / max) : 0.15 + 0.75 * (n / max)) : 0;
                    return (
                      <td
                        key={String(to)}
                        className={`heat-cell${same ? ' is-same' : up ? ' is-up' : ' is-down'}${n ? '' : ' is-zero'}`}
                        style={{ '--heat': intensity } as CSSProperties}
                        data-from={label(from)}
                        data-to={label(to)}
                        title={`${label(from)} → ${label(to)}: ${n} partners`}
                      >
                        <span className="heat-n">{formatInteger(n)}</span>
                        {n > 0 && m && (
                          <span className="heat-amt">
                            <Money amount={m.amountToBeCollectedB} currency={currency} />
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted heat-legend">
            <span className="heat-key is-up" /> moves up <span className="heat-key is-down" /> moves down <span className="heat-key is-same" /> unchanged
          </p>
        </section>

        <section className="card compare-bands" aria-label="Amounts per band">
          <h2>Amount per band</h2>
          <SideBySide
            currency={currency}
            label="Band"
            rows={[...new Set([...sortedBands(docA.priorities).map((x) => x.priority), ...sortedBands(docB.priorities).map((x) => x.priority)])]
              .sort((x, y) => x - y)
              .map((p) => ({
                key: String(p),
                head: <span className={`prio prio-${Math.min(p, 4)}`}>P{p}</span>,
                a: c.a.byPriority.find((f) => f.priority === p),
                b: c.b.byPriority.find((f) => f.priority === p),
              }))}
          />
          <h2 className="compare-sub">Specialist load</h2>
          <SideBySide
            currency={currency}
            label="Specialist"
            rows={[...new Set([...c.a.bySpecialist, ...c.b.bySpecialist].map((l) => l.specialistId ?? ''))].map((id) => {
              const a = c.a.bySpecialist.find((l) => (l.specialistId ?? '') === id);
              const b = c.b.bySpecialist.find((l) => (l.specialistId ?? '') === id);
              return { key: id || 'none', head: (a ?? b)?.specialist?.name ?? <span className="muted">unassigned</span>, a, b };
            })}
          />
        </section>
      </div>

      <section className="card table-card" aria-label="Partners that moved">
        <div className="card-header">
          <h2>Partners that moved · {formatInteger(c.movedCount)}</h2>
          <p className="muted">
            {c.movedCount > c.moved.edges.length ? `The first ${c.moved.edges.length}, by partner.` : 'Every partner whose priority differs.'}
          </p>
        </div>
        <div className="table-scroll">
          <table className="table moved-table">
            <thead>
              <tr>
                <th>Partner</th>
                <th>Priority</th>
                <th className="num">Valuation</th>
                <th className="num">To be collected</th>
              </tr>
            </thead>
            <tbody>
              {c.moved.edges.map(({ node: m }) => (
                <tr key={m.partnerId}>
                  <td>
                    <div className="segment-name">{m.partner.name}</div>
                    <div className="segment-key">{m.partner.externalId}</div>
                  </td>
                  <td className="moved-prio">
                    {m.from === null ? <span className="muted">off</span> : <span className={`prio prio-${Math.min(m.from, 4)}`}>P{m.from}</span>}
                    <span className="moved-arrow">→</span>
                    {m.to === null ? <span className="muted">off</span> : <span className={`prio prio-${Math.min(m.to, 4)}`}>P{m.to}</span>}
                  </td>
                  <td className="num">
                    {m.valuationA ?? '–'} → {m.valuationB ?? '–'} pts
                  </td>
                  <td className="num">{m.amountToBeCollected ? <Money amount={m.amountToBeCollected} currency={currency} /> : '–'}</td>
                </tr>
              ))}
              {c.moved.edges.length === 0 && (
                <tr>
                  <td colSpan={4} className="empty">
                    Nobody moves: both sides make the same list.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function SideBySide({
  rows,
  currency,
  label,
}: {
  rows: { key: string; head: ReactNode; a?: { count: number; amountToBeCollected: string }; b?: { count: number; amountToBeCollected: string } }[];
  currency: string;
  label: string;
}): ReactElement {
  return (
    <table className="side-table">
      <thead>
        <tr>
          <th>{label}</th>
          <th className="num">A</th>
          <th className="num">B</th>
          <th className="num">Δ</th>
          <th className="num">To collect A</th>
          <th className="num">To collect B</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const a = r.a?.count ?? 0;
          const b = r.b?.count ?? 0;
          return (
            <tr key={r.key}>
              <th scope="row">{r.head}</th>
              <td className="num">{formatInteger(a)}</td>
              <td className="num">
                <b>{formatInteger(b)}</b>
              </td>
              <td className={`num delta${b > a ? ' is-up' : b < a ? ' is-down' : ''}`}>{b === a ? '·' : `${b > a ? '+' : ''}${b - a}`}</td>
              <td className="num muted">
                <Money amount={r.a?.amountToBeCollected ?? '0'} currency={currency} />
              </td>
              <td className="num">
                <Money amount={r.b?.amountToBeCollected ?? '0'} currency={currency} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
