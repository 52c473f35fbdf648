import type { CSSProperties, ReactElement, ReactNode } from 'react';
import { Money } from '../../components/Money';
import { formatInteger } from '../../lib/format';
import { sortedBands, type StrategyDoc } from '../../lib/strategyDocument';
import type { Comparison } from './queries';

/** The answer of a comparison: the headline figures, who moves between priorities, amounts and loads per side, and the partners that moved. */
export function ComparisonView({ c, docA, docB, stale }: { c: Comparison; docA: StrategyDoc; docB: StrategyDoc; stale: boolean }): ReactElement {
  const currency = docB.currency || 'EUR';
  return (
    <div className={stale ? 'is-stale' : ''}>
      <CompareFigures c={c} currency={currency} />
      <div className="compare-grid">
        <MigrationMatrix c={c} docA={docA} docB={docB} currency={currency} />
        <section className="card compare-bands" aria-label="Amounts per band">
          <h2>Amount per band</h2>
          <SideBySide currency={currency} label="Band" rows={bandRows(c, docA, docB)} />
          <h2 className="compare-sub">Specialist load</h2>
          <SideBySide currency={currency} label="Specialist" rows={specialistRows(c)} />
        </section>
      </div>
      <MovedPartners c={c} currency={currency} />
    </div>
  );
}

function Prio({ p }: { p: number }): ReactElement {
  return <span className={`prio prio-${Math.min(p, 4)}`}>P{p}</span>;
}

function CompareFigures({ c, currency }: { c: Comparison; currency: string }): ReactElement {
  const delta = c.b.partners - c.a.partners;
  return (
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
  );
}

const priorityLabel = (p: number | null) => (p === null ? 'off list' : `P${p}`);

/** Partners by their priority under A (rows) and under B (columns); off the list is a priority too. */
function MigrationMatrix({ c, docA, docB, currency }: { c: Comparison; docA: StrategyDoc; docB: StrategyDoc; currency: string }): ReactElement {
  const rowsA: (number | null)[] = [...sortedBands(docA.priorities).map((b) => b.priority), null];
  const colsB: (number | null)[] = [...sortedBands(docB.priorities).map((b) => b.priority), null];
  const max = Math.max(1, ...c.matrix.filter((m) => m.from !== m.to).map((m) => m.count), ...c.matrix.map((m) => m.count));
  return (
    <section className="card compare-matrix" aria-label="Migration matrix">
      <h2>Migration between priorities</h2>
      <p className="muted">Rows: priority under A · columns: under B. The diagonal stayed put.</p>
      <table className="heat">
        <thead>
          <tr>
            <th className="heat-corner">A ↓ · B →</th>
            {colsB.map((p) => (
              <th key={String(p)} scope="col">
                {p === null ? 'off list' : <Prio p={p} />}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rowsA.map((from) => (
            <tr key={String(from)}>
              <th scope="row">{from === null ? 'off list' : <Prio p={from} />}</th>
              {colsB.map((to) => (
                <HeatCell key={String(to)} from={from} to={to} cell={c.matrix.find((m) => m.from === from && m.to === to)} max={max} currency={currency} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted heat-legend">
        <span className="heat-key is-up" /> moves up <span className="heat-key is-down" /> moves down <span className="heat-key is-same" /> unchanged
      </p>
    </section>
  );
}

function HeatCell({
  from,
  to,
  cell: m,
  max,
  currency,
}: {
  from: number | null;
  to: number | null;
  cell: Comparison['matrix'][number] | undefined;
  max: number;
  currency: string;
}): ReactElement {
  const n = m?.count ?? 0;
  const same = from === to;
  const up = from !== null && to !== null ? to < from : to !== null;
  const intensity = n ? (same ? 0.08 + 0.3 * (n / max) : 0.15 + 0.75 * (n / max)) : 0;
  return (
    <td
      className={`heat-cell${same ? ' is-same' : up ? ' is-up' : ' is-down'}${n ? '' : ' is-zero'}`}
      style={{ '--heat': intensity } as CSSProperties}
      data-from={priorityLabel(from)}
      data-to={priorityLabel(to)}
      title={`${priorityLabel(from)} → ${priorityLabel(to)}: ${n} partners`}
    >
      <span className="heat-n">{formatInteger(n)}</span>
      {n > 0 && m && (
        <span className="heat-amt">
          <Money amount={m.amountToBeCollectedB} currency={currency} />
        </span>
      )}
    </td>
  );
}

interface SideRow {
  key: string;
  head: ReactNode;
  a?: { count: number; amountToBeCollected: string };
  b?: { count: number; amountToBeCollected: string };
}

/** One row per priority band of either side. */
function bandRows(c: Comparison, docA: StrategyDoc, docB: StrategyDoc): SideRow[] {
  return [...new Set([...sortedBands(docA.priorities).map((x) => x.priority), ...sortedBands(docB.priorities).map((x) => x.priority)])]
    .sort((x, y) => x - y)
    .map((p) => ({
      key: String(p),
      head: <Prio p={p} />,
      a: c.a.byPriority.find((f) => f.priority === p),
      b: c.b.byPriority.find((f) => f.priority === p),
    }));
}

/** One row per specialist with items on either side. */
function specialistRows(c: Comparison): SideRow[] {
  return [...new Set([...c.a.bySpecialist, ...c.b.bySpecialist].map((l) => l.specialistId ?? ''))].map((id) => {
    const a = c.a.bySpecialist.find((l) => (l.specialistId ?? '') === id);
    const b = c.b.bySpecialist.find((l) => (l.specialistId ?? '') === id);
    return { key: id || 'none', head: (a ?? b)?.specialist?.name ?? <span className="muted">unassigned</span>, a, b };
  });
}

function SideBySide({ rows, currency, label }: { rows: SideRow[]; currency: string; label: string }): ReactElement {
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

function MovedPartners({ c, currency }: { c: Comparison; currency: string }): ReactElement {
  return (
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
                  {m.from === null ? <span className="muted">off</span> : <Prio p={m.from} />}
                  <span className="moved-arrow">→</span>
                  {m.to === null ? <span className="muted">off</span> : <Prio p={m.to} />}
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
  );
}
