import { Field, Float, ObjectType } from 'type-graphql';
import { JSONScalar } from '../graphql/scalars';

@ObjectType({ description: 'A parameter of a fact, e.g. withinDays of brokenPromises.' })
export class FactParamMeta {
  @Field(() => String, { description: "Parameter name as written in a condition's `params`." })
  name!: string;

  @Field(() => String, { description: 'Value type: integer or boolean.' })
  type!: string;

  @Field(() => JSONScalar, { description: 'Used when the condition omits the parameter.' })
  default!: number | boolean;

  @Field(() => Float, { nullable: true, description: 'Smallest allowed value; null when not bounded below.' })
  min!: number | null;

  @Field(() => Float, { nullable: true, description: 'Largest allowed value; null when not bounded above.' })
  max!: number | null;

  @Field(() => String, { description: 'What the parameter changes, for rule editors.' })
  description!: string;
}

@ObjectType({ description: 'An operator of rule conditions and the value it compares with.' })
export class OperatorMeta {
  @Field(() => String, { description: 'Operator name as written in a condition (`operator`), e.g. greaterThanInclusive.' })
  name!: string;

  @Field(() => String, { description: 'Label for rule editors, e.g. "is one of".' })
  label!: string;

  @Field(() => String, {
    description:
      'Shape of the condition value: scalar (one value of the fact type), list (values), range ([low, high]) or element (one element of a list fact).',
  })
  valueShape!: string;

  @Field(() => [String], { description: 'Fact types it applies to: number, string, boolean, string[]' })
  types!: string[];

  @Field(() => Boolean, { description: 'Whether the value may be another fact ({ "fact": ... }).' })
  factReference!: boolean;

  @Field(() => Boolean, { description: 'A json-rules-engine built-in (else a Recoup extra, registered on every engine).' })
  builtin!: boolean;

  @Field(() => String, { description: 'What the operator tests, for rule editors.' })
  description!: string;
}

@ObjectType({ description: 'A fact a rule condition can test (DESIGN.md, Facts).' })
export class FactMeta {
  @Field(() => String, { description: 'Fact name as written in a condition (`fact`), e.g. overdueAmount.' })
  name!: string;

  @Field(() => String, { description: 'Label for rule editors.' })
  label!: string;

  @Field(() => String, { description: 'Value type: number, string, boolean or string[].' })
  type!: string;

  @Field(() => String, { description: 'Unit of the value: money (in the strategy currency), count, days, percent, ratio, code, flag, codes or level.' })
  unit!: string;

  @Field(() => String, { description: 'What the fact measures for a partner at the key date.' })
  description!: string;

  @Field(() => Boolean, { description: 'True when the fact can be undefined for a partner.' })
  optional!: boolean;

  @Field(() => [FactParamMeta], { description: 'Parameters the fact accepts; empty when none.' })
  params!: FactParamMeta[];

  @Field(() => [OperatorMeta], { description: 'Operators allowed on this fact.' })
  operators!: OperatorMeta[];
}

@ObjectType({ description: 'A parameter of a basic-rule template.' })
export class TemplateParamMeta {
  @Field(() => String, { description: "Parameter name, a key of expandBasicRule's `params`." })
  name!: string;

  @Field(() => String, { description: 'Label for rule editors.' })
  label!: string;

  @Field(() => String, { description: 'Value type: integer, number or string[].' })
  type!: string;

  @Field(() => JSONScalar, { description: 'Value used when expandBasicRule is given none.' })
  default!: unknown;

  @Field(() => Float, { nullable: true, description: 'Smallest allowed value; null when not bounded (list parameters).' })
  min!: number | null;
}

@ObjectType({ description: 'A basic rule: a named, parameterised template expanding into plain conditions.' })
export class BasicRuleTemplateMeta {
  @Field(() => String, { description: 'Template id, as passed to expandBasicRule.' })
  id!: string;

  @Field(() => String, { description: 'Name of the template for rule editors.' })
  label!: string;

  @Field(() => String, { description: 'What a rule built from the template tests; parameter names in backticks.' })
  description!: string;

  @Field(() => [TemplateParamMeta], { description: 'Parameters of the template; empty when none.' })
  params!: TemplateParamMeta[];

  @Field(() => JSONScalar, { description: 'The conditions it expands to with the default parameters (a preview for the editor).' })
  example!: unknown;
}
