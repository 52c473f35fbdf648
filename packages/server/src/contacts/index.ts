/** The public entry of contacts/: what other features and the composition root may use. */
export { CONTACT_DIRECTIONS, Contact, ContactResult } from './contact.entity';
export type { ContactDirection } from './contact.entity';
export { ContactResolver } from './contact.resolver';
export { createContact } from './contact-api.service';
export { recordContact } from './contact.service';
export type { ContactInput } from './contact.service';
