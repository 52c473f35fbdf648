import type { ReactElement } from 'react';
import { errorsAt, groupKind, jsonPath, removeAt, type Condition, type FactCondition } from '../../lib/strategyDocument';
import { FactRow } from './FactRow';
import { NodeErrors } from './NodeErrors';
import type { CatalogueData, FactMeta, OperatorMeta, ValidationError } from './queries';

export interface Ctx {
  facts: Map<string, FactMeta>;
  operators: Map<string, OperatorMeta>;
  catalogue: CatalogueData;
  errors: ValidationError[];
}

export type Path = (string | number)[];

export function newFactCondition(): FactCondition {
  return { fact: 'overdueAmount', operator: 'greaterThan', value: 0 };
}

interface NodeProps {
  cond: Condition;
  path: Path;
  onChange: (c: Condition) => void;
  onRemove?: () => void;
  ctx: Ctx;
  depth?: number;
}

/** One node of a rule's condition tree: a group (all / any), a negation, or a fact comparison. */
export function ConditionNode(props: NodeProps): ReactElement {
  const kind = groupKind(props.cond);
  if (kind === 'not') return <NotGroup {...props} />;
  if (kind === 'all' || kind === 'any') return <Group {...props} kind={kind} />;
  return <FactRow cond={props.cond as FactCondition} path={props.path} onChange={props.onChange} onRemove={props.onRemove} ctx={props.ctx} />;
}

/** "The following is false": one node, negated. */
function NotGroup({ cond, path, onChange, onRemove, ctx, depth = 0 }: NodeProps): ReactElement {
  const p = jsonPath(path);
  const here = errorsAt(ctx.errors, p);
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

/** All of (or any of) a list of conditions and groups. */
function Group({ cond, path, onChange, onRemove, ctx, depth = 0, kind }: NodeProps & { kind: 'all' | 'any' }): ReactElement {
  const p = jsonPath(path);
  const here = errorsAt(ctx.errors, p);
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
        <GroupTools depth={depth} onAdd={(c) => set([...list, c])} onNegate={() => onChange({ not: cond })} onRemove={onRemove} />
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

/** Add a condition or a nested group (to a depth), negate the group (not the root), remove it. */
function GroupTools({
  depth,
  onAdd,
  onNegate,
  onRemove,
}: {
  depth: number;
  onAdd: (c: Condition) => void;
  onNegate: () => void;
  onRemove: (() => void) | undefined;
}): ReactElement {
  return (
    <span className="cond-tools">
      <button type="button" className="icon-button" onClick={() => onAdd(newFactCondition())}>
        + condition
      </button>
      {depth < 14 && (
        <button type="button" className="icon-button" onClick={() => onAdd({ any: [newFactCondition()] })}>
          + group
        </button>
      )}
      {depth > 0 && (
        <button type="button" className="icon-button" title="Negate this group" onClick={onNegate}>
          negate
        </button>
      )}
      {onRemove && (
        <button type="button" className="icon-button is-danger" aria-label="Remove group" onClick={onRemove}>
          ✕
        </button>
      )}
    </span>
  );
}
