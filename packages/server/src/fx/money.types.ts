/** Money as the API shows it: an exact decimal amount with its currency. */
import { Field, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../graphql/scalars';

@ObjectType({ description: 'An exact amount in one currency.' })
export class MoneyAmount {
  @Field(() => String, { description: 'ISO 4217 currency code, e.g. EUR.' })
  currency!: string;

  @Field(() => DecimalScalar, { description: 'The amount in that currency, exact (up to 4 decimals).' })
  amount!: string;
}
