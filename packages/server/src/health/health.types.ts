import 'reflect-metadata';
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Liveness of the API and its database (no token needed).' })
export class Health {
  @Field(() => String, { description: '"ok" when the database answered.' })
  status!: string;

  @Field(() => String, { description: 'Where the data lives: "embedded" (PGlite, in the process) or "postgres" (DATABASE_URL).' })
  database!: string;

  @Field(() => String, { description: 'Version of the Recoup server.' })
  version!: string;
}
