/** The organisation page's operations: each object's list, its save and delete, and the worklist run of a group's segment. */
import { graphql } from '../../gql';

export const COMPANY_CODE_FIELDS = graphql(`
  fragment OrgCompanyCodeFields on CompanyCode {
    code
    name
    country
    currency
    promiseToleranceDays
    active
    version
  }
`);

export const COMPANY_CODES_QUERY = graphql(`
  query StudioOrgCompanyCodes {
    companyCodes {
      ...OrgCompanyCodeFields
    }
  }
`);

export const SAVE_COMPANY_CODE = graphql(`
  mutation StudioOrgSaveCompanyCode($input: CompanyCodeInput!) {
    saveCompanyCode(input: $input) {
      ...OrgCompanyCodeFields
    }
  }
`);

export const DELETE_COMPANY_CODE = graphql(`
  mutation StudioOrgDeleteCompanyCode($code: String!, $version: Int!) {
    deleteCompanyCode(code: $code, version: $version)
  }
`);

export const SEGMENT_FIELDS = graphql(`
  fragment OrgSegmentFields on CollectionSegment {
    key
    name
    currency
    companyCodes
    groups
    partners
    version
  }
`);

/** Segments with the company codes a segment form offers. */
export const SEGMENTS_QUERY = graphql(`
  query StudioOrgSegments {
    collectionSegments {
      ...OrgSegmentFields
    }
    companyCodes {
      code
      name
      active
    }
  }
`);

export const SAVE_SEGMENT = graphql(`
  mutation StudioOrgSaveSegment($input: CollectionSegmentInput!) {
    saveCollectionSegment(input: $input) {
      ...OrgSegmentFields
    }
  }
`);

export const DELETE_SEGMENT = graphql(`
  mutation StudioOrgDeleteSegment($key: String!, $version: Int!) {
    deleteCollectionSegment(key: $key, version: $version)
  }
`);

/** Profiles with the segments a profile form offers. */
export const PROFILES_QUERY = graphql(`
  query StudioOrgProfiles {
    collectionProfiles {
      key
      name
      segments
      version
    }
    collectionSegments {
      key
      name
    }
  }
`);

export const SAVE_PROFILE = graphql(`
  mutation StudioOrgSaveProfile($input: CollectionProfileInput!) {
    saveCollectionProfile(input: $input) {
      key
      name
      segments
      version
    }
  }
`);

export const DELETE_PROFILE = graphql(`
  mutation StudioOrgDeleteProfile($key: String!, $version: Int!) {
    deleteCollectionProfile(key: $key, version: $version)
  }
`);

export const GROUP_FIELDS = graphql(`
  fragment OrgGroupFields on CollectionGroup {
    key
    name
    segment
    strategy
    active
    specialistCount
    dailyCapacity
    version
  }
`);

/** Groups with what a group form offers: the segments and the strategies (with their live version). */
export const GROUPS_QUERY = graphql(`
  query StudioOrgGroups {
    collectionGroups {
      ...OrgGroupFields
    }
    collectionSegments {
      key
      name
      currency
    }
    strategies(first: 200) {
      edges {
        node {
          id
          key
          name
          activeVersion {
            id
            version
          }
        }
      }
    }
  }
`);

export const SAVE_GROUP = graphql(`
  mutation StudioOrgSaveGroup($input: CollectionGroupInput!) {
    saveCollectionGroup(input: $input) {
      ...OrgGroupFields
    }
  }
`);

export const DELETE_GROUP = graphql(`
  mutation StudioOrgDeleteGroup($key: String!, $version: Int!) {
    deleteCollectionGroup(key: $key, version: $version)
  }
`);

export const SPECIALIST_FIELDS = graphql(`
  fragment OrgSpecialistFields on Specialist {
    id
    userName
    name
    email
    group
    active
    version
  }
`);

/**
 * A group's specialists (the master data), their work on the live worklists now, who is away
 * today and who stands in, and the segment's live run (its key date and currency).
 */
export const GROUP_DETAIL_QUERY = graphql(`
  query StudioOrgGroupDetail($group: String!, $segment: String!, $today: Date!) {
    specialistList(group: $group, first: 500) {
      edges {
        node {
          ...OrgSpecialistFields
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    specialists(group: $group) {
      id
      absentToday
      openItems
      amountToBeCollected
    }
    specialistAbsences(group: $group, from: $today, to: $today, first: 500) {
      edges {
        node {
          ...OrgAbsenceFields
        }
      }
    }
    worklistRun(segment: $segment) {
      id
      asOf
      currency
      status
      partnersOnList
    }
  }
`);

/** How many of a specialist's open live items they have as a substitute. */
export const SUBSTITUTE_ITEMS_QUERY = graphql(`
  query StudioOrgSubstituteItems($segment: String!, $specialistId: ID!) {
    worklist(segment: $segment, first: 0, filter: { specialistId: $specialistId, specialistOrigins: ["SUBSTITUTE"], completed: false }) {
      totalCount
    }
  }
`);

export const SAVE_SPECIALIST = graphql(`
  mutation StudioOrgSaveSpecialist($input: SpecialistInput!) {
    saveSpecialist(input: $input) {
      ...OrgSpecialistFields
    }
  }
`);

export const DELETE_SPECIALIST = graphql(`
  mutation StudioOrgDeleteSpecialist($userName: String!, $version: Int!) {
    deleteSpecialist(userName: $userName, version: $version)
  }
`);

/** Scores the segment with its groups' live strategy at the key date and makes the run its live worklist. */
export const GENERATE_WORKLIST = graphql(`
  mutation StudioOrgGenerateWorklist($segment: String!, $asOf: Date!) {
    generateWorklist(segment: $segment, asOf: $asOf) {
      id
      segment
      asOf
      currency
      status
      partnersOnList
      bySpecialist {
        specialistId
        count
        amountToBeCollected
      }
    }
  }
`);

export const ABSENCE_FIELDS = graphql(`
  fragment OrgAbsenceFields on SpecialistAbsence {
    id
    userName
    name
    group
    startsOn
    endsOn
    substitute
    substituteName
    version
  }
`);

export const ABSENCES_QUERY = graphql(`
  query StudioOrgAbsences($group: String, $from: Date, $to: Date, $after: String) {
    specialistAbsences(group: $group, from: $from, to: $to, first: 200, after: $after) {
      edges {
        node {
          ...OrgAbsenceFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The groups an absence filter and form offer. */
export const GROUP_KEYS_QUERY = graphql(`
  query StudioOrgGroupKeys {
    collectionGroups {
      key
      name
      active
    }
  }
`);

/** A group's specialists, for the absence form's pickers. */
export const GROUP_SPECIALISTS_QUERY = graphql(`
  query StudioOrgGroupSpecialists($group: String!) {
    specialistList(group: $group, first: 500) {
      edges {
        node {
          ...OrgSpecialistFields
        }
      }
    }
  }
`);

export const SAVE_ABSENCE = graphql(`
  mutation StudioOrgSaveAbsence($input: SpecialistAbsenceInput!) {
    saveSpecialistAbsence(input: $input) {
      ...OrgAbsenceFields
    }
  }
`);

export const DELETE_ABSENCE = graphql(`
  mutation StudioOrgDeleteAbsence($id: ID!, $version: Int!) {
    deleteSpecialistAbsence(id: $id, version: $version)
  }
`);
