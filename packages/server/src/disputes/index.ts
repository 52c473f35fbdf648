/** The public entry of disputes/: what other features and the composition root may use. */
export { DISPUTE_STATUSES, Dispute, DisputeRootCause } from './dispute.entity';
export { DisputeResolver } from './dispute.resolver';
export { openDispute } from './dispute-api.service';
export type { DisputeInput } from './dispute.service';
