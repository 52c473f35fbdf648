import type { ReactElement } from 'react';
import { isExit, points, type Condition, type Rule } from '../../lib/strategyDocument';
import { ConditionNode, type Ctx } from './ConditionEditor';
import { NodeErrors } from './NodeErrors';

type EventParams = Partial<Rule['event']['params']>;

/** One rule: its name, whether it scores or exits, its points; opened, its condition tree. */
export function RuleCard({
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
  const base = `rules[${index}]`;
  const ruleErrors = ctx.errors.filter((e) => (e.path === base || e.path.startsWith(`${base}.`)) && !e.path.startsWith(`${base}.conditions`));
  const condErrors = ctx.errors.filter((e) => e.path.startsWith(`${base}.conditions`));
  const setEvent = (patch: EventParams) => onChange({ ...rule, event: { type: rule.event?.type ?? 'valuation', params: { ...rule.event?.params, ...patch } } });

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
        <RoleToggle exit={exit} setEvent={setEvent} />
        {exit ? <div className="rule-exit-note">Takes the partner off the list</div> : <RulePoints pts={points(rule)} max={max} setEvent={setEvent} />}
        <RuleTools rule={rule} index={index} count={count} onMove={onMove} onRemove={onRemove} />
      </div>
      {!open && <RuleSummary rule={rule} ctx={ctx} problems={condErrors.length} onToggle={onToggle} />}
      <NodeErrors errors={ruleErrors} />
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

function RoleToggle({ exit, setEvent }: { exit: boolean; setEvent: (patch: EventParams) => void }): ReactElement {
  return (
    <div className="seg-toggle rule-role" role="group" aria-label="Role">
      <button type="button" className={!exit ? 'is-on' : ''} onClick={() => setEvent({ role: 'condition' })}>
        Scores
      </button>
      <button type="button" className={exit ? 'is-on is-exit' : ''} onClick={() => setEvent({ role: 'exit', points: 0 })}>
        Exit
      </button>
    </div>
  );
}

/** The rule's points, on a slider and typed, with their share of the max valuation. */
function RulePoints({ pts, max, setEvent }: { pts: number; max: number; setEvent: (patch: EventParams) => void }): ReactElement {
  const share = max > 0 ? (pts / max) * 100 : 0;
  return (
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
  );
}

function RuleTools({
  rule,
  index,
  count,
  onMove,
  onRemove,
}: {
  rule: Rule;
  index: number;
  count: number;
  onMove: (d: number) => void;
  onRemove: () => void;
}): ReactElement {
  return (
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
  );
}

/** A closed rule's conditions in one line, and how many problems they have. */
function RuleSummary({ rule, ctx, problems, onToggle }: { rule: Rule; ctx: Ctx; problems: number; onToggle: () => void }): ReactElement {
  return (
    // A button, so the conditions open from the keyboard too (the caret alone names no condition).
    <button type="button" className="rule-summary muted" aria-expanded={false} onClick={onToggle}>
      {summarize(rule.conditions, ctx)}
      {problems ? (
        <span className="rule-err-dot">
          {' '}
          · {problems} problem{problems > 1 ? 's' : ''}
        </span>
      ) : null}
    </button>
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
