import type { ReactElement } from 'react';
import { ActionPanel, type ActionOutcome } from '../../components/ActionPanel';
import { Amounts, Score } from '../../components/WorkItem';
import type { Customer } from '../../lib/customers';
import { Explanation } from './Explanation';

/** The customer's item on a live worklist: its score and amounts, the forms to record what happened, and why it has its priority. */
export function WorklistSide({
  customer: c,
  outcome,
  onDone,
}: {
  customer: Customer;
  outcome: ActionOutcome | null;
  onDone: (outcome: ActionOutcome) => void;
}): ReactElement {
  const item = c.worklistItem;
  return (
    <div className="work-360-side">
      <section className="card work-side-card" aria-label="Worklist item">
        <h2>On the worklist</h2>
        {item ? (
          <>
            <div className="work-panel-score">
              <Score item={item} />
            </div>
            <Amounts item={item} />
            <p className="muted">
              {item.specialist ? `Worked by ${item.specialist.name}` : 'Unassigned'}
              {item.revaluatedAt ? ` · re-valuated ${new Date(item.revaluatedAt).toLocaleString()}` : ''}
            </p>
          </>
        ) : (
          <p className="muted">Not on a live worklist.</p>
        )}
      </section>
      {item && (
        <section className="card work-side-card">
          <h2>Record</h2>
          {outcome && (
            <div className={`work-toast${outcome.completed ? ' is-done' : ''}`} role="status">
              {outcome.message}
            </div>
          )}
          <ActionPanel partnerId={c.partnerId} items={c.openItems.edges.map((e) => e.node)} currency={c.partner.currency} onDone={onDone} />
        </section>
      )}
      {item?.explanation && <Explanation explanation={item.explanation} currency={item.currency ?? c.partner.currency} />}
    </div>
  );
}
