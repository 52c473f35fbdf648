import 'reflect-metadata';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The caller: the API token in use.' })
export class Viewer {
  @Field(() => String, { description: 'Name of the API token (the author recorded on what it writes).' })
  name!: string;

  @Field(() => String, { description: 'ADMIN, CONFIGURATOR, SUPERVISOR, SPECIALIST or CLIENT.' })
  role!: string;

  @Field(() => ID, { nullable: true, description: 'The specialist a SPECIALIST token belongs to.' })
  specialistId!: string | null;

  @Field(() => String, { nullable: true, description: "That specialist's name; null for a token without a specialist." })
  specialistName!: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "The collection groups a SUPERVISOR token's figures are limited to (its groups); null when not limited to groups (a SUPERVISOR without groups sees the department).",
  })
  groups!: string[] | null;
}

@ObjectType('SpecialistSummary', { description: 'A specialist and the work on the live worklists now.' })
export class SpecialistSummary {
  @Field(() => ID, { description: 'Identifier of the specialist.' })
  id!: string;

  @Field(() => String, { description: 'Name of the specialist.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Collection group key.' })
  group!: string | null;

  @Field(() => Boolean, { description: 'Whether the specialist is active (inactive ones get no new work).' })
  active!: boolean;

  @Field(() => Boolean, { description: 'Absent today (an absence covers the current date).' })
  absentToday!: boolean;

  @Field(() => Number, { description: 'Open (not completed) items on the live worklists now, after reassignments.' })
  openItems!: number;

  @Field(() => String, { description: "Their amount to be collected (in each run's strategy currency, summed as is)." })
  amountToBeCollected!: string;
}
