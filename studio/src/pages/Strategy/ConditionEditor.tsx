import { useState, type ReactElement } from 'react';
import { errorsAt, groupKind, isFactRef, jsonPath, removeAt, type Condition, type FactCondition } from '../../lib/strategyDocument';
import type { CatalogueData, FactMeta, OperatorMeta, ValidationError } from './queries';

export interface Ctx {
  facts: Map<string, FactMeta>;
  operators: Map<string, OperatorMeta>;
  catalogue: CatalogueData;
  errors: ValidationError[];
}

type Path = (string | number)[];

export function newFactCondition(): FactCondition {
  return { fact: 'overdueAmount', operator: 'greaterThan', value: 0 };
}

function defaultValue(type: string | undefined, shape: string | undefined): unknown {
  if (shape === 'list') return [];
  if (shape === 'range') return [0, 100];
  if (type === 'boolean') return true;
  if (type === 'number') return 0;
  return '';
}

/** One node of a rule's condition tree: a group (all / any), a negation, or a fact comparison. */
export function ConditionNode({
  cond,
  path,
  onChange,
  onRemove,
  ctx,
  depth = 0,
}: {
  cond: Condition;
  path: Path;
  onChange: (c: Condition) => void;
  onRemove?: () => void;
  ctx: Ctx;
  depth?: number;
}): ReactElement {
  const kind = groupKind(cond);
  const p = jsonPath(path);
  const here = errorsAt(ctx.errors, p);
  if (kind === 'not') {
    const inner = (cond as { not: Condition }).not;
    return (
      <div className={`cond-group is-not${here.length ? ' has-error' : ''}`} data-path={p}>
        <div className="cond-group-head">
          <span className="cond-kind cond-kind-not">NOT</span>
          <span className="muted">the following is false</span>
          <span className="cond-tools">
            <button type="button" className="icon-button" title="Remove the negation" onClick={() => onChange(inner)}>
              un-negate
            </button>
            {onRemove && (
              <button type="button" className="icon-button is-danger" aria-label="Remove condition" onClick={onRemove}>
                ✕
              </button>
            )}
          </span>
        </div>
        <NodeErrors errors={here} />
        <div className="cond-children">
          <ConditionNode cond={inner} path={[...path, 'not']} onChange={(c) => onChange({ not: c })} ctx={ctx} depth={depth + 1} />
        </div>
      </div>
    );
  }
  if (kind === 'all' || kind === 'any') {
    const list = ((cond as Record<string, unknown>)[kind] as Condition[] | undefined) ?? [];
    const set = (next: Condition[]) => onChange({ [kind]: next } as Condition);
    return (
      <div className={`cond-group is-${kind}${depth === 0 ? ' is-root' : ''}${here.length ? ' has-error' : ''}`} data-path={p}>
        <div className="cond-group-head">
          <div className="seg-toggle" role="group" aria-label="Combine with">
            <button type="button" className={kind === 'all' ? 'is-on' : ''} onClick={() => onChange({ all: list })}>
              all of
            </button>
            <button type="button" className={kind === 'any' ? 'is-on' : ''} onClick={() => onChange({ any: list })}>
              any of
            </button>
          </div>
          <span className="muted">{kind === 'all' ? 'every condition must hold' : 'at least one condition must hold'}</span>
          <span className="cond-tools">
            <button type="button" className="icon-button" onClick={() => set([...list, newFactCondition()])}>
              + condition
            </button>
            {depth < 14 && (
              <button type="button" className="icon-button" onClick={() => set([...list, { any: [newFactCondition()] }])}>
                + group
              </button>
            )}
            {depth > 0 && (
              <button type="button" className="icon-button" title="Negate this group" onClick={() => onChange({ not: cond })}>
                negate
              </button>
            )}
            {onRemove && (
              <button type="button" className="icon-button is-danger" aria-label="Remove group" onClick={onRemove}>
                ✕
              </button>
            )}
          </span>
        </div>
        <NodeErrors errors={here} />
        <div className="cond-children">
          {list.map((c, i) => (
            <ConditionNode
              key={i}
              cond={c}
              path={[...path, kind, i]}
              ctx={ctx}
              depth={depth + 1}
              onChange={(n) => set(list.map((x, j) => (j === i ? n : x)))}
              onRemove={() => set(removeAt(list, i))}
            />
          ))}
          {list.length === 0 && <div className="cond-empty muted">No condition: {kind === 'all' ? 'always true' : 'never true'}.</div>}
        </div>
      </div>
    );
  }
  return <FactRow cond={cond as FactCondition} path={path} onChange={onChange} onRemove={onRemove} ctx={ctx} />;
}

function NodeErrors({ errors }: { errors: ValidationError[] }): ReactElement | null {
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

const UNIT: Record<string, string> = {
  money: 'money',
  count: '#',
  days: 'days',
  percent: '%',
  ratio: 'ratio',
  code: 'code',
  flag: 'yes/no',
  codes: 'codes',
  level: 'level',
};

function FactRow({
  cond,
  path,
  onChange,
  onRemove,
  ctx,
}: {
  cond: FactCondition;
  path: Path;
  onChange: (c: Condition) => void;
  onRemove?: () => void;
  ctx: Ctx;
}): ReactElement {
  const p = jsonPath(path);
  const errors = errorsAt(ctx.errors, p, true);
  const fact = ctx.facts.get(cond.fact);
  const allowed = fact ? fact.operators.map((o) => ctx.operators.get(o.name)).filter((o): o is OperatorMeta => !!o) : [...ctx.operators.values()];
  const op = ctx.operators.get(cond.operator);
  const bad = (field: string) => errors.some((e) => e.path === `${p}.${field}` || e.path.startsWith(`${p}.${field}.`) || e.path.startsWith(`${p}.${field}[`));
  const byRef = isFactRef(cond.value);

  const setFact = (name: string) => {
    const f = ctx.facts.get(name);
    const ops = f?.operators.map((o) => o.name) ?? [];
    const operator = ops.includes(cond.operator) ? cond.operator : ops.includes('greaterThan') ? 'greaterThan' : (ops[0] ?? 'equal');
    const sameType = fact?.type === f?.type && operator === cond.operator;
    const next: FactCondition = { fact: name, operator, value: sameType ? cond.value : defaultValue(f?.type, ctx.operators.get(operator)?.valueShape) };
    onChange(next);
  };
  const setOperator = (name: string) => {
    const o = ctx.operators.get(name);
    const keep = o?.valueShape === op?.valueShape && (!byRef || o?.factReference);
    onChange({ ...cond, operator: name, value: keep ? cond.value : defaultValue(fact?.type, o?.valueShape) });
  };
  const setParam = (name: string, v: unknown) => {
    const params = { ...(cond.params ?? {}) };
    if (v === undefined) delete params[name];
    else params[name] = v;
    const next: FactCondition = { ...cond, params };
    if (Object.keys(params).length === 0) delete next.params;
    onChange(next);
  };

  return (
    <div className={`cond-fact${errors.length ? ' has-error' : ''}`} data-path={p}>
      <div className="cond-fact-row">
        <select
          className={`cond-input cond-fact-select${bad('fact') ? ' is-bad' : ''}`}
          value={cond.fact}
          aria-label="Fact"
          onChange={(e) => setFact(e.target.value)}
        >
          {!fact && <option value={cond.fact}>{String(cond.fact)} (unknown)</option>}
          {ctx.catalogue.facts.map((f) => (
            <option key={f.name} value={f.name}>
              {f.label}
            </option>
          ))}
        </select>
        {fact?.params.map((fp) => (
          <label key={fp.name} className={`cond-param${bad(`params.${fp.name}`) || bad('params') ? ' is-bad' : ''}`} title={fp.description}>
            <span>{fp.name}</span>
            {fp.type === 'boolean' ? (
              <select
                className="cond-input"
                value={cond.params?.[fp.name] === undefined ? '' : String(cond.params[fp.name])}
                onChange={(e) => setParam(fp.name, e.target.value === '' ? undefined : e.target.value === 'true')}
              >
                <option value="">default ({String(fp.default)})</option>
                <option value="true">yes</option>
                <option value="false">no</option>
              </select>
            ) : (
              <input
                className="cond-input cond-num"
                type="number"
                step={1}
                min={fp.min ?? undefined}
                max={fp.max ?? undefined}
                placeholder={String(fp.default)}
                value={cond.params?.[fp.name] === undefined ? '' : String(cond.params[fp.name])}
                onChange={(e) => setParam(fp.name, e.target.value === '' ? undefined : Number(e.target.value))}
              />
            )}
          </label>
        ))}
        <span className="cond-tools">
          <button type="button" className="icon-button" title="Negate" onClick={() => onChange({ not: cond })}>
            negate
          </button>
          {onRemove && (
            <button type="button" className="icon-button is-danger" aria-label="Remove condition" onClick={onRemove}>
              ✕
            </button>
          )}
        </span>
      </div>
      <div className="cond-fact-row cond-fact-test">
        <select
          className={`cond-input cond-op${bad('operator') ? ' is-bad' : ''}`}
          value={cond.operator}
          aria-label="Operator"
          onChange={(e) => setOperator(e.target.value)}
        >
          {!allowed.some((o) => o.name === cond.operator) && <option value={cond.operator}>{String(cond.operator)} (not allowed)</option>}
          {allowed.map((o) => (
            <option key={o.name} value={o.name}>
              {o.label}
            </option>
          ))}
        </select>
        <ValueInput cond={cond} fact={fact} op={op} ctx={ctx} bad={bad('value')} onChange={(v) => onChange({ ...cond, value: v })} />
        {op?.factReference && (
          <button
            type="button"
            className={`icon-button${byRef ? ' is-on' : ''}`}
            title={byRef ? 'Compare with a value' : 'Compare with another fact'}
            onClick={() =>
              onChange({
                ...cond,
                value: byRef ? defaultValue(fact?.type, op.valueShape) : { fact: sameTypeFacts(ctx, fact, cond.fact)[0]?.name ?? cond.fact },
              })
            }
          >
            {byRef ? 'use value' : 'vs fact'}
          </button>
        )}
        {fact && (
          <span className="cond-unit" title={fact.optional ? `${fact.label} may be empty for a partner (undefined)` : undefined}>
            {UNIT[fact.unit] ?? fact.unit}
            {fact.optional ? ' · may be empty' : ''}
          </span>
        )}
      </div>
      <NodeErrors errors={errors} />
    </div>
  );
}

function sameTypeFacts(ctx: Ctx, fact: FactMeta | undefined, except: string): FactMeta[] {
  return ctx.catalogue.facts.filter((f) => f.type === fact?.type && f.name !== except);
}

function parseScalar(text: string, type: string | undefined): unknown {
  if (type === 'number' && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text.trim());
  return text;
}

function ValueInput({
  cond,
  fact,
  op,
  ctx,
  bad,
  onChange,
}: {
  cond: FactCondition;
  fact: FactMeta | undefined;
  op: OperatorMeta | undefined;
  ctx: Ctx;
  bad: boolean;
  onChange: (v: unknown) => void;
}): ReactElement {
  const cls = `cond-input cond-value${bad ? ' is-bad' : ''}`;
  const value = cond.value;
  if (isFactRef(value)) {
    return (
      <select className={cls} aria-label="Compared fact" value={value.fact} onChange={(e) => onChange({ fact: e.target.value })}>
        {!ctx.facts.has(value.fact) && <option value={value.fact}>{value.fact} (unknown)</option>}
        {sameTypeFacts(ctx, fact, cond.fact).map((f) => (
          <option key={f.name} value={f.name}>
            fact: {f.label}
          </option>
        ))}
      </select>
    );
  }
  if (op?.valueShape === 'range') {
    const [lo, hi] = Array.isArray(value) ? value : [undefined, undefined];
    return (
      <span className="cond-range">
        <TextValue className={cls} label="Low" value={lo} onChange={(t) => onChange([parseScalar(t, 'number'), hi])} />
        <span className="muted">and</span>
        <TextValue className={cls} label="High" value={hi} onChange={(t) => onChange([lo, parseScalar(t, 'number')])} />
      </span>
    );
  }
  if (op?.valueShape === 'list') {
    return <ListValue className={cls} value={value} type={fact?.type} onChange={onChange} />;
  }
  if (fact?.type === 'boolean') {
    return (
      <select className={cls} aria-label="Value" value={String(value)} onChange={(e) => onChange(e.target.value === 'true')}>
        {typeof value !== 'boolean' && <option value={String(value)}>{JSON.stringify(value)}</option>}
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  return <TextValue className={cls} label="Value" value={value} onChange={(t) => onChange(parseScalar(t, fact?.type))} />;
}

function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
}

function TextValue({ value, onChange, className, label }: { value: unknown; onChange: (t: string) => void; className: string; label: string }): ReactElement {
  return <input className={className} aria-label={label} value={show(value)} onChange={(e) => onChange(e.target.value)} inputMode="decimal" />;
}

function ListValue({ value, type, onChange, className }: { value: unknown; type?: string; onChange: (v: unknown) => void; className: string }): ReactElement {
  const joined = Array.isArray(value) ? value.map(show).join(', ') : show(value);
  const [text, setText] = useState(joined);
  // The value changed elsewhere (the JSON view): show it, unless the text already says it.
  const [shownJoined, setShownJoined] = useState(joined);
  if (shownJoined !== joined) {
    setShownJoined(joined);
    const mine = text
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
      .join(', ');
    if (mine !== joined) setText(joined);
  }
  return (
    <input
      className={`${className} cond-list`}
      aria-label="Values"
      placeholder="A, B, C"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(
          e.target.value
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
            .map((t) => parseScalar(t, type)),
        );
      }}
    />
  );
}
