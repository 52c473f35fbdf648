import type { ReactElement, ReactNode } from 'react';
import { Money } from '../../components/Money';
import { keptPromises, type Customer } from '../../lib/customers';

/** Open and overdue, credit limit and its use, DSO, and how promises were kept. */
export function CustomerFigures({ customer: c }: { customer: Customer }): ReactElement {
  return (
    <div className="figures">
      <Figure
        label="Open"
        value={<Money amount={c.credit.openAmount} currency={c.credit.currency} />}
        foot={
          <>
            overdue <Money amount={c.credit.overdueAmount} currency={c.credit.currency} />
            <Held customer={c} />
          </>
        }
      />
      <Figure
        label="Credit limit"
        value={c.credit.creditLimit ? <Money amount={c.credit.creditLimit} currency={c.credit.currency} /> : '–'}
        foot={c.credit.utilizationPercent == null ? 'no limit set' : <Utilization percent={c.credit.utilizationPercent} risk={c.credit.riskClass} />}
      />
      <Figure
        label="DSO"
        value={c.keyFigures.daysSalesOutstanding == null ? '–' : `${c.keyFigures.daysSalesOutstanding.toFixed(1)} d`}
        foot={
          <>
            sales in 90 d: <Money amount={c.keyFigures.sales90Days} currency={c.credit.currency} />
          </>
        }
      />
      <KeptPromises customer={c} />
    </div>
  );
}

/** The kept share (or why there is none yet), then what is still open or broken. */
function KeptPromises({ customer: c }: { customer: Customer }): ReactElement {
  const kept = keptPromises(c);
  return <Figure label="Kept promises" value={kept.share} foot={[kept.open, `${c.keyFigures.brokenPromises} broken in 365 d`].filter(Boolean).join(' · ')} />;
}

/** Items left out of the open amount: placed with an agency or under a legal case at the key date. */
function Held({ customer: c }: { customer: Customer }): ReactElement | null {
  const held = c.credit.held;
  if (held.count === 0) return null;
  const where = [held.placed > 0 && `${held.placed} placed with an agency`, held.legal > 0 && `${held.legal} in a legal case`].filter(Boolean);
  return (
    <div
      className="figure-held"
      title="Held items are worked by the agency or the legal case (see Debt recovery), not by the worklist, and are not in the open amount."
    >
      held {held.amount === null ? '(no rate)' : <Money amount={held.amount} currency={c.credit.currency} />}: {where.join(', ')}
    </div>
  );
}

function Figure({ label, value, foot }: { label: string; value: ReactNode; foot: ReactNode }): ReactElement {
  return (
    <div className="card figure">
      <div className="figure-label">{label}</div>
      <div className="figure-value work-figure">{value}</div>
      <div className="figure-foot">{foot}</div>
    </div>
  );
}

function Utilization({ percent, risk }: { percent: number; risk: string | null }): ReactElement {
  const level = percent >= 100 ? 'high' : percent >= 75 ? 'mid' : 'low';
  return (
    <span className="work-util">
      <span className={`work-util-track is-${level}`}>
        <span style={{ width: `${Math.min(percent, 100)}%` }} />
      </span>
      {percent.toFixed(0)}% used{risk ? ` · risk ${risk}` : ''}
    </span>
  );
}
