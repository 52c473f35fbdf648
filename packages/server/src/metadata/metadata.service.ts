/** The catalogues a rule editor builds its forms from: facts, operators and basic-rule templates of the rules package. */
import { BASIC_RULES, expandBasicRule, FACTS, OPERATORS, operatorsFor, type OperatorDef } from '@recoup/rules';
import { NotFoundError } from '../graphql/errors';
import type { BasicRuleTemplateMeta, FactMeta, OperatorMeta } from './metadata.types';

function operatorMeta(o: OperatorDef): OperatorMeta {
  return {
    name: o.name,
    label: o.label,
    valueShape: o.value,
    types: [...o.factTypes],
    factReference: o.factReference,
    builtin: o.builtin,
    description: o.description,
  };
}

// Built once: the catalogues are code, fixed for the life of the process.
export const FACT_META: FactMeta[] = FACTS.map((f) => ({
  name: f.name,
  label: f.label,
  type: f.type,
  unit: f.unit,
  description: f.description,
  optional: f.optional,
  params: f.params.map((p) => ({ name: p.name, type: p.type, default: p.default, min: p.min ?? null, max: p.max ?? null, description: p.description })),
  operators: operatorsFor(f.type).map(operatorMeta),
}));
export const OPERATOR_META: OperatorMeta[] = OPERATORS.map(operatorMeta);
export const TEMPLATE_META: BasicRuleTemplateMeta[] = BASIC_RULES.map((t) => ({
  id: t.id,
  label: t.label,
  description: t.description,
  params: t.params.map((p) => ({ name: p.name, label: p.label, type: p.type, default: p.default, min: p.min ?? null })),
  example: expandBasicRule(t.id),
}));

/** One fact of the catalogue (NOT_FOUND for an unknown name). */
export function factMeta(name: string): FactMeta {
  const fact = FACT_META.find((f) => f.name === name);
  if (!fact) throw new NotFoundError('Fact', name);
  return fact;
}

/** A basic rule's conditions with the given parameters over its defaults (NOT_FOUND for an unknown template). */
export function basicRule(id: string, params: Record<string, unknown>): unknown {
  if (!BASIC_RULES.some((t) => t.id === id)) throw new NotFoundError('Basic rule', id);
  return expandBasicRule(id, params);
}
