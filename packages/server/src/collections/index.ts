/**
 * The public entry of collections/: the input checks shared by what specialists record
 * (payments, promises, disputes, contacts, resubmissions). Each kind is recorded by its own
 * feature; collections imports none of them.
 */
export { amount, date, externalId, itemOf, partnerOf } from './collection-input';
export type { EventResult } from './collection-input';
