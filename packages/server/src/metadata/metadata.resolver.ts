import { JSONScalar } from '../graphql/scalars';
import { Arg, Query, Resolver } from 'type-graphql';
import { basicRule, factMeta, FACT_META, OPERATOR_META, TEMPLATE_META } from './metadata.service';
import { BasicRuleTemplateMeta, FactMeta, OperatorMeta } from './metadata.types';

/** What a rule editor needs, from the API alone: any signed-in caller may read it. */
@Resolver()
export class MetadataResolver {
  @Query(() => [FactMeta], { description: 'The fact catalogue with params and the operators each fact allows.' })
  facts(): FactMeta[] {
    return FACT_META;
  }

  @Query(() => FactMeta, { description: 'One fact of the catalogue (NOT_FOUND for an unknown name).' })
  fact(@Arg('name', () => String, { description: 'The fact name, e.g. overdueAmount.' }) name: string): FactMeta {
    return factMeta(name);
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
    @Arg('id', () => String, { description: 'The template id (see basicRuleTemplates).' }) id: string,
    @Arg('params', () => JSONScalar, { nullable: true, description: 'Parameter values by name; absent ones take the template defaults.' })
    params?: Record<string, unknown> | null,
  ): unknown {
    return basicRule(id, params ?? {});
  }
}
