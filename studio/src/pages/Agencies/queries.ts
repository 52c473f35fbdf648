/** Debt recovery's operations: agencies, the placement proposal, placements, payment reports, settlements, a partner's placement and legal cases. */
import { graphql } from '../../gql';

export const AGENCY_FIELDS = graphql(`
  fragment RecoveryAgencyFields on Agency {
    key
    name
    email
    commissionPercent
    countDirectPayments
    active
    version
  }
`);

export const AGENCIES_QUERY = graphql(`
  query StudioRecoveryAgencies {
    agencies {
      ...RecoveryAgencyFields
    }
  }
`);

export const SAVE_AGENCY = graphql(`
  mutation StudioRecoverySaveAgency($input: AgencyInput!) {
    saveAgency(input: $input) {
      ...RecoveryAgencyFields
    }
  }
`);

export const DELETE_AGENCY = graphql(`
  mutation StudioRecoveryDeleteAgency($key: String!, $version: Int!) {
    deleteAgency(key: $key, version: $version)
  }
`);

/** The strategies whose live version may serve as placement rules, and the segments to narrow the proposal to. */
export const PROPOSAL_OPTIONS_QUERY = graphql(`
  query StudioRecoveryProposalOptions {
    strategies(first: 200) {
      edges {
        node {
          key
          name
          activeVersion {
            version
            document
          }
        }
      }
    }
    collectionSegments {
      key
      name
      currency
    }
    agencies {
      key
      name
      active
      commissionPercent
    }
  }
`);

export const PROPOSAL_QUERY = graphql(`
  query StudioRecoveryProposal($rules: JSON!, $asOf: Date!, $segment: String) {
    placementProposal(rules: $rules, asOf: $asOf, segment: $segment, first: 500) {
      partnerId
      externalId
      name
      valuation
      percent
      priority
      firedRules
      openAmount
      overdueAmount
    }
  }
`);

/** A proposed partner's open items, to place some of them. */
export const PARTNER_ITEMS_QUERY = graphql(`
  query StudioRecoveryPartnerItems($partnerId: ID!, $asOf: Date) {
    customer(partnerId: $partnerId, asOf: $asOf) {
      partnerId
      openItems(first: 500) {
        edges {
          node {
            id
            externalId
            dueDate
            daysOverdue
            openAmount
            currency
          }
        }
      }
    }
  }
`);

export const PLACEMENT_FIELDS = graphql(`
  fragment RecoveryPlacementFields on Placement {
    id
    partnerId
    partnerExternalId
    partnerName
    agency
    status
    placedOn
    placedBy
    recalledOn
    recallReason
    version
    items {
      itemId
      externalId
      dueDate
      placedAmount
      openAmount
      currency
      held
    }
  }
`);

export const PLACE_PARTNER = graphql(`
  mutation StudioRecoveryPlace($input: PlaceInput!) {
    placePartner(input: $input) {
      ...RecoveryPlacementFields
    }
  }
`);

export const RECALL_PLACEMENT = graphql(`
  mutation StudioRecoveryRecall($input: RecallInput!) {
    recallPlacement(input: $input) {
      ...RecoveryPlacementFields
    }
  }
`);

export const PLACEMENTS_QUERY = graphql(`
  query StudioRecoveryPlacements($agency: String, $status: String, $after: String) {
    placements(agency: $agency, status: $status, first: 100, after: $after) {
      edges {
        node {
          ...RecoveryPlacementFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const IMPORT_PAYMENTS = graphql(`
  mutation StudioRecoveryImportPayments($csv: String!) {
    importAgencyPayments(csv: $csv) {
      rows
      applied
      alreadyApplied
      clearedItems
    }
  }
`);

export const SETTLEMENT_FIELDS = graphql(`
  fragment RecoverySettlementFields on AgencySettlement {
    agency
    periodFrom
    periodTo
    commissionPercent
    countDirectPayments
    settlementId
    closedAt
    lines {
      paymentId
      placementId
      partnerExternalId
      itemExternalId
      paymentDate
      amount
      currency
      viaAgency
      commission
    }
    totals {
      currency
      collected
      commission
    }
  }
`);

/** The settlement of a period with what was placed with the agency in it. */
export const SETTLEMENT_QUERY = graphql(`
  query StudioRecoverySettlement($agency: String!, $from: Date!, $to: Date!) {
    agencySettlement(agency: $agency, from: $from, to: $to) {
      ...RecoverySettlementFields
    }
    agencyAnalytics(agency: $agency, from: $from, to: $to) {
      currency
      placements
      placedAmount
    }
  }
`);

export const CLOSE_SETTLEMENT = graphql(`
  mutation StudioRecoveryCloseSettlement($agency: String!, $from: Date!, $to: Date!) {
    closeAgencySettlement(agency: $agency, from: $from, to: $to) {
      ...RecoverySettlementFields
    }
  }
`);

/** The customer 360's debt recovery: the current placement and the legal cases. */
export const CUSTOMER_RECOVERY_QUERY = graphql(`
  query StudioCustomerRecovery($partnerId: ID!) {
    customer(partnerId: $partnerId) {
      partnerId
      placement {
        ...RecoveryPlacementFields
      }
      legalCases {
        ...RecoveryLegalCaseFields
      }
    }
  }
`);

export const LEGAL_CASE_FIELDS = graphql(`
  fragment RecoveryLegalCaseFields on LegalCase {
    id
    status
    openedOn
    closedOn
    outcome
    reference
    version
    items {
      itemId
      externalId
      amount
      currency
    }
    costs {
      id
      costDate
      kind
      amount
      currency
    }
  }
`);

export const OPEN_LEGAL_CASE = graphql(`
  mutation StudioRecoveryOpenLegalCase($input: OpenLegalCaseInput!) {
    openLegalCase(input: $input) {
      ...RecoveryLegalCaseFields
    }
  }
`);

export const CHANGE_LEGAL_CASE = graphql(`
  mutation StudioRecoveryChangeLegalCase($input: ChangeLegalCaseInput!) {
    changeLegalCase(input: $input) {
      ...RecoveryLegalCaseFields
    }
  }
`);

export const ADD_LEGAL_COST = graphql(`
  mutation StudioRecoveryAddLegalCost($input: LegalCostInput!) {
    addLegalCost(input: $input) {
      ...RecoveryLegalCaseFields
    }
  }
`);
