import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT';

/** A failure the client caused or must handle; mapped to `extensions.code` in one place (formatError). */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} not found`, { id });
  }
}

export class BadUserInputError extends DomainError {
  constructor(message: string, path?: string) {
    super('BAD_USER_INPUT', message, path !== undefined ? { path } : {});
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}

/** HTTP status per code, for errors raised before execution (auth, limits); resolver errors stay 200 as GraphQL does. */
export const HTTP_STATUS: Record<ErrorCode, number> = { BAD_USER_INPUT: 400, NOT_FOUND: 404, FORBIDDEN: 403, UNAUTHENTICATED: 401, CONFLICT: 409 };

/** type-graphql's own auth errors (only if a check returns false instead of throwing) in our vocabulary. */
const TYPE_GRAPHQL_CODES: Record<string, ErrorCode> = { UNAUTHENTICATED: 'UNAUTHENTICATED', UNAUTHORIZED: 'FORBIDDEN' };

/**
 * The single mapping from thrown errors to what clients see: domain errors keep their code
 * and details, anything unexpected becomes INTERNAL_SERVER_ERROR without internals in production.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, production: boolean): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code: original.code, ...original.details } };
  }
  const code = formatted.extensions?.code;
  const mapped = typeof code === 'string' ? TYPE_GRAPHQL_CODES[code] : undefined;
  if (mapped) return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { code: mapped } };
  if (code && code !== 'INTERNAL_SERVER_ERROR') {
    if (!production) return formatted;
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (!production) return formatted;
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** A DomainError raised outside a resolver (a plugin), carrying its HTTP status; formatError still maps it. */
export function requestError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, { originalError: error, extensions: { http: { status: HTTP_STATUS[error.code] } } });
}
