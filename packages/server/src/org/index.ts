/** The public entry of org/: what other features and the composition root may use. */
export { CollectionGroup, CollectionProfile, CollectionSegment, CompanyCode, Specialist, SpecialistAbsence } from './org.entity';
export { OrgResolver } from './org.resolver';
