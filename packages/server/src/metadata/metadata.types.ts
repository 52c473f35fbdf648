import { Field, Float, ObjectType } from 'type-graphql';
import { JSONScalar } from '../simulation/json.scalar';

@ObjectType({ description: 'A parameter of a fact, e.g. withinDays of brokenPromises.' })
export class FactParamMeta {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'integer or boolean' })
  type!: string;

  @Field(() => JSONScalar, { description: 'Used when the condition omits the parameter.' })
  default!: number | boolean;

  @Field(() => Float, { nullable: true })
  min!: number | null;

  @Field(() => Float, { nullable: true })
  max!: number | null;

  @Field(() => String)
  description!: string;
}

@ObjectType({ description: 'An operator of rule conditions and the value it compares with.' })
export class OperatorMeta {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  label!: string;

  @Field(() => String, { description: 'scalar (one value of the fact type), list (values), range ([low, high]) or element (one element of a list fact)' })
  valueShape!: string;

  @Field(() => [String], { description: 'Fact types it applies to: number, string, boolean, string[]' })
  types!: string[];

  @Field(() => Boolean, { description: 'Whether the value may be another fact ({ "fact": ... }).' })
  factReference!: boolean;

  @Field(() => Boolean, { description: 'A json-rules-engine built-in (else a Recoup extra, registered on every engine).' })
  builtin!: boolean;

  @Field(() => String)
  description!: string;
}

@ObjectType({ description: 'A fact a rule condition can test (DESIGN.md, Facts).' })
export class FactMeta {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  label!: string;

  @Field(() => String, { description: 'number, string, boolean or string[]' })
  type!: string;

  @Field(() => String, { description: 'money (in the strategy currency), count, days, percent, ratio, code, flag, codes, level' })
  unit!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Boolean, { description: 'True when the fact can be undefined for a partner.' })
  optional!: boolean;

  @Field(() => [FactParamMeta])
  params!: FactParamMeta[];

  @Field(() => [OperatorMeta], { description: 'Operators allowed on this fact.' })
  operators!: OperatorMeta[];
}

@ObjectType()
export class TemplateParamMeta {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  label!: string;

  @Field(() => String, { description: 'integer, number or string[]' })
  type!: string;

  @Field(() => JSONScalar)
  default!: unknown;

  @Field(() => Float, { nullable: true })
  min!: number | null;
}

@ObjectType({ description: 'A basic rule: a named, parameterised template expanding into plain conditions.' })
export class BasicRuleTemplateMeta {
  @Field(() => String)
  id!: string;

  @Field(() => String)
  label!: string;

  @Field(() => String)
  description!: string;

  @Field(() => [TemplateParamMeta])
  params!: TemplateParamMeta[];

  @Field(() => JSONScalar, { description: 'The conditions it expands to with the default parameters (a preview for the editor).' })
  example!: unknown;
}
