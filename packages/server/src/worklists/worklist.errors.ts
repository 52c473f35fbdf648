import { DomainError } from '../graphql/errors';
import type { WorklistWarningInfo } from './worklist-readiness';

/** The AR mirror uses a currency with no rate into the strategy currency on or before the key date. */
export class MissingFxRateError extends DomainError {
  constructor(
    readonly pairs: Array<{ from: string; to: string }>,
    asOf: string,
  ) {
    super('BAD_USER_INPUT', `No FX rate on or before ${asOf} for ${pairs.map((p) => `${p.from}->${p.to}`).join(', ')}`, { pairs });
  }
}

export class NoActiveStrategyError extends DomainError {
  constructor(segment: string, reason: string) {
    super('BAD_USER_INPUT', `Segment ${segment}: ${reason}`, { segment });
  }
}

/**
 * A run on the active strategies asked for before the organisation can support it (no group,
 * strategy or active version). BAD_USER_INPUT like the other refusals of a run (DESIGN.md's
 * codes); `missing` lists each finding with its stable code, so a client can tell what to configure.
 */
export class WorklistNotConfiguredError extends DomainError {
  constructor(segment: string | null, missing: WorklistWarningInfo[]) {
    const configure = [...new Set(missing.flatMap((m) => m.configure ?? []))];
    super('BAD_USER_INPUT', `${missing.map((m) => m.message).join(' ')} Configure first: ${configure.join('; ')}.`, {
      ...(segment !== null ? { segment } : {}),
      missing: missing.map(({ code, message, segment: s, group, strategy }) => ({ code, message, segment: s, group, strategy })),
    });
  }
}
