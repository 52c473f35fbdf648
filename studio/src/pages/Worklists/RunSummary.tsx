import type { ReactElement } from 'react';
import { Money } from '../../components/Money';
import { formatAsOf, formatCount, formatInteger } from '../../lib/format';
import type { WorklistRun } from './useSegmentWorklist';

/** How many partners the run put on the list and took off it, and its key date. */
export function RunFigures({ run, currency }: { run: WorklistRun; currency: string }): ReactElement {
  return (
    <div className="figures">
      <div className="card figure">
        <div className="figure-label">On the list</div>
        <div className="figure-value">{formatInteger(run.partnersOnList)}</div>
        <div className="figure-foot">of {formatInteger(run.partnersEvaluated)} partners evaluated</div>
      </div>
      <div className="card figure">
        <div className="figure-label">Excluded by exit rules</div>
        <div className="figure-value">{formatInteger(run.partnersExcluded)}</div>
        <div className="figure-foot">disputed, blocked or otherwise taken off</div>
      </div>
      <div className="card figure">
        <div className="figure-label">Key date</div>
        <div className="figure-value figure-date">{formatAsOf(run.asOf)}</div>
        <div className="figure-foot">amounts in {currency}</div>
      </div>
    </div>
  );
}

/** Partners per priority as one bar (a picture of the list), with each band's amount to collect. */
export function PriorityMix({
  run,
  currency,
  selected,
  onSelect,
}: {
  run: WorklistRun;
  currency: string;
  selected: number | null;
  onSelect: (p: number | null) => void;
}): ReactElement | null {
  const total = run.byPriority.reduce((n, b) => n + b.count, 0);
  if (total === 0) return null;
  return (
    <section className="card mix-card" aria-label="Partners by priority">
      <div className="mix-head">
        <h2>By priority</h2>
        {run.amountToBeCollected && (
          <span className="muted">
            to be collected: <Money amount={run.amountToBeCollected} currency={currency} />
          </span>
        )}
      </div>
      <div className="mix-bar">
        {run.byPriority.map((b) => (
          <button
            key={b.priority}
            type="button"
            className={`mix-seg prio-${Math.min(b.priority, 4)}${selected === b.priority ? ' is-active' : ''}`}
            style={{ flexGrow: b.count }}
            title={`P${b.priority}: ${formatCount(b.count, 'partner')}`}
            onClick={() => onSelect(selected === b.priority ? null : b.priority)}
          >
            {b.count / total > 0.06 ? `P${b.priority}` : ''}
          </button>
        ))}
      </div>
      <ul className="mix-legend">
        {run.byPriority.map((b) => (
          <li key={b.priority}>
            <span className={`prio prio-${Math.min(b.priority, 4)}`}>P{b.priority}</span>
            <span>{formatCount(b.count, 'partner')}</span>
            <span className="muted">
              <Money amount={b.amountToBeCollected} currency={currency} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
