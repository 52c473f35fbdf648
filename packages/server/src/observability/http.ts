/** The HTTP side of observability: request ids, GraphQL metrics, the one log line of an unexpected error, /metrics. */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler, Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { currentScope, log, rootLogger, runInScope, type Logger, type RequestScope } from './logger';
import { countError, observeGraphqlRequest, operationLabel, registry, UNRESOLVED_OPERATION } from './metrics';

export const REQUEST_ID_HEADER = 'x-request-id';
/** An incoming id is kept only if it is a short plain token (it goes into every log line). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const scopeOf = (res: Response): RequestScope | undefined => res.locals.observability as RequestScope | undefined;

/** The request's logger from its response (for express's error handlers, which may run outside the request's async context). */
export function requestLogger(res: Response): Logger {
  return scopeOf(res)?.logger ?? rootLogger();
}

/**
 * First middleware: the request's id (the client's x-request-id if sane, else a new one), echoed
 * in the response, and its scope, in which everything the request runs logs with the id. At debug
 * level, one line per request when it ends.
 */
export function requestScope(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const scope: RequestScope = { requestId, logger: rootLogger().child({ requestId }) };
    res.locals.observability = scope;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const started = performance.now();
    res.once('close', () => {
      scope.logger.debug(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started), operation: scope.operation },
        'request finished',
      );
    });
    runInScope(scope, next);
  };
}

/** Counts and times each /graphql request under its operation's label (set by operationLabelPlugin). */
export function graphqlMetrics(): RequestHandler {
  return (_req, res, next) => {
    const started = performance.now();
    res.once('close', () => observeGraphqlRequest(scopeOf(res)?.operation ?? UNRESOLVED_OPERATION, (performance.now() - started) / 1000));
    next();
  };
}

/** Names the request's operation for the metrics and logs, once Apollo has resolved it from the document. */
export function operationLabelPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName }) {
          const scope = currentScope();
          if (scope) scope.operation = operationLabel(operationName);
        },
      };
    },
  };
}

/** Errors already logged: one error object can be answered on several paths (a loader's rejection). */
const logged = new WeakSet<object>();

/**
 * Observes an error as answered (`answered`, formatError's result of `error`): counted by its
 * code, and if unexpected (INTERNAL_SERVER_ERROR) logged once at error level with its stack.
 * Client mistakes are counted only.
 */
export function observeAnsweredError(answered: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = answered.extensions?.code;
  countError(code);
  if (code === 'INTERNAL_SERVER_ERROR') reportUnexpected(error, answered.path);
  return answered;
}

/** Logs an unexpected error once, with its stack, through the request's logger (its id) if any. */
export function reportUnexpected(error: unknown, path?: readonly (string | number)[], logger: Logger = log()): void {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (typeof original === 'object' && original !== null) {
    if (logged.has(original)) return;
    logged.add(original);
  }
  logger.error({ err: original, ...(path ? { path: path.join('.') } : {}) }, 'unexpected error');
}

/**
 * GET /metrics in Prometheus' text format. It holds no data of the business (operation names,
 * error codes, pool and process figures), so it is open unless RECOUP_METRICS_TOKEN is set: then
 * it asks for "Authorization: Bearer <that token>".
 */
export function metricsEndpoint(token = process.env.RECOUP_METRICS_TOKEN || undefined): RequestHandler {
  const expected = token ? digest(token) : undefined;
  return async (req, res) => {
    if (expected) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected)) {
        res.status(401).setHeader('WWW-Authenticate', 'Bearer').type('text/plain').send('metrics need the bearer token of RECOUP_METRICS_TOKEN\n');
        return;
      }
    }
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await registry.metrics());
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
