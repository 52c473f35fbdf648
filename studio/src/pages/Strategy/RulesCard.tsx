import { useMemo, useState, type ReactElement } from 'react';
import { uniqueName, type Rule, type StrategyDoc } from '../../lib/strategyDocument';
import { newFactCondition, type Ctx } from './ConditionEditor';
import { JsonView } from './JsonView';
import type { CatalogueData, ValidationError } from './queries';
import { RuleCard } from './RuleCard';
import { TemplatePicker } from './TemplatePicker';
import { useRuleList, type RuleList } from './useRuleList';

type View = 'visual' | 'json';

/** The rules, visually (each with its condition tree, added blank or from a template) or as the JSON document. */
export function RulesCard({
  doc,
  setDoc,
  catalogue,
  errors,
  max,
  jsonBroken,
  onJsonBroken,
}: {
  doc: StrategyDoc;
  setDoc: (d: StrategyDoc) => void;
  catalogue: CatalogueData;
  errors: ValidationError[];
  max: number;
  jsonBroken: string | null;
  onJsonBroken: (m: string | null) => void;
}): ReactElement {
  const [view, setView] = useState<View>('visual');
  const [picker, setPicker] = useState(false);
  const list = useRuleList(doc, setDoc, errors);
  const ctx = useConditionContext(catalogue, errors);
  const addRule = (rule: Rule) => {
    list.add(rule);
    setPicker(false);
  };

  return (
    <section className="card rules-card" aria-label="Rules">
      <div className="rules-head">
        <div>
          <h2>
            Rules <span className="muted">· {list.rules.length}</span>
          </h2>
          <p className="muted">Each rule that fires adds its points; an exit rule takes the partner off the list. Max valuation {max} points.</p>
        </div>
        <div className="rules-actions">
          <ViewToggle view={view} setView={setView} jsonBroken={jsonBroken} />
          {view === 'visual' && <AddRuleButtons rules={list.rules} onBlank={addRule} picker={picker} onPicker={() => setPicker(!picker)} />}
        </div>
      </div>
      {picker && view === 'visual' && (
        <TemplatePicker templates={catalogue.basicRuleTemplates} rules={list.rules} onAdd={addRule} onClose={() => setPicker(false)} />
      )}
      {view === 'json' ? (
        <JsonView doc={doc} setDoc={setDoc} errors={errors} onBroken={onJsonBroken} />
      ) : (
        <RuleCards list={list} ctx={ctx} max={max} onTemplates={() => setPicker(true)} />
      )}
    </section>
  );
}

/** What the condition editors look facts and operators up in, and the errors they show at their nodes. */
function useConditionContext(catalogue: CatalogueData, errors: ValidationError[]): Ctx {
  return useMemo(
    () => ({
      facts: new Map(catalogue.facts.map((f) => [f.name, f])),
      operators: new Map(catalogue.operators.map((o) => [o.name, o])),
      catalogue,
      errors,
    }),
    [catalogue, errors],
  );
}

/** Visual or JSON; the visual view waits while the JSON does not parse. */
function ViewToggle({ view, setView, jsonBroken }: { view: View; setView: (v: View) => void; jsonBroken: string | null }): ReactElement {
  return (
    <div className="seg-toggle" role="group" aria-label="View">
      <button type="button" className={view === 'visual' ? 'is-on' : ''} onClick={() => setView('visual')} disabled={!!jsonBroken}>
        Visual
      </button>
      <button type="button" className={view === 'json' ? 'is-on' : ''} onClick={() => setView('json')}>
        JSON
      </button>
    </div>
  );
}

function AddRuleButtons({
  rules,
  onBlank,
  picker,
  onPicker,
}: {
  rules: Rule[];
  onBlank: (r: Rule) => void;
  picker: boolean;
  onPicker: () => void;
}): ReactElement {
  return (
    <>
      <button
        type="button"
        className="button"
        onClick={() =>
          onBlank({
            name: uniqueName('New rule', rules),
            priority: 1,
            conditions: { all: [newFactCondition()] },
            event: { type: 'valuation', params: { points: 10, role: 'condition' } },
          })
        }
      >
        Blank rule
      </button>
      <button type="button" className="button button-primary" onClick={onPicker} aria-expanded={picker}>
        Add rule from template
      </button>
    </>
  );
}

function RuleCards({ list, ctx, max, onTemplates }: { list: RuleList; ctx: Ctx; max: number; onTemplates: () => void }): ReactElement {
  return (
    <div className="rule-list">
      {list.rules.map((r, i) => (
        <RuleCard
          key={i}
          rule={r}
          index={i}
          max={max}
          ctx={ctx}
          open={list.isOpen(i)}
          count={list.rules.length}
          onToggle={() => list.toggle(i)}
          onChange={(nr) => list.change(i, nr)}
          onRemove={() => list.remove(i)}
          onMove={(d) => list.move(i, d)}
        />
      ))}
      {list.rules.length === 0 && (
        <div className="rules-empty">
          <p>
            <b>No rules yet.</b> Start from a template, such as <i>Days overdue of the oldest item</i> or <i>Broken promises</i>, and weight it with points.
          </p>
          <button type="button" className="button button-primary" onClick={onTemplates}>
            Add rule from template
          </button>
        </div>
      )}
    </div>
  );
}
