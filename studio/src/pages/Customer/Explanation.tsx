import type { ReactElement } from 'react';
import type { Customer } from '../../lib/customers';

type Explained = NonNullable<NonNullable<Customer['worklistItem']>['explanation']>;
type RuleExplanation = Explained['rules'][number];

/** Why the item has its priority: exits, the rules that fired (then those that did not), and the fact values they read. */
export function Explanation({ explanation }: { explanation: Explained }): ReactElement {
  const fired = explanation.rules.filter((r) => r.fired);
  const notFired = explanation.rules.filter((r) => !r.fired);
  return (
    <section className="card work-side-card work-explain" aria-label="Why">
      <h2>Why this priority</h2>
      {explanation.exits.length > 0 && <p className="work-error">Exit: {explanation.exits.join(', ')}</p>}
      <ul className="work-rules">
        {fired.map((r) => (
          <Rule key={r.index} rule={r} />
        ))}
        {notFired.map((r) => (
          <Rule key={r.index} rule={r} />
        ))}
      </ul>
      <h3>Fact values</h3>
      <dl className="work-facts">
        {/* facts is JSON: an object of fact values by fact key */}
        {Object.entries((explanation.facts ?? {}) as Record<string, unknown>).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{factValue(v)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

interface Cond {
  fact?: string;
  operator?: string;
  value?: unknown;
  factValue?: unknown;
  result?: boolean;
  all?: Cond[];
  any?: Cond[];
  not?: Cond;
  conditions?: Cond[];
}

function leaves(c: unknown): Cond[] {
  if (!c || typeof c !== 'object') return [];
  const node = c as Cond;
  if (node.fact) return [node];
  return [...(node.all ?? []), ...(node.any ?? []), ...(node.conditions ?? []), ...(node.not ? [node.not] : [])].flatMap(leaves);
}

function Rule({ rule }: { rule: RuleExplanation }): ReactElement {
  return (
    <li className={rule.fired ? 'is-fired' : ''}>
      <div className="work-rule-head">
        <span className="work-rule-dot" aria-hidden="true" />
        <span className="work-rule-name">{rule.name}</span>
        <b className={rule.points < 0 ? 'is-negative' : ''}>{rule.role === 'exit' ? 'exit' : `${rule.points > 0 ? '+' : ''}${rule.points}`}</b>
      </div>
      {rule.fired && (
        <ul className="work-conds">
          {leaves(rule.conditions)
            .slice(0, 4)
            .map((c, i) => (
              <li key={i}>
                <code>{c.fact}</code> {c.operator} <code>{JSON.stringify(c.value)}</code>{' '}
                <span className="muted">was {JSON.stringify(c.factValue ?? null)}</span>
              </li>
            ))}
        </ul>
      )}
    </li>
  );
}

function factValue(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
