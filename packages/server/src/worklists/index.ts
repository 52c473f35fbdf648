/** The public entry of worklists/: what other features and the composition root may use. */
export { worklistExport, worklistExportArgs, worklistExportFileName } from './worklist-export';
export type { ExportCell, WorklistExport, WorklistExportArgs } from './worklist-export';
export { itemsPage, liveItemAfter, partnerOf, specialistOf } from './worklist-read.service';
export { worklistQuerySql, itemPageSql, itemCountSql } from './worklist-read.sql';
export type { WorklistQuerySql, QueryRun } from './worklist-read.sql';
export { completeLiveItem, revaluatePartner, revaluateWorkedPartner } from './worklist-revaluation.service';
export type { Revaluation } from './worklist-revaluation.service';
export { reapOrphanedRuns } from './worklist-reaper';
export { dropPreviewItems } from './worklist-distribution.service';
export type { ReapedRun } from './worklist-reaper';
export { worklistReadiness } from './worklist-readiness';
export type { WorklistReadiness, WorklistWarningInfo } from './worklist-readiness';
export { WorklistWarning } from './worklist-readiness.types';
export { runWorklist, runWorklists, validKeyDate } from './worklist-run.service';
export { segmentsToRun } from './worklist-readiness';
export type { WorklistRunResult } from './worklist-run.service';
export { PARTS_CHANNEL, partDonePayload, runPart } from './worklist-run-parts';
export type { PartDispatcher, PartOutcome, RunPart, RunSplitting } from './worklist-run-parts';
export { jobConcurrency } from './worklist-jobs';
export { PartnerResolver, SpecialistLoadResolver, WorklistConnectionResolver, WorklistItemResolver, WorklistRunResolver } from './worklist.resolver';
export {
  Partner,
  PriorityFigure,
  SortDirection,
  Specialist,
  SpecialistLoad,
  WorklistFilter,
  WorklistItem,
  WorklistItemConnection,
  WorklistOrder,
  WorklistRun,
} from './worklist.types';
export { itemView, partnerView, specialistView } from './worklist.views';
export { armBucket, armOf, inChallengerSql, BASIS_POINTS } from './worklist-arm';
export type { Arm } from './worklist-arm';
export { ExperimentArm } from './worklist-arm.types';
