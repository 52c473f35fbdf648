/**
 * The analytics' refusals: BAD_USER_INPUT with the argument's path and a stable `reason`, so a
 * client tells a reversed period from a missing fx rate without reading the message.
 */
import { DomainError } from '../graphql/errors';

export type AnalyticsInputReason =
  'BAD_DATE' | 'PERIOD_REVERSED' | 'PERIOD_TOO_LONG' | 'BAD_CURRENCY' | 'GROUP_BY_NOT_SUPPORTED' | 'BAD_ARGUMENT' | 'PERIOD_NOT_ENDED';

export class AnalyticsInputError extends DomainError {
  constructor(reason: AnalyticsInputReason, message: string, path: string) {
    super('BAD_USER_INPUT', message, { path, reason });
  }
}

/** An amount to report has no rate into the reporting currency on or before its date. */
export class AnalyticsFxRateMissingError extends DomainError {
  constructor(currency: string, missing: Array<{ from: string; on: string }>) {
    const shown = missing.slice(0, 5).map((m) => `${m.from}->${currency} on ${m.on}`);
    super('BAD_USER_INPUT', `No FX rate on or before the date for ${shown.join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`, {
      path: 'filter.currency',
      reason: 'FX_RATE_MISSING',
      pairs: missing.map((m) => ({ from: m.from, to: currency, on: m.on })),
    });
  }
}
