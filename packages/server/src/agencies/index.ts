/** The public entry of agencies/: what other features and the composition root may use. */
export {
  Agency,
  AgencyExport,
  AgencyPayment,
  AgencySettlement,
  AgencySettlementLine,
  ItemHold,
  Placement,
  PlacementEvent,
  PlacementItem,
} from './agency.entity';
export { agencyReport, type AgencyReport, type AgencyReportArgs } from './agency-analytics.service';
export { AgencyResolver } from './agency.resolver';
export { agencies, agencyByKey, deleteAgency, saveAgency, type AgencyRow, type AgencyValues } from './agency.service';
export { currentPlacementOf } from './placement-api.service';
export { assertHoldsEndedBy } from './placement.service';
export { AgencyPaymentImportView, PlacementView } from './agency.types';
export { applyAgencyPayment, AgencyPaymentError, AGENCY_PAYMENT_COLUMN, exportPlacementFile, PLACEMENT_FILE_COLUMNS } from './agency-files.service';
export type { AgencyPaymentRow, PlacementFile } from './agency-files.service';
export { agencySettlement, closeAgencySettlement } from './settlement.service';
export type { Settlement } from './settlement.service';
