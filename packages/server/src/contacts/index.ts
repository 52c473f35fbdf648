/** The public entry of contacts/: what other features and the composition root may use. */
export { Contact, ContactResult } from './contact.entity';
export { ContactResolver } from './contact.resolver';
export { recordContact } from './contact.service';
export type { ContactInput } from './contact.service';
