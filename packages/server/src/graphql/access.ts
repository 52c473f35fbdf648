/**
 * Who may call what, in one place: a declared access for every root query and mutation
 * (checked before anything executes), and the row scoping every feature shares (a SPECIALIST
 * reaches only their own partners). Resolvers and services never check roles themselves.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { ROLES, type AuthUser, type Role } from './roles';
import type { RequestContext } from './context';
import { DomainError, NotFoundError, requestError } from './errors';
import { parseId } from './scalars';

/** Anyone, with or without a token (liveness for load balancers and the studio's start page). */
export const PUBLIC = 'PUBLIC' as const;
/** Every signed-in role of the company (an AGENCY token is an outsider: it reads only what names it below). */
export const READERS: readonly Role[] = ROLES.filter((role) => role !== 'AGENCY');
/** The company's readers and the collection agencies (whose rows are scoped to what is placed with them). */
export const READERS_AND_AGENCIES: readonly Role[] = ROLES;
/** A collection agency's own operations (on the partners placed with it, see `assertPartnerVisible`). */
export const AGENCIES: readonly Role[] = ['AGENCY'];
/** Who changes configuration: strategies, configured lists, dunning procedures and templates. */
export const CONFIGURATORS: readonly Role[] = ['ADMIN', 'CONFIGURATOR'];
/** Who configures the organisation: company codes, segments, profiles, groups, specialists, absences, assignments. */
export const ADMINS: readonly Role[] = ['ADMIN'];
/** Who runs the department's batch work and moves items between specialists. */
export const SUPERVISORS: readonly Role[] = ['ADMIN', 'SUPERVISOR'];
/** Who records collection events: specialists (on their own partners, see `partnerInReach`) and their supervisors. */
export const COLLECTORS: readonly Role[] = ['ADMIN', 'SUPERVISOR', 'SPECIALIST'];
/** Who previews and compares strategies and reads the audit log. */
export const ANALYSTS: readonly Role[] = ['ADMIN', 'CONFIGURATOR', 'SUPERVISOR'];

export type Access = typeof PUBLIC | readonly Role[];
type RootType = 'Query' | 'Mutation';

/**
 * The access of every root field. An operation missing here is refused for everyone
 * (test/access.test.ts fails first); a CLIENT token never runs a mutation whatever this says.
 */
export const OPERATION_ACCESS: Record<RootType, Record<string, Access>> = {
  Query: {
    health: PUBLIC,
    me: READERS_AND_AGENCIES,
    specialists: READERS,
    companyCodes: READERS,
    companyCode: READERS,
    collectionSegments: READERS,
    collectionSegment: READERS,
    collectionProfiles: READERS,
    collectionProfile: READERS,
    collectionGroups: READERS,
    collectionGroup: READERS,
    specialistList: READERS,
    specialist: READERS,
    specialistAbsences: READERS,
    partnerAssignment: READERS,
    arOverview: READERS,
    partnerSearch: READERS,
    facts: READERS,
    fact: READERS,
    operators: READERS,
    basicRuleTemplates: READERS,
    expandBasicRule: READERS,
    strategies: READERS,
    strategy: READERS,
    strategyVersion: READERS,
    validateStrategy: READERS,
    strategyDiff: READERS,
    auditLog: ANALYSTS,
    experiments: ANALYSTS,
    experiment: ANALYSTS,
    experimentResults: ANALYSTS,
    previewWorklist: ANALYSTS,
    compareStrategies: ANALYSTS,
    backtestStrategies: ANALYSTS,
    worklist: READERS,
    worklistItem: READERS,
    worklistRun: READERS,
    worklistRuns: READERS,
    customer: READERS,
    promise: READERS,
    partnerPromises: READERS,
    paymentPlan: READERS,
    paymentPlans: READERS,
    dispute: READERS,
    disputeList: READERS,
    disputeTransitions: READERS,
    disputeRootCauses: READERS,
    contactHistory: READERS,
    contactResults: READERS,
    dueResubmissions: READERS,
    dunningProcedures: READERS,
    dunningTemplates: READERS,
    dunningExclusions: READERS,
    dunningNotices: READERS,
    dunningRuns: ANALYSTS,
    dunningTemplatePreview: ANALYSTS,
    analyticsKpis: COLLECTORS,
    analyticsPromises: COLLECTORS,
    analyticsOpenItems: COLLECTORS,
    analyticsContacts: COLLECTORS,
    analyticsDisputes: COLLECTORS,
    analyticsWorklists: COLLECTORS,
    analyticsCommission: COLLECTORS,
    commissionSettlements: SUPERVISORS,
    analyticsCommissionByPeriod: COLLECTORS,
    agencies: READERS_AND_AGENCIES,
    agency: READERS_AND_AGENCIES,
    placements: READERS_AND_AGENCIES,
    placement: READERS_AND_AGENCIES,
    placementProposal: SUPERVISORS,
    agencyCustomer: READERS_AND_AGENCIES,
    agencySettlement: ['ADMIN', 'SUPERVISOR', 'AGENCY'],
    agencyAnalytics: ['ADMIN', 'SUPERVISOR', 'AGENCY'],
    analyticsAgencies: [...COLLECTORS, 'AGENCY'],
    legalCase: SUPERVISORS,
    legalCases: SUPERVISORS,
    jobs: SUPERVISORS,
    jobCounts: SUPERVISORS,
    cycleSchedule: SUPERVISORS,
    cycleRuns: SUPERVISORS,
  },
  Mutation: {
    saveCompanyCode: ADMINS,
    deleteCompanyCode: ADMINS,
    saveCollectionSegment: ADMINS,
    deleteCollectionSegment: ADMINS,
    saveCollectionProfile: ADMINS,
    deleteCollectionProfile: ADMINS,
    saveCollectionGroup: ADMINS,
    deleteCollectionGroup: ADMINS,
    saveSpecialist: ADMINS,
    deleteSpecialist: ADMINS,
    saveSpecialistAbsence: ADMINS,
    deleteSpecialistAbsence: ADMINS,
    assignPartner: ADMINS,
    createStrategy: CONFIGURATORS,
    updateStrategyDraft: CONFIGURATORS,
    activateStrategyVersion: CONFIGURATORS,
    startExperiment: SUPERVISORS,
    stopExperiment: SUPERVISORS,
    promoteExperiment: SUPERVISORS,
    retireStrategyVersion: CONFIGURATORS,
    copyStrategyVersion: CONFIGURATORS,
    saveContactResult: CONFIGURATORS,
    saveDisputeRootCause: CONFIGURATORS,
    saveDunningProcedure: CONFIGURATORS,
    saveDunningTemplate: CONFIGURATORS,
    generateWorklist: SUPERVISORS,
    startWorklistRun: SUPERVISORS,
    reassignWorklistItem: SUPERVISORS,
    reassignWorklistItems: SUPERVISORS,
    judgePromises: SUPERVISORS,
    runDunning: SUPERVISORS,
    createPromises: COLLECTORS,
    cancelPromise: COLLECTORS,
    renewPromise: COLLECTORS,
    createPaymentPlan: COLLECTORS,
    cancelPaymentPlan: COLLECTORS,
    postPayment: COLLECTORS,
    openDisputes: COLLECTORS,
    changeDispute: COLLECTORS,
    createContact: COLLECTORS,
    updateContact: COLLECTORS,
    scheduleResubmission: COLLECTORS,
    markResubmissionDone: COLLECTORS,
    saveCorrespondenceAddress: COLLECTORS,
    setDunningExclusion: COLLECTORS,
    recordContact: COLLECTORS,
    createPromise: COLLECTORS,
    openDispute: COLLECTORS,
    closeCommissionSettlement: SUPERVISORS,
    saveAgency: ADMINS,
    deleteAgency: ADMINS,
    placePartner: SUPERVISORS,
    recallPlacement: SUPERVISORS,
    importAgencyPayments: SUPERVISORS,
    agencyRecordContact: AGENCIES,
    agencyCreatePromise: AGENCIES,
    closeAgencySettlement: ADMINS,
    openLegalCase: SUPERVISORS,
    changeLegalCase: SUPERVISORS,
    addLegalCost: SUPERVISORS,
    saveCycleSchedule: ADMINS,
    retryJob: ADMINS,
    cancelJob: ADMINS,
  },
};

export function accessOf(type: string, field: string): Access | undefined {
  return type === 'Query' || type === 'Mutation' ? OPERATION_ACCESS[type][field] : undefined;
}

export function unauthenticated(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'An API token is required (Authorization: Bearer <token>)');
}

export function forbidden(role: Role, what: string): DomainError {
  return new DomainError('FORBIDDEN', `Role ${role} may not ${what}`);
}

/** Refuses the operation unless the caller may call every root field it selects. */
export function assertOperationAllowed(user: AuthUser | null, type: RootType | 'Subscription', fields: readonly string[]): void {
  for (const field of fields) {
    if (field === '__schema' || field === '__type') {
      if (!user && !publicIntrospection()) throw unauthenticated();
      continue;
    }
    const access = type === 'Subscription' ? undefined : accessOf(type, field);
    if (access === PUBLIC) continue;
    if (!user) throw unauthenticated();
    const verb = type === 'Mutation' ? 'call' : 'read';
    if (access === undefined) throw forbidden(user.role, `${verb} ${field} (no access is declared for it)`);
    if (user.role === 'CLIENT' && type !== 'Query') throw forbidden(user.role, `run a ${type.toLowerCase()}`);
    if (!access.includes(user.role)) throw forbidden(user.role, `${verb} ${field}`);
  }
}

/** The root fields an operation selects, through fragments and inline fragments (aliases do not hide a field); introspection included, `__typename` not. */
export function rootFieldsOf(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  const fields: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...rootFieldsOf(selection.selectionSet, fragments, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) fields.push(...rootFieldsOf(fragment.selectionSet, fragments, seen));
    }
  }
  return fields.filter((name) => name !== '__typename');
}

/** `RECOUP_PUBLIC_INTROSPECTION=1` opens the schema to callers without a token (development tools); closed by default. */
export const publicIntrospection = (): boolean => process.env.RECOUP_PUBLIC_INTROSPECTION === '1';

/** Enforces OPERATION_ACCESS once the operation is known, before any resolver runs (all or nothing). */
export function accessPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (!operation) return; // Apollo has already refused a request naming no (known) operation.
          const fragments = new Map(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
          const type = operation.operation === 'query' ? 'Query' : operation.operation === 'mutation' ? 'Mutation' : 'Subscription';
          try {
            assertOperationAllowed(contextValue.user, type, rootFieldsOf(operation.selectionSet, fragments));
          } catch (error) {
            throw error instanceof DomainError ? requestError(error) : error;
          }
        },
      };
    },
  };
}

// ---- row scoping --------------------------------------------------------------------------

/** The signed-in caller (the access plugin has let only such callers through to a resolver). */
export function caller(ctx: RequestContext): AuthUser {
  if (!ctx.user) throw unauthenticated();
  return ctx.user;
}

/** A SPECIALIST caller's own specialist id; null for every other role (who reach every partner). */
export function ownSpecialist(ctx: RequestContext): string | null {
  if (ctx.user?.role !== 'SPECIALIST') return null;
  if (!ctx.user.specialistId) throw new DomainError('FORBIDDEN', 'This SPECIALIST token belongs to no specialist');
  return ctx.user.specialistId;
}

/** An AGENCY caller's own agency key; null for every other role. */
export function ownAgency(ctx: RequestContext): string | null {
  if (ctx.user?.role !== 'AGENCY') return null;
  if (!ctx.user.agencyKey) throw new DomainError('FORBIDDEN', 'This AGENCY token belongs to no agency');
  return ctx.user.agencyKey;
}

/**
 * A specialist's partners are those fixed to them and those on their live worklist; anyone
 * else's is FORBIDDEN (asked after the partner is known to exist, so ids are not probed). An
 * agency's partners are those placed with it now; any other is NOT_FOUND to it (an outsider
 * learns nothing of the company's other partners, not even that they exist).
 */
export async function assertPartnerVisible(ctx: RequestContext, partnerId: string): Promise<void> {
  const agency = ownAgency(ctx);
  if (agency !== null) {
    const placed = await ctx.db.dataSource.query(`SELECT 1 FROM placements WHERE partner_id = $1 AND agency_key = $2 AND status = 'PLACED'`, [
      partnerId,
      agency,
    ]);
    if (!placed.length) throw new NotFoundError('Partner', partnerId);
    return;
  }
  const own = ownSpecialist(ctx);
  if (own === null) return;
  const partner = await ctx.loaders.partner.load(partnerId);
  if (!partner) throw new NotFoundError('Partner', partnerId);
  if (partner.specialist_id === own) return;
  const item = await ctx.loaders.liveItem.load(partnerId);
  if (item?.specialist_id !== own) throw new DomainError('FORBIDDEN', `Partner ${partnerId} is not on your worklist`);
}

/** The partner exists (NOT_FOUND otherwise, malformed ids included) and is within the caller's reach; returns the caller. */
export async function partnerInReach(ctx: RequestContext, partnerId: string): Promise<AuthUser> {
  const user = caller(ctx);
  const id = parseId(partnerId, 'Partner');
  if (!(await ctx.loaders.partner.load(id))) throw new NotFoundError('Partner', partnerId);
  await assertPartnerVisible(ctx, id);
  return user;
}

/**
 * The partners a caller's figures cover: a SPECIALIST their own (`specialistId`), a SUPERVISOR the
 * collection groups of their token (`groupKeys`; null for a token without groups, department-wide),
 * everyone else all (both null). Reports apply it to the responsibility they group by.
 */
export interface RowScope {
  specialistId: string | null;
  groupKeys: string[] | null;
}

export async function rowScope(ctx: RequestContext): Promise<RowScope> {
  const user = caller(ctx);
  if (user.role !== 'SUPERVISOR') return { specialistId: ownSpecialist(ctx), groupKeys: null };
  const rows: Array<{ group_key: string }> = await ctx.db.dataSource.query(`SELECT group_key FROM api_token_groups WHERE token_id = $1 ORDER BY group_key`, [
    user.tokenId,
  ]);
  return { specialistId: null, groupKeys: rows.length ? rows.map((r) => r.group_key) : null };
}
