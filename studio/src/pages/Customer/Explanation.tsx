import type { ReactElement } from 'react';
import { FactValuesInWords, RuleWordsList } from '../../components/RuleWords';
import type { Customer } from '../../lib/customers';

type Explained = NonNullable<NonNullable<Customer['worklistItem']>['explanation']>;

/** Why the item has its priority: exits, every rule in words (fired first), and the fact values they read; amounts in the strategy currency. */
export function Explanation({ explanation, currency }: { explanation: Explained; currency: string }): ReactElement {
  return (
    <section className="card work-side-card work-explain" aria-label="Why">
      <h2>Why this priority</h2>
      {explanation.exits.length > 0 && <p className="work-error">Exit: {explanation.exits.join(', ')}</p>}
      <RuleWordsList rules={explanation.rules} currency={currency} label="Rules, fired first" />
      <h3>Fact values</h3>
      {/* facts is JSON: an object of fact values by fact key */}
      <FactValuesInWords facts={(explanation.facts ?? {}) as Record<string, unknown>} currency={currency} className="work-facts" />
    </section>
  );
}
