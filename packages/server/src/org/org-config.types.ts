import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../graphql/paging';
import { DateScalar } from '../graphql/scalars';

const VERSION_READ = 'Version of this object; a change names it and is refused (CONFLICT) when someone changed the object meanwhile.';
const VERSION_WRITE = 'The version you read; null (or absent) creates a new object (CONFLICT when the key exists).';

@ObjectType('Specialist', { description: 'A collection specialist who works worklist items.' })
export class SpecialistView {
  @Field(() => ID, { description: 'Identifier of the specialist.' })
  id!: string;

  @Field(() => String, { description: 'Unique user name.' })
  userName!: string;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'E-mail address; null when unknown.' })
  email!: string | null;

  @Field(() => String, { nullable: true, description: 'Key of the collection group the specialist works in; null when in none.' })
  group!: string | null;

  @Field(() => Boolean, { description: 'Whether the specialist is active; the standard distribution deals items to active specialists only.' })
  active!: boolean;

  @Field(() => Int, { description: VERSION_READ })
  version!: number;
}

@ObjectType('CompanyCode', { description: 'A legal entity posting receivables; carries the promise-to-pay tolerance.' })
export class CompanyCodeView {
  @Field(() => String, { description: 'The company code (key).' })
  code!: string;

  @Field(() => String, { description: 'Name of the company.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'ISO 3166 country code.' })
  country!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217 currency of its books.' })
  currency!: string | null;

  @Field(() => Int, { description: 'Days after a promised date in which a payment still keeps the promise.' })
  promiseToleranceDays!: number;

  @Field(() => Boolean, { description: 'Inactive: retired, kept because items refer to it.' })
  active!: boolean;

  @Field(() => Int, { description: VERSION_READ })
  version!: number;
}

@ObjectType('CollectionSegment', { description: 'A collection segment: covers company codes, is scored in its currency, worked by collection groups.' })
export class CollectionSegmentView {
  @Field(() => String, { description: 'Segment key.' })
  key!: string;

  @Field(() => String, { description: 'Name of the segment.' })
  name!: string;

  @Field(() => String, { description: 'Currency in which the segment is scored and shown.' })
  currency!: string;

  @Field(() => [String], { description: 'The company codes it covers.' })
  companyCodes!: string[];

  @Field(() => Int, { description: 'Partners in the segment.' })
  partners!: number;

  @Field(() => [String], { description: 'Keys of the collection groups working it (active or not).' })
  groups!: string[];

  @Field(() => Int, { description: VERSION_READ })
  version!: number;
}

@ObjectType('CollectionProfile', { description: 'A collection profile: bundles segments.' })
export class CollectionProfileView {
  @Field(() => String, { description: 'Profile key.' })
  key!: string;

  @Field(() => String, { description: 'Name of the profile.' })
  name!: string;

  @Field(() => [String], { description: 'Keys of its segments.' })
  segments!: string[];

  @Field(() => Int, { description: VERSION_READ })
  version!: number;
}

@ObjectType('CollectionGroup', { description: 'A team of specialists working one segment with one strategy.' })
export class CollectionGroupView {
  @Field(() => String, { description: 'Group key.' })
  key!: string;

  @Field(() => String, { description: 'Name of the group.' })
  name!: string;

  @Field(() => String, { description: 'The segment it works.' })
  segment!: string;

  @Field(() => String, { nullable: true, description: 'Key of the strategy whose active version scores its worklist; null until one is chosen.' })
  strategy!: string | null;

  @Field(() => Boolean, { description: 'Inactive: retired; no run deals work to it.' })
  active!: boolean;

  @Field(() => Int, { description: 'Its specialists (active or not).' })
  specialistCount!: number;

  @Field(() => Int, {
    nullable: true,
    description: "Partners the group works in a day: the k of a backtest's capture at capacity. Null: the backtest uses its active specialists x 30.",
  })
  dailyCapacity!: number | null;

  @Field(() => Int, { description: VERSION_READ })
  version!: number;
}

@ObjectType('SpecialistAbsence', { description: "A specialist's absence; the substitute takes their fixed partners meanwhile." })
export class SpecialistAbsenceView {
  @Field(() => ID, { description: 'Identifier of the absence.' })
  id!: string;

  @Field(() => String, { description: 'User name of the absent specialist.' })
  userName!: string;

  @Field(() => String, { description: 'Name of the absent specialist.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Their collection group.' })
  group!: string | null;

  @Field(() => DateScalar, { description: 'First day of the absence.' })
  startsOn!: string;

  @Field(() => DateScalar, { description: 'Last day of the absence (inclusive).' })
  endsOn!: string;

  @Field(() => String, { nullable: true, description: 'User name of the substitute; null: their partners are dealt within the group.' })
  substitute!: string | null;

  @Field(() => String, { nullable: true, description: 'Name of the substitute.' })
  substituteName!: string | null;

  @Field(() => Int, { description: VERSION_READ })
  version!: number;
}

@ObjectType({ description: 'Where a partner is worked: profile, collection group and fixed specialist.' })
export class PartnerAssignment {
  @Field(() => ID, { description: 'Identifier of the partner.' })
  partnerId!: string;

  @Field(() => String, { description: "The partner's id in the source system." })
  externalId!: string;

  @Field(() => String, { description: 'Name of the partner.' })
  name!: string;

  @Field(() => String, { description: "The partner's segment." })
  segment!: string;

  @Field(() => String, { nullable: true, description: 'Collection profile key.' })
  profile!: string | null;

  @Field(() => String, { nullable: true, description: "Collection group key; null: the segment's only group, if it has one." })
  collectionGroup!: string | null;

  @Field(() => String, { nullable: true, description: 'User name of the fixed specialist.' })
  specialist!: string | null;
}

@ObjectType({ description: 'One specialist of a page.' })
export class SpecialistEdge {
  @Field(() => String, { description: 'Cursor of this row.' })
  cursor!: string;

  @Field(() => SpecialistView, { description: 'The specialist.' })
  node!: SpecialistView;
}

@ObjectType({ description: 'A page of specialists, by group and user name.' })
export class SpecialistConnection {
  @Field(() => [SpecialistEdge], { description: 'The specialists of this page.' })
  edges!: SpecialistEdge[];

  @Field(() => PageInfo, { description: 'Paging state of this page.' })
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'One absence of a page.' })
export class SpecialistAbsenceEdge {
  @Field(() => String, { description: 'Cursor of this row.' })
  cursor!: string;

  @Field(() => SpecialistAbsenceView, { description: 'The absence.' })
  node!: SpecialistAbsenceView;
}

@ObjectType({ description: 'A page of absences, by first day.' })
export class SpecialistAbsenceConnection {
  @Field(() => [SpecialistAbsenceEdge], { description: 'The absences of this page.' })
  edges!: SpecialistAbsenceEdge[];

  @Field(() => PageInfo, { description: 'Paging state of this page.' })
  pageInfo!: PageInfo;
}

// ---- inputs --------------------------------------------------------------------------------

@InputType({ description: 'A company code to create or change.' })
export class CompanyCodeInput {
  @Field(() => String, { description: 'The company code: 1-40 characters A-Z a-z 0-9 _ -.' })
  code!: string;

  @Field(() => String, { description: 'Name of the company.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'ISO 3166 country code.' })
  country?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217 currency code.' })
  currency?: string | null;

  @Field(() => Int, { nullable: true, description: 'Promise tolerance in days, 0-365 (default 3).' })
  promiseToleranceDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  active?: boolean | null;

  @Field(() => Int, { nullable: true, description: VERSION_WRITE })
  version?: number | null;
}

@InputType({ description: 'A collection segment to create or change.' })
export class CollectionSegmentInput {
  @Field(() => String, { description: 'Segment key: 1-40 characters A-Z a-z 0-9 _ -.' })
  key!: string;

  @Field(() => String, { description: 'Name of the segment.' })
  name!: string;

  @Field(() => String, { description: 'ISO 4217 currency in which it is scored.' })
  currency!: string;

  @Field(() => [String], { description: 'The company codes it covers (each must exist).' })
  companyCodes!: string[];

  @Field(() => Int, { nullable: true, description: VERSION_WRITE })
  version?: number | null;
}

@InputType({ description: 'A collection profile to create or change.' })
export class CollectionProfileInput {
  @Field(() => String, { description: 'Profile key: 1-40 characters A-Z a-z 0-9 _ -.' })
  key!: string;

  @Field(() => String, { description: 'Name of the profile.' })
  name!: string;

  @Field(() => [String], { description: 'Its segments (each must exist).' })
  segments!: string[];

  @Field(() => Int, { nullable: true, description: VERSION_WRITE })
  version?: number | null;
}

@InputType({ description: 'A collection group to create or change.' })
export class CollectionGroupInput {
  @Field(() => String, { description: 'Group key: 1-40 characters A-Z a-z 0-9 _ -.' })
  key!: string;

  @Field(() => String, { description: 'Name of the group.' })
  name!: string;

  @Field(() => String, { description: 'The segment it works (must exist).' })
  segment!: string;

  @Field(() => String, { nullable: true, description: 'Key of the strategy that scores it (must exist); null: none yet.' })
  strategy?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  active?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Partners the group works in a day (1-100000); null clears it, omitted keeps it.' })
  dailyCapacity?: number | null;

  @Field(() => Int, { nullable: true, description: VERSION_WRITE })
  version?: number | null;
}

@InputType({ description: 'A specialist to create or change (named by user name).' })
export class SpecialistInput {
  @Field(() => String, { description: 'Unique user name: 1-60 characters A-Z a-z 0-9 . _ @ -.' })
  userName!: string;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'E-mail address.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Collection group key (must exist); null: none.' })
  group?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  active?: boolean | null;

  @Field(() => Int, { nullable: true, description: VERSION_WRITE })
  version?: number | null;
}

@InputType({ description: 'An absence to record or change.' })
export class SpecialistAbsenceInput {
  @Field(() => ID, { nullable: true, description: 'The absence to change; null records a new one.' })
  id?: string | null;

  @Field(() => String, { description: 'User name of the absent specialist.' })
  userName!: string;

  @Field(() => DateScalar, { description: 'First day.' })
  startsOn!: string;

  @Field(() => DateScalar, { description: 'Last day (inclusive; not before startsOn).' })
  endsOn!: string;

  @Field(() => String, {
    nullable: true,
    description: 'User name of the substitute: an active specialist of the same group, not absent on those days; null: none.',
  })
  substitute?: string | null;

  @Field(() => Int, { nullable: true, description: 'The version you read (required to change an absence).' })
  version?: number | null;
}

@InputType({ description: 'Where a partner is worked; null clears a field.' })
export class PartnerAssignmentInput {
  @Field(() => ID, { description: 'Identifier of the partner.' })
  partnerId!: string;

  @Field(() => String, { nullable: true, description: 'Collection profile key (must exist).' })
  profile?: string | null;

  @Field(() => String, { nullable: true, description: "Collection group key: an active group working the partner's segment." })
  collectionGroup?: string | null;

  @Field(() => String, { nullable: true, description: "User name of a fixed specialist: an active member of the partner's group." })
  specialist?: string | null;
}
