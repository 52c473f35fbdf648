/**
 * Downloads beside /graphql. GET /exports/worklist.csv?segment=&runId=&filter=<WorklistFilter
 * JSON>&orderBy=: the rows the `worklist` query pages through for the same arguments, as CSV
 * (RFC 4180, a header row of the query's field paths, amounts exact with a dot, dates ISO).
 * Same token, same access and the same refusals as the query: before the first byte a refusal
 * answers GraphQL-shaped JSON with the status the API gives it (400, 401, 403, 404). The rows are
 * streamed a page at a time, written only as fast as the client reads (backpressure); a client
 * that goes away stops the reading (and, on Postgres, its running statement: app.ts).
 */
import type { Request, RequestHandler, Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { authenticate } from './auth';
import type { Database } from './db/database';
import { assertOperationAllowed } from './graphql/access';
import { createRequestContext } from './graphql/context';
import { formatError, HTTP_STATUS, type ErrorCode } from './graphql/errors';
import { csvLine } from './import';
import { log, observeAnsweredError } from './observability';
import { recoupSchema } from './schema';
import { worklistExport, worklistExportArgs, worklistExportFileName, type WorklistExport } from './worklists';

export const WORKLIST_CSV_PATH = '/exports/worklist.csv';

export function worklistCsv(db: Database, production: boolean): RequestHandler {
  return async (req, res) => {
    let rows: WorklistExport;
    let fileName: string;
    try {
      const user = await authenticate(db, req.headers.authorization);
      assertOperationAllowed(user, 'Query', ['worklist']);
      const args = worklistExportArgs(await recoupSchema(), searchParamsOf(req));
      rows = await worklistExport(createRequestContext(db, user), args);
      fileName = worklistExportFileName(args);
    } catch (error) {
      refuse(res, error, production);
      return;
    }
    await streamCsv(res, rows, fileName);
  };
}

/** The raw query string's parameters (not express's parser, which turns `filter[a]=` into objects). */
function searchParamsOf(req: Request): URLSearchParams {
  const at = req.originalUrl.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : req.originalUrl.slice(at + 1));
}

/** A refusal before the first byte, shaped and mapped as the GraphQL endpoint does it (formatError: one mapping). */
function refuse(res: Response, error: unknown, production: boolean): void {
  const formatted: GraphQLFormattedError = observeAnsweredError(
    formatError({ message: error instanceof Error ? error.message : String(error) }, error, production),
    error,
  );
  const code = formatted.extensions?.code as ErrorCode | undefined;
  const status = (code && HTTP_STATUS[code]) || 500;
  res.status(status).json({ errors: [{ message: formatted.message, extensions: formatted.extensions }] });
}

async function streamCsv(res: Response, rows: WorklistExport, fileName: string): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  try {
    await send(res, csvLine(rows.header));
    for await (const page of rows.pages) {
      if (res.destroyed) break; // the client went away: stop reading (the generator ends)
      await send(res, page.map(csvLine).join(''));
    }
    if (!res.destroyed) res.end();
  } catch (error) {
    // Headers and rows are out: cut the connection, so the client sees a broken download rather
    // than a file that looks complete.
    log().error({ err: error }, `${WORKLIST_CSV_PATH} failed after its first rows`);
    res.destroy();
  }
}

/** Writes a chunk and, while the socket's buffer is full, waits until it drains or the client has gone. */
function send(res: Response, chunk: string): Promise<void> {
  if (res.destroyed || res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
