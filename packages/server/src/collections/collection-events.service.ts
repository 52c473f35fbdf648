/**
 * What a specialist records about a partner, each in one transaction with the re-valuation of the
 * partner's item on the live worklist (dynamic update). The services live with their features;
 * this module gathers them for callers that record several kinds.
 */
export type { EventResult } from './collection-input';
export { recordPayment, type PaymentInput } from '../payments';
export { createPromise, type PromiseInput } from '../promises';
export { openDispute, setDisputeStatus, type DisputeInput } from '../disputes';
export { recordContact, type ContactInput } from '../contacts';
export { scheduleResubmission, type ResubmissionInput } from '../resubmissions';
