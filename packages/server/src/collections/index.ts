/** The public entry of collections/: what other features and the composition root may use. */
export { createPromise, openDispute, recordContact, scheduleResubmission } from './collection-events.service';
export type { ContactInput } from './collection-events.service';
export { amount, date, externalId, itemOf, partnerOf } from './collection-input';
export type { EventResult } from './collection-input';
