/** The public entry of facts/: what other features and the composition root may use. */
export { flushFacts, rebuildFacts, useFactRebuild, verifyFacts } from './facts.service';
export type { FactDifference, FactVerification } from './facts.service';
export { factSourceFor, MAINTAINED_WITH_LOOKUP, MIRROR, MIRROR_ABOVE_LATE_SHARE } from './fact-source';
export type { FactSelection, FactSource } from './fact-source';
export { noteFactState, partnerFacts } from './fact-loader';
export type { FactRow } from './fact-loader';
