// Every migration, in order. `pnpm migration:generate NAME` writes a new file and appends it here.
import type { MigrationInterface } from 'typeorm';
import { Initial1795447815275 } from './1795447815275-Initial';
import { WorklistPartitions1795454625291 } from './1795454625291-WorklistPartitions';
import { ApiTokensAuditStrategyRevision1795456346329 } from './1795456346329-ApiTokensAuditStrategyRevision';
import { PromisesPlansPayments1795458299624 } from './1795458299624-PromisesPlansPayments';
import { DisputesContactsDunning1795458321964 } from './1795458321964-DisputesContactsDunning';
import { ArRevision1795460000000 } from './1795460000000-ArRevision';
import { PreviewRunDocument1795466827456 } from './1795466827456-PreviewRunDocument';
import { PartnerSegmentIds1795471352353 } from './1795471352353-PartnerSegmentIds';
import { OrganisationConfiguration1796526911457 } from './1796526911457-OrganisationConfiguration';
import { GroupDailyCapacity1796670000000 } from './1796670000000-GroupDailyCapacity';
import { PartnerSearch1796600000000 } from './1796600000000-PartnerSearch';
import { WorklistItemDaysOverdue1796610000000 } from './1796610000000-WorklistItemDaysOverdue';
import { WorklistRunProgress1796620000000 } from './1796620000000-WorklistRunProgress';
import { DisputeNotes1796630000000 } from './1796630000000-DisputeNotes';
import { PartnerSearchTerms1796640000000 } from './1796640000000-PartnerSearchTerms';
import { PointInTimeHistory1796650000000 } from './1796650000000-PointInTimeHistory';
import { StrategyExperiments1796660000000 } from './1796660000000-StrategyExperiments';
import { PaymentsByDate1796680000000 } from './1796680000000-PaymentsByDate';
import { MaintainedFacts1796690000000 } from './1796690000000-MaintainedFacts';
import { FactMaintenance1796700000000 } from './1796700000000-FactMaintenance';
import { RunOrderIndexes1796710000000 } from './1796710000000-RunOrderIndexes';
import { SupervisorGroups1796720000000 } from './1796720000000-SupervisorGroups';
import { CommissionSettlements1796720000001 } from './1796720000001-CommissionSettlements';
import { AnalyticsSnapshots1796770000000 } from './1796770000000-AnalyticsSnapshots';

export const MIGRATIONS: Array<new () => MigrationInterface> = [Initial1795447815275, WorklistPartitions1795454625291, ApiTokensAuditStrategyRevision1795456346329, PromisesPlansPayments1795458299624, DisputesContactsDunning1795458321964, ArRevision1795460000000, PreviewRunDocument1795466827456, PartnerSegmentIds1795471352353, OrganisationConfiguration1796526911457, PartnerSearch1796600000000, WorklistItemDaysOverdue1796610000000, WorklistRunProgress1796620000000, DisputeNotes1796630000000, PartnerSearchTerms1796640000000, PointInTimeHistory1796650000000, StrategyExperiments1796660000000, GroupDailyCapacity1796670000000, PaymentsByDate1796680000000, MaintainedFacts1796690000000, FactMaintenance1796700000000, RunOrderIndexes1796710000000, SupervisorGroups1796720000000, CommissionSettlements1796720000001, AnalyticsSnapshots1796770000000];
