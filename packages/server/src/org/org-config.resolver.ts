import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DateScalar } from '../graphql/scalars';
import {
  assignPartnerApi,
  collectionGroup,
  collectionGroups,
  collectionProfile,
  collectionProfiles,
  collectionSegment,
  collectionSegments,
  companyCode,
  companyCodes,
  deleteOrgObjectApi,
  partnerAssignment,
  saveAbsenceApi,
  saveCompanyCodeApi,
  saveGroupApi,
  saveProfileApi,
  saveSegmentApi,
  saveSpecialistApi,
  specialistAbsences,
  specialistByUserName,
  specialistList,
} from './org-config-api.service';
import {
  CollectionGroupInput,
  CollectionGroupView,
  CollectionProfileInput,
  CollectionProfileView,
  CollectionSegmentInput,
  CollectionSegmentView,
  CompanyCodeInput,
  CompanyCodeView,
  PartnerAssignment,
  PartnerAssignmentInput,
  SpecialistAbsenceConnection,
  SpecialistAbsenceInput,
  SpecialistAbsenceView,
  SpecialistConnection,
  SpecialistInput,
  SpecialistView,
} from './org-config.types';

const VERSION_ARG = { description: 'The version you read; refused (CONFLICT) when the object changed meanwhile.' };
const DELETE_NOTE = 'Refused (CONFLICT, naming what refers to it) while anything refers to it.';

@Resolver()
export class OrgConfigResolver {
  @Query(() => [CompanyCodeView], { description: 'Company codes, by code.' })
  companyCodes(@Ctx() ctx: RequestContext): Promise<CompanyCodeView[]> {
    return companyCodes(ctx);
  }

  @Query(() => CompanyCodeView, { nullable: true, description: 'One company code; null when unknown.' })
  companyCode(@Ctx() ctx: RequestContext, @Arg('code', () => String, { description: 'The company code.' }) code: string): Promise<CompanyCodeView | null> {
    return companyCode(ctx, code);
  }

  @Query(() => [CollectionSegmentView], { description: 'Collection segments, by key.' })
  collectionSegments(@Ctx() ctx: RequestContext): Promise<CollectionSegmentView[]> {
    return collectionSegments(ctx);
  }

  @Query(() => CollectionSegmentView, { nullable: true, description: 'One collection segment; null when unknown.' })
  collectionSegment(@Ctx() ctx: RequestContext, @Arg('key', () => String, { description: 'Segment key.' }) key: string): Promise<CollectionSegmentView | null> {
    return collectionSegment(ctx, key);
  }

  @Query(() => [CollectionProfileView], { description: 'Collection profiles, by key.' })
  collectionProfiles(@Ctx() ctx: RequestContext): Promise<CollectionProfileView[]> {
    return collectionProfiles(ctx);
  }

  @Query(() => CollectionProfileView, { nullable: true, description: 'One collection profile; null when unknown.' })
  collectionProfile(@Ctx() ctx: RequestContext, @Arg('key', () => String, { description: 'Profile key.' }) key: string): Promise<CollectionProfileView | null> {
    return collectionProfile(ctx, key);
  }

  @Query(() => [CollectionGroupView], { description: 'Collection groups (of a segment), by key.' })
  collectionGroups(
    @Ctx() ctx: RequestContext,
    @Arg('segment', () => String, { nullable: true, description: 'Only the groups working this segment.' }) segment?: string | null,
  ): Promise<CollectionGroupView[]> {
    return collectionGroups(ctx, segment);
  }

  @Query(() => CollectionGroupView, { nullable: true, description: 'One collection group; null when unknown.' })
  collectionGroup(@Ctx() ctx: RequestContext, @Arg('key', () => String, { description: 'Group key.' }) key: string): Promise<CollectionGroupView | null> {
    return collectionGroup(ctx, key);
  }

  @Query(() => SpecialistConnection, { description: 'Specialists by group (none last) and user name, a page at a time.' })
  specialistList(
    @Ctx() ctx: RequestContext,
    @Arg('group', () => String, { nullable: true, description: 'Only this collection group.' }) group?: string | null,
    @Arg('search', () => String, { nullable: true, description: 'Part of the name or user name, any case.' }) search?: string | null,
    @Arg('includeInactive', () => Boolean, { nullable: true, defaultValue: true, description: 'Include inactive specialists (default true).' })
    includeInactive?: boolean | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Page size, 0 to 500 (default 50).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page; absent: the first page.' }) after?: string | null,
  ) {
    return specialistList(ctx, { group, search, includeInactive, first, after });
  }

  @Query(() => SpecialistView, { nullable: true, description: 'One specialist by user name; null when unknown.' })
  specialist(@Ctx() ctx: RequestContext, @Arg('userName', () => String, { description: 'User name.' }) userName: string): Promise<SpecialistView | null> {
    return specialistByUserName(ctx, userName);
  }

  @Query(() => SpecialistAbsenceConnection, { description: 'Absences overlapping a period, by first day, a page at a time.' })
  specialistAbsences(
    @Ctx() ctx: RequestContext,
    @Arg('userName', () => String, { nullable: true, description: "Only this specialist's absences." }) userName?: string | null,
    @Arg('group', () => String, { nullable: true, description: 'Only absences of specialists of this group.' }) group?: string | null,
    @Arg('from', () => DateScalar, { nullable: true, description: 'Only absences ending on or after this day.' }) from?: string | null,
    @Arg('to', () => DateScalar, { nullable: true, description: 'Only absences starting on or before this day.' }) to?: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Page size, 0 to 500 (default 50).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page; absent: the first page.' }) after?: string | null,
  ) {
    return specialistAbsences(ctx, { userName, group, from, to, first, after });
  }

  @Query(() => PartnerAssignment, { nullable: true, description: "Where a partner is worked; null when the partner doesn't exist." })
  partnerAssignment(@Ctx() ctx: RequestContext, @Arg('partnerId', () => ID, { description: 'Identifier of the partner.' }) partnerId: string) {
    return partnerAssignment(ctx, partnerId);
  }

  @Mutation(() => CompanyCodeView, { description: 'Creates (version null) or changes a company code; audited.' })
  saveCompanyCode(@Ctx() ctx: RequestContext, @Arg('input', () => CompanyCodeInput, { description: 'The company code.' }) input: CompanyCodeInput) {
    return saveCompanyCodeApi(ctx, input);
  }

  @Mutation(() => Boolean, { description: `Deletes a company code. ${DELETE_NOTE} Retire it with active: false instead.` })
  deleteCompanyCode(
    @Ctx() ctx: RequestContext,
    @Arg('code', () => String, { description: 'The company code.' }) code: string,
    @Arg('version', () => Int, VERSION_ARG) version: number,
  ) {
    return deleteOrgObjectApi(ctx, 'companyCode', code, version);
  }

  @Mutation(() => CollectionSegmentView, { description: 'Creates (version null) or changes a collection segment; audited.' })
  saveCollectionSegment(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CollectionSegmentInput, { description: 'The segment.' }) input: CollectionSegmentInput,
  ) {
    return saveSegmentApi(ctx, input);
  }

  @Mutation(() => Boolean, { description: `Deletes a collection segment. ${DELETE_NOTE}` })
  deleteCollectionSegment(
    @Ctx() ctx: RequestContext,
    @Arg('key', () => String, { description: 'Segment key.' }) key: string,
    @Arg('version', () => Int, VERSION_ARG) version: number,
  ) {
    return deleteOrgObjectApi(ctx, 'segment', key, version);
  }

  @Mutation(() => CollectionProfileView, { description: 'Creates (version null) or changes a collection profile; audited.' })
  saveCollectionProfile(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CollectionProfileInput, { description: 'The profile.' }) input: CollectionProfileInput,
  ) {
    return saveProfileApi(ctx, input);
  }

  @Mutation(() => Boolean, { description: `Deletes a collection profile. ${DELETE_NOTE}` })
  deleteCollectionProfile(
    @Ctx() ctx: RequestContext,
    @Arg('key', () => String, { description: 'Profile key.' }) key: string,
    @Arg('version', () => Int, VERSION_ARG) version: number,
  ) {
    return deleteOrgObjectApi(ctx, 'profile', key, version);
  }

  @Mutation(() => CollectionGroupView, { description: 'Creates (version null) or changes a collection group; audited.' })
  saveCollectionGroup(@Ctx() ctx: RequestContext, @Arg('input', () => CollectionGroupInput, { description: 'The group.' }) input: CollectionGroupInput) {
    return saveGroupApi(ctx, input);
  }

  @Mutation(() => Boolean, { description: `Deletes a collection group. ${DELETE_NOTE} Retire it with active: false instead.` })
  deleteCollectionGroup(
    @Ctx() ctx: RequestContext,
    @Arg('key', () => String, { description: 'Group key.' }) key: string,
    @Arg('version', () => Int, VERSION_ARG) version: number,
  ) {
    return deleteOrgObjectApi(ctx, 'group', key, version);
  }

  @Mutation(() => SpecialistView, { description: 'Creates (version null) or changes a specialist, named by user name; audited.' })
  saveSpecialist(@Ctx() ctx: RequestContext, @Arg('input', () => SpecialistInput, { description: 'The specialist.' }) input: SpecialistInput) {
    return saveSpecialistApi(ctx, input);
  }

  @Mutation(() => Boolean, { description: `Deletes a specialist. ${DELETE_NOTE} Retire them with active: false instead.` })
  deleteSpecialist(
    @Ctx() ctx: RequestContext,
    @Arg('userName', () => String, { description: 'User name.' }) userName: string,
    @Arg('version', () => Int, VERSION_ARG) version: number,
  ) {
    return deleteOrgObjectApi(ctx, 'specialist', userName, version);
  }

  @Mutation(() => SpecialistAbsenceView, { description: 'Records (id null) or changes an absence with its substitute; audited.' })
  saveSpecialistAbsence(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SpecialistAbsenceInput, { description: 'The absence.' }) input: SpecialistAbsenceInput,
  ) {
    return saveAbsenceApi(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes an absence; audited.' })
  deleteSpecialistAbsence(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: 'Identifier of the absence.' }) id: string,
    @Arg('version', () => Int, VERSION_ARG) version: number,
  ) {
    return deleteOrgObjectApi(ctx, 'absence', id, version);
  }

  @Mutation(() => PartnerAssignment, { description: "Sets a partner's profile, collection group and fixed specialist; audited." })
  assignPartner(@Ctx() ctx: RequestContext, @Arg('input', () => PartnerAssignmentInput, { description: 'The assignment.' }) input: PartnerAssignmentInput) {
    return assignPartnerApi(ctx, input);
  }
}
