import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';

@ObjectType('LegalCaseItem', { description: 'An item under a legal case.' })
export class LegalCaseItemView {
  @Field(() => ID, { description: 'Identifier of the open item.' })
  itemId!: string;

  @Field(() => String, { description: 'Document number of the item.' })
  externalId!: string;

  @Field(() => DecimalScalar, { description: 'Open amount when the case was opened.' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the item.' })
  currency!: string;
}

@ObjectType('LegalCaseEvent', { description: 'A dated status change of a legal case.' })
export class LegalCaseEventView {
  @Field(() => String, { description: 'The status it moved to.' })
  status!: string;

  @Field(() => DateScalar, { description: 'Day of the change.' })
  changedOn!: string;

  @Field(() => String, { nullable: true, description: 'Note on the change.' })
  note!: string | null;
}

@ObjectType('LegalCaseCost', { description: 'A cost of a legal case, charged to the partner.' })
export class LegalCaseCostView {
  @Field(() => ID, { description: 'Identifier of the cost.' })
  id!: string;

  @Field(() => DateScalar, { description: 'Day of the cost.' })
  costDate!: string;

  @Field(() => String, { description: 'What it is (court fee, lawyer, bailiff, ...).' })
  kind!: string;

  @Field(() => DecimalScalar, { description: 'Amount, exact.' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the amount.' })
  currency!: string;
}

@ObjectType('LegalCase', { description: "Legal escalation of a partner's items." })
export class LegalCaseView {
  @Field(() => ID, { description: 'Identifier of the case.' })
  id!: string;

  @Field(() => ID, { description: 'Identifier of the partner.' })
  partnerId!: string;

  @Field(() => String, { description: 'PREPARED, FILED, JUDGMENT, ENFORCEMENT or CLOSED.' })
  status!: string;

  @Field(() => DateScalar, { description: 'Day the case was opened (PREPARED).' })
  openedOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day it was closed; null while open.' })
  closedOn!: string | null;

  @Field(() => String, { nullable: true, description: 'Outcome of a closed case: PAID, SETTLED, WON_UNCOLLECTIBLE, LOST or WITHDRAWN.' })
  outcome!: string | null;

  @Field(() => String, { nullable: true, description: 'Court reference or lawyer’s file number.' })
  reference!: string | null;

  @Field(() => Int, { description: 'Version; a change names it and is refused (CONFLICT) when the case changed meanwhile.' })
  version!: number;

  @Field(() => [LegalCaseItemView], { description: 'The items of the case, by item id.' })
  items!: LegalCaseItemView[];

  @Field(() => [LegalCaseEventView], { description: 'Its status history, oldest first.' })
  history!: LegalCaseEventView[];

  @Field(() => [LegalCaseCostView], { description: 'Its costs, by date.' })
  costs!: LegalCaseCostView[];
}

@InputType('OpenLegalCaseInput', { description: 'A legal case to open on a partner’s items.' })
export class OpenLegalCaseInput {
  @Field(() => ID, { description: 'Identifier of the partner.' })
  partnerId!: string;

  @Field(() => [ID], { nullable: true, description: 'Some open items; absent or empty: every open item not placed or under another case.' })
  itemIds?: string[] | null;

  @Field(() => DateScalar, { description: 'Day the case is opened.' })
  openedOn!: string;

  @Field(() => String, { nullable: true, description: 'Court reference or lawyer’s file number.' })
  reference?: string | null;
}

@InputType('ChangeLegalCaseInput', { description: 'A status change of a legal case.' })
export class ChangeLegalCaseInput {
  @Field(() => ID, { description: 'Identifier of the case.' })
  caseId!: string;

  @Field(() => String, { description: 'The next status: FILED, JUDGMENT, ENFORCEMENT or CLOSED.' })
  status!: string;

  @Field(() => DateScalar, { description: 'Day of the change (not before the last one).' })
  changedOn!: string;

  @Field(() => String, { nullable: true, description: 'Required when closing: PAID, SETTLED, WON_UNCOLLECTIBLE, LOST or WITHDRAWN.' })
  outcome?: string | null;

  @Field(() => String, { nullable: true, description: 'Note on the change.' })
  note?: string | null;

  @Field(() => Int, { description: 'The version of the case you read.' })
  version!: number;
}

@InputType('LegalCostInput', { description: 'A cost of an open legal case.' })
export class LegalCostInput {
  @Field(() => ID, { description: 'Identifier of the case.' })
  caseId!: string;

  @Field(() => DateScalar, { description: 'Day of the cost.' })
  costDate!: string;

  @Field(() => String, { description: 'What it is (court fee, lawyer, bailiff, ...).' })
  kind!: string;

  @Field(() => DecimalScalar, { description: 'Amount, positive, at most 4 decimals.' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the amount.' })
  currency!: string;
}
