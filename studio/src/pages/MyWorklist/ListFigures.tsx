import type { ReactElement } from 'react';
import { Money } from '../../components/Money';
import { formatInteger } from '../../lib/format';
import type { WorklistSummary } from './useMyWorklist';

/** How many partners are on the list, how many are done, and what is still to be collected. */
export function ListFigures({
  total,
  done,
  summary,
  currency,
}: {
  total: number;
  done: number;
  summary: WorklistSummary | undefined;
  /** For a zero amount when nothing is left. */
  currency: string;
}): ReactElement {
  return (
    <div className="figures figures-3">
      <div className="card figure">
        <div className="figure-label">On the list</div>
        <div className="figure-value">{formatInteger(total)}</div>
        <div className="figure-foot">partners, in worklist order</div>
      </div>
      <div className="card figure">
        <div className="figure-label">Done</div>
        <div className="figure-value" data-testid="done-count">
          {formatInteger(done)}
        </div>
        <div className="figure-foot">
          <span className="work-progress" title={`${done} of ${total}`}>
            <span style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
          </span>
        </div>
      </div>
      <div className="card figure">
        <div className="figure-label">Still to be collected</div>
        <div className="figure-value" data-testid="still-to-collect">
          {!summary ? (
            <span className="skeleton skeleton-value" />
          ) : summary.amountsToBeCollected.length === 0 ? (
            <Money amount="0" currency={currency} />
          ) : (
            summary.amountsToBeCollected.map((a) => (
              <div key={a.currency}>
                <Money amount={a.amount} currency={a.currency} />
              </div>
            ))
          )}
        </div>
        <div className="figure-foot">on the whole list, items not done</div>
      </div>
    </div>
  );
}
