import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { authenticate } from './auth';
import { WORKLIST_CSV_PATH, worklistCsv } from './csv-exports';
import type { Database } from './db/database';
import { RequestStatements } from './db/request-statements';
import { accessPlugin } from './graphql/access';
import { inputGuardPlugin } from './graphql/input-guard';
import { createRequestContext, type RequestContext } from './graphql/context';
import { DomainError, formatError, refusalStatusPlugin, requestError } from './graphql/errors';
import { DEFAULT_QUERY_LIMITS, queryLimitsPlugin, type QueryLimits } from './graphql/query-limits';
import {
  countError,
  graphqlMetrics,
  metricsEndpoint,
  observeAnsweredError,
  operationLabelPlugin,
  reportUnexpected,
  requestLogger,
  requestScope,
  rootLogger,
  watchPools,
} from './observability';
import { recoupSchema } from './schema';

export const STUDIO_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../studio/dist');

export interface AppOptions {
  production?: boolean;
  studioDir?: string;
  /** Depth and complexity ceilings per operation (defaults: DEFAULT_QUERY_LIMITS). */
  queryLimits?: Partial<QueryLimits>;
  /** Largest accepted request body (express.json's limit syntax). */
  bodyLimit?: string;
  /** Longest a statement of an API request may run, in ms (0: no limit); default RECOUP_STATEMENT_TIMEOUT_MS, else 30,000. */
  statementTimeoutMs?: number;
}

const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/** The API (/graphql, /health, the CSV exports) and the studio's built files on one port. */
export async function startApp(db: Database, port: number, options: AppOptions = {}): Promise<RunningApp> {
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const apollo = await startApollo(production, options);
  const app = express();
  app.disable('x-powered-by');
  // No ETag on sent answers (GraphQL POSTs are never revalidated: hashing each was CPU for nothing); static files keep theirs.
  app.set('etag', false);
  app.use(requestScope());
  app.get('/health', healthCheck(db));
  app.get('/metrics', metricsEndpoint());
  const unwatchPools = watchPools(db.pools);
  app.use(
    '/graphql',
    graphqlMetrics(),
    express.json({ limit: options.bodyLimit ?? '1mb' }),
    stoppableStatements(db, statementTimeoutOf(options)),
    expressMiddleware(apollo, { context: ({ req, res }) => contextOf(db, req, res) }),
  );
  app.use('/graphql', bodyErrorHandler(production));
  app.get(WORKLIST_CSV_PATH, stoppableStatements(db, statementTimeoutOf(options)), worklistCsv(db, production));
  serveStudio(app, options.studioDir ?? STUDIO_DIST);
  const server = await listen(app, port);
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://localhost:${actualPort}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would otherwise hold the close open.
        server.closeAllConnections();
      });
      await apollo.stop();
      unwatchPools();
    },
  };
}

async function startApollo(production: boolean, options: AppOptions): Promise<ApolloServer<RequestContext>> {
  const apollo = new ApolloServer<RequestContext>({
    schema: await recoupSchema(),
    introspection: true,
    // The process owns shutdown (main.ts closes HTTP, then the database).
    stopOnTerminationSignals: false,
    // Apollo's own warnings as JSON lines too.
    logger: rootLogger(),
    includeStacktraceInErrorResponses: !production,
    // Compact answers: Apollo's default indents them, which costs every request CPU and bytes for nobody.
    stringifyResult: (result) => JSON.stringify(result),
    formatError: (formatted, error) => observeAnsweredError(formatError(formatted, error, production), error),
    // No HTTP caching of GraphQL answers here, so no per-field cache-hint bookkeeping either.
    plugins: [
      operationLabelPlugin(),
      accessPlugin(),
      refusalStatusPlugin(),
      inputGuardPlugin(),
      queryLimitsPlugin({ ...DEFAULT_QUERY_LIMITS, ...options.queryLimits }),
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();
  return apollo;
}

function healthCheck(db: Database): express.RequestHandler {
  return async (_req, res) => {
    try {
      await db.dataSource.query('SELECT 1');
      res.json({ status: 'ok', database: db.kind });
    } catch {
      res.status(503).json({ status: 'unavailable', database: db.kind });
    }
  };
}

function statementTimeoutOf(options: AppOptions): number {
  const configured = options.statementTimeoutMs ?? Number(process.env.RECOUP_STATEMENT_TIMEOUT_MS || DEFAULT_STATEMENT_TIMEOUT_MS);
  if (!Number.isInteger(configured) || configured < 0)
    throw new Error(`RECOUP_STATEMENT_TIMEOUT_MS must be a whole number of ms (0: no limit), not ${configured}`);
  return configured;
}

/**
 * The request's statements stop at its statement timeout, and when its client goes away
 * (request-statements.ts). Postgres only: the embedded database cannot cancel a statement.
 */
function stoppableStatements(db: Database, timeoutMs: number): express.RequestHandler {
  return (_req, res, next) => {
    if (db.kind !== 'postgres') return next();
    const statements = new RequestStatements(db.url, timeoutMs);
    res.on('close', () => {
      if (!res.writableFinished) statements.stopForGoneClient();
    });
    statements.run(next);
  };
}

/** The request's context from its bearer token; a refused token is the request's error (401), before any resolver. */
async function contextOf(db: Database, req: express.Request, res: express.Response): Promise<RequestContext> {
  try {
    const answered = new Promise<void>((resolve) => res.once('close', () => resolve()));
    return createRequestContext(db, await authenticate(db, req.headers.authorization), answered);
  } catch (error) {
    throw error instanceof DomainError ? requestError(error) : error;
  }
}

/** Body parser failures (too large, malformed JSON) as GraphQL-shaped JSON, never express's HTML page with a stack trace. */
function bodyErrorHandler(production: boolean): express.ErrorRequestHandler {
  return (error: { status?: number; type?: string; message?: string }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    countError(code);
    if (status === 500) reportUnexpected(error, undefined, requestLogger(res));
    let message = status === 413 ? 'Request body too large' : status < 500 ? 'Bad request' : 'Internal server error';
    if (!production && status < 500 && status !== 413 && error.message) message = error.message;
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

/**
 * Paths that name a file, never a page of the studio: its built assets, the API's exports, and a
 * top-level name with an extension (/favicon.svg, /robots.txt). Deeper names may hold dots
 * (/customers/ext:C1.2), so they stay pages.
 */
const FILE_PATH = /^\/(?:(?:assets|exports)\/|[^/]+\.[^/]+$)/;

function serveStudio(app: express.Express, studioDir: string): void {
  if (!existsSync(studioDir)) return;
  // Built chunks are named by their content's hash: a browser may keep them for good. The index
  // page (and everything else) is asked again each time, so a redeploy is seen at the next load.
  app.use('/assets', express.static(path.join(studioDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: true }));
  app.use(express.static(studioDir, { setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
  // A missing file is a 404, never the index page: a script chunk of an earlier build (the studio
  // redeployed under an open tab) must fail as missing, not load HTML as a module with HTTP 200.
  app.get(FILE_PATH, (_req, res) => res.status(404).type('text/plain').send('Not found'));
  // Client-side routes of the studio fall back to its index page.
  app.get(/^\/(?!graphql|health).*/, (_req, res) => res.sendFile(path.join(studioDir, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } }));
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = app.listen(port, '0.0.0.0', () => resolve(s)).once('error', reject);
  });
}
