/** The public entry of legal/: what other features and the composition root may use. */
export { LegalCase, LegalCaseCost, LegalCaseEvent, LegalCaseItem } from './legal.entity';
export { LegalResolver } from './legal.resolver';
export { legalCases } from './legal-api.service';
export { LegalCaseView } from './legal.types';
