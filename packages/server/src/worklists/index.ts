/** The public entry of worklists/: what other features and the composition root may use. */
export { itemsPage, liveItemAfter } from './worklist-query.service';
export { completeLiveItem, revaluatePartner, revaluateWorkedPartner } from './worklist-revaluation.service';
export type { Revaluation } from './worklist-revaluation.service';
export { runWorklist, runWorklists, validKeyDate } from './worklist-run.service';
export type { WorklistRunResult } from './worklist-run.service';
export { PartnerResolver, WorklistConnectionResolver, WorklistItemResolver, WorklistRunResolver, partnerView, specialistView } from './worklist.resolver';
export { Partner, PriorityFigure, Specialist, SpecialistLoad, WorklistFilter, WorklistItem, WorklistItemConnection, WorklistOrder, WorklistRun, itemView } from './worklist.types';
