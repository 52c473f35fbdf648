import {
  Agency,
  AgencyExport,
  AgencyPayment,
  AgencySettlement,
  AgencySettlementLine,
  ItemHold,
  Placement,
  PlacementEvent,
  PlacementItem,
} from '../agencies/agency.entity';
import { LegalCase, LegalCaseCost, LegalCaseEvent, LegalCaseItem } from '../legal/legal.entity';
import { CommissionSettlement, CommissionSettlementLine } from '../analytics/commission.entity';
import { AuditLogEntry } from '../audit/audit-log.entity';
import { ApiToken, ApiTokenGroup } from '../auth/api-token.entity';
import { Contact, ContactResult } from '../contacts/contact.entity';
import { ArRevision } from './ar-revision.entity';
import { Dispute, DisputeRootCause, DisputeStatusChange } from '../disputes/dispute.entity';
import {
  CorrespondenceAddress,
  DunningExclusion,
  DunningLevel,
  DunningLevelChange,
  DunningNotice,
  DunningNoticeItem,
  DunningProcedure,
  DunningRun,
  DunningTemplate,
} from '../dunning/dunning.entity';
import { ExperimentListing, StrategyExperiment } from '../experiments/experiment.entity';
import { FxRate } from '../fx/fx-rate.entity';
import { CycleStep, CycleStepRun } from '../jobs/cycle.entity';
import { OpenItem } from '../items/open-item.entity';
import { CollectionGroup, CollectionProfile, CollectionSegment, CompanyCode, Specialist, SpecialistAbsence } from '../org/org.entity';
import { BusinessPartner } from '../partners/partner.entity';
import { PaymentPlan, PaymentPlanInstallment, PaymentPlanItem } from '../payment-plans/payment-plan.entity';
import { Payment } from '../payments/payment.entity';
import { PromiseToPay } from '../promises/promise.entity';
import { Resubmission } from '../resubmissions/resubmission.entity';
import { Strategy, StrategyVersion } from '../strategies/strategy.entity';
import { WorklistItem, WorklistRun } from '../worklists/worklist.entity';

export const ENTITIES = [
  StrategyExperiment,
  ExperimentListing,
  CompanyCode,
  CollectionSegment,
  CollectionProfile,
  CollectionGroup,
  Specialist,
  SpecialistAbsence,
  BusinessPartner,
  OpenItem,
  Payment,
  FxRate,
  PromiseToPay,
  PaymentPlan,
  PaymentPlanItem,
  PaymentPlanInstallment,
  Dispute,
  DisputeStatusChange,
  Contact,
  Resubmission,
  DisputeRootCause,
  ContactResult,
  DunningProcedure,
  DunningLevel,
  DunningTemplate,
  DunningExclusion,
  CorrespondenceAddress,
  DunningRun,
  DunningNotice,
  DunningNoticeItem,
  DunningLevelChange,
  Strategy,
  StrategyVersion,
  WorklistRun,
  WorklistItem,
  ApiToken,
  ApiTokenGroup,
  CommissionSettlement,
  CommissionSettlementLine,
  Agency,
  Placement,
  PlacementItem,
  ItemHold,
  PlacementEvent,
  AgencyExport,
  AgencyPayment,
  AgencySettlement,
  AgencySettlementLine,
  LegalCase,
  LegalCaseItem,
  LegalCaseEvent,
  LegalCaseCost,
  AuditLogEntry,
  ArRevision,
  CycleStep,
  CycleStepRun,
];
