/** The public entry of legal/: what other features and the composition root may use. */
export { LegalCase, LegalCaseCost, LegalCaseEvent, LegalCaseItem } from './legal.entity';
export { LegalResolver } from './legal.resolver';
