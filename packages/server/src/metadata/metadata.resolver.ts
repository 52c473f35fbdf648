import { BASIC_RULES, expandBasicRule, FACTS, OPERATORS, operatorsFor, type OperatorDef } from '@recoup/rules';
import { JSONScalar } from '../graphql/scalars';
import { Arg, Query, Resolver } from 'type-graphql';
import { NotFoundError } from '../graphql/errors';
import { BasicRuleTemplateMeta, FactMeta, OperatorMeta } from './metadata.types';

function operatorMeta(o: OperatorDef): OperatorMeta {
  return { name: o.name, label: o.label, valueShape: o.value, types: [...o.factTypes], factReference: o.factReference, builtin: o.builtin, description: o.description };
}

// Built once: the catalogues are code, fixed for the life of the process.
const FACT_META: FactMeta[] = FACTS.map((f) => ({
  name: f.name, label: f.label, type: f.type, unit: f.unit, description: f.description, optional: f.optional,
  params: f.params.map((p) => ({ name: p.name, type: p.type, default: p.default, min: p.min ?? null, max: p.max ?? null, description: p.description })),
  operators: operatorsFor(f.type).map(operatorMeta),
}));
const OPERATOR_META: OperatorMeta[] = OPERATORS.map(operatorMeta);
const TEMPLATE_META: BasicRuleTemplateMeta[] = BASIC_RULES.map((t) => ({
  id: t.id, label: t.label, description: t.description,
  params: t.params.map((p) => ({ name: p.name, label: p.label, type: p.type, default: p.default, min: p.min ?? null })),
  example: expandBasicRule(t.id),
}));

/** What a rule editor needs, from the API alone: any signed-in caller may read it. */
@Resolver()
export class MetadataResolver {
  @Query(() => [FactMeta], { description: 'The fact catalogue with params and the operators each fact allows.' })
  facts(): FactMeta[] {
    return FACT_META;
  }

  @Query(() => FactMeta, { description: 'One fact of the catalogue (NOT_FOUND for an unknown name).' })
  fact(@Arg('name', () => String) name: string): FactMeta {
    const fact = FACT_META.find((f) => f.name === name);
    if (!fact) throw new NotFoundError('Fact', name);
    return fact;
  }

  @Query(() => [OperatorMeta], { description: 'Condition operators with their value shape and the fact types they apply to.' })
  operators(): OperatorMeta[] {
    return OPERATOR_META;
  }

  @Query(() => [BasicRuleTemplateMeta], { description: 'Basic-rule templates with their parameters.' })
  basicRuleTemplates(): BasicRuleTemplateMeta[] {
    return TEMPLATE_META;
  }

  @Query(() => JSONScalar, { description: 'The conditions of a basic rule with the given parameters over its defaults (to insert into a document).' })
  expandBasicRule(
    @Arg('id', () => String) id: string,
    @Arg('params', () => JSONScalar, { nullable: true }) params?: Record<string, unknown> | null,
  ): unknown {
    if (!BASIC_RULES.some((t) => t.id === id)) throw new NotFoundError('Basic rule', id);
    return expandBasicRule(id, params ?? {});
  }
}
