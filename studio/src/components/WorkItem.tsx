/** Small pieces of a worklist item, shown alike on every worklist page and the customer 360. */
import type { ReactElement } from 'react';
import type { WorkItemFieldsFragment } from '../gql/graphql';
import { Money } from './Money';
import { RuleWordsList, type ExplainedRule } from './RuleWords';
import './work.css';

export function Prio({ priority }: { priority: number }): ReactElement {
  return <span className={`prio prio-${Math.min(priority, 4)}`}>P{priority}</span>;
}

export function Score({ item }: { item: Pick<WorkItemFieldsFragment, 'valuation' | 'percent'> }): ReactElement {
  const percent = Number(item.percent);
  return (
    <div className="score">
      <span className="score-points">{item.valuation} pts</span>
      <span className="score-track" aria-hidden="true">
        <span className="score-fill" style={{ width: `${Math.max(0, Math.min(percent, 100))}%` }} />
      </span>
      <span className="score-percent">{percent.toFixed(0)}%</span>
    </div>
  );
}

/** Done, re-valuated or still to work. */
export function ItemState({ item, done }: { item: WorkItemFieldsFragment; done: boolean }): ReactElement {
  if (done) return <span className="work-state is-done">✓ Done</span>;
  if (item.revaluatedAt)
    return (
      <span className="work-state is-revaluated" title={`Re-valuated ${new Date(item.revaluatedAt).toLocaleString()}`}>
        Re-valuated
      </span>
    );
  return <span className="work-state">To work</span>;
}

export function Amounts({ item }: { item: WorkItemFieldsFragment }): ReactElement {
  const currency = item.currency ?? 'EUR';
  return (
    <dl className="work-amounts">
      <div>
        <dt>To be collected</dt>
        <dd data-field="toBeCollected">
          <Money amount={item.amounts.toBeCollected} currency={currency} />
        </dd>
      </div>
      <div>
        <dt>Overdue</dt>
        <dd>
          <Money amount={item.amounts.overdue} currency={currency} />
        </dd>
      </div>
      <div>
        <dt>Promised</dt>
        <dd data-field="promised">
          <Money amount={item.amounts.promised} currency={currency} />
        </dd>
      </div>
      <div>
        <dt>Disputed</dt>
        <dd>
          <Money amount={item.amounts.disputed} currency={currency} />
        </dd>
      </div>
    </dl>
  );
}

/** Why the item has its priority, folded: every rule in words (fired first), amounts in the strategy currency. */
export function WhyPriority({ rules, currency }: { rules: readonly ExplainedRule[]; currency: string }): ReactElement {
  const fired = rules.filter((r) => r.fired).length;
  return (
    <details className="work-why">
      <summary>
        Why this priority <span className="muted">({fired === 1 ? '1 rule fired' : `${fired} rules fired`})</span>
      </summary>
      <RuleWordsList rules={rules} currency={currency} label="Rules, fired first" />
    </details>
  );
}
