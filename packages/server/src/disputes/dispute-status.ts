/**
 * The dispute state machine. OPEN and IN_PROCESS disputes are "open" for the facts (their
 * amounts leave the amount to be collected); RESOLVED and REJECTED are decided; CLOSED is final.
 *
 *   OPEN        -> IN_PROCESS (a processor takes it), RESOLVED (justified at once), REJECTED (unfounded
 *                  at once), CLOSED (withdrawn by the customer)
 *   IN_PROCESS  -> OPEN (handed back), RESOLVED (with a resolution), REJECTED
 *   RESOLVED    -> IN_PROCESS (reopened), CLOSED
 *   REJECTED    -> IN_PROCESS (reopened on objection), CLOSED
 *   CLOSED      -> (none)
 */
import { ConflictError } from '../graphql/errors';
import type { DisputeStatus } from './dispute.entity';

export const DISPUTE_TRANSITIONS: Readonly<Record<DisputeStatus, readonly DisputeStatus[]>> = {
  OPEN: ['IN_PROCESS', 'RESOLVED', 'REJECTED', 'CLOSED'],
  IN_PROCESS: ['OPEN', 'RESOLVED', 'REJECTED'],
  RESOLVED: ['IN_PROCESS', 'CLOSED'],
  REJECTED: ['IN_PROCESS', 'CLOSED'],
  CLOSED: [],
};

export const isOpenDisputeStatus = (s: DisputeStatus) => s === 'OPEN' || s === 'IN_PROCESS';

/** Throws CONFLICT naming both states when `to` is not a legal next state of `from`. */
export function assertDisputeTransition(from: DisputeStatus, to: DisputeStatus): void {
  const legal = DISPUTE_TRANSITIONS[from] ?? [];
  if (!legal.includes(to)) {
    throw new ConflictError(`A dispute cannot go from ${from} to ${to}${legal.length ? ` (from ${from}: ${legal.join(', ')})` : ` (${from} is final)`}`, {
      from,
      to,
    });
  }
}
