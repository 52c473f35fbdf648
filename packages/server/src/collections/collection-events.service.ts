/**
 * What a specialist records about a partner, each in one transaction with the re-valuation of the
 * partner's item on the live worklist (dynamic update). The services live with their features;
 * this module gathers them for callers that record several kinds.
 */
export type { EventResult } from './collection-input';
export { recordPayment, type PaymentInput } from '../payments/payment.service';
export { createPromise, type PromiseInput } from '../promises/promise.service';
export { openDispute, setDisputeStatus, type DisputeInput } from '../disputes/dispute.service';
export { recordContact, type ContactInput } from '../contacts/contact.service';
export { scheduleResubmission, type ResubmissionInput } from '../resubmissions/resubmission.service';
