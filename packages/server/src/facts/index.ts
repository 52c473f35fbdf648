/** The public entry of facts/: what other features and the composition root may use. */
export { flushFacts, rebuildFacts, useFactRebuild, verifyFacts } from './facts.service';
export type { FactDifference, FactVerification } from './facts.service';
