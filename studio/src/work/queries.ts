import { gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';
import type { Decimal } from '../lib/api';

/** The fields every view of a worklist item asks for, so a mutation's re-valuated item updates them all in the cache. */
const ITEM_FIELDS = gql`
  fragment WorkItemFields on WorklistItem {
    id
    runId
    partnerId
    priority
    valuation
    percent
    currency
    specialistOrigin
    revaluatedAt
    completedAt
    resubmissionDate
    partner { id name externalId customerType riskClass segment }
    specialist { id name }
    firedRules { name points }
    amounts { open overdue toBeCollected promised disputed }
  }
`;

export interface WorkItem {
  id: string;
  runId: string;
  partnerId: string;
  priority: number;
  valuation: number;
  percent: Decimal;
  currency: string | null;
  specialistOrigin: string | null;
  revaluatedAt: string | null;
  /** Set when working the item finished it: a promise, a dispute or a contact with a completing result. */
  completedAt: string | null;
  resubmissionDate: string | null;
  partner: { id: string; name: string; externalId: string; customerType: string; riskClass: string | null; segment: string };
  specialist: { id: string; name: string } | null;
  firedRules: { name: string; points: number }[];
  amounts: { open: Decimal; overdue: Decimal; toBeCollected: Decimal; promised: Decimal; disputed: Decimal };
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: T }[];
}

export const MY_WORKLIST_QUERY: TypedDocumentNode<{ worklist: Connection<WorkItem> }, { specialistId?: string | null; after?: string | null }> = gql`
  ${ITEM_FIELDS}
  query StudioMyWorklist($specialistId: ID, $after: String) {
    worklist(first: 50, after: $after, orderBy: WORKLIST, filter: { specialistId: $specialistId }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ...WorkItemFields } }
    }
  }
`;

export interface WorklistSummary {
  count: number;
  completed: number;
  amountsToBeCollected: Array<{ currency: string; amount: string }>;
}

/** The whole list's figures (not only the pages loaded); refetched by name after every action. */
export const MY_WORKLIST_SUMMARY_QUERY: TypedDocumentNode<{ worklist: { summary: WorklistSummary } }, { specialistId?: string | null }> = gql`
  query StudioMyWorklistSummary($specialistId: ID) {
    worklist(first: 0, filter: { specialistId: $specialistId }) {
      summary { count completed amountsToBeCollected { currency amount } }
    }
  }
`;

/** Only a SPECIALIST is refused the unassigned items: how the studio tells who signed in (the API has no `viewer`). */
/** The caller (the token in use). */
export const ME_QUERY: TypedDocumentNode<{ me: { role: string; specialistId: string | null; specialistName: string | null } }, Record<string, never>> = gql`
  query StudioMe {
    me { role specialistId specialistName }
  }
`;

export interface SpecialistLoad {
  specialistId: string | null;
  count: number;
  amountToBeCollected: Decimal;
  specialist: { id: string; name: string; group: string | null; active: boolean } | null;
}

export interface RunLoads {
  id: string;
  segment: string;
  currency: string | null;
  asOf: string;
  bySpecialist: SpecialistLoad[];
}

export const RUN_LOADS_QUERY: TypedDocumentNode<{ worklistRun: RunLoads | null }, { segment: string }> = gql`
  query StudioRunLoads($segment: String!) {
    worklistRun(segment: $segment) {
      id
      segment
      currency
      asOf
      # The work still to do now (reassignments and completed items included), not the run's statistics.
      bySpecialist: loads { specialistId count amountToBeCollected specialist { id name group active } }
    }
  }
`;

export const REASSIGN_MUTATION: TypedDocumentNode<{ reassignWorklistItem: WorkItem }, { partnerId: string; specialistId: string; runId?: string | null }> = gql`
  ${ITEM_FIELDS}
  mutation StudioReassign($partnerId: ID!, $specialistId: ID!, $runId: ID) {
    reassignWorklistItem(partnerId: $partnerId, specialistId: $specialistId, runId: $runId) { ...WorkItemFields }
  }
`;

export interface OpenItem {
  id: string;
  externalId: string;
  companyCode: string;
  documentDate: string;
  dueDate: string;
  amount: Decimal;
  openAmount: Decimal;
  currency: string;
  daysOverdue: number;
  disputed: boolean;
  dunningLevel: number;
  dunningBlock: boolean;
}

export interface RuleExplanation {
  index: number;
  name: string;
  points: number;
  role: string;
  fired: boolean;
  conditions: unknown;
}

export interface CustomerData {
  customer: {
    partnerId: string;
    asOf: string;
    partner: { id: string; name: string; externalId: string; country: string; currency: string; customerType: string; riskClass: string | null; segment: string; creditLimit: Decimal | null; collectionGroup: string | null; specialist: { id: string; name: string } | null };
    credit: { creditLimit: Decimal | null; currency: string; openAmount: Decimal; overdueAmount: Decimal; riskClass: string | null; utilizationPercent: number | null };
    keyFigures: { daysSalesOutstanding: number | null; keptPromiseRatio: number | null; brokenPromises: number; daysSinceLastContact: number | null; daysSinceLastPayment: number | null; maxDaysOverdue: number | null; receivables: Decimal; sales90Days: Decimal };
    aging: { label: string; fromDays: number | null; toDays: number | null; items: number; amounts: { currency: string; amount: Decimal }[] }[];
    openItems: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: OpenItem }[] };
    payments: { id: string; externalId: string; paymentDate: string; amount: Decimal; currency: string; itemId: string | null }[];
    promises: { id: string; externalId: string; createdDate: string; promisedDate: string; amount: Decimal; paid: Decimal; currency: string; status: string; itemId: string | null }[];
    disputes: { id: string; externalId: string; createdDate: string; disputedAmount: Decimal; currency: string; status: string; reason: string | null; itemId: string | null }[];
    contacts: { id: string; externalId: string; contactDate: string; contactTime: string | null; channel: string; direction: string; reached: boolean; result: string | null }[];
    resubmissions: { id: string; resubmissionDate: string; reason: string; done: boolean; due: boolean }[];
    dunningHistory: { itemId: string; externalId: string; dueDate: string; dunningLevel: number; dunningBlock: boolean; openAmount: Decimal; currency: string }[];
    worklistItem: (WorkItem & { explanation?: { facts: Record<string, unknown>; rules: RuleExplanation[]; exits: string[]; excluded: boolean; asOf: string } | null }) | null;
  };
}

export interface CustomerVariables {
  partnerId?: string | null;
  externalId?: string | null;
  after?: string | null;
  explain: boolean;
}

export const CUSTOMER_QUERY: TypedDocumentNode<CustomerData, CustomerVariables> = gql`
  ${ITEM_FIELDS}
  query StudioCustomer($partnerId: ID, $externalId: String, $after: String, $explain: Boolean!) {
    customer(partnerId: $partnerId, externalId: $externalId) {
      partnerId
      asOf
      partner { id name externalId country currency customerType riskClass segment creditLimit collectionGroup specialist { id name } }
      credit { creditLimit currency openAmount overdueAmount riskClass utilizationPercent }
      keyFigures { daysSalesOutstanding keptPromiseRatio brokenPromises daysSinceLastContact daysSinceLastPayment maxDaysOverdue receivables sales90Days }
      aging { label fromDays toDays items amounts { currency amount } }
      openItems(first: 20, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id externalId companyCode documentDate dueDate amount openAmount currency daysOverdue disputed dunningLevel dunningBlock } }
      }
      payments(limit: 20) { id externalId paymentDate amount currency itemId }
      promises(limit: 20) { id externalId createdDate promisedDate amount paid currency status itemId }
      disputes(limit: 20) { id externalId createdDate disputedAmount currency status reason itemId }
      contacts(limit: 20) { id externalId contactDate contactTime channel direction reached result }
      resubmissions(limit: 20) { id resubmissionDate reason done due }
      dunningHistory { itemId externalId dueDate dunningLevel dunningBlock openAmount currency }
      worklistItem {
        ...WorkItemFields
        explanation @include(if: $explain) { asOf excluded exits facts rules { index name points role fired conditions } }
      }
    }
  }
`;

export interface ConfigData {
  contactResults: { code: string; description: string; completesWorklistItem: boolean; active: boolean }[];
  disputeRootCauses: { code: string; description: string; active: boolean }[];
}

export const CONFIG_QUERY: TypedDocumentNode<ConfigData, Record<string, never>> = gql`
  query StudioWorkConfig {
    contactResults { code description completesWorklistItem active }
    disputeRootCauses { code description active }
  }
`;

export const CREATE_CONTACT_MUTATION: TypedDocumentNode<
  { createContact: { completedWorklistItem: boolean; contact: { id: string; result: string | null }; worklistItem: WorkItem | null } },
  { input: { partnerId: string; contactDate: string; channel: string; direction: string; reached: boolean; result?: string | null; contactPerson?: string | null; note?: string | null } }
> = gql`
  ${ITEM_FIELDS}
  mutation StudioCreateContact($input: ContactCreateInput!) {
    createContact(input: $input) {
      completedWorklistItem
      contact { id result }
      worklistItem { ...WorkItemFields }
    }
  }
`;

export const CREATE_PROMISES_MUTATION: TypedDocumentNode<
  { createPromises: { promises: { id: string; amount: Decimal; currency: string; itemId: string | null; promisedDate: string }[]; worklistItem: WorkItem | null } },
  { input: { partnerId: string; amount: string; createdDate: string; promisedDate: string; itemIds?: string[] | null; distribution: 'BY_DUE_DATE' | 'EVENLY' } }
> = gql`
  ${ITEM_FIELDS}
  mutation StudioCreatePromises($input: CreatePromisesInput!) {
    createPromises(input: $input) {
      promises { id amount currency itemId promisedDate }
      worklistItem { ...WorkItemFields }
    }
  }
`;

export const OPEN_DISPUTES_MUTATION: TypedDocumentNode<
  { openDisputes: { caseKey: string; disputes: { id: string }[]; worklistItem: WorkItem | null } },
  { input: { partnerId: string; items: { itemId: string }[]; reason: string; rootCause?: string | null } }
> = gql`
  ${ITEM_FIELDS}
  mutation StudioOpenDisputes($input: OpenDisputesInput!) {
    openDisputes(input: $input) {
      caseKey
      disputes { id }
      worklistItem { ...WorkItemFields }
    }
  }
`;

export const SCHEDULE_RESUBMISSION_MUTATION: TypedDocumentNode<
  { scheduleResubmission: { resubmission: { id: string; resubmissionDate: string }; worklistItem: WorkItem | null } },
  { input: { partnerId: string; reason: string; resubmissionDate: string } }
> = gql`
  ${ITEM_FIELDS}
  mutation StudioScheduleResubmission($input: ResubmissionInput!) {
    scheduleResubmission(input: $input) {
      resubmission { id resubmissionDate }
      worklistItem { ...WorkItemFields }
    }
  }
`;
