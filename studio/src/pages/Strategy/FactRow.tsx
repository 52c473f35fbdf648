import type { ReactElement } from 'react';
import { errorsAt, isFactRef, jsonPath, type Condition, type FactCondition } from '../../lib/strategyDocument';
import type { Ctx, Path } from './ConditionEditor';
import { NodeErrors } from './NodeErrors';
import type { FactMeta, OperatorMeta } from './queries';
import { sameTypeFacts, ValueInput } from './ValueInput';

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

function defaultValue(type: string | undefined, shape: string | undefined): unknown {
  if (shape === 'list') return [];
  if (shape === 'range') return [0, 100];
  if (type === 'boolean') return true;
  if (type === 'number') return 0;
  return '';
}

/** A fact compared with a value (or another fact): the fact and its parameters, then the operator and the value. */
export function FactRow({
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
  const op = ctx.operators.get(cond.operator);
  const edit = factEdits(cond, ctx, onChange);
  const bad = (field: string) => errors.some((e) => e.path === `${p}.${field}` || e.path.startsWith(`${p}.${field}.`) || e.path.startsWith(`${p}.${field}[`));

  return (
    <div className={`cond-fact${errors.length ? ' has-error' : ''}`} data-path={p}>
      <div className="cond-fact-row">
        <FactSelect cond={cond} fact={fact} ctx={ctx} bad={bad('fact')} onChange={edit.setFact} />
        {fact?.params.map((fp) => (
          <FactParam
            key={fp.name}
            param={fp}
            value={cond.params?.[fp.name]}
            bad={bad(`params.${fp.name}`) || bad('params')}
            onChange={(v) => edit.setParam(fp.name, v)}
          />
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
        <OperatorSelect cond={cond} fact={fact} ctx={ctx} bad={bad('operator')} onChange={edit.setOperator} />
        <ValueInput cond={cond} fact={fact} op={op} ctx={ctx} bad={bad('value')} onChange={(v) => onChange({ ...cond, value: v })} />
        {op?.factReference && <FactReferenceToggle cond={cond} fact={fact} op={op} ctx={ctx} onChange={onChange} />}
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

/**
 * Changing the fact keeps the operator where the new fact allows it (else "greater than", else its
 * first), and the value while the type and operator stay; changing the operator keeps the value
 * while its shape does. A parameter left empty takes its default.
 */
function factEdits(cond: FactCondition, ctx: Ctx, onChange: (c: Condition) => void) {
  const fact = ctx.facts.get(cond.fact);
  const op = ctx.operators.get(cond.operator);
  return {
    setFact: (name: string) => {
      const f = ctx.facts.get(name);
      const ops = f?.operators.map((o) => o.name) ?? [];
      const operator = ops.includes(cond.operator) ? cond.operator : ops.includes('greaterThan') ? 'greaterThan' : (ops[0] ?? 'equal');
      const sameType = fact?.type === f?.type && operator === cond.operator;
      const next: FactCondition = { fact: name, operator, value: sameType ? cond.value : defaultValue(f?.type, ctx.operators.get(operator)?.valueShape) };
      onChange(next);
    },
    setOperator: (name: string) => {
      const o = ctx.operators.get(name);
      const keep = o?.valueShape === op?.valueShape && (!isFactRef(cond.value) || o?.factReference);
      onChange({ ...cond, operator: name, value: keep ? cond.value : defaultValue(fact?.type, o?.valueShape) });
    },
    setParam: (name: string, v: unknown) => {
      const params = { ...(cond.params ?? {}) };
      if (v === undefined) delete params[name];
      else params[name] = v;
      const next: FactCondition = { ...cond, params };
      if (Object.keys(params).length === 0) delete next.params;
      onChange(next);
    },
  };
}

function FactSelect({
  cond,
  fact,
  ctx,
  bad,
  onChange,
}: {
  cond: FactCondition;
  fact: FactMeta | undefined;
  ctx: Ctx;
  bad: boolean;
  onChange: (name: string) => void;
}): ReactElement {
  return (
    <select className={`cond-input cond-fact-select${bad ? ' is-bad' : ''}`} value={cond.fact} aria-label="Fact" onChange={(e) => onChange(e.target.value)}>
      {!fact && <option value={cond.fact}>{String(cond.fact)} (unknown)</option>}
      {ctx.catalogue.facts.map((f) => (
        <option key={f.name} value={f.name}>
          {f.label}
        </option>
      ))}
    </select>
  );
}

/** A parameter of the fact (a window in days, a yes/no switch); empty is its default. */
function FactParam({
  param: fp,
  value,
  bad,
  onChange,
}: {
  param: FactMeta['params'][number];
  value: unknown;
  bad: boolean;
  onChange: (v: unknown) => void;
}): ReactElement {
  return (
    <label className={`cond-param${bad ? ' is-bad' : ''}`} title={fp.description}>
      <span>{fp.name}</span>
      {fp.type === 'boolean' ? (
        <select
          className="cond-input"
          value={value === undefined ? '' : String(value)}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}
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
          value={value === undefined ? '' : String(value)}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      )}
    </label>
  );
}

/** The operators the fact allows (and the one in the document, when it does not). */
function OperatorSelect({
  cond,
  fact,
  ctx,
  bad,
  onChange,
}: {
  cond: FactCondition;
  fact: FactMeta | undefined;
  ctx: Ctx;
  bad: boolean;
  onChange: (name: string) => void;
}): ReactElement {
  const allowed = fact ? fact.operators.map((o) => ctx.operators.get(o.name)).filter((o): o is OperatorMeta => !!o) : [...ctx.operators.values()];
  return (
    <select className={`cond-input cond-op${bad ? ' is-bad' : ''}`} value={cond.operator} aria-label="Operator" onChange={(e) => onChange(e.target.value)}>
      {!allowed.some((o) => o.name === cond.operator) && <option value={cond.operator}>{String(cond.operator)} (not allowed)</option>}
      {allowed.map((o) => (
        <option key={o.name} value={o.name}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** Compare with another fact of the same type, or back with a value. */
function FactReferenceToggle({
  cond,
  fact,
  op,
  ctx,
  onChange,
}: {
  cond: FactCondition;
  fact: FactMeta | undefined;
  op: OperatorMeta;
  ctx: Ctx;
  onChange: (c: Condition) => void;
}): ReactElement {
  const byRef = isFactRef(cond.value);
  return (
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
  );
}
