import { useEffect, useMemo, useRef, useState, type PointerEvent, type ReactElement } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { errorMessage } from '../../lib/errors';
import {
  errorsAt,
  isExit,
  maxValuation,
  moveItem,
  points,
  removeAt,
  sortedBands,
  uniqueName,
  type Condition,
  type PriorityBand,
  type Rule,
  type StrategyDoc,
} from '../../lib/strategyDocument';
import { ConditionNode, newFactCondition, type Ctx } from './ConditionEditor';
import { useValidation } from './hooks';
import { PreviewPanel } from './Preview';
import { EXPAND_RULE_QUERY, type CatalogueData, type TemplateMeta, type ValidationError } from './queries';

/** The strategy builder: settings, priority bands, rules with their condition trees (or the JSON), and the live preview. */
export function Builder({ doc, setDoc, catalogue }: { doc: StrategyDoc; setDoc: (d: StrategyDoc) => void; catalogue: CatalogueData }): ReactElement {
  const [view, setView] = useState<'visual' | 'json'>('visual');
  const [jsonBroken, setJsonBroken] = useState<string | null>(null);
  const validation = useValidation(doc);
  const ctx: Ctx = useMemo(
    () => ({
      facts: new Map(catalogue.facts.map((f) => [f.name, f])),
      operators: new Map(catalogue.operators.map((o) => [o.name, o])),
      catalogue,
      errors: validation.errors,
    }),
    [catalogue, validation.errors],
  );
  const rules = Array.isArray(doc.rules) ? doc.rules : [];
  const setRules = (next: Rule[]) => setDoc({ ...doc, rules: next });
  const max = maxValuation({ ...doc, rules });
  const [open, setOpen] = useState<Set<number>>(() => new Set(rules.length <= 3 ? rules.map((_, i) => i) : []));
  const [picker, setPicker] = useState(false);
  const errs = validation.errors;

  // A rule with a problem opens so the problem is seen at its node (once per new set of errors:
  // the rule can be closed again). Adjusted while rendering, as React advises for state that follows a prop.
  const [seenErrors, setSeenErrors] = useState(errs);
  if (seenErrors !== errs) {
    setSeenErrors(errs);
    const bad = new Set(
      errs
        .map((e) => /^rules\[(\d+)\]/.exec(e.path)?.[1])
        .filter(Boolean)
        .map(Number),
    );
    if ([...bad].some((i) => !open.has(i))) setOpen(new Set([...open, ...bad]));
  }

  const addRule = (rule: Rule) => {
    setRules([...rules, rule]);
    setOpen(new Set([...open, rules.length]));
    setPicker(false);
    setTimeout(() => document.querySelector(`[data-rule="${rules.length}"]`)?.scrollIntoView({ block: 'center', behavior: 'smooth' }), 50);
  };

  return (
    <div className="builder">
      <div className="builder-editor">
        <Problems errors={errs} checking={validation.checking} />
        <Settings doc={doc} setDoc={setDoc} errors={errs} max={max} />
        <BandsEditor doc={doc} setDoc={setDoc} errors={errs} />

        <section className="card rules-card" aria-label="Rules">
          <div className="rules-head">
            <div>
              <h2>
                Rules <span className="muted">· {rules.length}</span>
              </h2>
              <p className="muted">Each rule that fires adds its points; an exit rule takes the partner off the list. Max valuation {max} points.</p>
            </div>
            <div className="rules-actions">
              <div className="seg-toggle" role="group" aria-label="View">
                <button type="button" className={view === 'visual' ? 'is-on' : ''} onClick={() => setView('visual')} disabled={!!jsonBroken}>
                  Visual
                </button>
                <button type="button" className={view === 'json' ? 'is-on' : ''} onClick={() => setView('json')}>
                  JSON
                </button>
              </div>
              {view === 'visual' && (
                <>
                  <button
                    type="button"
                    className="button"
                    onClick={() =>
                      addRule({
                        name: uniqueName('New rule', rules),
                        priority: 1,
                        conditions: { all: [newFactCondition()] },
                        event: { type: 'valuation', params: { points: 10, role: 'condition' } },
                      })
                    }
                  >
                    Blank rule
                  </button>
                  <button type="button" className="button button-primary" onClick={() => setPicker(!picker)} aria-expanded={picker}>
                    Add rule from template
                  </button>
                </>
              )}
            </div>
          </div>
          {picker && view === 'visual' && (
            <TemplatePicker templates={catalogue.basicRuleTemplates} rules={rules} onAdd={addRule} onClose={() => setPicker(false)} />
          )}
          {view === 'json' ? (
            <JsonView doc={doc} setDoc={setDoc} errors={errs} onBroken={setJsonBroken} />
          ) : (
            <div className="rule-list">
              {rules.map((r, i) => (
                <RuleCard
                  key={i}
                  rule={r}
                  index={i}
                  max={max}
                  ctx={ctx}
                  open={open.has(i)}
                  count={rules.length}
                  onToggle={() => {
                    const n = new Set(open);
                    if (n.has(i)) n.delete(i);
                    else n.add(i);
                    setOpen(n);
                  }}
                  onChange={(nr) => setRules(rules.map((x, j) => (j === i ? nr : x)))}
                  onRemove={() => {
                    setRules(removeAt(rules, i));
                    setOpen(new Set([...open].filter((j) => j !== i).map((j) => (j > i ? j - 1 : j))));
                  }}
                  onMove={(d) => setRules(moveItem(rules, i, i + d))}
                />
              ))}
              {rules.length === 0 && (
                <div className="rules-empty">
                  <p>
                    <b>No rules yet.</b> Start from a template, such as <i>Days overdue of the oldest item</i> or <i>Broken promises</i>, and weight it with
                    points.
                  </p>
                  <button type="button" className="button button-primary" onClick={() => setPicker(true)}>
                    Add rule from template
                  </button>
                </div>
              )}
            </div>
          )}
        </section>
      </div>
      <PreviewPanel doc={doc} catalogue={catalogue} paused={jsonBroken ? 'Paused: the JSON does not parse' : null} />
    </div>
  );
}

function Problems({ errors, checking }: { errors: ValidationError[]; checking: boolean }): ReactElement {
  if (!errors.length) {
    return (
      <div className={`strat-valid${checking ? ' is-checking' : ''}`} role="status">
        {checking ? 'Checking…' : '✓ Valid document'}
      </div>
    );
  }
  const go = (path: string) => {
    let p = path;
    while (p) {
      const el = document.querySelector(`[data-path="${CSS.escape(p)}"]`);
      if (el) {
        el.scrollIntoView({ block: 'center', behavior: 'smooth' });
        (el as HTMLElement).classList.add('flash');
        setTimeout(() => el.classList.remove('flash'), 1200);
        return;
      }
      p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    }
  };
  return (
    <div className="strat-problems" role="alert" aria-label="Problems">
      <b>
        {errors.length} {errors.length === 1 ? 'problem' : 'problems'} to fix before saving
      </b>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>
            <button type="button" className="link-button" onClick={() => go(e.path)}>
              <code>{e.path || '(document)'}</code>
            </button>{' '}
            {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function FieldErrors({ errors }: { errors: ValidationError[] }): ReactElement | null {
  if (!errors.length) return null;
  return (
    <ul className="node-errors" role="alert">
      {errors.map((e, i) => (
        <li key={i}>
          <code>{e.path}</code> {e.message}
        </li>
      ))}
    </ul>
  );
}

function Settings({ doc, setDoc, errors, max }: { doc: StrategyDoc; setDoc: (d: StrategyDoc) => void; errors: ValidationError[]; max: number }): ReactElement {
  const auto = doc.maxValuation === null || doc.maxValuation === undefined;
  const mine = errors.filter((e) => /^(name|currency|maxValuation|minPercent|key|agingBuckets)\b/.test(e.path));
  return (
    <section className="card settings-card" aria-label="Settings" data-path="">
      <label className="setting setting-wide">
        Name
        <input value={doc.name ?? ''} onChange={(e) => setDoc({ ...doc, name: e.target.value })} />
      </label>
      <label className="setting">
        Currency
        <input value={doc.currency ?? ''} maxLength={3} onChange={(e) => setDoc({ ...doc, currency: e.target.value.toUpperCase() })} />
      </label>
      <label className="setting" title="Partners below this percent of max valuation stay off the list">
        On the list from
        <span className="input-suffix">
          <input
            type="number"
            min={0}
            max={100}
            step={1}
            value={doc.minPercent ?? 0}
            onChange={(e) => setDoc({ ...doc, minPercent: e.target.value === '' ? 0 : Number(e.target.value) })}
          />{' '}
          %
        </span>
      </label>
      <label className="setting">
        Max valuation
        <span className="input-suffix">
          <input
            type="number"
            min={1}
            placeholder={`auto (${max})`}
            value={auto ? '' : String(doc.maxValuation)}
            onChange={(e) => setDoc({ ...doc, maxValuation: e.target.value === '' ? null : Number(e.target.value) })}
          />{' '}
          pts
        </span>
      </label>
      <FieldErrors errors={mine} />
    </section>
  );
}

function renumber(bands: PriorityBand[]): PriorityBand[] {
  return sortedBands(bands).map((b, i) => ({ ...b, priority: i + 1 }));
}

/** Priority bands on a 0–100 % bar: drag a boundary, or type it. */
function BandsEditor({ doc, setDoc, errors }: { doc: StrategyDoc; setDoc: (d: StrategyDoc) => void; errors: ValidationError[] }): ReactElement {
  const bands = Array.isArray(doc.priorities) ? doc.priorities : [];
  const asc = [...bands].map((b, i) => ({ b, i })).sort((x, y) => x.b.minPercent - y.b.minPercent);
  const bar = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<number | null>(null);
  const setBand = (i: number, patch: Partial<PriorityBand>) => setDoc({ ...doc, priorities: bands.map((b, j) => (j === i ? { ...b, ...patch } : b)) });
  const bandErrors = errors.filter((e) => e.path.startsWith('priorities'));

  const onMove = (e: PointerEvent) => {
    if (drag === null || !bar.current) return;
    const rect = bar.current.getBoundingClientRect();
    const pos = asc.findIndex((x) => x.i === drag);
    const lo = (asc[pos - 1]?.b.minPercent ?? 0) + 1;
    const hi = (asc[pos + 1]?.b.minPercent ?? 101) - 1;
    const pct = Math.round(((e.clientX - rect.left) / rect.width) * 100);
    setBand(drag, { minPercent: Math.max(lo, Math.min(hi, pct)) });
  };

  const addBand = () => {
    // split the widest band in two
    let best = { from: 0, to: 100, w: -1 };
    asc.forEach((x, k) => {
      const to = asc[k + 1]?.b.minPercent ?? 100;
      if (to - x.b.minPercent > best.w) best = { from: x.b.minPercent, to, w: to - x.b.minPercent };
    });
    const mid = Math.round((best.from + best.to) / 2);
    setDoc({ ...doc, priorities: renumber([...bands, { priority: 99, label: 'New band', minPercent: mid }]) });
  };

  return (
    <section className="card bands-card" aria-label="Priority bands" data-path="priorities">
      <div className="bands-head">
        <div>
          <h2>Priority bands</h2>
          <p className="muted">A partner's percent of max valuation picks the band with the highest start at or below it. Drag a boundary.</p>
        </div>
        <button type="button" className="button" onClick={addBand}>
          Add band
        </button>
      </div>
      <div className="bands-bar" ref={bar} onPointerMove={onMove} onPointerUp={() => setDrag(null)} onPointerLeave={() => setDrag(null)}>
        {asc.map(({ b, i }, k) => {
          const to = asc[k + 1]?.b.minPercent ?? 100;
          return (
            <div
              key={i}
              className={`bands-seg prio-${Math.min(b.priority, 4)}`}
              style={{ left: `${b.minPercent}%`, width: `${Math.max(0, to - b.minPercent)}%` }}
            >
              <span>
                P{b.priority} · {b.label}
              </span>
            </div>
          );
        })}
        {typeof doc.minPercent === 'number' && doc.minPercent > 0 && (
          <div className="bands-cut" style={{ width: `${Math.min(doc.minPercent, 100)}%` }} title={`Below ${doc.minPercent} %: not on the list`} />
        )}
        {asc.map(
          ({ b, i }) =>
            b.minPercent > 0 && (
              <button
                key={`h${i}`}
                type="button"
                className={`bands-handle${drag === i ? ' is-dragging' : ''}`}
                style={{ left: `${b.minPercent}%` }}
                aria-label={`Start of P${b.priority}: ${b.minPercent} %`}
                onPointerDown={(e) => {
                  e.preventDefault();
                  (e.target as HTMLElement).setPointerCapture?.(e.pointerId);
                  setDrag(i);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowLeft') setBand(i, { minPercent: b.minPercent - 1 });
                  if (e.key === 'ArrowRight') setBand(i, { minPercent: b.minPercent + 1 });
                }}
              >
                <span>{b.minPercent}%</span>
              </button>
            ),
        )}
      </div>
      <div className="bands-scale">
        <span>0 %</span>
        <span>25</span>
        <span>50</span>
        <span>75</span>
        <span>100 %</span>
      </div>
      <div className="bands-table">
        {[...asc].reverse().map(({ b, i }) => {
          const mine = errorsAt(errors, `priorities[${i}]`, true);
          return (
            <div key={i} className={`bands-row${mine.length ? ' has-error' : ''}`} data-path={`priorities[${i}]`}>
              <span className={`prio prio-${Math.min(b.priority, 4)}`}>P{b.priority}</span>
              <input className="cond-input" aria-label={`Label of P${b.priority}`} value={b.label} onChange={(e) => setBand(i, { label: e.target.value })} />
              <span className="input-suffix">
                from{' '}
                <input
                  className="cond-input cond-num"
                  type="number"
                  min={0}
                  max={100}
                  aria-label={`Start of P${b.priority}`}
                  value={b.minPercent}
                  onChange={(e) => setBand(i, { minPercent: e.target.value === '' ? 0 : Number(e.target.value) })}
                />{' '}
                %
              </span>
              <button
                type="button"
                className="icon-button is-danger"
                aria-label={`Remove P${b.priority}`}
                disabled={bands.length <= 1}
                onClick={() => setDoc({ ...doc, priorities: renumber(removeAt(bands, i)) })}
              >
                ✕
              </button>
              <FieldErrors errors={mine} />
            </div>
          );
        })}
      </div>
      <FieldErrors errors={bandErrors.filter((e) => !/^priorities\[\d+\]/.test(e.path))} />
    </section>
  );
}

function RuleCard({
  rule,
  index,
  max,
  ctx,
  open,
  count,
  onToggle,
  onChange,
  onRemove,
  onMove,
}: {
  rule: Rule;
  index: number;
  max: number;
  ctx: Ctx;
  open: boolean;
  count: number;
  onToggle: () => void;
  onChange: (r: Rule) => void;
  onRemove: () => void;
  onMove: (d: number) => void;
}): ReactElement {
  const exit = isExit(rule);
  const pts = points(rule);
  const share = !exit && max > 0 ? (pts / max) * 100 : 0;
  const base = `rules[${index}]`;
  const ruleErrors = ctx.errors.filter((e) => (e.path === base || e.path.startsWith(`${base}.`)) && !e.path.startsWith(`${base}.conditions`));
  const condErrors = ctx.errors.filter((e) => e.path.startsWith(`${base}.conditions`));
  const setEvent = (patch: Partial<Rule['event']['params']>) =>
    onChange({ ...rule, event: { type: rule.event?.type ?? 'valuation', params: { ...rule.event?.params, ...patch } } });

  return (
    <article
      className={`rule-card${exit ? ' is-exit' : ''}${open ? ' is-open' : ''}${ruleErrors.length || condErrors.length ? ' has-error' : ''}`}
      data-rule={index}
      data-path={base}
    >
      <div className="rule-row">
        <button type="button" className="rule-caret" aria-label={open ? 'Collapse rule' : 'Expand rule'} aria-expanded={open} onClick={onToggle}>
          {open ? '▾' : '▸'}
        </button>
        <input
          className={`rule-name${ruleErrors.some((e) => e.path === `${base}.name`) ? ' is-bad' : ''}`}
          aria-label="Rule name"
          value={rule.name ?? ''}
          onChange={(e) => onChange({ ...rule, name: e.target.value })}
        />
        <div className="seg-toggle rule-role" role="group" aria-label="Role">
          <button type="button" className={!exit ? 'is-on' : ''} onClick={() => setEvent({ role: 'condition' })}>
            Scores
          </button>
          <button type="button" className={exit ? 'is-on is-exit' : ''} onClick={() => setEvent({ role: 'exit', points: 0 })}>
            Exit
          </button>
        </div>
        {exit ? (
          <div className="rule-exit-note">Takes the partner off the list</div>
        ) : (
          <div className="rule-points">
            <input
              type="range"
              min={-50}
              max={100}
              step={1}
              value={Math.max(-50, Math.min(100, pts))}
              aria-label="Points slider"
              onChange={(e) => setEvent({ points: Number(e.target.value) })}
              className={pts < 0 ? 'is-negative' : ''}
            />
            <input
              type="number"
              className="rule-points-num"
              step={1}
              value={pts}
              aria-label="Points"
              onChange={(e) => setEvent({ points: e.target.value === '' ? 0 : Math.round(Number(e.target.value)) })}
            />
            <span className="rule-share" title="Share of max valuation">
              <span className="rule-share-track">
                <span className={`rule-share-fill${pts < 0 ? ' is-negative' : ''}`} style={{ width: `${Math.min(100, Math.abs(share))}%` }} />
              </span>
              <span className="rule-share-text">{share.toFixed(0)}%</span>
            </span>
          </div>
        )}
        <div className="rule-tools">
          <button type="button" className="icon-button" aria-label="Move up" disabled={index === 0} onClick={() => onMove(-1)}>
            ↑
          </button>
          <button type="button" className="icon-button" aria-label="Move down" disabled={index === count - 1} onClick={() => onMove(1)}>
            ↓
          </button>
          <button type="button" className="icon-button is-danger" aria-label={`Delete rule ${rule.name}`} onClick={onRemove}>
            ✕
          </button>
        </div>
      </div>
      {!open && (
        <div className="rule-summary muted" onClick={onToggle}>
          {summarize(rule.conditions, ctx)}
          {condErrors.length ? (
            <span className="rule-err-dot">
              {' '}
              · {condErrors.length} problem{condErrors.length > 1 ? 's' : ''}
            </span>
          ) : null}
        </div>
      )}
      {ruleErrors.length > 0 && (
        <ul className="node-errors" role="alert">
          {ruleErrors.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
      {open && rule.conditions && (
        <div className="rule-body">
          <ConditionNode
            cond={rule.conditions}
            path={['rules', index, 'conditions']}
            ctx={ctx}
            onChange={(c: Condition) => onChange({ ...rule, conditions: c })}
          />
        </div>
      )}
    </article>
  );
}

function summarize(c: unknown, ctx: Ctx, depth = 0): string {
  if (!c || typeof c !== 'object') return '';
  const o = c as Record<string, unknown>;
  if (Array.isArray(o.all) || Array.isArray(o.any)) {
    const list = (o.all ?? o.any) as unknown[];
    const parts = list.map((x) => summarize(x, ctx, depth + 1));
    const s = parts.join(o.all ? ' and ' : ' or ');
    return depth > 0 && parts.length > 1 ? `(${s})` : s;
  }
  if (o.not) return `not ${summarize(o.not, ctx, depth + 1)}`;
  const fact = ctx.facts.get(String(o.fact))?.label ?? String(o.fact);
  const op = ctx.operators.get(String(o.operator))?.label ?? String(o.operator);
  const v =
    o.value && typeof o.value === 'object' && !Array.isArray(o.value) && 'fact' in o.value
      ? (ctx.facts.get(String((o.value as { fact: string }).fact))?.label ?? '?')
      : Array.isArray(o.value)
        ? o.value.join(', ')
        : String(o.value);
  const params =
    o.params && typeof o.params === 'object'
      ? ` (${Object.entries(o.params)
          .map(([k, val]) => `${k} ${val}`)
          .join(', ')})`
      : '';
  return `${fact.toLowerCase()}${params} ${op} ${v}`;
}

function TemplatePicker({
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
      const typed = Object.fromEntries(
        chosen.params.map((p) => {
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
      const { data } = await client.query({ query: EXPAND_RULE_QUERY, variables: { id: chosen.id, params: typed }, fetchPolicy: 'no-cache' });
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

  return (
    <div className="template-picker" role="dialog" aria-label="Rule templates">
      <div className="template-list">
        {templates.map((t) => (
          <button key={t.id} type="button" className={`template${chosen?.id === t.id ? ' is-on' : ''}`} onClick={() => choose(t)}>
            <b>{t.label}</b>
            <span>{t.description.replace(/`/g, '')}</span>
          </button>
        ))}
      </div>
      <div className="template-form">
        {!chosen ? (
          <p className="muted">Pick a basic rule: it expands into plain conditions you can edit afterwards.</p>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void add();
            }}
          >
            <h3>{chosen.label}</h3>
            <p className="muted">{chosen.description.replace(/`/g, '')}</p>
            <label>
              Rule name
              <input value={name} onChange={(e) => setName(e.target.value)} aria-label="New rule name" />
            </label>
            {chosen.params.map((p) => (
              <label key={p.name}>
                {p.label}
                <input
                  aria-label={p.label}
                  value={params[p.name] ?? ''}
                  inputMode={p.type === 'string[]' ? 'text' : 'decimal'}
                  placeholder={p.type === 'string[]' ? 'A, B' : ''}
                  onChange={(e) => setParams({ ...params, [p.name]: e.target.value })}
                />
              </label>
            ))}
            <label className="template-check">
              <input type="checkbox" checked={exit} onChange={(e) => setExit(e.target.checked)} /> Exit rule (takes the partner off the list)
            </label>
            {!exit && (
              <label>
                Points
                <input type="number" value={pts} onChange={(e) => setPts(Number(e.target.value))} aria-label="New rule points" />
              </label>
            )}
            {problem && (
              <p className="strat-error" role="alert">
                {problem}
              </p>
            )}
            <div className="template-actions">
              <button type="submit" className="button button-primary" disabled={busy}>
                {busy ? 'Adding…' : 'Add rule'}
              </button>
              <button type="button" className="button" onClick={onClose}>
                Cancel
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}

/** The json-rules-engine document, editable; a parse error pauses the other views. */
function JsonView({
  doc,
  setDoc,
  errors,
  onBroken,
}: {
  doc: StrategyDoc;
  setDoc: (d: StrategyDoc) => void;
  errors: ValidationError[];
  onBroken: (m: string | null) => void;
}): ReactElement {
  const [text, setText] = useState(() => JSON.stringify(doc, null, 2));
  const [broken, setBroken] = useState<string | null>(null);
  // Another view changed the document: show it here, unless the text already says the same or
  // does not parse (someone is typing in it).
  const [shownDoc, setShownDoc] = useState(doc);
  if (shownDoc !== doc) {
    setShownDoc(doc);
    if (!saysTheSame(text, doc)) setText(JSON.stringify(doc, null, 2));
  }
  useEffect(() => () => onBroken(null), [onBroken]);
  const change = (t: string) => {
    setText(t);
    try {
      const parsed: unknown = JSON.parse(t);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The document is a JSON object.');
      setBroken(null);
      onBroken(null);
      setDoc(parsed as StrategyDoc);
    } catch (err) {
      const m = err instanceof Error ? err.message : String(err);
      setBroken(m);
      onBroken(m);
    }
  };
  return (
    <div className="json-view">
      <textarea
        className={`json-text${broken ? ' is-bad' : ''}`}
        spellCheck={false}
        value={text}
        aria-label="Strategy JSON"
        onChange={(e) => change(e.target.value)}
      />
      {broken ? (
        <p className="strat-error" role="alert">
          JSON does not parse: {broken}
        </p>
      ) : (
        <p className="muted">
          {errors.length
            ? `${errors.length} validation problem(s); the visual view shows each at its node.`
            : 'Valid json-rules-engine document; each rule loads unchanged with new Rule(entry).'}
        </p>
      )}
    </div>
  );
}

/** Whether the JSON text is the document (or does not parse, so it is left alone). */
function saysTheSame(text: string, doc: StrategyDoc): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(doc);
  } catch {
    return true;
  }
}
