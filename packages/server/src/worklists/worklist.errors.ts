import { DomainError } from '../graphql/errors';

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
