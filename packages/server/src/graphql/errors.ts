import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { StatementStoppedError } from '../db/request-statements';
import type { RequestContext } from './context';

export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT' | 'TIMEOUT';

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

/**
 * HTTP status per code, for errors raised before execution (auth, limits). Resolver errors stay
 * 200 as GraphQL does, but for refusals (refusalStatus), which answer alike wherever raised.
 */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CONFLICT: 409,
  TIMEOUT: 503,
};

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
  const cancelled = cancelledStatement(original);
  if (cancelled) return { message: cancelled, path: formatted.path, locations: formatted.locations, extensions: { code: 'TIMEOUT' } };
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

/**
 * The message for a statement the database cancelled (57014 query_canceled), found through
 * TypeORM's QueryFailedError: stopped by the request's own limits (request-statements.ts), or by
 * a server-side statement_timeout or an administrator.
 */
function cancelledStatement(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 3; e = (e as { driverError?: unknown }).driverError, depth++) {
    if (e instanceof StatementStoppedError) return e.message;
    if ((e as { code?: unknown }).code === '57014' && !(e as { driverError?: unknown }).driverError) {
      return 'A database statement of this request was cancelled (a statement timeout of the database, or an administrator)';
    }
  }
  return undefined;
}

/** A DomainError raised outside a resolver (a plugin), carrying its HTTP status; formatError still maps it. */
export function requestError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, { originalError: error, extensions: { http: { status: HTTP_STATUS[error.code] } } });
}

/**
 * A refusal's HTTP status is the same wherever it is raised (token check, access plugin or a
 * resolver's row scoping): a response whose errors are all UNAUTHENTICATED answers 401, all
 * FORBIDDEN 403 (with whatever data the other fields gave). Any other mix keeps its status.
 */
export function refusalStatus(errors: readonly GraphQLFormattedError[] | undefined): number | undefined {
  if (!errors?.length) return undefined;
  for (const code of ['UNAUTHENTICATED', 'FORBIDDEN'] as const) {
    if (errors.every((e) => e.extensions?.code === code)) return HTTP_STATUS[code];
  }
  return undefined;
}

/** Applies refusalStatus to every GraphQL response (errors raised before execution already carry it). */
export function refusalStatusPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const status = response.body.kind === 'single' ? refusalStatus(response.body.singleResult.errors) : undefined;
          if (status) response.http.status = status;
        },
      };
    },
  };
}
