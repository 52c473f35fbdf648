import { useState, type ReactElement } from 'react';
import { isFactRef, type FactCondition } from '../../lib/strategyDocument';
import type { Ctx } from './ConditionEditor';
import type { FactMeta, OperatorMeta } from './queries';

/** The other facts of the same type, that a fact can be compared with. */
export function sameTypeFacts(ctx: Ctx, fact: FactMeta | undefined, except: string): FactMeta[] {
  return ctx.catalogue.facts.filter((f) => f.type === fact?.type && f.name !== except);
}

function parseScalar(text: string, type: string | undefined): unknown {
  if (type === 'number' && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text.trim());
  return text;
}

/** The value a fact is compared with, in the shape its operator takes: another fact, a range, a list, yes/no, or one value. */
export function ValueInput({
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
