/** The public entry of org/: what other features and the composition root may use. */
export { CollectionGroup, CollectionProfile, CollectionSegment, CompanyCode, Specialist, SpecialistAbsence } from './org.entity';
export { OrgResolver } from './org.resolver';
export { OrgConfigResolver } from './org-config.resolver';
export { SpecialistView } from './org-config.types';
export { OrgFieldError, ORG_KEY, displayName, optionalEmail, orgKey } from './org-rules';
export {
  assignPartner,
  deleteOrgRow,
  writeOrgRow,
  type OrgTableSpec,
  saveAbsence,
  saveCompanyCode,
  saveGroup,
  saveProfile,
  saveSegment,
  saveSpecialist,
  type AbsenceValues,
  type AssignmentValues,
  type CompanyCodeValues,
  type GroupValues,
  type ProfileValues,
  type SegmentValues,
  type SpecialistValues,
  type WriteMode,
  type WriteResult,
} from './org-config.service';
