import { useState, type ReactElement } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { errorMessage } from '../../lib/errors';
import { uniqueName, type Condition, type Rule } from '../../lib/strategyDocument';
import { EXPAND_RULE_QUERY, type TemplateMeta } from './queries';

/** The basic rules to start from, and the form of the one picked: its parameters, name and points. */
export function TemplatePicker({
  templates,
  rules,
  onAdd,
  onClose,
}: {
  templates: TemplateMeta[];
  rules: Rule[];
  onAdd: (r: Rule) => void;
  onClose: () => void;
}): ReactElement {
  const form = useTemplateForm(rules, onAdd);
  return (
    <div className="template-picker" role="dialog" aria-label="Rule templates">
      <div className="template-list">
        {templates.map((t) => (
          <button key={t.id} type="button" className={`template${form.chosen?.id === t.id ? ' is-on' : ''}`} onClick={() => form.choose(t)}>
            <b>{t.label}</b>
            <span>{t.description.replace(/`/g, '')}</span>
          </button>
        ))}
      </div>
      <div className="template-form">
        {!form.chosen ? (
          <p className="muted">Pick a basic rule: it expands into plain conditions you can edit afterwards.</p>
        ) : (
          <TemplateForm chosen={form.chosen} form={form} onClose={onClose} />
        )}
      </div>
    </div>
  );
}

interface TemplateFormState {
  chosen: TemplateMeta | null;
  choose: (t: TemplateMeta) => void;
  /** The parameters as typed, by name. */
  params: Record<string, string>;
  setParam: (name: string, value: string) => void;
  name: string;
  setName: (name: string) => void;
  pts: number;
  setPts: (pts: number) => void;
  exit: boolean;
  setExit: (exit: boolean) => void;
  problem: string | null;
  busy: boolean;
  /** Expands the template with its parameters (expandBasicRule) and adds the rule. */
  add: () => Promise<void>;
}

/** The parameters as the template takes them: lists split at commas, the rest numbers. */
function typedParams(template: TemplateMeta, params: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    template.params.map((p) => {
      const raw = params[p.name] ?? '';
      return [
        p.name,
        p.type === 'string[]'
          ? raw
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : Number(raw),
      ];
    }),
  );
}

function useTemplateForm(rules: Rule[], onAdd: (r: Rule) => void): TemplateFormState {
  const client = useApolloClient();
  const [chosen, setChosen] = useState<TemplateMeta | null>(null);
  const [params, setParams] = useState<Record<string, string>>({});
  const [name, setName] = useState('');
  const [pts, setPts] = useState(10);
  const [exit, setExit] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const choose = (t: TemplateMeta) => {
    setChosen(t);
    setParams(Object.fromEntries(t.params.map((p) => [p.name, Array.isArray(p.default) ? p.default.join(', ') : String(p.default)])));
    setName(uniqueName(t.label, rules));
    const isExitTemplate = t.id === 'allOverdueDisputedOrBlocked';
    setExit(isExitTemplate);
    setPts(isExitTemplate ? 0 : 10);
    setProblem(null);
  };

  const add = async () => {
    if (!chosen) return;
    setBusy(true);
    try {
      const { data } = await client.query({
        query: EXPAND_RULE_QUERY,
        variables: { id: chosen.id, params: typedParams(chosen, params) },
        fetchPolicy: 'no-cache',
      });
      onAdd({
        name: name.trim() || chosen.label,
        priority: 1,
        conditions: data!.expandBasicRule as Condition,
        event: { type: 'valuation', params: { points: exit ? 0 : pts, role: exit ? 'exit' : 'condition' } },
      });
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const setParam = (paramName: string, value: string) => setParams({ ...params, [paramName]: value });
  return { chosen, choose, params, setParam, name, setName, pts, setPts, exit, setExit, problem, busy, add };
}

function TemplateForm({ chosen, form, onClose }: { chosen: TemplateMeta; form: TemplateFormState; onClose: () => void }): ReactElement {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void form.add();
      }}
    >
      <h3>{chosen.label}</h3>
      <p className="muted">{chosen.description.replace(/`/g, '')}</p>
      <label>
        Rule name
        <input value={form.name} onChange={(e) => form.setName(e.target.value)} aria-label="New rule name" />
      </label>
      {chosen.params.map((p) => (
        <label key={p.name}>
          {p.label}
          <input
            aria-label={p.label}
            value={form.params[p.name] ?? ''}
            inputMode={p.type === 'string[]' ? 'text' : 'decimal'}
            placeholder={p.type === 'string[]' ? 'A, B' : ''}
            onChange={(e) => form.setParam(p.name, e.target.value)}
          />
        </label>
      ))}
      <label className="template-check">
        <input type="checkbox" checked={form.exit} onChange={(e) => form.setExit(e.target.checked)} /> Exit rule (takes the partner off the list)
      </label>
      {!form.exit && (
        <label>
          Points
          <input type="number" value={form.pts} onChange={(e) => form.setPts(Number(e.target.value))} aria-label="New rule points" />
        </label>
      )}
      {form.problem && (
        <p className="strat-error" role="alert">
          {form.problem}
        </p>
      )}
      <div className="template-actions">
        <button type="submit" className="button button-primary" disabled={form.busy}>
          {form.busy ? 'Adding…' : 'Add rule'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
