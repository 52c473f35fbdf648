/**
 * The analytics a collections department reports on (issue 20), one function per report; each
 * checks the common filter, applies the caller's row scope and reads set-based SQL.
 */
export { kpiReport, kpiSnapshotFigures, type KpiArgs } from './analytics-kpis';
export { refreshAnalyticsSnapshots, snapshotState, type SnapshotRefresh, type SnapshotState } from './analytics-snapshots';
export { promiseReport, promiseSnapshotFigures, type PromiseArgs } from './analytics-promises';
export { openItemsReport, openItemsSnapshotFigures, type OpenItemsArgs } from './analytics-open-items';
export { contactReport, contactSnapshotFigures, type ContactArgs } from './analytics-contacts';
export { disputeReport, disputeSnapshotFigures, type DisputeArgs } from './analytics-disputes';
export { worklistReport, worklistSnapshotFigures, type WorklistArgs } from './analytics-worklists';
export { reportRows, runReport, type AnalyticsReportName, type FlatRow, type ReportArgs } from './analytics-rows';
export { paymentCreditsCurrent } from './analytics-payment-credits';
export { closeCommissionSettlement, commissionBreakdown, commissionReport, commissionSettlements, type CommissionArgs } from './analytics-commission';
