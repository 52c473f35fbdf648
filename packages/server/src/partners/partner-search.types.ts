import { Field, ID, ObjectType } from 'type-graphql';
import { PageInfo } from '../graphql/paging';

@ObjectType({ description: 'A partner found by partnerSearch.' })
export class PartnerSearchHit {
  @Field(() => ID, { description: 'Identifier of the partner.' })
  id!: string;

  @Field(() => String, { description: "The partner's id in the source system." })
  externalId!: string;

  @Field(() => String, { description: 'Name of the partner.' })
  name!: string;

  @Field(() => String, { description: 'Collection segment key.' })
  segment!: string;

  @Field(() => String, { nullable: true, description: 'Correspondence e-mail address; null when none is known.' })
  email!: string | null;
}

@ObjectType({ description: 'One partner of a search page.' })
export class PartnerSearchEdge {
  @Field(() => String, { description: 'Cursor of this row.' })
  cursor!: string;

  @Field(() => PartnerSearchHit, { description: 'The partner.' })
  node!: PartnerSearchHit;
}

@ObjectType({ description: 'A page of partners found by a search, by name (any case) then id.' })
export class PartnerSearchConnection {
  @Field(() => [PartnerSearchEdge], { description: 'The partners of this page.' })
  edges!: PartnerSearchEdge[];

  @Field(() => PageInfo, { description: 'Paging state of this page.' })
  pageInfo!: PageInfo;
}
