/** The public entry of resubmissions/: what other features and the composition root may use. */
export { Resubmission } from './resubmission.entity';
export { ResubmissionResolver } from './resubmission.resolver';
export { ResubmissionSummary } from './resubmission.types';
